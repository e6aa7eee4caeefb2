import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createJobsRelay, type JobsRelay } from './jobs-relay';
import { createOverviewRelay, type OverviewRelayOptions } from './overview-relay';
import { isClientEvent, pingSchema } from './protocol/socket-events';
import { registerPresenceEvents } from './presence/handlers';
import { PresenceService, type PresenceHooks } from './presence/presence-service';
import { CursorRelay } from './presence/cursor-relay';
import { PresenceStore } from './presence/presence-store';
import { onEvent, type EventHooks } from './socket-events';
import type { MusterIo, SocketUser } from './socket-types';
import type { OverviewStage } from '../server/overview/stages';

export type { MusterIo, SocketUser } from './socket-types';

export interface MembershipChange {
	workspaceId: string;
	/** Null: everyone (the workspace was deleted). */
	userId: string | null;
}

export interface SocketHooks extends EventHooks {
	/** Who is connecting, from the handshake cookie; null refuses the connection. */
	authenticate: (cookieHeader: string | undefined) => Promise<SocketUser | null>;
	/** Follows membership changes published by any instance; resolves to a function that stops. */
	followMembership: (onChange: (change: MembershipChange) => void) => () => Promise<void>;
	presence: PresenceHooks;
	/**
	 * Follows change notices of the live grid from every writer (SPEC O1); resolves to a
	 * function that stops. Without it, no `overview:changed` events are sent.
	 */
	followOverview?: (follower: { onChange: (workspaceId: string, stage: OverviewStage) => void; onResync: () => void }) => () => Promise<void>;
	/** Coalescing of `overview:changed` (tests shorten it). */
	overview?: OverviewRelayOptions;
	onOpen?: () => void;
	onClose?: () => void;
}

export interface SocketRedis {
	/** The adapter's own connection; it makes its own duplicates to read the stream and subscribe. */
	adapter: Redis;
	/** A command connection for presence state (the shared one is fine). */
	commands: Redis;
	/** Namespaces a key (`redisKey`). */
	key: (...parts: string[]) => string;
	/** A connection of its own for the jobs relay's pattern subscription; its prefix. */
	jobs?: { subscriber: Redis; prefix: string };
	/** A connection of its own for cursors between instances (pub/sub, outside the adapter). */
	cursors?: { subscriber: Redis };
}

export interface SocketServer {
	io: MusterIo;
	presence: PresenceService;
	jobs: JobsRelay | null;
	close(): Promise<void>;
}

export const instanceId = randomUUID();

/** How long a dropped connection may come back with its rooms, data and missed events. */
const RECOVERY_MS = 2 * 60_000;

/**
 * The Socket.IO door (SPEC S1–S3, P1–P9): rooms cross instances through the Redis streams
 * adapter, which also keeps sessions for connection state recovery.
 */
export function createSocketServer(httpServer: HttpServer, hooks: SocketHooks, redis: SocketRedis): SocketServer {
	const streamName = redis.key('socket.io');
	const io: MusterIo = new Server(httpServer, {
		path: '/socket.io',
		serveClient: false,
		// Other doors share the server's `upgrade` event; engine.io must not kill their sockets.
		destroyUpgrade: false,
		maxHttpBufferSize: 64 * 1024,
		// Middlewares run on recovery too: the session may have ended while the tab was away.
		connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
		adapter: createAdapter(redis.adapter, {
			streamName,
			// Room for a few seconds of backlog at thousands of events a second: an instance that
			// falls behind a trimmed stream silently misses what was trimmed.
			maxLen: 100_000,
			readCount: 1_000,
			channelPrefix: streamName,
			sessionKeyPrefix: `${redis.key('socket.io', 'session')}:`
		})
	});
	const cursorRelay = redis.cursors ? new CursorRelay(io, redis.cursors.subscriber, redis.commands, redis.key('cursors'), instanceId) : null;
	cursorRelay?.start().catch((error: unknown) => hooks.onError?.(error, 'cursor relay'));
	const presence = new PresenceService(io, new PresenceStore(redis.commands, redis.key), hooks.presence, { cursorRelay: cursorRelay ?? undefined });
	const jobs = redis.jobs ? createJobsRelay(io, redis.jobs.subscriber, redis.jobs.prefix, { mayView: hooks.presence.mayView, onError: hooks.onError }) : null;
	const overview = createOverviewRelay(io, hooks.overview);
	const stopOverview = hooks.followOverview?.({ onChange: overview.changed, onResync: overview.resync });
	const stopFollowing = hooks.followMembership((change) => {
		presence.membershipChanged(change).catch((error: unknown) => hooks.onError?.(error, 'presence revocation'));
		jobs?.membershipChanged(change).catch((error: unknown) => hooks.onError?.(error, 'jobs revocation'));
	});

	io.use((socket, next) => {
		hooks.authenticate(socket.handshake.headers.cookie).then(
			(user) => {
				if (!user) return next(new Error('unauthenticated'));
				socket.data.user = { id: user.id, displayName: user.displayName };
				next();
			},
			() => next(new Error('unavailable'))
		);
	});
	io.on('connection', (socket) => {
		hooks.onOpen?.();
		socket.on('disconnect', () => hooks.onClose?.());
		// Unknown names are counted under one label, so a client cannot grow the metric (S1).
		socket.onAny((event: string) => {
			if (!isClientEvent(event)) hooks.onDropped?.('unknown', 'unknown');
		});
		socket.emit('hello', { instance: instanceId, at: Date.now() });
		onEvent(socket, 'ping', pingSchema, 'required', (p) => ({ pong: true, sent: p.sent, at: Date.now() }), hooks);
		registerPresenceEvents(socket, presence, hooks);
		jobs?.register(socket, hooks);
		if (socket.recovered) {
			presence.recovered(socket).catch((error: unknown) => hooks.onError?.(error, 'presence recovery'));
		}
	});

	return {
		io,
		presence,
		jobs,
		async close() {
			await stopFollowing();
			await stopOverview?.();
			overview.close();
			await jobs?.close();
			await cursorRelay?.close();
			await presence.close();
			await io.close();
			await redis.adapter.quit().catch(() => undefined);
		}
	};
}
