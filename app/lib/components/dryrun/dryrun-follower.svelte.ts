/** A dry-run as it runs (`dryrun` queue): stored events replayed, then live ones (see JobFollower). */
import { JobFollower, type JobEvent } from '$lib/realtime/job-follower.svelte';
import { trpc } from '$lib/trpc';
import type { DryRunSummary } from './format';

/** The engine's progress event (server/dryrun/run.ts `DryRunProgress`). */
export interface RunProgress {
	phase: 'reading' | 'allocating' | 'writing' | 'done';
	done: number;
	total: number;
	rowsPerSecond: number;
	etaSeconds: number | null;
}

export type { LogLine as RunLogLine } from '$lib/realtime/job-follower.svelte';

export class DryRunFollower extends JobFollower<DryRunSummary, RunProgress> {
	constructor(workspaceId: string, run: DryRunSummary) {
		super(workspaceId, run, 'dryrun');
	}

	get run(): DryRunSummary {
		return this.detail;
	}

	get done(): boolean {
		return this.detail.status === 'completed' || this.detail.status === 'failed' || this.detail.status === 'cancelled';
	}

	protected jobId(): string {
		return this.detail.id;
	}

	protected fetchDetail(): Promise<DryRunSummary> {
		return trpc.dryrun.get.query({ workspaceId: this.workspaceId, runId: this.detail.id });
	}

	protected fetchEvents(afterId: number): Promise<JobEvent[]> {
		return trpc.dryrun.events.query({ workspaceId: this.workspaceId, runId: this.detail.id, afterId });
	}
}
