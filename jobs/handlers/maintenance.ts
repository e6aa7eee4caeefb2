import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { HandlerMap } from '../handler';

/** Deletes expired job events in batches so one run never holds a long lock. */
export async function purgeExpiredJobEvents(db: Database, batchSize: number, now = new Date()): Promise<number> {
	let total = 0;
	for (;;) {
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
	'purge-expired-job-events': async ({ payload, db, log }) => {
		const deleted = await purgeExpiredJobEvents(db, payload.batchSize);
		await log(`deleted ${deleted} expired job events`);
		return { deleted };
	}
};
