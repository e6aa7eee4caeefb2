import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import * as Y from 'yjs';
import { peer } from '../support/yjs-client';
import { test, expect } from './fixtures';
import { disableAutofill, isPhone, ready, signUp } from './support/account';
import { BROWSE_PEOPLE, closeSeedDb, seedWorkspaceLeads } from './support/leads';
import { secondBrowser, teamWithMember } from './support/team';

/**
 * The campaign builder, two people in two browsers (issue 6): one adds and connects steps,
 * the other sees them appear and writes the message, both see the live issues come and go,
 * publishing makes v1 and a later edit shows "Changes not published". A viewer watches
 * read-only; someone outside the workspace is refused the page.
 */

const SHOTS = '/tmp/shots/campaigns';

test.afterAll(closeSeedDb);

async function shoot(page: Page, name: string): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
		await page.screenshot({ path: `${SHOTS}/${name}-${test.info().project.name}-${colorScheme}.png` });
	}
	await page.emulateMedia({ colorScheme: 'light' });
}

/** A saved filter to be the audience, and a few leads for the preview. */
async function audience(page: Page, slug: string): Promise<void> {
	const { workspaceId } = await seedWorkspaceLeads(slug, BROWSE_PEOPLE);
	const response = await page.request.post('/api/trpc/leads.savedFilters.create', { data: { workspaceId, name: 'Everyone', filter: {} } });
	expect(response.ok()).toBe(true);
}

const node = (page: Page, type: string): Locator => page.locator(`[data-testid="step-node"][data-step-type="${type}"]`);
const editor = (page: Page) => page.getByTestId('campaign-editor');

/** Waits for the live document; on phones switches to the Steps outline, where steps are edited. */
async function opened(page: Page): Promise<void> {
	await expect(editor(page)).toHaveAttribute('data-synced', 'true');
	if (isPhone()) await page.getByRole('tab', { name: 'Steps' }).click();
}

async function openCampaign(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await ready(page);
	await opened(page);
}

/** On phones the Steps outline is where steps are picked; on desktop the canvas. */
async function selectStep(page: Page, type: string, label: string): Promise<void> {
	if (isPhone()) {
		await page.getByRole('tab', { name: 'Steps' }).click();
		await page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: new RegExp(`^${label}`) }).first().click();
	} else {
		await node(page, type).click();
	}
	await expect(page.getByTestId('step-panel').getByRole('heading', { name: label })).toBeVisible();
}

async function addStep(page: Page, label: string): Promise<void> {
	if (isPhone()) {
		await page.getByRole('button', { name: 'Add a step' }).click();
		await page.getByRole('dialog').getByRole('button', { name: `Add ${label}` }).click();
	} else {
		await page.getByRole('region', { name: 'Add a step' }).getByRole('button', { name: `Add ${label}` }).click();
	}
	await expect(page.getByTestId('step-panel').getByRole('heading', { name: label })).toBeVisible();
}

/** The step as this page shows it: a node on the desktop canvas, an outline row on phones. */
function shownStep(page: Page, type: string, label: string): Locator {
	return isPhone() ? page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: new RegExp(`^${label}`) }) : node(page, type);
}

/** Creates a campaign from the list (already open) and waits for its live document; returns its path. */
async function createCampaign(page: Page, name: string): Promise<string> {
	await page.getByLabel('New campaign').fill(name);
	await page.getByRole('button', { name: 'Create campaign' }).click();
	await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
	const url = new URL(page.url()).pathname;
	await opened(page);
	return url;
}

async function settings(page: Page): Promise<void> {
	if (isPhone()) await page.getByRole('tab', { name: 'Settings' }).click();
	await page.getByLabel('Vertical', { exact: true }).fill('Real estate');
	await page.getByLabel('Audience', { exact: true }).selectOption({ label: 'Everyone' });
	if (isPhone()) await page.getByRole('tab', { name: 'Steps' }).click();
}

