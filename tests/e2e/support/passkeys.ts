import type { BrowserContext, Page } from '@playwright/test';

/**
 * Chromium's virtual authenticator (CDP WebAuthn domain): a platform authenticator with
 * resident keys and user verification, so navigator.credentials works headless.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ authenticatorId: string; credentials: () => Promise<unknown[]>; remove: () => Promise<void> }> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable', { enableUI: false });
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return {
		authenticatorId,
		credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
		remove: async () => {
			await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
		}
	};
}

export async function newContextWithPasskeys(context: BrowserContext) {
	const page = await context.newPage();
	const authenticator = await addVirtualAuthenticator(page);
	return { page, authenticator };
}
