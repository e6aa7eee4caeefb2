import { TRPCClientError } from '@trpc/client';

/**
 * One readable sentence for anything a request or a passkey ceremony can throw. Server
 * messages are written for people, so they are shown as they are.
 */
export function errorMessage(error: unknown): string {
	if (error instanceof TRPCClientError) {
		const data = error.data as { code?: string; retryAfter?: number } | undefined;
		if (data?.code === 'TOO_MANY_REQUESTS') {
			const wait = data.retryAfter ? ` Try again in ${data.retryAfter} second${data.retryAfter === 1 ? '' : 's'}.` : ' Try again shortly.';
			return `Too many attempts.${wait}`;
		}
		if (!data?.code && /fetch|network/i.test(error.message)) return 'Muster could not be reached. Check your connection and try again.';
		return error.message;
	}
	if (error instanceof Error) {
		// WebAuthn errors (native DOMExceptions, or simplewebauthn's WebAuthnError wrapping them).
		const name = (error as { cause?: { name?: string } }).cause?.name ?? error.name;
		if (name === 'NotAllowedError' || name === 'AbortError') {
			return 'The passkey request was cancelled or timed out. Try again when you are ready.';
		}
		if (name === 'InvalidStateError') return 'This device already has a passkey for this account.';
		if (name === 'NotSupportedError' || name === 'SecurityError') {
			return 'This browser cannot use passkeys here. Try an up-to-date browser on this address.';
		}
		return error.message;
	}
	return 'Something went wrong. Try again.';
}

/** Whether this error means the session is gone (signed out elsewhere or expired). */
export function isUnauthorized(error: unknown): boolean {
	return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';
}
