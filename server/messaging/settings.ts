import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client';
import { messagingSettings as settingsTable } from '../../db/schema/messaging';
import { DEFAULT_OPT_OUT_POLICY, optOutPolicySchema, type OptOutPolicy } from '../campaigns/templates/opt-out';

/**
 * A workspace's messaging policy, read by campaigns (opt-out check, `{{sender_name}}` and
 * `{{company_name}}` defaults) and the dry-run (consent). A workspace that never saved any
 * gets the defaults: opt-out wording on the first send, a consent basis required.
 */
const optionalName = (what: string) =>
	z
		.string()
		.trim()
		.max(100, `${what} is at most 100 characters`)
		.nullish()
		.transform((v) => (v ? v : null));

export const messagingSettingsSchema = z.object({
	optOutPolicy: optOutPolicySchema,
	/** Block leads whose consent basis is 'none'. */
	requireConsent: z.boolean(),
	/** Fills `{{sender_name}}` when a campaign sets none. */
	senderName: optionalName('Sender name'),
	/** Fills `{{company_name}}` when a campaign sets none. */
	companyName: optionalName('Company name')
});
export type MessagingSettingsInput = z.input<typeof messagingSettingsSchema>;

export interface MessagingSettings {
	optOutPolicy: OptOutPolicy;
	requireConsent: boolean;
	senderName: string | null;
	companyName: string | null;
	/** Null while the workspace uses the defaults (never saved). */
	updatedAt: Date | null;
}

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
	optOutPolicy: DEFAULT_OPT_OUT_POLICY,
	requireConsent: true,
	senderName: null,
	companyName: null,
	updatedAt: null
};

/** The workspace's settings, or the defaults when it has none. */
export async function messagingSettings(db: Executor, workspaceId: string): Promise<MessagingSettings> {
	const [row] = await db.select().from(settingsTable).where(eq(settingsTable.workspaceId, workspaceId));
	if (!row) return DEFAULT_MESSAGING_SETTINGS;
	// Written through the schema; a policy an older version stored that no longer parses falls
	// back to the default (stricter than none) rather than switching the check off.
	const policy = optOutPolicySchema.safeParse(row.optOutPolicy);
	return {
		optOutPolicy: policy.success ? policy.data : DEFAULT_OPT_OUT_POLICY,
		requireConsent: row.requireConsent,
		senderName: row.senderName,
		companyName: row.companyName,
		updatedAt: row.updatedAt
	};
}

/** Replaces the workspace's settings (the whole form is sent; there is one row per workspace). */
export async function updateMessagingSettings(db: Executor, workspaceId: string, userId: string, input: MessagingSettingsInput): Promise<MessagingSettings> {
	const valid = messagingSettingsSchema.parse(input);
	const values = { ...valid, updatedBy: userId, updatedAt: new Date() };
	await db
		.insert(settingsTable)
		.values({ workspaceId, ...values })
		.onConflictDoUpdate({ target: settingsTable.workspaceId, set: values });
	return messagingSettings(db, workspaceId);
}
