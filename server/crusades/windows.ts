import { isHoliday } from './holidays';
import type { QuietRule } from './quiet-hours';
import type { Schedule, Span } from './schedule';
import { DAY, localDayOf, localSpanToUtc, weekdayOf } from './zoned-time';

/**
 * Sending windows: the crusade's configured windows per weekday, cut down to the quiet-hours
 * floor of the rules that bind a recipient, then laid onto the calendar of the zones the
 * recipient may be in. When a recipient may be in more than one zone (an area code or zip that
 * straddles a zone line, or no location at all), an instant is allowed only if it is allowed in
 * every one of them: the most restrictive reading, which is the one that keeps us compliant.
 */

/** A configured window that a rule cut down, for the editor to show. */
export interface WindowClip {
	/** 0 = Sunday … 6 = Saturday. */
	weekday: number;
	configured: Span;
	/** What is left of it (empty when a rule closes the day). */
	effective: Span[];
	/** Ids of the rules that cut it ('US', 'FL', …). */
	by: string[];
}

export interface EffectiveWeek {
	/** Allowed local spans per weekday, index 0 = Sunday. */
	days: Span[][];
	clips: WindowClip[];
	/** Ids of what closes holidays: rules, and 'schedule' when the crusade skips them itself. */
	holidaysClosedBy: string[];
}

function intersect(pieces: readonly Span[], h: Span): Span[] {
	const out: Span[] = [];
	for (const p of pieces) {
		const start = Math.max(p.start, h.start);
		const end = Math.min(p.end, h.end);
		if (end > start) out.push({ start, end });
	}
	return out;
}

function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
	return a.length === b.length && a.every((s, i) => s.start === b[i]!.start && s.end === b[i]!.end);
}

/** Configured windows ∩ every rule's hours, with a report of each window a rule clipped. */
export function effectiveWindows(schedule: Schedule, rules: readonly QuietRule[]): EffectiveWeek {
	const days: Span[][] = [];
	const clips: WindowClip[] = [];
	for (let weekday = 0; weekday < 7; weekday++) {
		const allowed: Span[] = [];
		for (const configured of schedule.windows[weekday] ?? []) {
			let pieces: Span[] = [configured];
			const by: string[] = [];
			for (const rule of rules) {
				const h = rule.hours[weekday];
				const next = h ? intersect(pieces, h) : [];
				if (!sameSpans(next, pieces)) by.push(rule.id);
				pieces = next;
			}
			if (by.length > 0) clips.push({ weekday, configured, effective: pieces, by });
			allowed.push(...pieces);
		}
		days.push(allowed);
	}
	const holidaysClosedBy = rules.filter((r) => r.closedOnHolidays).map((r) => r.id);
	if (schedule.skipHolidays) holidaysClosedBy.push('schedule');
	return { days, clips, holidaysClosedBy };
}

/** Allowed UTC intervals, sorted and disjoint, as a flat [start0, end0, start1, end1, …]. */
export class Calendar {
	constructor(readonly bounds: Float64Array) {}

	get isEmpty(): boolean {
		return this.bounds.length === 0;
	}

	/** Index of the first interval that ends after `t`, or the interval count. */
	private find(t: number): number {
		let lo = 0;
		let hi = this.bounds.length / 2;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.bounds[mid * 2 + 1]! <= t) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** The first allowed instant at or after `t`, or NaN when there is none. */
	nextAllowed(t: number): number {
		const i = this.find(t);
		if (i * 2 >= this.bounds.length) return NaN;
		return Math.max(t, this.bounds[i * 2]!);
	}

	/** The end of the allowed interval holding `t` (`t` must be allowed). */
	endAt(t: number): number {
		return this.bounds[this.find(t) * 2 + 1] ?? NaN;
	}
}

function zoneIntervals(zone: string, week: EffectiveWeek, from: number, until: number): number[] {
	const out: number[] = [];
	const closesHolidays = week.holidaysClosedBy.length > 0;
	const last = localDayOf(zone, until);
	for (let day = localDayOf(zone, from); day <= last; day++) {
		const spans = week.days[weekdayOf(day)]!;
		if (spans.length === 0 || (closesHolidays && isHoliday(day))) continue;
		for (const span of spans) {
			const iv = localSpanToUtc(zone, day, span.start, span.end);
			for (let k = 0; k < iv.length; k += 2) {
				const s = Math.max(iv[k]!, from);
				const e = Math.min(iv[k + 1]!, until);
				if (e <= s) continue;
				const n = out.length;
				if (n > 0 && out[n - 1]! >= s) out[n - 1] = Math.max(out[n - 1]!, e);
				else out.push(s, e);
			}
		}
	}
	return out;
}

function intersectIntervals(a: readonly number[], b: readonly number[]): number[] {
	const out: number[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const s = Math.max(a[i]!, b[j]!);
		const e = Math.min(a[i + 1]!, b[j + 1]!);
		if (e > s) out.push(s, e);
		if (a[i + 1]! < b[j + 1]!) i += 2;
		else j += 2;
	}
	return out;
}

/** The instants in [from, until) allowed in every zone of `zones`. */
export function allowedCalendar(zones: readonly string[], week: EffectiveWeek, from: number, until: number): Calendar {
	if (zones.length === 0 || until <= from) return new Calendar(new Float64Array(0));
	let acc = zoneIntervals(zones[0]!, week, from, until);
	for (let z = 1; z < zones.length && acc.length > 0; z++) acc = intersectIntervals(acc, zoneIntervals(zones[z]!, week, from, until));
	return new Calendar(Float64Array.from(acc));
}

/**
 * The first instant at or after `nowUtc` (and the crusade's start) at which a message may go to
 * a recipient in `zone` (or in every one of several zones), before the crusade's end; null
 * when there is none. Looks a week at a time, so a near slot costs little.
 */
export function nextSlot(nowUtc: Date, zone: string | readonly string[], schedule: Schedule, rules: readonly QuietRule[]): Date | null {
	const zones = typeof zone === 'string' ? [zone] : zone;
	const week = effectiveWindows(schedule, rules);
	if (week.days.every((d) => d.length === 0)) return null;
	for (let from = Math.max(nowUtc.getTime(), schedule.startsAt); from < schedule.endsAt; from += 7 * DAY) {
		const cal = allowedCalendar(zones, week, from, Math.min(from + 7 * DAY, schedule.endsAt));
		if (!cal.isEmpty) return new Date(cal.bounds[0]!);
	}
	return null;
}

/**
 * Calendars for a whole audience, one per distinct (zones, rules) pair: a million leads fall into
 * a few dozen such pairs, so the dry-run lays out each calendar once.
 */
export class CalendarBook {
	private readonly weeks = new Map<string, EffectiveWeek>();
	private readonly calendars = new Map<string, Calendar>();

	constructor(
		readonly schedule: Schedule,
		readonly fromMs: number
	) {}

	for(zones: readonly string[], rules: readonly QuietRule[]): Calendar {
		const ruleKey = rules.map((r) => r.id).join(',');
		const key = `${zones.join(',')}|${ruleKey}`;
		let cal = this.calendars.get(key);
		if (!cal) {
			let week = this.weeks.get(ruleKey);
			if (!week) {
				week = effectiveWindows(this.schedule, rules);
				this.weeks.set(ruleKey, week);
			}
			cal = allowedCalendar(zones, week, Math.max(this.fromMs, this.schedule.startsAt), this.schedule.endsAt);
			this.calendars.set(key, cal);
		}
		return cal;
	}
}
