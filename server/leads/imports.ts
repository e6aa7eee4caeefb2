import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, join } from 'node:path';
import { and, asc, desc, eq, gt, isNotNull, lt, ne, sql } from 'drizzle-orm';
import Papa from 'papaparse';
import type { Database } from '../../db/client';
import { columnMappings, leadImports, sourceRows, users } from '../../db/schema/index';
import type { ConsentBasis } from '../../db/schema/leads';
import { queue } from '../../jobs/connection';
import { enqueue } from '../../jobs/enqueue';
import { listJobEvents } from '../../jobs/job-events';
import { config } from '../config';
import { BadInputError, ConflictError, FileTooLargeError, NotFoundError } from '../errors';
import { createImportRow, type FinishedUpload } from '../uploads/import-row';
import type { FileEncoding } from './ingest/encoding';
import { inspectFile, type Delimiter, type FileInspection } from './ingest/inspect';
import { headerSignature, MAPPABLE_FIELDS } from './ingest/parsers/generic';
import { parserById } from './ingest/parsers/registry';
import type { ParserId } from './ingest/parsers/types';

/** Where an upload's bytes are: tus stores each upload under its id. */
export function uploadPath(uploadId: string): string {
	if (basename(uploadId) !== uploadId || uploadId.startsWith('.')) throw new BadInputError('Invalid upload id.');
	return join(config().UPLOAD_DIR, uploadId);
}

