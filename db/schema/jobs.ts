import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Progress and log lines of background jobs. Stored so a page opened late can replay a
 * job's history before following it live; the maintenance queue deletes expired rows.
 */
export const jobEvents = pgTable(
	'job_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		queue: text('queue').notNull(),
		jobId: text('job_id').notNull(),
		kind: text('kind', { enum: ['log', 'progress', 'state'] }).notNull(),
		data: jsonb('data').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('job_events_job_idx').on(t.queue, t.jobId, t.id), index('job_events_expires_idx').on(t.expiresAt)]
);
