import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { authDeps } from '../auth/index';
import type { SessionValidation } from '../auth/session';
import { logger } from '../logger';
import { appRouter } from './root';

export interface TrpcRequest {
	request: Request;
	requestId: string;
	ip: string;
	/** Validated by the SvelteKit hook for this request. */
	auth: SessionValidation;
}

function status(error: unknown): number | undefined {
	return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}

export async function handleTrpc({ request, requestId, ip, auth }: TrpcRequest): Promise<Response> {
	const log = logger().child({ reqId: requestId });
	let req = request;
	if (request.method === 'POST') {
		// Read the body here so an over-limit stream (adapter-node errors it with 413) is
		// answered as 413, not as the parse error tRPC would make of it.
		try {
			const body = await request.arrayBuffer();
			req = new Request(request.url, { method: 'POST', headers: request.headers, body });
		} catch (error) {
			const code = status(error) === 413 ? 413 : 400;
			return Response.json(
				{ error: { code: code === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message: code === 413 ? 'Request body is too large.' : 'Could not read the request body.' } },
				{ status: code }
			);
		}
	}
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req,
		router: appRouter,
		createContext: ({ resHeaders }) => ({
			requestId,
			ip,
			userAgent: request.headers.get('user-agent') ?? '',
			log,
			deps: authDeps(),
			auth,
			setCookie: (cookie: string) => resHeaders.append('set-cookie', cookie)
		}),
		responseMeta({ errors }) {
			const limited = errors.find((e) => e.code === 'TOO_MANY_REQUESTS');
			const retryAfter = limited?.cause && 'retryAfterSeconds' in limited.cause ? Number(limited.cause.retryAfterSeconds) : undefined;
			return retryAfter ? { headers: new Headers({ 'retry-after': String(retryAfter) }) } : {};
		},
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'tRPC procedure failed');
		}
	});
}
