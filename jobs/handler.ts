import type { Job } from 'bullmq';
import type { Database } from '../db/client';
import type { JobName, ParsedPayload, QueueName } from './definitions';

export interface HandlerContext<Q extends QueueName, N extends JobName<Q>> {
	payload: ParsedPayload<Q, N>;
	job: Job;
	db: Database;
	/** Stores a log line for the job (replayed to late viewers) and adds it to BullMQ's log. */
	log: (line: string) => Promise<void>;
	progress: (value: number | Record<string, unknown>) => Promise<void>;
	/** Stores a state change (running, completed, failed, cancelled) the same way. */
	state: (value: string, detail?: Record<string, unknown>) => Promise<void>;
	/** What the job's events belong to; set it early so published events carry the workspace. */
	scope: JobScope;
	/**
	 * Aborted when the process is shutting down past its grace period. A handler that can stop
	 * at a safe point should check it between units of work; the job is then released to the
	 * queue and run again from the start, so what was done before must be safe to redo.
	 */
	signal: AbortSignal;
}

export interface JobScope {
	workspaceId?: string;
}

export type Handler<Q extends QueueName, N extends JobName<Q>> = (ctx: HandlerContext<Q, N>) => Promise<unknown>;

export type HandlerMap<Q extends QueueName> = { [N in JobName<Q>]: Handler<Q, N> };
