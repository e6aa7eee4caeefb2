import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PresenceList, ServerToClientEvents, Where } from '../../realtime/protocol/socket-events';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { seedUser } from '../support/identity';
import { spawnMuster, type RunningServer } from '../support/spawn-server';
import { envVars } from '../support/test-env';

/**
 * Presence and drops across two real server processes sharing one Postgres and one Redis
 * prefix (SPEC P1–P9). Every cross-instance claim has one user on each instance.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Seeded = Awaited<ReturnType<typeof seedUser>>;

const DROP_TTL_MS = 3_000;
let a: RunningServer;
let b: RunningServer;
const open: Client[] = [];

beforeAll(async () => {
	await bootstrap(config());
	const env = { ...envVars(inject('testEnv')), ROLE: 'web', DROP_TTL_MS: String(DROP_TTL_MS) };
	[a, b] = await Promise.all([spawnMuster({ env }), spawnMuster({ env })]);
});

afterAll(async () => {
	for (const socket of open) socket.disconnect();
	await Promise.all([a, b].filter(Boolean).map((server) => server.stop('SIGTERM')));
});

async function client(server: RunningServer, person: Seeded, options: { reconnection?: boolean } = {}): Promise<Client> {
	const socket: Client = connect(server.url, {
		path: '/socket.io',
		transports: ['websocket'],
		extraHeaders: { cookie: `muster_session=${person.token}` },
		reconnection: options.reconnection ?? false,
		reconnectionDelay: 100
	});
	open.push(socket);
	await new Promise((resolve, reject) => {
		socket.once('hello', resolve);
		socket.once('connect_error', reject);
	});
	return socket;
}

/** A workspace owned by `owner` with `others` invited and accepted at the given role. */
async function team(label: string, others: { label: string; role?: 'viewer' | 'operator' | 'admin' }[]) {
	const owner = await seedUser(`${label}-owner`);
	const workspaceId = owner.workspace?.id ?? '';
	const members: Seeded[] = [];
	for (const other of others) {
		const person = await seedUser(other.label, { workspace: false });
		const invite = await owner.client.caller.workspaces.invite({ workspaceId, role: other.role ?? 'operator', expiresInHours: 1, note: '' });
		await person.client.caller.workspaces.acceptInvitation({ token: invite.url.split('/invite/')[1] ?? '' });
		members.push(person);
	}
	return { owner, workspaceId, slug: owner.workspace?.slug ?? '', members };
}

async function join(socket: Client, workspaceId: string, where?: Where) {
	return socket.timeout(3_000).emitWithAck('presence:join', where ? { workspaceId, where } : { workspaceId });
}

/** Connected to `server` and present in the workspace at `page`. */
async function present(server: RunningServer, person: Seeded, workspaceId: string, page: string): Promise<Client> {
	const socket = await client(server, person);
	expect(await join(socket, workspaceId, { page })).toMatchObject({ ok: true });
	return socket;
}

/** The next presence list that satisfies `check` (lists arrive on every change). */
function listWhere(socket: Client, check: (list: PresenceList) => boolean, timeoutMs = 3_000): Promise<PresenceList> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			socket.off('presence:list', onList);
			reject(new Error('no matching presence list arrived'));
		}, timeoutMs);
		const onList = (list: PresenceList) => {
			if (!check(list)) return;
			clearTimeout(timer);
			socket.off('presence:list', onList);
			resolve(list);
		};
		socket.on('presence:list', onList);
	});
}

/** Resolves with the next `event`, or fails after `ms` (so a missing event fails fast). */
function next<E extends 'presence:revoked' | 'connect'>(socket: Client, event: E, ms = 3_000): Promise<E extends 'connect' ? void : { workspaceId: string }> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
		socket.once(event as 'presence:revoked', ((value: never) => {
			clearTimeout(timer);
			resolve(value);
		}) as never);
	});
}

function collect<E extends 'drop' | 'cursor' | 'presence:revoked'>(socket: Client, event: E): Parameters<ServerToClientEvents[E]>[0][] {
	const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
	socket.on(event as 'drop', ((value: Parameters<ServerToClientEvents[E]>[0]) => seen.push(value)) as never);
	return seen;
}

const ids = (list: PresenceList) => list.people.map((p) => p.userId).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function dropped(server: RunningServer, event: string, reason: string): Promise<number> {
	const text = await (await fetch(`${server.url}/metrics`)).text();
	const line = text.split('\n').find((l) => l.startsWith(`muster_socket_events_dropped_total{event="${event}",reason="${reason}"}`));
	return Number(line?.split(' ').at(-1) ?? 0);
}

