import type { SessionValidation } from '$server/auth/session';

// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Locals {
			requestId: string;
			/** The validated session, or null when signed out. */
			auth: SessionValidation;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
