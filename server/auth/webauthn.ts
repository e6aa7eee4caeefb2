import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON
} from '@simplewebauthn/server';
import { BadInputError } from '../errors';

export interface RelyingParty {
	id: string;
	name: string;
	origin: string;
}

/** The relying party comes from ORIGIN, never from the request or a constant. */
export function relyingParty(origin: string): RelyingParty {
	const url = new URL(origin);
	return { id: url.hostname, name: 'Muster', origin: url.origin };
}

export interface StoredCredential {
	id: string;
	publicKey: Uint8Array;
	counter: number;
	transports: string[];
}

export async function registrationOptions(
	rp: RelyingParty,
	user: { webauthnUserId: string; email: string; displayName: string },
	exclude: { id: string; transports: string[] }[]
): Promise<PublicKeyCredentialCreationOptionsJSON> {
	return generateRegistrationOptions({
		rpName: rp.name,
		rpID: rp.id,
		userID: Buffer.from(user.webauthnUserId, 'base64url'),
		userName: user.email,
		userDisplayName: user.displayName,
		attestationType: 'none',
		excludeCredentials: exclude,
		authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
		timeout: 120_000
	});
}

export async function authenticationOptions(rp: RelyingParty, allow: { id: string; transports: string[] }[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
	return generateAuthenticationOptions({ rpID: rp.id, allowCredentials: allow, userVerification: 'required', timeout: 120_000 });
}

export interface VerifiedRegistration {
	credentialId: string;
	publicKey: Uint8Array;
	counter: number;
	transports: string[];
	deviceType: 'singleDevice' | 'multiDevice';
	backedUp: boolean;
}

/** One place that verifies a registration; every failure is a readable BadInputError. */
export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, expectedChallenge: string): Promise<VerifiedRegistration> {
	let result;
	try {
		result = await verifyRegistrationResponse({
			response,
			expectedChallenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: true
		});
	} catch (error) {
		throw new BadInputError(`The passkey could not be verified: ${error instanceof Error ? error.message : 'unknown error'}`);
	}
	if (!result.verified) throw new BadInputError('The passkey could not be verified.');
	const info = result.registrationInfo;
	return {
		credentialId: info.credential.id,
		publicKey: info.credential.publicKey,
		counter: info.credential.counter,
		transports: response.response.transports ?? info.credential.transports ?? [],
		deviceType: info.credentialDeviceType,
		backedUp: info.credentialBackedUp
	};
}

export type AuthenticationOutcome =
	| { ok: true; newCounter: number }
	| { ok: false; reason: 'cloned'; message: string }
	| { ok: false; reason: 'invalid'; message: string };

/** One place that verifies an assertion; a counter that went backwards is reported as a clone. */
export async function verifyAuthentication(
	rp: RelyingParty,
	response: AuthenticationResponseJSON,
	expectedChallenge: string,
	credential: StoredCredential
): Promise<AuthenticationOutcome> {
	try {
		const result = await verifyAuthenticationResponse({
			response,
			expectedChallenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: credential.counter, transports: credential.transports },
			requireUserVerification: true
		});
		if (!result.verified) return { ok: false, reason: 'invalid', message: 'The passkey signature did not verify.' };
		return { ok: true, newCounter: result.authenticationInfo.newCounter };
	} catch (error) {
		const message = error instanceof Error ? error.message : 'unknown error';
		if (/counter/i.test(message)) return { ok: false, reason: 'cloned', message };
		return { ok: false, reason: 'invalid', message };
	}
}
