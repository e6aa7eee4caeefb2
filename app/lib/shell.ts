import type { Action } from '$server/permissions';

/** What the signed-in shell knows about the person and their workspaces (from layout data). */
export interface ShellUser {
	id: string;
	email: string;
	displayName: string;
}

export type Role = 'owner' | 'admin' | 'operator' | 'viewer';

export interface ShellWorkspace {
	id: string;
	slug: string;
	name: string;
	role: Role;
}

export type Permissions = Record<Action, boolean>;

export const ROLE_LABELS: Record<Role, string> = {
	owner: 'Owner',
	admin: 'Admin',
	operator: 'Operator',
	viewer: 'Viewer'
};
