import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a well-formed incoming `x-request-id` (from a proxy), else makes one. */
export function requestId(req: IncomingMessage): string {
	const incoming = req.headers['x-request-id'];
	const value = Array.isArray(incoming) ? incoming[0] : incoming;
	return value && SAFE_ID.test(value) ? value : randomUUID();
}
