import { z } from 'zod';
import { unitHash } from './jitter';
import { Buckets, DENSE_CELLS, DenseBuckets } from './buckets';
import { sendOrder } from './send-order';
import { minimumGapMs, type QuietRule } from './quiet-hours';
import type { Calendar } from './windows';
import { DayClock, HOUR, MINUTE } from './zoned-time';

/**
 * Throttles, caps, cooldowns and jitter, and the allocator that turns a crusade's candidate
 * sends into slot times (or a reason each cannot go) — what the dry-run runs in bulk and the
 * sender will follow.
 *
 * Modelling: carriers cap volume per 10DLC brand (daily) and per 10DLC campaign (per minute),
 * not per number or provider account, so rotating numbers or accounts adds no capacity: the
 * brand and campaign budgets are shared by every number that carries them. A number also has
 * its own daily cap and per-minute throttle, for reputation.
 */
export const budgetsSchema = z.object({
	/** Messages per minute from one sender number. */
	perNumberPerMinute: z.number().int().min(1).max(600).default(6),
	/** Messages per minute per 10DLC campaign (the carriers' TPM), by campaign id. */
	perCampaignPerMinute: z.record(z.string(), z.number().int().min(1).max(100_000)).default({}),
	perCampaignPerMinuteDefault: z.number().int().min(1).max(100_000).default(60),
	/** Messages per day per 10DLC brand, by brand id; null default = no cap. */
	brandDailyCaps: z.record(z.string(), z.number().int().min(0)).default({}),
	brandDailyCapDefault: z.number().int().min(0).nullable().default(2000),
	/** Where a carrier's day starts and ends (daily caps reset at its midnight). */
	capDayZone: z.string().default('America/Los_Angeles'),
	/** Each lead's first slot moves by up to this much, so sends do not march in lockstep. */
	jitterSeconds: z.number().int().min(0).max(3600).default(90),
	/** Retext cooldown: no second message to one phone within N hours, across all campaigns, by vertical. */
	cooldownHours: z.record(z.string(), z.number().min(0).max(24 * 365)).default({}),
	cooldownHoursDefault: z.number().min(0).max(24 * 365).default(72)
});
export type Budgets = z.output<typeof budgetsSchema>;

/** A vertical's retext cooldown: its own hours where set, else the default. */
export function cooldownMs(budgets: Budgets, vertical: string): number {
	return (budgets.cooldownHours[vertical] ?? budgets.cooldownHoursDefault) * HOUR;
}

/** The gap a send must keep from any other message to the same phone: the vertical's cooldown or a state's 24-hour cap, whichever is longer. */
export function retextGapMs(budgets: Budgets, vertical: string, rules: readonly QuietRule[]): number {
	return Math.max(cooldownMs(budgets, vertical), minimumGapMs(rules));
}

export interface CandidateSend {
	/** The lead: the jitter key. */
	leadId: string;
	/** The phone texted (E.164): the cooldown key. */
	phone: string;
	/** The earliest instant it may go (the crusade's start, or now). */
	notBefore: number;
	/** When the recipient may be texted (see windows.ts). */
	calendar: Calendar;
	senderId: string;
	brandId: string;
	campaignId: string;
	/** The sender number's own daily cap; null = none. */
	senderDailyCap: number | null;
	/** From `retextGapMs`. */
	gapMs: number;
	/** The last message to this phone in the send log, any campaign; null = never. */
	lastSentAt: number | null;
}