describe('who is here (SPEC P2–P4)', () => {
	it('a person on one instance sees a person on the other arrive, move and leave', async () => {
		const { owner, workspaceId, slug, members } = await team('across', [{ label: 'Bea' }]);
		const [bea] = members as [Seeded];
		const ada = await client(a, owner);
		const beaSocket = await client(b, bea);

		const first = await join(ada, workspaceId, { page: `/w/${slug}` });
		expect(first).toMatchObject({ ok: true, dropTtlMs: DROP_TTL_MS });
		const arrived = listWhere(ada, (l) => l.people.some((p) => p.userId === bea.user.id));
		expect(await join(beaSocket, workspaceId, { page: `/w/${slug}/leads` })).toMatchObject({ ok: true });
		const list = await arrived;
		expect(ids(list)).toEqual([owner.user.id, bea.user.id].sort());
		expect(list.people.find((p) => p.userId === bea.user.id)).toMatchObject({ displayName: bea.user.displayName, page: `/w/${slug}/leads`, record: null, locations: [`page:/w/${slug}/leads`] });

		const moved = listWhere(ada, (l) => l.people.some((p) => p.userId === bea.user.id && p.record?.id === 'brief-1'));
		expect(await beaSocket.timeout(3_000).emitWithAck('presence:where', { page: `/w/${slug}`, record: { type: 'brief', id: 'brief-1' } })).toEqual({ ok: true });
		expect((await moved).version).toBeGreaterThan(list.version);

		const started = Date.now();
		const left = listWhere(ada, (l) => !l.people.some((p) => p.userId === bea.user.id));
		beaSocket.disconnect();
		expect(ids(await left)).toEqual([owner.user.id]);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('someone with several tabs appears once, at the place they reported last, as a viewer of each', async () => {
		const { owner, workspaceId, slug, members } = await team('tabs', [{ label: 'Tab' }]);
		const [tabby] = members as [Seeded];
		const watcher = await present(b, owner, workspaceId, `/w/${slug}`);
		const one = await present(a, tabby, workspaceId, `/w/${slug}/leads`);
		const settled = listWhere(watcher, (l) => l.people.find((p) => p.userId === tabby.user.id)?.page === `/w/${slug}/calendar`);
		const two = await present(b, tabby, workspaceId, `/w/${slug}/calendar`);
		const list = await settled;
		expect(list.people.filter((p) => p.userId === tabby.user.id)).toHaveLength(1);
		expect(list.people.find((p) => p.userId === tabby.user.id)?.locations).toEqual([`page:/w/${slug}/calendar`, `page:/w/${slug}/leads`]);

		// Closing one tab leaves them online at the other.
		const after = listWhere(watcher, (l) => l.people.find((p) => p.userId === tabby.user.id)?.locations.length === 1);
		two.disconnect();
		expect((await after).people.find((p) => p.userId === tabby.user.id)).toMatchObject({ page: `/w/${slug}/leads` });
		one.disconnect();
	});

	it('refuses a non-member with an acknowledgement, and tells them nothing about the workspace', async () => {
		const { owner, workspaceId, slug } = await team('closed', []);
		const stranger = await seedUser('stranger');
		const inside = await present(a, owner, workspaceId, `/w/${slug}`);
		const outsider = await client(b, stranger);
		const drops = collect(outsider, 'drop');
		const heard: PresenceList[] = [];
		outsider.on('presence:list', (l) => heard.push(l));

		expect(await join(outsider, workspaceId, { page: `/w/${slug}` })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		expect(await outsider.timeout(3_000).emitWithAck('presence:where', { page: `/w/${slug}` })).toMatchObject({ ok: false, error: { code: 'not_joined' } });
		expect(await outsider.timeout(3_000).emitWithAck('drop:send', { text: 'hello?' })).toMatchObject({ ok: false, error: { code: 'not_joined' } });
		await inside.timeout(3_000).emitWithAck('presence:where', { page: `/w/${slug}/leads` });
		await sleep(300);
		expect(heard).toEqual([]);
		expect(drops).toEqual([]);
	});
});

describe('malformed and unknown events (SPEC S1, S5)', () => {
	it('drops them unanswered and counts them by event, unknown names under one label', async () => {
		const person = await seedUser('noisy');
		const socket = await client(a, person);
		const unknownBefore = await dropped(a, 'unknown', 'unknown');
		const joinBefore = await dropped(a, 'presence:join', 'malformed');
		const dropBefore = await dropped(a, 'drop:send', 'malformed');

		// Untyped, as a misbehaving client would send.
		const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void; timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> } };
		await expect(raw.timeout(300).emitWithAck('launch:everything', { now: true })).rejects.toThrow(/timed out/);
		await expect(raw.timeout(300).emitWithAck('presence:join', { workspaceId: 'not-a-uuid' })).rejects.toThrow(/timed out/);
		await expect(raw.timeout(300).emitWithAck('drop:send', { text: 42 })).rejects.toThrow(/timed out/);
		// A join without an acknowledgement cannot be answered, so it is dropped too.
		raw.emit('presence:join', { workspaceId: person.workspace?.id ?? '' });

		await expect.poll(() => dropped(a, 'unknown', 'unknown')).toBe(unknownBefore + 1);
		await expect.poll(() => dropped(a, 'presence:join', 'malformed')).toBe(joinBefore + 2);
		expect(await dropped(a, 'drop:send', 'malformed')).toBe(dropBefore + 1);
		expect((await (await fetch(`${a.url}/metrics`)).text()).includes('launch:everything')).toBe(false);
	});
});

describe('drops (SPEC P6–P7)', () => {
	it('reach everyone on the same page on every instance, and nobody elsewhere', async () => {
		const { owner, workspaceId, slug, members } = await team('drops', [{ label: 'Near' }, { label: 'Far' }]);
		const [near, far] = members as [Seeded, Seeded];
		const sender = await present(a, owner, workspaceId, `/w/${slug}/leads`);
		const nearSocket = await present(b, near, workspaceId, `/w/${slug}/leads`);
		const farSocket = await present(b, far, workspaceId, `/w/${slug}/campaigns`);
		const nearDrops = collect(nearSocket, 'drop');
		const farDrops = collect(farSocket, 'drop');

		const reply = await sender.timeout(3_000).emitWithAck('drop:send', { text: '  <b>Lunch</b> at noon?  ', spot: { x: 0.25, y: 0.5 } });
		expect(reply).toMatchObject({ ok: true, drop: { text: '<b>Lunch</b> at noon?', spot: { x: 0.25, y: 0.5 }, ttlMs: DROP_TTL_MS } });
		await expect.poll(() => nearDrops.length).toBe(1);
		expect(nearDrops[0]).toMatchObject({ userId: owner.user.id, displayName: owner.user.displayName, location: `page:/w/${slug}/leads`, workspaceId });
		await sleep(300);
		expect(farDrops).toEqual([]);
	});

	it('refuses empty and over-long notes with a readable reason; 280 characters (emoji count once) pass', async () => {
		const { owner, workspaceId, slug } = await team('limits', []);
		const socket = await present(a, owner, workspaceId, `/w/${slug}`);
		const send = (text: string) => socket.timeout(3_000).emitWithAck('drop:send', { text });
		expect(await send('')).toMatchObject({ ok: false, error: { code: 'invalid', message: 'Write something to drop.' } });
		expect(await send(' \n\t ')).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await send('x'.repeat(281))).toMatchObject({ ok: false, error: { code: 'invalid', message: 'A drop is at most 280 characters.' } });
		expect(await send('🎉'.repeat(280))).toMatchObject({ ok: true });
		expect(await send('y'.repeat(280))).toMatchObject({ ok: true });
	});

	it('are rate limited per person across tabs and instances, with when to retry', async () => {
		const { owner, workspaceId, slug } = await team('eager', []);
		const one = await present(a, owner, workspaceId, `/w/${slug}`);
		const two = await present(b, owner, workspaceId, `/w/${slug}`);
		const replies = [];
		for (let i = 0; i < 6; i++) replies.push(await (i % 2 ? two : one).timeout(3_000).emitWithAck('drop:send', { text: `note ${i}` }));
		expect(replies.slice(0, 5).every((r) => r.ok)).toBe(true);
		const limited = replies[5];
		expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/Try again in \d+ s/) } });
		expect(limited && !limited.ok && limited.error.retryAfterMs).toBeGreaterThan(0);
	});
});

