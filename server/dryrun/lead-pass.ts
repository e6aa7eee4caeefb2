import { cooldownMs, type Budgets } from '../crusades/budgets';
import { minimumGapMs } from '../crusades/quiet-hours';
import { rulesFor, type QuietRule } from '../crusades/quiet-hours';
import { recipientZone } from '../crusades/timezone';
import type { Calendar, CalendarBook } from '../crusades/windows';
import type { CampaignLead } from '../campaigns/lead';
import type { ResolveContext, StepAction } from '../campaigns/steps/registry';
import type { Resolver } from '../campaigns/steps/define';
import { pickSender, type SenderPool } from '../numbers/routing';
import { copyField } from './copy-text';
import { PASS } from './first-pass';
import type { DryRunReason } from './input';
import type { CopyLine } from './pass-reader';

/**
 * The per-lead pass over one row of the first pass that SQL did not block: the recipient's zone,
 * calendar and retext gap, the sender, and the rendered message. Everything that depends on the
 * lead's place alone (zone, rules, calendar) is worked out once per distinct place — a million
 * leads live at a few thousand (address, area code) pairs — and kept with its COPY text.
 */

/** What a lead's place decides, shared by every lead there. */
export interface Place {
	/** The likeliest zone as a COPY field (\N when unknown). */
	zoneText: string;
	calendar: Calendar;
	/** Index of `calendar` in `LeadPass.calendars`. */
	calendarIndex: number;
	/** The state rules' own minimum gap between two messages to one phone (0 when none). */
	minGapMs: number;
	/** No window before the end at all. */
	outside: boolean;
	/** Index in `LeadPass.placeList`. */
	index: number;
}

/** The pass's verdict on one lead; `reasons` null when it goes on to the allocator. */
export interface LeadVerdict {
	place: Place;
	/** Index into the pool's numbers (`LeadPass.senders`), -1 when none. */
	sender: number;
	/** The gap this send keeps from any other message to the same phone. */
	gapMs: number;
	/** COPY text of the variant and segment count. */
	variant: string;
	segments: string;
	reasons: DryRunReason[] | null;
}

export interface LeadPassSetup {
	/** Each campaign's retext cooldown (its vertical's), by campaign index. */
	cooldownMs: readonly number[];
	notBefore: number;
	book: CalendarBook;
	ruleTable: Readonly<Record<string, QuietRule>>;
	pool: SenderPool;
	sticky: ReadonlyMap<string, string>;
	compiled: readonly Resolver<StepAction>[];
	contexts: readonly ResolveContext[];
}

/**
 * Each campaign's retext cooldown, by campaign index: its own vertical's, so a crusade mixing
 * solar and real estate keeps each market's rule (the run's vertical covers a campaign without one).
 */
export function campaignCooldownsMs(config: { budgets: Budgets; vertical: string; campaigns: readonly { vertical?: string | undefined }[] }): number[] {
	return config.campaigns.map((c) => cooldownMs(config.budgets, c.vertical ?? config.vertical));
}

const SEP = '\u0000'; // Postgres text never holds NUL, so joined fields cannot collide.

export class LeadPass {
	readonly calendars: Calendar[] = [];
	/** Sender numbers by index, each with its id and E.164 as COPY fields. */
	readonly senders: { id: string; idText: string; e164Text: string; brandId: string; campaignId: string; dailyCap: number | null }[] = [];
	private readonly senderIndex = new Map<string, number>();
	private readonly places = new Map<string, Place>();
	readonly placeList: Place[] = [];
	private readonly ruleSets = new Map<string, { rules: QuietRule[]; minGapMs: number }>();
	private readonly calendarIndex = new Map<Calendar, number>();
	private readonly verdict: LeadVerdict;

	constructor(private readonly setup: LeadPassSetup) {
		this.verdict = { place: null as unknown as Place, sender: -1, gapMs: 0, variant: '', segments: '0', reasons: null };
	}

