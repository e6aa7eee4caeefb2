import { randomBytes, randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/index';
import { CHALLENGE_TTL_SECONDS } from '../../server/auth/challenges';
import { authDeps } from '../../server/auth/index';
import { RATE_RULES, type RateRuleName } from '../../server/auth/rate-limit';
import { regenerateRecoveryCodes } from '../../server/auth/recovery';
import type { SessionValidation } from '../../server/auth/session';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { handleTrpc } from '../../server/trpc/handler';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { client, seedUser, signedIn } from '../support/identity';
import { refusal } from '../support/access';

const ORIGIN = 'http://localhost:3000';

// Every address this file uses is in 198.18.0.0/15 (the benchmarking range), so afterAll can
// delete exactly the buckets it drained, together with the accounts it made.
const ips = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const accounts = new Set<string>();

async function signUp(email: string) {
	const anon = client(null, { ip: ips() });
	const authenticator = new SoftAuthenticator(ORIGIN);
	const options = await anon.caller.auth.signupOptions({ email, displayName: 'Lin', workspaceName: 'Limits Co', inviteToken: null });
	const result = await anon.caller.auth.signupVerify({ response: authenticator.register(options) });
	accounts.add(result.user.id);
	return { anon, authenticator, result };
}

async function seeded(label: string, options: { workspace?: boolean } = {}) {
	const person = await seedUser(label, options);
	accounts.add(person.user.id);
	return person;
}

const challengeKey = (challenge: string) => `${config().REDIS_PREFIX}:webauthn:challenge:${challenge}`;

/** Makes a stored challenge expire now, as five minutes passing would. */
async function expire(challenge: string): Promise<void> {
	const redis = authDeps().redis;
	expect(await redis.pexpire(challengeKey(challenge), 1)).toBe(1);
	await expect.poll(() => redis.exists(challengeKey(challenge))).toBe(0);
}

/**
 * Calls `attempt` until the limiter refuses it (other refusals count as let through);
 * returns how many got through and the refusal.
 */
async function drain(attempt: (i: number) => Promise<unknown>, max: number): Promise<{ through: number; refused: TRPCError }> {
	for (let i = 0; i < max; i++) {
		try {
			await attempt(i);
		} catch (error) {
			if (error instanceof TRPCError && error.code === 'TOO_MANY_REQUESTS') return { through: i, refused: error };
		}
	}
	throw new Error(`no refusal after ${max} attempts`);
}

/** The same call over HTTP through the real tRPC handler: status, Retry-After and message. */
async function overHttp(path: string, input: unknown, ip: string, auth: SessionValidation = null) {
	const request = new Request(`${ORIGIN}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
	const res = await handleTrpc({ request, requestId: randomUUID(), ip, auth });
	const body = (await res.json()) as { error?: { message: string; data: { retryAfter?: number } } };
	return { status: res.status, retryAfter: Number(res.headers.get('retry-after')), message: body.error?.message ?? '', dataRetryAfter: body.error?.data.retryAfter };
}

/** A drained bucket answers 429 with whole seconds to wait, no more than one token's refill. */
function expectLimited(res: Awaited<ReturnType<typeof overHttp>>, rule: RateRuleName) {
	expect(res.status).toBe(429);
	expect(res.retryAfter).toBeGreaterThanOrEqual(1);
	expect(res.retryAfter).toBeLessThanOrEqual(Math.ceil(RATE_RULES[rule].refillMs / 1000));
	expect(res.dataRetryAfter).toBe(res.retryAfter);
	expect(res.message).toBe(`Too many attempts. Try again in ${res.retryAfter} s.`);
}

/** A drained bucket lets about its capacity through: a slow run may refill a token or two. */
function expectCapacity(through: number, rule: RateRuleName) {
	expect(through).toBeGreaterThanOrEqual(RATE_RULES[rule].capacity);
	expect(through).toBeLessThanOrEqual(RATE_RULES[rule].capacity + 2);
}

beforeAll(async () => {
	await bootstrap(config());
});

afterAll(async () => {
	const redis = authDeps().redis;
	const stale: string[] = [];
	for await (const keys of redis.scanStream({ match: `${config().REDIS_PREFIX}:rl:*`, count: 500 }) as AsyncIterable<string[]>) {
		stale.push(...keys.filter((k) => k.includes(':198.18.') || accounts.has(k.split(':').at(-1) ?? '')));
	}
	if (stale.length) await redis.del(...stale);
});

describe('WebAuthn challenges', () => {
	it('are kept for five minutes', async () => {
		expect(CHALLENGE_TTL_SECONDS).toBe(300);
		const { anon } = await signUp(`ttl-${randomUUID()}@example.test`);
		const me = await signedIn(anon);
		const issued = [
			await client(null, { ip: ips() }).caller.auth.signupOptions({ email: `ttl-${randomUUID()}@example.test`, displayName: 'T', workspaceName: 'TTL', inviteToken: null }),
			await client(null, { ip: ips() }).caller.auth.loginOptions({ email: null }),
			await me.caller.account.addPasskeyOptions()
		];
		for (const options of issued) {
			const ttl = await authDeps().redis.ttl(challengeKey(options.challenge));
			expect(ttl).toBeGreaterThan(CHALLENGE_TTL_SECONDS - 10);
			expect(ttl).toBeLessThanOrEqual(CHALLENGE_TTL_SECONDS);
		}
	});

	it('refuses a sign-up answered after its challenge expired, and makes no account', async () => {
		const email = `late-${randomUUID()}@example.test`;
		const anon = client(null, { ip: ips() });
		const options = await anon.caller.auth.signupOptions({ email, displayName: 'Late', workspaceName: 'Late Co', inviteToken: null });
		await expire(options.challenge);
		const r = await refusal(anon.caller.auth.signupVerify({ response: new SoftAuthenticator(ORIGIN).register(options) }));
		expect(r).toEqual({ code: 'BAD_REQUEST', message: 'This sign-in request has expired or was already used. Try again.' });
		expect(await authDeps().db.select().from(users).where(eq(users.email, email))).toEqual([]);
	});

	it('refuses a sign-in or a new passkey answered after its challenge expired', async () => {
		const { anon, authenticator } = await signUp(`late-login-${randomUUID()}@example.test`);
		const login = client(null, { ip: ips() });
		const options = await login.caller.auth.loginOptions({ email: null });
		await expire(options.challenge);
		const r = await refusal(login.caller.auth.loginVerify({ response: authenticator.authenticate(options) }));
		expect(r).toEqual({ code: 'BAD_REQUEST', message: 'This sign-in request has expired or was already used. Try again.' });
		expect(login.cookies).toEqual([]);

		const me = await signedIn(anon);
		const add = await me.caller.account.addPasskeyOptions();
		await expire(add.challenge);
		const refused = await refusal(me.caller.account.addPasskeyVerify({ response: new SoftAuthenticator(ORIGIN).register(add), name: 'Late key' }));
		expect(refused.code).toBe('BAD_REQUEST');
		expect(refused.message).toMatch(/expired or was already used/);
		expect(await me.caller.account.passkeys()).toHaveLength(1);
	});
});

describe('rate limits', () => {
	it('limits sign-ins per account, whatever the address', async () => {
		const { authenticator, result } = await signUp(`busy-${randomUUID()}@example.test`);
		const attempt = async () => {
			const anon = client(null, { ip: ips() });
			await anon.caller.auth.loginVerify({ response: authenticator.authenticate(await anon.caller.auth.loginOptions({ email: null })) });
		};
		const { through } = await drain(attempt, 20);
		expectCapacity(through, 'loginAccount');
		const ip = ips();
		const options = await client(null, { ip }).caller.auth.loginOptions({ email: null });
		expectLimited(await overHttp('auth.loginVerify', { response: authenticator.authenticate(options) }, ip), 'loginAccount');
		// Another account signs in from an address this one used.
		const other = await signUp(`calm-${randomUUID()}@example.test`);
		const anon = client(null, { ip });
		const login = await anon.caller.auth.loginVerify({ response: other.authenticator.authenticate(await anon.caller.auth.loginOptions({ email: null })) });
		expect(login.user.id).toBe(other.result.user.id);
		expect(login.user.id).not.toBe(result.user.id);
	});

	it('limits recovery attempts per address, known e-mail or not', async () => {
		const ip = ips();
		const anon = client(null, { ip });
		const { through } = await drain(() => anon.caller.auth.recoverWithCode({ email: `nobody-${randomUUID()}@example.test`, code: 'AAAAA-AAAAA' }), 20);
		expectCapacity(through, 'recoveryIp');
		expectLimited(await overHttp('auth.recoverWithCode', { email: 'nobody@example.test', code: 'AAAAA-AAAAA' }, ip), 'recoveryIp');
		expectLimited(await overHttp('auth.recoverWithLink', { token: 'x'.repeat(32) }, ip), 'recoveryIp');
		// Another address is unaffected.
		expect((await refusal(client(null, { ip: ips() }).caller.auth.recoverWithCode({ email: 'nobody@example.test', code: 'AAAAA-AAAAA' }))).code).toBe('UNAUTHORIZED');
	});

	it('limits recovery attempts per account, whatever the address; even the right code waits', async () => {
		const target = await seeded('recovery-target', { workspace: false });
		const [code = ''] = await regenerateRecoveryCodes(authDeps().db, target.user.id);
		const { through } = await drain(() => client(null, { ip: ips() }).caller.auth.recoverWithCode({ email: target.email, code: 'AAAAA-AAAAA' }), 20);
		expectCapacity(through, 'recoveryAccount');
		expectLimited(await overHttp('auth.recoverWithCode', { email: target.email, code }, ips()), 'recoveryAccount');
		// Another account recovers from a fresh address as usual.
		const other = await seeded('recovery-other', { workspace: false });
		const [otherCode = ''] = await regenerateRecoveryCodes(authDeps().db, other.user.id);
		await client(null, { ip: ips() }).caller.auth.recoverWithCode({ email: other.email, code: otherCode });
	});

	it('limits invitations per address across accounts', async () => {
		const ip = ips();
		const a = await seeded('invite-ip-a');
		const b = await seeded('invite-ip-b');
		const callers = [a, b].map((p) => ({ caller: client(p.auth, { ip }).caller, workspaceId: p.workspace?.id ?? '' }));
		const { through } = await drain(async (i) => {
			const { caller, workspaceId } = callers[i % 2] ?? callers[0]!;
			await caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' });
		}, 40);
		// Each account made only half: the address's bucket is the one that ran out.
		expectCapacity(through, 'inviteIp');
		expect(through / 2).toBeLessThan(RATE_RULES.inviteAccount.capacity);
		expectLimited(await overHttp('workspaces.invite', { workspaceId: a.workspace?.id, role: 'viewer', expiresInHours: 1, note: '' }, ip, a.auth), 'inviteIp');
		// Accepting a link from that address is refused too, before the link is even looked at.
		const guest = await seeded('invite-ip-guest', { workspace: false });
		expectLimited(await overHttp('workspaces.acceptInvitation', { token: 'y'.repeat(32) }, ip, guest.auth), 'inviteIp');
	});

	it('limits invitations per account, whatever the address', async () => {
		const owner = await seeded('invite-account');
		const workspaceId = owner.workspace?.id ?? '';
		const { through } = await drain(() => client(owner.auth, { ip: ips() }).caller.workspaces.invite({ workspaceId, role: 'viewer', expiresInHours: 1, note: '' }), 50);
		expectCapacity(through, 'inviteAccount');
		expectLimited(await overHttp('workspaces.invite', { workspaceId, role: 'viewer', expiresInHours: 1, note: '' }, ips(), owner.auth), 'inviteAccount');
		const pending = await authDeps().db.execute(sql`SELECT count(*)::int AS n FROM invitations WHERE workspace_id = ${workspaceId}`);
		expect(pending.rows[0]).toEqual({ n: through });
	});

	it('limits accepting invitations per address', async () => {
		const ip = ips();
		const guest = await seeded('accept-guest', { workspace: false });
		const me = client(guest.auth, { ip });
		const { through } = await drain(() => me.caller.workspaces.acceptInvitation({ token: randomBytes(24).toString('base64url') }), 40);
		expectCapacity(through, 'inviteIp');
		const owner = await seeded('accept-owner');
		const { url } = await owner.client.caller.workspaces.invite({ workspaceId: owner.workspace?.id ?? '', role: 'viewer', expiresInHours: 1, note: '' });
		const token = url.split('/invite/')[1] ?? '';
		expectLimited(await overHttp('workspaces.acceptInvitation', { token }, ip, guest.auth), 'inviteIp');
		// The link was not spent by the refused call: from another address it still works.
		expect(await client(guest.auth, { ip: ips() }).caller.workspaces.acceptInvitation({ token })).toEqual({ slug: owner.workspace?.slug });
	});
});
