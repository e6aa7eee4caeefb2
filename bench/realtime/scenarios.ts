import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { briefDocName } from '../../server/brief/kind';
import { peer } from '../../tests/support/yjs-client';
import type { EditorsResult, IdleResult, JoinResult, PresenceResult } from './ipc';
import { runLoad } from './load-runner';
import type { Params } from './params';
import { MachineMeter, ProcessMeter, rssBytes, type Usage } from './proc';
import type { Row, ScenarioReport } from './report';
import type { Team } from './seed';
import { baselinePrefix, complaints, startPair, stopAll, type Instance, type ServerEnv, type System } from './servers';
import { MB, ratio } from './stats';
import { TIMELINE_S } from './load-editors';
import { storedDocument } from './stored';

/**
 * The five scenarios of issue 4, orchestrator side: start a fresh pair of instances for each
 * system (Muster, then the baseline), run the load process against them, measure the
 * servers around the marks it reports, stop them, and turn both runs into report rows.
 */
export interface Context {
	env: ServerEnv;
	params: Params;
	teams: { small: Team; large: Team; big: Team; idle: Team[] };
	redisPid: number | null;
	log: (line: string) => void;
}

const SYSTEMS: System[] = ['muster', 'baseline'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Measured<R> {
	load: R;
	servers: Usage[];
	redis: Usage | null;
	/** The load generator process, measured from here over the same window. */
	client: Usage | null;
	/** Muster only: each instance's event-loop delay over the window (from its /metrics), in ms. */
	loopDelay: { p99: number; max: number }[] | null;
	/** The whole machine over the window, and what of it was none of ours (other sessions' builds and tests). */
	machine: { cpuPercent: number; loadAverage: number; othersPercent: number } | null;
	complaints: string[];
}

/** Runs one load job against a fresh pair, measuring CPU and peak RSS from `from` to `to`. */
async function measured<R>(ctx: Context, system: System, instances: Instance[], job: Parameters<typeof runLoad>[0], from: string, to: string, sampleMs = 100): Promise<Measured<R>> {
	const meters = instances.map((i) => new ProcessMeter(i.pid, sampleMs));
	const redis = ctx.redisPid ? new ProcessMeter(ctx.redisPid, 1_000) : null;
	const machine = new MachineMeter();
	let client: ProcessMeter | null = null;
	let servers: Usage[] = [];
	let redisUsage: Usage | null = null;
	let clientUsage: Usage | null = null;
	let machineUsage: Measured<R>['machine'] = null;
	let loopDelay: Measured<R>['loopDelay'] = null;
	const { result } = await runLoad<R>(
		job,
		async (mark, pid) => {
			// A scrape resets prom-client's event-loop histogram: one at each end brackets the window.
			// The closing one runs after the meters stop: a scrape allocates (collectors, BullMQ
			// job counts), and that is the bench's doing, not the scenario's.
			if (mark === from && system === 'muster') await Promise.all(instances.map((i) => loopDelayOf(i.url)));
			if (mark === from) {
				client = new ProcessMeter(pid, 1_000);
				[...meters, ...(redis ? [redis] : []), client].forEach((m) => m.start());
				machine.start();
			}
			if (mark === to) {
				const whole = machine.stop();
				servers = meters.map((m) => m.stop());
				redisUsage = redis?.stop() ?? null;
				clientUsage = client?.stop() ?? null;
				const ours = [...servers, redisUsage, clientUsage].reduce((sum, u) => sum + (u?.cpuPercent ?? 0), 0);
				machineUsage = { ...whole, othersPercent: Math.max(0, whole.cpuPercent - ours) };
				if (system === 'muster') loopDelay = await Promise.all(instances.map((i) => loopDelayOf(i.url)));
			}
		},
		ctx.params.nice
	);
	ctx.log(`  ${system}: done`);
	return { load: result, servers, redis: redisUsage, client: clientUsage, machine: machineUsage, loopDelay, complaints: complaints(instances) };
}

async function metric(url: string, name: string): Promise<number | null> {
	try {
		const text = await (await fetch(`${url}/metrics`)).text();
		const match = new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text);
		return match ? Number(match[1]) : null;
	} catch {
		return null;
	}
}

async function loopDelayOf(url: string): Promise<{ p99: number; max: number }> {
	const text = await fetch(`${url}/metrics`).then(
		(res) => res.text(),
		() => ''
	);
	const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1_000;
	return { p99: read('nodejs_eventloop_lag_p99_seconds'), max: read('nodejs_eventloop_lag_max_seconds') };
}

