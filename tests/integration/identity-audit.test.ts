import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index';
import type { AuditAction } from '../../server/audit/service';
import { authDeps } from '../../server/auth/index';
import { regenerateRecoveryCodes } from '../../server/auth/recovery';
import { createSession, validateSession } from '../../server/auth/session';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { client, seedUser } from '../support/identity';
import { refusal } from '../support/access';

/** The audit rows one actor wrote with one action, oldest first. */
async function rows(actorId: string, action: AuditAction) {
	return authDeps().db.select().from(auditLog).where(and(eq(auditLog.actorId, actorId), eq(auditLog.action, action))).orderBy(asc(auditLog.id));
}

/** Another signed-in device of the same user. */
async function device(userId: string, userAgent: string) {
	const { token } = await createSession(authDeps().db, userId, { ip: '192.0.2.7', userAgent });
	const auth = await validateSession(authDeps().db, token);
	return { token, id: auth?.session.id ?? '' };
}

beforeAll(async () => {
	await bootstrap(config());
});

describe('audit rows', () => {
	it('records a recovery code used, by whom, from where, and how many are left', async () => {
		const person = await seedUser('audit-recovery', { workspace: false });
		const codes = await regenerateRecoveryCodes(authDeps().db, person.user.id);
		const anon = client(null);
		await anon.caller.auth.recoverWithCode({ email: person.email, code: codes[2] ?? '' });
		expect(await rows(person.user.id, 'recovery.code_used')).toEqual([
			expect.objectContaining({
				actorLabel: person.email,
				targetType: 'user',
				targetId: person.user.id,
				workspaceId: null,
				ip: anon.ctx.ip,
				userAgent: anon.ctx.userAgent,
				data: { left: 9 }
			})
		]);
		// A wrong code is a failed login, not a recovery.
		expect((await refusal(client(null).caller.auth.recoverWithCode({ email: person.email, code: codes[2] ?? '' }))).code).toBe('UNAUTHORIZED');
		expect(await rows(person.user.id, 'recovery.code_used')).toHaveLength(1);
		expect((await rows(person.user.id, 'user.login_failed')).map((r) => r.data)).toEqual([{ reason: 'wrong recovery code' }]);
	});

	it('records a session signed out, and all others signed out with their count', async () => {
		const person = await seedUser('audit-sessions', { workspace: false });
		const phone = await device(person.user.id, 'phone');
		const tablet = await device(person.user.id, 'tablet');
		const laptop = await device(person.user.id, 'laptop');
		const me = person.client;
		await me.caller.account.revokeSession({ id: phone.id });
		const [one, ...more] = await rows(person.user.id, 'session.revoked');
		expect(more).toEqual([]);
		expect(one).toMatchObject({ actorLabel: person.email, targetType: 'session', ip: me.ctx.ip, userAgent: me.ctx.userAgent, workspaceId: null });
		// Only a prefix of the session id (itself a hash of the cookie) names it in the log.
		expect(one?.targetId).toHaveLength(12);
		expect(phone.id.startsWith(one?.targetId ?? '-')).toBe(true);
		// A session that already ended is refused and writes nothing.
		expect((await refusal(me.caller.account.revokeSession({ id: phone.id }))).code).toBe('NOT_FOUND');
		expect(await rows(person.user.id, 'session.revoked')).toHaveLength(1);

		expect(await me.caller.account.revokeOtherSessions()).toEqual({ revoked: 2 });
		expect(await rows(person.user.id, 'session.revoked_others')).toEqual([
			expect.objectContaining({ actorLabel: person.email, targetType: 'user', targetId: person.user.id, ip: me.ctx.ip, data: { count: 2 } })
		]);
		for (const other of [tablet, laptop]) expect(await validateSession(authDeps().db, other.token)).toBeNull();
		expect(await validateSession(authDeps().db, person.token)).not.toBeNull();
	});

	it('records invitations created and revoked in their workspace, and admins find them in the log', async () => {
		const owner = await seedUser('audit-invites');
		const workspaceId = owner.workspace?.id ?? '';
		const me = owner.client;
		const invite = await me.caller.workspaces.invite({ workspaceId, role: 'operator', expiresInHours: 48, note: 'for Kim' });
		expect(await rows(owner.user.id, 'invite.created')).toEqual([
			expect.objectContaining({
				actorLabel: owner.email,
				workspaceId,
				targetType: 'invitation',
				targetId: invite.id,
				ip: me.ctx.ip,
				userAgent: me.ctx.userAgent,
				data: { role: 'operator', expiresAt: invite.expiresAt.toISOString() }
			})
		]);
		await me.caller.workspaces.revokeInvitation({ workspaceId, invitationId: invite.id });
		expect(await rows(owner.user.id, 'invite.revoked')).toEqual([
			expect.objectContaining({ actorLabel: owner.email, workspaceId, targetType: 'invitation', targetId: invite.id, ip: me.ctx.ip })
		]);
		// Revoking it again is refused and writes nothing.
		expect((await refusal(me.caller.workspaces.revokeInvitation({ workspaceId, invitationId: invite.id }))).code).toBe('NOT_FOUND');
		expect(await rows(owner.user.id, 'invite.revoked')).toHaveLength(1);
		const log = await me.caller.workspaces.audit({ workspaceId, limit: 10 });
		expect(log.entries.map((e) => [e.action, e.targetId])).toEqual(
			expect.arrayContaining([
				['invite.created', invite.id],
				['invite.revoked', invite.id]
			])
		);
	});
});
