import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index';
import { authDeps } from '../../server/auth/index';
import type { AuthDeps } from '../../server/auth/deps';
import { createSession, readCookie, validateSession, type SessionValidation } from '../../server/auth/session';
import { createCallerFactory } from '../../server/trpc/init';
import { appRouter } from '../../server/trpc/root';
import type { Context } from '../../server/trpc/context';
import { createWorkspace } from '../../server/workspaces/service';

export const createCaller = createCallerFactory(appRouter);

/** A fresh client IP per caller, so rate limits of one test never spill into another. */
export function randomIp(): string {
	const b = randomBytes(3);
	return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export interface TestClient {
	ctx: Context;
	cookies: string[];
	caller: ReturnType<typeof createCaller>;
	/** The session token from the last Set-Cookie, if any. */
	token(): string | null;
}

export function client(auth: SessionValidation, options: { ip?: string; deps?: AuthDeps } = {}): TestClient {
	const cookies: string[] = [];
	const ctx: Context = {
		requestId: randomUUID(),
		ip: options.ip ?? randomIp(),
		userAgent: 'Mozilla/5.0 (X11; Linux x86_64) vitest',
		log: pino({ level: 'silent' }),
		deps: options.deps ?? authDeps(),
		auth,
		setCookie: (c) => cookies.push(c)
	};
	return {
		ctx,
		cookies,
		caller: createCaller(ctx),
		token: () => {
			const last = cookies.at(-1);
			const value = last ? readCookie(last.split(';')[0]) : null;
			return value || null;
		}
	};
}

/** Follows the session cookie a call set, like a browser would on its next request. */
export async function signedIn(previous: TestClient, options: { deps?: AuthDeps } = {}): Promise<TestClient> {
	const token = previous.token();
	const auth = await validateSession((options.deps ?? authDeps()).db, token);
	if (!auth) throw new Error('no valid session cookie was set');
	return client(auth, { ip: previous.ctx.ip, deps: options.deps });
}

/** A user with a workspace and a session, made directly in the database (no WebAuthn). */
export async function seedUser(label: string, options: { workspace?: boolean } = {}) {
	const deps = authDeps();
	const email = `${label}-${randomBytes(4).toString('hex')}@example.test`;
	const [user] = await deps.db.insert(users).values({ email, displayName: label, webauthnUserId: randomBytes(32).toString('base64url') }).returning();
	if (!user) throw new Error('seed failed');
	const actor = { userId: user.id, label: email, ip: '127.0.0.1', userAgent: 'seed' };
	const workspace = options.workspace === false ? null : await createWorkspace(deps.db, actor, `${label} workspace`);
	const { token } = await createSession(deps.db, user.id, { ip: '127.0.0.1', userAgent: 'seed' });
	const auth = await validateSession(deps.db, token);
	return { user, email, workspace, token, auth, client: client(auth) };
}

export async function userRow(id: string) {
	const [row] = await authDeps().db.select().from(users).where(eq(users.id, id));
	return row;
}
