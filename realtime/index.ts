import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { config } from '../server/config';
import { database } from '../server/db';
import { provideLiveDocuments } from '../server/documents/live';
import { logger } from '../server/logger';
import { socketEventsDropped, wsConnections } from '../server/metrics';
import { followOverviewChanges } from '../server/overview/changes';
import { followMembershipChanges, mayViewWorkspace, takeDropToken } from '../server/presence-access';
import { authenticateCookieHeader } from '../server/realtime-access';
import { createRedis, redis, redisKey } from '../server/redis';
import { membershipChannel } from '../server/workspaces/events';
import { createSocketServer, instanceId, type MusterIo } from './socket-server';
import { YjsDoor } from './yjs-door';
import { DocumentHub } from './yjs/hub';

export interface Realtime {
	io: MusterIo;
	yjs: YjsDoor;
	hub: DocumentHub;
	/** Resolves once the realtime doors are subscribed to their cross-instance channels. */
	ready: Promise<void>;
	close(): Promise<void>;
}

/**
 * Binds the realtime doors to an HTTP server. `server/main.ts` calls it in production and
 * the Vite plugin in `npm run dev`, so both behave the same.
 */
export function attach(httpServer: HttpServer): Realtime {
	const cfg = config();
	const subscriber = createRedis({ connectionName: `muster-${cfg.ROLE}-yjs-sub` });
	const hub = new DocumentHub({
		db: database().db,
		redis: redis(),
		subscriber,
		prefix: cfg.REDIS_PREFIX,
		instance: instanceId,
		membershipChannel: membershipChannel(),
		settings: {
			batchMs: cfg.DOC_BATCH_MS,
			graceMs: cfg.DOC_GRACE_MS,
			compactAfter: cfg.DOC_COMPACT_AFTER,
			versionIntervalMs: cfg.DOC_VERSION_INTERVAL_MS
		},
		log: logger().child({ module: 'yjs' })
	});
	const ready = hub.start();
	ready.catch((error: unknown) => logger().error({ err: error }, 'realtime could not subscribe to Redis'));
	provideLiveDocuments({ restore: (docName, state, userId) => hub.restore(docName, state, userId) });
	const yjs = new YjsDoor(hub, {
		authenticate: (request) => authenticateCookieHeader(request.headers.cookie),
		onOpen: () => wsConnections.inc({ door: 'yjs' }),
		onClose: () => wsConnections.dec({ door: 'yjs' })
	});
	const sockets = createSocketServer(
		httpServer,
		{
			authenticate: authenticateCookieHeader,
			followMembership: followMembershipChanges,
			followOverview: (follower) => followOverviewChanges(follower),
			presence: { mayView: mayViewWorkspace, takeDropToken, dropTtlMs: cfg.DROP_TTL_MS },
			onOpen: () => wsConnections.inc({ door: 'socket.io' }),
			onClose: () => wsConnections.dec({ door: 'socket.io' }),
			onDropped: (event, reason) => socketEventsDropped.inc({ event, reason }),
			onError: (error, context) => logger().warn({ err: error, context }, 'socket event failed')
		},
		{
			adapter: createRedis({ connectionName: `muster-${cfg.ROLE}-socket.io` }),
			commands: redis(),
			key: redisKey,
			jobs: { subscriber: createRedis({ connectionName: `muster-${cfg.ROLE}-jobs-relay` }), prefix: cfg.REDIS_PREFIX },
			cursors: { subscriber: createRedis({ connectionName: `muster-${cfg.ROLE}-cursors` }) }
		}
	);
	const io = sockets.io;
	const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		yjs.handleUpgrade(request, socket, head);
	};
	httpServer.on('upgrade', onUpgrade);
	return {
		io,
		yjs,
		hub,
		ready,
		async close() {
			httpServer.off('upgrade', onUpgrade);
			provideLiveDocuments(null);
			await yjs.close();
			await sockets.close();
			subscriber.disconnect();
		}
	};
}
