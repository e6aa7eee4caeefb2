import { writeFile } from 'node:fs/promises';
import type { CDPSession, Page } from '@playwright/test';
import { csvText, GENERIC_HEADERS, genericRows } from '../fixtures/generate-leads';
import { test, expect } from './fixtures';
import { disableAutofill, isPhone, ready, screenshots, signUp } from './support/account';
import { BROWSE_PEOPLE, closeSeedDb, seedWorkspaceLeads } from './support/leads';

/**
 * Leads from the browser: a generic CSV uploaded over tus (progress, pause, a reload in the
 * middle and resuming), checked, mapped and imported by the real ingest job with live
 * progress; then searching, filtering, saved filters, a lead's page and do-not-contact.
 */

test.describe.configure({ timeout: 120_000 });
test.beforeEach(async ({ page }) => disableAutofill(page));
test.afterAll(async () => closeSeedDb());

/** Chromium's network emulation slows uploads down enough to pause one on localhost. */
async function throttleUploads(page: Page, bytesPerSecond: number | null): Promise<CDPSession> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: 0,
		downloadThroughput: -1,
		uploadThroughput: bytesPerSecond ?? -1
	});
	return cdp;
}

const percentOf = async (page: Page) => Number((await page.getByTestId('upload-percent').textContent())?.replace('%', '') ?? 0);

