import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { resolveDocument, type Resolution } from '../../server/documents/registry';
import { membershipChangeSchema, type MembershipChange } from '../../server/workspaces/events';
import { CloseCode, closeReasons } from '../protocol/close-codes';
import { DocumentBus } from './bus';
import { Connection, type ConnectionUser, type Transport } from './connection';
import { LiveDocument, type DocumentSettings } from './live-document';
import { yjsMetrics } from './metrics';
import { DocumentStore, storageError } from './store';

export interface HubOptions {
	db: Database;
	/** Commands and publishing. */
	redis: Redis;
	/** A connection of its own for subscriptions (it enters subscriber mode). */
	subscriber: Redis;
	prefix: string;
	instance: string;
	membershipChannel: string;
	settings: DocumentSettings & { graceMs: number };
	log: Logger;
}

export interface OpenRequest {
	user: ConnectionUser;
	docName: string;
	acks: boolean;
}

export type OpenResult =
	| { ok: true; receive: (data: Uint8Array) => void; leave: () => void }
	| { ok: false; code: CloseCode };

const REFUSAL: Record<Extract<Resolution, { ok: false }>['refusal'], CloseCode> = {
	'bad-name': CloseCode.BadRequest,
	unknown: CloseCode.UnknownDocument,
	forbidden: CloseCode.Forbidden
};

/**
 * The document engine of one instance: which documents are in memory, who is connected to
 * each, loading them (snapshot + log, then catch-up from other instances), letting them go
 * after a grace period, revoking access when membership changes, and flushing on shutdown.
 * Network-agnostic: it is handed a `Transport` and a user; the door owns the sockets.
 */
export class DocumentHub {
	readonly #docs = new Map<string, LiveDocument>();
	readonly #loading = new Map<string, Promise<LiveDocument>>();
	readonly #unloading = new Map<string, Promise<void>>();
	readonly #graceTimers = new Map<string, NodeJS.Timeout>();
	readonly #store: DocumentStore;
	readonly #bus: DocumentBus;
	#closing = false;

