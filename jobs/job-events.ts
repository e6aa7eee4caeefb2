import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobEvents } from '../db/schema/index';
import { logger } from '../server/logger';
import { redis, redisKey } from '../server/redis';

export type JobEventKind = 'log' | 'progress' | 'state';

export interface JobEvent {
	id: number;
	kind: JobEventKind;
	data: unknown;
	createdAt: Date;
}

/** What is published on `jobEventChannel(queue, jobId)` for each stored event. */
export interface PublishedJobEvent extends Omit<JobEvent, 'createdAt'> {
	queue: string;
	jobId: string;
	/** The workspace the job works for, when the handler said (relays use it to pick the room). */
	workspaceId: string | null;
	createdAt: string;
}

/** Redis pub/sub channel of one job's events: `${REDIS_PREFIX}:jobs:<queue>:<jobId>`. */
export function jobEventChannel(queue: string, jobId: string): string {
	return redisKey('jobs', queue, jobId);
}

/**
 * Stores an event (so a late viewer replays it) and publishes it (so a live one follows
 * without polling). Publishing is best effort: the stored row is the truth, and a viewer that
 * missed a message catches up with `listJobEvents` after its last id.
 */
export async function recordJobEvent(
	db: Database,
	event: { queue: string; jobId: string; kind: JobEventKind; data: unknown; retentionDays: number; scope?: { workspaceId?: string } }
): Promise<void> {
	const expiresAt = new Date(Date.now() + event.retentionDays * 24 * 3600 * 1000);
	const [row] = await db
		.insert(jobEvents)
		.values({ queue: event.queue, jobId: event.jobId, kind: event.kind, data: event.data, expiresAt })
		.returning({ id: jobEvents.id, createdAt: jobEvents.createdAt });
	if (!row) return;
	const message: PublishedJobEvent = {
		id: row.id,
		queue: event.queue,
		jobId: event.jobId,
		kind: event.kind,
		data: event.data,
		workspaceId: event.scope?.workspaceId ?? null,
		createdAt: row.createdAt.toISOString()
	};
	try {
		await redis().publish(jobEventChannel(event.queue, event.jobId), JSON.stringify(message));
	} catch (err) {
		logger().warn({ err, queue: event.queue, jobId: event.jobId }, 'job event not published');
	}
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
