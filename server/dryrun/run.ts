import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Database } from '../../db/client';
import { dryRuns } from '../../db/schema/dryrun';
import { Allocator, BLOCK_REASONS, reasonOf } from '../crusades/budgets';
import { unitHash } from '../crusades/jitter';
import { ruleTable } from '../crusades/quiet-hours';
import { toSchedule } from '../crusades/schedule';
import { CalendarBook } from '../crusades/windows';
import { compileStep, type ResolveContext } from '../campaigns/steps/registry';
import { BadInputError } from '../errors';
import { buildPool } from '../numbers/routing';
import type { SenderNumber } from '../numbers/sender-number';
import { BestPhones, PhoneFlag, phoneFlags } from './best-phones';
import { uuidKey } from './table-keys';
import { Candidates, ID_LENGTH } from './candidates';
import { copyArray } from './copy-text';
import { audienceSizeQuery, LEAD_COLUMNS, leadsQuery, PASS, PASS_COLUMNS, PHONE, PHONE_COLUMNS, phonesQuery } from './first-pass';
import { dryRunInputSchema, type DryRunReason } from './input';
import { campaignCooldownsMs, LeadPass } from './lead-pass';
import { CopyLine, inlineQuery, readCopy } from './pass-reader';
import { attachResultsTable, dropResultsTable, openResultsTable } from './results-table';
import { ResultsWriter } from './results-writer';

/**
 * The dry-run engine. The first pass (first-pass.ts) streams as COPY text in one snapshot: the
 * audience's phones, from which Node keeps each lead's best (best-phones.ts), then the audience's
 * leads. Leads it already blocks (do-not-contact, consent, phone) go straight to the results
 * COPY; the survivors get the per-lead pass (zone, calendar, sender, rendered message); then one
 * allocation over all of them in lead-id order (caps and throttles are shared by the whole
 * audience, so they cannot be decided lead by lead), its settled rows streamed to the COPY step
 * by step. The COPY runs on a second connection into the run's own detached table
 * (results-table.ts), attached only when complete: a cancel or a failure drops it, so nothing
 * half-done is ever read.
 */
/** Time between two looks at whether the run was cancelled (one round trip each). */
const CANCEL_CHECK_MS = 1_000;
/** Sends the allocator settles between two hand-overs to Postgres. */
const ALLOCATE_STEP = 20_000;

export interface DryRunProgress {
	phase: 'reading' | 'allocating' | 'writing' | 'done';
	done: number;
	total: number;
	rowsPerSecond: number;
	/** Seconds left at the current rate; null until there is a rate. */
	etaSeconds: number | null;
}

export interface RunOptions {
	db: Database;
	pool: pg.Pool;
	runId: string;
	onProgress?: (p: DryRunProgress) => Promise<void> | void;
	onLog?: (line: string) => Promise<void> | void;
	/** Minimum time between progress events (the last one always goes). */
	progressEveryMs?: number;
}

export interface RunOutcome {
	status: 'completed' | 'cancelled';
	total: number;
	wouldSend: number;
	blocked: number;
	reasonCounts: Record<string, number>;
	/** Where the time went, in ms, for the benchmark. */
	timings: Record<string, number>;
}

class Cancelled extends Error {}

const dialect = new PgDialect();

/** Each allocator reason as a one-element text[] literal. */
const REASON_TEXT = Object.fromEntries(BLOCK_REASONS.map((r) => [r, copyArray([r])])) as Record<(typeof BLOCK_REASONS)[number], string>;

/**
 * The reasons the first pass decides from a lead and its best phone, in the order a result row
 * lists them, as bits; every combination's list and text[] literal made once.
 */
const FIRST_PASS_REASONS = ['dnc', 'no_consent', 'no_phone', 'invalid_phone', 'landline'] as const satisfies readonly DryRunReason[];
const Bit = { dnc: 1, no_consent: 2, no_phone: 4, invalid_phone: 8, landline: 16 } as const;
const REASON_SETS = Array.from({ length: 32 }, (_, bits) => {
	const list: DryRunReason[] = FIRST_PASS_REASONS.filter((r) => (bits & Bit[r]) !== 0);
	return { list, text: copyArray(list) };
});

