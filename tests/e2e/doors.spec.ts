import { test, expect } from './fixtures';

test.describe('realtime doors from the browser', () => {
	test('readiness is green', async ({ request }) => {
		const res = await request.get('/readyz');
		expect(res.status()).toBe(200);
		expect(await res.json()).toMatchObject({ ok: true, checks: { postgres: { ok: true }, redis: { ok: true } } });
	});

	test('the Yjs door refuses a signed-out browser with 4401', async ({ page }) => {
		await page.goto('/');
		const code = await page.evaluate(
			() =>
				new Promise<number>((resolve) => {
					const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/yjs/brief:00000000-0000-4000-8000-000000000000`);
					ws.onclose = (event) => resolve(event.code);
				})
		);
		expect(code).toBe(4401);
	});
});
