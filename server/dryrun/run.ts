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
import { firstPassQuery } from './first-pass';
import { dryRunInputSchema, type DryRunReason } from './input';

/**
 * The dry-run engine. SQL does the set-based first pass (first-pass.ts) into a temporary table;
 * the leads it already blocks are written to `dry_run_results` by one INSERT … SELECT; the
 * survivors stream to Node through a cursor in batches for the per-lead pass (zone, calendar,
 * sender, rendered message); then one `allocate` over all of them (caps and throttles are shared
 * by the whole audience, so they cannot be decided batch by batch), and COPY writes the rows.
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
		await client.query(`set local work_mem = '64MB'`);
		await client.query('delete from dry_run_results where run_id = $1', [runId]);
		const pass = dialect.sqlToQuery(firstPassQuery(workspaceId, config));
		await time('sql: first pass into a temporary table', () => client.query(`create temp table dry_pass on commit drop as ${pass.sql}`, pass.params));
		const blockedInSql = await time('sql: write blocked rows', () =>
			client.query(
				`insert into dry_run_results (run_id, lead_id, outcome, reasons, phone)
				 select $1, id, 'blocked', reasons, e164 from dry_pass where cardinality(reasons) > 0`,
				[runId]
			)
		);
		const counted = await client.query<{ n: number }>('select count(*)::int as n from dry_pass');
		total = counted.rows[0]?.n ?? 0;
		done = blockedInSql.rowCount ?? 0;
		await opts.onLog?.(`${total} leads in the audience; ${done} blocked in SQL (do-not-contact, consent, phone)`);
		await progress('reading', true);

		// The per-lead pass, in batches through a cursor.
		const leadIds: string[] = [];
		const phones: string[] = [];
		const zones: (string | null)[] = [];
		const senderOf: (SenderNumber | null)[] = [];
		const variants: string[] = [];
		const segments: number[] = [];
		const nodeReasons: (DryRunReason[] | null)[] = [];
		const candidates: CandidateSend[] = [];
		const candidateRow: number[] = [];
		let ordered = true;

		await client.query(`declare dry_cursor no scroll cursor for select * from dry_pass where cardinality(reasons) = 0`);
		for (;;) {
			const batch = await time('sql: fetch survivors', () => client.query<PassRow>(`fetch ${BATCH} from dry_cursor`));
			if (batch.rows.length === 0) break;
			const t = performance.now();
			for (const r of batch.rows) {
				const row = leadIds.length;
				if (row > 0 && r.id < leadIds[row - 1]!) ordered = false;
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
			timings['node: per-lead pass'] = (timings['node: per-lead pass'] ?? 0) + performance.now() - t;
			done += batch.rows.length;
			await progress('reading');
			await checkCancelled();
		}
		await client.query('close dry_cursor');
		if (!ordered) throw new Error('first pass rows arrived out of lead order');

		await progress('allocating', true);
		const t = performance.now();
		const allocation = allocate(candidates, config.budgets, { until: schedule.endsAt, seed: config.seed });
		timings['node: allocate'] = performance.now() - t;
		const slots = new Float64Array(leadIds.length).fill(NaN);
		for (let k = 0; k < candidates.length; k++) {
			const row = candidateRow[k]!;
			const reason = reasonOf(allocation, k);
			if (reason) nodeReasons[row] = [reason];
			else slots[row] = allocation.slots[k]!;
		}
		await checkCancelled();

		// Write the Node-side rows with COPY, in batches.
		const counts: Record<string, number> = {};
		let wouldSend = 0;
		await time('sql: COPY results', async () => {
			const stream = client.query(copyFrom(`copy dry_run_results (run_id, lead_id, outcome, reasons, phone, zone, slot_at, sender_id, sender_e164, variant, segments) from stdin`));
			const finished = new Promise<void>((resolve, reject) => {
				stream.on('finish', resolve);
				stream.on('error', reject);
			});
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
		const sqlCounts = await client.query<{ reason: string; n: number }>(`select unnest(reasons) as reason, count(*)::int as n from dry_pass group by 1`);
		for (const { reason, n } of sqlCounts.rows) counts[reason] = (counts[reason] ?? 0) + n;
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
