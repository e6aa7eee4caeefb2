import { config, ConfigError } from './config';
import { bootstrap, StartupError } from './bootstrap';
import { logger } from './logger';
import { database } from './db';
import { redis } from './redis';
import { createWebApp, type WebApp } from './app';
import { startWorkers, type WorkerPool } from '../jobs/workers';
import { allQueues, bullConnection } from '../jobs/connection';

async function main(): Promise<void> {
	const cfg = config();
	const log = logger();
	await bootstrap(cfg);

	let web: WebApp | undefined;
	let workers: WorkerPool | undefined;
	if (cfg.ROLE !== 'worker') web = await createWebApp(cfg, log);
	if (cfg.ROLE !== 'web') workers = await startWorkers(log);

	if (web) {
		const server = web.server;
		await new Promise<void>((resolve) => server.listen(cfg.PORT, cfg.HOST, resolve));
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : cfg.PORT;
		log.info({ port, role: cfg.ROLE, origin: cfg.ORIGIN }, `Muster listening on http://localhost:${port}`);
	}

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'shutting down');
		const hardStop = setTimeout(() => {
			log.error('shutdown took too long; exiting');
			process.exit(1);
		}, cfg.SHUTDOWN_TIMEOUT_MS + 2_000);
		hardStop.unref();
		// Leave a margin for closing pools after the workers' grace period.
		const jobGrace = Math.max(100, cfg.SHUTDOWN_TIMEOUT_MS - 1_500);
		await Promise.allSettled([web?.close(), workers?.close(jobGrace)]);
		await Promise.allSettled(allQueues().map((q) => q.close()));
		await Promise.allSettled([database().pool.end(), redis().quit(), bullConnection().quit()]);
		log.info('stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
	if (error instanceof StartupError || error instanceof ConfigError) {
		process.stderr.write(`muster: ${error.message}\n`);
	} else {
		process.stderr.write(`muster: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	}
	process.exit(1);
});
