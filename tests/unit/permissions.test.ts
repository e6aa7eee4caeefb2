import { describe, expect, it } from 'vitest';
import { ROLES } from '../../db/schema/workspaces';
import { ACTIONS, can, mayChangeRole, mayRemove } from '../../server/permissions';

describe('permission matrix', () => {
	it('grants more to higher roles, never less', () => {
		for (const action of ACTIONS) {
			const allowed = ROLES.map((role) => can(role, action));
			// ROLES is owner → viewer: once a role is refused, every lower one is too.
			expect(allowed.slice(allowed.indexOf(false) === -1 ? allowed.length : allowed.indexOf(false)).every((a) => !a)).toBe(true);
		}
		expect(can(null, 'workspace.view')).toBe(false);
	});

	it('matches the README matrix for the sensitive actions', () => {
		expect(ROLES.filter((r) => can(r, 'content.edit'))).toEqual(['owner', 'admin', 'operator']);
		expect(ROLES.filter((r) => can(r, 'members.invite'))).toEqual(['owner', 'admin']);
		expect(ROLES.filter((r) => can(r, 'workspace.delete'))).toEqual(['owner']);
		expect(ROLES.filter((r) => can(r, 'audit.view'))).toEqual(['owner', 'admin']);
	});

	it('keeps ownership out of role changes and protects admins from admins', () => {
		expect(mayChangeRole('owner', 'viewer', 'admin')).toBe(true);
		expect(mayChangeRole('admin', 'viewer', 'operator')).toBe(true);
		expect(mayChangeRole('admin', 'viewer', 'admin')).toBe(false);
		expect(mayChangeRole('admin', 'admin', 'viewer')).toBe(false);
		expect(mayChangeRole('owner', 'owner', 'admin')).toBe(false);
		expect(mayChangeRole('owner', 'admin', 'owner')).toBe(false);
		expect(mayChangeRole('operator', 'viewer', 'operator')).toBe(false);
		expect(mayRemove('admin', 'operator')).toBe(true);
		expect(mayRemove('admin', 'admin')).toBe(false);
		expect(mayRemove('owner', 'owner')).toBe(false);
	});
});
