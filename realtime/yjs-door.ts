import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, closeReasons } from './protocol/close-codes';
import { docNameFromPath, parseDocName } from './protocol/doc-name';

export interface DoorHooks {
	onOpen?: () => void;
	onClose?: () => void;
	/** Who is asking, from the upgrade's cookie; null refuses with 4401. */
	authenticate: (request: IncomingMessage) => Promise<{ id: string } | null>;
}

/**
 * The Yjs door. It accepts the upgrade and decides per document: malformed names get 4400,
 * anonymous callers 4401, and until document kinds are registered (the realtime engine)
 * every other name is an unknown document (4404).
 * Accepting first and closing with a code, rather than answering 404 to the upgrade, is what
 * lets the client see *why* (browsers hide HTTP statuses of failed upgrades).
 */
export class YjsDoor {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
	readonly #sockets = new Set<WebSocket>();

	constructor(private readonly hooks: DoorHooks) {}

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
		ws.on('close', () => {
			this.#sockets.delete(ws);
			this.hooks.onClose?.();
		});
		ws.on('error', () => ws.terminate());
		const name = parseDocName(raw);
		if (!name) return ws.close(CloseCode.BadRequest, closeReasons[CloseCode.BadRequest]);
		const user = await this.hooks.authenticate(request);
		if (!user) return ws.close(CloseCode.Unauthenticated, closeReasons[CloseCode.Unauthenticated]);
		ws.close(CloseCode.UnknownDocument, closeReasons[CloseCode.UnknownDocument]);
	}

	async close(): Promise<void> {
		for (const ws of this.#sockets) ws.close(CloseCode.GoingAway, closeReasons[CloseCode.GoingAway]);
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}
