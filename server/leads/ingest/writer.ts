import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ConsentBasis } from '../../../db/schema/leads';
import { STAGED_LEAD_COLUMNS, STAGED_PHONE_COLUMNS, type BatchPlan } from './batch-plan';

/**
 * The SQL half of a batch. Indexes, not parsing, are what a bulk load pays for, so each batch
 * is COPYed into session-local temp tables (no WAL, no indexes) and merged into the real
 * tables by a handful of set-based statements in one transaction: every index is touched
 * once per new row, never per probe or per update that changes nothing. The import's
 * counters and resume point are written in the same transaction, so a killed worker resumes
 * exactly after the last committed batch.
 */

const STAGING = `
CREATE TEMP TABLE IF NOT EXISTS ingest_leads (
	row_number int NOT NULL, source_row_id bigint NOT NULL, ord int NOT NULL, grp int NOT NULL, lead_id uuid NOT NULL, first_in_group boolean NOT NULL,
	first_name text, last_name text, full_name text, name_key text, email text, street text, city text, state text, zip text,
	mailing jsonb, property_value numeric(14, 2), equity numeric(14, 2), attributes jsonb NOT NULL,
	existing boolean NOT NULL DEFAULT false
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS ingest_phones (
	grp int NOT NULL, row_number int NOT NULL, source_row_id bigint NOT NULL, ord int NOT NULL, e164 text NOT NULL, type text NOT NULL,
	area_code text, owner uuid
) ON COMMIT DELETE ROWS;`;

const RANK = (col: string) => `CASE ${col} WHEN 'express_written' THEN 2 WHEN 'existing_relationship' THEN 1 ELSE 0 END`;

/** Drafts that did not create their lead: they merge into it. */
const MERGING = `(s.existing OR NOT s.first_in_group)`;

