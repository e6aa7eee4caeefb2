import { randomUUID } from 'node:crypto';
import {
	DROP_MAX_CHARS,
	dropLength,
	locationKey,
	normalizeDropText,
	type Drop,
	type PresenceList,
	type Reply,
	type SocketError,
	type Spot,
	type Where
} from '../protocol/socket-events';
import type { DropReason, MusterIo, MusterSocket, SocketPresence } from '../socket-types';
import type { CursorRelay } from './cursor-relay';
import type { PresenceEntry } from './people';
import type { PresenceStore } from './presence-store';
import { locationRoom, workspaceRoom } from './rooms';
import { TokenBucket } from './token-bucket';

/** What presence needs from the rest of Muster (wired in realtime/index.ts). */
export interface PresenceHooks {
	/** Whether this person may be present in the workspace (a member who may view it). */
	mayView: (userId: string, workspaceId: string) => Promise<boolean>;
	/** Takes one drop token for this person; when none is left, how long until the next. */
	takeDropToken: (userId: string) => Promise<{ ok: true } | { ok: false; retryAfterMs: number }>;
	/** How long a drop stays on screen. */
	dropTtlMs: number;
	onError?: (error: unknown, context: string) => void;
}

export interface PresenceOptions {
	/** How often this instance vouches for its tabs in Redis (well under the store's staleMs). */
	heartbeatMs?: number;
	/** Cursor moves per socket: a burst, then one every `refillMs` (P5: about 20 a second). */
	cursor?: { capacity: number; refillMs: number };
	/** Carries cursors to other instances outside the adapter; without it they go through the adapter. */
	cursorRelay?: CursorRelay;
}

function refuse(code: SocketError['code'], message: string, retryAfterMs?: number): { ok: false; error: SocketError } {
	return { ok: false, error: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs } };
}

const notJoined = () => refuse('not_joined', 'Open a page of the workspace first.');

function entryOf(socket: MusterSocket, presence: SocketPresence & { where: Where }): PresenceEntry {
	return {
		userId: socket.data.user.id,
		displayName: socket.data.user.displayName,
		page: presence.where.page,
		record: presence.where.record ?? null,
		since: presence.since,
		at: presence.at
	};
}

/**
 * Presence and drops on one instance (SPEC P1–P9). Sockets live here; who is where lives in
 * Redis (PresenceStore), and every change is broadcast as a versioned list to the
 * workspace's room, which the streams adapter carries to every instance.
 */
export class PresenceService {
	readonly #cursors = new WeakMap<MusterSocket, TokenBucket>();
	/** Each socket's presence changes, in arrival order (see `#inOrder`). */
	readonly #queues = new WeakMap<MusterSocket, Promise<unknown>>();
	readonly #heartbeat: NodeJS.Timeout;
	readonly #cursorRule: { capacity: number; refillMs: number };
	readonly #cursorRelay: CursorRelay | null;
	#closing = false;

	constructor(
		private readonly io: MusterIo,
		private readonly store: PresenceStore,
		private readonly hooks: PresenceHooks,
		options: PresenceOptions = {}
	) {
		this.#cursorRule = options.cursor ?? { capacity: 5, refillMs: 50 };
		this.#cursorRelay = options.cursorRelay ?? null;
		this.#heartbeat = setInterval(() => void this.#vouch(), options.heartbeatMs ?? 10_000);
		this.#heartbeat.unref();
	}

