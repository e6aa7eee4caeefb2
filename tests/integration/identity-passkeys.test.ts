import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, passkeys } from '../../db/schema/index';
import { authDeps } from '../../server/auth/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { client, signedIn, userRow } from '../support/identity';
import { refusal } from '../support/access';

const ORIGIN = 'http://localhost:3000';


async function signUp(email: string, workspaceName = 'Acme Outreach') {
	const anon = client(null);
	const authenticator = new SoftAuthenticator(ORIGIN);
	const options = await anon.caller.auth.signupOptions({ email, displayName: 'Ada Lovelace', workspaceName, inviteToken: null });
	const result = await anon.caller.auth.signupVerify({ response: authenticator.register(options) });
	return { anon, authenticator, options, result };
}

async function auditActions(userId: string): Promise<string[]> {
	const rows = await authDeps().db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorId, userId));
	return rows.map((r) => r.action);
}

beforeAll(async () => {
	await bootstrap(config());
});

describe('sign-up with a passkey', () => {
	it('creates the account, its workspace, ten recovery codes and a session cookie; the first account is super-admin', async () => {
		// This run's database is shared by the files before this one; start from no accounts.
		await authDeps().db.execute('DELETE FROM users');
		const { anon, result } = await signUp('first@example.test');
		expect(result.user.isSuperAdmin).toBe(true);
		expect(result.recoveryCodes).toHaveLength(10);
		expect(new Set(result.recoveryCodes).size).toBe(10);
		expect(result.recoveryCodes[0]).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
		expect(result.workspaceSlug).toMatch(/^acme-outreach-[0-9a-f]{6}$/);
		const cookie = anon.cookies[0] ?? '';
		expect(cookie).toMatch(/^muster_session=[A-Za-z0-9_-]{20,};/);
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).not.toContain('Secure');
		const me = await (await signedIn(anon)).caller.auth.me();
		expect(me.user.email).toBe('first@example.test');
		expect(await auditActions(result.user.id)).toEqual(expect.arrayContaining(['user.signed_up', 'passkey.added', 'workspace.created']));
		const second = await signUp('second@example.test');
		expect(second.result.user.isSuperAdmin).toBe(false);
	});

	it('refuses an e-mail that already has an account', async () => {
		await signUp('taken@example.test');
		const r = await refusal(client(null).caller.auth.signupOptions({ email: 'TAKEN@example.test', displayName: 'X', workspaceName: 'W W', inviteToken: null }));
		expect(r.code).toBe('CONFLICT');
		expect(r.message).toMatch(/already exists/);
	});

	it('refuses a replayed registration', async () => {
		const anon = client(null);
		const authenticator = new SoftAuthenticator(ORIGIN);
		const options = await anon.caller.auth.signupOptions({ email: 'replay@example.test', displayName: 'R', workspaceName: 'Replay', inviteToken: null });
		const response = authenticator.register(options);
		await anon.caller.auth.signupVerify({ response });
		const r = await refusal(client(null).caller.auth.signupVerify({ response }));
		expect(r.code).toBe('BAD_REQUEST');
		expect(r.message).toMatch(/expired or was already used/);
	});

	it.each([
		['a wrong origin', { origin: 'https://evil.example' }, /origin/i],
		['a wrong relying-party id', { rpId: 'evil.example' }, /RP ID/i]
	])('refuses %s', async (_label, forge, pattern) => {
		const anon = client(null);
		const options = await anon.caller.auth.signupOptions({ email: `forge-${Math.random()}@example.test`, displayName: 'F', workspaceName: 'Forge', inviteToken: null });
		const r = await refusal(anon.caller.auth.signupVerify({ response: new SoftAuthenticator(ORIGIN).register(options, forge) }));
		expect(r.code).toBe('BAD_REQUEST');
		expect(r.message).toMatch(pattern);
	});

	it('refuses malformed WebAuthn JSON with a readable 400', async () => {
		const r = await refusal(client(null).caller.auth.signupVerify({ response: { id: 'x' } as never }));
		expect(r.code).toBe('BAD_REQUEST');
		expect(r.message).toMatch(/public-key/);
	});
});

