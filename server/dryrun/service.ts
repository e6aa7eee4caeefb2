import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { dryRunResults, dryRuns, type DryRunOutcome, type DryRunStatus } from '../../db/schema/dryrun';
import { leads } from '../../db/schema/leads';
import { enqueue } from '../../jobs/enqueue';
import { queue } from '../../jobs/connection';
import { listJobEvents } from '../../jobs/job-events';
import { compileStep } from '../campaigns/steps/registry';
import { BadInputError, ConflictError, NotFoundError } from '../errors';
import { dryRunInputSchema, DRY_RUN_REASONS, REASON_TEXT, type DryRunInput, type DryRunReason } from './input';

/** Dry-runs as the API sees them: start, follow, read, explain, export, cancel. */

export interface DryRunSummary {
	id: string;
	source: string | null;
	status: DryRunStatus;
	total: number | null;
	done: number;
	wouldSend: number;
	blocked: number;
	/** Leads per reason, every reason listed (0 when none). */
	reasonCounts: Record<DryRunReason, number>;
	error: string | null;
	createdAt: Date;
	startedAt: Date | null;
	finishedAt: Date | null;
}

export interface DryRunRow {
	leadId: string;
	fullName: string;
	outcome: DryRunOutcome;
	reasons: DryRunReason[];
	phone: string | null;
	zone: string | null;
	slotAt: Date | null;
	senderE164: string | null;
	variant: string | null;
	segments: number | null;
}

function summary(row: typeof dryRuns.$inferSelect): DryRunSummary {
	const counts = Object.fromEntries(DRY_RUN_REASONS.map((r) => [r, row.reasonCounts[r] ?? 0])) as Record<DryRunReason, number>;
	return {
		id: row.id,
		source: row.source,
		status: row.status,
		total: row.total,
		done: row.done,
		wouldSend: row.wouldSend,
		blocked: row.blocked,
		reasonCounts: counts,
		error: row.error,
		createdAt: row.createdAt,
		startedAt: row.startedAt,
		finishedAt: row.finishedAt
	};
}

async function runRow(db: Database, workspaceId: string, runId: string) {
	const [row] = await db
		.select()
		.from(dryRuns)
		.where(and(eq(dryRuns.id, runId), eq(dryRuns.workspaceId, workspaceId)));
	if (!row) throw new NotFoundError('This dry-run does not exist in this workspace.');
	return row;
}

