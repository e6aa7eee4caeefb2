import { z } from 'zod';
import { tagSchema } from '../../leads/tags';
import { defineStep, NEXT, type ActionProblem } from './define';

export interface TagAction {
	kind: 'tag';
	/** Only the changes: tags the lead lacks (add) or has (remove), so a re-run is a no-op. */
	add: string[];
	remove: string[];
	problems: ActionProblem[];
}

const schema = z.object({
	action: z.enum(['add', 'remove']).default('add'),
	// The same rule as tagging from the leads table, so a tag made here can be filtered there.
	tags: z.array(tagSchema).min(1, 'Add a tag.').max(10, 'At most 10 tags per step.')
});

/** Adds or removes tags on the lead, e.g. "interested" after a positive reply. */
export const tagLeadStep = defineStep({
	type: 'tag_lead',
	label: 'Tag lead',
	description: 'Add or remove tags on the lead, for filters and later campaigns.',
	icon: 'tag',
	category: 'lead',
	fields: [
		{
			name: 'action',
			kind: 'select',
			label: 'Action',
			options: [
				{ value: 'add', label: 'Add tags' },
				{ value: 'remove', label: 'Remove tags' }
			],
			default: 'add'
		},
		{ name: 'tags', kind: 'keywords', label: 'Tags', required: true, maxItems: 10, maxLength: 50, default: [] }
	],
	schema,
	outputs: () => [NEXT],
	compile: (config) => (lead): TagAction => {
		const has = new Set(lead.tags ?? []);
		const tags = [...new Set(config.tags)];
		return config.action === 'add'
			? { kind: 'tag', add: tags.filter((tag) => !has.has(tag)), remove: [], problems: [] }
			: { kind: 'tag', add: [], remove: tags.filter((tag) => has.has(tag)), problems: [] };
	}
});
