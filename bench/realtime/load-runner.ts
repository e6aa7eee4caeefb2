import { spawn } from 'node:child_process';
import type { Job, LoadMessage, RunnerMessage } from './ipc';
import { root, shellArgs } from './servers';

/**
 * Starts the load generator in a process of its own (open-file limit raised like the
 * servers'), hands it `job`, answers its marks once `onMark` has measured, and resolves
 * with its result.
 */
export function runLoad<R>(job: Job, onMark: (name: string, pid: number) => Promise<void> | void = () => {}, nice: number | null = null): Promise<{ result: R; pid: number }> {
	const child = spawn('sh', shellArgs([process.execPath, '--import', 'tsx', 'bench/realtime/load.ts'], nice), {
		cwd: root,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	return new Promise((resolve, reject) => {
		let settled = false;
		child.on('message', (message: LoadMessage) => {
			if (message.type === 'mark') {
				Promise.resolve(onMark(message.name, child.pid ?? 0)).then(
					() => child.send({ type: 'continue', name: message.name } satisfies RunnerMessage),
					(error: unknown) => {
						settled = true;
						child.kill('SIGKILL');
						reject(error instanceof Error ? error : new Error(String(error)));
					}
				);
			} else if (message.type === 'result') {
				settled = true;
				resolve({ result: message.data as R, pid: child.pid ?? 0 });
			} else {
				settled = true;
				reject(new Error(`load generator failed: ${message.message}`));
			}
		});
		child.on('exit', (code, signal) => {
			if (!settled) reject(new Error(`load generator exited (${code ?? signal}) without a result`));
		});
		child.send({ type: 'job', job } satisfies RunnerMessage);
	});
}
