import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Database } from '../../db/client';
import { dryRuns } from '../../db/schema/dryrun';
import { Allocator, reasonOf, retextGapMs, type CandidateSend } from '../crusades/budgets';
import { ruleTable, rulesFor, type QuietRule } from '../crusades/quiet-hours';
import { toSchedule } from '../crusades/schedule';
import { recipientZone } from '../crusades/timezone';
import { CalendarBook, type Calendar } from '../crusades/windows';
import type { CampaignLead } from '../campaigns/lead';
import { compileStep, type ResolveContext, type StepAction } from '../campaigns/steps/registry';
import { BadInputError } from '../errors';
import { buildPool, pickSender } from '../numbers/routing';
import type { SenderNumber } from '../numbers/sender-number';
import { audienceCountQuery, firstPassQuery } from './first-pass';
import { dryRunInputSchema, type DryRunReason } from './input';
import { attachResultsTable, dropResultsTable, openResultsTable } from './results-table';
import { ResultsWriter } from './results-writer';

/**
 * The dry-run engine. SQL does the set-based first pass (first-pass.ts) and streams it through a
 * cursor in batches (the next batch is computed while Node works on this one). Leads it already
 * blocks (do-not-contact, consent, phone) go straight to the results COPY; the survivors get the
 * per-lead pass (zone, calendar, sender, rendered message); then one allocation over all of them
 * in lead-id order (caps and throttles are shared by the whole audience, so they cannot be decided
 * batch by batch), its settled rows streamed to the COPY step by step. The COPY runs on a second
 * connection into the run's own detached table (results-table.ts), attached only when complete:
 * a cancel or a failure drops it, so nothing half-done is ever read.
 */
export const BATCH = 20_000;
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

interface PassRow {
	id: string;
	first_name: string | null;
	last_name: string | null;
	full_name: string;
	email: string | null;
	street: string | null;
	city: string | null;
	state: string | null;
	zip: string | null;
	time_zone: string | null;
	m_state: string | null;
	m_zip: string | null;
	campaign: number;
	e164: string;
	type: string;
	area_code: string | null;
	last_sent_at: Date | null;
}

const dialect = new PgDialect();

class Cancelled extends Error {}

