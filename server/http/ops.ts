import type { IncomingMessage, ServerResponse } from 'node:http';
import { database } from '../db';
import { httpDuration, registry } from '../metrics';
import { redis } from '../redis';

type Check = { ok: true; ms: number } | { ok: false; ms: number; error: string };

async function timed(fn: () => Promise<unknown>, timeoutMs = 2_000): Promise<Check> {
	const started = performance.now();
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			fn(),
			new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))
		]);
		return { ok: true, ms: Math.round(performance.now() - started) };
	} catch (error) {
		return { ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
	} finally {
		clearTimeout(timer);
	}
}

export async function readiness(): Promise<{ ok: boolean; checks: { postgres: Check; redis: Check } }> {
	const [postgres, redisCheck] = await Promise.all([
		timed(() => database().pool.query('SELECT 1')),
		timed(() => redis().ping())
	]);
	return { ok: postgres.ok && redisCheck.ok, checks: { postgres, redis: redisCheck } };
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

const ROUTES: Record<string, (res: ServerResponse) => Promise<number>> = {
	'/healthz': async (res) => {
		json(res, 200, { ok: true, uptime: Math.round(process.uptime()) });
		return 200;
	},
	'/readyz': async (res) => {
		const result = await readiness();
		const status = result.ok ? 200 : 503;
		json(res, status, result);
		return status;
	},
	'/metrics': async (res) => {
		const body = await registry.metrics();
		res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
		res.end(body);
		return 200;
	}
};

/**
 * Health, readiness and metrics, served before SvelteKit so they answer even when the app
 * is busy or misconfigured. Returns false when the request is not one of ours.
 */
export async function handleOps(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
	if (req.method !== 'GET' && req.method !== 'HEAD') return false;
	const path = (req.url ?? '/').split('?')[0] ?? '/';
	const route = ROUTES[path];
	if (!route) return false;
	const end = httpDuration.startTimer({ method: req.method, route: path });
	const status = await route(res);
	end({ status: String(status) });
	return true;
}
