import type { Logger } from 'pino';
import type { AuthDeps, RequestMeta } from '../auth/deps';
import type { SessionValidation } from '../auth/session';

export interface Context extends RequestMeta {
	requestId: string;
	log: Logger;
	deps: AuthDeps;
	/** The validated session of this request (validated once, by `validateSession`). */
	auth: SessionValidation;
	/** Adds a Set-Cookie header to the response. */
	setCookie: (cookie: string) => void;
}

/** Procedure metadata read by the access walk test: every procedure declares its tier. */
export interface Meta {
	tier?: 'public' | 'authed' | 'workspace';
	/** Allowed while a recovered session has not yet registered a new passkey. */
	allowPending?: boolean;
	action?: string;
}
