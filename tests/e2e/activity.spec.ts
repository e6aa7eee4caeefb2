import { writeFile } from 'node:fs/promises';
import { contactRows, csvText, CONTACT_HEADERS } from '../fixtures/generate-leads';
import { test, expect } from './fixtures';
import { disableAutofill, ready, screenshots, signUp } from './support/account';

/**
 * The Activity page lists the workspace's jobs. An import started in one tab appears in
 * another tab's Activity list on its own, follows its progress live and ends completed.
 */

test.describe.configure({ timeout: 120_000 });
test.beforeEach(async ({ page }) => disableAutofill(page));

test('an import started elsewhere shows on Activity, progresses live and completes', async ({ page }) => {
	const account = await signUp(page, { name: 'Robin Starter', workspace: 'Activity Desk' });
	const activity = `/w/${account.slug}/activity`;

	// Nothing has run yet: the section's empty state.
	await page.goto(activity);
	await ready(page);
	await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'No activity yet' })).toBeVisible();

	// A second tab of the same person starts the import through the ordinary flow.
	const rows = 20_000;
	const file = test.info().outputPath('activity-contacts.csv');
	await writeFile(file, csvText(CONTACT_HEADERS, contactRows(rows, 21)));
	const importer = await page.context().newPage();
	await importer.goto(`/w/${account.slug}/leads/imports/new`);
	await ready(importer);
	await importer.getByLabel('Choose a CSV file').setInputFiles(file);
	await importer.waitForURL(/\/leads\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
	await ready(importer);
	await expect(importer.getByLabel('Read it as')).toHaveValue('contact');
	await importer.getByRole('button', { name: 'Start import' }).click();
	await expect(importer.getByTestId('import-status')).toHaveText(/Queued|Importing|Completed/, { timeout: 15_000 });
	const importPath = new URL(importer.url()).pathname;

	// The Activity tab picks it up without a reload, as a named job in the jobs list.
	const jobs = page.getByRole('list', { name: 'Jobs' });
	const job = jobs.getByRole('listitem').filter({ hasText: 'activity-contacts.csv' });
	await expect(job).toBeVisible({ timeout: 15_000 });
	await expect(job.getByRole('article', { name: 'activity-contacts.csv' })).toBeVisible();
	await expect(job).toContainText('started by you');
	const status = job.getByTestId('job-status');
	// A fast import can be done before the list's next read picks it up; then it simply appears finished.
	const seenRunning = /Queued|Importing/.test((await status.textContent()) ?? '');
	if (seenRunning) {
		// Still running: the live bar, the counts and the speed are there.
		// It can finish between that read and this one: then the finished summary replaces the bar.
		const bar = job.getByRole('progressbar', { name: 'Progress of activity-contacts.csv' });
		await expect(bar.or(status.getByText('Completed'))).toBeVisible();
		if (await bar.isVisible()) await expect(job.getByLabel('Counts').getByText('Read', { exact: true }).or(status.getByText('Completed'))).toBeVisible();
		// Rows per second appear with the first batch, unless the job is done by then.
		await expect(job.getByTestId('import-rate').or(status.getByText('Completed'))).toBeVisible({ timeout: 30_000 });
		if (await job.getByTestId('import-rate').isVisible()) {
			await expect(job.getByTestId('import-rate')).toHaveText(/rows\/s/);
			await screenshots(page, 'activity-running');
		}
	}
	await expect(status).toHaveText('Completed', { timeout: 90_000 });
	await expect(job).toContainText(`${rows.toLocaleString('en-US')} rows read`);
	// Followed while it ran: its end is announced to screen readers (a job that appeared finished changed nothing to announce).
	if (seenRunning) await expect(job.locator('[aria-live="polite"]')).toContainText('activity-contacts.csv: completed.');
	await screenshots(page, 'activity-done');

	// A late visitor sees the finished job; its name leads to the import page.
	await page.reload();
	await ready(page);
	await expect(job.getByTestId('job-status')).toHaveText('Completed');
	await job.getByRole('link', { name: 'activity-contacts.csv', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`${importPath}$`));
	await expect(page.getByTestId('import-status')).toHaveText('Completed');
	await importer.close();
});