	/**
	 * Runs one socket's presence changes one after another. A move reads where the socket was,
	 * awaits room changes and Redis, then records where it is: two moves interleaved (a page
	 * change, then "this record is open", sent a tick apart) could leave the socket recorded at
	 * the first place and joined to both rooms. Other sockets are not held up.
	 */
	#inOrder<T>(socket: MusterSocket, change: () => Promise<T>): Promise<T> {
		const previous = this.#queues.get(socket) ?? Promise.resolve();
		const next = previous.then(change, change);
		this.#queues.set(
			socket,
			next.catch(() => undefined)
		);
		return next;
	}

	join(socket: MusterSocket, workspaceId: string, where?: Where): Promise<Reply<{ list: PresenceList; dropTtlMs: number }>> {
		return this.#inOrder(socket, () => this.#join(socket, workspaceId, where));
	}

	where(socket: MusterSocket, where: Where): Promise<Reply> {
		return this.#inOrder(socket, () => this.#where(socket, where));
	}

	leave(socket: MusterSocket, workspaceId: string): Promise<Reply> {
		return this.#inOrder(socket, () => this.#leaveWorkspace(socket, workspaceId));
	}

	async #join(socket: MusterSocket, workspaceId: string, where?: Where): Promise<Reply<{ list: PresenceList; dropTtlMs: number }>> {
		if (!(await this.hooks.mayView(socket.data.user.id, workspaceId))) {
			return refuse('forbidden', 'You are not a member of this workspace.');
		}
		if (!socket.connected) return refuse('unavailable', 'The connection closed.');
		const current = socket.data.presence;
		if (current && current.workspaceId !== workspaceId) await this.#leave(socket, current);
		const now = Date.now();
		const presence: SocketPresence =
			current?.workspaceId === workspaceId ? current : { workspaceId, where: null, since: now, at: now };
		socket.data.presence = presence;
		await socket.join(workspaceRoom(workspaceId));
		const list = where ? await this.#moveTo(socket, presence, where) : await this.store.read(workspaceId);
		return { ok: true, list, dropTtlMs: this.hooks.dropTtlMs };
	}

	async #where(socket: MusterSocket, where: Where): Promise<Reply> {
		const presence = socket.data.presence;
		if (!presence) return notJoined();
		await this.#moveTo(socket, presence, where);
		return { ok: true };
	}

	async #leaveWorkspace(socket: MusterSocket, workspaceId: string): Promise<Reply> {
		const presence = socket.data.presence;
		if (presence?.workspaceId === workspaceId) await this.#leave(socket, presence);
		return { ok: true };
	}

	/** Others see a closed tab go at once (P4); a recovered connection comes back through `recovered`. */
	async disconnected(socket: MusterSocket): Promise<void> {
		const presence = socket.data.presence;
		if (!presence || this.#closing) return;
		this.#broadcast(await this.store.remove(presence.workspaceId, [socket.id]));
	}

	/** A connection restored by state recovery has its rooms back: check it still belongs (P8). */
	async recovered(socket: MusterSocket): Promise<void> {
		const presence = socket.data.presence;
		if (!presence) return;
		if (!(await this.hooks.mayView(socket.data.user.id, presence.workspaceId))) {
			this.#revokeSocket(socket, presence);
			return;
		}
		if (presence.where && socket.connected) {
			this.#broadcast(await this.store.set(presence.workspaceId, new Map([[socket.id, entryOf(socket, { ...presence, where: presence.where })]])));
		}
	}

	/** Cursors go only to the same place, volatile and throttled (P5); the answer is why one was dropped. */
	cursor(socket: MusterSocket, move: { x: number; y: number; location: string }): DropReason | null {
		const presence = socket.data.presence;
		if (!presence?.where || locationKey(presence.where) !== move.location) return 'not_joined';
		let bucket = this.#cursors.get(socket);
		if (!bucket) this.#cursors.set(socket, (bucket = new TokenBucket(this.#cursorRule.capacity, this.#cursorRule.refillMs)));
		if (!bucket.take()) return 'throttled';
		const room = locationRoom(presence.workspaceId, move.location);
		const cursor = { userId: socket.data.user.id, displayName: socket.data.user.displayName, x: move.x, y: move.y, location: move.location, at: Date.now() };
		if (this.#cursorRelay) this.#cursorRelay.send(socket, room, cursor);
		else socket.volatile.to(room).emit('cursor', cursor);
		return null;
	}

	/** A short note to everyone at the sender's place, on every instance; never stored (P6, P7). */
	async drop(socket: MusterSocket, input: { text: string; spot?: Spot | null }): Promise<Reply<{ drop: Drop }>> {
		const presence = socket.data.presence;
		if (!presence?.where) return notJoined();
		const text = normalizeDropText(input.text);
		if (text.length === 0) return refuse('invalid', 'Write something to drop.');
		if (dropLength(text) > DROP_MAX_CHARS) return refuse('invalid', `A drop is at most ${DROP_MAX_CHARS} characters.`);
		const location = locationKey(presence.where);
		const token = await this.hooks.takeDropToken(socket.data.user.id);
		if (!token.ok) {
			const seconds = Math.max(1, Math.ceil(token.retryAfterMs / 1000));
			return refuse('rate_limited', `You are dropping notes quickly. Try again in ${seconds} s.`, token.retryAfterMs);
		}
		// Revoked or moved to another workspace while the token was taken.
		if (socket.data.presence?.workspaceId !== presence.workspaceId) return notJoined();
		const drop: Drop = {
			id: randomUUID(),
			workspaceId: presence.workspaceId,
			location,
			userId: socket.data.user.id,
			displayName: socket.data.user.displayName,
			text,
			spot: input.spot ?? null,
			at: Date.now(),
			ttlMs: this.hooks.dropTtlMs
		};
		this.io.to(locationRoom(presence.workspaceId, location)).emit('drop', drop);
		return { ok: true, drop };
	}

	/**
	 * Someone's membership changed (P8). Sockets of theirs on this instance leave the
	 * workspace's rooms and are told, unless they are still a member (a role change).
	 * `userId` null: the workspace was deleted, so everyone goes.
	 */
	async membershipChanged(change: { workspaceId: string; userId: string | null }): Promise<void> {
		const sockets = this.#localSockets(change.workspaceId).filter((s) => change.userId === null || s.data.user.id === change.userId);
		if (sockets.length === 0) return;
		if (change.userId !== null && (await this.hooks.mayView(change.userId, change.workspaceId))) return;
		const revoked: string[] = [];
		for (const socket of sockets) {
			const presence = socket.data.presence;
			if (presence?.workspaceId !== change.workspaceId) continue;
			this.#revokeSocket(socket, presence, false);
			revoked.push(socket.id);
		}
		if (revoked.length > 0) this.#broadcast(await this.store.remove(change.workspaceId, revoked));
	}

	/** Stops the heartbeat and takes this instance's tabs out of every list, so others see them go now. */
	async close(): Promise<void> {
		this.#closing = true;
		clearInterval(this.#heartbeat);
		const byWorkspace = new Map<string, string[]>();
		for (const socket of this.io.of('/').sockets.values()) {
			const presence = socket.data.presence;
			if (presence) byWorkspace.set(presence.workspaceId, [...(byWorkspace.get(presence.workspaceId) ?? []), socket.id]);
		}
		await Promise.all([...byWorkspace].map(async ([workspaceId, ids]) => this.#broadcast(await this.store.remove(workspaceId, ids))));
	}

	async #moveTo(socket: MusterSocket, presence: SocketPresence, where: Where): Promise<PresenceList> {
		const before = presence.where ? locationKey(presence.where) : null;
		const after = locationKey(where);
		if (before !== after) {
			if (before !== null) await socket.leave(locationRoom(presence.workspaceId, before));
			await socket.join(locationRoom(presence.workspaceId, after));
		}
		presence.where = where;
		presence.at = Date.now();
		const list = await this.store.set(presence.workspaceId, new Map([[socket.id, entryOf(socket, { ...presence, where })]]));
		this.#broadcast(list);
		return list ?? (await this.store.read(presence.workspaceId));
	}

	async #leave(socket: MusterSocket, presence: SocketPresence): Promise<void> {
		this.#leaveRooms(socket, presence);
		socket.data.presence = undefined;
		this.#broadcast(await this.store.remove(presence.workspaceId, [socket.id]));
	}

	#leaveRooms(socket: MusterSocket, presence: SocketPresence): void {
		void socket.leave(workspaceRoom(presence.workspaceId));
		if (presence.where) void socket.leave(locationRoom(presence.workspaceId, locationKey(presence.where)));
	}

	#revokeSocket(socket: MusterSocket, presence: SocketPresence, removeEntry = true): void {
		this.#leaveRooms(socket, presence);
		socket.data.presence = undefined;
		socket.emit('presence:revoked', { workspaceId: presence.workspaceId });
		if (removeEntry) {
			this.store.remove(presence.workspaceId, [socket.id]).then(
				(list) => this.#broadcast(list),
				(error: unknown) => this.hooks.onError?.(error, 'presence revoke')
			);
		}
	}

	#localSockets(workspaceId: string): MusterSocket[] {
		const nsp = this.io.of('/');
		const ids = nsp.adapter.rooms.get(workspaceRoom(workspaceId)) ?? new Set<string>();
		return [...ids].flatMap((id) => nsp.sockets.get(id) ?? []);
	}

	#broadcast(list: PresenceList | null): void {
		if (list) this.io.to(workspaceRoom(list.workspaceId)).emit('presence:list', list);
	}

	/** The heartbeat: this instance still has these tabs. Sweeps tabs of instances that died. */
	async #vouch(): Promise<void> {
		const byWorkspace = new Map<string, Map<string, PresenceEntry>>();
		for (const socket of this.io.of('/').sockets.values()) {
			const presence = socket.data.presence;
			if (!presence?.where) continue;
			const entries = byWorkspace.get(presence.workspaceId) ?? new Map<string, PresenceEntry>();
			entries.set(socket.id, entryOf(socket, { ...presence, where: presence.where }));
			byWorkspace.set(presence.workspaceId, entries);
		}
		await Promise.all(
			[...byWorkspace].map(async ([workspaceId, entries]) => {
				try {
					this.#broadcast(await this.store.touch(workspaceId, entries));
				} catch (error) {
					this.hooks.onError?.(error, 'presence heartbeat');
				}
			})
		);
	}
}
