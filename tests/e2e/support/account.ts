import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { addVirtualAuthenticator } from './passkeys';

export type Authenticator = Awaited<ReturnType<typeof addVirtualAuthenticator>>;

export function uniqueEmail(tag = 'user'): string {
	return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

export const isPhone = () => test.info().project.name === 'phone';

export function artifact(name: string): string {
	return fileURLToPath(new URL(`../.artifacts/${name}`, import.meta.url));
}

/** Light and dark screenshots of the page as it is now: .artifacts/<name>-<project>-<theme>.png. */
export async function screenshots(page: Page, name: string): Promise<void> {
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
		await page.screenshot({ path: artifact(`${name}-${test.info().project.name}-${colorScheme}.png`), fullPage: true });
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * Submits a passkey form and waits for `done`. Everything in these tests comes from one IP,
 * so a rate-limit refusal ("Too many attempts. Try again in N seconds.") is waited out.
 */
export async function submitWithRetry(page: Page, submit: () => Promise<void>, done: () => Promise<void>): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		await submit();
		const alert = page.getByRole('alert').filter({ hasText: 'Too many attempts' });
		const outcome = await Promise.race([done().then(() => 'done' as const), alert.waitFor().then(() => 'limited' as const)]);
		if (outcome === 'done') return;
		if (attempt >= 3) throw new Error(`still rate limited: ${await alert.textContent()}`);
		const seconds = Number(/(\d+) second/.exec((await alert.textContent()) ?? '')?.[1] ?? 5);
		await page.waitForTimeout((seconds + 1) * 1000);
	}
}

/** Waits until the app has hydrated, so clicks reach Svelte rather than the bare HTML. */
export async function ready(page: Page): Promise<void> {
	await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/**
 * Chromium's virtual authenticator answers a conditional (autofill) request at once, which
 * a real browser only does when the person picks a passkey from the e-mail field. Tests that
 * exercise the buttons turn conditional mediation off for their pages.
 */
export async function disableAutofill(page: Page): Promise<void> {
	await page.addInitScript(() => {
		if (typeof PublicKeyCredential !== 'undefined') {
			PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
		}
	});
}

/** Opens a menu button (retrying until hydration has wired it up) and leaves it open. */
export async function openMenu(page: Page, name: string): Promise<void> {
	const button = page.getByRole('button', { name, exact: true });
	await expect(async () => {
		if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
		await expect(button).toHaveAttribute('aria-expanded', 'true', { timeout: 1000 });
	}).toPass();
}

export interface SignedUp {
	email: string;
	name: string;
	workspace: string;
	slug: string;
	codes: string[];
	authenticator: Authenticator;
}

/**
 * Signs up through /signup with a fresh virtual authenticator, keeps the recovery codes,
 * and continues into the new workspace. `onCodes` runs while the codes are on screen.
 */
export async function signUp(
	page: Page,
	options: { email?: string; name?: string; workspace?: string; onCodes?: () => Promise<void> } = {}
): Promise<SignedUp> {
	const email = options.email ?? uniqueEmail();
	const name = options.name ?? 'Alex Example';
	const workspace = options.workspace ?? 'Acme Outreach';
	const authenticator = await addVirtualAuthenticator(page);

	await page.goto('/signup');
	await expect(page).toHaveTitle('Create your account · Muster');
	await ready(page);
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('Workspace name').fill(workspace);
	const codesHeading = page.getByRole('heading', { name: 'Save your recovery codes' });
	await submitWithRetry(
		page,
		() => page.getByRole('button', { name: 'Create account with a passkey' }).click(),
		() => codesHeading.waitFor({ timeout: 15_000 })
	);

	const codes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim());
	expect(codes).toHaveLength(10);
	await options.onCodes?.();

	const next = page.getByRole('button', { name: 'Continue' });
	await expect(next).toBeDisabled();
	await page.getByLabel('I saved these codes somewhere safe').check();
	await next.click();
	await page.waitForURL(/\/w\/[a-z0-9-]+$/);
	const slug = new URL(page.url()).pathname.split('/')[2] ?? '';
	await expect(page.getByRole('heading', { level: 1, name: workspace })).toBeVisible();
	return { email, name, workspace, slug, codes, authenticator };
}

/** Opens the account menu for this screen size (sidebar foot on desktop, top-bar menu on phones). */
export async function openAccountMenu(page: Page): Promise<void> {
	await openMenu(page, isPhone() ? 'Menu' : 'Account menu');
}

export async function signOut(page: Page): Promise<void> {
	await openAccountMenu(page);
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await ready(page);
}
