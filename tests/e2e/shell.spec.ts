import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { openMenu, signUp } from './support/account';

/**
 * The app shell: layout per screen size, navigation, theme, error page.
 * Desktop (1280×800) navigates with the sidebar; phone (390×844) with the bottom bar.
 * Each worker signs up once and every test reuses that session (sign-ups are rate limited).
 */

const sections = [
	{ label: 'Leads', path: '/leads', empty: 'No leads yet' },
	{ label: 'Campaigns', path: '/campaigns', empty: 'No campaigns yet' },
	{ label: 'Crusades', path: '/crusades', empty: 'No crusades yet' },
	{ label: 'Calendar', path: '/calendar', empty: 'Nothing scheduled yet' },
	{ label: 'Activity', path: '/activity', empty: 'No activity yet' }
];

const isPhone = () => test.info().project.name === 'phone';

/** The navigation shown at this size; the other one is display:none, so has no role. */
function primaryNav(page: Page): Locator {
	return page.getByRole('navigation', { name: isPhone() ? 'Primary (mobile)' : 'Primary', exact: true });
}

/** The theme control: in the sidebar on desktop, inside the top-bar menu on phones. */
async function themeControl(page: Page): Promise<Locator> {
	if (isPhone()) await openMenu(page, 'Menu');
	return page.getByRole('radiogroup', { name: 'Theme' });
}

function artifact(name: string): string {
	return fileURLToPath(new URL(`./.artifacts/${name}`, import.meta.url));
}

let slug = '';
let storageState = '';

// In order, in one worker: with the config's fullyParallel a worker could come back to this
// file after another spec and run the sign-up hook again, which failed in full runs.
test.describe.configure({ mode: 'default' });

test.beforeAll(async ({ browser }, workerInfo) => {
	const dir = fileURLToPath(new URL('../../test-results/.auth/', import.meta.url));
	mkdirSync(dir, { recursive: true });
	storageState = `${dir}shell-${workerInfo.project.name}-${workerInfo.workerIndex}.json`;
	const context = await browser.newContext({ baseURL: process.env.MUSTER_E2E_URL });
	const page = await context.newPage();
	({ slug } = await signUp(page, { name: 'Shell Tester', workspace: 'Shell Tour' }));
	await context.storageState({ path: storageState });
	await context.close();
});

test.describe('app shell', () => {
	// eslint-disable-next-line no-empty-pattern
	test.use({ storageState: async ({}, use) => use(storageState) });

	test('renders the home page with the navigation for this screen size', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(`/w/${slug}`);
		await expect(page).toHaveTitle('Home · Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Shell Tour' })).toBeVisible();
		await expect(page.getByRole('main')).toHaveAttribute('id', 'main');
		await expect(page.getByRole('banner')).toBeVisible();

		const [shown, hidden] = isPhone() ? ['Primary (mobile)', 'Primary'] : ['Primary', 'Primary (mobile)'];
		await expect(page.getByRole('navigation', { name: shown, exact: true })).toBeVisible();
		await expect(page.getByRole('navigation', { name: hidden, exact: true })).toHaveCount(0);
		await expect(primaryNav(page).getByRole('link', { name: 'Home', exact: true })).toHaveAttribute(
			'aria-current',
			'page'
		);

		// Every section is one tap away from home (the live grid above links some of them too).
		const cards = page.getByRole('main').getByRole('list', { name: 'Sections', exact: true });
		for (const { label, path } of sections) {
			await expect(cards.getByRole('link', { name: label, exact: true })).toHaveAttribute('href', `/w/${slug}${path}`);
		}
	});

	test('skip link moves focus to the main content', async ({ page }) => {
		test.skip(isPhone(), 'keyboard navigation is a desktop concern');
		await page.goto(`/w/${slug}/leads`);
		await page.keyboard.press('Tab');
		const skip = page.getByRole('link', { name: 'Skip to content' });
		await expect(skip).toBeFocused();
		await skip.press('Enter');
		await expect(page.getByRole('main')).toBeFocused();
	});

	test('the visible navigation reaches every section', async ({ page }) => {
		await page.goto(`/w/${slug}`);
		const nav = primaryNav(page);
		for (const { label, path, empty } of sections) {
			const link = nav.getByRole('link', { name: label, exact: true });
			await link.click();
			await expect(page).toHaveURL(`/w/${slug}${path}`);
			await expect(page).toHaveTitle(`${label} · Muster`);
			await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
			await expect(page.getByRole('heading', { name: empty })).toBeVisible();
			await expect(link).toHaveAttribute('aria-current', 'page');
		}
		await nav.getByRole('link', { name: 'Home', exact: true }).click();
		await expect(page).toHaveURL(`/w/${slug}`);
		await expect(page.getByRole('heading', { level: 1, name: 'Shell Tour' })).toBeVisible();
	});

	test('the workspace switcher lists the workspace and offers a new one', async ({ page }) => {
		await page.goto(`/w/${slug}/leads`);
		await openMenu(page, isPhone() ? 'Menu' : 'Switch workspace');
		const current = page.getByRole('list', { name: 'Workspaces' }).getByRole('link', { name: /Shell Tour/ });
		await expect(current).toHaveAttribute('aria-current', 'true');
		await expect(page.getByRole('link', { name: 'New workspace' })).toHaveAttribute('href', '/workspaces/new');
	});

	test('dark theme persists across a reload, and light comes back', async ({ page }) => {
		const html = page.locator('html');
		await page.emulateMedia({ colorScheme: 'light' });
		await page.goto(`/w/${slug}/leads`);
		let themes = await themeControl(page);
		await expect(themes.getByRole('radio', { name: 'System theme' })).toBeChecked();
		await expect(html).not.toHaveClass(/\bdark\b/);
		await page.screenshot({ path: artifact(`shell-${test.info().project.name}-light.png`) });

		await themes.getByRole('radio', { name: 'Dark theme' }).check();
		await expect(html).toHaveClass(/\bdark\b/);
		await page.reload();
		await expect(html).toHaveClass(/\bdark\b/);
		themes = await themeControl(page);
		await expect(themes.getByRole('radio', { name: 'Dark theme' })).toBeChecked();
		await page.screenshot({ path: artifact(`shell-${test.info().project.name}-dark.png`) });

		await themes.getByRole('radio', { name: 'Light theme' }).check();
		await expect(html).not.toHaveClass(/\bdark\b/);
		await page.reload();
		await expect(html).not.toHaveClass(/\bdark\b/);
		themes = await themeControl(page);
		await expect(themes.getByRole('radio', { name: 'Light theme' })).toBeChecked();
	});

	test('system theme follows the operating system', async ({ page }) => {
		const html = page.locator('html');
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.goto('/');
		await expect(html).toHaveClass(/\bdark\b/);
		await page.emulateMedia({ colorScheme: 'light' });
		await expect(html).not.toHaveClass(/\bdark\b/);
	});
});

test.describe('signed out', () => {
	test('an unknown address shows the styled 404 page', async ({ page }) => {
		const response = await page.goto('/no-such-page');
		expect(response?.status()).toBe(404);
		await expect(page).toHaveTitle('Page not found · Muster');
		await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
		await expect(page.getByText('404', { exact: true })).toBeVisible();

		await page.getByRole('main').getByRole('link', { name: 'Back to home' }).click();
		await expect(page).toHaveURL('/login');
		await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Muster' })).toBeVisible();
	});

	test('the workspace area sends signed-out visitors to sign in', async ({ page }) => {
		await page.goto('/w/anything/leads');
		await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/w/anything/leads')}`);
	});
});
