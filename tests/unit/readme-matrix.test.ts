import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../db/schema/workspaces';
import { can, type Action } from '../../server/permissions';

// The README's role table is the user's promise; this keeps it true to server/permissions.ts.
const ROWS: Record<string, Action> = {
	'see the workspace and its members': 'workspace.view',
	'edit leads, campaigns, crusades, calendar': 'content.edit',
	'invite people, revoke invitations': 'members.invite',
	'change roles, remove members': 'members.manage',
	'rename the workspace': 'workspace.rename',
	'read the audit log': 'audit.view',
	'remove numbers from do-not-contact': 'dnc.remove',
	'add, edit, import and remove sender numbers': 'numbers.edit',
	'change messaging settings (opt-out wording, consent, sender and company name)': 'messaging.edit',
	'delete the workspace': 'workspace.delete',
	'transfer ownership, invite admins': 'ownership.transfer'
};

describe('README role matrix', () => {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	it.each(Object.entries(ROWS))('"%s" matches can()', (label, action) => {
		const line = readme.split('\n').find((l) => l.startsWith(`| ${label} |`));
		expect(line, label).toBeDefined();
		const cells = (line ?? '').split('|').slice(2, 6).map((c) => c.trim().startsWith('✓'));
		expect(cells).toEqual(ROLES.map((role) => can(role, action)));
	});
});
