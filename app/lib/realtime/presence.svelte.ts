/**
 * Who is here, drops and cursors for this tab (realtime/SPEC.md P1–P9). One Socket.IO
 * connection per tab, opened the first time a workspace page asks for it (browser only).
 * Socket.IO reconnects by itself; on every (re)connect the tab joins its workspace again
 * with where it is, so a restart of the server or a network change heals without a reload.
 */
import { io, type Socket } from 'socket.io-client';
import {
	locationKey,
	type ClientToServerEvents,
	type Cursor,
	type Drop,
	type OverviewChanged,
	type PresenceList,
	type PresencePerson,
	type RecordRef,
	type ServerToClientEvents,
	type Spot,
	type Where
} from '$realtime/protocol/socket-events';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SendResult = { ok: true } | { ok: false; message: string; retryAfterMs?: number };

/** At most this many drops on screen; older ones make room. */
const MAX_DROPS = 12;
/** A cursor that has not moved for this long is hidden. */
const CURSOR_IDLE_MS = 5_000;
/** Cursor moves leave this tab at most every this many ms (the server allows about 20 a second). */
const CURSOR_INTERVAL_MS = 50;
const ACK_TIMEOUT_MS = 5_000;

class PresenceState {
	/** Whether the socket is connected right now. */
	connected = $state(false);
	/** The signed-in person (set with `enter`). */
	me = $state<string | null>(null);
	workspaceId = $state<string | null>(null);
	page = $state<string | null>(null);
	/** The record open on the page, when a page says so (`setRecord`). */
	record = $state.raw<RecordRef | null>(null);
	/** Everyone online in the workspace, one entry a person, you included. */
	people = $state.raw<PresencePerson[]>([]);
	/** Drops at this place that are still on screen, oldest first. */
	drops = $state.raw<Drop[]>([]);
	/** Others' cursors at this place, latest per person. */
	cursors = $state.raw<Cursor[]>([]);
	/** How long drops stay, as the server said when the tab joined. */
	dropTtlMs = $state(8_000);
	/** Set when this tab was taken out of its workspace (membership removed or workspace deleted). */
	revoked = $state<string | null>(null);
	/** Grows with every accepted join (first connect, reconnect): events may have been missed before it. */
	joins = $state(0);

	where: Where | null = $derived(this.page === null ? null : { page: this.page, record: this.record });
	/** The location key of this place (a page, or the record open on it). */
	here: string | null = $derived(this.where ? locationKey(this.where) : null);
	/** The others at this place. */
	viewers: PresencePerson[] = $derived(
		this.here === null ? [] : this.people.filter((p) => p.userId !== this.me && p.locations.includes(this.here ?? ''))
	);
	/** Everyone online, you first. */
	online: PresencePerson[] = $derived([
		...this.people.filter((p) => p.userId === this.me),
		...this.people.filter((p) => p.userId !== this.me)
	]);

	#socket: Client | null = null;
	#version = -1;
	#lastCursor = 0;
	#cursorSweep: ReturnType<typeof setInterval> | null = null;
	#wherePending = false;
	readonly #overviewListeners = new Set<(stages: OverviewChanged['stages']) => void>();

	/** Be in this workspace, on this page. Called by the app layout whenever either changes. */
	enter(me: string, workspaceId: string, page: string): void {
		this.me = me;
		const moved = workspaceId !== this.workspaceId;
		if (moved) {
			this.#reset();
			this.workspaceId = workspaceId;
			this.revoked = null;
		}
		const elsewhere = moved || page !== this.page;
		if (elsewhere) {
			this.page = page;
			this.record = null;
			this.#clearPlace();
		}
		const socket = this.#connect();
		if (!socket.connected) return; // joins on connect
		if (moved) this.#join();
		else if (elsewhere) this.#sendWhere();
	}

	/** A page that has a record open (a brief, a campaign) says so; null when it closes. */
	setRecord(record: RecordRef | null): void {
		if (record?.type === this.record?.type && record?.id === this.record?.id) return;
		this.record = record ? { type: record.type, id: record.id } : null;
		this.#clearPlace();
		this.#sendWhere();
	}

