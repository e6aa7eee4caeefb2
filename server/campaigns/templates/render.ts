import type { CampaignLead, SenderContext } from '../lead';
import { getMergeField } from './merge-fields';
import type { ParsedTemplate, TemplateNode } from './parse';
import { createPicker } from './spintax';

/** Why one lead's text is not right, with the template span to point at. */
export interface RenderProblem {
	code: 'missing_value' | 'unknown_merge_field';
	key: string;
	message: string;
	start: number;
	end: number;
}

export interface RenderedTemplate {
	text: string;
	/** The options picked, in order ("2.0.1"; "" without spintax): what the dry-run shows. */
	variant: string;
	/** Empty when the text is complete; the text is still rendered (blanks for the gaps). */
	problems: RenderProblem[];
}

/**
 * One lead's text. `seed` comes from `variantSeed(stepId, leadId)`, so the same lead gets
 * the same variant in the preview, the dry-run and the send. Never throws for a lead's
 * data: a missing value without a fallback is a problem in the result, not an exception,
 * so one bad row cannot stop a million-lead dry-run.
 */
export function renderTemplate(template: ParsedTemplate, lead: CampaignLead, sender: SenderContext, seed: number): RenderedTemplate {
	const pick = createPicker(seed);
	const choices: number[] = [];
	const problems: RenderProblem[] = [];
	let text = '';

	const visit = (nodes: readonly TemplateNode[]) => {
		for (const node of nodes) {
			if (node.kind === 'text') text += node.value;
			else if (node.kind === 'spin') {
				const index = pick(node.options.length);
				choices.push(index);
				visit(node.options[index] as TemplateNode[]);
			} else {
				const field = getMergeField(node.key);
				const value = field ? field.read(lead, sender) : null;
				if (value !== null) text += value;
				else if (node.fallback !== null) text += node.fallback;
				else
					problems.push({
						code: field ? 'missing_value' : 'unknown_merge_field',
						key: node.key,
						start: node.start,
						end: node.end,
						message: field
							? `No ${field.label.toLowerCase()} for this lead, and {{${node.key}}} has no fallback (write {{${node.key}|…}}).`
							: `Unknown merge field {{${node.key}}}.`
					});
			}
		}
	};
	visit(template.nodes);
	return { text, variant: choices.join('.'), problems };
}
