import { describe, expect, it } from 'vitest';
import { allocate, budgetsSchema, countOutcomes, reasonOf, retextGapMs, type Budgets, type CandidateSend } from '../../server/crusades/budgets';
import { jitterMs, unitHash } from '../../server/crusades/jitter';
import { rulesFor } from '../../server/crusades/quiet-hours';
import { scheduleSchema, toSchedule } from '../../server/crusades/schedule';
import { allowedCalendar, effectiveWindows, type Calendar } from '../../server/crusades/windows';

const HOUR = 3_600_000;
const DAY0 = Date.parse('2026-06-01T00:00:00Z'); // a Monday
const at = (day: number, hhmm: string) => DAY0 + day * 24 * HOUR + Number(hhmm.slice(0, 2)) * HOUR + Number(hhmm.slice(3)) * 60_000;
const iso = (ms: number) => (Number.isNaN(ms) ? 'blocked' : new Date(ms).toISOString().slice(0, 19));

/** A UTC calendar open daily between `from` and `to`, for `days` days from DAY0. */
function calendar(from = '10:00', to = '11:00', days = 7): Calendar {
	const all = [{ start: from, end: to }];
	const s = toSchedule(
		scheduleSchema.parse({
			startsAt: new Date(DAY0).toISOString(),
			endsAt: new Date(at(days, '00:00')).toISOString(),
			windows: { sun: all, mon: all, tue: all, wed: all, thu: all, fri: all, sat: all }
		})
	);
	return allowedCalendar(['UTC'], effectiveWindows(s, []), s.startsAt, s.endsAt);
}

const budgets = (over: Partial<Budgets> = {}): Budgets => budgetsSchema.parse({ jitterSeconds: 0, brandDailyCapDefault: null, perCampaignPerMinuteDefault: 1000, ...over });

const WEEK = calendar();
let seq = 0;
function send(over: Partial<CandidateSend> = {}): CandidateSend {
	seq++;
	return {
		leadId: `lead-${seq}`,
		phone: `+1415555${String(seq).padStart(4, '0')}`,
		notBefore: DAY0,
		calendar: WEEK,
		senderId: 'n1',
		brandId: 'B1',
		campaignId: 'C1',
		senderDailyCap: null,
		gapMs: 0,
		lastSentAt: null,
		...over
	};
}
const many = (n: number, over: Partial<CandidateSend> | ((i: number) => Partial<CandidateSend>) = {}) =>
	Array.from({ length: n }, (_, i) => send(typeof over === 'function' ? over(i) : over));
const run = (sends: CandidateSend[], b = budgets(), until = at(7, '00:00'), seed = 'v1') => allocate(sends, b, { until, seed });

describe('throttles', () => {
	it('spaces one number’s messages evenly within its per-minute throttle', () => {
		const a = run(many(8), budgets({ perNumberPerMinute: 6 }));
		expect([...a.slots].map(iso)).toEqual([
			'2026-06-01T10:00:00', '2026-06-01T10:00:10', '2026-06-01T10:00:20', '2026-06-01T10:00:30',
			'2026-06-01T10:00:40', '2026-06-01T10:00:50', '2026-06-01T10:01:00', '2026-06-01T10:01:10'
		]);
	});

	it('shares a 10DLC campaign’s throttle across every number that carries it', () => {
		const sends = many(12, (i) => ({ senderId: `n${i % 3}` }));
		const a = run(sends, budgets({ perNumberPerMinute: 10, perCampaignPerMinute: { C1: 4 } }));
		const perMinute = new Map<number, number>();
		for (const s of a.slots) perMinute.set(Math.floor(s / 60_000), (perMinute.get(Math.floor(s / 60_000)) ?? 0) + 1);
		expect([...perMinute.values()]).toEqual([4, 4, 4]);
	});

	it('blocks with "throttle" when the throttle cannot fit everyone before the end', () => {
		const a = run(many(70), budgets({ perNumberPerMinute: 1 }), at(1, '00:00'));
		expect(countOutcomes(a)).toMatchObject({ scheduled: 60, throttle: 10 });
	});
});