describe('cursors (SPEC P5)', () => {
	it('go to others at the same place, throttled, and only for the place the sender is at', async () => {
		const { owner, workspaceId, slug, members } = await team('cursors', [{ label: 'Pointer' }, { label: 'Neighbour' }]);
		const [pointer, neighbour] = members as [Seeded, Seeded];
		const mover = await present(a, owner, workspaceId, `/w/${slug}/calendar`);
		// One watcher on the other instance (cursors cross through Redis pub/sub), one on the same.
		const watcher = await present(b, pointer, workspaceId, `/w/${slug}/calendar`);
		const local = await present(a, neighbour, workspaceId, `/w/${slug}/calendar`);
		const cursors = collect(watcher, 'cursor');
		const localCursors = collect(local, 'cursor');
		const own = collect(mover, 'cursor');
		const throttledBefore = await dropped(a, 'cursor:move', 'throttled');

		mover.emit('cursor:move', { x: 10, y: 20, location: `page:/w/${slug}/leads` });
		for (let i = 0; i < 40; i++) mover.emit('cursor:move', { x: i, y: 20, location: `page:/w/${slug}/calendar` });
		await sleep(600);
		expect(cursors.length).toBeGreaterThan(0);
		expect(cursors.length).toBeLessThanOrEqual(10);
		expect(cursors.every((c) => c.location === `page:/w/${slug}/calendar` && c.userId === owner.user.id)).toBe(true);
		// Volatile: each receiver may miss different moves, but both get them.
		expect(localCursors.length).toBeGreaterThan(0);
		expect(localCursors.every((c) => c.location === `page:/w/${slug}/calendar`)).toBe(true);
		expect(own).toEqual([]);
		expect(await dropped(a, 'cursor:move', 'throttled')).toBeGreaterThan(throttledBefore + 25);
	});

	it('a burst of moves from one tab is applied in the order sent: it ends at the last place, with its cursors', async () => {
		const { owner, workspaceId, slug, members } = await team('burst', [{ label: 'Reader' }]);
		const [reader] = members as [Seeded];
		const record = { type: 'campaign', id: 'c-burst' };
		const mover = await present(a, owner, workspaceId, `/w/${slug}/campaigns`);
		const watcher = await client(b, reader);
		expect(await join(watcher, workspaceId, { page: `/w/${slug}/campaigns/c-burst`, record })).toMatchObject({ ok: true });
		// What the page sends on navigation: the page, then "this record is open", a tick apart,
		// several times over; none waits for the previous answer.
		const acks: Promise<unknown>[] = [];
		for (let i = 0; i < 20; i++) {
			acks.push(mover.timeout(3_000).emitWithAck('presence:where', { page: `/w/${slug}/campaigns` }));
			acks.push(mover.timeout(3_000).emitWithAck('presence:where', { page: `/w/${slug}/campaigns/c-burst`, record }));
		}
		const settled = listWhere(watcher, (l) => l.people.find((p) => p.userId === owner.user.id)?.record?.id === 'c-burst');
		expect(await Promise.all(acks)).toEqual(Array.from({ length: 40 }, () => ({ ok: true })));
		expect((await settled).people.find((p) => p.userId === owner.user.id)).toMatchObject({ record: { id: 'c-burst' }, locations: ['record:campaign:c-burst'] });

		const seen = collect(watcher, 'cursor');
		for (let i = 0; i < 3; i++) {
			mover.emit('cursor:move', { x: i, y: 1, location: 'record:campaign:c-burst' });
			await sleep(120);
		}
		await expect.poll(() => seen.length, { timeout: 3_000 }).toBeGreaterThan(0);
		expect(seen.every((c) => c.userId === owner.user.id && c.location === 'record:campaign:c-burst')).toBe(true);

		// It left every place it passed through: a drop on the list page does not reach it.
		const onList = await present(b, reader, workspaceId, `/w/${slug}/campaigns`);
		const moverDrops = collect(mover, 'drop');
		expect(await onList.timeout(3_000).emitWithAck('drop:send', { text: 'on the list page' })).toMatchObject({ ok: true });
		const atRecord = collect(watcher, 'drop');
		expect(await mover.timeout(3_000).emitWithAck('drop:send', { text: 'on the campaign' })).toMatchObject({ ok: true });
		await expect.poll(() => atRecord.length).toBe(1);
		// Its own drop comes back to it (a room includes its sender); the list page's must not.
		await expect.poll(() => moverDrops.map((d) => d.text)).toContain('on the campaign');
		expect(moverDrops.map((d) => d.text)).toEqual(['on the campaign']);
	});
});