function serverRows(m: Measured<unknown>, b: Measured<unknown>, names: string[]): Row[] {
	const rows: Row[] = [];
	names.forEach((name, i) => {
		rows.push({ metric: `server ${name} CPU (% of a core)`, muster: m.servers[i]?.cpuPercent ?? null, baseline: b.servers[i]?.cpuPercent ?? null, compare: true });
	});
	names.forEach((name, i) => {
		rows.push({ metric: `server ${name} peak RSS (MB)`, muster: (m.servers[i]?.rssPeak ?? 0) / MB, baseline: (b.servers[i]?.rssPeak ?? 0) / MB, compare: true });
	});
	names.forEach((name, i) => {
		const delay = m.loopDelay?.[i];
		if (!delay) return;
		rows.push({ metric: `server ${name} event-loop delay p99 (ms)`, muster: delay.p99, baseline: null, digits: 1 });
		rows.push({ metric: `server ${name} event-loop delay max (ms)`, muster: delay.max, baseline: null, digits: 1 });
	});
	rows.push({ metric: 'Redis CPU (% of a core)', muster: m.redis?.cpuPercent ?? null, baseline: b.redis?.cpuPercent ?? null });
	rows.push(...contextRows(m, b));
	return rows;
}

/** The load process and how busy the machine was otherwise: a number is only as good as its machine. */
function contextRows(m: Measured<unknown>, b: Measured<unknown>): Row[] {
	return [
		{ metric: 'load process CPU (% of a core)', muster: m.client?.cpuPercent ?? null, baseline: b.client?.cpuPercent ?? null },
		{ metric: 'other processes on the machine (% core)', muster: m.machine?.othersPercent ?? null, baseline: b.machine?.othersPercent ?? null },
		{ metric: 'load average at the end', muster: m.machine?.loadAverage ?? null, baseline: b.machine?.loadAverage ?? null, digits: 2 }
	];
}

function warnings(...runs: Measured<unknown>[]): string[] {
	const lines = runs.flatMap((r) => r.complaints);
	return lines.length === 0 ? [] : [`servers logged: ${lines.slice(0, 4).join(' | ')}`];
}