/** Per (states) key: the rules that bind and the retext gap they imply, computed once. */
interface RuleSet {
	rules: QuietRule[];
	gapMs: number;
	/** Calendars by zone list; `recipientZone` shares one frozen list per distinct answer, so identity is the key. */
	calendars: Map<readonly string[], Calendar>;
}

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
	const ruleSets = new Map<string, RuleSet>();
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
	try {
		writer = new ResultsWriter(writerClient, await openResultsTable(writerClient, runId), runId);
		const out = writer;
		await client.query('begin');
		// The phone sort of the first pass fits in memory at a million leads with this much.
		await client.query(`set local work_mem = '256MB'`);
		const counted = await time('sql: count the audience', () => db.execute<{ n: number }>(audienceCountQuery(workspaceId, config)));
		total = counted.rows[0]?.n ?? 0;
		await opts.onLog?.(`${total} leads in the audience`);
		await progress('reading', true);

		// A lead blocked in SQL or by the per-lead pass is written at once; the rest (candidates)
		// wait for the allocator, which needs all of them.
		let sqlBlockedCount = 0;
		let nodeCount = 0;
		const candidates: CandidateSend[] = [];
		const pending: { zone: string | null; sender: SenderNumber; variant: string; segments: number }[] = [];

		const pass = dialect.sqlToQuery(firstPassQuery(workspaceId, config));
		await client.query(`declare dry_cursor no scroll cursor for ${pass.sql}`, pass.params);
		const fetch = () => client.query<PassRow & { reasons: DryRunReason[] }>(`fetch ${BATCH} from dry_cursor`);
		let next = fetch();
		for (;;) {
			const batch = await time('sql: first pass, fetched in batches', () => next);
			if (batch.rows.length === 0) break;
			// Ask for the next batch now: Postgres computes it while Node works on this one.
			next = fetch();
			const t = performance.now();
			for (const r of batch.rows) {
				if (r.reasons.length > 0) {
					count(r.reasons);
					sqlBlockedCount++;
					out.add({ leadId: r.id, reasons: r.reasons, phone: r.e164 });
					continue;
				}
				nodeCount++;
				const zone = recipientZone({ state: r.state, zip: r.zip, mailing: r.m_state || r.m_zip ? { state: r.m_state, zip: r.m_zip } : null, timeZone: r.time_zone, areaCode: r.area_code });
				const statesKey = zone.states.join(',');
				let rs = ruleSets.get(statesKey);
				if (!rs) {
					const rules = rulesFor(zone.states, table);
					rs = { rules, gapMs: retextGapMs(config.budgets, config.vertical, rules), calendars: new Map() };
					ruleSets.set(statesKey, rs);
				}
				let calendar = rs.calendars.get(zone.zones);
				if (!calendar) {
					calendar = book.for(zone.zones, rs.rules);
					rs.calendars.set(zone.zones, calendar);
				}
				const route = pickSender({ leadId: r.id, areaCode: r.area_code, state: r.state ?? r.m_state }, pool_, sticky);
				const lead: CampaignLead = {
					id: r.id,
					firstName: r.first_name,
					lastName: r.last_name,
					fullName: r.full_name,
					email: r.email,
					street: r.street,
					city: r.city,
					state: r.state,
					zip: r.zip,
					timeZone: r.time_zone,
					phone: r.e164
				};
				const action = compiled[r.campaign]!(lead, contexts[r.campaign]!) as StepAction;
				let reasons: DryRunReason[] | null = null;
				let variant = '';
				let segments = 0;
				if (action.kind === 'send') {
					variant = action.variant;
					segments = action.segments.segments;
					for (const p of action.problems) {
						const reason: DryRunReason = p.code === 'too_many_segments' ? 'too_many_segments' : p.code === 'too_long' ? 'too_long' : 'missing_merge_value';
						reasons ??= [];
						if (!reasons.includes(reason)) reasons.push(reason);
					}
				}
				if (!route) (reasons ??= []).push('no_sender');
				if (reasons) {
					// Not allocated (it takes no capacity), but the window is still the lead's own to know.
					if (Number.isNaN(calendar.nextAllowed(notBefore))) reasons.push('outside_window');
					count(reasons);
					out.add({ leadId: r.id, reasons, phone: r.e164, zone: zone.zone, senderId: route?.number.id, senderE164: route?.number.e164, variant, segments });
					continue;
				}
				const n = route!.number;
				pending.push({ zone: zone.zone, sender: n, variant, segments });
				candidates.push({
					leadId: r.id,
					phone: r.e164,
					notBefore,
					calendar,
					senderId: n.id,
					brandId: n.brandId,
					campaignId: n.campaignId,
					senderDailyCap: n.dailyCap,
					gapMs: rs.gapMs,
					lastSentAt: r.last_sent_at ? new Date(r.last_sent_at).getTime() : null
				});
			}
			timings['node: per-lead pass'] = (timings['node: per-lead pass'] ?? 0) + performance.now() - t;
			done += batch.rows.length;
			await out.flush();
			await progress('reading');
			await checkCancelled();
		}
		await client.query('close dry_cursor');
		await client.query('commit');
		await opts.onLog?.(`${sqlBlockedCount} blocked in SQL (do-not-contact, consent, phone); ${nodeCount} through the per-lead pass`);

		await progress('allocating', true);
		let t = performance.now();
		// Lead-id order, whatever order the rows came in: ties in the allocator go by input order.
		const order = Array.from(candidates.keys()).sort((a, b) => (candidates[a]!.leadId < candidates[b]!.leadId ? -1 : 1));
		timings['node: sort by lead id'] = performance.now() - t;
		t = performance.now();
		const allocator = new Allocator(
			order.map((k) => candidates[k]!),
			config.budgets,
			{ until: schedule.endsAt, seed: config.seed }
		);
		let wouldSend = 0;
		// Settled a step at a time, each step's rows handed to Postgres before the next is computed.
		for (let settled = allocator.step(ALLOCATE_STEP); settled.length > 0; settled = allocator.step(ALLOCATE_STEP)) {
			for (const j of settled) {
				const k = order[j]!;
				const c = candidates[k]!;
				const p = pending[k]!;
				const reason = reasonOf(allocator.allocation, j);
				if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
				else wouldSend++;
				out.add({
					leadId: c.leadId,
					reasons: reason ? [reason] : [],
					phone: c.phone,
					zone: p.zone,
					slot: allocator.allocation.slots[j],
					senderId: p.sender.id,
					senderE164: p.sender.e164,
					variant: p.variant,
					segments: p.segments
				});
			}
			await out.flush();
		}
		timings['node: allocate, rows handed to COPY'] = performance.now() - t;
		await progress('writing', true);
		await time('sql: COPY results (the rest)', () => out.end());
		writer = null;
		await checkCancelled();
		await time('sql: primary key and attach', () => attachResultsTable(writerClient, runId));
		const blocked = total - wouldSend;
		done = total;
		await progress('done', true);
		const byReason = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
		await db
			.update(dryRuns)
			.set({ status: 'completed', total, done: total, wouldSend, blocked, reasonCounts: byReason, finishedAt: new Date() })
			.where(sql`${dryRuns.id} = ${runId} and ${dryRuns.status} = 'running'`);
		await opts.onLog?.(`done: ${wouldSend} would send, ${blocked} blocked`);
		return { status: 'completed', total, wouldSend, blocked, reasonCounts: byReason, timings };
	} catch (error) {
		await client.query('rollback').catch(() => {});
		writer?.abort();
		// The writer's COPY must have failed before its connection takes another command.
		await dropResultsTable(writerClient, runId).catch(() => {});
		if (error instanceof Cancelled) {
			await opts.onLog?.(`cancelled after ${done} of ${total} leads; no results kept`);
			return { status: 'cancelled', total, wouldSend: 0, blocked: 0, reasonCounts: {}, timings };
		}
		throw error;
	} finally {
		client.release();
		writerClient.release();
	}
}
