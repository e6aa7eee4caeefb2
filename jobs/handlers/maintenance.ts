import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { database } from '../../server/db';
import { dropOrphanResultsTables } from '../../server/dryrun/results-table';
import type { HandlerMap } from '../handler';

/**
 * Deletes expired job events in batches so one run never holds a long lock. Stops between
 * batches when `signal` aborts (shutdown); a rerun deletes what is left.
 */
export async function purgeExpiredJobEvents(db: Database, batchSize: number, now = new Date(), signal?: AbortSignal): Promise<number> {
	let total = 0;
	for (;;) {
		signal?.throwIfAborted();
		const result = await db.execute(sql`
			DELETE FROM job_events WHERE id IN (
				SELECT id FROM job_events WHERE expires_at < ${now.toISOString()}::timestamptz LIMIT ${batchSize}
			)`);
		const deleted = result.rowCount ?? 0;
		total += deleted;
		if (deleted < batchSize) return total;
	}
}

export const maintenanceHandlers: HandlerMap<'maintenance'> = {
	'purge-expired-job-events': async ({ payload, db, log, signal }) => {
		const deleted = await purgeExpiredJobEvents(db, payload.batchSize, new Date(), signal);
		await log(`deleted ${deleted} expired job events`);
		return { deleted };
	},
	'drop-orphan-dry-run-tables': async ({ log }) => {
		const dropped = await dropOrphanResultsTables(database().pool);
		await log(`dropped ${dropped} orphaned dry-run result tables`);
		return { dropped };
	}
};
