import { dropTestEnv, envVars, newTestEnv } from '../../support/test-env';
import { freePort } from '../../support/free-port';
import { spawnMuster } from '../../support/spawn-server';

/**
 * Starts the production build on a free port against a database and Redis prefix of its
 * own, and hands the URL to the tests through the environment (workers inherit it).
 * ORIGIN must be the address the browser uses: CSRF and WebAuthn checks compare against it.
 * Documents save versions every 2 s of editing and leave memory 1 s after the last client,
 * so history and reload tests see them within a test's time.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
	const env = newTestEnv('e2e');
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const server = await spawnMuster({ env: { ...envVars(env), PORT: String(port), ORIGIN: origin, DOC_VERSION_INTERVAL_MS: '2000', DOC_GRACE_MS: '1000' } });
	process.env.MUSTER_E2E_URL = origin;
	// Tests that seed data straight into the database (tests/e2e/support/leads.ts) use this.
	process.env.MUSTER_E2E_DATABASE_URL = env.databaseUrl;
	return async () => {
		await server.stop('SIGTERM');
		await dropTestEnv(env);
	};
}
