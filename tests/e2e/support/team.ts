import { expect, type Browser, type Page } from '@playwright/test';
import { disableAutofill, isPhone, ready, signUp, submitWithRetry, uniqueEmail, type SignedUp } from './account';
import { addVirtualAuthenticator } from './passkeys';

/** Workspaces with more than one person: a second browser, invitations, roles. */

export type InviteRole = 'Admin' | 'Operator' | 'Viewer';

/** A second browser (another person, or the same person elsewhere) at this project's size. */
export async function secondBrowser(browser: Browser, page: Page): Promise<Page> {
	const context = await browser.newContext({
		baseURL: process.env.MUSTER_E2E_URL,
		viewport: page.viewportSize(),
		isMobile: isPhone(),
		hasTouch: isPhone(),
		deviceScaleFactor: isPhone() ? 2 : 1
	});
	const second = await context.newPage();
	await disableAutofill(second);
	return second;
}

export async function createInvite(page: Page, slug: string, role: InviteRole): Promise<string> {
	await page.goto(`/w/${slug}/members`);
	await ready(page);
	await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
	await page.getByLabel('Link expires after').selectOption({ label: '1 day' });
	await page.getByLabel(/^Note/).fill(`e2e ${role.toLowerCase()}`);
	await page.getByRole('button', { name: 'Create invite link' }).click();
	const link = page.getByLabel('Invitation link');
	await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]+$/);
	await expect(page.getByRole('list', { name: 'Open invitations' }).getByText(`e2e ${role.toLowerCase()}`)).toBeVisible();
	return link.inputValue();
}

/** The invitee opens the link in their own browser and signs up right there. */
export async function acceptBySigningUp(invitee: Page, url: string, workspace: string, name: string): Promise<void> {
	await addVirtualAuthenticator(invitee);
	await invitee.goto(url);
	await ready(invitee);
	await expect(invitee.getByRole('heading', { name: `Join ${workspace}` })).toBeVisible();
	await expect(invitee.getByLabel('Workspace name')).toHaveCount(0);
	await invitee.getByLabel('E-mail').fill(uniqueEmail('invitee'));
	await invitee.getByLabel('Your name').fill(name);
	await submitWithRetry(
		invitee,
		() => invitee.getByRole('button', { name: `Join ${workspace} with a passkey` }).click(),
		() => invitee.getByRole('heading', { name: 'Save your recovery codes' }).waitFor({ timeout: 15_000 })
	);
	await invitee.getByLabel('I saved these codes somewhere safe').check();
	await invitee.getByRole('button', { name: 'Continue' }).click();
	await expect(invitee).toHaveURL(/\/w\/[a-z0-9-]+$/);
}

export interface Team {
	owner: SignedUp;
	/** The member's page, in a browser of their own, on the workspace home. */
	member: Page;
	memberName: string;
}

/**
 * A workspace made by an owner signing up on `page`, with a second person who joined through
 * an invitation with `role` in another browser. Close `member.context()` when done.
 */
export async function teamWithMember(
	page: Page,
	browser: Browser,
	options: { role: InviteRole; workspace: string; ownerName?: string; memberName?: string }
): Promise<Team> {
	const owner = await signUp(page, { name: options.ownerName ?? 'Olive Owner', workspace: options.workspace });
	const url = await createInvite(page, owner.slug, options.role);
	const member = await secondBrowser(browser, page);
	const memberName = options.memberName ?? `${options.role === 'Viewer' ? 'Vic' : 'Tess'} ${options.role}`;
	await acceptBySigningUp(member, url, options.workspace, memberName);
	return { owner, member, memberName };
}

/** Gives a member another role from the members page, in a new tab of `page`'s browser. */
export async function changeRole(page: Page, slug: string, memberName: string, role: 'admin' | 'operator' | 'viewer'): Promise<void> {
	const tab = await page.context().newPage();
	try {
		await tab.goto(`/w/${slug}/members`);
		await ready(tab);
		const select = tab.getByLabel(`Role of ${memberName}`);
		const saved = tab.waitForResponse((response) => response.url().includes('workspaces.changeRole') && response.ok());
		await select.selectOption(role);
		await saved;
		await tab.reload();
		await expect(tab.getByLabel(`Role of ${memberName}`)).toHaveValue(role);
	} finally {
		await tab.close();
	}
}

/** Removes a member from the members page, in a new tab of `page`'s browser. */
export async function removeMember(page: Page, slug: string, memberName: string): Promise<void> {
	const tab = await page.context().newPage();
	try {
		await tab.goto(`/w/${slug}/members`);
		await ready(tab);
		await tab.getByRole('button', { name: `Remove ${memberName}` }).click();
		const removed = tab.waitForResponse((response) => response.url().includes('workspaces.removeMember') && response.ok());
		await tab.getByRole('button', { name: 'Remove member' }).click();
		await removed;
		await expect(tab.getByRole('list', { name: 'Members' }).getByRole('listitem', { name: memberName })).toHaveCount(0);
	} finally {
		await tab.close();
	}
}
