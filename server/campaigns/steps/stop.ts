import { z } from 'zod';
import { defineStep, type ActionProblem } from './define';

export interface StopAction {
	kind: 'stop';
	problems: ActionProblem[];
}

/**
 * Ends the campaign for the lead. A lead that reaches a node with nothing after it stops
 * too; this step says so on the canvas, and has no way out.
 */
export const stopStep = defineStep({
	type: 'stop',
	label: 'Stop',
	description: 'End the campaign for this lead.',
	icon: 'octagon-x',
	category: 'flow',
	fields: [],
	schema: z.object({}),
	outputs: () => [],
	compile: () => (): StopAction => ({ kind: 'stop', problems: [] })
});
