import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { disableAutofill, ready, screenshots, signUp } from './support/account';
import { teamWithMember } from './support/team';

/**
 * Sender numbers from the browser: add one by hand and edit it in place, import a CSV with a
 * bad row (the good rows land, the bad one is explained), messaging settings with a validation
 * error, and a viewer who sees everything read-only. On phone and desktop.
 */

test.describe.configure({ timeout: 90_000 });
test.beforeEach(async ({ page }) => disableAutofill(page));

const CSV = [
	'Phone Number,Account SID,Brand,Campaign,Status,Daily Cap',
	'(212) 555-0140,AC-east,BACME01,CACME01,active,1000',
	'555-0142,AC-east,BACME01,CACME01,,',
	'(512) 555-0150,AC-south,BSOLAR2,CSOLAR2,paused,250'
].join('\n');

async function openNumbers(page: Page, slug: string) {
	await page.goto(`/w/${slug}/numbers`);
	await ready(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Sender numbers' })).toBeVisible();
}

const row = (page: Page, phone: string) => page.getByRole('table', { name: 'Sender numbers' }).getByRole('row', { name: phone });

test('add a number and edit its status and daily cap in place', async ({ page }) => {
	const account = await signUp(page, { workspace: 'Number Desk' });
	await openNumbers(page, account.slug);
	await expect(page.getByRole('heading', { name: 'No sender numbers yet' })).toBeVisible();

	await page.getByLabel('Phone number').fill('(415) 555-0100');
	await page.getByLabel('Provider account').fill('AC-west');
	await page.getByLabel('10DLC brand id').fill('BACME01');
	await page.getByLabel('10DLC campaign id').fill('CACME01');
	await page.getByLabel(/^Daily cap/).fill('lots');
	await expect(page.getByText('A whole number of messages per day, or blank.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Add number' })).toBeDisabled();
	await page.getByLabel(/^Daily cap/).fill('500');
	await page.getByRole('button', { name: 'Add number' }).click();

	const added = row(page, '(415) 555-0100');
	await expect(added).toBeVisible();
	await expect(added.getByText('CA', { exact: false }).first()).toBeVisible();
	await expect(added.getByLabel('Daily cap of (415) 555-0100')).toHaveValue('500');
	await expect(page.getByRole('button', { name: /Active 1/ })).toBeVisible();

	await added.getByLabel('Status of (415) 555-0100').selectOption('paused');
	await expect(page.getByRole('button', { name: /Paused 1/ })).toBeVisible();
	const cap = added.getByLabel('Daily cap of (415) 555-0100');
	await cap.fill('750');
	await cap.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'Daily cap of (415) 555-0100: 750.' })).toBeAttached();
	await page.reload();
	await ready(page);
	await expect(row(page, '(415) 555-0100').getByLabel('Status of (415) 555-0100')).toHaveValue('paused');
	await expect(row(page, '(415) 555-0100').getByLabel('Daily cap of (415) 555-0100')).toHaveValue('750');

	// The same number again is refused with a message that says what to do.
	await page.getByRole('button', { name: 'Add a number' }).click();
	await page.getByLabel('Phone number').fill('+14155550100');
	await page.getByLabel('Provider account').fill('AC-west');
	await page.getByLabel('10DLC brand id').fill('BACME01');
	await page.getByLabel('10DLC campaign id').fill('CACME01');
	await page.getByRole('button', { name: 'Add number' }).click();
	await expect(page.getByRole('alert')).toHaveText("+14155550100 is already in this workspace's inventory. Edit that number instead of adding it again.");
	await screenshots(page, 'numbers-added');

	// Deleting asks first.
	await row(page, '(415) 555-0100').getByRole('button', { name: 'Delete (415) 555-0100' }).click();
	await page.getByRole('button', { name: 'Delete number' }).click();
	await expect(page.getByRole('heading', { name: 'No sender numbers yet' })).toBeVisible();
});