export const BLOCK_REASONS = ['outside_window', 'cooldown', 'throttle', 'sender_daily_cap', 'brand_daily_cap'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

const OUTSIDE = 1;
const COOLDOWN = 2;
const THROTTLE = 3;
const SENDER_CAP = 4;
const BRAND_CAP = 5;

/** Slots in input order: `slots[i]` in UTC ms (NaN when blocked); `reasons[i]` 0 when scheduled, else 1 + index in BLOCK_REASONS. */
export interface Allocation {
	slots: Float64Array;
	reasons: Uint8Array;
}

export function reasonOf(a: Allocation, i: number): BlockReason | null {
	const r = a.reasons[i] ?? 0;
	return r === 0 ? null : BLOCK_REASONS[r - 1]!;
}

export interface AllocateOptions {
	/** The crusade's end: nothing is scheduled at or after it. */
	until: number;
	/** The jitter seed: the crusade version's hash, so a dry-run is reproducible. */
	seed: string;
	/** Messages already sent in the cap day holding `at` (from the send log), by sender and brand. */
	usedToday?: { at: number; senders?: ReadonlyMap<string, number>; brands?: ReadonlyMap<string, number> };
}

function bucketsFor<B extends Buckets | DenseBuckets>(map: Map<string, B>, key: string, make: () => B): B {
	let b = map.get(key);
	if (!b) {
		b = make();
		map.set(key, b);
	}
	return b;
}

/** A sender as the allocator sees it: whose budgets its sends draw on. */
export interface CandidateSender {
	id: string;
	brandId: string;
	campaignId: string;
	/** The number's own daily cap; null = none. */
	dailyCap: number | null;
}

/**
 * The sends as columns, for a caller with many (the dry-run's million leads): no object per send,
 * and the phone, calendar and sender given as small integers instead of looked up by string.
 * Send i is the i-th entry of every column.
 */
export interface CandidateColumns {
	length: number;
	/** Each send's jitter point in [0, 1): `unitHash(seed, leadId)` with the allocation's seed. */
	jitter: Float64Array;
	/** Phone ids: sends with the same id text the same phone (the cooldown key). */
	phone: Int32Array;
	phoneCount: number;
	notBefore: Float64Array;
	calendar: Uint32Array;
	calendars: readonly Calendar[];
	sender: Uint32Array;
	senders: readonly CandidateSender[];
	gapMs: Float64Array;
	/** The last message to the phone in the send log; NaN = never. */
	lastSentAt: Float64Array;
	/**
	 * Order between sends whose earliest instant is the same (the object form uses input order).
	 * The dry-run passes lead-id order.
	 */
	tieBreak?: (a: number, b: number) => number;
	/**
	 * Whole numbers in [0, 2^53) in tie order, for sorting without calling `tieBreak` (which then
	 * decides only between sends whose keys are equal too): the dry-run's lead ids' first 13 hex digits.
	 */
	tieKey?: Float64Array;
}

/** The object form as columns (phones, calendars and senders numbered in order of appearance). */
export function candidateColumns(sends: readonly CandidateSend[], seed: string): CandidateColumns {
	const n = sends.length;
	const cols: CandidateColumns = {
		length: n,
		jitter: new Float64Array(n),
		phone: new Int32Array(n),
		phoneCount: 0,
		notBefore: new Float64Array(n),
		calendar: new Uint32Array(n),
		calendars: [],
		sender: new Uint32Array(n),
		senders: [],
		gapMs: new Float64Array(n),
		lastSentAt: new Float64Array(n)
	};
	const phones = new Map<string, number>();
	const calendars = new Map<Calendar, number>();
	const senders = new Map<string, number>();
	for (let i = 0; i < n; i++) {
		const s = sends[i]!;
		cols.jitter[i] = unitHash(seed, s.leadId);
		let p = phones.get(s.phone);
		if (p === undefined) phones.set(s.phone, (p = phones.size));
		cols.phone[i] = p;
		cols.notBefore[i] = s.notBefore;
		let c = calendars.get(s.calendar);
		if (c === undefined) {
			calendars.set(s.calendar, (c = calendars.size));
			(cols.calendars as Calendar[]).push(s.calendar);
		}
		cols.calendar[i] = c;
		// One entry per distinct (sender, brand, campaign, cap), however inconsistent the input.
		const key = JSON.stringify([s.senderId, s.brandId, s.campaignId, s.senderDailyCap]);
		let k = senders.get(key);
		if (k === undefined) {
			senders.set(key, (k = senders.size));
			(cols.senders as CandidateSender[]).push({ id: s.senderId, brandId: s.brandId, campaignId: s.campaignId, dailyCap: s.senderDailyCap });
		}
		cols.sender[i] = k;
		cols.gapMs[i] = s.gapMs;
		cols.lastSentAt[i] = s.lastSentAt ?? NaN;
	}
	cols.phoneCount = phones.size;
	return cols;
}

/** One sender's budgets, resolved once instead of looked up by string per send. */
interface SenderBudgets {
	rate: Buckets | DenseBuckets;
	tpm: Buckets | DenseBuckets;
	day: Buckets | null;
	brandDay: Buckets | null;
}

/**
 * Gives each send the first instant at which its recipient's calendar, the retext gap, the
 * sender's and its 10DLC campaign's per-minute throttles and the sender's and brand's daily caps
 * all allow it, taking sends in order of their own earliest instant (ties in input order), or
 * says which limit pushed it past the end. Within a minute a number's sends are spread evenly,
 * each at its lead's jitter point within its share of the minute.
 * O(n log n) for the sort, near O(1) amortised per send after it; state is a few maps whose size
 * is the number of full minutes and days, not of sends.
 */
export function allocate(sends: readonly CandidateSend[], budgets: Budgets, opts: AllocateOptions): Allocation {
	const allocator = new Allocator(sends, budgets, opts);
	while (allocator.step(Infinity).length > 0);
	return allocator.allocation;
}

/**
 * `allocate`, a step at a time: each `step(k)` settles the next k sends (in the order the
 * allocator takes them) and returns their input indices, whose slots and reasons are final. A
 * caller writes those while the next step computes (the dry-run streams them to Postgres).
 */
export class Allocator {
	readonly allocation: Allocation;
	private readonly sends: CandidateColumns;
	private readonly first: Float64Array;
	private readonly firstMover: Uint8Array;
	private readonly slice: Float64Array;
	private readonly order: Uint32Array;
	private next = 0;
	private readonly clock: DayClock;
	private readonly budgetsBySender: SenderBudgets[];
	/** The last slot given to each phone; NaN = none yet. */
	private readonly lastToPhone: Float64Array;
	private readonly spacing: number;

	constructor(
		sends: readonly CandidateSend[] | CandidateColumns,
		budgets: Budgets,
		private readonly opts: AllocateOptions
	) {
		const cols = (this.sends = Array.isArray(sends) ? candidateColumns(sends as readonly CandidateSend[], opts.seed) : (sends as CandidateColumns));
		const n = cols.length;
		this.allocation = { slots: new Float64Array(n).fill(NaN), reasons: new Uint8Array(n) };
		const first = (this.first = new Float64Array(n));
		const firstMover = (this.firstMover = new Uint8Array(n));
		const slice = (this.slice = new Float64Array(n));
		const jitterMax = budgets.jitterSeconds * 1000;
		let earliest = Infinity;
		const { calendars, calendar, notBefore, lastSentAt, gapMs, jitter } = cols;
		for (let i = 0; i < n; i++) {
			const cal = calendars[calendar[i]!]!;
			let t = cal.nextAllowed(notBefore[i]!);
			firstMover[i] = OUTSIDE;
			// Blame the cooldown only when the window alone would have let the message go.
			const last = lastSentAt[i]!;
			if (!Number.isNaN(last) && t < last + gapMs[i]!) {
				t = cal.nextAllowed(last + gapMs[i]!);
				firstMover[i] = COOLDOWN;
			}
			const u = jitterMax > 0 ? jitter[i]! : 0;
			slice[i] = u;
			first[i] = Number.isNaN(t) ? Infinity : t + Math.floor(u * jitterMax);
			if (first[i]! < earliest) earliest = first[i]!;
		}
		this.order = sendOrder(first, cols.tieKey ?? null, cols.tieBreak ?? ((a: number, b: number) => a - b));
		this.clock = new DayClock(budgets.capDayZone);
		this.spacing = MINUTE / budgets.perNumberPerMinute;
		this.lastToPhone = new Float64Array(cols.phoneCount).fill(NaN);

		const senderRate = new Map<string, Buckets | DenseBuckets>();
		const campaignRate = new Map<string, Buckets | DenseBuckets>();
		const senderDay = new Map<string, Buckets>();
		const brandDay = new Map<string, Buckets>();
		// Every send lands between the earliest instant and the crusade's end (a full last minute
		// points one past it): in arrays when all the senders' and campaigns' minutes fit DENSE_CELLS.
		const base = Math.floor(earliest / MINUTE);
		const span = Number.isFinite(earliest) ? Math.ceil(opts.until / MINUTE) - base + 2 : 0;
		const minuteSets = new Set(cols.senders.map((s) => s.id)).size + new Set(cols.senders.map((s) => s.campaignId)).size;
		const dense = span > 0 && span * minuteSets <= DENSE_CELLS;
		const minutes = (limit: number) => () => (dense ? new DenseBuckets(limit, base, span) : new Buckets(limit));
		const days = (limit: number) => () => new Buckets(limit);
		this.budgetsBySender = cols.senders.map((s) => {
			const brandLimit = budgets.brandDailyCaps[s.brandId] ?? budgets.brandDailyCapDefault;
			return {
				rate: bucketsFor(senderRate, s.id, minutes(budgets.perNumberPerMinute)),
				tpm: bucketsFor(campaignRate, s.campaignId, minutes(budgets.perCampaignPerMinute[s.campaignId] ?? budgets.perCampaignPerMinuteDefault)),
				day: s.dailyCap === null ? null : bucketsFor(senderDay, s.id, days(s.dailyCap)),
				brandDay: brandLimit === null ? null : bucketsFor(brandDay, s.brandId, days(brandLimit))
			};
		});

		if (opts.usedToday) {
			const today = this.clock.dayOf(opts.usedToday.at);
			const senderCaps = new Map(cols.senders.map((s) => [s.id, s.dailyCap]));
			for (const [id, used] of opts.usedToday.senders ?? []) {
				const cap = senderCaps.get(id);
				if (cap != null) bucketsFor(senderDay, id, days(cap)).take(today, used);
			}
			for (const [id, used] of opts.usedToday.brands ?? []) {
				const cap = budgets.brandDailyCaps[id] ?? budgets.brandDailyCapDefault;
				if (cap !== null) bucketsFor(brandDay, id, days(cap)).take(today, used);
			}
		}
	}

	/** Settles up to `count` more sends; returns their input indices (empty once all are settled). */
	step(count: number): Uint32Array {
		const from = this.next;
		const to = Math.min(this.order.length, from + count);
		for (let k = from; k < to; k++) this.settle(this.order[k]!);
		this.next = to;
		return this.order.subarray(from, to);
	}

	private settle(i: number): void {
		const { opts, clock, allocation, sends } = this;
		const calendar = sends.calendars[sends.calendar[i]!]!;
		const gap = sends.gapMs[i]!;
		const phone = sends.phone[i]!;
		let t = this.first[i]!;
		let mover = this.firstMover[i]!;
		const previous = this.lastToPhone[phone]!;
		if (!Number.isNaN(previous) && previous + gap > t) {
			t = previous + gap;
			mover = COOLDOWN;
		}
		const { rate, tpm, day: senderCap, brandDay: brandCap } = this.budgetsBySender[sends.sender[i]!]!;

		for (;;) {
			t = calendar.nextAllowed(t);
			if (!(t < opts.until)) break;
			const minute = Math.floor(t / MINUTE);
			let free = minute;
			for (;;) {
				const a = rate.firstFree(free);
				const b = tpm.firstFree(a);
				free = b;
				if (a === b) break;
			}
			if (free !== minute) {
				t = free * MINUTE;
				mover = THROTTLE;
				continue;
			}
			const day = clock.dayOf(t);
			const senderFree = senderCap ? senderCap.firstFree(day) : day;
			if (senderFree !== day) {
				t = clock.startOf(senderFree);
				mover = SENDER_CAP;
				continue;
			}
			const brandFree = brandCap ? brandCap.firstFree(day) : day;
			if (brandFree !== day) {
				t = clock.startOf(brandFree);
				mover = BRAND_CAP;
				continue;
			}
			// The k-th send of a number's minute goes in the k-th slice of it, at its lead's own point in the slice.
			const slot = Math.max(t, minute * MINUTE + (rate.count(minute) + this.slice[i]!) * this.spacing);
			if (slot >= calendar.endAt(t) || slot >= opts.until) {
				// Only where an interval ends mid-minute (the crusade's end): try the next minute.
				t = (minute + 1) * MINUTE;
				continue;
			}
			rate.take(minute);
			tpm.take(minute);
			senderCap?.take(day);
			brandCap?.take(day);
			this.lastToPhone[phone] = slot;
			allocation.slots[i] = slot;
			return;
		}
		allocation.reasons[i] = mover;
	}
}

/** How many sends each outcome got: 'scheduled' and every block reason. */
export function countOutcomes(a: Allocation): Record<'scheduled' | BlockReason, number> {
	const counts = { scheduled: 0, outside_window: 0, cooldown: 0, throttle: 0, sender_daily_cap: 0, brand_daily_cap: 0 };
	for (let i = 0; i < a.reasons.length; i++) counts[reasonOf(a, i) ?? 'scheduled']++;
	return counts;
}
