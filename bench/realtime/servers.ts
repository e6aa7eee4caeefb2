import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../tests/support/free-port';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Instance {
	name: string;
	url: string;
	pid: number;
	/** What the process printed (warnings and errors at LOG_LEVEL=warn), newest last. */
	output(): string;
	stop(): Promise<void>;
}

export interface ServerEnv {
	databaseUrl: string;
	redisUrl: string;
	redisPrefix: string;
	cpuProfileDir?: string;
}

/**
 * Starts `node --import tsx <entry>` directly (not the tsx CLI, so the pid is the server's
 * own and /proc speaks of it), with the open-file limit raised to the hard limit first:
 * thousands of sockets need more descriptors than a default soft limit gives.
 */
function launch(name: string, args: string[], env: Record<string, string>): { proc: ChildProcess; output: () => string } {
	const proc = spawn('sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, ...args], {
		cwd: root,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	const keep = (chunk: Buffer) => {
		out = (out + chunk.toString()).slice(-64 * 1024);
	};
	proc.stdout?.on('data', keep);
	proc.stderr?.on('data', keep);
	return { proc, output: () => out };
}

async function ready(name: string, url: string, proc: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
	const started = Date.now();
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode} before it was ready:\n${output()}`);
		try {
			const res = await fetch(`${url}/readyz`);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() - started > timeoutMs) throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

function stopper(proc: ChildProcess): () => Promise<void> {
	return async () => {
		if (proc.exitCode !== null || proc.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
		proc.kill('SIGTERM');
		const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
		await exited;
		clearTimeout(timer);
	};
}

async function start(name: string, args: string[], env: Record<string, string>): Promise<Instance> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const { proc, output } = launch(name, args, { ...env, PORT: String(port) });
	try {
		await ready(name, url, proc, output);
	} catch (error) {
		proc.kill('SIGKILL');
		throw error;
	}
	return { name, url, pid: proc.pid ?? 0, output, stop: stopper(proc) };
}

/** One Muster web instance: the real server (SvelteKit, Socket.IO and the Yjs door). */
export function startMuster(name: string, env: ServerEnv): Promise<Instance> {
	const profile = env.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${env.cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
	if (env.cpuProfileDir) mkdirSync(env.cpuProfileDir, { recursive: true });
	return start(name, [...profile, '--import', 'tsx', 'server/main.ts'], {
		ROLE: 'web',
		HOST: '127.0.0.1',
		NODE_ENV: 'production',
		LOG_LEVEL: 'warn',
		LOG_PRETTY: 'false',
		DATABASE_URL: env.databaseUrl,
		REDIS_URL: env.redisUrl,
		REDIS_PREFIX: env.redisPrefix
	});
}

export function startBaseline(name: string, env: ServerEnv): Promise<Instance> {
	return start(name, ['--import', 'tsx', 'bench/realtime/baseline-server.ts'], {
		REDIS_URL: env.redisUrl,
		BASELINE_PREFIX: baselinePrefix(env)
	});
}

export function baselinePrefix(env: ServerEnv): string {
	return `${env.redisPrefix}:baseline`;
}

export type System = 'muster' | 'baseline';

/** Two instances of one system, sharing Redis (and, for Muster, Postgres). */
export async function startPair(system: System, env: ServerEnv, count = 2): Promise<Instance[]> {
	const names = ['A', 'B'].slice(0, count);
	return Promise.all(names.map((n) => (system === 'muster' ? startMuster(`muster-${n}`, env) : startBaseline(`baseline-${n}`, env))));
}

export async function stopAll(instances: Instance[]): Promise<void> {
	await Promise.allSettled(instances.map((i) => i.stop()));
}

/** Warnings and errors the instances logged (they run at LOG_LEVEL=warn), for the report. */
export function complaints(instances: Instance[]): string[] {
	return instances.flatMap((i) =>
		i
			.output()
			.split('\n')
			.filter((line) => line.trim() !== '' && !line.includes('listening'))
			.slice(0, 5)
			.map((line) => `${i.name}: ${line.slice(0, 300)}`)
	);
}
