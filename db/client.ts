import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index';

export type Database = NodePgDatabase<typeof schema>;

export interface DatabaseHandle {
	db: Database;
	pool: pg.Pool;
}

export function createDatabase(url: string, options: { max?: number; applicationName?: string } = {}): DatabaseHandle {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? 10,
		application_name: options.applicationName ?? 'muster',
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: 30_000
	});
	// An idle client losing its connection must not crash the process; the pool replaces it.
	pool.on('error', () => {});
	return { db: drizzle(pool, { schema }), pool };
}

export { schema };

/** A database or an open transaction: services that only write take either. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];
