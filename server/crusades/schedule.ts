import { z } from 'zod';

/**
 * A crusade's schedule: when it runs and its sending windows per weekday, in the recipient's
 * local time. The document holds "HH:MM" strings (what people type); the scheduling code works
 * on minutes of the day and UTC milliseconds.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes of a local day, start inclusive, end exclusive (0–1440). */
export interface Span {
	start: number;
	end: number;
}

export interface Schedule {
	startsAt: number;
	endsAt: number;
	/** Windows per weekday, index 0 = Sunday; sorted, not overlapping. */
	windows: readonly (readonly Span[])[];
	/** Skip US holidays even where no state rule asks for it. */
	skipHolidays: boolean;
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function parseTimeOfDay(text: string): number {
	if (!TIME.test(text)) throw new Error(`"${text}" is not a time of day (HH:MM)`);
	return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

export function formatTimeOfDay(minutes: number): string {
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export const timeOfDaySchema = z.string().regex(TIME, 'expected a 24-hour time such as 09:30');

export const spanSchema = z
	.object({ start: timeOfDaySchema, end: timeOfDaySchema })
	// zod runs this even when a time failed its own check; that failure is already reported.
	.refine((s) => !TIME.test(s.start) || !TIME.test(s.end) || parseTimeOfDay(s.start) < parseTimeOfDay(s.end), {
		message: 'a window must end after it starts',
		path: ['end']
	});

const dayWindows = z.array(spanSchema).max(6).default([]);

export const scheduleSchema = z
	.object({
		startsAt: z.iso.datetime({ offset: true }),
		endsAt: z.iso.datetime({ offset: true }),
		windows: z.object({ sun: dayWindows, mon: dayWindows, tue: dayWindows, wed: dayWindows, thu: dayWindows, fri: dayWindows, sat: dayWindows }),
		skipHolidays: z.boolean().default(false)
	})
	.refine((s) => !(Date.parse(s.endsAt) <= Date.parse(s.startsAt)), { message: 'the crusade must end after it starts', path: ['endsAt'] });

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type ScheduleDoc = z.output<typeof scheduleSchema>;

/** Sorts and merges spans, so overlapping windows typed by two editors count once. */
export function normalizeSpans(spans: readonly Span[]): Span[] {
	const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
	const out: Span[] = [];
	for (const s of sorted) {
		const last = out[out.length - 1];
		if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
		else out.push({ start: s.start, end: s.end });
	}
	return out;
}

export function toSchedule(doc: ScheduleDoc): Schedule {
	return {
		startsAt: Date.parse(doc.startsAt),
		endsAt: Date.parse(doc.endsAt),
		windows: WEEKDAYS.map((d) => normalizeSpans(doc.windows[d].map((w) => ({ start: parseTimeOfDay(w.start), end: parseTimeOfDay(w.end) })))),
		skipHolidays: doc.skipHolidays
	};
}
