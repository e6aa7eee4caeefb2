import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { Database } from '../../db/client';
import type { DocumentKind } from '../../server/documents/kinds';
import { MessageType, SyncType } from '../protocol/yjs-messages';
import { BusType, type BusMessage, type DocumentBus } from './bus';
import { Connection } from './connection';
import { awarenessMessage, syncMessage, WholeState } from './messages';
import { Outbox, type Outgoing } from './outbox';
import { yjsMetrics } from './metrics';
import { revertTo } from './restore';
import { storageError, type DocumentStore } from './store';

/** Transaction origins other than a client connection. */
export const Origin = {
	Bus: Symbol('bus'),
	Store: Symbol('store'),
	Restore: Symbol('restore')
} as const;

export interface DocumentSettings {
	batchMs: number;
	compactAfter: number;
	versionIntervalMs: number;
}

export interface DocumentEnv {
	db: Database;
	store: DocumentStore;
	bus: DocumentBus;
	settings: DocumentSettings;
	log: Logger;
}

interface PendingRow {
	update: Uint8Array;
	userId: string | null;
	conn: Connection | null;
}

/** Largest send queue a client may build before it is dropped (it reconnects and resyncs). */
const MAX_BUFFERED = 32 * 1024 * 1024;
const INSERT_CHUNK = 1_000;

/**
 * One document held in memory by this instance: its Yjs state and awareness, the clients
 * connected here, and the pipeline that makes their changes durable (batched appends,
 * compaction, versions, projection). All persistence work for a document runs one step at
 * a time through `#work`, in order.
 */
