import { dayNumber, weekdayOf } from './zoned-time';

/**
 * US federal holidays (5 U.S.C. § 6103), as day numbers. State rules that forbid solicitation
 * "on legal holidays" mean each state's own list; the federal list stands in for those until a
 * state's list is entered, which is one of the things the quiet-hours table asks counsel to
 * verify. Both the date itself and its observed weekday (Saturday → Friday before, Sunday →
 * Monday after) count, because a rule may mean either.
 */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
	const first = dayNumber(year, month, 1);
	return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, weekday: number): number {
	const last = dayNumber(year, month + 1, 1) - 1;
	return last - ((weekdayOf(last) - weekday + 7) % 7);
}

const MON = 1;
const THU = 4;

function federalHolidays(year: number): Set<number> {
	const fixed = [dayNumber(year, 1, 1), dayNumber(year, 6, 19), dayNumber(year, 7, 4), dayNumber(year, 11, 11), dayNumber(year, 12, 25)];
	const floating = [
		nthWeekday(year, 1, MON, 3), // Birthday of Martin Luther King, Jr.
		nthWeekday(year, 2, MON, 3), // Washington's Birthday
		lastWeekday(year, 5, MON), // Memorial Day
		nthWeekday(year, 9, MON, 1), // Labor Day
		nthWeekday(year, 10, MON, 2), // Columbus Day
		nthWeekday(year, 11, THU, 4) // Thanksgiving Day
	];
	const days = new Set<number>([...fixed, ...floating]);
	for (const d of fixed) {
		const w = weekdayOf(d);
		if (w === 6) days.add(d - 1);
		if (w === 0) days.add(d + 1);
	}
	return days;
}

const byYear = new Map<number, Set<number>>();

/** Whether local day `day` is a US federal holiday or its observed weekday. */
export function isHoliday(day: number): boolean {
	const year = new Date(day * 86_400_000).getUTCFullYear();
	let set = byYear.get(year);
	if (!set) {
		set = federalHolidays(year);
		// New Year's Day on a Saturday is observed on Friday, 31 December of the year before.
		const next = dayNumber(year + 1, 1, 1);
		if (weekdayOf(next) === 6) set.add(next - 1);
		byYear.set(year, set);
	}
	return set.has(day);
}
