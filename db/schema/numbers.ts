import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

/** Mirrors `SENDER_STATUSES` in server/numbers/sender-number.ts (db imports nothing of ours). */
export const SENDER_NUMBER_STATUSES = ['active', 'paused', 'blocked'] as const;

/**
 * The workspace's sender-number inventory: one row per phone number it may send from. Rows
 * are written only through `senderNumberSchema` (server/numbers), so what is read back is
 * already validated; the unique (workspace, e164) index is what makes a CSV re-import an upsert.
 */
export const senderNumbers = pgTable(
	'sender_numbers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		e164: text('e164').notNull(),
		providerAccount: text('provider_account').notNull(),
		brandId: text('brand_id').notNull(),
		campaignId: text('campaign_id').notNull(),
		areaCode: text('area_code').notNull(),
		state: text('state').notNull(),
		status: text('status', { enum: SENDER_NUMBER_STATUSES }).notNull().default('active'),
		/** Messages per day from this number; null = only the brand's and campaign's caps apply. */
		dailyCap: integer('daily_cap'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('sender_numbers_workspace_e164_uq').on(t.workspaceId, t.e164), index('sender_numbers_workspace_status_idx').on(t.workspaceId, t.status)]
);
