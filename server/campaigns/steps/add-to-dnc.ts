import { z } from 'zod';
import { defineStep, NEXT, type ActionProblem } from './define';

export interface DncAction {
	kind: 'dnc';
	/** The phone this campaign texts; null when the lead has none (see problems). */
	phone: string | null;
	reason: string;
	problems: ActionProblem[];
}

const DEFAULT_REASON = 'Asked not to be contacted (campaign reply)';

const schema = z.object({
	reason: z.string().trim().min(1, 'Say why, for the compliance record.').max(200).default(DEFAULT_REASON)
});

/**
 * Puts the lead's phone on the workspace's do-not-contact list, with a reason for the
 * record. Nothing after it may text the lead: the graph check refuses a send downstream.
 */
export const addToDncStep = defineStep({
	type: 'add_to_dnc',
	label: 'Add to do-not-contact',
	description: 'Block the lead’s phone from every campaign in this workspace.',
	icon: 'ban',
	category: 'lead',
	fields: [{ name: 'reason', kind: 'text', label: 'Reason', help: 'Kept with the entry, for the compliance record.', required: true, maxLength: 200, default: DEFAULT_REASON }],
	schema,
	outputs: () => [NEXT],
	compile: (config) => (lead): DncAction =>
		lead.phone
			? { kind: 'dnc', phone: lead.phone, reason: config.reason, problems: [] }
			: { kind: 'dnc', phone: null, reason: config.reason, problems: [{ code: 'no_phone', message: 'This lead has no phone to block.' }] }
});
