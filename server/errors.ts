/**
 * Named domain errors. Services throw these; `toTrpcCode`, `httpStatus` and `closeCode`
 * are the only places that translate them for a transport.
 */
export type DomainErrorCode = 'BAD_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'TOO_LARGE';

export class DomainError extends Error {
	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
		this.name = 'DomainError';
	}
}

export class BadInputError extends DomainError {
	constructor(message: string, details?: Record<string, unknown>) {
		super('BAD_INPUT', message, details);
		this.name = 'BadInputError';
	}
}
export class UnauthenticatedError extends DomainError {
	constructor(message = 'Sign in to continue.') {
		super('UNAUTHENTICATED', message);
		this.name = 'UnauthenticatedError';
	}
}
export class ForbiddenError extends DomainError {
	constructor(message = 'You do not have access to this.') {
		super('FORBIDDEN', message);
		this.name = 'ForbiddenError';
	}
}
export class NotFoundError extends DomainError {
	constructor(message = 'Not found.') {
		super('NOT_FOUND', message);
		this.name = 'NotFoundError';
	}
}
export class ConflictError extends DomainError {
	constructor(message: string) {
		super('CONFLICT', message);
		this.name = 'ConflictError';
	}
}
export class RateLimitedError extends DomainError {
	constructor(
		readonly retryAfterSeconds: number,
		message = `Too many attempts. Try again in ${retryAfterSeconds} s.`
	) {
		super('RATE_LIMITED', message, { retryAfterSeconds });
		this.name = 'RateLimitedError';
	}
}

type TrpcCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS' | 'PAYLOAD_TOO_LARGE';

const table: Record<DomainErrorCode, { trpc: TrpcCode; http: number; close: number }> = {
	BAD_INPUT: { trpc: 'BAD_REQUEST', http: 400, close: 4400 },
	UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401, close: 4401 },
	FORBIDDEN: { trpc: 'FORBIDDEN', http: 403, close: 4403 },
	NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, close: 4404 },
	CONFLICT: { trpc: 'CONFLICT', http: 409, close: 4409 },
	RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', http: 429, close: 4429 },
	TOO_LARGE: { trpc: 'PAYLOAD_TOO_LARGE', http: 413, close: 1009 }
};

export const toTrpcCode = (e: DomainError): TrpcCode => table[e.code].trpc;
export const httpStatus = (e: DomainError): number => table[e.code].http;
export const closeCode = (e: DomainError): number => table[e.code].close;

/** Why a file cannot be imported; `reason` lets the page say more than the message. */
export type UnreadableReason = 'empty' | 'header_only' | 'no_header' | 'binary' | 'unbalanced_quotes' | 'wrong_encoding' | 'duplicate_headers' | 'missing';

/** A lead file that cannot be read as a CSV of leads, with a message that says why and what to do. */
export class UnreadableFileError extends BadInputError {
	constructor(
		readonly reason: UnreadableReason,
		message: string
	) {
		super(message, { reason });
		this.name = 'UnreadableFileError';
	}
}

/** A file over the size an import accepts. */
export class FileTooLargeError extends DomainError {
	constructor(message: string) {
		super('TOO_LARGE', message);
		this.name = 'FileTooLargeError';
	}
}