async function editors(ctx: Context, id: number, team: Team, count: number): Promise<ScenarioReport> {
	const { params } = ctx;
	const docName = briefDocName(team.workspaceId);
	const runs: Partial<Record<System, Measured<EditorsResult>>> = {};
	let stored: { length: number; sha256: string } | null = null;
	for (const system of SYSTEMS) {
		ctx.log(`scenario ${id}: ${count} editors on ${system}`);
		const instances = await startPair(system, ctx.env);
		try {
			const job = { kind: 'editors' as const, target: system, urls: instances.map((i) => i.url), docName, cookies: team.people.slice(0, count).map((p) => p.cookie), seconds: params.seconds, charsPerSecond: params.charsPerSecond, drainMs: params.drainMs };
			runs[system] = await measured<EditorsResult>(ctx, system, instances, job, 'typing', 'drained');
		} finally {
			await stopAll(instances);
		}
		if (system === 'muster') {
			const text = (await storedDocument(docName)).getText('body').toString();
			stored = { length: text.length, sha256: createHash('sha256').update(text).digest('hex') };
		}
	}
	const m = runs.muster as Measured<EditorsResult>;
	const b = runs.baseline as Measured<EditorsResult>;
	const rate = (r: EditorsResult) => r.sent / r.editors / (r.typingMs / 1_000);
	const lost = (r: EditorsResult) => r.expectedDeliveries - Math.min(r.delivered, r.expectedDeliveries);
	const p99Ratio = ratio(m.load.latency.p99, b.load.latency.p99);
	const storedMatches = stored !== null && stored.sha256 === m.load.finalSha256;
	const rows: Row[] = [
		{ metric: 'characters typed', muster: m.load.sent, baseline: b.load.sent, digits: 0 },
		{ metric: 'typing rate per editor (chars/s)', muster: rate(m.load), baseline: rate(b.load), digits: 2 },
		{ metric: 'deliveries (char × peer)', muster: m.load.delivered, baseline: b.load.delivered, digits: 0 },
		{ metric: 'deliveries/s', muster: m.load.deliveriesPerSecond, baseline: b.load.deliveriesPerSecond, compare: true, digits: 0, ...(id === 2 ? { target: 'ratio reported' } : {}) },
		{ metric: 'edit→peer latency p50 (ms)', muster: m.load.latency.p50, baseline: b.load.latency.p50, compare: true, digits: 2 },
		{
			metric: 'edit→peer latency p99 (ms)',
			muster: m.load.latency.p99,
			baseline: b.load.latency.p99,
			compare: true,
			digits: 2,
			...(id === 1 ? { target: '≤ 20 ms and ≤ 3× baseline', ok: m.load.latency.p99 <= 20 && p99Ratio !== null && p99Ratio <= 3 } : {})
		},
		{ metric: 'edit→peer latency max (ms)', muster: m.load.latency.max, baseline: b.load.latency.max, compare: true, digits: 1 },
		{ metric: 'updates lost (deliveries missing)', muster: lost(m.load), baseline: lost(b.load), digits: 0, target: '0', ok: lost(m.load) === 0 && m.load.identical && m.load.everyCharacter },
		...serverRows(m, b, ['A', 'B'])
	];
	const notes = [
		`Muster p99 by ${TIMELINE_S} s slice of receive time (ms): ${m.load.timeline.map((t) => t.p99.toFixed(0)).join(', ')}; baseline: ${b.load.timeline.map((t) => t.p99.toFixed(0)).join(', ')}`,
		`end state — Muster: ${m.load.identical ? 'all docs identical' : 'DOCS DIFFER'}, ${m.load.everyCharacter ? 'every character present' : 'CHARACTERS MISSING'}, ${m.load.allSaved ? 'all acknowledged as saved' : 'NOT ALL SAVED'}, fresh load from Postgres ${storedMatches ? 'identical' : `DIFFERS (${stored?.length ?? '?'} vs ${m.load.finalLength} chars)`}; baseline: ${b.load.identical && b.load.everyCharacter ? 'identical, complete' : 'INCOMPLETE'}`,
		...warnings(m, b)
	];
	return { id, title: `${count} editors on one document, ${params.charsPerSecond} chars/s each, ${params.seconds} s`, rows, notes, raw: { muster: m, baseline: b, stored } };
}

export const scenario1 = (ctx: Context) => editors(ctx, 1, ctx.teams.small, ctx.params.editorsSmall);
export const scenario2 = (ctx: Context) => editors(ctx, 2, ctx.teams.large, ctx.params.editorsLarge);

/** RSS after things settle: the median of five readings a second apart. */
async function settledRss(pid: number, settleMs: number): Promise<number> {
	await sleep(settleMs);
	const readings: number[] = [];
	for (let i = 0; i < 5; i++) {
		readings.push(rssBytes(pid));
		await sleep(1_000);
	}
	return readings.sort((a, b) => a - b)[2] ?? 0;
}