describe('connection state recovery (SPEC S4, P9)', () => {
	it('a connection that drops and recovers is back on the list without asking again', async () => {
		const { owner, workspaceId, slug, members } = await team('flaky', [{ label: 'Flaky' }]);
		const [flaky] = members as [Seeded];
		const watcher = await present(a, owner, workspaceId, `/w/${slug}`);
		const socket = await client(b, flaky, { reconnection: true });
		await join(socket, workspaceId, { page: `/w/${slug}/leads` });

		const gone = listWhere(watcher, (l) => !l.people.some((p) => p.userId === flaky.user.id));
		const back = next(socket, 'connect');
		socket.io.engine.close();
		await gone;
		await back;
		expect(socket.recovered).toBe(true);
		await listWhere(watcher, (l) => l.people.some((p) => p.userId === flaky.user.id && p.page === `/w/${slug}/leads`));
	});

	it('a connection that recovers after its member was removed is told, not let back in', async () => {
		const { owner, workspaceId, slug, members } = await team('away', [{ label: 'Away' }]);
		const [away] = members as [Seeded];
		const socket = await client(b, away, { reconnection: true });
		await join(socket, workspaceId, { page: `/w/${slug}` });
		socket.io.reconnection(false);
		const closed = new Promise((resolve) => socket.once('disconnect', resolve));
		socket.io.engine.close();
		await closed;
		await owner.client.caller.workspaces.removeMember({ workspaceId, userId: away.user.id });
		const revoked = next(socket, 'presence:revoked');
		socket.connect();
		expect(await revoked).toEqual({ workspaceId });
		expect(socket.recovered).toBe(true);
		expect(await socket.timeout(3_000).emitWithAck('drop:send', { text: 'back?' })).toMatchObject({ ok: false, error: { code: 'not_joined' } });
	});
});

