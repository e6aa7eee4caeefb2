import { redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { secureCookies } from '$server/auth/index';
import { SESSION_COOKIE, validateSession } from '$server/auth/session';
import { config } from '$server/config';
import { database } from '$server/db';
import { logger } from '$server/logger';
import { httpDuration } from '$server/metrics';

/** Where a recovered session may go before it has registered a new passkey. */
const PENDING_ALLOWED = ['/recover/passkey', '/api/trpc', '/logout'];

function json(status: number, code: string, message: string): Response {
	return Response.json({ error: { code, message } }, { status });
}

export const handle: Handle = async ({ event, resolve }) => {
	// server/app.ts sets a request id in production; in `npm run dev` we make one here.
	const requestId = event.request.headers.get('x-request-id') ?? randomUUID();
	event.locals.requestId = requestId;

	const limit = config().BODY_SIZE_LIMIT;
	if (Number(event.request.headers.get('content-length') ?? 0) > limit) {
		return json(413, 'PAYLOAD_TOO_LARGE', `Request body is larger than the ${limit}-byte limit.`);
	}

	// CSRF: SvelteKit checks form posts; JSON mutations are checked here. Browsers always
	// send Origin on cross-origin POSTs, so a foreign one is refused.
	const method = event.request.method;
	const origin = event.request.headers.get('origin');
	if (method !== 'GET' && method !== 'HEAD' && origin && origin !== new URL(config().ORIGIN).origin) {
		return json(403, 'CROSS_SITE', 'Cross-site requests are not allowed.');
	}

	const token = event.cookies.get(SESSION_COOKIE);
	const auth = token ? await validateSession(database().db, token) : null;
	const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies() } as const;
	if (token && !auth) event.cookies.delete(SESSION_COOKIE, cookieOptions);
	if (token && auth?.renewed) event.cookies.set(SESSION_COOKIE, token, { ...cookieOptions, expires: auth.session.expiresAt });
	event.locals.auth = auth;

	if (auth?.session.mustRegisterPasskey && !PENDING_ALLOWED.some((p) => event.url.pathname.startsWith(p))) {
		redirect(303, '/recover/passkey');
	}

	const end = httpDuration.startTimer({ method, route: event.route.id ?? 'unmatched' });
	const response = await resolve(event);
	end({ status: String(response.status) });
	response.headers.set('x-request-id', requestId);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) logger().error({ err: error, reqId: requestId, url: event.url.pathname }, 'unhandled error');
	return { message: status === 404 ? 'Page not found' : 'Something went wrong on our side.', requestId };
};
