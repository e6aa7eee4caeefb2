import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { disableAutofill, isPhone, ready, screenshots, signUp } from './support/account';
import { BROWSE_PEOPLE, closeSeedDb, e2eDb, seedWorkspaceLeads } from './support/leads';
import { secondBrowser, teamWithMember } from './support/team';
import { seedPublishedCampaign, seedSenders } from '../support/crusades';

/**
 * Crusades in two browsers: an owner and an operator co-edit one live (windows, dates), publish
 * it, dry-run it and read why leads would or would not be texted, open one lead's explanation
 * and download the CSV; a viewer looks but cannot edit; a stranger is refused.
 */

test.afterAll(async () => {
	await closeSeedDb();
});

const SAVED = 'All changes saved';
const status = (page: Page) => page.locator('#crusade-status');

/** `datetime-local` text for a day from now, at a given hour, in the browser's zone (UTC here). */
function localInput(daysFromNow: number, hour: number): string {
	const d = new Date();
	d.setUTCDate(d.getUTCDate() + daysFromNow);
	d.setUTCHours(hour, 0, 0, 0);
	return d.toISOString().slice(0, 16);
}

/** Leads, a published campaign over all of them and one sender number, straight into the database. */
async function seedWorkspace(slug: string) {
	const { workspaceId } = await seedWorkspaceLeads(slug, BROWSE_PEOPLE);
	await seedPublishedCampaign(e2eDb(), workspaceId, { name: 'Sellers', vertical: 'real_estate' });
	await seedSenders(e2eDb(), workspaceId, [{ e164: '+15125550100', providerAccount: 'acct-1', brandId: 'BRAND1', campaignId: 'CAMP1', areaCode: '512', state: 'TX' }]);
	return workspaceId;
}

async function createCrusade(page: Page, slug: string, name: string): Promise<string> {
	await page.goto(`/w/${slug}/crusades`);
	await ready(page);
	await page.getByLabel('New crusade').fill(name);
	await page.getByRole('button', { name: 'Create crusade' }).click();
	await page.waitForURL(/\/crusades\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expect(status(page)).toHaveText(SAVED);
	return new URL(page.url()).pathname;
}

/** Full-page pictures from the top, so the sticky bar sits where it belongs. */
async function shots(page: Page, name: string): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	await screenshots(page, name);
}

async function openEditor(page: Page, path: string, saved = SAVED): Promise<void> {
	await page.goto(path);
	await ready(page);
	await expect(status(page)).toHaveText(saved);
}

