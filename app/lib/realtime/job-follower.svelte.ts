/**
 * A background job as it runs (an import, a dry-run): its stored events are replayed first (a
 * page opened late sees the whole log), then live ones arrive over Socket.IO (`jobs:follow`).
 * While the socket is not connected the page polls the job and its events every second, so
 * progress never stops showing. Subclasses say how to read the job and when it is finished.
 */
import { io, type Socket } from 'socket.io-client';
import { JobEventFolder, type JobEvent, type LogLine } from './job-events';
import type { ClientToServerEvents, ServerToClientEvents } from '$realtime/protocol/socket-events';

export type { JobEvent, LogLine } from './job-events';

const POLL_MS = 1_000;
const MAX_LINES = 500;

export abstract class JobFollower<Detail, Progress> {
	detail = $state() as Detail;
	progress = $state<Progress | null>(null);
	lines = $state<LogLine[]>([]);
	live = $state(false);

	protected readonly workspaceId: string;
	readonly #queue: string;
	/**
	 * Highest id read from the stored events. Live events may run ahead of it (one can arrive
	 * before the catch-up that covers earlier ones returns), so it is not "highest id seen".
	 */
	#storedThrough = 0;
	readonly #folder = new JobEventFolder<Progress>(MAX_LINES);
	#socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	#timer: ReturnType<typeof setInterval> | null = null;
	#closed = false;
	#catchingUp: Promise<void> | null = null;

	constructor(workspaceId: string, detail: Detail, queue: string) {
		this.workspaceId = workspaceId;
		this.#queue = queue;
		this.detail = detail;
	}

	protected abstract jobId(): string;
	protected abstract fetchDetail(): Promise<Detail>;
	protected abstract fetchEvents(afterId: number): Promise<JobEvent[]>;
	abstract get done(): boolean;

	start(): void {
		// Before the catch-up: a follower stopped and started again (an effect re-running) must
		// take events again, finished job or not.
		this.#closed = false;
		void this.#catchUp();
		if (this.done || this.#socket) return;
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: '/socket.io', transports: ['websocket'] });
		const follow = { workspaceId: this.workspaceId, queue: this.#queue, jobId: this.jobId() };
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
		// Ids are shared by every job, so gaps are normal; a reconnect catches up from the store.
		socket.on('job:event', (event) => this.#apply(event));
		this.#socket = socket;
		this.#timer = setInterval(() => {
			if (!this.live) void this.#catchUp();
		}, POLL_MS);
	}

	stop(): void {
		this.#closed = true;
		this.#finish();
	}

	async refresh(): Promise<void> {
		this.detail = await this.fetchDetail();
		if (!this.done) return;
		this.#finish();
		// Workers store a job's last lines before marking it finished, so one more read now
		// catches what a live event or a concurrent catch-up may not have brought yet.
		await this.#readStored();
	}

	async #readStored(): Promise<void> {
		const events = await this.fetchEvents(this.#storedThrough);
		for (const event of events) {
			this.#storedThrough = Math.max(this.#storedThrough, event.id);
			this.#apply(event);
		}
	}

	#finish(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		this.#socket?.disconnect();
		this.#socket = null;
		this.live = false;
	}

	#catchUp(): Promise<void> {
		this.#catchingUp ??= (async () => {
			try {
				await Promise.all([this.#readStored(), this.refresh()]);
			} catch {
				// Offline for a moment: the next tick tries again.
			} finally {
				this.#catchingUp = null;
			}
		})();
		return this.#catchingUp;
	}

	#apply(event: JobEvent): void {
		if (this.#closed) return;
		const folded = this.#folder.fold(event, this.lines);
		if (folded.kind === 'progress') this.progress = folded.progress;
		else if (folded.kind === 'log') this.lines = folded.lines;
		else if (folded.kind === 'state') void this.refresh();
	}
}