export async function scenario3(ctx: Context): Promise<ScenarioReport> {
	const { params } = ctx;
	const members = ctx.teams.idle.flatMap((team) => team.people.map((p) => ({ cookie: p.cookie, docName: briefDocName(team.workspaceId), workspaceId: team.workspaceId }))).slice(0, params.idleClients);
	const runs: Partial<Record<System, { load: IdleResult; before: number; after: number; heapBefore: number | null; heapAfter: number | null; complaints: string[] }>> = {};
	for (const system of SYSTEMS) {
		ctx.log(`scenario 3: ${members.length} idle clients on one ${system} instance`);
		const [instance] = await startPair(system, ctx.env, 1);
		if (!instance) throw new Error('no instance');
		try {
			let before = 0;
			let after = 0;
			let heapBefore: number | null = null;
			let heapAfter: number | null = null;
			const { result } = await runLoad<IdleResult>(
				{ kind: 'idle', target: system, url: instance.url, clients: members, warmup: params.idleWarmup },
				async (mark) => {
					if (mark === 'warm') {
						before = await settledRss(instance.pid, params.settleMs / 2);
						heapBefore = system === 'muster' ? await metric(instance.url, 'nodejs_heap_size_used_bytes') : null;
					}
					if (mark === 'connected') {
						after = await settledRss(instance.pid, params.settleMs);
						heapAfter = system === 'muster' ? await metric(instance.url, 'nodejs_heap_size_used_bytes') : null;
					}
				},
				params.nice
			);
			runs[system] = { load: result, before, after, heapBefore, heapAfter, complaints: complaints([instance]) };
		} finally {
			await stopAll([instance]);
		}
	}
	const m = runs.muster;
	const b = runs.baseline;
	if (!m || !b) throw new Error('scenario 3 incomplete');
	const added = (r: typeof m) => r.load.connected - params.idleWarmup;
	const perClient = (r: typeof m) => (r.after - r.before) / added(r) / 1024;
	const heapPer = (r: typeof m) => (r.heapAfter !== null && r.heapBefore !== null ? (r.heapAfter - r.heapBefore) / added(r) / 1024 : null);
	const rows: Row[] = [
		{ metric: 'clients connected (Yjs + Socket.IO each)', muster: m.load.connected, baseline: b.load.connected, digits: 0 },
		{ metric: 'clients failed', muster: m.load.failed, baseline: b.load.failed, digits: 0 },
		{ metric: 'RSS before → after (MB)', muster: m.before / MB, baseline: b.before / MB },
		{ metric: '  … after (MB)', muster: m.after / MB, baseline: b.after / MB, compare: true },
		{ metric: 'memory per client, RSS (KB)', muster: perClient(m), baseline: perClient(b), compare: true, target: '≤ 50 KB', ok: perClient(m) <= 50 && m.load.failed === 0 },
		{ metric: 'memory per socket, RSS (KB)', muster: perClient(m) / 2, baseline: perClient(b) / 2, compare: true },
		{ metric: 'memory per client, JS heap used (KB)', muster: heapPer(m), baseline: null },
		{ metric: 'connect time for all (s)', muster: m.load.connectMs / 1_000, baseline: b.load.connectMs / 1_000, compare: true }
	];
	const notes = [
		`${params.idleWarmup} clients connect first (the "before" reading), then the other ${members.length - params.idleWarmup}; readings are medians of 5 after ${params.settleMs / 1_000} s to settle; teams of ${params.roomSize}, one brief each`,
		...[m, b].flatMap((r) => (r.load.firstError ? [`first connect error: ${r.load.firstError}`] : [])),
		...[...m.complaints, ...b.complaints].slice(0, 3).map((c) => `servers logged: ${c}`)
	];
	return { id: 3, title: `${members.length} idle connections on one instance`, rows, notes, raw: { muster: m, baseline: b } };
}

/** Writes a document of about `bytes` through one stock client and waits until it is stored. */
async function prepareLargeDocument(ctx: Context, docName: string, cookie: string): Promise<{ size: number; length: number; state: Uint8Array }> {
	const instances = await startPair('muster', ctx.env);
	try {
		const writer = peer(instances[0]?.url ?? '', docName, cookie);
		await writer.synced();
		const words = ['lead', 'campaign', 'crusade', 'reply', 'send', 'launch', 'calendar', 'brief', 'team', 'muster'];
		const chunk = 16 * 1024;
		let written = 0;
		while (written < ctx.params.docBytes) {
			let text = '';
			while (text.length < chunk) text += (words[Math.floor(Math.random() * words.length)] ?? '') + (Math.random() < 0.1 ? '\n' : ' ');
			writer.text.insert(writer.text.length, text);
			written += text.length;
			await sleep(5);
		}
		await writer.allSaved();
		const state = Y.encodeStateAsUpdate(writer.doc);
		const length = writer.text.length;
		writer.destroy();
		return { size: state.byteLength, length, state };
	} finally {
		// SIGTERM settles and compacts: the document is unloaded and whole in Postgres.
		await stopAll(instances);
	}
}

