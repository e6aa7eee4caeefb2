import type { Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { test, expect } from './fixtures';
import { campaigns, dryRuns, jobEvents, leadImports, savedFilters } from '../../db/schema/index';
import { refreshCrusades } from '../../server/crusades/service';
import { disableAutofill, ready, screenshots, signUp } from './support/account';
import { BROWSE_PEOPLE, closeSeedDb, e2eDb, seedWorkspaceLeads } from './support/leads';
import { secondBrowser, teamWithMember } from './support/team';
import { publishSeededCrusade, seedCrusade, seedPublishedCampaign, seedSenders, WEEK_9_TO_5 } from '../support/crusades';

/**
 * The live grid on the workspace home, on phone and desktop: what each stage shows for a
 * workspace with a bit of everything; a teammate's new campaign and a new sender number
 * appearing on the other person's grid without a reload; a stranger refused.
 */

test.describe.configure({ timeout: 120_000 });
test.beforeEach(async ({ page }) => disableAutofill(page));
test.afterAll(async () => closeSeedDb());

const stage = (page: Page, name: 'files' | 'campaigns' | 'numbers' | 'crusades') => page.getByTestId(`stage-${name}`);

async function openHome(page: Page, slug: string): Promise<void> {
	await page.goto(`/w/${slug}`);
	await ready(page);
	await expect(page.getByRole('heading', { name: 'Pipeline' })).toBeVisible();
	// Live once the tab has joined the workspace's room.
	await expect(page.getByTestId('pipeline-live')).toHaveText('Live');
}

/** A reload would lose this mark; finding it later proves the page changed in place. */
async function markPage(page: Page): Promise<void> {
	await page.evaluate(() => ((window as unknown as { overviewMark: boolean }).overviewMark = true));
}
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { overviewMark?: boolean }).overviewMark === true);

