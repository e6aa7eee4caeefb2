import { describe, expect, it } from 'vitest';
import { isHoliday } from '../../server/crusades/holidays';
import { DayClock, dayNumber, HOUR, localDayOf, localSpanToUtc, offsetMinutes, startOfLocalDay, weekdayOf } from '../../server/crusades/zoned-time';

const NY = 'America/New_York';
const iso = (xs: number[]) => xs.map((x) => new Date(x).toISOString());
const at = (s: string) => Date.parse(s);

describe('zone offsets', () => {
	it('reads standard and daylight offsets from Intl', () => {
		expect(offsetMinutes(NY, at('2026-01-15T12:00:00Z'))).toBe(-300);
		expect(offsetMinutes(NY, at('2026-07-15T12:00:00Z'))).toBe(-240);
		expect(offsetMinutes('America/Phoenix', at('2026-07-15T12:00:00Z'))).toBe(-420);
		expect(offsetMinutes('America/Phoenix', at('2026-01-15T12:00:00Z'))).toBe(-420);
		expect(offsetMinutes('Asia/Kolkata', at('2026-01-15T12:00:00Z'))).toBe(330);
	});

	it('switches at 2:00 local on 2026-03-08 and 2026-11-01', () => {
		expect(offsetMinutes(NY, at('2026-03-08T06:59:00Z'))).toBe(-300);
		expect(offsetMinutes(NY, at('2026-03-08T07:00:00Z'))).toBe(-240);
		expect(offsetMinutes(NY, at('2026-11-01T05:59:00Z'))).toBe(-240);
		expect(offsetMinutes(NY, at('2026-11-01T06:00:00Z'))).toBe(-300);
	});
});

describe('calendar days', () => {
	it('numbers days and weekdays', () => {
		expect(weekdayOf(dayNumber(2026, 3, 8))).toBe(0);
		expect(weekdayOf(dayNumber(2026, 11, 1))).toBe(0);
		expect(weekdayOf(dayNumber(1970, 1, 1))).toBe(4);
		expect(weekdayOf(dayNumber(1969, 12, 31))).toBe(3);
	});

	it('finds the local day of an instant near midnight', () => {
		// 03:30 UTC on 9 March is still 8 March in Los Angeles.
		expect(localDayOf('America/Los_Angeles', at('2026-03-09T03:30:00Z'))).toBe(dayNumber(2026, 3, 8));
		expect(localDayOf(NY, at('2026-03-09T04:30:00Z'))).toBe(dayNumber(2026, 3, 9));
	});
});

describe('local spans to UTC', () => {
	it('maps an ordinary window with the day’s offset', () => {
		expect(iso(localSpanToUtc(NY, dayNumber(2026, 3, 9), 10 * 60, 19 * 60))).toEqual(['2026-03-09T14:00:00.000Z', '2026-03-09T23:00:00.000Z']);
		expect(iso(localSpanToUtc(NY, dayNumber(2026, 3, 6), 10 * 60, 19 * 60))).toEqual(['2026-03-06T15:00:00.000Z', '2026-03-07T00:00:00.000Z']);
	});

	it('spring forward: wall times in the gap do not exist, so a window starts at 03:00', () => {
		expect(iso(localSpanToUtc(NY, dayNumber(2026, 3, 8), 150, 210))).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-08T07:30:00.000Z']);
		expect(localSpanToUtc(NY, dayNumber(2026, 3, 8), 120, 180)).toEqual([]);
		const [s, e] = localSpanToUtc(NY, dayNumber(2026, 3, 8), 0, 1440);
		expect((e! - s!) / HOUR).toBe(23);
	});

	it('fall back: both passes of the repeated hour count', () => {
		expect(iso(localSpanToUtc(NY, dayNumber(2026, 11, 1), 60, 120))).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z']);
		expect(iso(localSpanToUtc(NY, dayNumber(2026, 11, 1), 90, 105))).toEqual([
			'2026-11-01T05:30:00.000Z',
			'2026-11-01T05:45:00.000Z',
			'2026-11-01T06:30:00.000Z',
			'2026-11-01T06:45:00.000Z'
		]);
		const [s, e] = localSpanToUtc(NY, dayNumber(2026, 11, 1), 0, 1440);
		expect((e! - s!) / HOUR).toBe(25);
	});

	it('handles every US zone’s change on the same dates, and Arizona’s lack of one', () => {
		for (const [zone, friday, monday] of [
			['America/Chicago', '2026-03-06T16:00:00.000Z', '2026-03-09T15:00:00.000Z'],
			['America/Denver', '2026-03-06T17:00:00.000Z', '2026-03-09T16:00:00.000Z'],
			['America/Los_Angeles', '2026-03-06T18:00:00.000Z', '2026-03-09T17:00:00.000Z'],
			['America/Phoenix', '2026-03-06T17:00:00.000Z', '2026-03-09T17:00:00.000Z']
		] as const) {
			expect(iso(localSpanToUtc(zone, dayNumber(2026, 3, 6), 600, 601))[0], zone).toBe(friday);
			expect(iso(localSpanToUtc(zone, dayNumber(2026, 3, 9), 600, 601))[0], zone).toBe(monday);
		}
	});

	it('handles a half-hour daylight change (Lord Howe) without special cases', () => {
		const [s, e] = localSpanToUtc('Australia/Lord_Howe', dayNumber(2026, 4, 5), 0, 1440);
		expect((e! - s!) / HOUR).toBe(24.5);
	});
});

describe('DayClock', () => {
	it('numbers days and finds their starts across a DST change', () => {
		const clock = new DayClock('America/Los_Angeles');
		expect(clock.dayOf(at('2026-03-08T07:59:00Z'))).toBe(dayNumber(2026, 3, 7));
		expect(clock.dayOf(at('2026-03-08T08:00:00Z'))).toBe(dayNumber(2026, 3, 8));
		expect(new Date(clock.startOf(dayNumber(2026, 3, 8))).toISOString()).toBe('2026-03-08T08:00:00.000Z');
		expect(new Date(clock.startOf(dayNumber(2026, 3, 9))).toISOString()).toBe('2026-03-09T07:00:00.000Z');
		expect(clock.startOf(dayNumber(2026, 3, 9))).toBe(startOfLocalDay('America/Los_Angeles', dayNumber(2026, 3, 9)));
	});
});

describe('US holidays', () => {
	it('knows the 2026 federal holidays and their observed days', () => {
		const days: [number, number][] = [
			[1, 1], [1, 19], [2, 16], [5, 25], [6, 19], [7, 3], [7, 4], [9, 7], [10, 12], [11, 11], [11, 26], [12, 25]
		];
		for (const [m, d] of days) expect(isHoliday(dayNumber(2026, m, d)), `2026-${m}-${d}`).toBe(true);
		expect(isHoliday(dayNumber(2026, 7, 6))).toBe(false);
		expect(isHoliday(dayNumber(2026, 11, 3))).toBe(false);
	});

	it('observes a Saturday New Year’s Day on the Friday before, in the old year', () => {
		expect(isHoliday(dayNumber(2027, 12, 31))).toBe(true);
		expect(isHoliday(dayNumber(2028, 1, 1))).toBe(true);
	});
});
