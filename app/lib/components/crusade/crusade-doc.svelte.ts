/**
 * A crusade's live document for the editor (shape in server/crusades/document.ts): the
 * `schedule`, `meta` and `campaigns` roots as reactive plain data, the same schema checks the
 * server's projection runs (computed here on every change, so every editor sees an issue the
 * moment anyone makes it), writes in Y transactions, and who else is here (Yjs awareness),
 * with the section each of them is working in.
 */
import type { z } from 'zod';
import { budgetsSchema, type Budgets } from '$server/crusades/budgets';
import { stateRuleEditSchema, type StateRuleEdit } from '$server/crusades/quiet-hours';
import { scheduleSchema, type Weekday } from '$server/crusades/schedule';
import { LiveDoc, type LiveDocOptions } from '$lib/realtime/live-doc.svelte';
import { WeekWindowsWriter, windowsOf, type Window, type WeekWindows } from './week-windows-map';

export type { Window, WeekWindows };

/** Another tab on this crusade, and the section it is in. */
export interface CrusadePeer {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	focus: string | null;
}

/** Issues keyed by field path (`schedule.windows.mon.0.end`, `budgets.jitterSeconds`, `stateRules.0.hours.all`). */
export type FieldIssues = Record<string, string>;

export const WEEKDAY_LABEL: Record<Weekday, string> = { sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday' };
/** Monday first, as people plan a week. */
export const WEEK_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

function collect(into: FieldIssues, prefix: string, error: z.ZodError): void {
	for (const issue of error.issues) {
		const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
		into[key] ??= issue.message;
	}
}

/** Field issues from the schemas the server projects with. */
export function checkCrusade(schedule: Record<string, unknown>, meta: Record<string, unknown>): FieldIssues {
	const issues: FieldIssues = {};
	const parsed = scheduleSchema.safeParse({ ...schedule, windows: schedule.windows ?? {} });
	if (!parsed.success) collect(issues, 'schedule', parsed.error);
	const budgets = budgetsSchema.safeParse(meta.budgets ?? {});
	if (!budgets.success) collect(issues, 'budgets', budgets.error);
	const rules = Array.isArray(meta.stateRules) ? (meta.stateRules as unknown[]) : [];
	rules.forEach((raw, i) => {
		const rule = stateRuleEditSchema.safeParse(raw);
		if (!rule.success) collect(issues, `stateRules.${i}`, rule.error);
	});
	return issues;
}

export class CrusadeDoc {
	readonly live: LiveDoc;
	schedule = $state.raw<Record<string, unknown>>({});
	meta = $state.raw<Record<string, unknown>>({});
	campaignIds = $state.raw<string[]>([]);
	peers = $state.raw<CrusadePeer[]>([]);
	/** The newest version number a teammate announced publishing (0 = none): the page re-reads its state. */
	peerPublished = $state(0);

	readonly windows: WeekWindows = $derived(windowsOf(this.schedule.windows));
	readonly issues: FieldIssues = $derived(checkCrusade(this.schedule, this.meta));
	readonly issueCount = $derived(Object.keys(this.issues).length);
	/** Budgets with the schema's defaults filled in where valid; the raw values where not. */
	readonly budgets: Budgets = $derived.by(() => {
		const raw = (this.meta.budgets ?? {}) as Record<string, unknown>;
		const defaults = budgetsSchema.parse({});
		return { ...defaults, ...(raw as Partial<Budgets>) };
	});
	readonly stateRules: StateRuleEdit[] = $derived(Array.isArray(this.meta.stateRules) ? (this.meta.stateRules as StateRuleEdit[]) : []);

	readonly #cleanups: (() => void)[] = [];
	readonly #windows: WeekWindowsWriter;

	constructor(options: LiveDocOptions) {
		this.live = new LiveDoc(options);
		const doc = this.live.doc;
		this.#windows = new WeekWindowsWriter(doc);
		const schedule = doc.getMap('schedule');
		const meta = doc.getMap('meta');
		const campaigns = doc.getArray<string>('campaigns');
		const refresh = () => {
			this.schedule = schedule.toJSON();
			this.meta = meta.toJSON();
			this.campaignIds = campaigns.toArray().filter((v): v is string => typeof v === 'string');
		};
		schedule.observeDeep(refresh);
		meta.observeDeep(refresh);
		campaigns.observe(refresh);
		refresh();

		const awareness = this.live.awareness;
		const onAwareness = () => {
			const peers: CrusadePeer[] = [];
			for (const [clientId, raw] of awareness.getStates()) {
				if (clientId === awareness.clientID) continue;
				const state = raw as { user?: { id?: unknown; name?: unknown; color?: unknown }; focus?: unknown; published?: unknown };
				if (typeof state.published === 'number' && state.published > this.peerPublished) this.peerPublished = state.published;
				if (!state.user || typeof state.user.id !== 'string') continue;
				peers.push({
					clientId,
					userId: state.user.id,
					name: typeof state.user.name === 'string' ? state.user.name : 'Someone',
					color: typeof state.user.color === 'string' ? state.user.color : 'gray',
					focus: typeof state.focus === 'string' ? state.focus : null
				});
			}
			this.peers = peers;
		};
		awareness.on('change', onAwareness);
		this.#cleanups.push(() => {
			schedule.unobserveDeep(refresh);
			meta.unobserveDeep(refresh);
			campaigns.unobserve(refresh);
			awareness.off('change', onAwareness);
			this.#windows.destroy();
		});
	}

	/** Tells the others which section this tab is working in (null when none). */
	focus(section: string | null): void {
		this.live.awareness.setLocalStateField('focus', section);
	}

	/** Tells the others this tab published version `number`, so their panels update without an edit. */
	announcePublished(number: number): void {
		this.live.awareness.setLocalStateField('published', number);
	}

	#transact(change: () => void): void {
		this.live.doc.transact(change);
	}

	setScheduleField(field: 'startsAt' | 'endsAt' | 'skipHolidays', value: string | boolean): void {
		this.#transact(() => this.live.doc.getMap('schedule').set(field, value));
	}

	/** Replaces one day's windows (how the days are stored, and older documents converted: week-windows-map.ts). */
	setDay(day: Weekday, windows: Window[]): void {
		this.#windows.set({ [day]: windows });
	}

	addWindow(day: Weekday): void {
		const list = this.windows[day];
		const last = list.at(-1);
		// After the last window when there is room, else the usual business hours.
		const next = last && last.end < '20:00' ? { start: last.end, end: '21:00' } : { start: '09:00', end: '17:00' };
		this.setDay(day, [...list, next]);
	}

	removeWindow(day: Weekday, index: number): void {
		this.setDay(
			day,
			this.windows[day].filter((_, i) => i !== index)
		);
	}

	setWindow(day: Weekday, index: number, field: 'start' | 'end', value: string): void {
		this.setDay(
			day,
			this.windows[day].map((w, i) => (i === index ? { ...w, [field]: value } : w))
		);
	}

	/** Copies one day's windows to the other weekdays (or to every day). */
	copyDay(day: Weekday, to: readonly Weekday[]): void {
		const source = this.windows[day];
		this.#windows.set(Object.fromEntries(to.filter((d) => d !== day).map((d) => [d, source])));
	}

	setBudget(field: keyof Budgets, value: unknown): void {
		this.#transact(() => {
			const meta = this.live.doc.getMap('meta');
			const current = (meta.get('budgets') ?? {}) as Record<string, unknown>;
			const next = { ...current };
			if (value === undefined) delete next[field];
			else next[field] = value;
			meta.set('budgets', next);
		});
	}

	/** Puts (or with null, removes) the team's edit of one state's rule. */
	setStateRule(state: string, edit: StateRuleEdit | null): void {
		this.#transact(() => {
			const meta = this.live.doc.getMap('meta');
			const current = Array.isArray(meta.get('stateRules')) ? (meta.get('stateRules') as StateRuleEdit[]) : [];
			const rest = current.filter((r) => r.state !== state);
			meta.set('stateRules', edit ? [...rest, edit] : rest);
		});
	}

	addCampaign(id: string): void {
		if (this.campaignIds.includes(id)) return;
		this.#transact(() => this.live.doc.getArray<string>('campaigns').push([id]));
	}

	removeCampaign(index: number): void {
		this.#transact(() => this.live.doc.getArray<string>('campaigns').delete(index, 1));
	}

	moveCampaign(index: number, by: -1 | 1): void {
		const to = index + by;
		const list = this.live.doc.getArray<string>('campaigns');
		if (to < 0 || to >= list.length) return;
		this.#transact(() => {
			const id = list.get(index);
			list.delete(index, 1);
			list.insert(to, [id]);
		});
	}

	destroy(): void {
		for (const cleanup of this.#cleanups) cleanup();
		this.live.destroy();
	}
}