export class LiveDocument {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly conns = new Set<Connection>();
	#batch: PendingRow[] = [];
	#flushTimer: NodeJS.Timeout | null = null;
	#projectTimer: NodeJS.Timeout | null = null;
	#work: Promise<void> = Promise.resolve();
	#tailLength = 0;
	#editors = new Set<string>();
	#lastVersionAt = Date.now();
	/** Changes arrived from other instances or the store since the last compaction. */
	#foreignChanges = false;
	#changedBy: unknown = null;
	/** Sync step 2 for a client that has nothing, shared until the document changes or goes unused. */
	readonly #wholeState = new WholeState(this.doc);
	readonly #onDocUpdate = (update: Uint8Array, origin: unknown) => this.#onUpdate(update, origin);
	readonly #outbox = new Outbox(
		(outgoing) => this.#relay(outgoing),
		(origin) => origin !== Origin.Bus && origin !== Origin.Store
	);
	#failures = 0;
	#destroyed = false;

	constructor(
		readonly name: string,
		readonly kind: DocumentKind,
		readonly id: string,
		readonly workspaceId: string,
		private readonly env: DocumentEnv
	) {
		// The server is not a participant: it relays awareness and holds no state of its own.
		this.awareness.setLocalState(null);
		this.doc.on('update', this.#onDocUpdate);
		this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => this.#onAwareness(change, origin));
	}

	/** Applies what the store loaded. Throws (and the document is discarded) if any of it is corrupt. */
	applyStored(updates: Uint8Array[], tailLength: number): void {
		// Nobody is attached yet and nothing needs relaying, so no 'update' listener: with one,
		// Yjs encodes the whole loaded state as an update (another copy of the document, plus
		// its encoder's garbage) only for #onUpdate to build a message no one receives.
		this.doc.off('update', this.#onDocUpdate);
		try {
			Y.transact(this.doc, () => updates.forEach((u) => Y.applyUpdateV2(this.doc, u)), Origin.Store);
		} finally {
			this.doc.on('update', this.#onDocUpdate);
		}
		this.#tailLength = tailLength;
		this.#wholeState.expect(updates.reduce((sum, u) => sum + u.byteLength, 0));
		if (updates.length > 0) this.#foreignChanges = true;
	}

	attach(conn: Connection): void {
		this.conns.add(conn);
		conn.announceAccess();
		conn.send(syncMessage(SyncType.Step1, Y.encodeStateVector(this.doc)));
		const states = this.awareness.getStates();
		if (states.size > 0) conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
	}

	detach(conn: Connection): void {
		if (!this.conns.delete(conn)) return;
		if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
	}

	handleMessage(conn: Connection, data: Uint8Array): void {
		if (conn.closed || this.#destroyed) return;
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MessageType.Sync:
				return this.#onSync(conn, decoder);
			case MessageType.Awareness:
				awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), conn);
				return;
			case MessageType.QueryAwareness: {
				const ids = [...this.awareness.getStates().keys()];
				conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
				return;
			}
			case MessageType.Auth:
				return;
			default:
				yjsMetrics.dropped.inc({ reason: 'unknown-message' });
		}
	}

	#onSync(conn: Connection, decoder: decoding.Decoder): void {
		const sub = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (sub === SyncType.Step1) {
			// A client with nothing (an empty state vector) gets the whole document. Many join
			// at once when a busy document opens; encoding it once for all of them keeps memory
			// at one copy instead of one per joiner (bench:realtime scenario 4).
			if (payload.byteLength === 1 && payload[0] === 0) {
				conn.send(this.#wholeState.message());
				return;
			}
			conn.send(syncMessage(SyncType.Step2, Y.encodeStateAsUpdate(this.doc, payload)));
			return;
		}
		if (sub !== SyncType.Step2 && sub !== SyncType.Update) {
			yjsMetrics.dropped.inc({ reason: 'unknown-message' });
			return;
		}
		conn.received += 1;
		if (conn.access !== 'write') {
			// An empty update (two zero bytes) is the sync handshake of a client with nothing new.
			if (payload.byteLength > 2) yjsMetrics.dropped.inc({ reason: 'read-only' });
			return;
		}
		this.#changedBy = null;
		Y.applyUpdate(this.doc, payload, conn);
		// Keep the client's own bytes when they changed something, or when they wait in the
		// document for missing pieces: a replay of the log then rebuilds exactly this.
		const waiting = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
		if (this.#changedBy === conn || waiting) {
			conn.pending.push(conn.received);
			this.#editors.add(conn.user.id);
			this.#push({ update: Y.convertUpdateFormatV1ToV2(payload), userId: conn.user.id, conn });
		} else {
			conn.acknowledge();
		}
	}

	#onUpdate(update: Uint8Array, origin: unknown): void {
		this.#changedBy = origin;
		this.#wholeState.drop();
		if (origin === Origin.Bus || origin === Origin.Store) this.#foreignChanges = true;
		this.#outbox.add(update, origin);
	}

	/** A turn's updates, merged: to every client here (but a lone sender) and, if made here, to the other instances. */
	#relay({ update, origin, local }: Outgoing): void {
		const message = syncMessage(SyncType.Update, update);
		for (const conn of this.conns) {
			if (conn === origin) continue;
			if (conn.transport.bufferedAmount > MAX_BUFFERED) {
				conn.close(1013, 'too slow');
				continue;
			}
			conn.send(message);
		}
		if (local) this.env.bus.publish(this.name, BusType.Update, local);
	}

	#onAwareness({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
		if (origin instanceof Connection) {
			for (const id of added) origin.awarenessIds.add(id);
			for (const id of updated) origin.awarenessIds.add(id);
			for (const id of removed) origin.awarenessIds.delete(id);
		}
		const changed = [...added, ...updated, ...removed];
		if (changed.length === 0) return;
		const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
		const message = awarenessMessage(update);
		// Back to the sender too: the stock client counts any message as a sign of life and
		// reconnects after 30 s of silence, and its own awareness renewal is what keeps a
		// lone editor's connection from going quiet.
		for (const conn of this.conns) conn.send(message);
		if (origin !== Origin.Bus) this.env.bus.publish(this.name, BusType.Awareness, update);
	}

	/** A message from another instance about this document. */
	onBus(message: BusMessage): void {
		if (this.#destroyed) return;
		switch (message.type) {
			case BusType.Update:
			case BusType.SyncReply:
				Y.applyUpdate(this.doc, message.payload, Origin.Bus);
				return;
			case BusType.Awareness:
				awarenessProtocol.applyAwarenessUpdate(this.awareness, message.payload, Origin.Bus);
				return;
			case BusType.SyncRequest: {
				const diff = Y.encodeStateAsUpdate(this.doc, message.payload);
				if (diff.byteLength > 2) this.env.bus.publish(this.name, BusType.SyncReply, diff, message.from);
				// If the asker holds changes we lack, ask back (only the asker, so this ends).
				const theirs = Y.decodeStateVector(message.payload);
				const ours = Y.encodeStateVector(this.doc);
				const mine = Y.decodeStateVector(ours);
				if ([...theirs].some(([client, clock]) => clock > (mine.get(client) ?? 0)) && message.to === '') {
					this.env.bus.publish(this.name, BusType.SyncRequest, ours, message.from);
				}
				const ids = [...this.awareness.getStates().keys()];
				if (ids.length > 0) this.env.bus.publish(this.name, BusType.Awareness, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids), message.from);
				return;
			}
		}
	}

	/** Asks the other instances holding this document for anything this one lacks. */
	requestSync(): void {
		this.env.bus.publish(this.name, BusType.SyncRequest, Y.encodeStateVector(this.doc));
	}

	#push(row: PendingRow): void {
		this.#batch.push(row);
		if (this.#flushTimer || this.#failures > 0) return;
		this.#flushTimer = setTimeout(() => {
			this.#flushTimer = null;
			void this.#enqueue(() => this.#flush());
		}, this.env.settings.batchMs);
	}

	#enqueue(step: () => Promise<void>): Promise<void> {
		const next = this.#work.then(step);
		this.#work = next.catch((error: unknown) => this.env.log.error({ err: storageError(error), doc: this.name }, 'document persistence step failed'));
		return next;
	}

	async #flush(): Promise<void> {
		const batch = this.#batch;
		if (batch.length === 0) return;
		this.#batch = [];
		const started = performance.now();
		try {
			for (let i = 0; i < batch.length; i += INSERT_CHUNK) {
				// Chunks commit one by one; a retry after a partial failure re-appends rows that
				// made it, which is harmless: applying an update twice changes nothing.
				await this.env.store.append(
					this.name,
					this.workspaceId,
					batch.slice(i, i + INSERT_CHUNK).map((r) => ({ update: r.update, userId: r.userId }))
				);
			}
		} catch (error) {
			this.#batch = batch.concat(this.#batch);
			this.#failures += 1;
			yjsMetrics.failures.inc({ operation: 'flush' });
			const delay = Math.min(5_000, 100 * 2 ** Math.min(this.#failures, 6));
			this.env.log.error({ err: storageError(error), doc: this.name, rows: this.#batch.length, retryInMs: delay }, 'could not store document updates; will retry');
			setTimeout(() => void this.#enqueue(() => this.#flush()), delay).unref();
			throw error;
		}
		this.#failures = 0;
		yjsMetrics.flushSeconds.observe((performance.now() - started) / 1_000);
		yjsMetrics.persisted.inc(batch.length);
		const touched = new Set<Connection>();
		for (const row of batch) {
			if (!row.conn) continue;
			row.conn.pending.shift();
			touched.add(row.conn);
		}
		for (const conn of touched) conn.acknowledge();
		this.#tailLength += batch.length;
		if (this.#tailLength >= this.env.settings.compactAfter) {
			await this.#compact();
		} else if (this.#editors.size > 0 && Date.now() - this.#lastVersionAt >= this.env.settings.versionIntervalMs) {
			await this.#saveVersion('activity');
		}
		this.#scheduleProjection();
		if (this.#batch.length > 0 && !this.#flushTimer) void this.#enqueue(() => this.#flush());
	}

	/**
	 * Folds the log into a snapshot. It also keeps a version when people edited since the
	 * last one and either the interval has passed or the document is leaving memory: a busy
	 * document compacts every few seconds, and a version each time would bury the history.
	 */
	async #compact(final = false): Promise<void> {
		const editors = [...this.#editors];
		const due = editors.length > 0 && (final || Date.now() - this.#lastVersionAt >= this.env.settings.versionIntervalMs);
		try {
			await this.env.store.compact(this.name, this.workspaceId, this.doc, Origin.Store, due ? { reason: 'compaction', editors } : null);
		} catch (error) {
			yjsMetrics.failures.inc({ operation: 'compaction' });
			throw error;
		}
		this.#tailLength = 0;
		this.#foreignChanges = false;
		if (due) {
			for (const editor of editors) this.#editors.delete(editor);
			this.#lastVersionAt = Date.now();
		}
	}

	async #saveVersion(reason: 'activity' | 'restore', editors = [...this.#editors]): Promise<void> {
		await this.env.store.saveVersion(this.name, this.workspaceId, Y.encodeStateAsUpdateV2(this.doc), { reason, editors });
		if (reason === 'activity') this.#editors.clear();
		this.#lastVersionAt = Date.now();
	}

	#scheduleProjection(): void {
		if (!this.kind.project || this.#projectTimer) return;
		this.#projectTimer = setTimeout(() => {
			this.#projectTimer = null;
			void this.#enqueue(() => this.#project());
		}, 500);
	}

	async #project(): Promise<void> {
		try {
			await this.kind.project?.({ db: this.env.db, id: this.id, workspaceId: this.workspaceId, doc: this.doc });
		} catch (error) {
			yjsMetrics.failures.inc({ operation: 'projection' });
			this.env.log.warn({ err: error, doc: this.name }, 'projection failed');
		}
	}

	/**
	 * Brings the document back to a stored version as a new change that every collaborator
	 * receives; the state before it is kept as a version, so a restore can itself be undone.
	 */
	async restore(target: Uint8Array, userId: string): Promise<void> {
		await this.#enqueue(async () => {
			await this.#saveVersion('restore', [userId]);
			const revert = revertTo(this.doc, target, this.kind.roots);
			if (revert) {
				Y.applyUpdate(this.doc, revert, Origin.Restore);
				this.#batch.push({ update: Y.convertUpdateFormatV1ToV2(revert), userId, conn: null });
				this.#editors.add(userId);
			}
			await this.#flush();
		});
	}

	/**
	 * Makes everything durable: pending updates, then a compaction if anything is in the log
	 * or arrived from elsewhere (so a document another instance did not persist is not lost),
	 * then the projection. Throws if the store is unreachable; the caller keeps the document.
	 */
	async settle(): Promise<void> {
		if (this.#flushTimer) {
			clearTimeout(this.#flushTimer);
			this.#flushTimer = null;
		}
		await this.#enqueue(async () => {
			await this.#flush();
			if (this.#tailLength > 0 || this.#foreignChanges || this.#editors.size > 0) await this.#compact(true);
			if (this.#projectTimer) {
				clearTimeout(this.#projectTimer);
				this.#projectTimer = null;
				await this.#project();
			}
		});
	}

	destroy(): void {
		// Updates still waiting for this turn's relay go out first (other instances need them).
		this.#outbox.flush();
		this.#destroyed = true;
		this.#wholeState.drop();
		if (this.#flushTimer) clearTimeout(this.#flushTimer);
		if (this.#projectTimer) clearTimeout(this.#projectTimer);
		this.awareness.destroy();
		this.doc.destroy();
	}
}