test("a teammate's new campaign and a new sender number appear without a reload; a stranger is refused", async ({ page, browser }) => {
	const { owner, member } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Overview Crew' });
	try {
		await openHome(page, owner.slug);
		await expect(stage(page, 'campaigns').getByText('No campaigns yet')).toBeVisible();
		await expect(stage(page, 'numbers').getByText('No sender numbers yet')).toBeVisible();
		await expect(stage(page, 'files').getByRole('link', { name: 'Import leads' }).first()).toBeVisible();
		await screenshots(page, 'overview-empty');
		await markPage(page);

		// The operator creates a campaign in their own browser; the owner's grid shows it.
		await member.goto(`/w/${owner.slug}/campaigns`);
		await ready(member);
		await member.getByLabel('New campaign').fill('Spring sellers');
		await member.getByRole('button', { name: 'Create campaign' }).click();
		await member.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
		const campaignsStage = stage(page, 'campaigns');
		await expect(campaignsStage.getByRole('link', { name: 'Spring sellers' })).toBeVisible();
		await expect(campaignsStage).toContainText(/1\s*campaign\b/);
		await expect(campaignsStage.getByText('Draft', { exact: true })).toBeVisible();
		expect(await stillSamePage(page)).toBe(true);

		// The owner adds a number; the operator, now on the home page, sees the pool grow.
		await openHome(member, owner.slug);
		await expect(stage(member, 'numbers').getByText('Admins and the owner add sender numbers.')).toBeVisible();
		await markPage(member);
		await page.goto(`/w/${owner.slug}/numbers`);
		await ready(page);
		await page.getByLabel('Phone number').fill('(415) 555-0100');
		await page.getByLabel('Provider account').fill('AC-west');
		await page.getByLabel('10DLC brand id').fill('BACME01');
		await page.getByLabel('10DLC campaign id').fill('CACME01');
		await page.getByLabel(/^Daily cap/).fill('500');
		await page.getByRole('button', { name: 'Add number' }).click();
		const numbersStage = stage(member, 'numbers');
		await expect(numbersStage.getByRole('list', { name: 'Pool by 10DLC brand' })).toContainText('BACME01');
		await expect(numbersStage.getByRole('meter', { name: 'Active share of the pool' })).toHaveAttribute('aria-valuetext', '1 of 1 numbers active');
		await expect(numbersStage).toContainText('500/day');
		expect(await stillSamePage(member)).toBe(true);

		// Someone outside the workspace gets the same answer as for a workspace that does not exist.
		const stranger = await secondBrowser(browser, page);
		try {
			await signUp(stranger, { workspace: 'Elsewhere Inc' });
			await stranger.goto(`/w/${owner.slug}`);
			await expect(stranger.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
			await expect(stranger.getByRole('heading', { name: 'Pipeline' })).toHaveCount(0);
		} finally {
			await stranger.context().close();
		}
	} finally {
		await member.context().close();
	}
});

test('each stage shows its figures, with links into its section', async ({ page }) => {
	const account = await signUp(page, { workspace: 'Overview Tour' });
	const db = e2eDb();
	const { workspaceId } = await seedWorkspaceLeads(account.slug, BROWSE_PEOPLE, 'spring-sellers.csv');
	// An import under way, as far as its job's stored progress says (the row follows per batch).
	const [running] = await db
		.insert(leadImports)
		.values({ workspaceId, fileName: 'county-records.csv', fileSize: 1_000_000, uploadId: `e2e-${crypto.randomUUID()}`, status: 'running', rowsRead: 1_000, leadsCreated: 900 })
		.returning({ id: leadImports.id });
	const progress = { rowsRead: 4_200, leadsCreated: 3_900, leadsMerged: 250, rowsRejected: 50, bytesRead: 400_000, fileSize: 1_000_000, rowsPerSecond: 2_100, secondsLeft: 3 };
	await db.insert(jobEvents).values({ queue: 'ingest', jobId: running!.id, kind: 'progress', data: progress, expiresAt: new Date(Date.now() + 3600_000) });
	const { campaignId, hash } = await seedPublishedCampaign(db, workspaceId, { name: 'Texas sellers', filter: { states: ['TX'] } });
	const [filter] = await db.select({ id: savedFilters.id }).from(savedFilters).where(eq(savedFilters.workspaceId, workspaceId));
	await db.update(savedFilters).set({ name: 'Texas homeowners' }).where(eq(savedFilters.id, filter!.id));
	await db.update(campaigns).set({ draftHash: hash, audienceFilterId: filter!.id }).where(eq(campaigns.id, campaignId));
	await db.insert(campaigns).values({ workspaceId, name: 'Solar follow-up', errorCount: 2 });
	await seedSenders(db, workspaceId, [
		{ e164: '+15125550100', providerAccount: 'AC-south', brandId: 'BACME01', campaignId: 'CACME01', areaCode: '512', state: 'TX', dailyCap: 1000 },
		{ e164: '+12145550100', providerAccount: 'AC-south', brandId: 'BACME01', campaignId: 'CACME01', areaCode: '214', state: 'TX', dailyCap: 750 },
		{ e164: '+13055550100', providerAccount: 'AC-east', brandId: 'BSOLAR2', campaignId: 'CSOLAR2', areaCode: '305', state: 'FL', status: 'paused', dailyCap: 250 }
	]);
	const startsAt = new Date(Date.now() + 2 * 24 * 3600_000).toISOString();
	const endsAt = new Date(Date.now() + 20 * 24 * 3600_000).toISOString();
	const crusadeId = await seedCrusade(db, workspaceId, { name: 'Spring push', campaignIds: [campaignId], schedule: { startsAt, endsAt, windows: WEEK_9_TO_5 } });
	await refreshCrusades(db, workspaceId, [crusadeId]);
	await publishSeededCrusade(db, workspaceId, crusadeId);
	const [run] = await db
		.insert(dryRuns)
		.values({ workspaceId, source: `crusade:${crusadeId}@v1`, input: {}, status: 'completed', total: 5, done: 5, wouldSend: 3, blocked: 2, finishedAt: new Date() })
		.returning({ id: dryRuns.id });

	await openHome(page, account.slug);
	const files = stage(page, 'files');
	await expect(files.getByRole('link', { name: 'spring-sellers.csv' })).toHaveAttribute('href', /\/leads\/imports\/[0-9a-f-]{36}$/);
	await expect(files).toContainText(/1\s*importing now/);
	// The running import follows its job: its bar and counts come from the job's progress.
	await expect(files.getByRole('progressbar', { name: 'Progress of county-records.csv' })).toHaveAttribute('aria-valuenow', '40');
	await expect(files.getByRole('listitem').first()).toContainText('4,200');

	const campaignsStage = stage(page, 'campaigns');
	await expect(campaignsStage.getByRole('list', { name: 'Recent campaigns' }).getByRole('listitem')).toHaveCount(2);
	await expect(campaignsStage).toContainText('Texas homeowners · 2 leads');
	await expect(campaignsStage).toContainText('1 published');
	await expect(campaignsStage.getByText('2 issues')).toBeVisible();
	await expect(campaignsStage.getByRole('link', { name: 'Texas sellers' })).toHaveAttribute('href', `/w/${account.slug}/campaigns/${campaignId}`);

	const numbersStage = stage(page, 'numbers');
	await expect(numbersStage.getByRole('meter', { name: 'Active share of the pool' })).toHaveAttribute('aria-valuetext', '2 of 3 numbers active');
	await expect(numbersStage).toContainText('1,750/day');

	const crusadesStage = stage(page, 'crusades');
	await expect(crusadesStage.getByRole('link', { name: 'Spring push', exact: true })).toBeVisible();
	await expect(crusadesStage.getByText('Upcoming')).toBeVisible();
	await expect(crusadesStage.getByRole('link', { name: 'Last dry-run of Spring push: 3 would send · 2 blocked' })).toHaveAttribute('href', `/w/${account.slug}/crusades/${crusadeId}/dry-runs/${run!.id}`);
	await screenshots(page, 'overview');

	// Keyboard: each stage leads into its section.
	await crusadesStage.getByRole('link', { name: 'All crusades' }).focus();
	await expect(crusadesStage.getByRole('link', { name: 'All crusades' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(new RegExp(`/w/${account.slug}/crusades$`));
});