export async function scenario4(ctx: Context): Promise<ScenarioReport> {
	const { params } = ctx;
	const team = ctx.teams.big;
	const docName = briefDocName(team.workspaceId);
	const owner = team.people[0];
	if (!owner) throw new Error('the big team has no owner');
	ctx.log(`scenario 4: writing a ${(params.docBytes / MB).toFixed(1)} MB document`);
	const prepared = await prepareLargeDocument(ctx, docName, owner.cookie);
	const stored = Y.encodeStateAsUpdate(await storedDocument(docName));
	const redis = new Redis(ctx.env.redisUrl);
	await redis.set(`${baselinePrefix(ctx.env)}:blob:${docName}`, Buffer.from(stored));
	redis.disconnect();
	const joiners = team.people.slice(1, 1 + params.joiners).map((p) => p.cookie);
	const runs: Partial<Record<System, Measured<JoinResult>>> = {};
	for (const system of SYSTEMS) {
		ctx.log(`scenario 4: ${joiners.length} clients join at once on ${system}`);
		const instances = await startPair(system, ctx.env);
		try {
			await sleep(1_000);
			const warmup = { docName: briefDocName(ctx.teams.small.workspaceId), cookie: ctx.teams.small.people[0]?.cookie ?? '' };
			const job = { kind: 'join' as const, target: system, url: instances[0]?.url ?? '', docName, cookies: joiners, expectedLength: prepared.length, warmup };
			runs[system] = await measured<JoinResult>(ctx, system, instances.slice(0, 1), job, 'start', 'synced', 5);
		} finally {
			await stopAll(instances);
		}
	}
	const m = runs.muster as Measured<JoinResult>;
	const b = runs.baseline as Measured<JoinResult>;
	const growth = (r: Measured<JoinResult>) => ((r.servers[0]?.rssPeak ?? 0) - (r.servers[0]?.rssStart ?? 0)) / MB;
	const size = stored.byteLength / MB;
	const rows: Row[] = [
		{ metric: 'document size (MB, Yjs update)', muster: size, baseline: size, digits: 2 },
		{ metric: 'clients synced, whole text', muster: m.load.synced, baseline: b.load.synced, digits: 0 },
		{ metric: 'time until all synced (s)', muster: m.load.allSyncedMs / 1_000, baseline: b.load.allSyncedMs / 1_000, compare: true, digits: 2, target: '≤ 3 s', ok: m.load.complete && m.load.allSyncedMs <= 3_000 },
		{ metric: 'per-client sync p50 (s)', muster: m.load.perClient.p50 / 1_000, baseline: b.load.perClient.p50 / 1_000, compare: true, digits: 2 },
		{ metric: 'server A peak RSS growth (MB)', muster: growth(m), baseline: growth(b), compare: true },
		{ metric: '  … ÷ document size', muster: growth(m) / size, baseline: growth(b) / size, compare: true, target: '≤ 10×', ok: growth(m) / size <= 10 },
		{ metric: 'server A CPU while joining (% core)', muster: m.servers[0]?.cpuPercent ?? null, baseline: b.servers[0]?.cpuPercent ?? null, compare: true },
		...contextRows(m, b)
	];
	const notes = [
		`document written in 16 KB chunks by one client (${prepared.length.toLocaleString('en-US')} characters), stored, servers restarted so it is loaded from Postgres on the first join (after one client warmed the server up on a small document); all clients join instance A; the baseline serves the same bytes from Redis`,
		'RSS growth = instance A\'s peak RSS in the window (the kernel\'s VmHWM, reset at the start) minus its RSS at the start, the document not yet in memory: loading it is part of what 100 joins at once cost (a meeting opening a document, every client reconnecting after a deploy), so it is counted',
		...[m, b].flatMap((r) => (r.load.firstError ? [`client error: ${r.load.firstError}`] : [])),
		...warnings(m, b)
	];
	return { id: 4, title: `${joiners.length} clients joining a ${size.toFixed(1)} MB document at once`, rows, notes, raw: { muster: m, baseline: b, preparedSize: prepared.size } };
}

