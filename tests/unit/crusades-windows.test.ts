import { describe, expect, it } from 'vitest';
import { FEDERAL_RULE, rulesFor } from '../../server/crusades/quiet-hours';
import { scheduleSchema, toSchedule, type Weekday } from '../../server/crusades/schedule';
import { UNKNOWN_ZONES } from '../../server/crusades/zone-data';
import { allowedCalendar, CalendarBook, effectiveWindows, nextSlot } from '../../server/crusades/windows';

const NY = 'America/New_York';
const CHI = 'America/Chicago';

/** A schedule from "HH:MM-HH:MM" strings per weekday. */
function schedule(windows: Partial<Record<Weekday, string[]>>, startsAt = '2026-03-01T00:00:00Z', endsAt = '2026-12-31T00:00:00Z', skipHolidays = false) {
	const w = Object.fromEntries(Object.entries(windows).map(([d, spans]) => [d, spans.map((s) => ({ start: s.slice(0, 5), end: s.slice(6) }))]));
	return toSchedule(scheduleSchema.parse({ startsAt, endsAt, windows: w, skipHolidays }));
}

const WEEKDAYS_10_19 = { mon: ['10:00-19:00'], tue: ['10:00-19:00'], wed: ['10:00-19:00'], thu: ['10:00-19:00'], fri: ['10:00-19:00'], sat: ['11:00-16:00'] };
const next = (now: string, zone: string | readonly string[], s = schedule(WEEKDAYS_10_19), rules = rulesFor([])) => nextSlot(new Date(now), zone, s, rules)?.toISOString() ?? null;

