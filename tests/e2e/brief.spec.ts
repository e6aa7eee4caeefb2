import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { artifact, disableAutofill, isPhone, ready, screenshots } from './support/account';
import { changeRole, removeMember, teamWithMember } from './support/team';

/**
 * The workspace brief, co-edited by an owner and an operator in two browsers: live text and
 * named cursors, the saved indicator, offline edits kept on the device, history and restore,
 * and a role lowered to viewer while the brief is open.
 */

const editor = (page: Page) => page.getByRole('textbox', { name: 'Workspace brief' });
const saveStatus = (page: Page) => page.locator('#brief-status');
const SAVED = 'All changes saved';
const OFFLINE = 'Offline — changes kept on this device';

/**
 * Records every Yjs WebSocket the page makes (the app's socket class extends the global one),
 * so a test can ask the browser itself how many are open, rather than trust the words on screen.
 */
async function recordYjsSockets(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const Native = window.WebSocket;
		const sockets: WebSocket[] = [];
		Object.assign(window, { __yjsSockets: sockets });
		window.WebSocket = class extends Native {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols);
				if (new URL(url, location.href).pathname.startsWith('/yjs/')) sockets.push(this);
			}
		};
	});
}

function yjsSockets(page: Page): Promise<{ made: number; open: number }> {
	return page.evaluate(() => {
		const sockets = (window as unknown as { __yjsSockets: WebSocket[] }).__yjsSockets;
		return { made: sockets.length, open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length };
	});
}

async function openYjsSockets(page: Page): Promise<number> {
	return (await yjsSockets(page)).open;
}

/** The brief's text as the document has it: collaborators' name tags are not part of it. */
function briefText(page: Page): Promise<string> {
	return editor(page).evaluate((content) => {
		const copy = content.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.cm-ySelectionCaret').forEach((caret) => caret.remove());
		return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n');
	});
}

async function openBrief(page: Page, slug: string): Promise<void> {
	await page.goto(`/w/${slug}`);
	await ready(page);
	await expect(editor(page)).toBeVisible();
	await expect(saveStatus(page)).toHaveText(SAVED);
}

/** Types at the end of the brief. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('ControlOrMeta+End');
	await page.keyboard.type(text);
}

/** Opens History and shows the newest version whose text has `wanted` and lacks `unwanted`. */
async function pickVersion(page: Page, wanted: string, unwanted: string): Promise<void> {
	await page.getByRole('button', { name: 'History' }).click();
	const dialog = page.getByRole('dialog', { name: 'Brief history' });
	await expect(dialog).toBeVisible();
	const items = dialog.getByRole('list', { name: 'Versions' }).getByRole('button');
	await expect(items.first()).toBeVisible();
	const preview = dialog.getByRole('textbox', { name: /^Brief as of/ });
	const count = await items.count();
	for (let index = 0; index < count; index++) {
		if (isPhone() && !(await items.nth(index).isVisible())) await dialog.getByRole('button', { name: 'All versions' }).click();
		await items.nth(index).click();
		await expect(preview).toBeVisible();
		const text = (await preview.textContent()) ?? '';
		if (text.includes(wanted) && !text.includes(unwanted)) return;
	}
	throw new Error(`no version with "${wanted}" and without "${unwanted}"`);
}