test('two operators co-build a campaign live, publish v1, and a later edit shows changes not published', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const { owner, member, memberName } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Canvas Crew', memberName: 'Tess Operator' });
	try {
		await audience(page, owner.slug);
		await page.goto(`/w/${owner.slug}/campaigns`);
		await ready(page);
		await expect(page.getByRole('heading', { name: 'No campaigns yet' })).toBeVisible();
		await shoot(page, 'empty');
		const url = await createCampaign(page, 'Spring homeowners');
		await openCampaign(member, url);

		// The first editor laid down Start; both see it, and both see the campaign's issues.
		await expect(shownStep(page, 'start', 'Start')).toBeVisible();
		await expect(shownStep(member, 'start', 'Start')).toBeVisible();
		await expect(member.getByRole('group', { name: isPhone() ? 'Also on this page' : 'Also on this campaign' })).toContainText(owner.name);
		await expect(page.getByRole('list', { name: 'Campaign issues' })).toContainText('Add a Send message step');

		await settings(page);
		await selectStep(page, 'start', 'Start');
		await addStep(page, 'Send message');

		// The teammate sees the new step appear, connected after Start, with its issue.
		const memberSend = shownStep(member, 'send_message', 'Send message');
		await expect(memberSend).toBeVisible();
		if (!isPhone()) await expect(node(member, 'send_message')).toHaveAttribute('data-issues', '1');
		await expect(member.getByRole('list', { name: 'Campaign issues' })).toHaveCount(0);

		// The teammate writes the message; the author sees the text, and the opt-out issue, live.
		await selectStep(member, 'send_message', 'Send message');
		if (!isPhone()) await expect(node(page, 'send_message').getByTestId('peer-selection')).toHaveText(memberName);
		const message = member.getByLabel('Message', { exact: true });
		await message.fill('Hi {{first_name|there}}, thinking of selling {{property_address|your home}} this spring? 🏡');
		await expect(member.getByTestId('ucs2-culprit')).toContainText('forces UCS-2');
		await expect(page.getByLabel('Message', { exact: true })).toHaveValue(/thinking of selling/);
		await expect(page.getByTestId('step-panel').getByTestId('field-errors')).toContainText(/STOP/i);
		if (!isPhone()) await expect(node(page, 'send_message')).toHaveAttribute('data-issues', '1');
		await member.getByRole('button', { name: /^Add “Reply STOP/ }).click();
		await expect(page.getByLabel('Message', { exact: true })).toHaveValue(/Reply STOP to opt out\.$/);
		await expect(page.getByTestId('step-panel').getByTestId('field-errors')).toHaveCount(0);
		if (!isPhone()) await expect(node(page, 'send_message')).toHaveAttribute('data-issues', '0');
		await expect(member.getByTestId('lead-preview')).toContainText('thinking of selling');

		// On the canvas each sees the other's cursor, named, where it is in the flow.
		if (!isPhone()) {
			const box = await member.getByRole('application', { name: 'Campaign canvas' }).boundingBox();
			if (!box) throw new Error('no canvas');
			await expect(async () => {
				await member.mouse.move(box.x + box.width * 0.4 + Math.random() * 40, box.y + box.height * 0.5 + Math.random() * 40, { steps: 4 });
				await expect(page.getByTestId('peer-cursor')).toContainText(memberName, { timeout: 1000 });
			}).toPass();
		}

		// The author ends the flow; nothing is left to fix, for either of them.
		await addStep(page, 'Stop');
		await expect(shownStep(member, 'stop', 'Stop')).toBeVisible();
		for (const person of [page, member]) await expect(person.getByTestId('issue-count')).toHaveText('Ready to publish');
		await expect(page.getByTestId('publish-state')).toHaveText('Not published');
		if (!isPhone()) await shoot(page, 'editor');

		await page.getByRole('button', { name: 'Publish', exact: true }).click();
		await expect(page.getByTestId('publish-state')).toHaveText('Published v1');
		await expect(page.getByRole('status').filter({ hasText: 'Published version 1' })).toBeVisible();

		// A later edit (the teammate's) is a draft again: "Changes not published".
		await message.fill('Hello {{first_name|there}}, still thinking of selling? Reply STOP to opt out.');
		await expect(page.getByTestId('publish-state')).toHaveText('Changes not published');
		await expect(shownStep(page, 'send_message', 'Send message')).toContainText('Hello');
		await page.getByTestId('step-panel').getByRole('button', { name: 'Close step settings' }).click();
		if (isPhone()) {
			// The canvas is there on a phone too, to look at (pan, zoom, fit).
			await page.getByRole('tab', { name: 'Canvas' }).click();
			await expect(node(page, 'send_message')).toBeVisible();
		}
		await shoot(page, 'editor-published');
		if (isPhone()) await page.getByRole('tab', { name: 'Steps' }).click();

		// Undo is per person: the author's undo takes back the author's Stop, not the teammate's text.
		await page.getByRole('button', { name: 'Undo' }).click();
		await expect(shownStep(page, 'stop', 'Stop')).toHaveCount(0);
		await expect(shownStep(member, 'stop', 'Stop')).toHaveCount(0);
		await expect(member.getByLabel('Message', { exact: true })).toHaveValue(/^Hello/);
		await page.getByRole('button', { name: 'Redo' }).click();
		await expect(shownStep(member, 'stop', 'Stop')).toBeVisible();

		await page.goto(`/w/${owner.slug}/campaigns`);
		await ready(page);
		const card = page.getByRole('listitem', { name: 'Spring homeowners' });
		await expect(card).toContainText('v1 · changes not published');
		await expect(card.getByRole('group', { name: 'Editing Spring homeowners now' })).toContainText(memberName);
		await shoot(page, 'list');
	} finally {
		await member.context().close();
	}
});

