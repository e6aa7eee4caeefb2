import { z } from 'zod';
import type { CampaignLead } from './lead';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABELS: Record<Weekday, string> = {
	mon: 'Monday',
	tue: 'Tuesday',
	wed: 'Wednesday',
	thu: 'Thursday',
	fri: 'Friday',
	sat: 'Saturday',
	sun: 'Sunday'
};

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM", 24-hour: compares correctly as a string, and is what `<input type="time">` gives. */
export const timeOfDaySchema = z.string().regex(TIME_OF_DAY, 'Use a time like 09:30.');

/**
 * Hours on some weekdays, in the lead's local time. Windows stay inside one day: quiet
 * hours forbid texting overnight anyway, and it keeps "is it open now" one comparison.
 */
export const weeklyWindowSchema = z
	.object({
		days: z.array(z.enum(WEEKDAYS)).min(1, 'Pick at least one day.').max(7),
		start: timeOfDaySchema,
		end: timeOfDaySchema
	})
	// zod still runs this after a format error; comparing "9am" would add a second, wrong message.
	.refine((window) => !TIME_OF_DAY.test(window.start) || !TIME_OF_DAY.test(window.end) || window.start < window.end, { error: 'The window must end after it starts, on the same day.', path: ['end'] });
export type WeeklyWindow = z.infer<typeof weeklyWindowSchema>;

/**
 * The first moment at or after `from` that falls inside `window` in the lead's local time,
 * or null when there is none (no time zone can be found for the lead). Time zones and DST
 * belong to the scheduling code; steps receive this function so they stay pure.
 */
export type NextWindowStart = (request: { lead: CampaignLead; window: WeeklyWindow; from: Date }) => Date | null;
