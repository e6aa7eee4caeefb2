import { sql } from 'drizzle-orm';
import { bigserial, bigint, customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
	fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
});

/**
 * The durable log of a co-edited Yjs document (`<kind>:<uuid>`): every update a client sent,
 * V2-encoded, appended in short batches. Compaction folds the head of the log into
 * `doc_snapshots`; loading is snapshot + the rows after it.
 */
export const docUpdates = pgTable(
	'doc_updates',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		docName: text('doc_name').notNull(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		update: bytea('update').notNull(),
		/** Who sent it; null for server-made changes (compaction, migrations). */
		userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('doc_updates_doc_idx').on(t.docName, t.id)]
);

export const docSnapshots = pgTable('doc_snapshots', {
	docName: text('doc_name').primaryKey(),
	workspaceId: uuid('workspace_id')
		.notNull()
		.references(() => workspaces.id, { onDelete: 'cascade' }),
	/** Whole document state, V2-encoded. */
	state: bytea('state').notNull(),
	/** The last `doc_updates.id` folded into `state`; rows up to it are deleted. */
	throughId: bigint('through_id', { mode: 'number' }).notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

export const VERSION_REASONS = ['compaction', 'activity', 'restore', 'shutdown'] as const;
export type VersionReason = (typeof VERSION_REASONS)[number];

/** Points in a document's history a person can look at and restore. */
export const docVersions = pgTable(
	'doc_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		docName: text('doc_name').notNull(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		state: bytea('state').notNull(),
		reason: text('reason', { enum: VERSION_REASONS }).notNull(),
		/** Who edited since the previous version (or, for a restore, who restored). */
		editors: uuid('editors')
			.array()
			.notNull()
			.default(sql`'{}'::uuid[]`),
		byteSize: integer('byte_size').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('doc_versions_doc_idx').on(t.docName, t.createdAt)]
);

/** Projection of each workspace's brief (kind `brief`): its text for server rendering and search. */
export const briefs = pgTable('briefs', {
	workspaceId: uuid('workspace_id')
		.primaryKey()
		.references(() => workspaces.id, { onDelete: 'cascade' }),
	body: text('body').notNull(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});
