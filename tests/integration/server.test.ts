import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { envVars } from '../support/test-env';
import { spawnMuster, type RunningServer } from '../support/spawn-server';

// The production server (SvelteKit build + doors + workers) in its own process.
let server: RunningServer;

beforeAll(async () => {
	server = await spawnMuster({ env: { ...envVars(inject('testEnv')), BODY_SIZE_LIMIT: '64kb' } });
});

afterAll(async () => {
	if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
});

describe('one server, three doors', () => {
	it('is alive and ready, with per-dependency status', async () => {
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		const ready = await fetch(`${server.url}/readyz`);
		expect(ready.status).toBe(200);
		const body = (await ready.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
		expect(body.ok).toBe(true);
		expect(body.checks.postgres?.ok).toBe(true);
		expect(body.checks.redis?.ok).toBe(true);
	});

	it('serves the app with a request id on every response', async () => {
		const res = await fetch(`${server.url}/`, { headers: { 'x-request-id': 'trace-abc-123' } });
		expect(res.status).toBe(200);
		expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
		expect(await res.text()).toContain('<html');
		const other = await fetch(`${server.url}/healthz`);
		expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('answers unknown routes with the styled 404 page', async () => {
		const res = await fetch(`${server.url}/no-such-page`, { headers: { accept: 'text/html' } });
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('Page not found');
	});

	it('refuses bodies over the limit with 413, whether declared or streamed', async () => {
		const big = 'x'.repeat(70 * 1024);
		const declared = await fetch(`${server.url}/api/trpc/system.ping`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
		expect(declared.status).toBe(413);
		expect(((await declared.json()) as { error: { message: string } }).error.message).toMatch(/limit/);
		const stream = new ReadableStream({
			start(controller) {
				controller.enqueue(new TextEncoder().encode(big));
				controller.close();
			}
		});
		const chunked = await fetch(`${server.url}/api/trpc/system.reportClientError`, {
			method: 'POST',
			body: stream,
			duplex: 'half',
			headers: { 'content-type': 'application/json' }
		} as RequestInit);
		expect(chunked.status).toBe(413);
	});

	it('answers malformed tRPC input with 400 and a readable message', async () => {
		const input = encodeURIComponent(JSON.stringify({ sent: 'soon' }));
		const res = await fetch(`${server.url}/api/trpc/system.ping?input=${input}`);
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: { message: string; data: { fieldErrors: Record<string, string[]> } } };
		expect(body.error.message).toMatch(/^Invalid input — sent: .*number/);
		expect(body.error.data.fieldErrors.sent?.length).toBe(1);
		const broken = await fetch(`${server.url}/api/trpc/system.ping?input=%7Bnot-json`);
		expect(broken.status).toBe(400);
		const ok = await fetch(`${server.url}/api/trpc/system.ping?input=${encodeURIComponent(JSON.stringify({ sent: 5 }))}`);
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as { result: { data: { pong: boolean; sent: number } } }).result.data).toMatchObject({ pong: true, sent: 5 });
	});

	it('answers rate-limited calls with 429, Retry-After and a readable message', async () => {
		const headers = { 'content-type': 'application/json' };
		let last: Response | undefined;
		for (let i = 0; i < 100; i++) {
			last = await fetch(`${server.url}/api/trpc/auth.loginOptions`, { method: 'POST', headers, body: JSON.stringify({ email: null }) });
			if (last.status === 429) break;
		}
		expect(last?.status).toBe(429);
		expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(((await last?.json()) as { error: { message: string } }).error.message).toMatch(/Too many attempts\. Try again in \d+ s/);
	});

	it('refuses mutations from a foreign origin (CSRF)', async () => {
		const res = await fetch(`${server.url}/api/trpc/auth.loginOptions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
			body: JSON.stringify({ email: null })
		});
		expect(res.status).toBe(403);
		expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site/);
	});

	it('exposes Prometheus metrics for HTTP, sockets, jobs and the event loop', async () => {
		await fetch(`${server.url}/`);
		const text = await (await fetch(`${server.url}/metrics`)).text();
		// SvelteKit requests are labelled by route template, never by raw URL.
		expect(text).toMatch(/muster_http_request_duration_seconds_count\{method="GET",route="\/",status="\d+"\} [1-9]/);
		expect(text).not.toMatch(/route="\/no-such-page"/);
		expect(text).toMatch(/muster_websocket_connections\{door="yjs"\} 0/);
		expect(text).toMatch(/muster_websocket_connections\{door="socket.io"\} 0/);
		expect(text).toMatch(/muster_jobs\{queue="maintenance",state="completed"\}/);
		expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
	});

	it('writes structured JSON logs with the request id', async () => {
		await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'log-probe-42' } });
		await new Promise((r) => setTimeout(r, 100));
		const line = server
			.output()
			.split('\n')
			.find((l) => l.includes('log-probe-42'));
		expect(line).toBeDefined();
		expect(JSON.parse(line ?? '{}')).toMatchObject({ reqId: 'log-probe-42', url: '/healthz', status: 200, msg: 'request' });
	});

	it('drains on SIGTERM within 10 seconds and exits 0', async () => {
		const { code, ms } = await server.stop('SIGTERM');
		expect(code).toBe(0);
		expect(ms).toBeLessThan(10_000);
		expect(server.output()).toMatch(/"msg":"stopped"/);
	});
});
