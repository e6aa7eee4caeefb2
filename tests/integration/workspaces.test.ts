import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invitations } from '../../db/schema/index';
import { authDeps } from '../../server/auth/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { client, seedUser, signedIn } from '../support/identity';
import { refusal } from '../support/access';


const tokenOf = (url: string) => url.split('/invite/')[1] ?? '';

beforeAll(async () => {
	await bootstrap(config());
});

describe('invitations', () => {
	it('a new person signs up through the link and joins with the invited role; the link works once', async () => {
		const owner = await seedUser('inviter');
		const workspaceId = owner.workspace?.id ?? '';
		const invite = await owner.client.caller.workspaces.invite({ workspaceId, role: 'operator', expiresInHours: 24, note: 'for Sam' });
		const token = tokenOf(invite.url);
		expect(await client(null).caller.auth.invitePreview({ token })).toMatchObject({ workspaceName: 'inviter workspace', role: 'operator', state: 'open' });
		const anon = client(null);
		const options = await anon.caller.auth.signupOptions({ email: 'sam@example.test', displayName: 'Sam', workspaceName: null, inviteToken: token });
		const result = await anon.caller.auth.signupVerify({ response: new SoftAuthenticator('http://localhost:3000').register(options) });
		expect(result.workspaceSlug).toBe(owner.workspace?.slug);
		const sam = await signedIn(anon);
		expect(await sam.caller.workspaces.list()).toEqual([expect.objectContaining({ id: workspaceId, role: 'operator' })]);
		const again = await seedUser('latecomer', { workspace: false });
		expect((await refusal(again.client.caller.workspaces.acceptInvitation({ token }))).message).toMatch(/already been used/);
		const [row] = await authDeps().db.select().from(invitations).where(eq(invitations.id, invite.id));
		expect(row?.tokenHash).not.toContain(token);
	});

	it('an existing user accepts; expired and revoked links are refused and audited', async () => {
		const owner = await seedUser('admin-owner');
		const workspaceId = owner.workspace?.id ?? '';
		const guest = await seedUser('guest');
		const open = await owner.client.caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' });
		expect(await guest.client.caller.workspaces.acceptInvitation({ token: tokenOf(open.url) })).toEqual({ slug: owner.workspace?.slug });

		const revoked = await owner.client.caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' });
		await owner.client.caller.workspaces.revokeInvitation({ workspaceId, invitationId: revoked.id });
		const other = await seedUser('other-guest');
		expect((await refusal(other.client.caller.workspaces.acceptInvitation({ token: tokenOf(revoked.url) }))).message).toMatch(/revoked/);

		const expired = await owner.client.caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' });
		await authDeps().db.update(invitations).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(invitations.id, expired.id));
		expect((await refusal(other.client.caller.workspaces.acceptInvitation({ token: tokenOf(expired.url) }))).message).toMatch(/expired/);
		const refusals = await authDeps().db.select().from(auditLog).where(eq(auditLog.action, 'invite.refused'));
		expect(refusals.map((r) => r.targetId)).toEqual(expect.arrayContaining([revoked.id, expired.id]));
	});

	it('only admins and the owner invite, and only the owner invites admins', async () => {
		const owner = await seedUser('boss');
		const workspaceId = owner.workspace?.id ?? '';
		const op = await seedUser('op');
		await op.client.caller.workspaces.acceptInvitation({ token: tokenOf((await owner.client.caller.workspaces.invite({ workspaceId, role: 'operator', expiresInHours: 1, note: '' })).url) });
		expect((await refusal(op.client.caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' }))).code).toBe('FORBIDDEN');
		const adm = await seedUser('adm');
		await adm.client.caller.workspaces.acceptInvitation({ token: tokenOf((await owner.client.caller.workspaces.invite({ workspaceId, role: 'admin', expiresInHours: 1, note: '' })).url) });
		expect((await refusal(adm.client.caller.workspaces.invite({ workspaceId, role: 'admin', expiresInHours: 1, note: '' }))).message).toMatch(/Only the owner can invite admins/);
	});
});

describe('members and roles', () => {
	async function team() {
		const owner = await seedUser('team-owner');
		const workspaceId = owner.workspace?.id ?? '';
		const join = async (label: string, role: 'admin' | 'operator' | 'viewer') => {
			const person = await seedUser(label, { workspace: false });
			const { url } = await owner.client.caller.workspaces.invite({ workspaceId, role, expiresInHours: 1, note: '' });
			await person.client.caller.workspaces.acceptInvitation({ token: tokenOf(url) });
			return person;
		};
		return { owner, workspaceId, admin: await join('team-admin', 'admin'), operator: await join('team-op', 'operator'), viewer: await join('team-viewer', 'viewer') };
	}

	it('a viewer can look but change nothing', async () => {
		const { workspaceId, viewer, operator } = await team();
		expect(await viewer.client.caller.workspaces.members({ workspaceId })).toHaveLength(4);
		const v = viewer.client.caller.workspaces;
		for (const attempt of [
			() => v.rename({ workspaceId, name: 'Mine now' }),
			() => v.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' }),
			() => v.changeRole({ workspaceId, userId: operator.user.id, role: 'viewer' }),
			() => v.removeMember({ workspaceId, userId: operator.user.id }),
			() => v.audit({ workspaceId, limit: 10 }),
			() => v.delete({ workspaceId, confirmation: 'x' })
		]) {
			expect((await refusal(attempt())).code).toBe('FORBIDDEN');
		}
	});

	it('admins manage operators and viewers but not the owner or other admins; the owner transfers ownership', async () => {
		const { owner, workspaceId, admin, operator, viewer } = await team();
		await admin.client.caller.workspaces.changeRole({ workspaceId, userId: viewer.user.id, role: 'operator' });
		expect((await refusal(admin.client.caller.workspaces.changeRole({ workspaceId, userId: owner.user.id, role: 'viewer' }))).code).toBe('FORBIDDEN');
		expect((await refusal(admin.client.caller.workspaces.changeRole({ workspaceId, userId: operator.user.id, role: 'admin' }))).code).toBe('FORBIDDEN');
		await admin.client.caller.workspaces.removeMember({ workspaceId, userId: operator.user.id });
		expect((await refusal(operator.client.caller.workspaces.get({ workspaceId }))).code).toBe('FORBIDDEN');
		expect((await refusal(owner.client.caller.workspaces.leave({ workspaceId }))).message).toMatch(/Transfer ownership/);
		await owner.client.caller.workspaces.transferOwnership({ workspaceId, userId: admin.user.id });
		expect(await admin.client.caller.workspaces.get({ workspaceId })).toMatchObject({ role: 'owner' });
		expect(await owner.client.caller.workspaces.get({ workspaceId })).toMatchObject({ role: 'admin' });
		await owner.client.caller.workspaces.leave({ workspaceId });
		const actions = (await admin.client.caller.workspaces.audit({ workspaceId, limit: 50 })).entries.map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['member.role_changed', 'member.removed', 'ownership.transferred', 'member.left', 'invite.accepted']));
	});

	it('renames, and deletes only with the typed name, by the owner', async () => {
		const { owner, workspaceId, admin } = await team();
		await admin.client.caller.workspaces.rename({ workspaceId, name: 'Renamed Co' });
		expect((await refusal(admin.client.caller.workspaces.delete({ workspaceId, confirmation: 'Renamed Co' }))).code).toBe('FORBIDDEN');
		expect((await refusal(owner.client.caller.workspaces.delete({ workspaceId, confirmation: 'renamed co' }))).message).toMatch(/Type the workspace name exactly/);
		await owner.client.caller.workspaces.delete({ workspaceId, confirmation: 'Renamed Co' });
		expect(await owner.client.caller.workspaces.list()).toEqual([]);
		const deleted = await authDeps().db.select().from(auditLog).where(eq(auditLog.action, 'workspace.deleted'));
		expect(deleted.some((d) => d.workspaceId === workspaceId)).toBe(true);
	});

	it('pages the audit log with filters', async () => {
		const { owner, workspaceId } = await team();
		const first = await owner.client.caller.workspaces.audit({ workspaceId, limit: 2 });
		expect(first.entries).toHaveLength(2);
		expect(first.nextBefore).not.toBeNull();
		const second = await owner.client.caller.workspaces.audit({ workspaceId, limit: 2, before: first.nextBefore ?? undefined });
		expect(second.entries[0]?.id).toBeLessThan(first.entries[1]?.id ?? 0);
		const accepted = await owner.client.caller.workspaces.audit({ workspaceId, limit: 50, action: 'invite.accepted' });
		expect(accepted.entries).toHaveLength(3);
	});
});

describe('audit log is append-only in Postgres', () => {
	it.each(['UPDATE audit_log SET action = $$x$$', 'DELETE FROM audit_log', 'TRUNCATE audit_log'])('refuses %s', async (statement) => {
		const error = await authDeps()
			.db.execute(sql.raw(statement))
			.then(() => null, (e: Error & { cause?: Error }) => e.cause ?? e);
		expect(error?.message).toMatch(/audit_log is append-only/);
	});
});
