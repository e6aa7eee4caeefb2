import type pg from 'pg';
import { z } from 'zod';

/**
 * Each dry-run's results live in a partition of `dry_run_results` of their own (migration 0011).
 * A run fills a detached table with no index (COPY appends, nothing else), builds its primary
 * key in one sort, and attaches it once complete: readers never see half a run, and a cancelled
 * or failed run drops its table. Sorting a million random lead ids once costs a fraction of
 * inserting them one by one into a shared B-tree.
 */

const runIdSchema = z.uuid();

/** The partition's name: derived from the (validated) run id, so it can be spliced into DDL. */
export function resultsTable(runId: string): string {
	return `dry_run_results_r${runIdSchema.parse(runId).replace(/-/g, '').toLowerCase()}`;
}

/** A fresh, empty, detached table for the run's rows, replacing what an earlier attempt left. */
export async function openResultsTable(client: pg.PoolClient, runId: string): Promise<string> {
	const table = resultsTable(runId);
	await dropResultsTable(client, runId);
	// The check matches the partition bound, so ATTACH trusts it instead of scanning every row.
	await client.query(
		`create table ${table} (like dry_run_results including defaults, constraint ${table}_run check (run_id is not null and run_id = '${runIdSchema.parse(runId)}'))`
	);
	// The writer's COPY leaves run_id out (the same 36 characters on every row); the default fills it.
	await client.query(`alter table ${table} alter column run_id set default '${runIdSchema.parse(runId)}'`);
	return table;
}

/** Builds the key and makes the rows visible as the run's results. */
export async function attachResultsTable(client: pg.PoolClient, runId: string): Promise<void> {
	const table = resultsTable(runId);
	await client.query(`alter table ${table} alter column run_id drop default`);
	await client.query(`alter table ${table} add constraint ${table}_pk primary key (run_id, lead_id)`);
	await client.query(`alter table dry_run_results attach partition ${table} for values in ('${runIdSchema.parse(runId)}')`);
}

/** Drops the run's table, attached or not (a retry starts over; a cancel keeps nothing). */
export async function dropResultsTable(client: pg.PoolClient, runId: string): Promise<void> {
	await client.query(`drop table if exists ${resultsTable(runId)}`);
}

/**
 * Tables whose run is gone (its workspace was deleted: the cascade empties them but cannot drop
 * them), or that a crashed worker left detached while its run is no longer running.
 */
export async function dropOrphanResultsTables(pool: pg.Pool): Promise<number> {
	const orphans = await pool.query<{ table: string }>(`
		select c.relname as table
		from pg_class c
		where c.relkind = 'r' and c.relname ~ '^dry_run_results_r[0-9a-f]{32}$'
			and not exists (
				select 1 from dry_runs r
				where replace(r.id::text, '-', '') = substring(c.relname from 18)
					and (c.relispartition or r.status in ('queued', 'running'))
			)`);
	for (const { table } of orphans.rows) await pool.query(`drop table if exists ${table}`);
	return orphans.rows.length;
}
