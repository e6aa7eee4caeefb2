import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { attach, type Realtime } from '../../realtime/index';
import { CloseCode } from '../../realtime/protocol/close-codes';
import { registry } from '../../server/metrics';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { seedUser } from '../support/identity';

let server: http.Server;
let realtime: Realtime;
let base: string;
let cookie: string;

beforeAll(async () => {
	await bootstrap(config());
	cookie = `muster_session=${(await seedUser('realtime')).token}`;
	server = http.createServer((_req, res) => res.end('ok'));
	realtime = attach(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await realtime.close();
});

function closeOf(url: string, headers: Record<string, string> = { cookie }): Promise<{ code: number; reason: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		ws.on('error', reject);
	});
}

async function gauge(door: string): Promise<number> {
	const metric = await registry.getSingleMetric('muster_websocket_connections')?.get();
	return metric?.values.find((v) => v.labels.door === door)?.value ?? NaN;
}

describe('Socket.IO door', () => {
	it('refuses a connection without a valid session', async () => {
		for (const extraHeaders of [{}, { cookie: 'muster_session=forged-token-value-123456' }] as Record<string, string>[]) {
			const socket = connect(`http://${base}`, { path: '/socket.io', transports: ['websocket'], extraHeaders });
			try {
				const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
				expect(error.message).toBe('unauthenticated');
			} finally {
				socket.disconnect();
			}
		}
	});

	it('connects, greets and answers a ping', async () => {
		const socket = connect(`http://${base}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } });
		try {
			const hello = await new Promise<{ instance: string }>((resolve) => socket.once('hello', resolve));
			expect(hello.instance).toMatch(/^[0-9a-f-]{36}$/);
			expect(await gauge('socket.io')).toBe(1);
			const reply = await socket.timeout(2_000).emitWithAck('ping', { sent: 7 });
			expect(reply).toMatchObject({ pong: true, sent: 7 });
		} finally {
			socket.disconnect();
		}
		await expect.poll(() => gauge('socket.io')).toBe(0);
	});

	it('drops a malformed ping instead of answering it', async () => {
		const socket = connect(`http://${base}`, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } });
		try {
			await new Promise((resolve) => socket.once('hello', resolve));
			const bad = socket.timeout(300).emitWithAck('ping', { sent: 'x' } as unknown as { sent: number });
			await expect(bad).rejects.toThrow(/timed out/);
		} finally {
			socket.disconnect();
		}
	});
});

describe('Yjs door (SPEC C1–C2)', () => {
	it('refuses a caller without a session with 4401', async () => {
		expect((await closeOf(`ws://${base}/yjs/brief:${randomUUID()}`, {})).code).toBe(CloseCode.Unauthenticated);
		expect((await closeOf(`ws://${base}/yjs/brief:${randomUUID()}`, { cookie: 'muster_session=tampered' })).code).toBe(CloseCode.Unauthenticated);
	});

	it('refuses a well-formed but unregistered document with 4404', async () => {
		const { code, reason } = await closeOf(`ws://${base}/yjs/brief:${randomUUID()}`);
		expect(code).toBe(CloseCode.UnknownDocument);
		expect(reason).toBe('unknown document');
	});

	it('refuses a malformed document name with 4400', async () => {
		expect((await closeOf(`ws://${base}/yjs/not-a-doc`)).code).toBe(CloseCode.BadRequest);
	});

	it('tells the stock y-websocket client why it was refused', async () => {
		const doc = new Y.Doc();
		const provider = new WebsocketProvider(`ws://${base}/yjs`, `campaign:${randomUUID()}`, doc, {
			WebSocketPolyfill: class extends WebSocket {
				constructor(url: string) {
					super(url, { headers: { cookie } });
				}
			} as unknown as typeof globalThis.WebSocket,
			connect: true
		});
		try {
			const event = await new Promise<CloseEvent>((resolve) => provider.on('connection-close', (e) => e && resolve(e)));
			expect(event.code).toBe(CloseCode.UnknownDocument);
		} finally {
			provider.destroy();
			doc.destroy();
		}
	});
});
