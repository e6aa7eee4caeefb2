import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * A software FIDO2 authenticator (ES256, "none" attestation) for integration tests: it
 * produces the same JSON a browser's navigator.credentials would, so the server's real
 * verification runs. Knobs let a test forge what attackers forge (origin, RP id, counter).
 */
export class SoftAuthenticator {
	readonly credentialId = randomBytes(16);
	readonly #privateKey: KeyObject;
	readonly #publicJwk: { x: string; y: string };
	counter = 0;
	userHandle = '';

	constructor(readonly origin: string) {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		this.#privateKey = privateKey;
		const jwk = publicKey.export({ format: 'jwk' });
		this.#publicJwk = { x: jwk.x ?? '', y: jwk.y ?? '' };
	}

	get id(): string {
		return this.credentialId.toString('base64url');
	}

	#authData(rpId: string, flags: number, attested?: Buffer): Buffer {
		const count = Buffer.alloc(4);
		count.writeUInt32BE(this.counter);
		return Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)]);
	}

	#clientData(type: string, challenge: string, origin: string): Buffer {
		return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
	}

	register(options: PublicKeyCredentialCreationOptionsJSON, forge: { origin?: string; rpId?: string } = {}): RegistrationResponseJSON {
		this.userHandle = options.user.id;
		const cose = new Map<number, number | Uint8Array>([
			[1, 2],
			[3, -7],
			[-1, 1],
			[-2, Buffer.from(this.#publicJwk.x, 'base64url')],
			[-3, Buffer.from(this.#publicJwk.y, 'base64url')]
		]);
		const idLength = Buffer.alloc(2);
		idLength.writeUInt16BE(this.credentialId.length);
		const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, Buffer.from(isoCBOR.encode(cose))]);
		// UP | UV | AT
		const authData = this.#authData(forge.rpId ?? options.rp.id ?? 'localhost', 0x01 | 0x04 | 0x40, attested);
		const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
		const clientDataJSON = this.#clientData('webauthn.create', options.challenge, forge.origin ?? this.origin);
		return {
			id: this.id,
			rawId: this.id,
			type: 'public-key',
			response: {
				clientDataJSON: clientDataJSON.toString('base64url'),
				attestationObject: Buffer.from(attestationObject).toString('base64url'),
				transports: ['internal']
			},
			clientExtensionResults: {},
			authenticatorAttachment: 'platform'
		};
	}

	authenticate(options: PublicKeyCredentialRequestOptionsJSON, forge: { origin?: string; rpId?: string; counter?: number } = {}): AuthenticationResponseJSON {
		this.counter = forge.counter ?? this.counter + 1;
		const authData = this.#authData(forge.rpId ?? options.rpId ?? 'localhost', 0x01 | 0x04);
		const clientDataJSON = this.#clientData('webauthn.get', options.challenge, forge.origin ?? this.origin);
		const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), this.#privateKey);
		return {
			id: this.id,
			rawId: this.id,
			type: 'public-key',
			response: {
				clientDataJSON: clientDataJSON.toString('base64url'),
				authenticatorData: authData.toString('base64url'),
				signature: signature.toString('base64url'),
				userHandle: this.userHandle
			},
			clientExtensionResults: {},
			authenticatorAttachment: 'platform'
		};
	}
}