const STATEMENTS = {
	// Correlated lookups, so each phone and key is one index probe: with one big workspace the
	// planner would otherwise hash-join against every phone (or lead) it holds. The key's index
	// is a hash index (a quarter of a btree's size, so it stays in memory); the OFFSET 0 fence
	// keeps the planner from walking the primary key for the first id, or (with stale
	// statistics) ANDing in a whole-workspace scan of another index, per probe.
	// Each distinct phone is probed once, in key order (neighbouring probes share index pages, so
	// fewer of them are read back into a buffer cache the phones' key outgrows at a million
	// leads), and only the phones found, a few percent, are rewritten.
	owners: `UPDATE ingest_phones p SET owner = o.lead_id
		FROM (SELECT i.e164, (SELECT lp.lead_id FROM lead_phones lp WHERE lp.workspace_id = $1 AND lp.e164 = i.e164) AS lead_id
			FROM (SELECT DISTINCT e164 FROM ingest_phones ORDER BY e164) i OFFSET 0) o
		WHERE o.lead_id IS NOT NULL AND p.e164 = o.e164`,
	// A group joins the lead its earliest draft matches: by phone first, then by name + address.
	match: `WITH m AS (
			SELECT grp, owner AS lead_id, row_number, ord, 0 AS prio FROM ingest_phones WHERE owner IS NOT NULL
			UNION ALL
			SELECT s.grp, k.id, s.row_number, s.ord, 1 FROM ingest_leads s
			CROSS JOIN LATERAL (
				SELECT x.id FROM (SELECT l.id, l.workspace_id FROM leads l WHERE l.name_address_key = s.name_key OFFSET 0) x
				WHERE x.workspace_id = $1 ORDER BY x.id LIMIT 1
			) k
			WHERE s.name_key IS NOT NULL
		), g AS (SELECT DISTINCT ON (grp) grp, lead_id FROM m ORDER BY grp, row_number, ord, prio, lead_id)
		UPDATE ingest_leads s SET lead_id = g.lead_id, existing = true FROM g WHERE s.grp = g.grp`,
	newLeads: `INSERT INTO leads (id, workspace_id, first_name, last_name, full_name, name_address_key, email, street, city, state, zip,
			mailing, property_value, equity, attributes, consent_basis)
		SELECT lead_id, $1, first_name, last_name, coalesce(full_name, ''), name_key, email, street, city, state, zip,
			mailing, property_value, equity, attributes, $2
		FROM ingest_leads WHERE first_in_group AND NOT existing`,
	// Merging fills only what the lead lacks and raises consent; a lead that gains nothing is not rewritten.
	fill: `WITH a AS (
			SELECT s.lead_id,
				(array_agg(s.first_name ORDER BY s.row_number, s.ord) FILTER (WHERE s.first_name IS NOT NULL))[1] AS first_name,
				(array_agg(s.last_name ORDER BY s.row_number, s.ord) FILTER (WHERE s.last_name IS NOT NULL))[1] AS last_name,
				(array_agg(s.full_name ORDER BY s.row_number, s.ord) FILTER (WHERE s.full_name IS NOT NULL))[1] AS full_name,
				(array_agg(s.name_key ORDER BY s.row_number, s.ord) FILTER (WHERE s.name_key IS NOT NULL))[1] AS name_key,
				(array_agg(s.email ORDER BY s.row_number, s.ord) FILTER (WHERE s.email IS NOT NULL))[1] AS email,
				(array_agg(s.street ORDER BY s.row_number, s.ord) FILTER (WHERE s.street IS NOT NULL))[1] AS street,
				(array_agg(s.city ORDER BY s.row_number, s.ord) FILTER (WHERE s.city IS NOT NULL))[1] AS city,
				(array_agg(s.state ORDER BY s.row_number, s.ord) FILTER (WHERE s.state IS NOT NULL))[1] AS state,
				(array_agg(s.zip ORDER BY s.row_number, s.ord) FILTER (WHERE s.zip IS NOT NULL))[1] AS zip,
				(array_agg(s.mailing ORDER BY s.row_number, s.ord) FILTER (WHERE s.mailing IS NOT NULL))[1] AS mailing,
				(array_agg(s.property_value ORDER BY s.row_number, s.ord) FILTER (WHERE s.property_value IS NOT NULL))[1] AS property_value,
				(array_agg(s.equity ORDER BY s.row_number, s.ord) FILTER (WHERE s.equity IS NOT NULL))[1] AS equity
			FROM ingest_leads s WHERE ${MERGING} GROUP BY s.lead_id
		), attrs AS (
			SELECT lead_id, jsonb_object_agg(key, value) AS attributes FROM (
				SELECT DISTINCT ON (s.lead_id, e.key) s.lead_id, e.key, e.value
				FROM ingest_leads s, jsonb_each(s.attributes) e WHERE ${MERGING}
				ORDER BY s.lead_id, e.key, s.row_number, s.ord
			) x GROUP BY lead_id
		)
		UPDATE leads l SET
			first_name = coalesce(l.first_name, a.first_name), last_name = coalesce(l.last_name, a.last_name),
			full_name = coalesce(nullif(l.full_name, ''), a.full_name, ''), name_address_key = coalesce(l.name_address_key, a.name_key),
			email = coalesce(l.email, a.email), street = coalesce(l.street, a.street), city = coalesce(l.city, a.city),
			state = coalesce(l.state, a.state), zip = coalesce(l.zip, a.zip), mailing = coalesce(l.mailing, a.mailing),
			property_value = coalesce(l.property_value, a.property_value), equity = coalesce(l.equity, a.equity),
			attributes = coalesce(t.attributes, '{}') || l.attributes,
			consent_basis = CASE WHEN ${RANK('$1')} > ${RANK('l.consent_basis')} THEN $1 ELSE l.consent_basis END,
			updated_at = now()
		FROM a LEFT JOIN attrs t ON t.lead_id = a.lead_id
		WHERE l.id = a.lead_id AND (
			${RANK('$1')} > ${RANK('l.consent_basis')}
			OR (l.first_name IS NULL AND a.first_name IS NOT NULL) OR (l.last_name IS NULL AND a.last_name IS NOT NULL)
			OR (l.full_name = '' AND a.full_name IS NOT NULL) OR (l.name_address_key IS NULL AND a.name_key IS NOT NULL)
			OR (l.email IS NULL AND a.email IS NOT NULL) OR (l.street IS NULL AND a.street IS NOT NULL)
			OR (l.city IS NULL AND a.city IS NOT NULL) OR (l.state IS NULL AND a.state IS NOT NULL) OR (l.zip IS NULL AND a.zip IS NOT NULL)
			OR (l.mailing IS NULL AND a.mailing IS NOT NULL) OR (l.property_value IS NULL AND a.property_value IS NOT NULL)
			OR (l.equity IS NULL AND a.equity IS NOT NULL) OR NOT (l.attributes @> coalesce(t.attributes, '{}') OR l.attributes ?& ARRAY(SELECT jsonb_object_keys(t.attributes))))`,
	// A value that differs from what the lead holds is kept beside it, with the row that said it.
	facts: `INSERT INTO lead_facts (lead_id, field, value, source_row_id)
		SELECT s.lead_id, f.field, f.value, s.source_row_id
		FROM ingest_leads s JOIN leads l ON l.id = s.lead_id,
		LATERAL (VALUES ('first_name', s.first_name, l.first_name), ('last_name', s.last_name, l.last_name),
			('full_name', s.full_name, l.full_name), ('email', s.email, l.email), ('street', s.street, l.street),
			('city', s.city, l.city), ('state', s.state, l.state), ('zip', s.zip, l.zip), ('mailing', s.mailing::text, l.mailing::text),
			('property_value', s.property_value::text, l.property_value::text), ('equity', s.equity::text, l.equity::text)) f(field, value, current)
		WHERE ${MERGING} AND f.value IS NOT NULL AND f.value IS DISTINCT FROM f.current
		UNION ALL
		SELECT s.lead_id, 'attributes.' || e.key, e.value, s.source_row_id
		FROM ingest_leads s JOIN leads l ON l.id = s.lead_id, jsonb_each_text(s.attributes) e
		WHERE ${MERGING} AND l.attributes ->> e.key IS DISTINCT FROM e.value
		UNION ALL
		SELECT s.lead_id, 'phone', p.e164, p.source_row_id
		FROM ingest_phones p JOIN ingest_leads s ON s.row_number = p.row_number AND s.ord = p.ord
		WHERE p.owner IS NOT NULL AND p.owner <> s.lead_id
		ON CONFLICT DO NOTHING`,
	// No ON CONFLICT (its speculative insertion cost a quarter of this statement): under the
	// workspace's import lock, phones it already holds were found by `owners` and DISTINCT ON
	// dedupes the batch. A phone slipped in by another path fails the batch, which is retried.
	phones: `INSERT INTO lead_phones (workspace_id, e164, lead_id, type, area_code, source_row_id)
		SELECT DISTINCT ON (p.e164) $1, p.e164, s.lead_id, p.type, p.area_code, p.source_row_id
		FROM ingest_phones p JOIN ingest_leads s ON s.row_number = p.row_number AND s.ord = p.ord
		WHERE p.owner IS NULL ORDER BY p.e164, p.row_number, p.ord`,
	// Every source row is new in this batch, so no link can exist already.
	sources: `INSERT INTO lead_sources (lead_id, source_row_id, import_id, consent_basis, created)
		SELECT DISTINCT ON (lead_id, source_row_id) lead_id, source_row_id, $1, $2, first_in_group AND NOT existing
		FROM ingest_leads ORDER BY lead_id, source_row_id, (first_in_group AND NOT existing) DESC`,
	// Per source row: "created" when it created at least one lead, "merged" when all its leads already existed.
	counters: `UPDATE lead_imports i SET rows_read = rows_read + $2, rows_rejected = rows_rejected + $3,
			leads_created = leads_created + c.created, leads_merged = leads_merged + c.merged,
			resume_offset = $4, resume_row = $5
		FROM (SELECT count(*) FILTER (WHERE made)::int AS created, count(*) FILTER (WHERE NOT made)::int AS merged
			FROM (SELECT bool_or(first_in_group AND NOT existing) AS made FROM ingest_leads GROUP BY row_number) x) c
		WHERE i.id = $1
		RETURNING rows_read, leads_created, leads_merged, rows_rejected`
};

