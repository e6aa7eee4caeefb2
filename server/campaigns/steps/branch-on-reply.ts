import { z } from 'zod';
import { defineStep, type ActionProblem, type StepOutput } from './define';
import { addMinutes, formatMinutes, MINUTES_PER_DAY, minutesSchema } from './shared';

export const OTHER_REPLY = 'other';
export const NO_REPLY = 'no_reply';
export const MAX_BRANCHES = 8;

/**
 * Replies the compliance layer answers before any campaign sees them: the opt-out words
 * providers honour by default (Twilio: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * REVOKE, OPTOUT), HELP/INFO and the opt-in words. A branch on them would never fire.
 * YES is left to campaigns: providers treat it as opt-in only from an opted-out phone.
 */
export const RESERVED_REPLY_KEYWORDS = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout', 'help', 'info', 'start', 'unstop'];

/** Lower case, punctuation to spaces: "Yes!!" and "yes" are the same answer. */
export function normaliseReply(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

const branchSchema = z.object({
	/** Stable across renames, so edges stay connected: the form makes it, nobody types it. */
	id: z.string().min(1).max(40),
	label: z.string().trim().min(1, 'Name this branch.').max(40),
	keywords: z
		.array(z.string().trim().min(1).max(40))
		.min(1, 'Add at least one keyword.')
		.max(20)
});

const schema = z
	.object({
		branches: z.array(branchSchema).max(MAX_BRANCHES, `At most ${MAX_BRANCHES} branches.`),
		/** null: wait for a reply for as long as it takes. */
		noReplyAfterMinutes: minutesSchema(5, 30 * MINUTES_PER_DAY).nullable().default(null)
	})
	.superRefine((config, ctx) => {
		const ids = new Set<string>();
		const labels = new Set<string>();
		const owners = new Map<string, string>();
		config.branches.forEach((branch, i) => {
			if (ids.has(branch.id) || branch.id === OTHER_REPLY || branch.id === NO_REPLY) ctx.addIssue({ code: 'custom', path: ['branches', i, 'id'], message: 'Branch ids must be unique.' });
			ids.add(branch.id);
			if (labels.has(branch.label.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['branches', i, 'label'], message: `Another branch is already called “${branch.label}”.` });
			labels.add(branch.label.toLowerCase());
			for (const keyword of branch.keywords) {
				const key = normaliseReply(keyword);
				const path = ['branches', i, 'keywords'];
				if (key === '') ctx.addIssue({ code: 'custom', path, message: `“${keyword}” has no letters or digits to match.` });
				else if (RESERVED_REPLY_KEYWORDS.includes(key))
					ctx.addIssue({ code: 'custom', path, message: `${keyword.toUpperCase()} is answered by opt-out and help handling before any branch.` });
				else if (owners.has(key)) ctx.addIssue({ code: 'custom', path, message: `“${keyword}” is already a keyword of ${owners.get(key)}.` });
				owners.set(key, branch.label ? `“${branch.label}”` : 'another branch');
			}
		});
	});

export type BranchOnReplyConfig = z.output<typeof schema>;

export interface AwaitReplyAction {
	kind: 'await_reply';
	/** When a lead that has not replied leaves by "no reply"; null waits indefinitely. */
	until: Date | null;
	routes: { output: string; keywords: string[] }[];
	problems: ActionProblem[];
}

/** A reply's words contain the keyword's words in a row: "yes please" matches "yes". */
function mentions(reply: string, keyword: string): boolean {
	return ` ${reply} `.includes(` ${keyword} `);
}

/** The output a reply leaves by: the first branch with a matching keyword, else "other". */
export function routeReply(config: BranchOnReplyConfig, reply: string): string {
	const text = normaliseReply(reply);
	const hit = config.branches.find((branch) => branch.keywords.some((keyword) => mentions(text, normaliseReply(keyword))));
	return hit?.id ?? OTHER_REPLY;
}

/** Read leniently: the canvas draws handles from a config that may be half-filled. */
function outputs(config: unknown): StepOutput[] {
	const raw = (config ?? {}) as { branches?: unknown; noReplyAfterMinutes?: unknown };
	const branches = Array.isArray(raw.branches) ? raw.branches : [];
	const result: StepOutput[] = [];
	for (const branch of branches as { id?: unknown; label?: unknown }[]) {
		if (typeof branch?.id === 'string' && branch.id !== '') result.push({ id: branch.id, label: typeof branch.label === 'string' && branch.label.trim() ? branch.label.trim() : 'Unnamed branch' });
	}
	result.push({ id: OTHER_REPLY, label: result.length ? 'Any other reply' : 'Any reply' });
	if (typeof raw.noReplyAfterMinutes === 'number') result.push({ id: NO_REPLY, label: `No reply after ${formatMinutes(raw.noReplyAfterMinutes)}` });
	return result;
}

/**
 * Waits for the lead's reply and sends it down the branch whose keywords it mentions, any
 * other reply down "other", and, with a time limit, silence down "no reply".
 */
export const branchOnReplyStep = defineStep({
	type: 'branch_on_reply',
	label: 'Branch on reply',
	description: 'Route the lead by what they reply, or by their silence after a while.',
	icon: 'split',
	category: 'logic',
	fields: [
		{
			name: 'branches',
			kind: 'list',
			label: 'Branches',
			itemLabel: 'Branch',
			help: 'Checked in order; the first branch whose keyword appears in the reply wins.',
			minItems: 0,
			maxItems: MAX_BRANCHES,
			itemId: 'id',
			fields: [
				{ name: 'label', kind: 'text', label: 'Name', maxLength: 40, required: true, default: '' },
				{ name: 'keywords', kind: 'keywords', label: 'Keywords', help: 'Case and punctuation are ignored.', maxItems: 20, maxLength: 40, required: true, default: [] }
			],
			default: [{ id: 'interested', label: 'Interested', keywords: ['yes', 'interested'] }]
		},
		{
			name: 'noReplyAfterMinutes',
			kind: 'duration',
			label: 'No reply after',
			help: 'Leave empty to wait for a reply for as long as it takes.',
			minMinutes: 5,
			maxMinutes: 30 * MINUTES_PER_DAY,
			default: 2 * MINUTES_PER_DAY
		}
	],
	schema,
	outputs,
	compile: (config) => (_lead, ctx): AwaitReplyAction => ({
		kind: 'await_reply',
		until: config.noReplyAfterMinutes === null ? null : addMinutes(ctx.now, config.noReplyAfterMinutes),
		routes: config.branches.map((branch) => ({ output: branch.id, keywords: branch.keywords })),
		problems: []
	})
});
