/**
 * `npm run bench:realtime` — issue 4's realtime benchmarks. Makes a database and Redis prefix
 * of its own, seeds people and workspaces, then for each scenario runs two Muster instances
 * and two baseline relay instances (scenarios.ts) against a load generator in a separate
 * process (load.ts), prints one table and writes bench/results/realtime-<date>.json.
 * Figures and durations: params.ts (BENCH_SCALE, BENCH_SECONDS, BENCH_ONLY, …).
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropTestEnv, newTestEnv } from '../../tests/support/test-env';
import { params } from './params';
import { findProcess } from './proc';
import { table, writeResults, type ScenarioReport } from './report';
import { root, type ServerEnv } from './servers';

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

function openFileLimit(): number {
	try {
		return Number(execSync('ulimit -Hn', { shell: '/bin/sh' }).toString().trim()) || 1024;
	} catch {
		return 1024;
	}
}

/** Descriptors the busiest process needs: two sockets per idle client, plus room for pools and files. */
function checkLimits(): void {
	const limit = openFileLimit();
	const needed = params.idleClients * 2 + 500;
	if (params.only.includes(3) && limit < needed) {
		const fits = Math.floor((limit - 500) / 2 / params.roomSize) * params.roomSize;
		log(`open-file hard limit is ${limit}; ${params.idleClients} idle clients need ~${needed}. Running scenario 3 with ${fits} (raise it with \`ulimit -Hn\` as root to run the full figure).`);
		params.idleClients = fits;
	}
}

async function main(): Promise<void> {
	if (!existsSync(path.join(root, 'build/handler.js'))) {
		log('no SvelteKit build: running npm run build');
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	}
	checkLimits();
	const env = newTestEnv('bench');
	// Before any server module reads its config.
	Object.assign(process.env, { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: env.redisPrefix, LOG_LEVEL: 'warn' });
	const serverEnv: ServerEnv = {
		databaseUrl: env.databaseUrl,
		redisUrl: env.redisUrl,
		redisPrefix: env.redisPrefix,
		nice: params.nice,
		...(params.cpuProfile ? { cpuProfileDir: path.join(root, 'bench/results/profiles') } : {})
	};
	const { bootstrap } = await import('../../server/bootstrap');
	const { config } = await import('../../server/config');
	const { database } = await import('../../server/db');
	const { seedTeams } = await import('./seed');
	const scenarios = await import('./scenarios');
	const reports: ScenarioReport[] = [];
	const started = new Date();
	let failure: unknown = null;
	try {
		log(`database ${env.databaseName}, Redis prefix ${env.redisPrefix}`);
		await bootstrap(config());
		const idleTeams = Math.ceil(Math.max(params.only.includes(3) ? params.idleClients : 0, params.only.includes(5) ? params.presenceClients : 0) / params.roomSize);
		const sizes = [params.editorsSmall, params.editorsLarge, params.joiners + 1, ...Array.from({ length: idleTeams }, () => params.roomSize)];
		log(`seeding ${sizes.reduce((a, b) => a + b, 0)} people in ${sizes.length} workspaces`);
		const [small, large, big, ...idle] = await seedTeams('bench', sizes);
		if (!small || !large || !big) throw new Error('seeding failed');
		const ctx = { env: serverEnv, params, teams: { small, large, big, idle }, redisPid: findProcess('redis-server'), log };
		const runners = [scenarios.scenario1, scenarios.scenario2, scenarios.scenario3, scenarios.scenario4, scenarios.scenario5];
		for (const id of params.only) {
			const runner = runners[id - 1];
			if (!runner) continue;
			const report = await runner(ctx);
			reports.push(report);
			process.stdout.write(`\n${table([report])}\n\n`);
		}
	} catch (error) {
		failure = error;
	} finally {
		await database()
			.pool.end()
			.catch(() => undefined);
		if (!params.keepDatabase) await dropTestEnv(env).catch((error: unknown) => log(`could not drop ${env.databaseName}: ${String(error)}`));
	}
	if (reports.length > 0) {
		const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}`;
		process.stdout.write(`\nRealtime benchmarks — ${machine}; scale ${params.scale}, ${params.seconds} s windows\n`);
		process.stdout.write('CPU is user+system time of the process ÷ wall time (100 % = one core); servers, Redis and the load process share the machine.\n');
		process.stdout.write(params.nice === null ? '\n' : `Servers and load generator ran at niceness ${params.nice} (BENCH_NICE).\n\n`);
		process.stdout.write(`${table(reports)}\n`);
		const file = writeResults(path.join(root, 'bench/results'), { started: started.toISOString(), finished: new Date().toISOString(), machine, params, reports });
		process.stdout.write(`\nresults: ${path.relative(root, file)}\n`);
	}
	if (failure) throw failure;
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	}
);