export async function scenario5(ctx: Context): Promise<ScenarioReport> {
	const { params } = ctx;
	const teams = ctx.teams.idle.slice(0, params.presenceClients / params.roomSize).map((t) => ({ workspaceId: t.workspaceId, cookies: t.people.map((p) => p.cookie) }));
	const clients = teams.reduce((n, t) => n + t.cookies.length, 0);
	const runs: Partial<Record<System, Measured<PresenceResult>>> = {};
	for (const system of SYSTEMS) {
		ctx.log(`scenario 5: ${clients} presence clients on ${system}`);
		const instances = await startPair(system, ctx.env);
		try {
			const job = { kind: 'presence' as const, target: system, urls: instances.map((i) => i.url), teams, seconds: params.seconds, cursorHz: params.cursorHz, eventEveryMs: params.eventEveryMs };
			runs[system] = await measured<PresenceResult>(ctx, system, instances, job, 'measuring', 'done');
		} finally {
			await stopAll(instances);
		}
	}
	const m = runs.muster as Measured<PresenceResult>;
	const b = runs.baseline as Measured<PresenceResult>;
	const share = (delivered: number, expected: number) => (expected === 0 ? null : delivered / expected);
	const percent = (delivered: number, expected: number) => {
		const value = share(delivered, expected);
		return value === null ? null : value * 100;
	};
	const nonVolatile = (r: PresenceResult) => share(r.dropsDelivered + r.movesDelivered, r.dropsExpected + r.movesExpected);
	const dropped = (r: PresenceResult) => Object.values(r.disconnects).reduce((a, n) => a + n, 0);
	const cpuTotal = (r: Measured<PresenceResult>) => r.servers.reduce((sum, u) => sum + u.cpuPercent, 0);
	const rows: Row[] = [
		{ metric: 'clients connected', muster: m.load.clients, baseline: b.load.clients, digits: 0 },
		{ metric: 'cursors sent /s', muster: m.load.cursorsSent / params.seconds, baseline: b.load.cursorsSent / params.seconds, digits: 0 },
		{ metric: 'cursor deliveries /s', muster: m.load.cursorsDelivered / params.seconds, baseline: b.load.cursorsDelivered / params.seconds, compare: true, digits: 0 },
		{ metric: 'cursors delivered (% of sent × peers)', muster: percent(m.load.cursorsDelivered, m.load.cursorsExpected), baseline: percent(b.load.cursorsDelivered, b.load.cursorsExpected), digits: 2 },
		{ metric: 'cursor latency p50 (ms)', muster: m.load.cursorLatency.p50, baseline: b.load.cursorLatency.p50, compare: true, digits: 2 },
		{ metric: 'cursor latency p99 (ms)', muster: m.load.cursorLatency.p99, baseline: b.load.cursorLatency.p99, compare: true, digits: 2 },
		{ metric: 'drops delivered (% of acked × room)', muster: percent(m.load.dropsDelivered, m.load.dropsExpected), baseline: percent(b.load.dropsDelivered, b.load.dropsExpected), digits: 2 },
		{ metric: 'moves → lists delivered (% of moves × room)', muster: percent(m.load.movesDelivered, m.load.movesExpected), baseline: percent(b.load.movesDelivered, b.load.movesExpected), digits: 2 },
		{ metric: 'non-volatile within 3 s of the end (%)', muster: percent(m.load.dropsOnTime + m.load.movesOnTime, m.load.dropsExpected + m.load.movesExpected), baseline: percent(b.load.dropsOnTime + b.load.movesOnTime, b.load.dropsExpected + b.load.movesExpected), digits: 2 },
		{ metric: '  … stragglers arrived within (s)', muster: m.load.drainMs / 1_000, baseline: b.load.drainMs / 1_000 },
		{ metric: 'non-volatile delivered in the end (%)', muster: percent(m.load.dropsDelivered + m.load.movesDelivered, m.load.dropsExpected + m.load.movesExpected), baseline: percent(b.load.dropsDelivered + b.load.movesDelivered, b.load.dropsExpected + b.load.movesExpected), digits: 2, target: '100 %', ok: nonVolatile(m.load) === 1 },
		{ metric: 'connections dropped during the run', muster: dropped(m.load), baseline: dropped(b.load), digits: 0 },
		{ metric: 'servers A + B CPU (% of a core)', muster: cpuTotal(m), baseline: cpuTotal(b), compare: true, target: '≤ 100 % each', ok: m.servers.every((u) => u.cpuPercent <= 100) },
		...serverRows(m, b, ['A', 'B'])
	];
	const notes = [
		`rooms of ${params.roomSize} (one workspace each, members alternating between A and B); cursors at ${params.cursorHz} Hz; each client drops a note and moves page once per ${params.eventEveryMs / 1_000} s; Muster refused ${m.load.dropsRefused} drops, ${m.load.connectFailures} clients failed to connect; CPU window = ${params.seconds} s of sending + 3 s for deliveries to land`,
		`Muster disconnects: ${JSON.stringify(m.load.disconnects)}, ${m.load.reconnects} reconnected (${m.load.recovered} with Socket.IO's state recovery) and joined again; baseline closes: ${JSON.stringify(b.load.disconnects)}`,
		'cursors are volatile: Socket.IO drops one when the receiving websocket still has a frame in flight, and the Redis streams adapter hands over up to 100 broadcasts in one tick, so most of a batch is dropped by design',
		...warnings(m, b)
	];
	return { id: 5, title: `${clients} presence clients in rooms of ${params.roomSize}, cursors at ${params.cursorHz} Hz`, rows, notes, raw: { muster: m, baseline: b } };
}
