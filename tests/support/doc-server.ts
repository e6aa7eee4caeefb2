import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { DocumentHub } from '../../realtime/yjs/hub';
import { YjsDoor } from '../../realtime/yjs-door';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { authenticateCookieHeader } from '../../server/realtime-access';
import { createRedis, redis } from '../../server/redis';
import { membershipChannel } from '../../server/workspaces/events';
import type { DocumentSettings } from '../../realtime/yjs/live-document';

export interface DocServer {
	url: string;
	hub: DocumentHub;
	instance: string;
	close(): Promise<void>;
}

/**
 * The document engine alone on an HTTP server of its own, in this process, with settings a
 * test chooses (small compaction thresholds, short grace periods). Each one is a separate
 * instance on the bus, so two of them exercise cross-instance fan-out.
 */
export async function startDocServer(settings: Partial<DocumentSettings & { graceMs: number }> = {}): Promise<DocServer> {
	const instance = randomUUID();
	const subscriber = createRedis({ connectionName: `test-yjs-${instance}` });
	const hub = new DocumentHub({
		db: database().db,
		redis: redis(),
		subscriber,
		prefix: config().REDIS_PREFIX,
		instance,
		membershipChannel: membershipChannel(),
		settings: { batchMs: 20, graceMs: 200, compactAfter: 500, versionIntervalMs: 300_000, ...settings },
		log: pino({ level: 'silent' })
	});
	await hub.start();
	const door = new YjsDoor(hub, { authenticate: (request) => authenticateCookieHeader(request.headers.cookie) });
	const server = http.createServer((_req, res) => res.end('ok'));
	server.on('upgrade', (request, socket, head) => {
		if (!door.handleUpgrade(request, socket, head)) socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hub,
		instance,
		async close() {
			await door.close();
			subscriber.disconnect();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