export interface ImportCounts {
	rowsRead: number;
	leadsCreated: number;
	leadsMerged: number;
	rowsRejected: number;
}

export type BatchOutcome = { kind: 'committed'; counts: ImportCounts } | { kind: 'stopped'; status: string } | { kind: 'superseded' };

export interface WriterContext {
	importId: string;
	workspaceId: string;
	consentBasis: ConsentBasis;
	/** The resume row this run last committed (or started from). */
	expectedRow: number;
}

async function copyInto(client: PoolClient, table: string, payload: string): Promise<void> {
	if (!payload) return;
	const stream = client.query(copyFrom(`COPY ${table} FROM STDIN`));
	await new Promise<void>((resolve, reject) => {
		stream.on('error', reject);
		stream.on('finish', resolve);
		stream.end(payload);
	});
}

/** Ids for the next batch's source rows, taken from the table's sequence (on any connection). */
export async function reserveRowIds(pool: Pool, count: number): Promise<number[]> {
	if (count === 0) return [];
	const result = await pool.query<{ id: string }>("SELECT nextval('source_rows_id_seq')::text AS id FROM generate_series(1, $1)", [count]);
	return result.rows.map((r) => Number(r.id));
}

/** Milliseconds per statement, summed, when INGEST_TRACE is set (the benchmark prints them). */
export const timings: Record<string, number> = {};

