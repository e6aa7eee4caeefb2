import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { memberships, users, workspaces, type Role } from '../../db/schema/index';
import { audit, type AuditActor } from '../audit/service';
import { BadInputError, ForbiddenError, NotFoundError } from '../errors';
import { can, mayChangeRole, mayRemove } from '../permissions';
import { publishMembershipChange } from './events';
import { slugify } from './slug';

export interface WorkspaceSummary {
	id: string;
	slug: string;
	name: string;
	role: Role;
}

export interface Membership {
	workspaceId: string;
	slug: string;
	name: string;
	role: Role;
}

export async function createWorkspace(db: Database, actor: AuditActor & { userId: string }, name: string): Promise<WorkspaceSummary> {
	return db.transaction(async (tx) => {
		const [ws] = await tx.insert(workspaces).values({ name, slug: slugify(name) }).returning();
		if (!ws) throw new Error('workspace insert returned nothing');
		await tx.insert(memberships).values({ workspaceId: ws.id, userId: actor.userId, role: 'owner' });
		await audit(tx, actor, { action: 'workspace.created', workspaceId: ws.id, targetType: 'workspace', targetId: ws.id, data: { name } });
		return { id: ws.id, slug: ws.slug, name: ws.name, role: 'owner' as const };
	});
}

export async function listWorkspaces(db: Database, userId: string): Promise<WorkspaceSummary[]> {
	return db
		.select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
		.from(memberships)
		.innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
		.where(eq(memberships.userId, userId))
		.orderBy(asc(workspaces.name));
}

/** The caller's membership in a workspace given by id or slug, or null when they have none. */
export async function membershipOf(db: Database, userId: string, workspace: { id?: string; slug?: string }): Promise<Membership | null> {
	const match = workspace.id ? eq(workspaces.id, workspace.id) : workspace.slug ? eq(workspaces.slug, workspace.slug) : null;
	if (!match) return null;
	const [row] = await db
		.select({ workspaceId: workspaces.id, slug: workspaces.slug, name: workspaces.name, role: memberships.role })
		.from(workspaces)
		.innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, userId)))
		.where(match)
		.limit(1);
	return row ?? null;
}

export async function renameWorkspace(db: Database, actor: AuditActor, member: Membership, name: string): Promise<void> {
	if (!can(member.role, 'workspace.rename')) throw new ForbiddenError('Only admins and the owner can rename the workspace.');
	await db.update(workspaces).set({ name }).where(eq(workspaces.id, member.workspaceId));
	await audit(db, actor, { action: 'workspace.renamed', workspaceId: member.workspaceId, targetType: 'workspace', targetId: member.workspaceId, data: { from: member.name, to: name } });
}

export async function deleteWorkspace(db: Database, actor: AuditActor, member: Membership, confirmation: string): Promise<void> {
	if (!can(member.role, 'workspace.delete')) throw new ForbiddenError('Only the owner can delete the workspace.');
	if (confirmation !== member.name) throw new BadInputError(`Type the workspace name exactly ("${member.name}") to confirm.`);
	await db.transaction(async (tx) => {
		await tx.delete(workspaces).where(eq(workspaces.id, member.workspaceId));
		await audit(tx, actor, { action: 'workspace.deleted', workspaceId: member.workspaceId, targetType: 'workspace', targetId: member.workspaceId, data: { name: member.name } });
	});
	await publishMembershipChange(member.workspaceId, null);
}

export async function listMembers(db: Database, workspaceId: string) {
	return db
		.select({ userId: users.id, email: users.email, displayName: users.displayName, role: memberships.role, joinedAt: memberships.createdAt })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.workspaceId, workspaceId))
		.orderBy(asc(users.displayName));
}

async function targetRole(db: Database, workspaceId: string, userId: string): Promise<Role> {
	const [row] = await db
		.select({ role: memberships.role })
		.from(memberships)
		.where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
		.limit(1);
	if (!row) throw new NotFoundError('That person is not a member of this workspace.');
	return row.role;
}

export async function changeRole(db: Database, actor: AuditActor & { userId: string }, member: Membership, userId: string, role: Exclude<Role, 'owner'>): Promise<void> {
	if (userId === actor.userId) throw new BadInputError('You cannot change your own role.');
	const from = await targetRole(db, member.workspaceId, userId);
	if (!mayChangeRole(member.role, from, role)) throw new ForbiddenError(`As ${member.role} you cannot change a ${from} to ${role}.`);
	await db.update(memberships).set({ role }).where(and(eq(memberships.workspaceId, member.workspaceId), eq(memberships.userId, userId)));
	await audit(db, actor, { action: 'member.role_changed', workspaceId: member.workspaceId, targetType: 'user', targetId: userId, data: { from, to: role } });
	await publishMembershipChange(member.workspaceId, userId);
}

export async function removeMember(db: Database, actor: AuditActor & { userId: string }, member: Membership, userId: string): Promise<void> {
	if (userId === actor.userId) throw new BadInputError('Use "Leave workspace" to remove yourself.');
	const role = await targetRole(db, member.workspaceId, userId);
	if (!mayRemove(member.role, role)) throw new ForbiddenError(`As ${member.role} you cannot remove a ${role}.`);
	await db.delete(memberships).where(and(eq(memberships.workspaceId, member.workspaceId), eq(memberships.userId, userId)));
	await audit(db, actor, { action: 'member.removed', workspaceId: member.workspaceId, targetType: 'user', targetId: userId, data: { role } });
	await publishMembershipChange(member.workspaceId, userId);
}

export async function leaveWorkspace(db: Database, actor: AuditActor & { userId: string }, member: Membership): Promise<void> {
	if (member.role === 'owner') throw new BadInputError('Transfer ownership to someone else before you leave.');
	await db.delete(memberships).where(and(eq(memberships.workspaceId, member.workspaceId), eq(memberships.userId, actor.userId)));
	await audit(db, actor, { action: 'member.left', workspaceId: member.workspaceId, targetType: 'user', targetId: actor.userId });
	await publishMembershipChange(member.workspaceId, actor.userId);
}

export async function transferOwnership(db: Database, actor: AuditActor & { userId: string }, member: Membership, userId: string): Promise<void> {
	if (!can(member.role, 'ownership.transfer')) throw new ForbiddenError('Only the owner can transfer ownership.');
	if (userId === actor.userId) throw new BadInputError('You already own this workspace.');
	await targetRole(db, member.workspaceId, userId);
	await db.transaction(async (tx) => {
		await tx.update(memberships).set({ role: 'admin' }).where(and(eq(memberships.workspaceId, member.workspaceId), eq(memberships.userId, actor.userId)));
		await tx.update(memberships).set({ role: 'owner' }).where(and(eq(memberships.workspaceId, member.workspaceId), eq(memberships.userId, userId)));
		await audit(tx, actor, { action: 'ownership.transferred', workspaceId: member.workspaceId, targetType: 'user', targetId: userId });
	});
	await publishMembershipChange(member.workspaceId, actor.userId);
	await publishMembershipChange(member.workspaceId, userId);
}
