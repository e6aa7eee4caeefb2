import { z } from 'zod';
import { budgetsSchema } from '../crusades/budgets';
import { stateRuleEditSchema } from '../crusades/quiet-hours';
import { scheduleSchema } from '../crusades/schedule';
import { leadFilterSchema } from '../leads/filter';
import { senderNumberSchema } from '../numbers/sender-number';

/**
 * What a dry-run needs, as plain values: the crusade's schedule, budgets and state-rule edits,
 * each campaign's audience and first send step, the vertical and the sender pool. A published
 * crusade version (owned by the campaigns domain) maps onto this; until then callers and tests
 * build it directly. Stored on the `dry_runs` row, so a run can be replayed exactly.
 */
export const dryRunCampaignSchema = z.object({
	/** The campaign's id (document uuid or any stable key); the variant seed and CSV column. */
	id: z.string().trim().min(1).max(100),
	name: z.string().trim().max(200).default(''),
	channel: z.enum(['sms', 'mms']).default('sms'),
	/** A saved lead filter's value (`leadFilterSchema`), not its id: a version freezes it. */
	audience: leadFilterSchema,
	/** The campaign's first send step (a `send_message` node of the step registry). */
	firstStep: z.object({ id: z.string().min(1).max(100), type: z.literal('send_message'), config: z.record(z.string(), z.unknown()) }),
	senderName: z.string().max(100).nullish(),
	companyName: z.string().max(100).nullish(),
	/** The campaign's vertical, whose retext cooldown its sends keep; the run's `vertical` when absent. */
	vertical: z.string().trim().min(1).max(60).optional()
});

export const dryRunInputSchema = z.object({
	/** What it came from ("crusade:<uuid>@<version hash>", or "draft"), shown with the run. */
	source: z.string().trim().max(200).default('draft'),
	schedule: scheduleSchema,
	budgets: budgetsSchema.prefault({}),
	stateRules: z.array(stateRuleEditSchema).max(60).default([]),
	vertical: z.string().trim().min(1).max(60).default('general'),
	/** Block leads whose consent basis is 'none' (the workspace's policy; on unless said otherwise). */
	requireConsent: z.boolean().default(true),
	/** A lead is texted by the first campaign whose audience holds it (one crusade, one first text). */
	campaigns: z.array(dryRunCampaignSchema).min(1).max(50),
	senders: z.array(z.object({ id: z.string().min(1).max(100) }).and(senderNumberSchema)).max(10_000),
	/** The jitter and variant seed: a version hash makes two runs of one version identical. */
	seed: z.string().min(1).max(200).default('dry-run'),
	/** "Now" for the run: nothing is scheduled before it (defaults to the job's start). */
	now: z.iso.datetime({ offset: true }).optional()
});

export type DryRunInput = z.input<typeof dryRunInputSchema>;
export type DryRunConfig = z.output<typeof dryRunInputSchema>;

/**
 * Every reason a lead can be blocked for, in the order they are listed. SQL decides the first
 * four (set-based), Node the rest; `REASON_TEXT` words them for the explanation and the CSV.
 */
export const DRY_RUN_REASONS = [
	'dnc',
	'no_consent',
	'no_phone',
	'invalid_phone',
	'landline',
	'no_sender',
	'missing_merge_value',
	'too_many_segments',
	'too_long',
	'outside_window',
	'cooldown',
	'throttle',
	'sender_daily_cap',
	'brand_daily_cap'
] as const;
export type DryRunReason = (typeof DRY_RUN_REASONS)[number];

export const REASON_TEXT: Record<DryRunReason, string> = {
	dnc: 'The phone is on the do-not-contact list.',
	no_consent: 'The lead has no consent basis (consent "none"), and this workspace requires one.',
	no_phone: 'The lead has no phone number.',
	invalid_phone: 'The phone is not a valid US mobile-capable number (10DLC sends to US numbers only).',
	landline: 'The phone is a landline; landlines cannot receive texts.',
	no_sender: 'No active sender number in the pool has budget for this lead.',
	missing_merge_value: 'A merge field in the message has no value for this lead and no fallback.',
	too_many_segments: "The lead's message needs more segments than the step allows.",
	too_long: "The lead's message is longer than providers accept.",
	outside_window: "No sending window in the recipient's local time (after quiet hours and state rules) before the crusade ends.",
	cooldown: 'A recent message to this phone keeps it in the retext cooldown until after the crusade ends.',
	throttle: "The sender's or 10DLC campaign's per-minute throttle has no room before the crusade ends.",
	sender_daily_cap: "The sender number's daily cap is used up on every remaining day.",
	brand_daily_cap: "The 10DLC brand's daily cap is used up on every remaining day."
};