test.describe('workspace brief', () => {
	test.beforeEach(async ({ page }) => {
		await disableAutofill(page);
	});

	test('two people co-edit it live, offline edits survive, history restores, a viewer cannot type', async ({ page, browser }) => {
		test.setTimeout(240_000);
		const { owner, member, memberName } = await teamWithMember(page, browser, { role: 'Operator', workspace: 'Brief Room', memberName: 'Tess Operator' });
		await recordYjsSockets(member.context());
		try {
			await test.step('an empty brief invites writing, and is saved', async () => {
				await openBrief(page, owner.slug);
				await openBrief(member, owner.slug);
				await expect(editor(page)).toBeEditable();
				await expect(page.locator('.cm-placeholder')).toContainText('What we are working on');
			});

			await test.step('text typed by one appears for the other, with a named cursor', async () => {
				await editor(page).click();
				await page.keyboard.type('# Spring launch\n\nGoal: 200 replies by May.');
				await expect(editor(member)).toContainText('Goal: 200 replies by May.');
				await expect(member.locator('.cm-ySelectionInfo', { hasText: 'Olive Owner' })).toBeVisible();

				await typeAtEnd(member, '\nTone: warm, short, no jargon.');
				await expect(editor(page)).toContainText('Tone: warm, short, no jargon.');
				await expect(page.locator('.cm-ySelectionInfo', { hasText: memberName })).toBeVisible();
				await expect(saveStatus(page)).toHaveText(SAVED);
				await expect(saveStatus(member)).toHaveText(SAVED);
				// Nothing sticks out sideways, at either size.
				expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
				await screenshots(page, 'brief');
			});

			await test.step('offline: the socket closes, edits are kept and arrive when back online', async () => {
				// Chromium's offline emulation fires `offline` and fails new sockets (1006), but leaves
				// an open WebSocket OPEN and merely stalled: checked by hand, readyState stays 1 and
				// neither end sees a close. The app drops its socket on `offline`, as it should when a
				// real network goes; here the browser itself must have no Yjs socket open.
				expect(await openYjsSockets(member)).toBe(1);
				await member.context().setOffline(true);
				await expect(saveStatus(member)).toHaveText(OFFLINE);
				await expect.poll(() => openYjsSockets(member)).toBe(0);
				await typeAtEnd(member, '\nWritten offline.');
				await expect(saveStatus(member)).toHaveText(OFFLINE);
				await screenshots(member, 'brief-offline');
				await page.waitForTimeout(1_000);
				await expect(editor(page)).not.toContainText('Written offline.');

				await member.context().setOffline(false);
				await expect(editor(page)).toContainText('Written offline.');
				await expect(saveStatus(member)).toHaveText(SAVED);
			});

			await test.step('edits made offline survive a closed tab and sync when it reopens', async () => {
				await member.context().setOffline(true);
				await expect(saveStatus(member)).toHaveText(OFFLINE);
				await typeAtEnd(member, '\nKept through a closed tab.');
				await member.waitForTimeout(500); // IndexedDB writes each change as it is made
				const context = member.context();
				await member.close();
				await context.setOffline(false);
				const reopened = await context.newPage();
				await openBrief(reopened, owner.slug);
				await expect(editor(reopened)).toContainText('Kept through a closed tab.');
				await expect(editor(page)).toContainText('Kept through a closed tab.');
				await reopened.close();
			});

			const teammate = await member.context().newPage();
			await test.step('after a reload the text is there, and the server renders it first', async () => {
				await page.reload();
				await ready(page);
				await expect(editor(page)).toContainText('Kept through a closed tab.');
				await expect(saveStatus(page)).toHaveText(SAVED);
				// The page's HTML already holds the brief (projected to Postgres), before any script.
				await expect.poll(async () => (await page.request.get(`/w/${owner.slug}`)).text()).toContain('Kept through a closed tab.');
				const noScript = await browser.newContext({
					baseURL: process.env.MUSTER_E2E_URL,
					storageState: await page.context().storageState(),
					javaScriptEnabled: false,
					viewport: page.viewportSize(),
					isMobile: isPhone(),
					deviceScaleFactor: isPhone() ? 2 : 1
				});
				try {
					const preview = await noScript.newPage();
					await preview.goto(`/w/${owner.slug}`);
					await expect(preview.getByLabel('Workspace brief')).toContainText('Kept through a closed tab.');
					// Without scripts the theme is the light default: one picture.
					await preview.screenshot({ path: artifact(`brief-server-rendered-${test.info().project.name}.png`), fullPage: true });
				} finally {
					await noScript.close();
				}
				await openBrief(teammate, owner.slug);
			});

			await test.step('history lists versions, and restore brings old text back for both', async () => {
				await editor(page).click();
				await page.keyboard.press('ControlOrMeta+a');
				await page.keyboard.type('Scrapped draft.');
				await expect.poll(() => briefText(teammate)).toBe('Scrapped draft.');
				await expect(saveStatus(page)).toHaveText(SAVED);

				await pickVersion(page, 'Goal: 200 replies by May.', 'Scrapped draft.');
				const dialog = page.getByRole('dialog', { name: 'Brief history' });
				await expect(dialog.getByRole('region', { name: 'Selected version' })).toContainText(/Auto-saved while editing|Compacted/);
				await expect(dialog.getByRole('region', { name: 'Selected version' })).toContainText(/edited by\s+(Olive Owner|Tess Operator)/);
				await screenshots(page, 'brief-history');
				await dialog.getByRole('button', { name: 'Restore this version' }).click();
				await expect(dialog.getByText('Replace the brief with this version?')).toBeVisible();
				await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
				await expect(dialog).toBeHidden();

				for (const each of [page, teammate]) {
					await expect(editor(each)).toContainText('Goal: 200 replies by May.');
					await expect(editor(each)).not.toContainText('Scrapped draft.');
				}
				await expect(page.getByText(/^Restored the version from/)).toBeVisible();

				// The text before the restore is itself a version.
				await page.getByRole('button', { name: 'History' }).click();
				await expect(dialog.getByRole('list', { name: 'Versions' }).getByText('Before restore')).toBeVisible();
				await dialog.getByRole('button', { name: 'Close history' }).click();
				await expect(dialog).toBeHidden();
			});

			await test.step('lowered to viewer while the brief is open, the teammate can no longer type', async () => {
				await changeRole(page, owner.slug, memberName, 'viewer');
				await expect(teammate.getByRole('heading', { name: /Brief/ }).getByText('View only')).toBeVisible();
				await expect(editor(teammate)).not.toBeEditable();
				const before = await briefText(page);
				await editor(teammate).click();
				await teammate.keyboard.type('nope');
				await expect(editor(teammate)).not.toContainText('nope');
				await page.waitForTimeout(500);
				expect(await briefText(page)).toBe(before);
			});

			await test.step('edits made offline by someone since lowered to viewer are not claimed saved', async () => {
				await changeRole(page, owner.slug, memberName, 'operator');
				await expect(editor(teammate)).toBeEditable();
				await teammate.context().setOffline(true);
				await expect(saveStatus(teammate)).toHaveText(OFFLINE);
				await typeAtEnd(teammate, '\nUnsent words.');
				await changeRole(page, owner.slug, memberName, 'viewer');
				await teammate.context().setOffline(false);
				await expect(saveStatus(teammate)).toHaveText('Changes on this device were not saved');
				await expect(editor(teammate)).not.toBeEditable();
				await page.waitForTimeout(500);
				await expect(editor(page)).not.toContainText('Unsent words.');
				await teammate.getByRole('button', { name: 'Discard them' }).click();
				await expect(saveStatus(teammate)).toHaveText('Up to date');
				await expect.poll(() => briefText(teammate)).toBe(await briefText(page));

				// Viewers have no Restore, and a fresh load starts read-only.
				await teammate.reload();
				await ready(teammate);
				await expect(editor(teammate)).not.toBeEditable();
				await teammate.getByRole('button', { name: 'History' }).click();
				const history = teammate.getByRole('dialog', { name: 'Brief history' });
				await history.getByRole('list', { name: 'Versions' }).getByRole('button').first().click();
				await expect(history.getByRole('textbox', { name: /^Brief as of/ })).toBeVisible();
				await expect(history.getByRole('button', { name: 'Restore this version' })).toHaveCount(0);
				await teammate.keyboard.press('Escape');
				await screenshots(teammate, 'brief-viewer');
			});

			await test.step('removed from the workspace, the teammate loses the brief and stops reconnecting', async () => {
				await removeMember(page, owner.slug, memberName);
				// The Yjs door closes with 4403 ("You no longer have access"); the workspace's live
				// membership events may take the whole page to its 404 first. Either way the brief
				// is gone and no socket comes back.
				await expect(saveStatus(teammate).filter({ hasText: 'You no longer have access' }).or(teammate.getByRole('heading', { name: 'Page not found' }))).toBeVisible();
				await expect(editor(teammate).and(teammate.locator('[contenteditable="true"]'))).toHaveCount(0);
				const after = await yjsSockets(teammate);
				await teammate.waitForTimeout(3_000); // longer than the provider's first backoffs
				expect(await yjsSockets(teammate)).toEqual({ made: after.made, open: 0 });
			});
		} finally {
			await member.context().close();
		}
	});
});
