import { io, type Socket } from 'socket.io-client';
import type { inferRouterOutputs } from '@trpc/server';
import type { ClientToServerEvents, JobEventMessage, ServerToClientEvents } from '$realtime/protocol/socket-events';
import type { AppRouter } from '$server/trpc/root';
import { trpc } from '$lib/trpc';

export type ImportDetail = inferRouterOutputs<AppRouter>['imports']['get'];
type StoredEvent = inferRouterOutputs<AppRouter>['imports']['events'][number];

export interface ImportProgressData {
	rowsRead: number;
	leadsCreated: number;
	leadsMerged: number;
	rowsRejected: number;
	bytesRead: number;
	fileSize: number;
	rowsPerSecond: number;
	secondsLeft: number | null;
}

export interface LogLine {
	id: number;
	/** ISO time the worker stored the line. */
	at: string;
	text: string;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const POLL_MS = 1_000;
const MAX_LINES = 500;

/**
 * An import as it runs: the stored events are replayed first (a page opened late sees the
 * whole log), then live ones arrive over Socket.IO (`jobs:follow`). While the socket is not
 * connected the page polls `imports.get` and `imports.events` every second instead, so
 * progress never stops showing.
 */
export class ImportFollower {
	detail = $state<ImportDetail>() as ImportDetail;
	progress = $state<ImportProgressData | null>(null);
	lines = $state<LogLine[]>([]);
	live = $state(false);

	#workspaceId: string;
	#lastId = 0;
	#socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	#closed = false;
	#catchingUp: Promise<void> | null = null;

	constructor(workspaceId: string, detail: ImportDetail) {
		this.#workspaceId = workspaceId;
		this.detail = detail;
	}

	get done(): boolean {
		return TERMINAL.has(this.detail.status);
	}

	start(): void {
		void this.#catchUp();
		if (this.done || this.#socket) return;
		this.#closed = false;
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', transports: ['websocket'] });
		const follow = { workspaceId: this.#workspaceId, queue: 'ingest', jobId: this.detail.id };
		socket.on('connect', () => {
			socket
				.timeout(5_000)
				.emitWithAck('jobs:follow', follow)
				.then(
					(reply) => {
						this.live = reply.ok;
						// Whatever happened while we were away comes from the stored events.
						if (reply.ok) void this.#catchUp();
					},
					() => (this.live = false)
				);
		});
		socket.on('disconnect', () => (this.live = false));
		socket.on('job:event', (event) => this.#receive(event));
		this.#socket = socket;
		this.#timer = setInterval(() => {
			if (!this.live) void this.#catchUp();
		}, POLL_MS);
	}

	stop(): void {
		this.#closed = true;
		if (this.#timer) clearInterval(this.#timer);
		this.#socket?.disconnect();
		this.#socket = null;
	}

	async refresh(): Promise<void> {
		this.detail = await trpc.imports.get.query({ workspaceId: this.#workspaceId, importId: this.detail.id });
		if (this.done) this.#finish();
	}

	#finish(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		this.#socket?.disconnect();
		this.#socket = null;
		this.live = false;
	}

	#receive(event: JobEventMessage): void {
		// Ids are shared by every job, so gaps are normal; a reconnect catches up from the store.
		this.#apply({ id: event.id, kind: event.kind, data: event.data, createdAt: event.createdAt });
	}

	#catchUp(): Promise<void> {
		this.#catchingUp ??= (async () => {
			try {
				const [events] = await Promise.all([
					trpc.imports.events.query({ workspaceId: this.#workspaceId, importId: this.detail.id, afterId: this.#lastId }),
					this.refresh()
				]);
				for (const event of events) this.#apply(event);
			} catch {
				// Offline for a moment: the next tick tries again.
			} finally {
				this.#catchingUp = null;
			}
		})();
		return this.#catchingUp;
	}

	#apply(event: Pick<StoredEvent, 'id' | 'kind' | 'data' | 'createdAt'>): void {
		if (this.#closed || event.id <= this.#lastId) return;
		this.#lastId = event.id;
		const data = (event.data ?? {}) as Record<string, unknown>;
		if (event.kind === 'progress') {
			this.progress = data as unknown as ImportProgressData;
		} else if (event.kind === 'log') {
			const next = [...this.lines, { id: event.id, at: String(event.createdAt), text: String(data.line ?? '') }];
			this.lines = next.length > MAX_LINES ? next.slice(-MAX_LINES) : next;
		} else if (event.kind === 'state') {
			void this.refresh();
		}
	}
}
