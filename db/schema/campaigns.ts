import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { savedFilters } from './leads';
import { workspaces } from './workspaces';

export const CAMPAIGN_CHANNELS = ['sms', 'mms'] as const;
export type CampaignChannelValue = (typeof CAMPAIGN_CHANNELS)[number];

/** `draft` until a version is published; `archived` instead of deleted once it has versions. */
export const DOCUMENT_STATUSES = ['draft', 'published', 'archived'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * One live validation problem, addressed to what a page should mark: a node, an edge, a
 * field of a root (`root` + `field`), or the document as a whole.
 */
export interface ProjectedIssue {
	code: string;
	severity: 'error' | 'warning';
	message: string;
	root?: string;
	nodeId?: string;
	edgeId?: string;
	field?: string;
}

/**
 * What every document kind's projected row has besides its own fields (a function: drizzle
 * column builders belong to one table each).
 */
function projectionColumns() {
	return {
		status: text('status', { enum: DOCUMENT_STATUSES }).notNull().default('draft'),
		issues: jsonb('issues').$type<ProjectedIssue[]>().notNull().default([]),
		errorCount: integer('error_count').notNull().default(0),
		/** SHA-256 of the canonical content at the last projection (compare with the latest version's). */
		draftHash: text('draft_hash'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	};
}

/** What every published version has besides the id of what it versions. */
function versionColumns() {
	return {
		workspaceId: uuid('workspace_id').notNull(),
		number: integer('number').notNull(),
		/** SHA-256 (hex) of the canonical JSON of `content`. */
		hash: text('hash').notNull(),
		content: jsonb('content').$type<Record<string, unknown>>().notNull(),
		publishedBy: uuid('published_by'),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow()
	};
}

/**
 * The projection of each `campaign:<id>` document (written after persistence): its settings
 * and the current validation issues, for lists and the live grid. The document is the truth;
 * `name` alone is the row's own (renamed through tRPC, not part of what is sent or hashed).
 */
export const campaigns = pgTable(
	'campaigns',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		vertical: text('vertical'),
		channel: text('channel', { enum: CAMPAIGN_CHANNELS }),
		audienceFilterId: uuid('audience_filter_id').references(() => savedFilters.id, { onDelete: 'set null' }),
		...projectionColumns()
	},
	(t) => [index('campaigns_workspace_idx').on(t.workspaceId, t.createdAt)]
);

/** The projection of each `crusade:<id>` document: its schedule (when valid) and issues. */
export const crusades = pgTable(
	'crusades',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }),
		endsAt: timestamp('ends_at', { withTimezone: true }),
		/** The schedule as validated (`scheduleSchema` output); null while it is invalid. */
		schedule: jsonb('schedule').$type<Record<string, unknown>>(),
		...projectionColumns()
	},
	(t) => [index('crusades_workspace_idx').on(t.workspaceId, t.createdAt)]
);

/** Which campaigns a crusade's document lists (projected), in its order. */
export const crusadeCampaigns = pgTable(
	'crusade_campaigns',
	{
		crusadeId: uuid('crusade_id')
			.notNull()
			.references(() => crusades.id, { onDelete: 'cascade' }),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id, { onDelete: 'cascade' }),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.crusadeId, t.campaignId] }), index('crusade_campaigns_campaign_idx').on(t.campaignId)]
);

/**
 * Immutable published versions: a trigger (migration 0008) refuses UPDATE, DELETE and
 * TRUNCATE. No foreign keys on purpose (like the audit log): a version is the record of
 * what was sent and outlives its campaign, its publisher and its workspace.
 */
export const campaignVersions = pgTable(
	'campaign_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		campaignId: uuid('campaign_id').notNull(),
		...versionColumns()
	},
	(t) => [uniqueIndex('campaign_versions_number_idx').on(t.campaignId, t.number)]
);

export const crusadeVersions = pgTable(
	'crusade_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		crusadeId: uuid('crusade_id').notNull(),
		...versionColumns()
	},
	(t) => [uniqueIndex('crusade_versions_number_idx').on(t.crusadeId, t.number)]
);