test('import a CSV with one bad row: the good rows land, the bad one is explained', async ({ page }) => {
	const account = await signUp(page, { workspace: 'Import Numbers' });
	await openNumbers(page, account.slug);
	await page.getByLabel('or choose a file').setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });

	const preview = page.getByTestId('import-preview');
	await expect(preview).toContainText('numbers.csv: 2 rows ready · 1 with problems');
	const columns = page.getByRole('list', { name: 'How the columns are read' });
	await expect(columns.getByRole('listitem')).toHaveText(['Phone Number → Phone number', 'Account SID → Provider account', 'Brand → 10DLC brand', 'Campaign → 10DLC campaign', 'Status → Status', 'Daily Cap → Daily cap']);
	const problems = page.getByRole('list', { name: 'Rows with problems' });
	await expect(problems).toHaveText('Row 3 · Phone number: "555-0142" is not a US phone number');
	await screenshots(page, 'numbers-import-preview');

	await page.getByRole('button', { name: 'Import 2 numbers' }).click();
	await expect(page.getByTestId('import-summary')).toHaveText(/2\s+added · 0\s+updated · 0\s+unchanged · 1\s+rejected/);
	await expect(page.getByRole('list', { name: 'Rows with problems' })).toHaveText(/Row 3/);
	await expect(row(page, '(212) 555-0140')).toBeVisible();
	await expect(row(page, '(512) 555-0150')).toBeVisible();
	await expect(page.getByText('BSOLAR2', { exact: true }).first()).toBeVisible();

	// Search narrows the table; the counts stay those of the whole inventory.
	await page.getByLabel('Search by number, account, brand or campaign').fill('512');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page.getByText('1 of 2 numbers match')).toBeVisible();
	await expect(row(page, '(212) 555-0140')).toHaveCount(0);
	await screenshots(page, 'numbers-imported');
});

test('messaging settings: a bad policy is explained, a good one saved; a viewer sees numbers and settings read-only', async ({ page, browser }) => {
	const { owner, member } = await teamWithMember(page, browser, { role: 'Viewer', workspace: 'Policy Room' });
	try {
		await page.goto(`/w/${owner.slug}/settings`);
		await ready(page);
		await expect(page.getByRole('heading', { name: 'Messaging' })).toBeVisible();
		await expect(page.getByLabel('Require a consent basis')).toBeChecked();
		await page.getByLabel('Accepted phrases, one per line').fill('');
		await page.getByLabel('Or patterns (regular expressions), one per line').fill('(stop');
		await expect(page.getByText('“(stop” is not a valid regular expression.')).toBeVisible();
		await page.getByLabel('Or patterns (regular expressions), one per line').fill('');
		await expect(page.getByText('Give at least one phrase or pattern, or turn the policy off.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Save messaging settings' })).toBeDisabled();
		await page.getByLabel('Accepted phrases, one per line').fill('Reply STOP to opt out\nText STOP to end');
		await page.getByLabel('Default sender name').fill('Sam');
		await page.getByLabel('Company name').fill('Acme Homes');
		await page.getByRole('button', { name: 'Save messaging settings' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Messaging settings saved.' })).toBeVisible();
		await page.reload();
		await ready(page);
		await expect(page.getByLabel('Company name')).toHaveValue('Acme Homes');
		await screenshots(page, 'numbers-messaging-settings');

		await openNumbers(page, owner.slug);
		await page.getByLabel('or choose a file').setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
		await page.getByRole('button', { name: 'Import 2 numbers' }).click();
		await expect(page.getByTestId('import-summary')).toBeVisible();

		await openNumbers(member, owner.slug);
		await expect(member.getByTestId('numbers-read-only')).toContainText('only admins and the owner add, edit or import sender numbers');
		await expect(row(member, '(512) 555-0150')).toContainText('Paused');
		await expect(member.getByLabel('Status of (512) 555-0150')).toHaveCount(0);
		await expect(member.getByRole('button', { name: 'Add a number' })).toHaveCount(0);
		await expect(member.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
		await screenshots(member, 'numbers-viewer');

		await member.goto(`/w/${owner.slug}/settings`);
		await ready(member);
		await expect(member.getByLabel('Company name')).toHaveValue('Acme Homes');
		await expect(member.getByLabel('Company name')).toBeDisabled();
		await expect(member.getByRole('button', { name: 'Save messaging settings' })).toHaveCount(0);
	} finally {
		await member.context().close();
	}
});