describe('login with a passkey', () => {
	it('signs in with a discoverable passkey and updates its counter', async () => {
		const { authenticator, result } = await signUp('login@example.test');
		const anon = client(null);
		const options = await anon.caller.auth.loginOptions({ email: null });
		expect(options.allowCredentials ?? []).toEqual([]);
		const login = await anon.caller.auth.loginVerify({ response: authenticator.authenticate(options) });
		expect(login.user.id).toBe(result.user.id);
		const [row] = await authDeps().db.select().from(passkeys).where(eq(passkeys.id, authenticator.id));
		expect(row?.counter).toBe(1);
		expect(row?.lastUsedAt).toBeInstanceOf(Date);
		expect(await auditActions(result.user.id)).toContain('user.logged_in');
	});

	it('offers the account’s passkeys when the e-mail is typed first', async () => {
		const { authenticator } = await signUp('emailfirst@example.test');
		const options = await client(null).caller.auth.loginOptions({ email: 'EmailFirst@example.test' });
		expect(options.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
		const unknown = await client(null).caller.auth.loginOptions({ email: 'nobody@example.test' });
		expect(unknown.allowCredentials ?? []).toEqual([]);
	});

	it('refuses a replayed assertion', async () => {
		const { authenticator } = await signUp('replaylogin@example.test');
		const anon = client(null);
		const response = authenticator.authenticate(await anon.caller.auth.loginOptions({ email: null }));
		await anon.caller.auth.loginVerify({ response });
		expect((await refusal(client(null).caller.auth.loginVerify({ response }))).message).toMatch(/expired or was already used/);
	});

	it('refuses an unknown credential and audits the failure', async () => {
		const anon = client(null);
		const stranger = new SoftAuthenticator(ORIGIN);
		const r = await refusal(anon.caller.auth.loginVerify({ response: stranger.authenticate(await anon.caller.auth.loginOptions({ email: null })) }));
		expect(r.code).toBe('UNAUTHORIZED');
		expect(r.message).toMatch(/not registered/);
		const rows = await authDeps().db.select().from(auditLog).where(and(eq(auditLog.action, 'user.login_failed'), eq(auditLog.targetId, stranger.id)));
		expect(rows).toHaveLength(1);
	});

	it('refuses a cloned authenticator (counter went backwards) and logs it', async () => {
		const { authenticator, result } = await signUp('clone@example.test');
		const anon = client(null);
		await anon.caller.auth.loginVerify({ response: authenticator.authenticate(await anon.caller.auth.loginOptions({ email: null }), { counter: 5 }) });
		const clone = client(null);
		const r = await refusal(clone.caller.auth.loginVerify({ response: authenticator.authenticate(await clone.caller.auth.loginOptions({ email: null }), { counter: 3 }) }));
		expect(r.code).toBe('FORBIDDEN');
		expect(r.message).toMatch(/cloned/);
		expect(await auditActions(result.user.id)).toEqual(expect.arrayContaining(['passkey.clone_suspected', 'user.login_failed']));
	});

	it('rate-limits sign-in attempts per IP with a retry time', async () => {
		const anon = client(null);
		let refused: { code: string; message: string } | null = null;
		for (let i = 0; i < 100 && !refused; i++) {
			try {
				await anon.caller.auth.loginOptions({ email: null });
			} catch (error) {
				refused = error instanceof TRPCError ? { code: error.code, message: error.message } : null;
			}
		}
		expect(refused?.code).toBe('TOO_MANY_REQUESTS');
		expect(refused?.message).toMatch(/Try again in \d+ s/);
		// Another address is unaffected.
		await expect(client(null).caller.auth.loginOptions({ email: null })).resolves.toHaveProperty('challenge');
	});
});

describe('passkeys in settings', () => {
	it('adds, renames and removes passkeys; the last one only while unused recovery codes exist', async () => {
		const { anon, result } = await signUp('settings@example.test');
		const me = await signedIn(anon);
		const second = new SoftAuthenticator(ORIGIN);
		second.userHandle = '';
		const added = await me.caller.account.addPasskeyVerify({ response: second.register(await me.caller.account.addPasskeyOptions()), name: 'YubiKey' });
		expect(added.name).toBe('YubiKey');
		let list = await me.caller.account.passkeys();
		expect(list).toHaveLength(2);
		await me.caller.account.renamePasskey({ id: second.id, name: 'Backup key' });
		list = await me.caller.account.passkeys();
		expect(list.map((p) => p.name)).toContain('Backup key');
		await me.caller.account.removePasskey({ id: second.id });
		expect(await me.caller.account.passkeys()).toHaveLength(1);
		// With recovery codes left, removing the last passkey is allowed…
		const firstId = list.find((p) => p.id !== second.id)?.id ?? '';
		expect(await me.caller.account.recoveryStatus()).toEqual({ unused: 10 });
		// …but not once every code is used.
		const deps = authDeps();
		await deps.db.execute(`UPDATE recovery_codes SET used_at = now() WHERE user_id = '${result.user.id}'`);
		const r = await refusal(me.caller.account.removePasskey({ id: firstId }));
		expect(r.message).toMatch(/last passkey/);
		expect(await auditActions(result.user.id)).toEqual(expect.arrayContaining(['passkey.added', 'passkey.renamed', 'passkey.removed']));
		expect((await userRow(result.user.id))?.email).toBe('settings@example.test');
	});

	it('will not let another user rename or remove my passkey', async () => {
		const mine = await signUp('owner-of-key@example.test');
		const other = await signUp('other-user@example.test');
		const otherClient = await signedIn(other.anon);
		expect((await refusal(otherClient.caller.account.renamePasskey({ id: mine.authenticator.id, name: 'gotcha' }))).code).toBe('NOT_FOUND');
		expect((await refusal(otherClient.caller.account.removePasskey({ id: mine.authenticator.id }))).code).toBe('NOT_FOUND');
	});
});
