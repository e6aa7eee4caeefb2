import type WebSocket from 'ws';
import type { Cursor, Drop, PresenceList } from '../../realtime/protocol/socket-events';
import { eachLimited, musterSocket, rawSocket, sleep } from './clients';
import { checkpoint, type PresenceJob, type PresenceResult } from './ipc';
import { cpuMark, cpuPercentSince, Histogram } from './stats';

/**
 * Scenario 5: presence clients in rooms (one workspace each, split over the instances),
 * all at one place (the workspace's brief) sending cursors at `cursorHz`, volatile as the
 * app sends them. Alongside, a stream that must not be lost: each client drops a note and
 * moves to another page once per `eventEveryMs` (half a period apart). Cursors carry their
 * send time in `x`, so receivers measure cursor latency on the one clock of this process.
 *
 * Delivery accounting: a drop acknowledged by the server must reach all room members
 * (sender included, as Muster's rooms do); a move must produce one presence list per member
 * (lists carry increasing versions, so receivers count versions newer than the window's start).
 * A client that reconnects joins again, as the app does; its join and the leave before it
 * broadcast lists of their own, so with disconnects the list count is an upper bound.
 */
interface Client {
	team: number;
	cursor(x: number, y: number): void;
	drop(text: string): Promise<boolean>;
	move(page: string): void;
	close(): void;
}

interface Counters {
	cursors: number;
	cursorLatency: Histogram;
	drops: Map<string, number>;
	/** Per client: presence lists (Muster) or moves (baseline) received in the window. */
	moves: number[];
	/** Per client: the newest list version seen before the window. */
	baseVersion: number[];
	measuring: boolean;
	/** Connections that dropped, by reason, and what came back (Socket.IO reconnects and may recover missed events). */
	disconnects: Map<string, number>;
	reconnects: number;
	recovered: number;
}

function location(workspaceId: string): string {
	return `record:brief:${workspaceId}`;
}

async function musterClient(url: string, cookie: string, workspaceId: string, team: number, id: number, counters: Counters): Promise<Client> {
	// Reconnecting and joining again on every connect, as app/lib/realtime/presence.svelte.ts does.
	const socket = await musterSocket(url, cookie, 60_000, true);
	const here = location(workspaceId);
	socket.on('disconnect', (reason) => counters.disconnects.set(reason, (counters.disconnects.get(reason) ?? 0) + 1));
	socket.on('cursor', (c: Cursor) => {
		counters.cursors += 1;
		counters.cursorLatency.record(performance.now() - c.x);
	});
	socket.on('drop', (d: Drop) => counters.drops.set(d.text, (counters.drops.get(d.text) ?? 0) + 1));
	socket.on('presence:list', (list: PresenceList) => {
		if (!counters.measuring) counters.baseVersion[id] = Math.max(counters.baseVersion[id] ?? 0, list.version);
		else if (list.version > (counters.baseVersion[id] ?? 0)) counters.moves[id] = (counters.moves[id] ?? 0) + 1;
	});
	const record = { type: 'brief', id: workspaceId };
	let page = `/w/${workspaceId}`;
	const join = () => socket.timeout(60_000).emitWithAck('presence:join', { workspaceId, where: { page, record } });
	const joined = await join();
	if (!joined.ok) throw new Error(`presence:join refused: ${joined.error.code}`);
	socket.on('connect', () => {
		counters.reconnects += 1;
		if (socket.recovered) counters.recovered += 1;
		join().catch(() => undefined);
	});
	return {
		team,
		cursor: (x, y) => socket.volatile.emit('cursor:move', { x, y, location: here }),
		drop: async (text) => {
			const reply = await socket.timeout(30_000).emitWithAck('drop:send', { text, spot: null });
			return reply.ok;
		},
		move: (next) => {
			page = next;
			socket.emit('presence:where', { page, record });
		},
		close: () => socket.disconnect()
	};
}

async function baselineClient(url: string, workspaceId: string, team: number, id: number, counters: Counters): Promise<Client> {
	const ws: WebSocket = await rawSocket(url, workspaceId);
	const here = location(workspaceId);
	ws.on('close', (code) => {
		if (code !== 1005 && code !== 1000) counters.disconnects.set(`close ${code}`, (counters.disconnects.get(`close ${code}`) ?? 0) + 1);
	});
	ws.on('message', (data: Buffer) => {
		const message = JSON.parse(data.toString()) as { t: string; x?: number; text?: string };
		if (message.t === 'cursor') {
			counters.cursors += 1;
			counters.cursorLatency.record(performance.now() - (message.x ?? 0));
		} else if (message.t === 'drop' && message.text) {
			counters.drops.set(message.text, (counters.drops.get(message.text) ?? 0) + 1);
		} else if (message.t === 'where' && counters.measuring) {
			counters.moves[id] = (counters.moves[id] ?? 0) + 1;
		}
	});
	return {
		team,
		cursor: (x, y) => ws.send(JSON.stringify({ t: 'cursor', x, y, location: here })),
		drop: async (text) => {
			ws.send(JSON.stringify({ t: 'drop', text, spot: null }));
			return true;
		},
		move: (page) => ws.send(JSON.stringify({ t: 'where', page, record: { type: 'brief', id: workspaceId } })),
		close: () => ws.terminate()
	};
}

