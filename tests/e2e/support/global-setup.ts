import { dropTestEnv, envVars, newTestEnv } from '../../support/test-env';
import { freePort } from '../../support/free-port';
import { spawnMuster } from '../../support/spawn-server';

/**
 * Starts the production build on a free port against a database and Redis prefix of its
 * own, and hands the URL to the tests through the environment (workers inherit it).
 * ORIGIN must be the address the browser uses: CSRF and WebAuthn checks compare against it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
	const env = newTestEnv('e2e');
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const server = await spawnMuster({ env: { ...envVars(env), PORT: String(port), ORIGIN: origin } });
	process.env.MUSTER_E2E_URL = origin;
	return async () => {
		await server.stop('SIGTERM');
		await dropTestEnv(env);
	};
}
