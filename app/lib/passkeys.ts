import {
	startAuthentication,
	startRegistration,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON
} from '@simplewebauthn/browser';
import { trpc } from '$lib/trpc';

/**
 * The passkey ceremonies: ask the server for options, run them in the browser, send the
 * answer back. tRPC infers the options' type through JSON serialisation, which turns the
 * (never used) PRF buffers into plain objects; the wire value is the JSON type, hence the casts.
 */

const creation = (options: unknown) => options as PublicKeyCredentialCreationOptionsJSON;
const request = (options: unknown) => options as PublicKeyCredentialRequestOptionsJSON;

export async function signUpWithPasskey(input: { email: string; displayName: string; workspaceName: string | null; inviteToken: string | null }) {
	const optionsJSON = creation(await trpc.auth.signupOptions.mutate(input));
	const response = await startRegistration({ optionsJSON });
	return trpc.auth.signupVerify.mutate({ response });
}

export async function signInWithPasskey(email: string | null, options: { autofill?: boolean } = {}) {
	const optionsJSON = request(await trpc.auth.loginOptions.mutate({ email }));
	const response = await startAuthentication({ optionsJSON, useBrowserAutofill: options.autofill ?? false });
	return trpc.auth.loginVerify.mutate({ response });
}

export async function registerAnotherPasskey(name: string | null) {
	const optionsJSON = creation(await trpc.account.addPasskeyOptions.mutate());
	const response = await startRegistration({ optionsJSON });
	return trpc.account.addPasskeyVerify.mutate({ response, name });
}