describe('daily caps', () => {
	it('caps a brand per day whatever number or provider account sends: rotation adds no capacity', () => {
		const sends = many(8, (i) => ({ senderId: `n${i % 4}` }));
		const a = run(sends, budgets({ brandDailyCaps: { B1: 5 } }));
		expect([...a.slots].map((s) => iso(s).slice(0, 10))).toEqual([...Array(5).fill('2026-06-01'), ...Array(3).fill('2026-06-02')]);
		const short = run(many(8, (i) => ({ senderId: `n${i % 4}` })), budgets({ brandDailyCaps: { B1: 5 } }), at(1, '00:00'));
		expect(countOutcomes(short)).toMatchObject({ scheduled: 5, brand_daily_cap: 3 });
	});

	it('keeps brands apart', () => {
		const sends = [...many(3, { brandId: 'B1' }), ...many(3, { brandId: 'B2', senderId: 'n2' })];
		const a = run(sends, budgets({ brandDailyCaps: { B1: 2, B2: 3 } }), at(1, '00:00'));
		expect([...a.reasons]).toEqual([0, 0, 5, 0, 0, 0]);
		expect(reasonOf(a, 2)).toBe('brand_daily_cap');
	});

	it('caps a number by its own daily cap', () => {
		const a = run(many(3, { senderDailyCap: 2 }), budgets(), at(1, '00:00'));
		expect(countOutcomes(a)).toMatchObject({ scheduled: 2, sender_daily_cap: 1 });
	});

	it('counts what the send log already holds for today', () => {
		const a = allocate(many(3), budgets({ brandDailyCaps: { B1: 5 } }), {
			until: at(7, '00:00'),
			seed: 'v1',
			usedToday: { at: at(0, '09:00'), brands: new Map([['B1', 4]]) }
		});
		expect([...a.slots].map((s) => iso(s).slice(0, 10))).toEqual(['2026-06-01', '2026-06-02', '2026-06-02']);
	});

	it('resets caps at midnight in the carrier’s zone (Pacific by default)', () => {
		const cal = calendar('00:00', '24:00');
		// 06:00 UTC is 23:00 on 31 May in Los Angeles; 07:00 UTC is midnight, a new carrier day.
		const sends = many(2, { calendar: cal, notBefore: at(0, '06:00') });
		const a = run(sends, budgets({ brandDailyCaps: { B1: 1 } }));
		expect([...a.slots].map(iso)).toEqual(['2026-06-01T06:00:00', '2026-06-01T07:00:00']);
	});
});

describe('retext cooldown', () => {
	it('waits out the cooldown since the last message in the send log', () => {
		const b = budgets({ cooldownHours: { solar: 72 } });
		const gapMs = retextGapMs(b, 'solar', rulesFor([]));
		expect(gapMs).toBe(72 * HOUR);
		const a = run([send({ gapMs, lastSentAt: at(-1, '10:30') })], b);
		expect(iso(a.slots[0]!)).toBe('2026-06-03T10:30:00');
		const blocked = run([send({ gapMs, lastSentAt: at(-1, '10:30') })], b, at(2, '00:00'));
		expect(reasonOf(blocked, 0)).toBe('cooldown');
	});

	it('keeps the cooldown between campaigns of the same run to one phone', () => {
		const phone = '+14155550999';
		const a = run([send({ phone, gapMs: 24 * HOUR, campaignId: 'C1' }), send({ phone, gapMs: 24 * HOUR, campaignId: 'C2' })]);
		expect([...a.slots].map(iso)).toEqual(['2026-06-01T10:00:00', '2026-06-02T10:00:00']);
	});

	it('uses the vertical default, and a state’s 24-hour cap when that is longer', () => {
		const b = budgets({ cooldownHoursDefault: 0 });
		expect(retextGapMs(b, 'insurance', rulesFor([]))).toBe(0);
		expect(retextGapMs(b, 'insurance', rulesFor(['FL']))).toBe(8 * HOUR + 60_000);
		expect(retextGapMs(budgets(), 'insurance', rulesFor(['FL']))).toBe(72 * HOUR);
	});
});

describe('windows in the allocator', () => {
	it('says "outside_window" when the recipient has no allowed time before the end', () => {
		const a = run([send({ calendar: calendar('10:00', '11:00', 1), notBefore: at(0, '11:00') })]);
		expect(reasonOf(a, 0)).toBe('outside_window');
		expect(a.slots[0]).toBeNaN();
	});

	it('spills into the next window when one fills, never outside a window', () => {
		const a = run(many(90), budgets({ perNumberPerMinute: 1 }));
		expect(iso(a.slots[59]!)).toBe('2026-06-01T10:59:00');
		expect(iso(a.slots[60]!)).toBe('2026-06-02T10:00:00');
		for (const s of a.slots) expect(new Date(s).getUTCHours()).toBe(10);
	});
});