/** Checks the input (steps compile) and queues the run; the job id is the run id. */
export async function startDryRun(db: Database, workspaceId: string, userId: string | null, input: DryRunInput): Promise<DryRunSummary> {
	const parsed = dryRunInputSchema.safeParse(input);
	if (!parsed.success) throw new BadInputError(`The dry-run input is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
	for (const c of parsed.data.campaigns) {
		const step = compileStep(c.firstStep, { channel: c.channel });
		if (!step.ok) throw new BadInputError(`Campaign "${c.name || c.id}": ${step.issues.map((i) => i.message).join(' ')}`);
	}
	const [row] = await db
		.insert(dryRuns)
		.values({ workspaceId, source: parsed.data.source, input: parsed.data as unknown as Record<string, unknown>, createdBy: userId })
		.returning();
	if (!row) throw new Error('dry-run insert returned nothing');
	await enqueue('dryrun', 'run', { runId: row.id }, { jobId: row.id, attempts: 2 });
	return summary(row);
}

export async function getDryRun(db: Database, workspaceId: string, runId: string): Promise<DryRunSummary> {
	return summary(await runRow(db, workspaceId, runId));
}

/** The newest runs, optionally only those whose source starts with `sourcePrefix` (one crusade's). */
export async function listDryRuns(db: Database, workspaceId: string, limit = 20, sourcePrefix?: string): Promise<DryRunSummary[]> {
	const where = sourcePrefix
		? and(eq(dryRuns.workspaceId, workspaceId), sql`starts_with(${dryRuns.source}, ${sourcePrefix})`)
		: eq(dryRuns.workspaceId, workspaceId);
	const rows = await db.select().from(dryRuns).where(where).orderBy(desc(dryRuns.createdAt)).limit(limit);
	return rows.map(summary);
}

/** Stops a queued or running dry-run; a running one stops at its next batch and keeps nothing. */
export async function cancelDryRun(db: Database, workspaceId: string, runId: string): Promise<DryRunSummary> {
	const row = await runRow(db, workspaceId, runId);
	if (row.status !== 'queued' && row.status !== 'running') throw new ConflictError(`This dry-run is ${row.status}; it cannot be cancelled.`);
	await db
		.update(dryRuns)
		.set({ status: 'cancelled', finishedAt: new Date() })
		.where(and(eq(dryRuns.id, runId), sql`${dryRuns.status} in ('queued', 'running')`));
	const job = await queue('dryrun').getJob(runId);
	if (job && (await job.isWaiting())) await job.remove().catch(() => {});
	return getDryRun(db, workspaceId, runId);
}

export async function dryRunEvents(db: Database, workspaceId: string, runId: string, afterId = 0) {
	await runRow(db, workspaceId, runId);
	return listJobEvents(db, 'dryrun', runId, afterId);
}

export const resultsQuerySchema = z.object({
	outcome: z.enum(['send', 'blocked']).optional(),
	reason: z.enum(DRY_RUN_REASONS).optional(),
	/** The last lead id of the previous page. */
	after: z.uuid().nullish(),
	limit: z.number().int().min(1).max(5_000).default(50)
});
export type ResultsQuery = z.input<typeof resultsQuerySchema>;

/** A keyset page of results by lead id, filtered by outcome and/or one reason. */
export async function dryRunResultsPage(db: Database, workspaceId: string, runId: string, query: ResultsQuery): Promise<{ rows: DryRunRow[]; nextAfter: string | null }> {
	await runRow(db, workspaceId, runId);
	return resultsPage(db, runId, resultsQuerySchema.parse(query));
}

async function resultsPage(db: Database, runId: string, q: z.output<typeof resultsQuerySchema>): Promise<{ rows: DryRunRow[]; nextAfter: string | null }> {
	const parts = [sql`r.run_id = ${runId}`];
	if (q.outcome) parts.push(sql`r.outcome = ${q.outcome}`);
	if (q.reason) parts.push(sql`r.reasons @> array[${q.reason}]::text[]`);
	if (q.after) parts.push(sql`r.lead_id > ${q.after}::uuid`);
	const result = await db.execute<{
		lead_id: string;
		full_name: string | null;
		outcome: DryRunOutcome;
		reasons: DryRunReason[];
		phone: string | null;
		zone: string | null;
		slot_at: string | null;
		sender_e164: string | null;
		variant: string | null;
		segments: number | null;
	}>(sql`select r.lead_id, l.full_name, r.outcome, r.reasons, r.phone, r.zone, r.slot_at, r.sender_e164, r.variant, r.segments
		from dry_run_results r left join leads l on l.id = r.lead_id
		where ${sql.join(parts, sql` and `)} order by r.lead_id limit ${q.limit + 1}`);
	const more = result.rows.length > q.limit;
	const rows = (more ? result.rows.slice(0, q.limit) : result.rows).map((r) => ({
		leadId: r.lead_id,
		fullName: r.full_name ?? '',
		outcome: r.outcome,
		reasons: r.reasons,
		phone: r.phone,
		zone: r.zone,
		slotAt: r.slot_at ? new Date(r.slot_at) : null,
		senderE164: r.sender_e164,
		variant: r.variant,
		segments: r.segments
	}));
	return { rows, nextAfter: more ? (rows.at(-1)?.leadId ?? null) : null };
}

export interface LeadExplanation extends DryRunRow {
	/** One sentence per reason, in words; for a send, one sentence saying when, from where and what. */
	lines: string[];
}

/** One lead's fate in words: every reason it is blocked, or when and how it would be texted. */
export async function explainLead(db: Database, workspaceId: string, runId: string, leadId: string): Promise<LeadExplanation> {
	await runRow(db, workspaceId, runId);
	const [row] = await db
		.select({ r: dryRunResults, fullName: leads.fullName })
		.from(dryRunResults)
		.leftJoin(leads, eq(leads.id, dryRunResults.leadId))
		.where(and(eq(dryRunResults.runId, runId), eq(dryRunResults.leadId, leadId)));
	if (!row) throw new NotFoundError('This lead is not in this dry-run (it was not in the audience).');
	const r = row.r;
	const reasons = r.reasons as DryRunReason[];
	const lines =
		r.outcome === 'send'
			? [
					`Would be texted at ${r.slotAt?.toISOString() ?? '?'}${r.zone ? ` (${r.zone})` : ''} on ${r.phone ?? '?'}, from ${r.senderE164 ?? '?'}, variant "${r.variant ?? ''}", ${r.segments ?? 0} segment${r.segments === 1 ? '' : 's'}.`
				]
			: reasons.map((reason) => REASON_TEXT[reason] ?? reason);
	return {
		leadId: r.leadId,
		fullName: row.fullName ?? '',
		outcome: r.outcome,
		reasons,
		phone: r.phone,
		zone: r.zone,
		slotAt: r.slotAt,
		senderE164: r.senderE164,
		variant: r.variant,
		segments: r.segments,
		lines
	};
}

const CSV_HEADER = ['lead_id', 'name', 'outcome', 'reasons', 'phone', 'zone', 'slot_at', 'sender', 'variant', 'segments'];

function csvCell(value: string | number | null): string {
	if (value === null) return '';
	const s = String(value);
	// A leading =, +, - or @ would run as a formula in a spreadsheet.
	const safe = /^[=+\-@]/.test(s) && !/^\+\d+$/.test(s) ? `'${s}` : s;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The results as CSV, a few thousand rows per chunk, for a `+server.ts` to stream. Checks
 * membership before the first chunk (through `runRow`), filters like the table.
 */
export async function* exportDryRunCsv(
	db: Database,
	workspaceId: string,
	runId: string,
	filter: Omit<ResultsQuery, 'after' | 'limit'> = {},
	/** Adds a `why` column: each reason in words (REASON_TEXT), for people reading the file. */
	options: { reasonsInWords?: boolean } = {}
): AsyncGenerator<string> {
	await runRow(db, workspaceId, runId);
	const words = options.reasonsInWords === true;
	yield (words ? [...CSV_HEADER, 'why'] : CSV_HEADER).join(',') + '\r\n';
	let after: string | null = null;
	for (;;) {
		const page = await resultsPage(db, runId, resultsQuerySchema.parse({ ...filter, after, limit: 5_000 }));
		yield page.rows
			.map((r) => {
				const cells = [r.leadId, r.fullName, r.outcome, r.reasons.join(' '), r.phone, r.zone, r.slotAt?.toISOString() ?? null, r.senderE164, r.variant, r.segments];
				if (words) cells.push(r.reasons.map((reason) => REASON_TEXT[reason] ?? reason).join(' '));
				return cells.map(csvCell).join(',') + '\r\n';
			})
			.join('');
		if (!page.nextAfter) return;
		after = page.nextAfter;
	}
}

/** Status changes made by the job. */
export async function markDryRunRunning(db: Database, runId: string): Promise<{ workspaceId: string; status: DryRunStatus } | null> {
	const [row] = await db
		.update(dryRuns)
		.set({ status: 'running', startedAt: new Date(), error: null })
		.where(and(eq(dryRuns.id, runId), sql`${dryRuns.status} in ('queued', 'running', 'failed')`))
		.returning({ workspaceId: dryRuns.workspaceId, status: dryRuns.status });
	if (row) return row;
	const [current] = await db.select({ workspaceId: dryRuns.workspaceId, status: dryRuns.status }).from(dryRuns).where(eq(dryRuns.id, runId));
	return current ?? null;
}

export async function markDryRunFailed(db: Database, runId: string, message: string): Promise<void> {
	await db
		.update(dryRuns)
		.set({ status: 'failed', error: message.slice(0, 2_000), finishedAt: new Date() })
		.where(and(eq(dryRuns.id, runId), sql`${dryRuns.status} in ('queued', 'running')`));
}
