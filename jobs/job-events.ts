import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobEvents } from '../db/schema/index';

export type JobEventKind = 'log' | 'progress' | 'state';

export interface JobEvent {
	id: number;
	kind: JobEventKind;
	data: unknown;
	createdAt: Date;
}

export async function recordJobEvent(
	db: Database,
	event: { queue: string; jobId: string; kind: JobEventKind; data: unknown; retentionDays: number }
): Promise<void> {
	const expiresAt = new Date(Date.now() + event.retentionDays * 24 * 3600 * 1000);
	await db.insert(jobEvents).values({ queue: event.queue, jobId: event.jobId, kind: event.kind, data: event.data, expiresAt });
}

/** Events after `afterId`, oldest first: what a viewer that opens late replays. */
export async function listJobEvents(db: Database, queue: string, jobId: string, afterId = 0, limit = 500): Promise<JobEvent[]> {
	return db
		.select({ id: jobEvents.id, kind: jobEvents.kind, data: jobEvents.data, createdAt: jobEvents.createdAt })
		.from(jobEvents)
		.where(and(eq(jobEvents.queue, queue), eq(jobEvents.jobId, jobId), gt(jobEvents.id, afterId)))
		.orderBy(asc(jobEvents.id))
		.limit(limit);
}
