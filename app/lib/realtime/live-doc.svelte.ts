/**
 * A co-edited document in the browser: a Y.Doc kept on this device (IndexedDB) and synced
 * with the server through the stock y-websocket provider, plus the truthful saved status.
 * Browser only; create it in an effect and `destroy()` it when the page goes.
 */
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { personColours } from '$lib/avatar';
import { isTerminal } from '$realtime/protocol/close-codes';
import { ACKS_PARAM, carriesChanges, MessageType, type DocAccess } from '$realtime/protocol/yjs-messages';
import { initialFacts, isEmptyChange, reduce, statusOf, type ConnectionEvent, type ConnectionFacts } from './save-status';

export interface LiveDocOptions {
	/** `<kind>:<uuid>`, e.g. `brief:<workspace id>`. */
	docName: string;
	user: { id: string; name: string };
	/** What the page knows of the person's role; the server's Access message has the last word. */
	mayEdit: boolean;
}

/** How long to wait for IndexedDB before going on without it (private windows, blocked storage). */
const LOCAL_TIMEOUT_MS = 3_000;

function yjsUrl(): string {
	return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/yjs`;
}

export class LiveDoc {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly awareness: Awareness;
	mayEdit = $state(true);
	facts = $state<ConnectionFacts>(initialFacts);
	/** IndexedDB has been read (or given up on); the document holds what this device had. */
	loaded = $state(false);
	/** Whether changes survive a closed tab: false when IndexedDB is unavailable. */
	keptLocally = $state(true);
	/** The document has content to show: a local copy, or the server's state has arrived once. */
	showable = $state(false);
	readonly status = $derived(statusOf(this.facts, this.mayEdit, this.keptLocally));

	readonly #persistence: IndexeddbPersistence;
	#destroyed = false;
	readonly #cleanups: (() => void)[] = [];

	constructor(options: LiveDocOptions) {
		this.mayEdit = options.mayEdit;
		// One local copy per person and document, so someone else signing in on this browser
		// never sends the previous person's unsynced edits under their own name.
		this.#persistence = new IndexeddbPersistence(`muster-doc:${options.user.id}:${options.docName}`, this.doc);
		this.provider = new WebsocketProvider(yjsUrl(), options.docName, this.doc, {
			connect: false,
			params: { [ACKS_PARAM]: '1' },
			WebSocketPolyfill: this.#countingSocket(),
			shouldReconnect: (event) => !isTerminal(event.code)
		});
		this.awareness = this.provider.awareness;
		this.awareness.setLocalStateField('user', { id: options.user.id, name: options.user.name, ...personColours(options.user.id) });
		this.#listen();
		void this.#start();
	}

	get text(): Y.Text {
		return this.doc.getText('body');
	}

	#dispatch(event: ConnectionEvent): void {
		if (this.#destroyed) return;
		this.facts = reduce(this.facts, event);
	}

	/**
	 * The browser's WebSocket, counting the change-bearing frames it sends: the server's
	 * `Saved n` acknowledges the first n of them on this socket.
	 */
	#countingSocket(): typeof WebSocket {
		const onSent = (socket: WebSocket, frame: Uint8Array) => {
			if (this.provider.ws === socket) this.#dispatch({ type: 'sent', empty: isEmptyChange(frame) });
		};
		return class CountingWebSocket extends WebSocket {
			override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
				super.send(data);
				if (data instanceof Uint8Array && this.readyState === WebSocket.OPEN && carriesChanges(data)) onSent(this, data);
			}
		};
	}

	#listen(): void {
		const provider = this.provider;
		// Muster's own messages (realtime/protocol/yjs-messages.ts). `fromServer` is false for
		// messages relayed between tabs, which never carry these.
		provider.messageHandlers[MessageType.Saved] = (_encoder, decoder, _provider, fromServer) => {
			const count = decoding.readVarUint(decoder);
			if (fromServer) this.#dispatch({ type: 'saved', count });
		};
		provider.messageHandlers[MessageType.Access] = (_encoder, decoder, _provider, fromServer) => {
			const access = decoding.readVarString(decoder);
			if (fromServer && (access === 'write' || access === 'read')) this.#dispatch({ type: 'access', access: access as DocAccess });
		};
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			if (status === 'connecting') this.#dispatch({ type: 'connecting' });
			else if (status === 'connected') this.#dispatch({ type: 'open' });
		};
		const onClose = (event: CloseEvent | null) => this.#dispatch({ type: 'closed', code: event?.code ?? null });
		const onSync = (synced: boolean) => {
			this.#dispatch({ type: 'synced', synced });
			if (synced) this.showable = true;
		};
		// A refusal (4400/4401/4403/4404): stop for good until the person acts (SPEC C1).
		const onClosed = () => this.provider.disconnect();
		provider.on('status', onStatus);
		provider.on('connection-close', onClose);
		provider.on('sync', onSync);
		provider.on('closed', onClosed);
		this.#cleanups.push(() => {
			provider.off('status', onStatus);
			provider.off('connection-close', onClose);
			provider.off('sync', onSync);
			provider.off('closed', onClosed);
		});

		// The browser knows the network is gone long before the socket does: an open socket can
		// sit stalled, neither closed nor delivering, until the provider's 30 s watchdog fires.
		// Drop it now (a clean close would wait for a handshake that cannot arrive) so the status
		// says offline; the provider keeps retrying with its backoff, and `online` hurries it.
		const offline = () => {
			if (this.facts.refused !== null || !this.provider.ws) return;
			this.provider.disconnect();
			this.provider.connect();
		};
		const online = () => {
			if (this.facts.refused === null && this.loaded && !this.provider.wsconnected && this.provider.ws === null) this.provider.connect();
		};
		window.addEventListener('offline', offline);
		window.addEventListener('online', online);
		this.#cleanups.push(() => {
			window.removeEventListener('offline', offline);
			window.removeEventListener('online', online);
		});
	}

	async #start(): Promise<void> {
		const loaded = await Promise.race([
			this.#persistence.whenSynced.then(() => true),
			new Promise<false>((resolve) => setTimeout(() => resolve(false), LOCAL_TIMEOUT_MS))
		]);
		if (this.#destroyed) return;
		this.keptLocally = loaded;
		this.loaded = true;
		// Anything in the document now came from this device: show it right away.
		if (this.doc.store.clients.size > 0) this.showable = true;
		this.provider.connect();
	}

	/**
	 * Forgets what this device holds of the document (changes the server will not take) and
	 * reloads the page, which then shows the server's text.
	 */
	async discardLocalChanges(): Promise<void> {
		this.destroy();
		await this.#persistence.clearData();
		location.reload();
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		for (const cleanup of this.#cleanups) cleanup();
		this.provider.destroy();
		// Close the local copy but keep it: unsynced edits go out next time.
		void this.#persistence.destroy();
		this.doc.destroy();
	}
}