test.describe('crusades', () => {
	test.beforeEach(async ({ page }) => {
		await disableAutofill(page);
	});

	test('two people co-edit a schedule live, publish, dry-run it and read the reasons', async ({ page, browser }) => {
		test.setTimeout(180_000);
		const { owner, member } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Crusade Room', memberName: 'Tess Operator' });
		try {
			await seedWorkspace(owner.slug);

			const path = await test.step('an empty list explains crusades; the owner creates one', async () => {
				await page.goto(`/w/${owner.slug}/crusades`);
				await ready(page);
				await expect(page.getByRole('heading', { name: 'No crusades yet' })).toBeVisible();
				await shots(page, 'crusades-empty');
				return createCrusade(page, owner.slug, 'Spring sellers');
			});
			await openEditor(member, path);

			await test.step('the owner adds the campaign and a window; the operator sees them', async () => {
				await page.getByLabel('Add a campaign').selectOption({ label: 'Sellers (v1)' });
				await page.getByRole('button', { name: 'Add campaign' }).click();
				await expect(member.getByRole('list', { name: 'Campaigns in this crusade' })).toContainText('Sellers');
				await expect(member.getByRole('list', { name: 'Campaigns in this crusade' })).toContainText('Published v1');

				await page.getByRole('button', { name: 'Add a window on Monday' }).click();
				await expect(member.getByLabel('Monday window 1 starts')).toHaveValue('09:00');
				await expect(member.getByLabel('Monday window 1 ends')).toHaveValue('17:00');
				await page.getByLabel('Monday window 1 ends').fill('18:30');
				await page.getByLabel('Monday window 1 ends').blur();
				await expect(member.getByLabel('Monday window 1 ends')).toHaveValue('18:30');
				await page.getByRole('button', { name: 'Copy Monday to every day' }).click();
				await expect(member.getByLabel('Sunday window 1 ends')).toHaveValue('18:30');
			});

			await test.step('an issue shows live beside its field for both, until it is fixed', async () => {
				await page.getByLabel(/^Starts/).fill(localInput(1, 0));
				await page.getByLabel(/^Starts/).blur();
				await expect(member.getByLabel(/^Starts/)).toHaveValue(localInput(1, 0));
				// No end yet: the schedule is not valid, and both see why.
				await expect(member.getByText(/issues? to fix before publishing/)).toBeVisible();
			});

			await test.step('the operator sets the end date; the owner sees it', async () => {
				await member.getByLabel(/^Ends/).fill(localInput(15, 0));
				await member.getByLabel(/^Ends/).blur();
				await expect(page.getByLabel(/^Ends/)).toHaveValue(localInput(15, 0));
				await expect(page.getByText(/issues? to fix before publishing/)).toHaveCount(0);
				await expect(status(page)).toHaveText(SAVED);
				await expect(status(member)).toHaveText(SAVED);
				expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
				await shots(page, 'crusade-editor');
			});

			await test.step('publish freezes v1; a later edit shows "changes not published"', async () => {
				await page.getByRole('button', { name: 'Publish', exact: true }).click();
				await expect(page.getByRole('status').filter({ hasText: 'Published version 1.' })).toBeVisible();
				await expect(page.locator('#publish-state')).toContainText('Published v1');
				// The others hear of it through the document's awareness.
				await expect(member.locator('#publish-state')).toContainText('Published v1');
				await expect(member.locator('#publish-state')).toContainText('Up to date');
				await member.getByLabel('Jitter').fill('45');
				await member.getByLabel('Jitter').blur();
				await expect(page.getByLabel('Jitter')).toHaveValue('45');
				await expect(page.locator('#publish-state')).toContainText('Changes not published');
				await expect(member.locator('#publish-state')).toContainText('Changes not published');
			});

			await test.step('a dry-run of v1 runs, and says who would be texted and why not', async () => {
				await page.getByRole('button', { name: 'Dry-run v1' }).click();
				await page.waitForURL(/\/dry-runs\/[0-9a-f-]{36}$/);
				await ready(page);
				await expect(page.getByRole('status').filter({ hasText: 'Done' })).toBeVisible({ timeout: 30_000 });
				// Maria (express consent) and Tom (existing relationship) have mobiles and consent.
				await expect(page.getByTestId('would-send')).toHaveText('2');
				const reasons = page.getByRole('list', { name: 'Reasons' });
				await expect(reasons).toContainText('Landline');
				await expect(reasons).toContainText('The phone is a landline; landlines cannot receive texts.');
				await expect(reasons).toContainText('No consent');
				// The job's log is on the page once the run is done (replayed from the stored events).
				await page.getByText(/^Log \(\d+ lines?\)$/).click();
				const log = page.getByRole('list', { name: 'Dry-run log' });
				await expect(log).toContainText('5 leads in the audience');
				await expect(log).toContainText('done: 2 would send, 3 blocked');
				await shots(page, 'dryrun-results');

				await reasons.getByRole('button', { name: /Landline/ }).click();
				const results = page.getByRole(isPhone() ? 'list' : 'table', { name: 'Dry-run results' });
				await expect(results).toContainText('James Whitfield');
				await expect(results).not.toContainText('Maria Gonzalez');
			});

			await test.step("one lead's explanation opens in a sheet", async () => {
				await page.getByRole('list', { name: 'Reasons' }).getByRole('button', { name: /Landline/ }).click(); // back to every lead
				const results = page.getByRole(isPhone() ? 'list' : 'table', { name: 'Dry-run results' });
				await results.getByRole('button', { name: /Maria Gonzalez/ }).click();
				const sheet = page.getByRole('dialog', { name: /Maria Gonzalez/ });
				await expect(sheet.getByRole('list', { name: 'Explanation' })).toContainText(/Would be texted .* on \(512\) 555-0101, from \(512\) 555-0100, in 1 segment\./);
				await expect(sheet).toContainText('America/Chicago');
				await expect(sheet.getByLabel('Message')).toContainText(/^(Hi|Hello) Maria, is your place still for sale\? Reply STOP to opt out\.$/);
				await shots(page, 'dryrun-explanation');
				await sheet.getByRole('button', { name: 'Close explanation' }).click();
				await expect(sheet).toBeHidden();
			});

			await test.step('the CSV holds every lead with its reasons in words', async () => {
				const download = page.waitForEvent('download');
				await page.getByRole('link', { name: 'Download CSV' }).click();
				const file = await (await download).path();
				const lines = (await readFile(file, 'utf8')).trim().split('\r\n');
				expect(lines[0]).toBe('lead_id,name,outcome,reasons,phone,zone,slot_at,sender,variant,segments,why');
				expect(lines).toHaveLength(1 + BROWSE_PEOPLE.length);
				expect(lines.find((l) => l.includes('James Whitfield'))).toContain('landlines cannot receive texts');
			});

			await test.step('the operator sees the run listed on the crusade', async () => {
				await member.reload();
				await ready(member);
				await expect(member.getByRole('list', { name: 'Dry-runs' })).toContainText('2 would send');
			});
		} finally {
			await member.context().close();
		}
	});

	test('a viewer can look but not edit; a stranger is refused', async ({ page, browser }) => {
		test.setTimeout(150_000);
		const { owner, member: viewer } = await teamWithMember(page, browser, { role: 'Viewer', workspace: 'Crusade Watch', memberName: 'Vic Viewer' });
		const stranger = await secondBrowser(browser, page);
		try {
			await seedWorkspace(owner.slug);
			const path = await createCrusade(page, owner.slug, 'Autumn push');
			await page.getByRole('button', { name: 'Add a window on Tuesday' }).click();
			await expect(status(page)).toHaveText(SAVED);

			await test.step('the viewer sees the crusade read-only', async () => {
				await viewer.goto(path);
				await ready(viewer);
				await expect(viewer.getByText('View only')).toBeVisible();
				await expect(viewer.getByLabel('Tuesday window 1 starts')).toHaveValue('09:00');
				await expect(viewer.getByLabel('Tuesday window 1 starts')).toBeDisabled();
				await expect(viewer.getByRole('button', { name: 'Add a window on Monday' })).toBeDisabled();
				await expect(viewer.getByRole('button', { name: 'Publish', exact: true })).toHaveCount(0);
				await expect(viewer.getByRole('button', { name: 'Dry-run the draft' })).toHaveCount(0);
				await shots(viewer, 'crusade-viewer');
				await viewer.goto(`/w/${owner.slug}/crusades`);
				await ready(viewer);
				await expect(viewer.getByRole('link', { name: 'Autumn push' })).toBeVisible();
				await expect(viewer.getByLabel('New crusade')).toHaveCount(0);
				await page.goto(`/w/${owner.slug}/crusades`);
				await ready(page);
				await shots(page, 'crusades-list');
			});

			await test.step('someone outside the workspace gets not found', async () => {
				await signUp(stranger, { name: 'Stan Stranger', workspace: 'Elsewhere' });
				const response = await stranger.goto(path);
				expect(response?.status()).toBe(404);
				const csv = await stranger.request.get(`${path}/dry-runs/00000000-0000-4000-8000-000000000000/results.csv`);
				expect(csv.status()).toBe(404);
			});
		} finally {
			await viewer.context().close();
			await stranger.context().close();
		}
	});
});
