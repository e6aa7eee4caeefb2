/**
 * The load generator: a process of its own (never the servers'), started by run.ts with an
 * IPC channel. It receives one job, drives the clients, reports marks so the orchestrator
 * can measure the servers around each phase, and sends its result back.
 */
import { send, type Job, type RunnerMessage } from './ipc';
import { runEditors } from './load-editors';
import { runIdle } from './load-idle';
import { runJoin } from './load-join';
import { runPresence } from './load-presence';

// Every stock WebsocketProvider adds a process 'exit' listener; hundreds of them are expected.
process.setMaxListeners(0);

function run(job: Job): Promise<unknown> {
	switch (job.kind) {
		case 'editors':
			return runEditors(job);
		case 'idle':
			return runIdle(job);
		case 'join':
			return runJoin(job);
		case 'presence':
			return runPresence(job);
	}
}

process.once('message', (message: RunnerMessage) => {
	if (message.type !== 'job') return;
	run(message.job).then(
		// Exit once the answer is handed over: open clients and their timers would keep us alive.
		(data) => send({ type: 'result', data }, () => process.exit(0)),
		(error: unknown) => send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1))
	);
});
