import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, closeReasons } from './protocol/close-codes';
import { docNameFromPath, parseDocName } from './protocol/doc-name';
import { ACKS_PARAM } from './protocol/yjs-messages';
import type { ConnectionUser, Transport } from './yjs/connection';
import type { DocumentHub } from './yjs/hub';

export interface DoorHooks {
	onOpen?: () => void;
	onClose?: () => void;
	/** Who is asking, from the upgrade's cookie; null refuses with 4401. */
	authenticate: (request: IncomingMessage) => Promise<ConnectionUser | null>;
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The Yjs door: turns `GET /yjs/<docName>` upgrades into hub connections. It accepts the
 * upgrade and then decides (SPEC D3), closing with a code rather than answering the upgrade
 * with a status, because browsers hide the status of a failed upgrade from scripts.
 */
export class YjsDoor {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
	readonly #sockets = new Set<WebSocket>();

	constructor(
		private readonly hub: DocumentHub,
		private readonly hooks: DoorHooks
	) {}

	/** True when the request is for this door (and has been taken care of). */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const raw = docNameFromPath(request.url ?? '');
		if (raw === null) return false;
		this.#wss.handleUpgrade(request, socket, head, (ws) => {
			this.#accept(ws, raw, request).catch(() => ws.close(CloseCode.LoadFailed, closeReasons[CloseCode.LoadFailed]));
		});
		return true;
	}

	async #accept(ws: WebSocket, raw: string, request: IncomingMessage): Promise<void> {
		this.#sockets.add(ws);
		this.hooks.onOpen?.();
		// Clients speak first (sync step 1); hold their messages until the document is ready.
		const early: Uint8Array[] = [];
		let receive: ((data: Uint8Array) => void) | null = null;
		let leave: (() => void) | null = null;
		ws.on('message', (data) => {
			const bytes = toBytes(data);
			if (receive) receive(bytes);
			else early.push(bytes);
		});
		ws.on('close', () => {
			this.#sockets.delete(ws);
			this.hooks.onClose?.();
			leave?.();
		});
		ws.on('error', () => ws.terminate());
		const refuse = (code: CloseCode) => ws.close(code, closeReasons[code]);
		if (!parseDocName(raw)) return refuse(CloseCode.BadRequest);
		const user = await this.hooks.authenticate(request);
		if (!user) return refuse(CloseCode.Unauthenticated);
		if (ws.readyState !== ws.OPEN) return;
		const transport: Transport = {
			send: (data) => {
				if (ws.readyState === ws.OPEN) ws.send(data);
			},
			close: (code, reason) => ws.close(code, reason),
			get bufferedAmount() {
				return ws.bufferedAmount;
			}
		};
		const acks = new URL(request.url ?? '/', 'http://door').searchParams.get(ACKS_PARAM) === '1';
		const opened = await this.hub.open(transport, { user, docName: raw, acks });
		if (!opened.ok) return refuse(opened.code);
		if (ws.readyState !== ws.OPEN) return opened.leave();
		leave = opened.leave;
		receive = opened.receive;
		for (const bytes of early.splice(0)) opened.receive(bytes);
	}

	async close(): Promise<void> {
		await this.hub.close();
		for (const ws of this.#sockets) ws.close(CloseCode.GoingAway, closeReasons[CloseCode.GoingAway]);
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}
