import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/client';
import { dryRuns } from '../../db/schema/dryrun';
import { allocate, reasonOf, retextGapMs, type CandidateSend } from '../crusades/budgets';
import { ruleTable, rulesFor, type QuietRule } from '../crusades/quiet-hours';
import { toSchedule } from '../crusades/schedule';
import { recipientZone } from '../crusades/timezone';
import { CalendarBook, type Calendar } from '../crusades/windows';
import type { CampaignLead } from '../campaigns/lead';
import { compileStep, type ResolveContext, type StepAction } from '../campaigns/steps/registry';
import { BadInputError } from '../errors';
import { buildPool, pickSender } from '../numbers/routing';
import type { SenderNumber } from '../numbers/sender-number';
import { copyArray, copyField } from './copy-text';
import { audienceCountQuery, firstPassQuery } from './first-pass';
import { dryRunInputSchema, type DryRunReason } from './input';

/**
 * The dry-run engine. SQL does the set-based first pass (first-pass.ts) and streams it through a
 * cursor in batches (the next batch is computed while Node works on this one). Leads it already
 * blocks (do-not-contact, consent, phone) pass straight into the COPY text; the survivors get the
 * per-lead pass (zone, calendar, sender, rendered message); then one `allocate` over all of them
 * in lead-id order (caps and throttles are shared by the whole audience, so they cannot be decided
 * batch by batch), and one COPY writes every row, all in one transaction (a cancel keeps nothing).
 */
