import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { ADMIN_URL } from '../support/test-env';
import { runMuster } from '../support/spawn-server';
import { ensureDatabase, StartupError } from '../../server/bootstrap';

describe('startup', () => {
	it('creates the database when it does not exist', async () => {
		const name = `muster_create_${Date.now().toString(36)}`;
		const url = new URL(ADMIN_URL);
		url.pathname = `/${name}`;
		await ensureDatabase(url.toString());
		const admin = new pg.Client({ connectionString: ADMIN_URL });
		await admin.connect();
		try {
			const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
			expect(found.rowCount).toBe(1);
			// A second call (another instance starting) is a no-op, not an error.
			await ensureDatabase(url.toString());
		} finally {
			await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
			await admin.end();
		}
	});

	it('explains an unreachable Postgres in one line', async () => {
		await expect(ensureDatabase('postgres://postgres@127.0.0.1:1/muster')).rejects.toThrow(StartupError);
		const run = await runMuster({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/muster' });
		expect(run.code).toBe(1);
		const lines = run.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/Cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/muster \(ECONNREFUSED\).*pg_ctlcluster/);
	});

	it('explains an unreachable Redis in one line', async () => {
		const run = await runMuster({ REDIS_URL: 'redis://127.0.0.1:1' });
		expect(run.code).toBe(1);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*redis-server/);
	});

	it('refuses an invalid environment, naming the variable', async () => {
		const run = await runMuster({ ROLE: 'boss' });
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/Invalid environment: ROLE/);
	});
});
