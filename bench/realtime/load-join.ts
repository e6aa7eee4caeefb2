import { peer, type TestPeer } from '../../tests/support/yjs-client';
import { until } from './clients';
import { checkpoint, type JoinJob, type JoinResult } from './ipc';
import { cpuMark, cpuPercentSince, summarize } from './stats';

/**
 * Scenario 4: many stock clients open one large document at the same moment. Timed from
 * just before the first provider is made until every one holds the whole text (its sync
 * step 2 applied); the orchestrator watches the server's memory meanwhile. One client syncs
 * another, small document first, so code paths run once are not billed to the large one.
 */
export async function runJoin(job: JoinJob): Promise<JoinResult> {
	const warm = peer(job.url, job.warmup.docName, job.warmup.cookie, { acks: job.target === 'muster' });
	await warm.synced();
	warm.destroy();
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	await checkpoint('start');
	const cpu = cpuMark();
	const started = performance.now();
	const syncedAt: number[] = [];
	const errors: string[] = [];
	const peers: TestPeer[] = job.cookies.map((cookie) => {
		const p = peer(job.url, job.docName, cookie, { acks: job.target === 'muster' });
		p.provider.on('sync', (state: boolean) => {
			if (state && p.text.length >= job.expectedLength) syncedAt.push(performance.now() - started);
		});
		p.provider.on('connection-close', (event) => {
			if (event) errors.push(`closed ${event.code} ${event.reason}`);
		});
		return p;
	});
	const complete = await until(() => syncedAt.length >= peers.length, 120_000, 5);
	const allSyncedMs = performance.now() - started;
	const cpuPercent = cpuPercentSince(cpu);
	await checkpoint('synced');
	const whole = peers.filter((p) => p.text.length === job.expectedLength).length;
	peers.forEach((p) => p.destroy());
	return {
		clients: peers.length,
		synced: whole,
		allSyncedMs: complete ? Math.max(...syncedAt) : allSyncedMs,
		perClient: summarize(syncedAt),
		complete,
		firstError: errors[0] ?? null,
		cpuPercent
	};
}