	private placeOf(line: CopyLine): Place {
		const raw = line.raw;
		const key = raw[PASS.time_zone] + SEP + raw[PASS.state] + SEP + raw[PASS.zip] + SEP + raw[PASS.m_state] + SEP + raw[PASS.m_zip] + SEP + raw[PASS.area_code];
		let place = this.places.get(key);
		if (place) return place;
		const mState = line.value(PASS.m_state);
		const mZip = line.value(PASS.m_zip);
		const zone = recipientZone({
			state: line.value(PASS.state),
			zip: line.value(PASS.zip),
			mailing: mState || mZip ? { state: mState, zip: mZip } : null,
			timeZone: line.value(PASS.time_zone),
			areaCode: line.value(PASS.area_code)
		});
		const statesKey = zone.states.join(',');
		let rs = this.ruleSets.get(statesKey);
		if (!rs) {
			const rules = rulesFor(zone.states, this.setup.ruleTable);
			rs = { rules, minGapMs: minimumGapMs(rules) };
			this.ruleSets.set(statesKey, rs);
		}
		const calendar = this.setup.book.for(zone.zones, rs.rules);
		let calendarIndex = this.calendarIndex.get(calendar);
		if (calendarIndex === undefined) {
			calendarIndex = this.calendars.push(calendar) - 1;
			this.calendarIndex.set(calendar, calendarIndex);
		}
		place = { zoneText: copyField(zone.zone), calendar, calendarIndex, minGapMs: rs.minGapMs, outside: Number.isNaN(calendar.nextAllowed(this.setup.notBefore)), index: this.placeList.length };
		this.places.set(key, place);
		this.placeList.push(place);
		return place;
	}

	private senderOf(id: string, number: { e164: string; brandId: string; campaignId: string; dailyCap: number | null }): number {
		let k = this.senderIndex.get(id);
		if (k === undefined) {
			k = this.senders.push({ id, idText: copyField(id), e164Text: copyField(number.e164), brandId: number.brandId, campaignId: number.campaignId, dailyCap: number.dailyCap }) - 1;
			this.senderIndex.set(id, k);
		}
		return k;
	}

	/** The verdict on one unblocked row (the object is reused: read it before the next call). */
	visit(line: CopyLine, leadId: string): LeadVerdict {
		const v = this.verdict;
		const place = (v.place = this.placeOf(line));
		const state = line.value(PASS.state);
		const areaCode = line.value(PASS.area_code);
		const route = pickSender({ leadId, areaCode, state: state ?? line.value(PASS.m_state) }, this.setup.pool, this.setup.sticky);
		const lead: CampaignLead = {
			id: leadId,
			firstName: line.value(PASS.first_name),
			lastName: line.value(PASS.last_name),
			fullName: line.value(PASS.full_name),
			email: line.value(PASS.email),
			street: line.value(PASS.street),
			city: line.value(PASS.city),
			state,
			zip: line.value(PASS.zip),
			timeZone: line.value(PASS.time_zone),
			phone: line.value(PASS.e164)
		};
		const campaign = Number(line.raw[PASS.campaign]);
		// The campaign's vertical cooldown or the recipient's state rule, whichever is longer.
		v.gapMs = Math.max(this.setup.cooldownMs[campaign]!, place.minGapMs);
		const action = this.setup.compiled[campaign]!(lead, this.setup.contexts[campaign]!);
		let reasons: DryRunReason[] | null = null;
		v.variant = '';
		v.segments = '0';
		if (action.kind === 'send') {
			v.variant = copyField(action.variant);
			v.segments = String(action.segments.segments);
			for (const p of action.problems) {
				const reason: DryRunReason = p.code === 'too_many_segments' ? 'too_many_segments' : p.code === 'too_long' ? 'too_long' : 'missing_merge_value';
				reasons ??= [];
				if (!reasons.includes(reason)) reasons.push(reason);
			}
		}
		if (!route) (reasons ??= []).push('no_sender');
		// Not allocated (it takes no capacity), but the window is still the lead's own to know.
		if (reasons && place.outside) reasons.push('outside_window');
		v.reasons = reasons;
		v.sender = route ? this.senderOf(route.number.id, route.number) : -1;
		return v;
	}
}