/** Puts the caret of a text field at `at` (the end when absent), as a click there would. */
async function caret(field: Locator, at?: number): Promise<void> {
	await field.focus();
	await field.evaluate((el: HTMLTextAreaElement, index) => el.setSelectionRange(index ?? el.value.length, index ?? el.value.length), at);
}

test('two operators type into one message at the same moment: both keep their words, carets and own undo', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const { owner, member } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Typing Crew', memberName: 'Tom Typist' });
	try {
		await page.goto(`/w/${owner.slug}/campaigns`);
		await ready(page);
		const url = await createCampaign(page, 'Typed together');
		await openCampaign(member, url);
		await expect(shownStep(page, 'start', 'Start')).toBeVisible();
		await selectStep(page, 'start', 'Start');
		await addStep(page, 'Send message');
		await selectStep(member, 'send_message', 'Send message');

		const mine = page.getByLabel('Message', { exact: true });
		const theirs = member.getByLabel('Message', { exact: true });
		const start = 'Hi {{first_name|there}}, selling this spring?';
		await theirs.fill(start);
		await expect(mine).toHaveValue(start);

		// The owner types at the start while the teammate types at the end, keystrokes interleaved:
		// each sees the other's letters arrive, and their own caret stays where they are typing.
		await caret(mine, 0);
		await caret(theirs);
		await Promise.all([mine.pressSequentially('Quick one: ', { delay: 40 }), theirs.pressSequentially(' Reply STOP to opt out.', { delay: 40 })]);
		const both = `Quick one: ${start} Reply STOP to opt out.`;
		await expect(mine).toHaveValue(both);
		await expect(theirs).toHaveValue(both);

		// A merge field from the menu goes in at the caret, while the other keeps typing elsewhere.
		await caret(mine, 'Quick one: Hi'.length);
		await caret(theirs);
		await Promise.all([
			(async () => {
				await page.getByRole('button', { name: 'Merge field' }).click();
				await page.getByRole('list', { name: 'Merge fields' }).getByRole('button', { name: /^Sender name/ }).click();
			})(),
			theirs.pressSequentially(' Thanks!', { delay: 40 })
		]);
		const merged = `Quick one: Hi{{sender_name}} {{first_name|there}}, selling this spring? Reply STOP to opt out. Thanks!`;
		await expect(mine).toHaveValue(merged);
		await expect(theirs).toHaveValue(merged);

		// Undo in the field takes back the owner's own last change only; redo puts it back.
		await mine.press('ControlOrMeta+z');
		const undone = `Quick one: Hi {{first_name|there}}, selling this spring? Reply STOP to opt out. Thanks!`;
		await expect(mine).toHaveValue(undone);
		await expect(theirs).toHaveValue(undone);
		await mine.press('ControlOrMeta+Shift+z');
		await expect(theirs).toHaveValue(merged);
		await shoot(member, 'typing-together');
	} finally {
		await member.context().close();
	}
});