async function sha256Of(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** The import of a finished upload (idempotent per upload id), with the file's SHA-256 so a re-upload is recognised. */
export async function createImportFromUpload(db: Database, upload: FinishedUpload): Promise<{ id: string }> {
	const row = await createImportRow(db, upload);
	const sha = await sha256Of(uploadPath(upload.uploadId)).catch(() => null);
	if (sha) await db.update(leadImports).set({ sha256: sha }).where(and(eq(leadImports.id, row.id), sql`${leadImports.sha256} IS NULL`));
	return row;
}

const summary = {
	id: leadImports.id,
	fileName: leadImports.fileName,
	fileSize: leadImports.fileSize,
	status: leadImports.status,
	parser: leadImports.parser,
	consentBasis: leadImports.consentBasis,
	rowsRead: leadImports.rowsRead,
	leadsCreated: leadImports.leadsCreated,
	leadsMerged: leadImports.leadsMerged,
	rowsRejected: leadImports.rowsRejected,
	error: leadImports.error,
	createdAt: leadImports.createdAt,
	startedAt: leadImports.startedAt,
	finishedAt: leadImports.finishedAt
};

/** An import without who started it (the list adds that). */
export type ImportSummary = Omit<Awaited<ReturnType<typeof listImports>>['imports'][number], 'startedById' | 'startedByName'>;

/** Newest first, keyset-paged by creation time. */
export async function listImports(db: Database, workspaceId: string, options: { before?: Date; limit: number }) {
	const rows = await db
		.select({ ...summary, startedById: leadImports.createdBy, startedByName: users.displayName })
		.from(leadImports)
		.leftJoin(users, eq(users.id, leadImports.createdBy))
		.where(and(eq(leadImports.workspaceId, workspaceId), options.before ? lt(leadImports.createdAt, options.before) : undefined))
		.orderBy(desc(leadImports.createdAt), desc(leadImports.id))
		.limit(options.limit + 1);
	const more = rows.length > options.limit;
	const imports = more ? rows.slice(0, options.limit) : rows;
	return { imports, nextBefore: more ? (imports.at(-1)?.createdAt ?? null) : null };
}

async function importRow(db: Database, workspaceId: string, importId: string) {
	const [row] = await db
		.select()
		.from(leadImports)
		.where(and(eq(leadImports.id, importId), eq(leadImports.workspaceId, workspaceId)));
	if (!row) throw new NotFoundError('That import does not exist in this workspace.');
	return row;
}

/** One import as the page shows it: status, counts, how it is read, its consent declaration. */
export async function getImport(db: Database, workspaceId: string, importId: string) {
	return importDetail(await importRow(db, workspaceId, importId));
}

export type ImportDetail = ReturnType<typeof importDetail>;

/** A stored import row as `getImport` shows it (lists that already hold rows map them here). */
export function importDetail(row: typeof leadImports.$inferSelect) {
	return {
		...Object.fromEntries(Object.keys(summary).map((k) => [k, row[k as keyof typeof row]])) as ImportSummary,
		sha256: row.sha256,
		encoding: row.encoding,
		delimiter: row.delimiter,
		headers: row.headers,
		mapping: row.mapping,
		consentSource: row.consentSource,
		consentCollectedAt: row.consentCollectedAt,
		resumeRow: row.resumeRow,
		/** Rows read = leads created + merged + rejected, counted per source row. */
		balanced: row.rowsRead === row.leadsCreated + row.leadsMerged + row.rowsRejected
	};
}

function checkSize(size: number): void {
	const limit = config().UPLOAD_MAX_BYTES;
	if (size > limit) {
		const gb = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GB`;
		throw new FileTooLargeError(`The file is ${gb(size)}; imports take files up to ${gb(limit)}. Split it and upload the parts.`);
	}
}

export interface InspectInput {
	encoding?: FileEncoding | null;
	delimiter?: Delimiter | null;
}

/** Inspects the uploaded file (head only) and says whether the same bytes were imported before. */
export async function inspectImport(db: Database, workspaceId: string, importId: string, input: InspectInput = {}) {
	const row = await importRow(db, workspaceId, importId);
	checkSize(row.fileSize);
	const inspection: FileInspection = await inspectFile(uploadPath(row.uploadId), {
		...input,
		lookupMapping: async (signature) => {
			const [saved] = await db
				.select({ mapping: columnMappings.mapping })
				.from(columnMappings)
				.where(and(eq(columnMappings.workspaceId, workspaceId), eq(columnMappings.signature, signature)));
			return saved?.mapping ?? null;
		}
	});
	checkSize(inspection.size);
	const sameFile = row.sha256
		? await db
				.select({ id: leadImports.id, fileName: leadImports.fileName, status: leadImports.status, finishedAt: leadImports.finishedAt })
				.from(leadImports)
				.where(and(eq(leadImports.workspaceId, workspaceId), eq(leadImports.sha256, row.sha256), ne(leadImports.id, importId)))
				.orderBy(desc(leadImports.createdAt))
				.limit(5)
		: [];
	return { ...inspection, sameFile };
}

export interface ConfigureInput {
	parser: ParserId;
	mapping?: Record<string, string> | null;
	encoding?: FileEncoding | null;
	delimiter?: Delimiter | null;
	consentBasis: ConsentBasis;
	consentSource?: string | null;
	consentCollectedAt?: Date | null;
}

/** Fixes how the file is read and the consent the operator declares for it; the generic mapping is saved for files like it. */
export async function configureImport(db: Database, workspaceId: string, importId: string, input: ConfigureInput) {
	const row = await importRow(db, workspaceId, importId);
	if (row.status !== 'uploaded') throw new ConflictError(`This import is ${row.status}; only an import that has not started can be configured.`);
	if (!parserById(input.parser)) throw new BadInputError(`Unknown parser "${input.parser}".`);
	if (input.consentBasis === 'express_written' && (!input.consentSource?.trim() || !input.consentCollectedAt)) {
		throw new BadInputError('Express written consent needs where it was collected and when.');
	}
	if (input.consentCollectedAt && input.consentCollectedAt.getTime() > Date.now() + 60_000) throw new BadInputError('Consent cannot have been collected in the future.');
	const inspection = await inspectImport(db, workspaceId, importId, { encoding: input.encoding, delimiter: input.delimiter });
	let mapping: Record<string, string> | null = null;
	if (input.parser === 'generic') {
		mapping = input.mapping ?? inspection.savedMapping ?? inspection.suggestedMapping;
		for (const [header, field] of Object.entries(mapping)) {
			if (!inspection.headers.includes(header)) throw new BadInputError(`The mapping names a column "${header}" the file does not have.`);
			if (!(MAPPABLE_FIELDS as readonly string[]).includes(field)) throw new BadInputError(`"${field}" is not a lead field (column "${header}").`);
		}
		const mapped = new Set(Object.values(mapping));
		if (!['phone', 'mobile', 'landline', 'street'].some((f) => mapped.has(f))) {
			throw new BadInputError('Map at least one column to a phone or to the street address, or no row can become a lead.');
		}
		await db
			.insert(columnMappings)
			.values({ workspaceId, signature: headerSignature(inspection.headers), name: row.fileName, mapping })
			.onConflictDoUpdate({ target: [columnMappings.workspaceId, columnMappings.signature], set: { mapping, name: row.fileName, updatedAt: new Date() } });
	}
	await db
		.update(leadImports)
		.set({
			parser: input.parser,
			mapping,
			encoding: inspection.encoding,
			delimiter: inspection.delimiter,
			headers: inspection.headers,
			consentBasis: input.consentBasis,
			consentSource: input.consentBasis === 'express_written' ? (input.consentSource?.trim() ?? null) : null,
			consentCollectedAt: input.consentBasis === 'express_written' ? (input.consentCollectedAt ?? null) : null
		})
		.where(eq(leadImports.id, importId));
	return getImport(db, workspaceId, importId);
}

/** Queues a configured import (or a failed one, which resumes after its last committed batch). */
export async function startImport(db: Database, workspaceId: string, importId: string) {
	const row = await importRow(db, workspaceId, importId);
	if (row.status !== 'uploaded' && row.status !== 'failed') throw new ConflictError(`This import is already ${row.status}.`);
	if (!row.parser || !row.headers) throw new BadInputError('Choose a parser (and confirm the mapping) before starting the import.');
	await db
		.update(leadImports)
		.set({ status: 'queued', error: null, finishedAt: null })
		.where(and(eq(leadImports.id, importId), eq(leadImports.status, row.status)));
	const existing = await queue('ingest').getJob(importId);
	if (existing && (await existing.isFailed())) await existing.retry('failed');
	else {
		if (existing && (await existing.isCompleted())) await existing.remove();
		// The job id is the import id: a double click or a retried request queues it once.
		await enqueue('ingest', 'run-import', { importId }, { jobId: importId, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } });
	}
	return getImport(db, workspaceId, importId);
}

/** Stops an import between batches; what was committed stays. */
export async function cancelImport(db: Database, workspaceId: string, importId: string) {
	const row = await importRow(db, workspaceId, importId);
	if (!['uploaded', 'queued', 'running'].includes(row.status)) throw new ConflictError(`This import is ${row.status}; it cannot be cancelled.`);
	await db
		.update(leadImports)
		.set({ status: 'cancelled', finishedAt: new Date() })
		.where(and(eq(leadImports.id, importId), sql`${leadImports.status} IN ('uploaded', 'queued', 'running')`));
	const job = await queue('ingest').getJob(importId);
	if (job && (await job.isWaiting())) await job.remove().catch(() => {});
	return getImport(db, workspaceId, importId);
}

/** The job's progress and log lines after `afterId`, for a page that opens late. */
export async function importEvents(db: Database, workspaceId: string, importId: string, afterId = 0) {
	await importRow(db, workspaceId, importId);
	return listJobEvents(db, 'ingest', importId, afterId);
}

/** Status changes made by the job itself. */
export async function markImportFailed(db: Database, importId: string, message: string): Promise<void> {
	await db
		.update(leadImports)
		.set({ status: 'failed', error: message.slice(0, 2_000), finishedAt: new Date() })
		.where(and(eq(leadImports.id, importId), sql`${leadImports.status} IN ('queued', 'running')`));
}

export async function importForJob(db: Database, importId: string) {
	const [row] = await db.select({ workspaceId: leadImports.workspaceId, uploadId: leadImports.uploadId, status: leadImports.status }).from(leadImports).where(eq(leadImports.id, importId));
	return row ?? null;
}

/**
 * The rejected rows of an import as CSV text chunks: `row`, `reason`, then the file's own
 * columns, verbatim. Reads in keyset pages, so a file with a million rejects streams in
 * constant memory. The caller checks the reader's access to the import first.
 */
export async function* streamRejects(db: Database, importId: string, pageSize = 2_000): AsyncGenerator<string> {
	const [row] = await db.select({ headers: leadImports.headers }).from(leadImports).where(eq(leadImports.id, importId));
	if (!row) throw new NotFoundError('That import does not exist.');
	const headers = row.headers ?? [];
	yield Papa.unparse([['row', 'reason', ...headers]], { newline: '\r\n' }) + '\r\n';
	let after = 0;
	for (;;) {
		const page = await db
			.select({ rowNumber: sourceRows.rowNumber, reason: sourceRows.rejectReason, fields: sourceRows.fields })
			.from(sourceRows)
			.where(and(eq(sourceRows.importId, importId), isNotNull(sourceRows.rejectReason), gt(sourceRows.rowNumber, after)))
			.orderBy(asc(sourceRows.rowNumber))
			.limit(pageSize);
		if (page.length === 0) return;
		yield Papa.unparse(
			page.map((r) => [String(r.rowNumber), r.reason ?? '', ...r.fields]),
			{ newline: '\r\n' }
		) + '\r\n';
		after = page.at(-1)?.rowNumber ?? after;
		if (page.length < pageSize) return;
	}
}
