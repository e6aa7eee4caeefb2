import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { isPhone, ready, screenshots } from './support/account';
import { teamWithMember } from './support/team';

/**
 * Presence and drops between two people in two browsers (realtime/SPEC.md P2–P7): each
 * sees the other on the page and in "N online", and a note dropped by one appears for the
 * other, then fades.
 */

async function open(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await ready(page);
}

async function composer(page: Page) {
	const toggle = page.getByRole('button', { name: 'Drop a note', exact: true });
	const input = page.getByLabel('Drop a note on this page');
	if (!(await input.isVisible())) await toggle.click();
	await expect(input).toBeFocused();
	return input;
}

test('two people see each other, and a drop appears for the other and fades', async ({ page, browser }) => {
	test.setTimeout(150_000);
	const { owner, member, memberName } = await teamWithMember(page, browser, {
		role: 'Operator',
		workspace: 'Presence Place',
		memberName: 'Tess Teammate'
	});
	try {
		const leads = `/w/${owner.slug}/leads`;
		await open(page, leads);
		await open(member, leads);

		// Each sees the other on this page and in the online count.
		for (const [viewer, other] of [
			[page, memberName],
			[member, owner.name]
		] as const) {
			await expect(viewer.getByRole('button', { name: '2 online' })).toBeVisible();
			const here = viewer.getByRole('group', { name: 'Also on this page' });
			await expect(here).toContainText(other);
			await expect(here.getByRole('listitem')).toHaveCount(1);
			await expect(viewer.getByTestId('presence-avatar').locator(`img[alt="${other}"]`).filter({ visible: true })).toHaveCount(1);
		}

		// The online list says who and where, with a link there.
		await page.getByRole('button', { name: '2 online' }).click();
		const online = page.getByRole('list', { name: 'Online now' });
		await expect(online.getByRole('listitem')).toHaveCount(2);
		const tess = online.getByRole('listitem', { name: memberName });
		await expect(tess.getByRole('link', { name: 'Leads' })).toHaveAttribute('href', leads);
		await expect(tess.getByText('Here')).toBeVisible();
		await screenshots(page, 'presence-online');
		await page.keyboard.press('Escape');

		// A drop: typed, counted, sent with Enter; the other sees it, then it fades.
		const input = await composer(member);
		await input.fill('Lunch in 10? 🍜');
		await expect(member.getByText('14/280')).toBeVisible();
		await input.press('Enter');
		await expect(member.getByRole('status').filter({ hasText: 'Dropped.' })).toBeVisible();
		const note = page.getByRole('note', { name: `Drop from ${memberName}` });
		await expect(note).toContainText('Lunch in 10? 🍜');
		await expect(page.getByRole('log', { name: 'Drops' })).toHaveText(`${memberName} dropped a note: Lunch in 10? 🍜`);
		await screenshots(page, 'presence-drop');
		await expect(note).toBeHidden({ timeout: 12_000 });

		// Too long is refused in place; the counter says by how much.
		await input.fill('x'.repeat(281));
		await expect(member.getByText('281/280')).toBeVisible();
		await input.press('Enter');
		await expect(member.getByRole('alert')).toHaveText('A drop is at most 280 characters.');

		// Pinned to a spot: it shows there for the other person.
		await input.fill('Check this column');
		await member.getByRole('button', { name: 'Pin to a spot' }).click();
		await expect(member.getByText('Click where to pin your note')).toBeVisible();
		await member.getByRole('button', { name: 'Pin your note here' }).click({ position: { x: isPhone() ? 60 : 200, y: 140 } });
		await expect(member.getByText('Click where to pin your note')).toBeHidden();
		const pinned = page.getByRole('note', { name: `Drop from ${memberName}` });
		await expect(pinned).toContainText('Check this column');
		await screenshots(page, 'presence-pinned');

		// Many in a row: refused with when to try again.
		const again = await composer(member);
		const refusal = member.getByRole('alert').filter({ hasText: /Try again in \d+ s/ });
		for (let i = 0; i < 20 && !(await refusal.isVisible()); i++) {
			await again.fill(`note ${i}`);
			await again.press('Enter');
			// Sent (the field empties) or refused: either way this note has its answer.
			await expect.poll(async () => (await again.inputValue()) === '' || (await refusal.isVisible()), { intervals: [50] }).toBe(true);
		}
		await expect(refusal).toBeVisible();
		await screenshots(member, 'presence-composer');
		await member.keyboard.press('Escape');

		// Moving to another page: no longer here, still online; closing the browser: gone.
		await open(member, `/w/${owner.slug}/campaigns`);
		await expect(page.getByRole('group', { name: 'Also on this page' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: '2 online' })).toBeVisible();
	} finally {
		await member.context().close();
	}
	await expect(page.getByRole('button', { name: '1 online' })).toBeVisible();
});