export async function runDryRun(opts: RunOptions): Promise<RunOutcome> {
	const { db, pool, runId } = opts;
	const [run] = await db.select().from(dryRuns).where(eq(dryRuns.id, runId));
	if (!run) throw new BadInputError('This dry-run does not exist.');
	const config = dryRunInputSchema.parse(run.input);
	const workspaceId = run.workspaceId;
	const timings: Record<string, number> = {};
	const time = async <T>(key: string, f: () => Promise<T>): Promise<T> => {
		const t = performance.now();
		try {
			return await f();
		} finally {
			timings[key] = (timings[key] ?? 0) + performance.now() - t;
		}
	};

	// Everything shared by the audience, prepared once.
	const schedule = toSchedule(config.schedule);
	const now = config.now ? Date.parse(config.now) : (run.startedAt ?? new Date()).getTime();
	const notBefore = Math.max(now, schedule.startsAt);
	const book = new CalendarBook(schedule, notBefore);
	const table = ruleTable(config.stateRules);
	const senders: SenderNumber[] = config.senders.map((s) => ({ ...s }));
	const pool_ = buildPool(senders);
	// No send log yet: nobody has a sticky sender. The sender will fill this from its routes.
	const sticky = new Map<string, string>();
	const compiled = config.campaigns.map((c) => {
		const step = compileStep(c.firstStep, { channel: c.channel });
		if (!step.ok) throw new BadInputError(`Campaign "${c.name || c.id}": its first message is not valid (${step.issues.map((i) => i.message).join(' ')})`);
		return step.resolve;
	});
	const contexts: ResolveContext[] = config.campaigns.map((c) => ({
		stepId: c.firstStep.id,
		now: new Date(notBefore),
		channel: c.channel,
		sender: { senderName: c.senderName ?? null, companyName: c.companyName ?? null },
		nextWindowStart: () => null
	}));

	const counts: Record<string, number> = {};
	const count = (reasons: readonly DryRunReason[]) => {
		for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
	};
	const client = await pool.connect();
	const writerClient = await pool.connect();
	const started = performance.now();
	let lastEvent = 0;
	let total = 0;
	let done = 0;
	const every = opts.progressEveryMs ?? 500;
	const progress = async (phase: DryRunProgress['phase'], force = false) => {
		const t = performance.now();
		if (!force && t - lastEvent < every) return;
		lastEvent = t;
		const rps = done / Math.max((t - started) / 1000, 0.001);
		const etaSeconds = done > 0 && phase !== 'done' ? Math.max(0, Math.round((total - done) / rps)) : phase === 'done' ? 0 : null;
		await db.update(dryRuns).set({ done, total }).where(eq(dryRuns.id, runId));
		await opts.onProgress?.({ phase, done, total, rowsPerSecond: Math.round(rps), etaSeconds });
	};
	const checkCancelled = async () => {
		const [row] = await db.select({ status: dryRuns.status }).from(dryRuns).where(eq(dryRuns.id, runId));
		if (row?.status === 'cancelled') throw new Cancelled();
	};

	let writer: ResultsWriter | null = null;
	/** While the first pass's COPY is being read, the reading connection can only be thrown away. */
	let midCopy = false;
	try {
		writer = new ResultsWriter(writerClient, await openResultsTable(writerClient, runId));
		const out = writer;
		// One snapshot for both streams of the first pass.
		await client.query('begin isolation level repeatable read read only');
		// The first pass's parameters are written into its text (COPY takes none) as standard strings.
		await client.query(`set local standard_conforming_strings = on`);
		await client.query(`set local work_mem = '64MB'`);
		// Compiling the streams' plain expressions took ~100 ms per query before its first row,
		// for no gain on expressions this simple.
		await client.query(`set local jit = off`);
		const size = await time('sql: count the audience', async () => {
			const q = dialect.sqlToQuery(audienceSizeQuery(workspaceId, config));
			return (await client.query<{ n: number; workspace: number }>(q.sql, q.params)).rows[0];
		});
		total = size?.n ?? 0;
		const phoneScope = total * 2 >= (size?.workspace ?? 0) ? 'workspace' : 'audience';
		await opts.onLog?.(`${total} leads in the audience`);
		await progress('reading', true);

		// A lead blocked by the first pass or by the per-lead pass is written at once; the rest
		// (candidates) wait for the allocator, which needs all of them.
		let firstPassBlocked = 0;
		let nodeCount = 0;
		const candidates = new Candidates(total);
		const leadPass = new LeadPass({ cooldownMs: campaignCooldownsMs(config), notBefore, book, ruleTable: table, pool: pool_, sticky, compiled, contexts });
		const jitterOn = config.budgets.jitterSeconds > 0;
		// One entry per lead that has a phone: at most the leads the phone stream covers.
		const best = new BestPhones(phoneScope === 'workspace' ? (size?.workspace ?? total) : total);
		let lastCheck = performance.now();
		const onPhone = (line: CopyLine) => {
			const raw = line.raw;
			const e164 = raw[PHONE.e164]!;
			const lastSent = raw[PHONE.last_sent_ms]!;
			best.offer(raw[PHONE.lead_id]!, e164, raw[PHONE.area_code]!, phoneFlags(e164, raw[PHONE.type]!, raw[PHONE.dnc] === 't'), Number(raw[PHONE.created]), lastSent === '\\N' ? NaN : Number(lastSent));
		};
		const onRow = (line: CopyLine) => {
			const raw = line.raw;
			// Computed once: the best-phone lookup and the allocator's lead-id order both use it.
			const key = uuidKey(raw[PASS.id]!);
			const entry = best.find(raw[PASS.id]!, key);
			let bits = config.requireConsent && raw[PASS.no_consent] === 't' ? Bit.no_consent : 0;
			if (entry < 0) bits |= Bit.no_phone;
			else {
				const flags = best.flagsOf(entry);
				if (flags & PhoneFlag.Dnc) bits |= Bit.dnc;
				if (flags & PhoneFlag.Invalid) bits |= Bit.invalid_phone;
				if (flags & PhoneFlag.Landline) bits |= Bit.landline;
			}
			// The phone as the writer takes it: digits, or -1 and its COPY text (\N for none).
			const digits = entry < 0 ? -1 : best.digitsOf(entry);
			if (bits !== 0) {
				const reasons = REASON_SETS[bits]!;
				count(reasons.list);
				firstPassBlocked++;
				out.addBlocked(raw[PASS.id]!, reasons.text, digits, digits < 0 && entry >= 0 ? best.e164Of(entry) : '\\N');
				return;
			}
			nodeCount++;
			// Only here, for the per-lead pass, is the phone made a string again.
			const phone = (raw[PASS.e164] = best.e164Of(entry));
			raw[PASS.area_code] = best.areaCodeOf(entry);
			const leadId = raw[PASS.id]!;
			const v = leadPass.visit(line, leadId);
			if (v.reasons) {
				count(v.reasons);
				const sender = v.sender >= 0 ? leadPass.senders[v.sender]! : null;
				out.add(leadId, copyArray(v.reasons), digits, phone, v.place.zoneText, NaN, sender?.idText ?? '\\N', sender?.e164Text ?? '\\N', v.variant, v.segments);
				return;
			}
			const lastSent = best.lastSentOf(entry);
			const place = v.place;
			candidates.add(
				leadId,
				key,
				digits,
				phone,
				jitterOn ? unitHash(config.seed, leadId) : 0,
				notBefore,
				place.calendarIndex,
				v.sender,
				v.gapMs,
				Number.isNaN(lastSent) ? NaN : Math.floor(lastSent),
				place.index,
				v.variant,
				v.segments
			);
		};
		const onChunk = async (rows: number) => {
			done = rows;
			await out.flush();
			await progress('reading');
			if (performance.now() - lastCheck >= CANCEL_CHECK_MS) {
				lastCheck = performance.now();
				await checkCancelled();
			}
		};
		let readStarted = performance.now();
		midCopy = true;
		const phones = await readCopy(client, inlineQuery(phonesQuery(workspaceId, config, phoneScope)), PHONE_COLUMNS.length, onPhone, async () => {});
		midCopy = false;
		timings['node: phone rows (best phone per lead)'] = phones.rowsMs;
		timings['sql: phones, waiting'] = performance.now() - readStarted - phones.rowsMs;
		await opts.onLog?.(`${phones.rows} phones read; ${best.size} leads have one`);
		await checkCancelled();
		readStarted = performance.now();
		midCopy = true;
		const read = await readCopy(client, inlineQuery(leadsQuery(workspaceId, config)), LEAD_COLUMNS.length, onRow, onChunk, new CopyLine(PASS_COLUMNS.length));
		midCopy = false;
		timings['node: lead rows (split, per-lead pass, blocked rows to COPY)'] = read.rowsMs;
		timings['sql: leads, waiting and progress'] = performance.now() - readStarted - read.rowsMs;
		await client.query('commit');
		await checkCancelled();
		await opts.onLog?.(`${firstPassBlocked} blocked by the first pass (do-not-contact, consent, phone); ${nodeCount} through the per-lead pass`);

		await progress('allocating', true);
		let t = performance.now();
		const allocator = new Allocator(candidates.columns(leadPass.calendars, leadPass.senders), config.budgets, { until: schedule.endsAt, seed: config.seed });
		timings['node: allocator setup (earliest instants, order)'] = performance.now() - t;
		const { slots } = allocator.allocation;
		const ids = candidates.idBytes;
		const { phoneDigits, variants, variantStart } = candidates;
		let wouldSend = 0;
		let settling = 0;
		let writing = 0;
		// Settled a step at a time, each step's rows handed to Postgres before the next is computed.
		for (;;) {
			t = performance.now();
			const settled = allocator.step(ALLOCATE_STEP);
			settling += performance.now() - t;
			if (settled.length === 0) break;
			t = performance.now();
			for (const j of settled) {
				const reason = reasonOf(allocator.allocation, j);
				if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
				else wouldSend++;
				const sender = leadPass.senders[candidates.sender[j]!]!;
				const place = leadPass.placeList[candidates.place[j]!]!;
				const digits = phoneDigits[j]!;
				out.addFrom(ids, j * ID_LENGTH, reason ? REASON_TEXT[reason] : '{}', digits, digits < 0 ? candidates.oddPhones.get(j)! : '', place.zoneText, slots[j]!, sender.idText, sender.e164Text, variants, variantStart[j]!, variantStart[j + 1]!, candidates.segments[j]!);
			}
			writing += performance.now() - t;
			await out.flush();
		}
		timings['node: allocate (settle each send)'] = settling;
		timings['node: scheduled rows to COPY'] = writing;
		await progress('writing', true);
		await time('sql: COPY results (the rest)', () => out.end());
		writer = null;
		await checkCancelled();
		await time('sql: primary key and attach', () => attachResultsTable(writerClient, runId));
		const blocked = total - wouldSend;
		done = total;
		await progress('done', true);
		const byReason = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
		// Logged before the status changes: a page that sees the run finished then reads the
		// stored log once more and finds this line (job-follower).
		await opts.onLog?.(`done: ${wouldSend} would send, ${blocked} blocked`);
		await db
			.update(dryRuns)
			.set({ status: 'completed', total, done: total, wouldSend, blocked, reasonCounts: byReason, finishedAt: new Date() })
			.where(sql`${dryRuns.id} = ${runId} and ${dryRuns.status} = 'running'`);
		return { status: 'completed', total, wouldSend, blocked, reasonCounts: byReason, timings };
	} catch (error) {
		if (!midCopy) await client.query('rollback').catch(() => {});
		writer?.abort();
		// The writer's COPY must have failed before its connection takes another command.
		await dropResultsTable(writerClient, runId).catch(() => {});
		if (error instanceof Cancelled) {
			await opts.onLog?.(`cancelled after ${done} of ${total} leads; no results kept`);
			return { status: 'cancelled', total, wouldSend: 0, blocked: 0, reasonCounts: {}, timings };
		}
		throw error;
	} finally {
		client.release(midCopy ? new Error('dry-run stopped mid-read') : undefined);
		writerClient.release();
	}
}
