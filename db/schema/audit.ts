import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only: a trigger (migration 0002) refuses UPDATE, DELETE and TRUNCATE. No foreign
 * keys on purpose: entries outlive the users and workspaces they mention.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: uuid('actor_id'),
		actorLabel: text('actor_label').notNull().default(''),
		action: text('action').notNull(),
		targetType: text('target_type').notNull().default(''),
		targetId: text('target_id').notNull().default(''),
		workspaceId: uuid('workspace_id'),
		ip: text('ip').notNull().default(''),
		userAgent: text('user_agent').notNull().default(''),
		data: jsonb('data').notNull().default({})
	},
	(t) => [
		index('audit_log_workspace_idx').on(t.workspaceId, t.id),
		index('audit_log_actor_idx').on(t.actorId, t.id),
		index('audit_log_action_idx').on(t.action, t.id)
	]
);
