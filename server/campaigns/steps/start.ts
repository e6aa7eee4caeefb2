import { z } from 'zod';
import { defineStep, NEXT, type ActionProblem } from './define';

export interface StartAction {
	kind: 'start';
	problems: ActionProblem[];
}

/**
 * The one entry of a campaign: every lead of the audience begins here. A node of its own,
 * rather than "the node without incoming edges", so a loop back to the first message
 * cannot hide where the campaign starts.
 */
export const startStep = defineStep({
	type: 'start',
	label: 'Start',
	description: 'Where each lead of the audience enters the campaign.',
	icon: 'play',
	category: 'flow',
	fields: [],
	schema: z.object({}),
	outputs: () => [NEXT],
	compile: () => (): StartAction => ({ kind: 'start', problems: [] })
});
