import { test as base, expect } from '@playwright/test';

/** Every test runs against the server that global setup started. */
export const test = base.extend({
	// Playwright requires the destructuring pattern even when no fixture is used.
	// eslint-disable-next-line no-empty-pattern
	baseURL: async ({}, use) => {
		const url = process.env.MUSTER_E2E_URL;
		if (!url) throw new Error('MUSTER_E2E_URL is not set: run e2e tests through `npx playwright test` (global setup starts the server).');
		await use(url);
	}
});

export { expect };
