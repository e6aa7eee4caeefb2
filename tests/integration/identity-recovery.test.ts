import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema/index';
import { authDeps } from '../../server/auth/index';
import { makeAuthDeps } from '../../server/auth/deps';
import { validateSession } from '../../server/auth/session';
import { relyingParty } from '../../server/auth/webauthn';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { createMailer } from '../../server/mail';
import { redis } from '../../server/redis';
import { database } from '../../server/db';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { client, signedIn } from '../support/identity';
import { refusal } from '../support/access';

const ORIGIN = 'http://localhost:3000';


async function signUp(email: string) {
	const anon = client(null);
	const authenticator = new SoftAuthenticator(ORIGIN);
	const options = await anon.caller.auth.signupOptions({ email, displayName: 'Grace', workspaceName: 'Recovery Co', inviteToken: null });
	const result = await anon.caller.auth.signupVerify({ response: authenticator.register(options) });
	return { anon, authenticator, result };
}

// A local SMTP server receives the recovery mail, as a real mail server would.
const inbox: string[] = [];
const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	onData(stream, _session, callback) {
		let body = '';
		stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
		stream.on('end', () => {
			inbox.push(body);
			callback();
		});
	}
});
let smtpPort = 0;

beforeAll(async () => {
	await bootstrap(config());
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	smtpPort = (smtp.server.address() as { port: number }).port;
});

afterAll(async () => {
	await new Promise<void>((resolve) => smtp.close(resolve));
});

describe('recovery codes', () => {
	it('signs in with a code into a session that must register a new passkey first; each code works once', async () => {
		const { result } = await signUp('recover@example.test');
		const code = result.recoveryCodes[3] ?? '';
		const anon = client(null);
		const wrong = await refusal(anon.caller.auth.recoverWithCode({ email: 'recover@example.test', code: 'AAAAA-AAAAA' }));
		expect(wrong.code).toBe('UNAUTHORIZED');
		await anon.caller.auth.recoverWithCode({ email: 'recover@example.test', code: code.toLowerCase().replace('-', ' ') });
		const pending = await signedIn(anon);
		expect(pending.ctx.auth?.session.mustRegisterPasskey).toBe(true);
		// Nothing else is allowed until a passkey is registered.
		expect((await refusal(pending.caller.workspaces.list())).message).toMatch(/Register a new passkey/);
		const fresh = new SoftAuthenticator(ORIGIN);
		await pending.caller.account.addPasskeyVerify({ response: fresh.register(await pending.caller.account.addPasskeyOptions()), name: 'New laptop' });
		const cleared = await validateSession(authDeps().db, pending.token() ?? anon.token());
		expect(cleared?.session.mustRegisterPasskey).toBe(false);
		expect(await (await signedIn(anon)).caller.workspaces.list()).toHaveLength(1);
		// The same code cannot be used twice.
		expect((await refusal(client(null).caller.auth.recoverWithCode({ email: 'recover@example.test', code }))).code).toBe('UNAUTHORIZED');
	});

	it('regenerating makes the old codes die', async () => {
		const { anon, result } = await signUp('regen@example.test');
		const me = await signedIn(anon);
		const { codes } = await me.caller.account.regenerateRecoveryCodes();
		expect(codes).toHaveLength(10);
		expect((await refusal(client(null).caller.auth.recoverWithCode({ email: 'regen@example.test', code: result.recoveryCodes[0] ?? '' }))).code).toBe('UNAUTHORIZED');
		await client(null).caller.auth.recoverWithCode({ email: 'regen@example.test', code: codes[0] ?? '' });
	});
});

describe('recovery by e-mail (SMTP_URL set)', () => {
	it('mails a single-use link that opens a must-register-passkey session', async () => {
		await signUp('mailme@example.test');
		const deps = makeAuthDeps({
			db: database().db,
			redis: redis(),
			prefix: config().REDIS_PREFIX,
			rp: relyingParty(ORIGIN),
			mailer: createMailer(`smtp://127.0.0.1:${smtpPort}`, 'Muster <no-reply@muster.test>')
		});
		const anon = client(null, { deps });
		expect(await anon.caller.auth.recoveryEmailAvailable()).toEqual({ available: true });
		await anon.caller.auth.requestRecoveryEmail({ email: 'mailme@example.test' });
		await expect.poll(() => inbox.length).toBe(1);
		const mail = (inbox[0] ?? '').replace(/=\r?\n/g, '').replace(/=3D/g, '='); // quoted-printable
		expect(mail).toMatch(/To: mailme@example.test/);
		const token = /recover\/link\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1] ?? '';
		expect(token.length).toBeGreaterThan(20);
		const opener = client(null, { deps });
		await opener.caller.auth.recoverWithLink({ token });
		expect((await validateSession(deps.db, opener.token()))?.session.mustRegisterPasskey).toBe(true);
		expect((await refusal(client(null, { deps }).caller.auth.recoverWithLink({ token }))).message).toMatch(/expired or was already used/);
		// Unknown addresses get the same answer and no mail.
		await anon.caller.auth.requestRecoveryEmail({ email: 'nobody@example.test' });
		await new Promise((r) => setTimeout(r, 200));
		expect(inbox).toHaveLength(1);
	});

	it('says so when e-mail recovery is not configured', async () => {
		expect(await client(null).caller.auth.recoveryEmailAvailable()).toEqual({ available: false });
		expect((await refusal(client(null).caller.auth.requestRecoveryEmail({ email: 'x@example.test' }))).message).toMatch(/not configured/);
	});
});

describe('sessions', () => {
	it('lists sessions and signs out one or all others; revoked tokens stop working', async () => {
		const { anon, authenticator } = await signUp('sessions@example.test');
		const laptop = await signedIn(anon);
		const phoneLogin = client(null);
		await phoneLogin.caller.auth.loginVerify({ response: authenticator.authenticate(await phoneLogin.caller.auth.loginOptions({ email: null })) });
		const tabletLogin = client(null);
		await tabletLogin.caller.auth.loginVerify({ response: authenticator.authenticate(await tabletLogin.caller.auth.loginOptions({ email: null })) });
		const list = await laptop.caller.account.sessions();
		expect(list).toHaveLength(3);
		expect(list.filter((s) => s.current)).toHaveLength(1);
		const phone = await signedIn(phoneLogin);
		await laptop.caller.account.revokeSession({ id: phone.ctx.auth?.session.id ?? '' });
		expect(await validateSession(authDeps().db, phoneLogin.token())).toBeNull();
		expect(await laptop.caller.account.revokeOtherSessions()).toEqual({ revoked: 1 });
		expect(await validateSession(authDeps().db, tabletLogin.token())).toBeNull();
		expect(await validateSession(authDeps().db, anon.token())).not.toBeNull();
	});

	it('refuses tampered and expired tokens, and slides the expiry when under 15 days remain', async () => {
		const { anon } = await signUp('sliding@example.test');
		const token = anon.token() ?? '';
		const db = authDeps().db;
		expect(await validateSession(db, `${token.slice(0, -2)}xx`)).toBeNull();
		expect(await validateSession(db, `${token}'; DROP TABLE users;--`)).toBeNull();
		const current = await validateSession(db, token);
		const id = current?.session.id ?? '';
		await db.update(sessions).set({ expiresAt: sql`now() + interval '10 days'` }).where(eq(sessions.id, id));
		const renewed = await validateSession(db, token);
		expect(renewed?.renewed).toBe(true);
		expect((renewed?.session.expiresAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
		await db.update(sessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(sessions.id, id));
		expect(await validateSession(db, token)).toBeNull();
	});
});
