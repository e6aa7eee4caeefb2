import { test, expect } from './fixtures';
import { disableAutofill, openAccountMenu, ready, screenshots, signOut, signUp, submitWithRetry } from './support/account';
import { addVirtualAuthenticator } from './support/passkeys';
import { acceptBySigningUp, createInvite, secondBrowser } from './support/team';

/**
 * Identity from the browser: passkey sign-up and sign-in on Chromium's virtual
 * authenticator, account settings, recovery, invitations and roles.
 */

test.describe('identity', () => {
	// See disableAutofill: only the autofill test lets the virtual authenticator answer it.
	test.beforeEach(async ({ page }, testInfo) => {
		if (!testInfo.title.includes('autofill')) await disableAutofill(page);
	});

	test('the login page offers passkeys in autofill (conditional mediation)', async ({ page }) => {
		const account = await signUp(page, { workspace: 'Autofill' });
		await openAccountMenu(page);
		await page.getByRole('button', { name: 'Sign out' }).click();
		// On /login the e-mail field's passkey request is answered without pressing anything.
		await expect(page).toHaveURL(new RegExp(`/w/${account.slug}$`), { timeout: 15_000 });
		await expect(page.getByRole('heading', { level: 1, name: 'Autofill' })).toBeVisible();
	});

	test('sign up (recovery codes shown once), sign out, sign in with the passkey', async ({ page }) => {
		const account = await signUp(page, {
			workspace: 'Signup Flow',
			onCodes: () => screenshots(page, 'signup-codes')
		});
		expect(new Set(account.codes).size).toBe(10);

		await signOut(page);
		await expect(page).toHaveTitle('Sign in · Muster');
		await expect(page.getByLabel('E-mail')).toHaveAttribute('autocomplete', 'username webauthn');
		await screenshots(page, 'login');

		// Signed out, the workspace is behind sign-in and comes back after it.
		await page.goto(`/w/${account.slug}/leads`);
		await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(`/w/${account.slug}/leads`)}$`));
		await ready(page);
		await submitWithRetry(
			page,
			() => page.getByRole('button', { name: 'Sign in with a passkey' }).click(),
			() => page.waitForURL(`**/w/${account.slug}/leads`, { timeout: 15_000 })
		);
		await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();

		// The e-mail-first path asks for this account's passkeys.
		await signOut(page);
		await page.getByLabel('E-mail').fill(account.email);
		await submitWithRetry(
			page,
			() => page.getByRole('button', { name: 'Continue with e-mail' }).click(),
			() => page.waitForURL(`**/w/${account.slug}`, { timeout: 15_000 })
		);
	});

	test('add a second passkey in settings, rename it, remove the first', async ({ page }) => {
		const account = await signUp(page, { workspace: 'Passkey Place' });
		await page.goto('/settings');
		await expect(page).toHaveTitle('Account settings · Muster');
		await ready(page);
		const passkeys = page.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem');
		await expect(passkeys).toHaveCount(1);
		await expect(page.getByTestId('recovery-unused')).toHaveText('10 unused');

		// The first authenticator already holds a passkey for this account (and is excluded):
		// the second one is "another device".
		await account.authenticator.remove();
		await addVirtualAuthenticator(page);
		await page.getByLabel(/Name for the new passkey/).fill('Backup key');
		await page.getByRole('button', { name: 'Add a passkey' }).click();
		await expect(passkeys).toHaveCount(2);
		await expect(passkeys.filter({ hasText: 'Backup key' })).toBeVisible();

		await page.getByRole('button', { name: 'Rename Backup key' }).click();
		await page.getByLabel('Passkey name').fill('Desk key');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(passkeys.filter({ hasText: 'Desk key' })).toBeVisible();

		await expect(page.getByRole('list', { name: 'Sessions' }).getByText('This device')).toBeVisible();
		await screenshots(page, 'settings');

		const first = passkeys.first();
		const firstName = (await first.getAttribute('aria-label')) ?? '';
		await page.getByRole('button', { name: `Remove ${firstName}` }).click();
		await page.getByRole('button', { name: 'Remove passkey', exact: true }).click();
		await expect(passkeys).toHaveCount(1);
		await expect(passkeys.first()).toHaveAttribute('aria-label', 'Desk key');
	});

	test('recover with a code, and be made to register a new passkey first', async ({ page }) => {
		const account = await signUp(page, { workspace: 'Recovery Room' });
		await signOut(page);
		await account.authenticator.remove(); // the passkey is lost

		await page.getByRole('link', { name: 'Lost your passkey?' }).click();
		await expect(page).toHaveTitle('Recover your account · Muster');
		await ready(page);
		await page.getByLabel('E-mail', { exact: true }).fill(account.email);
		await page.getByLabel('Recovery code').fill('not-a-code');
		await page.getByRole('button', { name: 'Use recovery code' }).click();
		// Checking runs scrypt against each unused code: seconds on a busy 2-core machine.
		await expect(page.getByRole('alert')).toContainText('do not match', { timeout: 20_000 });
		await expect(page.getByLabel('E-mail', { exact: true })).toHaveValue(account.email); // typed input survives

		await page.getByLabel('Recovery code').fill(account.codes[0] ?? '');
		await page.getByRole('button', { name: 'Use recovery code' }).click();
		await expect(page).toHaveURL(/\/recover\/passkey$/);
		await expect(page.getByRole('heading', { name: 'One more step' })).toBeVisible();
		await ready(page);

		// Nothing else opens until a new passkey is registered.
		await page.goto(`/w/${account.slug}`);
		await expect(page).toHaveURL(/\/recover\/passkey$/);
		await page.goto('/settings');
		await expect(page).toHaveURL(/\/recover\/passkey$/);

		await addVirtualAuthenticator(page);
		await ready(page);
		await page.getByRole('button', { name: 'Register a new passkey' }).click();
		await expect(page).toHaveURL(new RegExp(`/w/${account.slug}$`));

		await page.goto('/settings');
		await expect(page.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem')).toHaveCount(2);
		await expect(page.getByTestId('recovery-unused')).toHaveText('9 unused');
	});

	test('invite a teammate who signs up in another browser and appears in members', async ({ page, browser }) => {
		const owner = await signUp(page, { name: 'Olive Owner', workspace: 'Team Space' });
		const url = await createInvite(page, owner.slug, 'Operator');
		await screenshots(page, 'members');

		const teammate = await secondBrowser(browser, page);
		try {
			await acceptBySigningUp(teammate, url, 'Team Space', 'Tess Teammate');
			await expect(teammate).toHaveURL(new RegExp(`/w/${owner.slug}$`));

			// The link works once.
			await teammate.goto(url);
			await expect(teammate.getByRole('heading', { name: 'This invitation cannot be used' })).toBeVisible();
		} finally {
			await teammate.context().close();
		}

		await page.reload();
		const members = page.getByRole('list', { name: 'Members' });
		const row = members.getByRole('listitem', { name: 'Tess Teammate' });
		await expect(row).toBeVisible();
		await expect(row.getByRole('img', { name: 'Tess Teammate' })).toBeVisible();
		await expect(row.getByLabel('Role of Tess Teammate')).toHaveValue('operator');
		await expect(page.getByRole('list', { name: 'Open invitations' })).toHaveCount(0);
	});

	test('a viewer sees members read-only, has no rename controls, and the server refuses them', async ({ page, browser }) => {
		const owner = await signUp(page, { name: 'Olive Owner', workspace: 'Viewer Check' });
		const url = await createInvite(page, owner.slug, 'Viewer');

		const viewer = await secondBrowser(browser, page);
		try {
			await acceptBySigningUp(viewer, url, 'Viewer Check', 'Vic Viewer');
			await viewer.goto(`/w/${owner.slug}/members`);
			await ready(viewer);
			const members = viewer.getByRole('list', { name: 'Members' });
			await expect(members.getByRole('listitem', { name: 'Olive Owner' })).toBeVisible();
			await expect(members.getByRole('listitem', { name: 'Vic Viewer' })).toBeVisible();
			await expect(viewer.getByRole('main').getByRole('combobox')).toHaveCount(0);
			await expect(viewer.getByRole('main').getByRole('button')).toHaveCount(0);
			await expect(viewer.getByRole('heading', { name: 'Invite someone' })).toHaveCount(0);
			await expect(viewer.getByRole('link', { name: 'Workspace settings' })).toHaveCount(0);

			await viewer.goto(`/w/${owner.slug}/settings`);
			await expect(viewer.getByText('Only admins and the owner can change workspace settings.')).toBeVisible();
			await expect(viewer.getByLabel('Workspace name')).toHaveCount(0);
			await expect(viewer.getByRole('button', { name: /Save name|Delete/ })).toHaveCount(0);

			const audit = await viewer.goto(`/w/${owner.slug}/audit`);
			expect(audit?.status()).toBe(404);

			// Straight to the API: the server refuses, whatever the UI shows.
			const list = await viewer.request.get('/api/trpc/workspaces.list');
			const workspaces = ((await list.json()) as { result: { data: { id: string; slug: string }[] } }).result.data;
			const workspaceId = workspaces.find((w) => w.slug === owner.slug)?.id;
			expect(workspaceId).toBeTruthy();
			const rename = await viewer.request.post('/api/trpc/workspaces.rename', { data: { workspaceId, name: 'Taken over' } });
			expect(rename.status()).toBe(403);
		} finally {
			await viewer.context().close();
		}

		// A non-member gets the same 404 as a workspace that does not exist.
		const stranger = await secondBrowser(browser, page);
		try {
			await signUp(stranger, { workspace: 'Elsewhere' });
			expect((await stranger.goto(`/w/${owner.slug}`))?.status()).toBe(404);
			expect((await stranger.goto('/w/no-such-workspace-000000'))?.status()).toBe(404);
		} finally {
			await stranger.context().close();
		}
	});

	test('"Sign out all other sessions" ends the session in another browser', async ({ page, browser }) => {
		const account = await signUp(page, { workspace: 'Two Devices' });

		// The same passkey, synced to a second browser.
		const other = await secondBrowser(browser, page);
		try {
			const [credential] = (await account.authenticator.credentials()) as Record<string, unknown>[];
			const second = await addVirtualAuthenticator(other);
			const cdp = await other.context().newCDPSession(other);
			await cdp.send('WebAuthn.addCredential', { authenticatorId: second.authenticatorId, credential: credential as never });

			await other.goto('/login');
			await ready(other);
			await submitWithRetry(
				other,
				() => other.getByRole('button', { name: 'Sign in with a passkey' }).click(),
				() => other.waitForURL(`**/w/${account.slug}`, { timeout: 15_000 })
			);

			await page.goto('/settings');
			await ready(page);
			const sessions = page.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
			await expect(sessions).toHaveCount(2);
			await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
			await expect(page.getByRole('status').filter({ hasText: 'Signed out 1 other session' })).toBeVisible();
			await expect(sessions).toHaveCount(1);

			await other.reload();
			await expect(other).toHaveURL(/\/login\?next=/);

			// This browser is still signed in.
			await page.reload();
			await expect(page.getByRole('heading', { level: 1, name: 'Account settings' })).toBeVisible();
		} finally {
			await other.context().close();
		}
	});
});
