import type pg from 'pg';

/**
 * The write floor: what PostgreSQL takes just to store what the ingest stored, with every index
 * the tables have, and nothing else (no file, no parsing, no dedupe, no merge). Each table's rows
 * are written again, by INSERT … SELECT, into an empty copy of it made `LIKE … INCLUDING ALL`
 * (same columns, defaults, indexes), one table at a time on one connection — as one import's
 * backend writes them. The copies are dropped afterwards.
 */
export interface FloorTable {
	table: string;
	rows: number;
	ms: number;
}

const TABLES = ['leads', 'lead_phones', 'lead_sources', 'lead_facts', 'source_rows'] as const;

export async function writeFloor(pool: pg.Pool): Promise<FloorTable[]> {
	const client = await pool.connect();
	const results: FloorTable[] = [];
	try {
		for (const table of TABLES) {
			const copy = `bench_floor_${table}`;
			await client.query(`DROP TABLE IF EXISTS ${copy}`);
			await client.query(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
			// Written out first, so the write-back of one table does not run during the next.
			await client.query('CHECKPOINT');
			const started = performance.now();
			const inserted = await client.query(`INSERT INTO ${copy} SELECT * FROM ${table}`);
			results.push({ table, rows: inserted.rowCount ?? 0, ms: performance.now() - started });
			await client.query(`DROP TABLE ${copy}`);
		}
	} finally {
		client.release();
	}
	return results;
}
