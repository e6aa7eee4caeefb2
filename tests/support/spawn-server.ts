import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// One process per server (node with tsx's loader), not the tsx CLI, which runs the script in
// a child: a SIGKILL to the CLI would leave that child serving.
const node = process.execPath;
const loader = ['--import', 'tsx'];

export interface RunningServer {
	url: string;
	port: number;
	proc: ChildProcess;
	output: () => string;
	/** Sends the signal and resolves with the exit code and how long the exit took. */
	stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>;
}

export interface SpawnOptions {
	env: Record<string, string>;
	entry?: string;
	/** Resolve once this appears in the output (default: the listening line). */
	readyPattern?: RegExp;
	timeoutMs?: number;
}

export function spawnMuster({ env, entry = 'server/main.ts', readyPattern = /Muster listening on http:\/\/localhost:(\d+)/, timeoutMs = 30_000 }: SpawnOptions): Promise<RunningServer> {
	const proc = spawn(node, [...loader, entry], {
		cwd: root,
		env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', NODE_ENV: 'production', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`server did not become ready in ${timeoutMs} ms:\n${out}`));
		}, timeoutMs);
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const match = readyPattern.exec(out);
			if (match) {
				clearTimeout(timer);
				const port = Number(match[1] ?? 0);
				resolve({
					url: `http://127.0.0.1:${port}`,
					port,
					proc,
					output: () => out,
					stop: async (signal = 'SIGTERM') => {
						const started = performance.now();
						if (proc.exitCode === null) proc.kill(signal);
						const code = await exited;
						return { code, ms: performance.now() - started };
					}
				});
			}
		};
		proc.stdout.on('data', onData);
		proc.stderr.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
		});
	});
}

/** Runs the entry to completion (for startup failures) and returns its exit code and output. */
export function runMuster(env: Record<string, string>, entry = 'server/main.ts', timeoutMs = 20_000): Promise<{ code: number | null; stderr: string; stdout: string }> {
	return new Promise((resolve, reject) => {
		const proc = spawn(node, [...loader, entry], { cwd: root, env: { ...process.env, PORT: '0', LOG_PRETTY: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`did not exit within ${timeoutMs} ms`));
		}, timeoutMs);
		proc.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stderr, stdout });
		});
	});
}
