import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from './client';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary but fixed: several instances starting at once take turns migrating. */
const MIGRATION_LOCK = 727_001;

export async function runMigrations(handle: DatabaseHandle): Promise<void> {
	const client = await handle.pool.connect();
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
		await migrate(handle.db, { migrationsFolder });
	} finally {
		await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
		client.release();
	}
}
