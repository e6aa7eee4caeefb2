import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '$server/trpc/root';
import { JobFollower, type JobEvent } from '$lib/realtime/job-follower.svelte';
import { trpc } from '$lib/trpc';

export type ImportDetail = inferRouterOutputs<AppRouter>['imports']['get'];
export type { LogLine } from '$lib/realtime/job-follower.svelte';

export interface ImportProgressData {
	rowsRead: number;
	leadsCreated: number;
	leadsMerged: number;
	rowsRejected: number;
	bytesRead: number;
	fileSize: number;
	rowsPerSecond: number;
	secondsLeft: number | null;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * An import as it runs (`ingest` queue): stored events replayed, then live ones, polling
 * `imports.get` and `imports.events` while the socket is down (see JobFollower).
 */
export class ImportFollower extends JobFollower<ImportDetail, ImportProgressData> {
	constructor(workspaceId: string, detail: ImportDetail) {
		super(workspaceId, detail, 'ingest');
	}

	get done(): boolean {
		return TERMINAL.has(this.detail.status);
	}

	protected jobId(): string {
		return this.detail.id;
	}

	protected fetchDetail(): Promise<ImportDetail> {
		return trpc.imports.get.query({ workspaceId: this.workspaceId, importId: this.detail.id });
	}

	protected fetchEvents(afterId: number): Promise<JobEvent[]> {
		return trpc.imports.events.query({ workspaceId: this.workspaceId, importId: this.detail.id, afterId });
	}
}