describe('the schedule schema', () => {
	it('reads HH:MM windows into minutes and merges overlaps', () => {
		const s = schedule({ mon: ['13:00-15:00', '10:00-14:00'], sat: ['11:00-16:00'] });
		expect(s.windows[1]).toEqual([{ start: 600, end: 900 }]);
		expect(s.windows[6]).toEqual([{ start: 660, end: 960 }]);
		expect(s.windows[0]).toEqual([]);
	});

	it('refuses windows that end before they start, bad times and backwards crusades', () => {
		const base = { startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z', windows: {} };
		expect(scheduleSchema.safeParse({ ...base, windows: { mon: [{ start: '19:00', end: '10:00' }] } }).success).toBe(false);
		expect(scheduleSchema.safeParse({ ...base, windows: { mon: [{ start: '9:00', end: '10:00' }] } }).success).toBe(false);
		expect(scheduleSchema.safeParse({ ...base, windows: { mon: [{ start: '10:00', end: '25:00' }] } }).success).toBe(false);
		expect(scheduleSchema.safeParse({ ...base, endsAt: '2026-02-01T00:00:00Z' }).success).toBe(false);
		expect(scheduleSchema.safeParse(base).success).toBe(true);
	});
});

describe('effective windows: configured ∩ quiet-hours floor', () => {
	it('clips a window that crosses the federal 8:00–21:00 floor, and says so', () => {
		const week = effectiveWindows(schedule({ mon: ['07:00-22:00'], tue: ['10:00-19:00'] }), rulesFor([]));
		expect(week.days[1]).toEqual([{ start: 480, end: 1260 }]);
		expect(week.days[2]).toEqual([{ start: 600, end: 1140 }]);
		expect(week.clips).toEqual([{ weekday: 1, configured: { start: 420, end: 1320 }, effective: [{ start: 480, end: 1260 }], by: ['US'] }]);
	});

	it('applies stricter state rules: Florida ends at 20:00, Texas starts Sundays at noon', () => {
		const s = schedule({ mon: ['07:00-22:00'], sun: ['10:00-18:00'] });
		const fl = effectiveWindows(s, rulesFor(['FL']));
		expect(fl.days[1]).toEqual([{ start: 480, end: 1200 }]);
		expect(fl.clips.find((c) => c.weekday === 1)?.by).toEqual(['US', 'FL']);
		const tx = effectiveWindows(s, rulesFor(['TX']));
		expect(tx.days[0]).toEqual([{ start: 720, end: 1080 }]);
		expect(tx.clips.find((c) => c.weekday === 0)?.by).toEqual(['TX']);
		expect(tx.days[1]).toEqual([{ start: 540, end: 1260 }]);
	});

	it('closes days a state closes: Rhode Island on Sundays, with shorter Saturdays', () => {
		const week = effectiveWindows(schedule({ sun: ['12:00-16:00'], sat: ['09:00-19:00'], wed: ['10:00-17:00'] }), rulesFor(['RI']));
		expect(week.days[0]).toEqual([]);
		expect(week.days[6]).toEqual([{ start: 600, end: 1020 }]);
		expect(week.days[3]).toEqual([{ start: 600, end: 1020 }]);
		expect(week.clips.map((c) => [c.weekday, c.by])).toEqual([
			[0, ['RI']],
			[6, ['RI']]
		]);
		expect(week.holidaysClosedBy).toEqual(['RI']);
	});

	it('takes the strictest of several states (address and area code)', () => {
		const week = effectiveWindows(schedule({ mon: ['08:00-21:00'] }), rulesFor(['KY', 'FL']));
		expect(week.days[1]).toEqual([{ start: 600, end: 1200 }]);
	});
});

describe('nextSlot', () => {
	it('returns now when now is inside a window', () => {
		expect(next('2026-03-04T16:30:00Z', NY)).toBe('2026-03-04T16:30:00.000Z');
	});

	it('moves past the evening and the weekend to the next window', () => {
		// Friday 20:00 EST → Saturday 11:00 EST.
		expect(next('2026-03-07T01:00:00Z', NY)).toBe('2026-03-07T16:00:00.000Z');
	});

	it('crosses spring forward (2026-03-08): Monday 10:00 is EDT, an hour earlier in UTC', () => {
		// Saturday 17:00 EST → no Sunday window → Monday 10:00 EDT.
		expect(next('2026-03-07T22:00:00Z', NY)).toBe('2026-03-09T14:00:00.000Z');
		expect(next('2026-03-07T23:00:00Z', CHI)).toBe('2026-03-09T15:00:00.000Z');
	});

	it('crosses fall back (2026-11-01): Monday 10:00 is EST, an hour later in UTC', () => {
		expect(next('2026-10-31T21:00:00Z', NY)).toBe('2026-11-02T15:00:00.000Z');
		expect(next('2026-10-30T14:00:00Z', NY)).toBe('2026-10-30T14:00:00.000Z');
	});

	it('skips wall times that do not exist on the spring-forward night', () => {
		const night = schedule({ sun: ['02:00-04:00'] });
		expect(next('2026-03-08T06:00:00Z', NY, night, [])).toBe('2026-03-08T07:00:00.000Z');
		expect(next('2026-03-08T06:30:00Z', NY, night, [])).toBe('2026-03-08T07:00:00.000Z');
	});

	it('allows both passes of the repeated hour on the fall-back night', () => {
		const night = schedule({ sun: ['01:00-02:00'] });
		expect(next('2026-11-01T05:30:00Z', NY, night, [])).toBe('2026-11-01T05:30:00.000Z');
		expect(next('2026-11-01T06:15:00Z', NY, night, [])).toBe('2026-11-01T06:15:00.000Z');
		expect(next('2026-11-01T07:00:00Z', NY, night, [])).toBe('2026-11-08T06:00:00.000Z');
	});

	it('never starts before the crusade and returns null after its end or with no windows', () => {
		const s = schedule(WEEKDAYS_10_19, '2026-03-10T00:00:00Z', '2026-03-12T00:00:00Z');
		expect(next('2026-03-02T15:00:00Z', NY, s)).toBe('2026-03-10T14:00:00.000Z');
		expect(next('2026-03-11T23:30:00Z', NY, s)).toBeNull();
		expect(next('2026-03-02T15:00:00Z', NY, schedule({}))).toBeNull();
		// A window that only exists before 08:00 is closed by the floor.
		expect(next('2026-03-02T15:00:00Z', NY, schedule({ mon: ['06:00-07:30'] }))).toBeNull();
	});

	it('looks more than a week ahead (a Saturday-only crusade skipping the 4th of July)', () => {
		const s = schedule({ sat: ['11:00-16:00'] }, '2026-06-01T00:00:00Z', '2026-08-01T00:00:00Z', true);
		expect(next('2026-06-27T21:00:00Z', NY, s)).toBe('2026-07-11T15:00:00.000Z');
	});

	it('skips holidays where a state closes them (Alabama, 2026-07-03 observed Independence Day)', () => {
		// Thursday 2 July after the window → Friday 3 July is a holiday, Saturday 4 July too, Sunday closed → Monday.
		expect(next('2026-07-03T01:00:00Z', CHI, schedule(WEEKDAYS_10_19), rulesFor(['AL']))).toBe('2026-07-06T15:00:00.000Z');
		expect(next('2026-07-03T01:00:00Z', CHI, schedule(WEEKDAYS_10_19), rulesFor(['IL']))).toBe('2026-07-03T15:00:00.000Z');
		expect(next('2026-07-03T01:00:00Z', CHI, schedule(WEEKDAYS_10_19, undefined, undefined, true), rulesFor([]))).toBe('2026-07-06T15:00:00.000Z');
	});
});

describe('several candidate zones', () => {
	it('allows only instants allowed in every zone: 10:00 Central to 19:00 Eastern', () => {
		const week = effectiveWindows(schedule({ wed: ['10:00-19:00'] }), rulesFor([]));
		const cal = allowedCalendar([NY, CHI], week, Date.parse('2026-06-03T00:00:00Z'), Date.parse('2026-06-04T12:00:00Z'));
		expect([...cal.bounds].map((x) => new Date(x).toISOString())).toEqual(['2026-06-03T15:00:00.000Z', '2026-06-03T23:00:00.000Z']);
		expect(next('2026-06-03T14:30:00Z', [NY, CHI])).toBe('2026-06-03T15:00:00.000Z');
	});

	it('keeps an unknown recipient to hours legal coast to coast (08:00 Pacific to 21:00 Eastern)', () => {
		const week = effectiveWindows(schedule({ wed: ['00:00-24:00'] }), [FEDERAL_RULE]);
		const cal = allowedCalendar(UNKNOWN_ZONES, week, Date.parse('2026-06-03T00:00:00Z'), Date.parse('2026-06-05T00:00:00Z'));
		expect([...cal.bounds].map((x) => new Date(x).toISOString())).toEqual(['2026-06-03T15:00:00.000Z', '2026-06-04T01:00:00.000Z']);
	});
});

describe('Calendar and CalendarBook', () => {
	it('answers the next allowed instant and the end of its interval', () => {
		const week = effectiveWindows(schedule({ mon: ['10:00-12:00', '14:00-16:00'] }), rulesFor([]));
		const cal = allowedCalendar(['UTC'], week, Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-03T00:00:00Z'));
		const t = (s: string) => Date.parse(`2026-03-02T${s}:00Z`);
		expect(cal.nextAllowed(t('09:00'))).toBe(t('10:00'));
		expect(cal.nextAllowed(t('11:00'))).toBe(t('11:00'));
		expect(cal.nextAllowed(t('12:00'))).toBe(t('14:00'));
		expect(cal.endAt(t('15:00'))).toBe(t('16:00'));
		expect(cal.nextAllowed(t('16:00'))).toBeNaN();
	});

	it('lays out one calendar per zones-and-rules pair', () => {
		const book = new CalendarBook(schedule(WEEKDAYS_10_19, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), Date.parse('2026-03-01T00:00:00Z'));
		const a = book.for([NY], rulesFor(['FL']));
		expect(book.for([NY], rulesFor(['FL']))).toBe(a);
		expect(book.for([NY], rulesFor([]))).not.toBe(a);
		// 4 full weeks + 2 days (Mon 30, Tue 31) of weekday windows and 4 Saturdays.
		expect(a.bounds.length / 2).toBe(22 + 4);
	});
});
