import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { invitations, memberships, workspaces } from '../../db/schema/index';
import { audit, type AuditActor } from '../audit/service';
import { sha256Hex, randomToken } from '../auth/tokens';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { can } from '../permissions';
import type { Membership } from './service';

export type InviteRole = 'admin' | 'operator' | 'viewer';

export async function createInvitation(
	db: Database,
	actor: AuditActor & { userId: string },
	member: Membership,
	input: { role: InviteRole; expiresInHours: number; note: string }
): Promise<{ id: string; token: string; expiresAt: Date }> {
	if (!can(member.role, 'members.invite')) throw new ForbiddenError('Only admins and the owner can invite people.');
	if (input.role === 'admin' && member.role !== 'owner') throw new ForbiddenError('Only the owner can invite admins.');
	const token = randomToken(24);
	const expiresAt = new Date(Date.now() + input.expiresInHours * 3600_000);
	const [row] = await db
		.insert(invitations)
		.values({ workspaceId: member.workspaceId, role: input.role, tokenHash: sha256Hex(token), note: input.note, createdBy: actor.userId, expiresAt })
		.returning({ id: invitations.id });
	if (!row) throw new Error('invitation insert returned nothing');
	await audit(db, actor, { action: 'invite.created', workspaceId: member.workspaceId, targetType: 'invitation', targetId: row.id, data: { role: input.role, expiresAt } });
	return { id: row.id, token, expiresAt };
}

export async function listInvitations(db: Database, workspaceId: string, now = new Date()) {
	return db
		.select({ id: invitations.id, role: invitations.role, note: invitations.note, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
		.from(invitations)
		.where(and(eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
		.orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Database, actor: AuditActor, member: Membership, invitationId: string): Promise<void> {
	if (!can(member.role, 'members.invite')) throw new ForbiddenError('Only admins and the owner can revoke invitations.');
	const revoked = await db
		.update(invitations)
		.set({ revokedAt: new Date() })
		.where(and(eq(invitations.id, invitationId), eq(invitations.workspaceId, member.workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
		.returning({ id: invitations.id });
	if (revoked.length === 0) throw new NotFoundError('That invitation is no longer open.');
	await audit(db, actor, { action: 'invite.revoked', workspaceId: member.workspaceId, targetType: 'invitation', targetId: invitationId });
}

export type InvitationState = 'open' | 'expired' | 'used' | 'revoked';

export interface InvitationPreview {
	id: string;
	workspaceId: string;
	workspaceName: string;
	workspaceSlug: string;
	role: InviteRole;
	expiresAt: Date;
	state: InvitationState;
}

export async function previewInvitation(db: Executor, token: string, now = new Date()): Promise<InvitationPreview | null> {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
	const [row] = await db
		.select({
			id: invitations.id,
			workspaceId: invitations.workspaceId,
			workspaceName: workspaces.name,
			workspaceSlug: workspaces.slug,
			role: invitations.role,
			expiresAt: invitations.expiresAt,
			acceptedAt: invitations.acceptedAt,
			revokedAt: invitations.revokedAt
		})
		.from(invitations)
		.innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
		.where(eq(invitations.tokenHash, sha256Hex(token)))
		.limit(1);
	if (!row) return null;
	const state: InvitationState = row.revokedAt ? 'revoked' : row.acceptedAt ? 'used' : row.expiresAt <= now ? 'expired' : 'open';
	return { id: row.id, workspaceId: row.workspaceId, workspaceName: row.workspaceName, workspaceSlug: row.workspaceSlug, role: row.role, expiresAt: row.expiresAt, state };
}

const REFUSALS: Record<Exclude<InvitationState, 'open'>, string> = {
	expired: 'This invitation has expired. Ask for a new link.',
	used: 'This invitation has already been used. Ask for a new link.',
	revoked: 'This invitation was revoked. Ask for a new link.'
};

/** Refuses (and audits) a link that is unknown, expired, used or revoked. Call outside any transaction. */
export async function checkInvitation(db: Database, actor: AuditActor, token: string): Promise<InvitationPreview> {
	const invite = await previewInvitation(db, token);
	if (!invite) throw new NotFoundError('This invitation link is not valid.');
	if (invite.state !== 'open') {
		await audit(db, actor, { action: 'invite.refused', workspaceId: invite.workspaceId, targetType: 'invitation', targetId: invite.id, data: { state: invite.state } });
		throw new BadInputError(REFUSALS[invite.state]);
	}
	return invite;
}

/**
 * Accepts an invitation inside the caller's transaction. Single use: the claiming update
 * only wins while the invitation is still open, so two concurrent accepts cannot both join.
 */
export async function acceptInvitation(tx: Executor, actor: AuditActor & { userId: string }, token: string): Promise<InvitationPreview> {
	const invite = await previewInvitation(tx, token);
	if (!invite) throw new NotFoundError('This invitation link is not valid.');
	if (invite.state !== 'open') throw new BadInputError(REFUSALS[invite.state]);
	const [existing] = await tx
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.workspaceId, invite.workspaceId), eq(memberships.userId, actor.userId)))
		.limit(1);
	if (existing) throw new ConflictError(`You are already a member of ${invite.workspaceName}.`);
	const claimed = await tx
		.update(invitations)
		.set({ acceptedAt: new Date(), acceptedBy: actor.userId })
		.where(and(eq(invitations.id, invite.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
		.returning({ id: invitations.id });
	if (claimed.length === 0) throw new BadInputError(REFUSALS.used);
	await tx.insert(memberships).values({ workspaceId: invite.workspaceId, userId: actor.userId, role: invite.role });
	await audit(tx, actor, { action: 'invite.accepted', workspaceId: invite.workspaceId, targetType: 'invitation', targetId: invite.id, data: { role: invite.role } });
	return invite;
}
