import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../realtime/protocol/socket-events';

/** Client helpers of the load process (which never imports server code). */

export function wsBase(url: string): string {
	return url.replace(/^http/, 'ws');
}

/** Runs `run` over every item with at most `concurrency` in flight; collects errors instead of throwing. */
export async function eachLimited<T>(items: T[], concurrency: number, run: (item: T, index: number) => Promise<void>): Promise<string[]> {
	const errors: string[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			while (next < items.length) {
				const index = next++;
				try {
					await run(items[index] as T, index);
				} catch (error) {
					errors.push(error instanceof Error ? error.message : String(error));
				}
			}
		})
	);
	return errors;
}

export function until(test: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
	return new Promise((resolve) => {
		const started = Date.now();
		const tick = () => {
			if (test()) return resolve(true);
			if (Date.now() - started > timeoutMs) return resolve(false);
			setTimeout(tick, intervalMs);
		};
		tick();
	});
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A promise that `start` settles through its callbacks, or that fails with "<what> within
 * <timeoutMs> ms" after running the abort function `start` returned.
 */
function withDeadline<T>(timeoutMs: number, what: string, start: (resolve: (value: T) => void, reject: (error: unknown) => void) => () => void): Promise<T> {
	return new Promise((resolve, reject) => {
		let abort = () => {};
		const timer = setTimeout(() => {
			abort();
			reject(new Error(`${what} within ${timeoutMs} ms`));
		}, timeoutMs);
		abort = start(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error) => {
				clearTimeout(timer);
				reject(error);
			}
		);
	});
}

// y-websocket frames of an idle client: sync step 1 with an empty state vector, and the empty
// sync step 2 it answers the server's step 1 with.
const STEP1_EMPTY = new Uint8Array([0, 0, 1, 0]);
const STEP2_EMPTY = new Uint8Array([0, 1, 2, 0, 0]);

/**
 * An idle document connection speaking the y-websocket protocol, without a Y.Doc: the same
 * handshake the stock client makes (step 1 out, step 2 back for the server's step 1) and no
 * awareness. The stock WebsocketProvider would hold a Y.Doc, an Awareness, three timers and
 * renew its awareness every 15 s (relayed to every peer), so 5,000 of them are neither idle
 * nor cheap for one load process; this one only keeps its socket open. Resolves once synced.
 */
export function idleDocument(url: string, docName: string, cookie: string, timeoutMs = 60_000): Promise<WebSocket> {
	return withDeadline(timeoutMs, `document ${docName} did not sync`, (resolve, reject) => {
		const ws = new WebSocket(`${wsBase(url)}/yjs/${docName}`, { headers: { cookie } });
		ws.on('open', () => ws.send(STEP1_EMPTY));
		ws.on('message', (data: Buffer) => {
			if (data[0] !== 0) return;
			if (data[1] === 0) ws.send(STEP2_EMPTY);
			if (data[1] === 1) resolve(ws);
		});
		ws.on('close', (code, reason) => reject(new Error(`document connection closed: ${code} ${reason.toString()}`)));
		ws.on('error', () => undefined);
		return () => ws.terminate();
	});
}

export type MusterSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A Socket.IO client as the app makes it (WebSocket transport, the session cookie; with
 * `reconnect`, the app's default reconnection too); resolves on `hello`.
 */
export function musterSocket(url: string, cookie: string, timeoutMs = 60_000, reconnect = false): Promise<MusterSocket> {
	return withDeadline(timeoutMs, 'socket.io did not say hello', (resolve, reject) => {
		const socket: MusterSocket = io(url, {
			path: '/socket.io',
			transports: ['websocket'],
			extraHeaders: { cookie },
			forceNew: true,
			reconnection: reconnect,
			timeout: timeoutMs
		});
		socket.once('hello', () => resolve(socket));
		socket.once('connect_error', reject);
		return () => socket.disconnect();
	});
}

/** A raw JSON relay connection to the baseline (its stand-in for a Socket.IO connection). */
export function rawSocket(url: string, room: string, timeoutMs = 60_000): Promise<WebSocket> {
	return withDeadline(timeoutMs, 'raw socket did not open', (resolve, reject) => {
		const ws = new WebSocket(`${wsBase(url)}/raw/${room}`);
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
		return () => ws.terminate();
	});
}