export async function prepareSession(client: PoolClient): Promise<void> {
	// A batch's staging rows fit in session memory instead of spilling to temp files (only
	// settable before the session first touches a temp table; a pooled connection that
	// already did keeps its value, which is merely slower).
	await client.query("SET temp_buffers = '256MB'").catch(() => {});
	await client.query(STAGING);
}

function trace(name: string, since: number): void {
	if (process.env.INGEST_TRACE) timings[name] = (timings[name] ?? 0) + performance.now() - since;
}

/** Fills `$n` placeholders with literals (values are ours: ids, an enum, integers). */
function bind(text: string, values: string[]): string {
	return text.replace(/\$(\d+)/g, (_, n: string) => {
		const value = values[Number(n) - 1];
		if (value === undefined) throw new Error(`no value for $${n}`);
		return value;
	});
}

function mergeStatements(client: PoolClient, ctx: WriterContext, plan: BatchPlan): [string, string][] {
	const imp = `${client.escapeLiteral(ctx.importId)}::uuid`;
	const ws = `${client.escapeLiteral(ctx.workspaceId)}::uuid`;
	const basis = `${client.escapeLiteral(ctx.consentBasis)}::text`;
	const int = (n: number) => {
		if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
		return String(n);
	};
	const offset = plan.offsetExact ? plan.endOffset : 0;
	return [
		// A lost commit only means the batch is read again (its resume point is lost with it);
		// LOCAL, so the pooled connection goes back with the server's setting.
		// JIT would compile each statement anew per batch, for plans that take milliseconds.
		['settings', 'SET LOCAL synchronous_commit = off; SET LOCAL jit = off'],
		// Row counts and the columns the merge joins and filters on, so joins against a million
		// leads stay index probes; a small sample, as a full one cost a third of a second.
		// `existing` and `owner` are analysed while still all false / all null: the planner then
		// takes merging drafts to be few and probes leads by id for them (a hash join would read
		// every lead of the workspace once per batch).
		[
			'analyze',
			'SET LOCAL default_statistics_target = 10; ANALYZE ingest_leads (grp, lead_id, row_number, ord, first_in_group, existing, name_key), ingest_phones (grp, row_number, ord, e164, owner)'
		],
		['owners', bind(STATEMENTS.owners, [ws])],
		['match', bind(STATEMENTS.match, [ws])],
		['newLeads', bind(STATEMENTS.newLeads, [ws, basis])],
		['fill', bind(STATEMENTS.fill, [basis])],
		['facts', STATEMENTS.facts],
		['phones', bind(STATEMENTS.phones, [ws])],
		['sources', bind(STATEMENTS.sources, [imp, basis])],
		['counters', bind(STATEMENTS.counters, [imp, int(plan.rows), int(plan.rejected), int(offset), int(plan.endRow)])],
		['commit', 'COMMIT']
	];
}