test('a message written before text was shared converts on first edit, even by two people at once, one of them offline', async ({ page, browser, baseURL }) => {
	test.setTimeout(180_000);
	const { owner, member } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Legacy Crew', memberName: 'Lee Legacy' });
	const session = (await page.context().cookies()).find((cookie) => cookie.name === 'muster_session');
	if (!session || !baseURL) throw new Error('no session');
	try {
		await page.goto(`/w/${owner.slug}/campaigns`);
		await ready(page);
		const url = await createCampaign(page, 'Written long ago');
		await expect(shownStep(page, 'start', 'Start')).toBeVisible();
		// The stock y-websocket client writes a step as the builder used to: the message a plain string.
		const stock = peer(baseURL, `campaign:${url.split('/').at(-1)}`, `muster_session=${session.value}`);
		try {
			await stock.synced();
			stock.doc.transact(() => {
				const node = new Y.Map<unknown>();
				node.set('type', 'send_message');
				node.set('position', { x: 0, y: 200 });
				node.set('config', new Y.Map<unknown>(Object.entries({ body: 'Hi there, selling?', media: [], maxSegments: 3 })));
				stock.doc.getMap('nodes').set('legacy', node);
				stock.doc.getMap('edges').set('old-edge', { source: 'start', target: 'legacy' });
			});
			await stock.allSaved();
			const body = () => ((stock.doc.getMap('nodes').get('legacy') as Y.Map<unknown>).get('config') as Y.Map<unknown>).get('body');

			await openCampaign(member, url);
			await selectStep(page, 'send_message', 'Send message');
			await selectStep(member, 'send_message', 'Send message');
			const mine = page.getByLabel('Message', { exact: true });
			const theirs = member.getByLabel('Message', { exact: true });
			await expect(theirs).toHaveValue('Hi there, selling?');

			// The teammate, offline, starts typing: their tab converts the string on its own. The
			// owner converts it too; when the teammate is back, one conversion wins the key and the
			// other tab's typing is carried over to it, so neither person loses a letter.
			await member.context().setOffline(true);
			await expect(member.locator('#campaign-status')).toHaveText('Offline — changes kept on this device');
			await caret(theirs);
			await theirs.pressSequentially(' Ben here.', { delay: 20 });
			await caret(mine, 0);
			await mine.pressSequentially('Ana: ', { delay: 20 });
			await expect.poll(() => body() instanceof Y.Text).toBe(true);
			await member.context().setOffline(false);
			const both = 'Ana: Hi there, selling? Ben here.';
			await expect(mine).toHaveValue(both);
			await expect(theirs).toHaveValue(both);
			await expect.poll(() => String(body())).toBe(both);
		} finally {
			stock.destroy();
		}
	} finally {
		await member.context().close();
	}
});

test('a viewer watches the campaign live but cannot edit; a non-member is refused', async ({ page, browser }) => {
	test.setTimeout(180_000);
	const { owner, member: viewer } = await teamWithMember(page, browser, { role: 'Viewer', workspace: 'Canvas Watch' });
	const outsider = await secondBrowser(browser, page);
	try {
		await page.goto(`/w/${owner.slug}/campaigns`);
		await ready(page);
		const url = await createCampaign(page, 'Solar follow-up');
		await expect(shownStep(page, 'start', 'Start')).toBeVisible();

		await viewer.goto(`/w/${owner.slug}/campaigns`);
		await ready(viewer);
		await expect(viewer.getByLabel('New campaign')).toHaveCount(0);
		await openCampaign(viewer, url);
		await expect(viewer.getByText('View only')).toBeVisible();
		await expect(viewer.getByRole('button', { name: 'Publish', exact: true })).toHaveCount(0);
		await expect(viewer.getByRole('button', { name: 'Rename campaign' })).toHaveCount(0);
		await expect(viewer.getByRole('region', { name: 'Add a step' })).toHaveCount(0);
		await expect(viewer.getByRole('button', { name: 'Add a step' })).toHaveCount(0);

		// The owner's new step appears for the viewer, whose form is read-only.
		await selectStep(page, 'start', 'Start');
		await addStep(page, 'Send message');
		await page.getByLabel('Message', { exact: true }).fill('Hi {{first_name|there}}! Reply STOP to opt out.');
		await selectStep(viewer, 'send_message', 'Send message');
		await expect(viewer.getByLabel('Message', { exact: true })).toHaveValue('Hi {{first_name|there}}! Reply STOP to opt out.');
		await expect(viewer.getByLabel('Message', { exact: true })).toBeDisabled();
		await expect(viewer.getByRole('button', { name: 'Delete this step' })).toHaveCount(0);
		if (isPhone()) await expect(viewer.getByRole('tab', { name: 'Settings' })).toBeVisible();
		else await expect(viewer.getByLabel('Vertical', { exact: true })).toBeDisabled();
		await shoot(viewer, 'viewer');

		// Someone outside the workspace gets the same 404 as a page that does not exist.
		await disableAutofill(outsider);
		await signUp(outsider, { name: 'Otto Outsider', workspace: 'Elsewhere' });
		await outsider.goto(url);
		await expect(outsider.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
		await expect(outsider.getByTestId('campaign-editor')).toHaveCount(0);
	} finally {
		await viewer.context().close();
		await outsider.context().close();
	}
});
