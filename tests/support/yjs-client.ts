import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { carriesChanges, MessageType, type DocAccess } from '../../realtime/protocol/yjs-messages';

/** The stock y-websocket client in Node, carrying a session cookie like a browser would. */
export function cookieSocket(cookie: string) {
	return class CookieSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	};
}

export interface TestPeer {
	doc: Y.Doc;
	provider: WebsocketProvider;
	text: Y.Text;
	/** Change-bearing frames sent on the current socket, and how many the server says are durable. */
	sent(): number;
	saved(): number;
	access(): DocAccess | null;
	closes: { code: number; reason: string }[];
	synced(): Promise<void>;
	allSaved(): Promise<void>;
	destroy(): void;
}

/**
 * A client as the app uses it: stock `WebsocketProvider` plus the `acks=1` extension, counting
 * the frames it sends so it can tell when the server has stored all of them.
 */
export function peer(base: string, docName: string, cookie: string, options: { acks?: boolean; doc?: Y.Doc } = {}): TestPeer {
	const doc = options.doc ?? new Y.Doc();
	let sent = 0;
	let saved = 0;
	let access: DocAccess | null = null;
	const Base = cookieSocket(cookie);
	class CountingSocket extends Base {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols);
			sent = 0;
			saved = 0;
		}
		override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
			if (data instanceof Uint8Array && carriesChanges(data)) sent += 1;
			(super.send as (...args: unknown[]) => void)(data, ...rest);
		}
	}
	const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/yjs`, docName, doc, {
		WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
		params: options.acks === false ? {} : { acks: '1' },
		disableBc: true,
		maxBackoffTime: 300
	});
	provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
		saved = decoding.readVarUint(decoder);
	};
	provider.messageHandlers[MessageType.Access] = (_encoder, decoder) => {
		access = decoding.readVarString(decoder) as DocAccess;
	};
	const closes: { code: number; reason: string }[] = [];
	provider.on('connection-close', (event) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	const until = (test: () => boolean, what: string, timeoutMs = 10_000) =>
		new Promise<void>((resolve, reject) => {
			const started = Date.now();
			const tick = () => {
				if (test()) return resolve();
				if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
				setTimeout(tick, 10);
			};
			tick();
		});
	return {
		doc,
		provider,
		text: doc.getText('body'),
		sent: () => sent,
		saved: () => saved,
		access: () => access,
		closes,
		synced: () => until(() => provider.synced, 'sync'),
		allSaved: () => until(() => provider.synced && saved >= sent && sent > 0, 'all changes saved'),
		destroy: () => {
			provider.destroy();
		}
	};
}
