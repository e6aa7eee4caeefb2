import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../tests/support/free-port';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `sh -c` arguments that raise the open-file limit to the hard limit (thousands of sockets
 * need more descriptors than a default soft limit gives) and exec `command` under that shell's
 * pid, at niceness `nice` when given (BENCH_NICE), so /proc/<pid> speaks of the command itself.
 */
export function shellArgs(command: string[], nice: number | null): string[] {
	const prefix = nice === null ? [] : ['nice', '-n', String(nice)];
	return ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...prefix, ...command];
}

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
	nice?: number | null;
}

/** Starts `node --import tsx <entry>` directly (not the tsx CLI, so the pid is the server's own). */
function launch(args: string[], env: Record<string, string>, nice: number | null): { proc: ChildProcess; output: () => string } {
	const proc = spawn('sh', shellArgs([process.execPath, ...args], nice), {
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

async function start(name: string, args: string[], env: Record<string, string>, nice: number | null): Promise<Instance> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const { proc, output } = launch(args, { ...env, PORT: String(port) }, nice);
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
	// A directory per instance, Node's default file names: tsx's loader runs in a worker thread
	// that writes a profile of its own, and a fixed name would let it overwrite the server's.
	const profileDir = env.cpuProfileDir ? path.join(env.cpuProfileDir, `${name}-${Date.now()}`) : null;
	const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
	if (profileDir) mkdirSync(profileDir, { recursive: true });
	return start(name, [...profile, '--import', 'tsx', 'server/main.ts'], {
		ROLE: 'web',
		HOST: '127.0.0.1',
		NODE_ENV: 'production',
		LOG_LEVEL: 'warn',
		LOG_PRETTY: 'false',
		DATABASE_URL: env.databaseUrl,
		REDIS_URL: env.redisUrl,
		REDIS_PREFIX: env.redisPrefix
	}, env.nice ?? null);
}

export function startBaseline(name: string, env: ServerEnv): Promise<Instance> {
	return start(name, ['--import', 'tsx', 'bench/realtime/baseline-server.ts'], {
		REDIS_URL: env.redisUrl,
		BASELINE_PREFIX: baselinePrefix(env)
	}, env.nice ?? null);
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

/** What a log line says: pino JSON lines become "message: cause", anything else is kept as it is. */
function gist(line: string): string {
	try {
		const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; cause?: { message?: string } } };
		const cause = entry.err?.cause?.message ?? entry.err?.message?.split('\n')[0]?.slice(0, 120);
		return [entry.msg, cause].filter(Boolean).join(': ');
	} catch {
		return line.slice(0, 300);
	}
}

/** Warnings and errors the instances logged (they run at LOG_LEVEL=warn), for the report: each kind once, with a count. */
export function complaints(instances: Instance[]): string[] {
	return instances.flatMap((i) => {
		const counts = new Map<string, number>();
		for (const line of i.output().split('\n')) {
			if (line.trim() === '' || line.includes('listening')) continue;
			const text = gist(line);
			counts.set(text, (counts.get(text) ?? 0) + 1);
		}
		return [...counts].slice(0, 5).map(([text, n]) => `${i.name}: ${text}${n > 1 ? ` (×${n})` : ''}`);
	});
}
