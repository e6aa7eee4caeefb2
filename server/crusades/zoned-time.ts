/**
 * Wall-clock arithmetic in IANA zones with nothing but `Intl` (Node ships full ICU and its
 * tz database, updated with Node releases), so no date library is needed.
 *
 * Times are UTC milliseconds; a local "day number" is days since 1970-01-01 on the wall
 * calendar of a zone; minutes of a day run 0–1440. Assumptions, true of every US zone and of
 * every zone in use today: offsets are whole minutes, and a zone changes its offset at most
 * once in any 62 hours (so at most once around a local day).
 */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(zone, f);
	}
	return f;
}

/** Whether `zone` is an IANA zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
	try {
		formatter(zone);
		return true;
	} catch {
		return false;
	}
}

/** Local time minus UTC, in minutes, at instant `ms` (e.g. −300 for New York in winter). */
export function offsetMinutes(zone: string, ms: number): number {
	let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
	for (const p of formatter(zone).formatToParts(ms)) {
		if (p.type === 'year') y = +p.value;
		else if (p.type === 'month') mo = +p.value;
		else if (p.type === 'day') d = +p.value;
		else if (p.type === 'hour') h = +p.value;
		else if (p.type === 'minute') mi = +p.value;
		else if (p.type === 'second') s = +p.value;
	}
	const whole = Math.floor(ms / 1000) * 1000;
	return Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - whole) / MINUTE);
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
	return (((day + 4) % 7) + 7) % 7;
}

/** The day number of a calendar date (month 1–12). */
export function dayNumber(year: number, month: number, day: number): number {
	return Math.floor(Date.UTC(year, month - 1, day) / DAY);
}

/** The local day number in `zone` at instant `ms`. */
export function localDayOf(zone: string, ms: number): number {
	return Math.floor((ms + offsetMinutes(zone, ms) * MINUTE) / DAY);
}

/**
 * The UTC intervals whose local wall time in `zone` lies on day `day` between minute `from`
 * (inclusive) and minute `to` (exclusive). Across a spring-forward gap the missing wall times
 * simply have no instants (a window 02:30–03:30 starts at 03:00); across a fall-back repeat
 * both passes of the repeated hour count (a window 01:00–02:00 lasts two hours). Returns a flat
 * list [start0, end0, start1, end1, …], at most two intervals, sorted and merged.
 */
export function localSpanToUtc(zone: string, day: number, from: number, to: number): number[] {
	if (to <= from) return [];
	const base = day * DAY;
	// Any zone's local day lies inside [base − 14 h, base + 24 h + 12 h] in UTC.
	const lo = base - 14 * HOUR;
	const hi = base + DAY + 12 * HOUR;
	const offLo = offsetMinutes(zone, lo);
	const offHi = offsetMinutes(zone, hi);
	if (offLo === offHi) return [base + (from - offLo) * MINUTE, base + (to - offLo) * MINUTE];
	const change = transitionBetween(zone, lo, hi, offHi);
	const out: number[] = [];
	pushClipped(out, base + (from - offLo) * MINUTE, base + (to - offLo) * MINUTE, lo, change);
	pushClipped(out, base + (from - offHi) * MINUTE, base + (to - offHi) * MINUTE, change, hi);
	return out;
}

/** The first whole minute in (lo, hi] at which the offset is already `after`. */
function transitionBetween(zone: string, lo: number, hi: number, after: number): number {
	let a = Math.floor(lo / MINUTE);
	let b = Math.ceil(hi / MINUTE);
	while (b - a > 1) {
		const mid = Math.floor((a + b) / 2);
		if (offsetMinutes(zone, mid * MINUTE) === after) b = mid;
		else a = mid;
	}
	return b * MINUTE;
}

function pushClipped(out: number[], start: number, end: number, lo: number, hi: number): void {
	const s = Math.max(start, lo);
	const e = Math.min(end, hi);
	if (e <= s) return;
	const n = out.length;
	if (n > 0 && out[n - 1]! >= s) out[n - 1] = Math.max(out[n - 1]!, e);
	else out.push(s, e);
}

/** The instant local day `day` begins in `zone` (its first existing wall-clock minute). */
export function startOfLocalDay(zone: string, day: number): number {
	return localSpanToUtc(zone, day, 0, 1440)[0] ?? day * DAY;
}

/**
 * Day numbers and day starts in one zone, remembered: offsets are looked up once per
 * quarter hour (every offset change happens on a quarter hour), so bulk callers such as the
 * allocator's daily caps pay for `Intl` rarely.
 */
export class DayClock {
	private readonly offsets = new Map<number, number>();
	private readonly starts = new Map<number, number>();

	constructor(readonly zone: string) {}

	dayOf(ms: number): number {
		const q = Math.floor(ms / (15 * MINUTE));
		let off = this.offsets.get(q);
		if (off === undefined) {
			off = offsetMinutes(this.zone, q * 15 * MINUTE);
			this.offsets.set(q, off);
		}
		return Math.floor((ms + off * MINUTE) / DAY);
	}

	startOf(day: number): number {
		let s = this.starts.get(day);
		if (s === undefined) {
			s = startOfLocalDay(this.zone, day);
			this.starts.set(day, s);
		}
		return s;
	}
}
