import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

export const DRY_RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type DryRunStatus = (typeof DRY_RUN_STATUSES)[number];

export const DRY_RUN_OUTCOMES = ['send', 'blocked'] as const;
export type DryRunOutcome = (typeof DRY_RUN_OUTCOMES)[number];

/**
 * One dry-run: what it was asked (the plain `DryRunInput`, so it can be replayed), where it is,
 * and its counts by outcome and reason once done. `source` names the crusade version it came
 * from when it came from one (free text until published versions exist).
 */
export const dryRuns = pgTable(
	'dry_runs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		source: text('source'),
		input: jsonb('input').$type<Record<string, unknown>>().notNull(),
		status: text('status', { enum: DRY_RUN_STATUSES }).notNull().default('queued'),
		total: integer('total'),
		done: integer('done').notNull().default(0),
		wouldSend: integer('would_send').notNull().default(0),
		blocked: integer('blocked').notNull().default(0),
		/** Leads per reason (a lead with two reasons counts in both). */
		reasonCounts: jsonb('reason_counts').$type<Record<string, number>>().notNull().default({}),
		error: text('error'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [index('dry_runs_workspace_idx').on(t.workspaceId, t.createdAt)]
);

/**
 * One lead's fate in one dry-run. Bulk rows: written with COPY, read in keyset
 * pages by (run, lead). `reasons` is empty exactly when `outcome` is 'send'.
 */
export const dryRunResults = pgTable(
	'dry_run_results',
	{
		runId: uuid('run_id')
			.notNull()
			.references(() => dryRuns.id, { onDelete: 'cascade' }),
		leadId: uuid('lead_id').notNull(),
		outcome: text('outcome', { enum: DRY_RUN_OUTCOMES }).notNull(),
		reasons: text('reasons')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		phone: text('phone'),
		zone: text('zone'),
		slotAt: timestamp('slot_at', { withTimezone: true }),
		senderId: text('sender_id'),
		senderE164: text('sender_e164'),
		variant: text('variant'),
		segments: smallint('segments')
	},
	// Pages and reason filters walk (run, lead); no index on reasons, so a million-row run writes fast.
	(t) => [primaryKey({ columns: [t.runId, t.leadId] })]
);
