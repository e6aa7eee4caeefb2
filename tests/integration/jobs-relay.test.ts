import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClientToServerEvents, JobEventMessage, ServerToClientEvents } from '../../realtime/protocol/socket-events';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

/**
 * Live job events relayed from Redis to the sockets that follow a job (SPEC J1–J3), across
 * two server processes: each follower gets each event once, whichever instance it is on,
 * and nobody outside the job's workspace gets it.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let a: RunningServer;
let b: RunningServer;
let publisher: Redis;
const open: Client[] = [];

beforeAll(async () => {
	await bootstrap(config());
	const env = { ...envVars(inject('testEnv')), ROLE: 'web' };
	[a, b] = await Promise.all([spawnMuster({ env }), spawnMuster({ env })]);
	publisher = new Redis(config().REDIS_URL);
});

afterAll(async () => {
	for (const socket of open) socket.disconnect();
	publisher.disconnect();
	await Promise.all([a, b].filter(Boolean).map((server) => server.stop('SIGTERM')));
});

async function client(server: RunningServer, token: string): Promise<{ socket: Client; events: JobEventMessage[] }> {
	const socket: Client = connect(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: `muster_session=${token}` }, reconnection: false });
	open.push(socket);
	const events: JobEventMessage[] = [];
	socket.on('job:event', (event) => events.push(event));
	await new Promise((resolve, reject) => {
		socket.once('hello', resolve);
		socket.once('connect_error', reject);
	});
	return { socket, events };
}

function publish(workspaceId: string | null, jobId: string, id: number, data: unknown) {
	const message = { id, queue: 'ingest', jobId, kind: 'progress', data, workspaceId, createdAt: new Date().toISOString() };
	return publisher.publish(`${config().REDIS_PREFIX}:jobs:ingest:${jobId}`, JSON.stringify(message));
}

describe('jobs relay', () => {
	it('J1–J3: members on either instance get each event once; others get nothing', async () => {
		const owner = await seedUser('relay-owner');
		const workspaceId = owner.workspace?.id ?? '';
		const viewer = await seedMember(workspaceId, 'relay-viewer', 'viewer');
		const outsider = await seedUser('relay-outsider');
		const jobId = randomUUID();

		const onA = await client(a, owner.token);
		const onB = await client(b, viewer.token);
		const stranger = await client(b, outsider.token);
		const follow = { workspaceId, queue: 'ingest', jobId };
		expect(await onA.socket.timeout(3_000).emitWithAck('jobs:follow', follow)).toEqual({ ok: true });
		expect(await onB.socket.timeout(3_000).emitWithAck('jobs:follow', follow)).toEqual({ ok: true });
		expect(await stranger.socket.timeout(3_000).emitWithAck('jobs:follow', follow)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		// The outsider follows the same job id in their own workspace: the room of another workspace.
		expect(await stranger.socket.timeout(3_000).emitWithAck('jobs:follow', { ...follow, workspaceId: outsider.workspace?.id ?? '' })).toEqual({ ok: true });

		await publish(workspaceId, jobId, 1, { rowsRead: 1000 });
		await publish(null, jobId, 2, { rowsRead: 2000 });
		await publish(workspaceId, jobId, 3, { rowsRead: 3000 });
		await expect.poll(() => onA.events.length).toBe(2);
		await expect.poll(() => onB.events.length).toBe(2);
		// Give a duplicate (or a leak) time to arrive before saying there is none.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(onA.events.map((e) => e.id)).toEqual([1, 3]);
		expect(onB.events).toEqual([expect.objectContaining({ id: 1, jobId, data: { rowsRead: 1000 } }), expect.objectContaining({ id: 3 })]);
		expect(stranger.events).toEqual([]);

		onA.socket.emit('jobs:unfollow', follow);
		await new Promise((resolve) => setTimeout(resolve, 100));
		await publish(workspaceId, jobId, 4, {});
		await expect.poll(() => onB.events.length).toBe(3);
		expect(onA.events).toHaveLength(2);
	});
});
