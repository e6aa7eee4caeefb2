import { readCookie, validateSession, type SessionUser } from './auth/session';
import { database } from './db';

/**
 * The narrow interface the realtime doors use: who is this upgrade or socket? Same
 * `validateSession` as pages and tRPC. A recovered session that has not yet registered a
 * new passkey gets no realtime access.
 */
export async function authenticateCookieHeader(cookieHeader: string | undefined): Promise<SessionUser | null> {
	const auth = await validateSession(database().db, readCookie(cookieHeader));
	if (!auth || auth.session.mustRegisterPasskey) return null;
	return auth.user;
}
