import { z } from 'zod';
import { parseTemplate } from '../templates/parse';
import { renderTemplate } from '../templates/render';
import { variantSeed } from '../templates/spintax';
import { defineStep, NEXT, type ActionProblem, type FieldIssue } from './define';
import { templateFieldIssues } from './shared';

export interface NotifyAction {
	kind: 'notify';
	memberId: string;
	message: string;
	problems: ActionProblem[];
}

const schema = z.object({
	memberId: z.uuid({ error: 'Choose a teammate.' }),
	message: z.string().trim().min(1, 'Write what the teammate should know.').max(500)
});

/**
 * Tells a teammate about the lead (a hot reply, a request to call) in the app. The note is
 * a template too, so it can name the lead: {{full_name}} at {{property_address}} replied.
 */
export const notifyTeammateStep = defineStep({
	type: 'notify_teammate',
	label: 'Notify a teammate',
	description: 'Send a teammate a note about this lead in Muster.',
	icon: 'bell',
	category: 'team',
	fields: [
		{ name: 'memberId', kind: 'member', label: 'Teammate', required: true },
		{
			name: 'message',
			kind: 'textarea',
			template: true,
			label: 'Note',
			help: 'Merge fields name the lead, e.g. {{full_name}} at {{property_address}}.',
			required: true,
			maxLength: 500,
			rows: 3,
			default: '{{full_name|A lead}} replied to the campaign.'
		}
	],
	schema,
	outputs: () => [NEXT],
	check(config, ctx) {
		const issues: FieldIssue[] = templateFieldIssues('message', parseTemplate(config.message));
		if (ctx.memberIds && !ctx.memberIds.includes(config.memberId)) {
			issues.push({ field: 'memberId', severity: 'error', code: 'not_a_member', message: 'This teammate is no longer in the workspace.' });
		}
		return issues;
	},
	compile(config) {
		const template = parseTemplate(config.message);
		return (lead, ctx): NotifyAction => {
			const rendered = renderTemplate(template, lead, ctx.sender, variantSeed(ctx.stepId, lead.id));
			return { kind: 'notify', memberId: config.memberId, message: rendered.text, problems: rendered.problems };
		};
	}
});
