import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

const b64url = z.string().regex(/^[A-Za-z0-9_-]*={0,2}$/, 'expected base64url').max(16_384);

export const email = z
	.string()
	.trim()
	.max(254)
	.pipe(z.email({ message: 'Enter a valid e-mail address.' }));
export const displayName = z.string().trim().min(1, 'Enter your name.').max(80, 'Keep your name under 80 characters.');
export const workspaceName = z.string().trim().min(2, 'Workspace names need at least 2 characters.').max(60, 'Keep workspace names under 60 characters.');
export const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'This invitation link is not valid.');

/** The browser's `startRegistration()` result, checked for shape before the library verifies it. */
export const registrationResponse = z.looseObject({
	id: b64url,
	rawId: b64url,
	type: z.literal('public-key'),
	response: z.looseObject({
		clientDataJSON: b64url,
		attestationObject: b64url,
		transports: z.array(z.string().max(32)).max(10).optional()
	}),
	clientExtensionResults: z.looseObject({}),
	authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional()
}) as unknown as z.ZodType<RegistrationResponseJSON>;

export const authenticationResponse = z.looseObject({
	id: b64url,
	rawId: b64url,
	type: z.literal('public-key'),
	response: z.looseObject({
		clientDataJSON: b64url,
		authenticatorData: b64url,
		signature: b64url,
		userHandle: b64url.optional()
	}),
	clientExtensionResults: z.looseObject({}),
	authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional()
}) as unknown as z.ZodType<AuthenticationResponseJSON>;