describe('jitter', () => {
	it('is fixed per lead and seed, and within bounds', () => {
		expect(jitterMs('v1', 'lead-a', 90_000)).toBe(jitterMs('v1', 'lead-a', 90_000));
		expect(jitterMs('v1', 'lead-a', 90_000)).not.toBe(jitterMs('v2', 'lead-a', 90_000));
		const values = Array.from({ length: 2000 }, (_, i) => unitHash('v1', `lead-${i}`));
		expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...values)).toBeLessThan(1);
		// Spread: each tenth of the range holds roughly a tenth of the leads.
		const deciles = Array(10).fill(0);
		for (const v of values) deciles[Math.floor(v * 10)]++;
		for (const d of deciles) expect(d).toBeGreaterThan(140);
	});

	it('makes a dry-run reproducible and independent of input order', () => {
		const b = budgets({ jitterSeconds: 300, perNumberPerMinute: 2 });
		const sends = many(40, (i) => ({ senderId: `n${i % 3}` }));
		const first = run(sends, b);
		const again = run(sends, b);
		expect([...again.slots]).toEqual([...first.slots]);
		const reversed = run([...sends].reverse(), b);
		expect([...reversed.slots].reverse()).toEqual([...first.slots]);
		expect(new Set(first.slots).size).toBe(40);
		const other = run(sends, b, undefined, 'v2');
		expect([...other.slots]).not.toEqual([...first.slots]);
		for (const s of first.slots) expect(s).toBeLessThan(at(0, '11:00'));
	});
});

describe('bulk allocation', () => {
	it('keeps every limit at once over 40,000 sends across numbers, campaigns and brands', () => {
		const b = budgets({ perNumberPerMinute: 6, perCampaignPerMinute: { C0: 100, C1: 60 }, brandDailyCaps: { B0: 1800, B1: 2500 }, jitterSeconds: 120 });
		const cal = calendar('10:00', '19:00', 10);
		const n = 40_000;
		const sends = many(n, (i) => ({
			calendar: cal,
			senderId: `n${i % 50}`,
			campaignId: `C${i % 2}`,
			brandId: `B${i % 2}`,
			senderDailyCap: i % 50 === 0 ? 50 : 3000,
			phone: `+1${2000000000 + (i % 30_000)}`,
			gapMs: 24 * HOUR
		}));
		const a = run(sends, b, at(10, '00:00'));

		const count = new Map<string, number>();
		const bump = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
		const lastByPhone = new Map<string, number>();
		const order = [...sends.keys()].filter((i) => !Number.isNaN(a.slots[i]!)).sort((x, y) => a.slots[x]! - a.slots[y]!);
		for (const i of order) {
			const s = sends[i]!;
			const t = a.slots[i]!;
			const m = Math.floor(t / 60_000);
			// Carrier days run midnight to midnight Pacific: 07:00 UTC in June.
			const day = Math.floor((t - 7 * HOUR) / (24 * HOUR));
			bump(`n:${s.senderId}:${m}`);
			bump(`c:${s.campaignId}:${m}`);
			bump(`b:${s.brandId}:${day}`);
			bump(`d:${s.senderId}:${day}`);
			const last = lastByPhone.get(s.phone);
			if (last !== undefined) expect(t - last).toBeGreaterThanOrEqual(24 * HOUR);
			lastByPhone.set(s.phone, t);
		}
		const limit: Record<string, (k: string) => number> = {
			n: () => 6,
			c: (k) => (k.startsWith('c:C0') ? 100 : 60),
			b: (k) => (k.startsWith('b:B0') ? 1800 : 2500),
			d: (k) => (k.startsWith('d:n0:') ? 50 : 3000)
		};
		for (const [k, v] of count) expect(v, k).toBeLessThanOrEqual(limit[k[0]!]!(k));

		const outcomes = countOutcomes(a);
		expect(Object.values(outcomes).reduce((x, y) => x + y, 0)).toBe(n);
		expect(outcomes.scheduled).toBeGreaterThan(30_000);
		// Every kind of limit did bind somewhere in this run.
		expect(outcomes.brand_daily_cap).toBeGreaterThan(0);
		expect(outcomes.sender_daily_cap).toBeGreaterThan(0);
		expect(outcomes.cooldown).toBeGreaterThan(0);
		expect([...count.keys()].some((k) => k.startsWith('c:C1') && count.get(k) === 60)).toBe(true);
	});
});
