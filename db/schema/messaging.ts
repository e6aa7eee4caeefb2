import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

/**
 * A workspace's messaging settings, at most one row: absent means the defaults
 * (server/messaging/settings.ts). The opt-out policy is stored as the JSON value of
 * `optOutPolicySchema` and read back through it.
 */
export const messagingSettings = pgTable('messaging_settings', {
	workspaceId: uuid('workspace_id')
		.primaryKey()
		.references(() => workspaces.id, { onDelete: 'cascade' }),
	optOutPolicy: jsonb('opt_out_policy').$type<Record<string, unknown>>().notNull(),
	requireConsent: boolean('require_consent').notNull().default(true),
	senderName: text('sender_name'),
	companyName: text('company_name'),
	updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
