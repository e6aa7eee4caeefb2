/**
 * The benchmark's figures (issue 4), each overridable by environment so a quick smoke run is
 * one line: `BENCH_SCALE=0.1 BENCH_SECONDS=5 npm run bench:realtime`. Counts scale with
 * BENCH_SCALE; durations come from BENCH_SECONDS; BENCH_ONLY=1,3 runs some scenarios.
 */
function numberFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
	return value;
}

const scale = numberFrom('BENCH_SCALE', 1);
const scaled = (count: number, minimum = 2) => Math.max(minimum, Math.round(count * scale));
const roomSize = Math.round(numberFrom('BENCH_ROOM_SIZE', 10));

export const params = {
	scale,
	seconds: numberFrom('BENCH_SECONDS', 60),
	only: (process.env.BENCH_ONLY ?? '1,2,3,4,5')
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n) => n >= 1 && n <= 5),
	/** Scenario 1 and 2: editors on one document, typing this many characters a second each. */
	editorsSmall: Math.round(numberFrom('BENCH_EDITORS_SMALL', scaled(50))),
	editorsLarge: Math.round(numberFrom('BENCH_EDITORS_LARGE', scaled(200))),
	charsPerSecond: numberFrom('BENCH_CHARS_PER_SECOND', 5),
	/** How long typing may take to reach every peer after the last keystroke before it counts as lost. */
	drainMs: numberFrom('BENCH_DRAIN_MS', 60_000),
	/** Scenario 3: idle clients (a Yjs and a Socket.IO connection each) on one instance, in teams. */
	idleClients: Math.round(numberFrom('BENCH_IDLE', scaled(5_000, roomSize))),
	/** Clients connected before the "before" memory reading, so start-up costs are not counted per connection. */
	idleWarmup: Math.round(numberFrom('BENCH_IDLE_WARMUP', scaled(50, roomSize))),
	settleMs: numberFrom('BENCH_SETTLE_MS', 10_000),
	roomSize,
	/** Scenario 4: clients joining one document of about this many bytes at once. */
	joiners: Math.round(numberFrom('BENCH_JOINERS', scaled(100))),
	docBytes: Math.round(numberFrom('BENCH_DOC_BYTES', 1024 * 1024)),
	/** Scenario 5: presence clients in rooms of `roomSize`, cursors at this rate, one drop and one move per client per `eventEveryMs`. */
	presenceClients: Math.round(numberFrom('BENCH_PRESENCE', scaled(1_000, roomSize)) / roomSize) * roomSize,
	cursorHz: numberFrom('BENCH_CURSOR_HZ', 10),
	eventEveryMs: numberFrom('BENCH_EVENT_EVERY_MS', 10_000),
	/** Write a V8 CPU profile of each Muster instance to bench/results/profiles. */
	cpuProfile: process.env.BENCH_CPU_PROF === '1',
	/**
	 * Niceness for the servers and the load generator (e.g. -10, as root), so other work on a
	 * shared machine cannot starve them. Unset: the default priority, like everything else.
	 */
	nice: process.env.BENCH_NICE ? Math.round(Number(process.env.BENCH_NICE)) : null,
	keepDatabase: process.env.BENCH_KEEP_DB === '1'
};

export type Params = typeof params;
