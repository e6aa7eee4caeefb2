import { z } from 'zod';
import { WEEKDAY_LABELS, WEEKDAYS, weeklyWindowSchema, type WeeklyWindow } from '../window';
import { defineStep, NEXT, type ActionProblem } from './define';
import { addMinutes, MINUTES_PER_DAY, minutesSchema } from './shared';

export const MAX_WAIT_MINUTES = 90 * MINUTES_PER_DAY;

export interface WaitAction {
	kind: 'wait';
	/** When the lead moves on; null when no such time exists (see problems). */
	until: Date | null;
	problems: ActionProblem[];
}

/**
 * Both modes keep their values in the document (switching back and forth loses nothing);
 * parsing keeps only the active one.
 */
const schema = z.discriminatedUnion('mode', [
	z.object({ mode: z.literal('duration'), minutes: minutesSchema(1, MAX_WAIT_MINUTES) }),
	z.object({ mode: z.literal('window'), window: weeklyWindowSchema })
]);

const DEFAULT_WINDOW: WeeklyWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' };

/**
 * Holds the lead for a time, or until the next opening of a weekly window in the lead's
 * local time ("until a weekday morning"). The only step a loop may pass through: it is
 * what keeps a cycle from texting a lead again at once.
 */
export const waitStep = defineStep({
	type: 'wait',
	label: 'Wait',
	description: 'Pause for a while, or until a time window in the lead’s local time.',
	icon: 'hourglass',
	category: 'timing',
	fields: [
		{
			name: 'mode',
			kind: 'select',
			label: 'Wait',
			options: [
				{ value: 'duration', label: 'For a length of time' },
				{ value: 'window', label: 'Until a time window' }
			],
			default: 'duration'
		},
		{
			name: 'minutes',
			kind: 'duration',
			label: 'How long',
			visibleWhen: { field: 'mode', equals: 'duration' },
			minMinutes: 1,
			maxMinutes: MAX_WAIT_MINUTES,
			default: MINUTES_PER_DAY
		},
		{
			name: 'window.days',
			kind: 'select',
			multiple: true,
			label: 'Days',
			visibleWhen: { field: 'mode', equals: 'window' },
			options: WEEKDAYS.map((day) => ({ value: day, label: WEEKDAY_LABELS[day] })),
			default: DEFAULT_WINDOW.days
		},
		{
			name: 'window.start',
			kind: 'time',
			label: 'From',
			help: 'In the lead’s local time. Quiet hours still apply when the message is sent.',
			visibleWhen: { field: 'mode', equals: 'window' },
			default: DEFAULT_WINDOW.start
		},
		{ name: 'window.end', kind: 'time', label: 'To', visibleWhen: { field: 'mode', equals: 'window' }, default: DEFAULT_WINDOW.end }
	],
	schema,
	outputs: () => [NEXT],
	compile: (config) => (lead, ctx): WaitAction => {
		if (config.mode === 'duration') return { kind: 'wait', until: addMinutes(ctx.now, config.minutes), problems: [] };
		const until = ctx.nextWindowStart({ lead, window: config.window, from: ctx.now });
		return until
			? { kind: 'wait', until, problems: [] }
			: { kind: 'wait', until: null, problems: [{ code: 'no_window', message: 'No time in this window could be found for this lead (is its time zone known?).' }] };
	}
});
