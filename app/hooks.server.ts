import type { Handle, HandleServerError } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { config } from '$server/config';
import { logger } from '$server/logger';
import { httpDuration } from '$server/metrics';

export const handle: Handle = async ({ event, resolve }) => {
	// server/app.ts sets a request id in production; in `npm run dev` we make one here.
	const requestId = event.request.headers.get('x-request-id') ?? randomUUID();
	event.locals.requestId = requestId;

	const limit = config().BODY_SIZE_LIMIT;
	if (Number(event.request.headers.get('content-length') ?? 0) > limit) {
		return Response.json(
			{ error: { code: 'PAYLOAD_TOO_LARGE', message: `Request body is larger than the ${limit}-byte limit.` } },
			{ status: 413 }
		);
	}

	const end = httpDuration.startTimer({ method: event.request.method, route: event.route.id ?? 'unmatched' });
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