	constructor(private readonly options: HubOptions) {
		this.#store = new DocumentStore(options.db);
		this.#bus = new DocumentBus(options.redis, options.subscriber, `${options.prefix}:yjs:`, options.instance, (error) =>
			options.log.warn({ err: error }, 'document bus error')
		);
		this.#bus.onResubscribe(() => {
			for (const live of this.#docs.values()) live.requestSync();
		});
		options.subscriber.on('message', (channel: string, message: string) => {
			if (channel !== options.membershipChannel) return;
			const parsed = membershipChangeSchema.safeParse(safeJson(message));
			if (parsed.success) void this.#revisit(parsed.data);
		});
	}

	async start(): Promise<void> {
		await this.options.subscriber.subscribe(this.options.membershipChannel);
	}

	get loadedCount(): number {
		return this.#docs.size;
	}

	isLoaded(docName: string): boolean {
		return this.#docs.has(docName);
	}

	/** Opens `docName` for a user: refuses with a close code, or attaches a connection. */
	async open(transport: Transport, request: OpenRequest): Promise<OpenResult> {
		if (this.#closing) return { ok: false, code: CloseCode.GoingAway };
		const resolution = await resolveDocument(this.options.db, request.user.id, request.docName);
		if (!resolution.ok) return { ok: false, code: REFUSAL[resolution.refusal] };
		let live: LiveDocument;
		try {
			live = await this.#acquire(request.docName, resolution);
		} catch (error) {
			yjsMetrics.failures.inc({ operation: 'load' });
			this.options.log.error({ err: error, doc: request.docName }, 'document load failed; connection refused');
			return { ok: false, code: CloseCode.LoadFailed };
		}
		const conn = new Connection(transport, request.user, resolution.access, request.acks);
		live.attach(conn);
		return {
			ok: true,
			receive: (data) => {
				try {
					live.handleMessage(conn, data);
				} catch (error) {
					yjsMetrics.dropped.inc({ reason: 'malformed' });
					this.options.log.warn({ err: error, doc: request.docName, user: request.user.id }, 'malformed document message; closing');
					conn.close(CloseCode.BadRequest, closeReasons[CloseCode.BadRequest]);
				}
			},
			leave: () => {
				conn.closed = true;
				live.detach(conn);
				if (live.conns.size === 0) this.#scheduleUnload(live);
			}
		};
	}

	/** Restores a version as a new change (loading the document if no one has it open). */
	async restore(docName: string, state: Uint8Array, userId: string): Promise<void> {
		const resolution = await resolveDocument(this.options.db, userId, docName);
		if (!resolution.ok) throw new Error(`cannot restore ${docName}: ${resolution.refusal}`);
		const live = await this.#acquire(docName, resolution);
		try {
			await live.restore(state, userId);
		} finally {
			if (live.conns.size === 0) this.#scheduleUnload(live);
		}
	}

	async #acquire(name: string, resolution: Extract<Resolution, { ok: true }>): Promise<LiveDocument> {
		for (;;) {
			const unloading = this.#unloading.get(name);
			if (unloading) {
				await unloading;
				continue;
			}
			const live = this.#docs.get(name);
			if (live) {
				const timer = this.#graceTimers.get(name);
				if (timer) clearTimeout(timer);
				this.#graceTimers.delete(name);
				return live;
			}
			let loading = this.#loading.get(name);
			if (!loading) {
				loading = this.#load(name, resolution).then(
					(loaded) => {
						this.#loading.delete(name);
						this.#docs.set(name, loaded);
						yjsMetrics.documents.set(this.#docs.size);
						return loaded;
					},
					(error: unknown) => {
						this.#loading.delete(name);
						throw error;
					}
				);
				this.#loading.set(name, loading);
			}
			return await loading;
		}
	}

	async #load(name: string, resolution: Extract<Resolution, { ok: true }>): Promise<LiveDocument> {
		const live = new LiveDocument(name, resolution.kind, resolution.id, resolution.workspaceId, {
			db: this.options.db,
			store: this.#store,
			bus: this.#bus,
			settings: this.options.settings,
			log: this.options.log
		});
		// Subscribe before reading Postgres, holding what arrives meanwhile, so no update
		// published by another instance falls between the read and the subscription.
		const early: Parameters<LiveDocument['onBus']>[0][] = [];
		let ready = false;
		await this.#bus.subscribe(name, (message) => (ready ? live.onBus(message) : early.push(message)));
		try {
			const stored = await this.#store.load(name);
			live.applyStored(stored.updates, stored.tailLength);
		} catch (error) {
			live.destroy();
			await this.#bus.unsubscribe(name).catch(() => {});
			throw error;
		}
		ready = true;
		for (const message of early) live.onBus(message);
		// Another instance may hold updates it has not written yet: ask for them.
		live.requestSync();
		return live;
	}

	#scheduleUnload(live: LiveDocument): void {
		if (this.#closing || this.#graceTimers.has(live.name)) return;
		const timer = setTimeout(() => {
			this.#graceTimers.delete(live.name);
			if (live.conns.size === 0 && this.#docs.get(live.name) === live) void this.#unload(live);
		}, this.options.settings.graceMs);
		timer.unref();
		this.#graceTimers.set(live.name, timer);
	}

	#unload(live: LiveDocument): Promise<void> {
		this.#docs.delete(live.name);
		const done = (async () => {
			try {
				await live.settle();
			} catch (error) {
				// Keep it: dropping it now could lose changes only this instance holds.
				this.options.log.error({ err: storageError(error), doc: live.name }, 'could not settle document; keeping it in memory');
				this.#docs.set(live.name, live);
				this.#scheduleUnload(live);
				return;
			}
			await this.#bus.unsubscribe(live.name).catch(() => {});
			live.destroy();
		})().finally(() => {
			this.#unloading.delete(live.name);
			yjsMetrics.documents.set(this.#docs.size);
		});
		this.#unloading.set(live.name, done);
		return done;
	}

	/** Re-checks the open connections of someone whose standing in a workspace changed. */
	async #revisit(change: MembershipChange): Promise<void> {
		for (const live of this.#docs.values()) {
			if (live.workspaceId !== change.workspaceId) continue;
			for (const conn of live.conns) {
				if (change.userId !== null && conn.user.id !== change.userId) continue;
				const resolution = await resolveDocument(this.options.db, conn.user.id, live.name).catch(() => null);
				if (!resolution) continue;
				if (!resolution.ok) {
					const code = REFUSAL[resolution.refusal];
					conn.close(code, closeReasons[code]);
				} else if (resolution.access !== conn.access) {
					conn.close(CloseCode.AccessChanged, closeReasons[CloseCode.AccessChanged]);
				}
			}
		}
	}

	/** Shutdown: say goodbye to every client, then make every document durable. */
	async close(): Promise<void> {
		this.#closing = true;
		for (const timer of this.#graceTimers.values()) clearTimeout(timer);
		this.#graceTimers.clear();
		await Promise.allSettled([...this.#loading.values()]);
		for (const live of this.#docs.values()) {
			for (const conn of live.conns) conn.close(CloseCode.GoingAway, closeReasons[CloseCode.GoingAway]);
		}
		await Promise.allSettled([...this.#unloading.values()]);
		await Promise.allSettled([...this.#docs.values()].map((live) => this.#unload(live)));
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}