describe('revocation (SPEC P8)', () => {
	it('removing a member takes them out within a second on the other instance; a role change does not', async () => {
		const { owner, workspaceId, slug, members } = await team('revoke', [{ label: 'Leaving' }, { label: 'Staying' }]);
		const [leaving, staying] = members as [Seeded, Seeded];
		const ownerSocket = await present(a, owner, workspaceId, `/w/${slug}`);
		const leavingSocket = await present(b, leaving, workspaceId, `/w/${slug}`);
		const stayingSocket = await present(b, staying, workspaceId, `/w/${slug}`);
		const stayingRevoked = collect(stayingSocket, 'presence:revoked');

		await owner.client.caller.workspaces.changeRole({ workspaceId, userId: staying.user.id, role: 'viewer' });
		const revoked = next(leavingSocket, 'presence:revoked');
		const gone = listWhere(ownerSocket, (l) => !l.people.some((p) => p.userId === leaving.user.id));
		const started = Date.now();
		await owner.client.caller.workspaces.removeMember({ workspaceId, userId: leaving.user.id });
		expect(await revoked).toEqual({ workspaceId });
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(ids(await gone)).toEqual([owner.user.id, staying.user.id].sort());

		// Out of the rooms: drops there no longer reach them, and they cannot come back.
		const leavingDrops = collect(leavingSocket, 'drop');
		expect(await ownerSocket.timeout(3_000).emitWithAck('drop:send', { text: 'after you left' })).toMatchObject({ ok: true });
		expect(await leavingSocket.timeout(3_000).emitWithAck('drop:send', { text: 'still here?' })).toMatchObject({ ok: false, error: { code: 'not_joined' } });
		expect(await join(leavingSocket, workspaceId, { page: `/w/${slug}` })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		await sleep(300);
		expect(leavingDrops).toEqual([]);
		expect(stayingRevoked).toEqual([]);
	});

	it('deleting the workspace takes everyone out on every instance', async () => {
		const { owner, workspaceId, slug, members } = await team('doomed', [{ label: 'Bystander' }]);
		const [bystander] = members as [Seeded];
		const ownerSocket = await present(a, owner, workspaceId, `/w/${slug}`);
		const other = await present(b, bystander, workspaceId, `/w/${slug}`);
		const both = Promise.all([ownerSocket, other].map((s) => next(s, 'presence:revoked')));
		await owner.client.caller.workspaces.delete({ workspaceId, confirmation: `${owner.user.displayName} workspace` });
		expect(await both).toEqual([{ workspaceId }, { workspaceId }]);
	});
});
