import { open, stat } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database } from '../../../db/client';
import { leadImports } from '../../../db/schema/index';
import { config } from '../../config';
import { NotFoundError, UnreadableFileError } from '../../errors';
import { BatchPlanner, type BatchEnd, type BatchPlan } from './batch-plan';
import { readRowBatches } from './csv-reader';
import { bomOf, type FileEncoding } from './encoding';
import { parserById, readerFor } from './parsers/registry';
import { prepareSession, reserveRowIds, timings, writeBatch, type ImportCounts } from './writer';

function trace(name: string, since: number): void {
	if (process.env.INGEST_TRACE) timings[name] = (timings[name] ?? 0) + performance.now() - since;
}

function traced<T>(name: string, fn: () => T): T {
	const since = performance.now();
	try {
		return fn();
	} finally {
		trace(name, since);
	}
}

/** Source-row ids handed out from blocks reserved from the table's sequence (gaps are harmless). */
function rowIds(pool: pg.Pool, block: number): (count: number) => Promise<number[]> {
	let buffer: number[] = [];
	return async (count) => {
		if (buffer.length < count) buffer = buffer.concat(await reserveRowIds(pool, Math.max(count - buffer.length, block)));
		return buffer.splice(0, count);
	};
}

export interface ImportProgress extends ImportCounts {
	bytesRead: number;
	fileSize: number;
	rowsPerSecond: number;
	/** Seconds left at the current rate, or null before there is a rate. */
	secondsLeft: number | null;
}

export interface RunImportOptions {
	db: Database;
	pool: pg.Pool;
	importId: string;
	/** Where the uploaded file is (`${UPLOAD_DIR}/<uploadId>`). */
	path: string;
	batchRows?: number;
	/** Called after committed batches, at most every `progressEveryMs`. */
	onProgress?: (progress: ImportProgress) => Promise<void>;
	progressEveryMs?: number;
	onLog?: (line: string) => Promise<void>;
}

export type RunOutcome = { status: 'completed' | 'cancelled' | 'superseded'; counts: ImportCounts };

async function bomLengthOf(path: string): Promise<number> {
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(4);
		const { bytesRead } = await handle.read(head, 0, 4, 0);
		return bomOf(head.subarray(0, bytesRead))?.bomLength ?? 0;
	} finally {
		await handle.close();
	}
}

/**
 * Runs (or resumes) one configured import to the end: reads the file in batches from the last
 * committed batch on, plans each in Node while the previous one is written by PostgreSQL, and
 * stops between batches when the import is cancelled.
 */