export async function runPresence(job: PresenceJob): Promise<PresenceResult> {
	const counters: Counters = { cursors: 0, cursorLatency: new Histogram(), drops: new Map(), moves: [], baseVersion: [], measuring: false, disconnects: new Map(), reconnects: 0, recovered: 0 };
	const members = job.teams.flatMap((team, t) => team.cookies.map((cookie, k) => ({ team: t, workspaceId: team.workspaceId, cookie, url: job.urls[k % job.urls.length] ?? '' })));
	const clients: Client[] = [];
	const errors = await eachLimited(members, 50, async (m, id) => {
		const client = job.target === 'muster' ? await musterClient(m.url, m.cookie, m.workspaceId, m.team, id, counters) : await baselineClient(m.url, m.workspaceId, m.team, id, counters);
		clients[id] = client;
	});
	if (errors.length > 0) process.stderr.write(`presence: ${errors.length} clients failed to connect, first: ${errors[0]}\n`);
	await sleep(2_000); // the join lists settle before the window opens
	counters.measuring = true;
	await checkpoint('measuring');
	const cpu = cpuMark();
	const started = performance.now();
	const endAt = started + job.seconds * 1_000;
	const teamSize = new Map<number, number>();
	clients.forEach((c) => c && teamSize.set(c.team, (teamSize.get(c.team) ?? 0) + 1));
	// Cursors count until 3 s after the window (volatile: late ones are not waited for).
	let cursorsSent = 0;
	let cursorsExpected = 0;
	let dropsAcked = 0;
	let dropsRefused = 0;
	let dropsExpected = 0;
	const dropTexts: { text: string; team: number }[] = [];
	const movesByTeam = new Map<number, number>();
	const pending: Promise<void>[] = [];
	const cursorMs = 1_000 / job.cursorHz;
	const timers = clients.map((client, id) => {
		if (!client) return [];
		const others = (teamSize.get(client.team) ?? 1) - 1;
		const cursorTimer = setTimeout(
			() => {
				const interval = setInterval(() => {
					if (performance.now() >= endAt) return clearInterval(interval);
					client.cursor(performance.now(), Math.random() * 1_000);
					cursorsSent += 1;
					cursorsExpected += others;
				}, cursorMs);
				timers[id]?.push(interval);
			},
			Math.random() * cursorMs
		);
		let n = 0;
		const eventTimer = setTimeout(
			() => {
				const fire = () => {
					if (performance.now() >= endAt) return;
					const text = `drop ${id}.${n}`;
					const team = client.team;
					pending.push(
						client.drop(text).then(
							(ok) => {
								if (!ok) return void (dropsRefused += 1);
								dropsAcked += 1;
								dropsExpected += teamSize.get(team) ?? 0;
								dropTexts.push({ text, team });
							},
							() => void (dropsRefused += 1)
						)
					);
					const page = `/w/${id}/page-${n++}`;
					setTimeout(() => {
						if (performance.now() >= endAt) return;
						client.move(page);
						movesByTeam.set(team, (movesByTeam.get(team) ?? 0) + 1);
					}, job.eventEveryMs / 2);
					timers[id]?.push(setTimeout(fire, job.eventEveryMs));
				};
				fire();
			},
			Math.random() * job.eventEveryMs
		);
		return [cursorTimer, eventTimer];
	});
	await sleep(endAt - performance.now());
	await Promise.allSettled(pending);
	await sleep(3_000); // in-flight deliveries land
	const windowMs = performance.now() - started;
	const cpuPercent = cpuPercentSince(cpu);
	await checkpoint('done');
	timers.flat().forEach((t) => clearTimeout(t));
	const moves = () => {
		let expected = 0;
		let delivered = 0;
		clients.forEach((client, id) => {
			if (!client) return;
			const sent = movesByTeam.get(client.team) ?? 0;
			expected += sent;
			delivered += Math.min(sent, counters.moves[id] ?? 0);
		});
		return { expected, delivered };
	};
	const drops = () => dropTexts.reduce((sum, d) => sum + Math.min(teamSize.get(d.team) ?? 0, counters.drops.get(d.text) ?? 0), 0);
	const onTime = { drops: drops(), moves: moves().delivered, cursors: counters.cursors };
	// Late is not lost: keep counting until everything arrived or nothing new has for 10 s.
	const drainStarted = performance.now();
	let last = -1;
	let quietSince = performance.now();
	for (;;) {
		const now = drops() + moves().delivered;
		if (now === dropsExpected + moves().expected) break;
		if (now !== last) {
			last = now;
			quietSince = performance.now();
		} else if (performance.now() - quietSince > 10_000) break;
		await sleep(250);
	}
	const drainMs = performance.now() - drainStarted;
	const disconnects = Object.fromEntries(counters.disconnects);
	clients.forEach((c) => c?.close());
	return {
		disconnects,
		reconnects: counters.reconnects,
		recovered: counters.recovered,
		clients: clients.filter(Boolean).length,
		connectFailures: errors.length,
		cursorsSent,
		cursorsExpected,
		cursorsDelivered: onTime.cursors,
		cursorLatency: counters.cursorLatency.summary(),
		dropsAcked,
		dropsRefused,
		dropsExpected,
		dropsDelivered: drops(),
		dropsOnTime: onTime.drops,
		movesAcked: [...movesByTeam.values()].reduce((a, b) => a + b, 0),
		movesExpected: moves().expected,
		movesDelivered: moves().delivered,
		movesOnTime: onTime.moves,
		drainMs,
		windowMs,
		cpuPercent
	};
}
