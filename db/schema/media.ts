import { customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * MMS media a workspace has uploaded. Stored in Postgres, not on a disk: an asset is at most a
 * megabyte (what carriers take), every instance serves it, and backups include it. The same
 * image uploaded twice is one asset (unique per workspace by content hash).
 */
export const mediaAssets = pgTable(
	'media_assets',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** What the bytes are (sniffed), never what the browser said. */
		contentType: text('content_type').notNull(),
		bytes: integer('bytes').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		sha256: text('sha256').notNull(),
		data: bytea('data').notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('media_assets_workspace_sha_uq').on(t.workspaceId, t.sha256), index('media_assets_workspace_created_idx').on(t.workspaceId, t.createdAt)]
);