/** CPU milliseconds the server process behind this connection has used (Linux; NaN elsewhere). */
async function backendCpuMs(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * INGEST_TRACE=statements: each merge statement on its own round trip, with the CPU time
 * its PostgreSQL backend spent on it (profiling only: slower, and the next batch is planned
 * only after this one is written, so nothing else runs on the event loop meanwhile).
 */
async function runTimed(client: PoolClient, pid: number, statements: [string, string][]): Promise<pg.QueryResult[]> {
	const results: pg.QueryResult[] = [];
	for (const [name, text] of statements) {
		const cpu = await backendCpuMs(pid);
		results.push(await client.query(text));
		timings[`sql: ${name} (backend CPU)`] = (timings[`sql: ${name} (backend CPU)`] ?? 0) + (await backendCpuMs(pid)) - cpu;
	}
	return results;
}

/** Writes one batch; stops without writing when the import is no longer running or another run moved it on. */
export async function writeBatch(client: PoolClient, ctx: WriterContext, plan: BatchPlan): Promise<BatchOutcome> {
	await client.query('BEGIN');
	try {
		// Imports into one workspace take turns per batch, so each sees the leads the other made.
		await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 727005))', [ctx.workspaceId]);
		const state = await client.query<{ status: string; resume_row: number }>('SELECT status, resume_row FROM lead_imports WHERE id = $1 FOR UPDATE', [ctx.importId]);
		const row = state.rows[0];
		if (!row || row.status !== 'running') {
			await client.query('ROLLBACK');
			return { kind: 'stopped', status: row?.status ?? 'deleted' };
		}
		if (row.resume_row !== ctx.expectedRow) {
			await client.query('ROLLBACK');
			return { kind: 'superseded' };
		}
		const copyStarted = performance.now();
		const traced = process.env.INGEST_TRACE === 'statements';
		const pid = traced ? ((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0) : 0;
		const cpuBefore = traced ? await backendCpuMs(pid) : 0;
		// Source rows need no merging: they go straight to their table (its two indexes grow at
		// their right edge), rather than through staging and a second copy.
		await copyInto(client, 'source_rows (id, import_id, workspace_id, row_number, fields, reject_reason)', plan.copy.rows);
		await copyInto(client, `ingest_leads (${STAGED_LEAD_COLUMNS})`, plan.copy.leads);
		await copyInto(client, `ingest_phones (${STAGED_PHONE_COLUMNS})`, plan.copy.phones);
		trace('copy', copyStarted);
		if (traced) {
			await client.query('SELECT 1');
			timings['sql: COPY (backend CPU)'] = (timings['sql: COPY (backend CPU)'] ?? 0) + (await backendCpuMs(pid)) - cpuBefore;
		}
		// The merge goes as one multi-statement query: PostgreSQL runs it through to COMMIT
		// while this process plans the next batch, with no round trip waiting on a busy loop.
		const mergeStarted = performance.now();
		const statements = mergeStatements(client, ctx, plan);
		const results = await (traced ? runTimed(client, pid, statements) : (client.query(statements.map(([, text]) => text).join(';\n')) as unknown as Promise<pg.QueryResult[]>));
		trace('merge (one round trip)', mergeStarted);
		const c = results.find((r) => r.command === 'UPDATE' && r.fields.some((f) => f.name === 'rows_read'))?.rows[0] as
			| { rows_read: number; leads_created: number; leads_merged: number; rows_rejected: number }
			| undefined;
		if (!c) throw new Error('the batch merge returned no counts');
		return { kind: 'committed', counts: { rowsRead: c.rows_read, leadsCreated: c.leads_created, leadsMerged: c.leads_merged, rowsRejected: c.rows_rejected } };
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {});
		throw error;
	}
}
