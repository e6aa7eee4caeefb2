import type { Role } from '../db/schema/workspaces';

/**
 * The one answer to "may this user do X here". tRPC tiers, pages, socket rooms and
 * documents all ask `can`. The README's role matrix is generated from `MATRIX`.
 */
export const ACTIONS = [
	'workspace.view',
	'content.edit',
	'members.view',
	'members.invite',
	'members.manage',
	'workspace.rename',
	'audit.view',
	'dnc.remove',
	'numbers.edit',
	'messaging.edit',
	'workspace.delete',
	'ownership.transfer'
] as const;

export type Action = (typeof ACTIONS)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, owner: 3 };

/** The lowest role that may do each action. */
export const MATRIX: Record<Action, Role> = {
	'workspace.view': 'viewer',
	'members.view': 'viewer',
	'content.edit': 'operator',
	'members.invite': 'admin',
	'members.manage': 'admin',
	'workspace.rename': 'admin',
	'audit.view': 'admin',
	'dnc.remove': 'admin',
	// Sender numbers are provider infrastructure registered to a 10DLC brand, and the messaging
	// settings are the workspace's compliance policy: set up by whoever answers for them.
	'numbers.edit': 'admin',
	'messaging.edit': 'admin',
	'workspace.delete': 'owner',
	'ownership.transfer': 'owner'
};

export function can(role: Role | null | undefined, action: Action): boolean {
	if (!role) return false;
	return RANK[role] >= RANK[MATRIX[action]];
}

export function outranks(a: Role, b: Role): boolean {
	return RANK[a] > RANK[b];
}

/**
 * Whether `actor` may give `target` (currently `from`) the role `to`. Nobody changes the
 * owner's role here (ownership moves only by transfer), and an admin cannot touch other
 * admins or hand out admin above their own standing.
 */
export function mayChangeRole(actor: Role, from: Role, to: Role): boolean {
	if (!can(actor, 'members.manage')) return false;
	if (from === 'owner' || to === 'owner') return false;
	if (actor === 'owner') return true;
	return outranks(actor, from) && RANK[to] <= RANK[actor] && to !== 'admin';
}

export function mayRemove(actor: Role, target: Role): boolean {
	if (!can(actor, 'members.manage') || target === 'owner') return false;
	return actor === 'owner' || outranks(actor, target);
}
