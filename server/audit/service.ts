import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { auditLog } from '../../db/schema/index';

export const AUDIT_ACTIONS = [
	'user.signed_up',
	'user.logged_in',
	'user.login_failed',
	'user.logged_out',
	'passkey.added',
	'passkey.renamed',
	'passkey.removed',
	'passkey.clone_suspected',
	'recovery.code_used',
	'recovery.codes_regenerated',
	'recovery.email_sent',
	'recovery.link_used',
	'session.revoked',
	'session.revoked_others',
	'workspace.created',
	'workspace.renamed',
	'workspace.deleted',
	'invite.created',
	'invite.accepted',
	'invite.revoked',
	'invite.refused',
	'member.role_changed',
	'member.removed',
	'member.left',
	'ownership.transferred',
	'dnc.added',
	'dnc.removed',
	'campaign.published',
	'campaign.deleted',
	'crusade.published',
	'crusade.deleted',
	'numbers.added',
	'numbers.updated',
	'numbers.deleted',
	'numbers.status_changed',
	'numbers.imported',
	'messaging.settings_changed'
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditActor {
	userId: string | null;
	label: string;
	ip: string;
	userAgent: string;
}

export interface AuditEntry {
	action: AuditAction;
	workspaceId?: string | null;
	targetType?: string;
	targetId?: string;
	data?: Record<string, unknown>;
}

export async function audit(db: Executor, actor: AuditActor, entry: AuditEntry): Promise<void> {
	await db.insert(auditLog).values({
		actorId: actor.userId,
		actorLabel: actor.label,
		action: entry.action,
		workspaceId: entry.workspaceId ?? null,
		targetType: entry.targetType ?? '',
		targetId: entry.targetId ?? '',
		ip: actor.ip,
		userAgent: actor.userAgent.slice(0, 512),
		data: entry.data ?? {}
	});
}

export interface AuditQuery {
	workspaceId?: string;
	actorId?: string;
	action?: AuditAction;
	/** Keyset paging: entries older than this id. */
	before?: number;
	limit: number;
}

export async function listAudit(db: Database, query: AuditQuery) {
	const where: SQL[] = [];
	if (query.workspaceId) where.push(eq(auditLog.workspaceId, query.workspaceId));
	if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
	if (query.action) where.push(eq(auditLog.action, query.action));
	if (query.before) where.push(lt(auditLog.id, query.before));
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			actorId: auditLog.actorId,
			actorLabel: auditLog.actorLabel,
			action: auditLog.action,
			targetType: auditLog.targetType,
			targetId: auditLog.targetId,
			ip: auditLog.ip,
			userAgent: auditLog.userAgent,
			data: auditLog.data
		})
		.from(auditLog)
		.where(where.length ? and(...where) : undefined)
		.orderBy(desc(auditLog.id))
		.limit(query.limit + 1);
	const more = rows.length > query.limit;
	const entries = more ? rows.slice(0, query.limit) : rows;
	return { entries, nextBefore: more ? (entries.at(-1)?.id ?? null) : null };
}
