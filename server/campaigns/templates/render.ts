import type { CampaignLead, SenderContext } from '../lead';
import { getMergeField } from './merge-fields';
import type { ParsedTemplate, TemplateNode } from './parse';
import { nextPickState, pickAt } from './spintax';

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

/** What one render builds up as it walks the nodes (one object per lead, no closures). */
interface RenderState {
	text: string;
	variant: string;
	picks: number;
	/** mulberry32's state (spintax.ts), advanced once per spin. */
	pick: number;
	problems: RenderProblem[];
}

function renderNodes(nodes: readonly TemplateNode[], lead: CampaignLead, sender: SenderContext, r: RenderState): void {
	for (let i = 0; i < nodes.length; i++) {
		const node = nodes[i]!;
		if (node.kind === 'text') r.text += node.value;
		else if (node.kind === 'spin') {
			r.pick = nextPickState(r.pick);
			const index = pickAt(r.pick, node.options.length);
			// The options picked joined with dots, as `choices.join('.')` would.
			r.variant = r.picks++ === 0 ? String(index) : `${r.variant}.${index}`;
			renderNodes(node.options[index]!, lead, sender, r);
		} else {
			const field = getMergeField(node.key);
			const value = field ? field.read(lead, sender) : null;
			if (value !== null) r.text += value;
			else if (node.fallback !== null) r.text += node.fallback;
			else
				r.problems.push({
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
}

/**
 * One lead's text. `seed` comes from `variantSeed(stepId, leadId)`, so the same lead gets
 * the same variant in the preview, the dry-run and the send (the picks are `createPicker`'s).
 * Never throws for a lead's data: a missing value without a fallback is a problem in the
 * result, not an exception, so one bad row cannot stop a million-lead dry-run.
 */
export function renderTemplate(template: ParsedTemplate, lead: CampaignLead, sender: SenderContext, seed: number): RenderedTemplate {
	const r: RenderState = { text: '', variant: '', picks: 0, pick: seed >>> 0, problems: [] };
	renderNodes(template.nodes, lead, sender, r);
	return { text: r.text, variant: r.variant, problems: r.problems };
}