export const BATCH = 20_000;

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
	const client = await pool.connect();
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

	try {
		await client.query('begin');
		// The phone sort of the first pass fits in memory at a million leads with this much.
		await client.query(`set local work_mem = '256MB'`);
		await client.query('delete from dry_run_results where run_id = $1', [runId]);
		const counted = await time('sql: count the audience', () => db.execute<{ n: number }>(audienceCountQuery(workspaceId, config)));
		total = counted.rows[0]?.n ?? 0;
		await opts.onLog?.(`${total} leads in the audience`);
		await progress('reading', true);

		// Leads SQL already blocked go straight to the COPY text; the rest get the per-lead pass.
		const sqlBlocked: string[] = [];
		let sqlBlockedCount = 0;
		const leadIds: string[] = [];
		const phones: string[] = [];
		const zones: (string | null)[] = [];
		const senderOf: (SenderNumber | null)[] = [];
		const variants: string[] = [];
		const segments: number[] = [];
		const nodeReasons: (DryRunReason[] | null)[] = [];
		const candidates: CandidateSend[] = [];
		const candidateRow: number[] = [];

		const pass = dialect.sqlToQuery(firstPassQuery(workspaceId, config));
		await client.query(`declare dry_cursor no scroll cursor for ${pass.sql}`, pass.params);
		const fetch = () => client.query<PassRow & { reasons: DryRunReason[] }>(`fetch ${BATCH} from dry_cursor`);
		let pending = fetch();
		for (;;) {
			const batch = await time('sql: first pass, fetched in batches', () => pending);
			if (batch.rows.length === 0) break;
			// Ask for the next batch now: Postgres computes it while Node works on this one.
			pending = fetch();
			const t = performance.now();
			let chunk = '';
			for (const r of batch.rows) {
				if (r.reasons.length > 0) {
					chunk += `${runId}\t${r.id}\tblocked\t${copyArray(r.reasons)}\t${copyField(r.e164)}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
					for (const reason of r.reasons) counts[reason] = (counts[reason] ?? 0) + 1;
					sqlBlockedCount++;
					continue;
				}
				const row = leadIds.length;
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
				if (action.kind === 'send') {
					variants.push(action.variant);
					segments.push(action.segments.segments);
					for (const p of action.problems) {
						const reason: DryRunReason = p.code === 'too_many_segments' ? 'too_many_segments' : p.code === 'too_long' ? 'too_long' : 'missing_merge_value';
						reasons ??= [];
						if (!reasons.includes(reason)) reasons.push(reason);
					}
				} else {
					variants.push('');
					segments.push(0);
				}
				if (!route) (reasons ??= []).push('no_sender');
				leadIds.push(r.id);
				phones.push(r.e164);
				zones.push(zone.zone);
				senderOf.push(route?.number ?? null);
				if (reasons) {
					// Not allocated (it takes no capacity), but the window is still the lead's own to know.
					if (Number.isNaN(calendar.nextAllowed(notBefore))) reasons.push('outside_window');
					nodeReasons.push(reasons);
				} else {
					nodeReasons.push(null);
					const n = route!.number;
					candidateRow.push(row);
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
			}
			if (chunk) sqlBlocked.push(chunk);
			timings['node: per-lead pass'] = (timings['node: per-lead pass'] ?? 0) + performance.now() - t;
			done += batch.rows.length;
			await progress('reading');
			await checkCancelled();
		}
		await client.query('close dry_cursor');
		await opts.onLog?.(`${sqlBlockedCount} blocked in SQL (do-not-contact, consent, phone); ${leadIds.length} through the per-lead pass`);

		await progress('allocating', true);
		let t = performance.now();
		// Lead-id order, whatever order the rows came in: ties in the allocator go by input order.
		const order = Array.from(candidates.keys()).sort((a, b) => (candidates[a]!.leadId < candidates[b]!.leadId ? -1 : 1));
		timings['node: sort by lead id'] = performance.now() - t;
		t = performance.now();
		const allocation = allocate(
			order.map((k) => candidates[k]!),
			config.budgets,
			{ until: schedule.endsAt, seed: config.seed }
		);
		timings['node: allocate'] = performance.now() - t;
		const slots = new Float64Array(leadIds.length).fill(NaN);
		for (let j = 0; j < order.length; j++) {
			const k = order[j]!;
			const row = candidateRow[k]!;
			const reason = reasonOf(allocation, j);
			if (reason) nodeReasons[row] = [reason];
			else slots[row] = allocation.slots[j]!;
		}
		await checkCancelled();

		// Write the Node-side rows with COPY, in batches.
		let wouldSend = 0;
		await time('sql: COPY results', async () => {
			const stream = client.query(copyFrom(`copy dry_run_results (run_id, lead_id, outcome, reasons, phone, zone, slot_at, sender_id, sender_e164, variant, segments) from stdin`));
			const finished = new Promise<void>((resolve, reject) => {
				stream.on('finish', resolve);
				stream.on('error', reject);
			});
			for (const blockedChunk of sqlBlocked.splice(0)) if (!stream.write(blockedChunk)) await new Promise((resolve) => stream.once('drain', resolve));
			let chunk = '';
			for (let row = 0; row < leadIds.length; row++) {
				const reasons = nodeReasons[row];
				const sender = senderOf[row];
				const slot = slots[row]!;
				if (reasons) for (const r of reasons) counts[r] = (counts[r] ?? 0) + 1;
				else wouldSend++;
				chunk += `${runId}\t${leadIds[row]}\t${reasons ? 'blocked' : 'send'}\t${copyArray(reasons ?? [])}\t${copyField(phones[row])}\t${copyField(zones[row])}\t${
					Number.isNaN(slot) ? '\\N' : new Date(slot).toISOString()
				}\t${copyField(sender?.id)}\t${copyField(sender?.e164)}\t${copyField(variants[row])}\t${segments[row]}\n`;
				if (chunk.length > 1 << 20) {
					if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
					chunk = '';
				}
			}
			stream.end(chunk);
			await finished;
		});
		await checkCancelled();
		await client.query('commit');
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
		if (error instanceof Cancelled) {
			await opts.onLog?.(`cancelled after ${done} of ${total} leads; no results kept`);
			return { status: 'cancelled', total, wouldSend: 0, blocked: 0, reasonCounts: {}, timings };
		}
		throw error;
	} finally {
		client.release();
	}
}