test('import a generic CSV: upload with progress, pause, reload and resume, map the columns, watch it finish', async ({ page }) => {
	const account = await signUp(page, { workspace: 'Import Desk' });
	const rows = 6_000;
	// A file on disk, like a person's: the browser fingerprints it by name, size and mtime.
	const content = Buffer.from(csvText(GENERIC_HEADERS, genericRows(rows, 11)));
	const file = test.info().outputPath('generic-leads.csv');
	await writeFile(file, content);

	await page.goto(`/w/${account.slug}/leads`);
	await ready(page);
	await expect(page.getByRole('heading', { name: 'No leads yet' })).toBeVisible();
	await page.getByRole('link', { name: 'Import a CSV' }).click();
	await expect(page).toHaveURL(/\/leads\/imports\/new$/);
	await ready(page);

	// About 8 s of upload at this rate: enough to see the speed, pause, and leave mid-way.
	await throttleUploads(page, Math.round(content.length / 8));
	await page.getByLabel('Choose a CSV file').setInputFiles(file);
	const bar = page.getByRole('progressbar', { name: 'Upload progress' });
	await expect(bar).toBeVisible();
	await expect.poll(() => percentOf(page), { timeout: 15_000 }).toBeGreaterThan(5);
	await expect(page.getByTestId('upload-speed')).toHaveText(/\/s$/);
	await expect(page.getByTestId('upload-eta')).toHaveText(/left$/);
	await screenshots(page, 'leads-upload-progress');

	await page.getByRole('button', { name: 'Pause' }).click();
	await expect(page.getByText('Paused')).toBeVisible();
	const paused = await percentOf(page);
	await page.waitForTimeout(800);
	expect(await percentOf(page)).toBe(paused);

	// A reload forgets the file but not the upload: choosing the file again continues it.
	await page.reload();
	await ready(page);
	await expect(page.getByRole('heading', { name: 'Unfinished uploads in this browser' })).toBeVisible();
	await expect(page.getByText('generic-leads.csv')).toBeVisible();
	await throttleUploads(page, Math.round(content.length / 8));
	await page.getByLabel('Choose a CSV file').setInputFiles(file);
	await expect(page.getByText(/Continued an upload started earlier/)).toBeVisible();
	// It went on from what the server had (a little less than the page had sent when paused:
	// bytes still in flight were dropped), not from zero.
	expect(await percentOf(page)).toBeGreaterThan(0);
	await throttleUploads(page, null);
	await page.waitForURL(/\/leads\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
	await ready(page);

	// Check the file: what was detected is shown and can be changed.
	await expect(page.getByRole('heading', { name: 'generic-leads.csv' })).toBeVisible();
	await expect(page.getByLabel('Encoding')).toHaveValue('utf-8');
	await expect(page.getByLabel('Delimiter')).toHaveValue(',');
	await expect(page.getByRole('table', { name: 'Preview of the first rows' }).getByRole('columnheader', { name: 'Customer' })).toBeVisible();
	await page.getByLabel('Read it as').selectOption('generic');

	// Map the generic columns: some suggested, some by hand.
	const mapping = page.getByRole('list', { name: 'Column mapping' });
	await expect(mapping).toBeVisible();
	await expect(page.getByLabel('Map Tel to')).toHaveValue('phone');
	await page.getByLabel('Map Customer to').selectOption({ label: 'Full name' });
	await page.getByLabel('Map Street Line to').selectOption({ label: 'Street address' });
	await page.getByLabel('Map Town to').selectOption({ label: 'City' });
	await page.getByLabel('Map Region to').selectOption({ label: 'State' });
	await page.getByLabel('Map Postcode to').selectOption({ label: 'ZIP code' });
	await page.getByLabel('Map Notes to').selectOption({ label: 'Keep as attribute' });
	await page.getByLabel('Existing relationship').check();
	await screenshots(page, 'leads-import-setup');

	// The ingest job runs it; the page follows live and ends with counts that add up.
	await page.getByRole('button', { name: 'Start import' }).click();
	await expect(page.getByTestId('import-status')).toHaveText(/Queued|Importing|Completed/, { timeout: 15_000 });
	await expect(page.getByTestId('import-status')).toHaveText('Completed', { timeout: 90_000 });
	await expect(page.getByTestId('count-read')).toHaveText(rows.toLocaleString('en-US'));
	const count = async (id: string) => Number((await page.getByTestId(`count-${id}`).textContent())?.replace(/\D/g, '') ?? 0);
	expect((await count('created')) + (await count('merged')) + (await count('rejected'))).toBe(rows);
	expect(await count('created')).toBeGreaterThan(rows / 2);
	await expect(page.getByRole('list', { name: 'Import log' }).getByRole('listitem').first()).toBeVisible();
	await screenshots(page, 'leads-import-done');

	// A late visitor sees the same log, replayed.
	await page.reload();
	await ready(page);
	await expect(page.getByRole('list', { name: 'Import log' }).getByRole('listitem').first()).toBeVisible();

	await page.getByRole('link', { name: 'See these leads' }).click();
	await ready(page);
	await expect(page.getByTestId('lead-count')).toHaveText(/lead/);
	await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('From generic-leads.csv');
});

test('search and filter leads, save a filter, open a lead, add a phone to DNC and see the flag', async ({ page }) => {
	const account = await signUp(page, { workspace: 'Browse Desk' });
	await seedWorkspaceLeads(account.slug, BROWSE_PEOPLE, 'open-house-list.csv');
	const leads = `/w/${account.slug}/leads`;
	await page.goto(leads);
	await ready(page);
	await expect(page.getByTestId('lead-count')).toHaveText('5 leads');
	const visibleLead = (name: string) => page.getByRole('link', { name, exact: true });
	await expect(visibleLead('Maria Gonzalez')).toBeVisible();
	await screenshots(page, 'leads-table');

	// Phone search in any format finds the E.164 number.
	await page.getByLabel('Search leads').fill('(512) 555-0101');
	await page.getByLabel('Search leads').press('Enter');
	await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
	await expect(visibleLead('Maria Gonzalez')).toBeVisible();
	await page.getByLabel('Search leads').fill('harbor');
	await page.getByLabel('Search leads').press('Enter');
	await expect(visibleLead('Aisha Khan')).toBeVisible();
	await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
	await page.getByRole('button', { name: 'Clear all' }).click();
	await expect(page.getByTestId('lead-count')).toHaveText('5 leads');

	// Filters: state and tag, shown as chips, kept in the URL.
	await page.getByRole('button', { name: 'Filters', exact: true }).click();
	await page.getByLabel('States').fill('tx, fl');
	await page.getByLabel('Tags (all of)').fill('hot');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await expect(page).toHaveURL(/state=TX%2CFL|state=TX,FL/);
	await expect(page.getByTestId('lead-count')).toHaveText('2 leads');
	await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('Tag hot');
	await page.getByRole('button', { name: 'Remove filter Tag hot' }).click();
	await expect(page.getByTestId('lead-count')).toHaveText('4 leads');
	await page.getByLabel('Sort').selectOption('name');
	await expect(page).toHaveURL(/sort=name/);
	await screenshots(page, 'leads-filtered');

	// Save the filter; it comes back from the saved filters menu.
	await page.getByRole('button', { name: 'Saved filters' }).click();
	await page.getByRole('button', { name: 'Save current filter…' }).click();
	await page.getByLabel('Name this filter').fill('Texas and Florida');
	await page.getByRole('button', { name: 'Save filter' }).click();
	await expect(page.getByRole('list', { name: 'Saved filters' }).getByRole('link', { name: 'Texas and Florida' })).toBeVisible();
	await page.goto(leads);
	await ready(page);
	await page.getByRole('button', { name: 'Saved filters' }).click();
	await page.getByRole('link', { name: 'Texas and Florida' }).click();
	await expect(page.getByTestId('lead-count')).toHaveText('4 leads');

	// A lead's page: phones, attributes, the source row against the file's headers.
	await visibleLead('Aisha Khan').click();
	await expect(page.getByRole('heading', { level: 1, name: 'Aisha Khan' })).toBeVisible();
	const phones = page.getByRole('list', { name: 'Phones' });
	await expect(phones.getByRole('listitem')).toHaveCount(2);
	await expect(page.getByRole('list', { name: 'Source rows' })).toContainText('open-house-list.csv');
	await expect(page.getByRole('list', { name: 'Source rows' })).toContainText('Harbor');

	// Add one phone to the do-not-contact list: the flag shows on the lead and in the table.
	const second = phones.getByRole('listitem', { name: '(305) 555-0113' });
	await second.getByRole('button', { name: 'Add to DNC' }).click();
	await page.getByLabel(/Why may \(305\) 555-0113 not be contacted/).fill('Asked us to stop');
	await page.getByRole('button', { name: 'Add to do-not-contact' }).click();
	await expect(second.getByText('Do not contact')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Aisha Khan' }).locator('..').getByText('Do not contact')).toBeVisible();
	await screenshots(page, 'leads-lead');

	await page.getByRole('link', { name: 'All leads' }).click();
	await ready(page);
	await page.getByRole('button', { name: 'Filters', exact: true }).click();
	await page.getByLabel('Do not contact').selectOption('listed');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
	await expect(visibleLead('Aisha Khan')).toBeVisible();
	await expect(page.getByTitle('On the do-not-contact list').filter({ visible: true })).toHaveCount(1);

	// The registry lists it with the reason and the lead; a number typed by hand is normalised.
	await page.getByRole('link', { name: 'Do not contact' }).click();
	await ready(page);
	const listed = page.getByRole('region', { name: 'Listed numbers' });
	await expect(listed.getByRole('listitem', { name: '(305) 555-0113' })).toContainText('Asked us to stop');
	await page.getByLabel('Phone number').fill('555-12');
	await page.getByRole('button', { name: 'Add to the list' }).click();
	await expect(page.getByRole('alert')).toContainText('"555-12" is not a valid phone number');
	await page.getByLabel('Phone number').fill('+1 (214) 555 0102');
	await page.getByLabel('Reason', { exact: true }).fill('Litigator');
	await page.getByRole('button', { name: 'Add to the list' }).click();
	await expect(page.getByRole('status')).toContainText('(214) 555-0102 is now on the list.');
	await expect(listed.getByRole('listitem', { name: '(214) 555-0102' })).toContainText('James Whitfield');
	await screenshots(page, 'leads-dnc');
	if (!isPhone()) {
		// As the owner (an admin), removal is offered.
		await expect(listed.getByRole('button', { name: 'Remove (214) 555-0102' })).toBeVisible();
	}
});