export async function runImport(options: RunImportOptions): Promise<RunOutcome> {
	const { db, importId, path } = options;
	const log = options.onLog ?? (async () => {});
	const [row] = await db.select().from(leadImports).where(eq(leadImports.id, importId));
	if (!row) throw new NotFoundError('That import does not exist.');
	const counts = (r: typeof row): ImportCounts => ({ rowsRead: r.rowsRead, leadsCreated: r.leadsCreated, leadsMerged: r.leadsMerged, rowsRejected: r.rowsRejected });
	if (row.status === 'cancelled' || row.status === 'completed') return { status: row.status, counts: counts(row) };
	const parser = parserById(row.parser ?? '');
	if (!parser || !row.headers || !row.encoding || !row.delimiter) {
		throw new UnreadableFileError('missing', 'The import was started before it was configured (parser, encoding, delimiter).');
	}
	if (!(await stat(path).catch(() => null))?.isFile()) throw new UnreadableFileError('missing', 'The uploaded file is no longer on the server; upload it again.');
	await db
		.update(leadImports)
		.set({ status: 'running', startedAt: row.startedAt ?? new Date(), error: null })
		.where(eq(leadImports.id, importId));

	const headers = row.headers;
	const read = readerFor(parser, headers, row.mapping);
	const resuming = row.resumeRow > 0;
	const seek = resuming && row.resumeOffset > 0;
	await log(resuming ? `resuming after row ${row.resumeRow}${seek ? ` at byte ${row.resumeOffset}` : ' (re-reading from the start)'}` : `reading ${row.fileName} with the ${parser.label.toLowerCase()} parser`);

	const client = await options.pool.connect();
	const started = performance.now();
	const startRows = row.rowsRead;
	const startBytes = seek ? row.resumeOffset : 0;
	let latest = counts(row);
	let lastProgress = 0;
	let expectedRow = row.resumeRow;
	let stopped: RunOutcome['status'] | null = null;
	let broken = false;
	try {
		await prepareSession(client);
		const batchRows = options.batchRows ?? config().INGEST_BATCH_ROWS;
		// The reader hands over each chunk's rows as soon as they are parsed (its offsets stay
		// exact at every chunk boundary); the planner encodes them at once and a batch is cut
		// once it holds `batchRows` rows.
		const pieces = readRowBatches(path, {
			encoding: row.encoding as FileEncoding,
			delimiter: row.delimiter,
			bomLength: await bomLengthOf(path),
			startOffset: seek ? row.resumeOffset : 0,
			rowBase: seek ? row.resumeRow : 0,
			skipThrough: row.resumeRow,
			batchRows: 1
		});
		const planner = new BatchPlanner(read, headers.length, { importId, workspaceId: row.workspaceId });
		const ids = rowIds(options.pool, batchRows);
		let inflight: Promise<void> | null = null;
		let flushed = 0;
		const write = async (plan: BatchPlan) => {
			const outcome = await writeBatch(client, { importId, workspaceId: row.workspaceId, consentBasis: row.consentBasis, expectedRow }, plan);
			if (outcome.kind === 'stopped') {
				stopped = 'cancelled';
				return;
			}
			if (outcome.kind === 'superseded') {
				stopped = 'superseded';
				return;
			}
			expectedRow = plan.endRow;
			latest = outcome.counts;
			const now = performance.now();
			if (options.onProgress && now - lastProgress >= (options.progressEveryMs ?? 1_000)) {
				lastProgress = now;
				const seconds = (now - started) / 1000;
				const rate = seconds > 0 ? (latest.rowsRead - startRows) / seconds : 0;
				const byteRate = seconds > 0 ? (plan.endOffset - startBytes) / seconds : 0;
				await options.onProgress({
					...latest,
					bytesRead: plan.endOffset,
					fileSize: row.fileSize,
					rowsPerSecond: Math.round(rate),
					secondsLeft: byteRate > 0 ? Math.max(0, Math.round((row.fileSize - plan.endOffset) / byteRate)) : null
				});
			}
		};
		// One batch is written while the next is read and planned: PostgreSQL merges while this
		// process parses (pieces are small, so the event loop keeps the COPY streams moving).
		const flush = async (end: BatchEnd) => {
			const plan = traced('plan (Node)', () => planner.finish(end));
			const waited = performance.now();
			if (inflight) await inflight;
			trace('wait for previous batch', waited);
			if (stopped) return;
			flushed++;
			inflight = write(plan);
			// Awaited later; marked handled now so a failure while the next batch is read is not an unhandled rejection.
			inflight.catch(() => {});
		};
		let last: BatchEnd | null = null;
		for await (const piece of pieces) {
			if (stopped) break;
			last = piece;
			if (piece.rows.length > 0) {
				const reserved = await ids(piece.rows.length);
				traced('plan (Node)', () => planner.add(piece.rows, reserved));
			}
			if (planner.size >= batchRows) await flush(piece);
		}
		if (!stopped && last && (planner.size > 0 || flushed === 0)) await flush(last);
		if (inflight) await inflight;
	} catch (error) {
		broken = true;
		throw error;
	} finally {
		// A connection that failed mid-batch is closed rather than handed to the next user.
		client.release(broken);
	}
	if (stopped) {
		await log(stopped === 'cancelled' ? `stopped: the import was cancelled after row ${expectedRow}` : 'stopped: another run of this import took over');
		return { status: stopped, counts: latest };
	}
	const seconds = (performance.now() - started) / 1000;
	// Logged before the status changes: a page that sees the import finished then reads the
	// stored log once more and finds this line (job-follower).
	await log(
		`done: ${latest.rowsRead} rows read, ${latest.leadsCreated} created leads, ${latest.leadsMerged} merged into existing leads, ${latest.rowsRejected} rejected (${Math.round((latest.rowsRead - startRows) / Math.max(seconds, 0.001))} rows/s)`
	);
	await db
		.update(leadImports)
		.set({ status: 'completed', finishedAt: new Date() })
		.where(sql`${leadImports.id} = ${importId} AND ${leadImports.status} = 'running'`);
	await options.onProgress?.({ ...latest, bytesRead: row.fileSize, fileSize: row.fileSize, rowsPerSecond: Math.round((latest.rowsRead - startRows) / Math.max(seconds, 0.001)), secondsLeft: 0 });
	return { status: 'completed', counts: latest };
}