	/** Left the workspace pages (account settings, a new workspace): no longer present anywhere. */
	exit(): void {
		const workspaceId = this.workspaceId;
		if (workspaceId && this.#socket?.connected) this.#socket.emit('presence:leave', { workspaceId });
		this.#reset();
		this.workspaceId = null;
		this.page = null;
		this.record = null;
	}

	/** Closes the connection (the signed-in shell is gone). */
	close(): void {
		this.exit();
		this.#socket?.disconnect();
		this.#socket = null;
		this.connected = false;
	}

	/** Drops a note here for everyone at this place to see for a few seconds. */
	async sendDrop(text: string, spot: Spot | null = null): Promise<SendResult> {
		const socket = this.#socket;
		if (!socket?.connected || !this.workspaceId) return { ok: false, message: 'Not connected right now. Try again in a moment.' };
		try {
			const reply = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('drop:send', { text, spot });
			if (reply.ok) return { ok: true };
			return { ok: false, message: reply.error.message, retryAfterMs: reply.error.retryAfterMs };
		} catch {
			return { ok: false, message: 'The server did not answer. Try again.' };
		}
	}

	/** Calls `listener` with the live grid's stages that changed in this tab's workspace (SPEC O2); returns a function that stops. */
	onOverviewChanged(listener: (stages: OverviewChanged['stages']) => void): () => void {
		this.#overviewListeners.add(listener);
		return () => this.#overviewListeners.delete(listener);
	}

	/** Reports this tab's cursor on a shared canvas, in the canvas's own coordinates. */
	moveCursor(x: number, y: number): void {
		const now = Date.now();
		if (!this.#socket?.connected || this.here === null || now - this.#lastCursor < CURSOR_INTERVAL_MS) return;
		this.#lastCursor = now;
		this.#socket.volatile.emit('cursor:move', { x, y, location: this.here });
	}

	#connect(): Client {
		if (this.#socket) return this.#socket;
		// WebSocket only: long-polling would need sticky sessions across instances (SPEC P9).
		const socket: Client = io({ path: '/socket.io', transports: ['websocket'] });
		socket.on('connect', () => {
			this.connected = true;
			if (this.workspaceId) this.#join();
		});
		socket.on('disconnect', () => {
			this.connected = false;
		});
		socket.on('presence:list', (list) => this.#apply(list));
		socket.on('presence:revoked', ({ workspaceId }) => {
			if (workspaceId !== this.workspaceId) return;
			this.#reset();
			this.revoked = workspaceId;
		});
		socket.on('drop', (drop) => this.#receiveDrop(drop));
		socket.on('cursor', (cursor) => this.#receiveCursor(cursor));
		socket.on('overview:changed', (change) => {
			if (change.workspaceId !== this.workspaceId) return;
			for (const listener of this.#overviewListeners) listener(change.stages);
		});
		this.#socket = socket;
		return socket;
	}

	#join(): void {
		const socket = this.#socket;
		const workspaceId = this.workspaceId;
		if (!socket || !workspaceId) return;
		const where = this.where ? $state.snapshot(this.where) : undefined;
		socket
			.timeout(ACK_TIMEOUT_MS)
			.emitWithAck('presence:join', where ? { workspaceId, where } : { workspaceId })
			.then(
				(reply) => {
					if (workspaceId !== this.workspaceId) return;
					if (!reply.ok) {
						if (reply.error.code === 'forbidden') this.revoked = workspaceId;
						return;
					}
					this.dropTtlMs = reply.dropTtlMs;
					this.#apply(reply.list);
					this.joins++;
				},
				() => {
					// No answer: the next reconnect joins again.
				}
			);
	}

	/**
	 * Coalesced to one message per task: a navigation moves the page (the layout) and then sets
	 * the record (the page) in the same flush, and the server applies each message
	 * asynchronously, so two in a row could leave it holding the first place.
	 */
	#sendWhere(): void {
		if (this.#wherePending) return;
		this.#wherePending = true;
		queueMicrotask(() => {
			this.#wherePending = false;
			if (this.#socket?.connected && this.workspaceId && this.where) this.#socket.emit('presence:where', $state.snapshot(this.where));
		});
	}

	#apply(list: PresenceList): void {
		if (list.workspaceId !== this.workspaceId || list.version < this.#version) return;
		this.#version = list.version;
		this.people = list.people;
	}

	#receiveDrop(drop: Drop): void {
		if (drop.workspaceId !== this.workspaceId || drop.location !== this.here) return;
		this.drops = [...this.drops, drop].slice(-MAX_DROPS);
		setTimeout(() => {
			this.drops = this.drops.filter((d) => d.id !== drop.id);
		}, drop.ttlMs);
	}

	#receiveCursor(cursor: Cursor): void {
		if (cursor.location !== this.here || cursor.userId === this.me) return;
		// Idle is judged by this tab's clock, not the sender's.
		const fresh = { ...cursor, at: Date.now() };
		this.cursors = [...this.cursors.filter((c) => c.userId !== cursor.userId), fresh];
		this.#cursorSweep ??= setInterval(() => {
			const cutoff = Date.now() - CURSOR_IDLE_MS;
			this.cursors = this.cursors.filter((c) => c.at >= cutoff);
			if (this.cursors.length === 0 && this.#cursorSweep) {
				clearInterval(this.#cursorSweep);
				this.#cursorSweep = null;
			}
		}, 1_000);
	}

	#clearPlace(): void {
		this.drops = [];
		this.cursors = [];
	}

	#reset(): void {
		this.#version = -1;
		this.people = [];
		this.#clearPlace();
	}
}

/** The tab's presence. Read anywhere; only the app layout calls `enter` and `exit`. */
export const presence = new PresenceState();
