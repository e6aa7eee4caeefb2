import type { RequestHandler } from './$types';
import { handleTrpc } from '$server/trpc/handler';

const handler: RequestHandler = (event) =>
	handleTrpc({ request: event.request, requestId: event.locals.requestId, ip: event.getClientAddress(), auth: event.locals.auth });

export const GET = handler;
export const POST = handler;
