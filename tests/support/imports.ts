import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import { leadImports } from '../../db/schema/index';
import type { ConsentBasis } from '../../db/schema/leads';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { configureImport, createImportFromUpload, uploadPath } from '../../server/leads/imports';
import type { ParserId } from '../../server/leads/ingest/parsers/types';
import { runImport } from '../../server/leads/ingest/run';

/** Puts bytes where the tus door would have, and makes the import the door's completion makes. */
export async function uploadFile(workspaceId: string, userId: string, bytes: Buffer, fileName = 'leads.csv'): Promise<string> {
	const uploadId = randomBytes(16).toString('hex');
	await writeFile(uploadPath(uploadId), bytes);
	const { id } = await createImportFromUpload(database().db, { workspaceId, uploadId, fileName, fileSize: bytes.length, userId });
	return id;
}

export interface ImportOptions {
	parser?: ParserId;
	mapping?: Record<string, string>;
	consentBasis?: ConsentBasis;
	consentSource?: string;
	consentCollectedAt?: Date;
	batchRows?: number;
}

/** Upload, configure and run an import in this process (no queue), returning the import row. */
export async function importBytes(workspaceId: string, userId: string, bytes: Buffer, options: ImportOptions = {}) {
	const db = database().db;
	const importId = await uploadFile(workspaceId, userId, bytes);
	const configured = await configureImport(db, workspaceId, importId, {
		parser: options.parser ?? 'contact',
		mapping: options.mapping,
		consentBasis: options.consentBasis ?? 'none',
		consentSource: options.consentSource,
		consentCollectedAt: options.consentCollectedAt
	});
	await db.update(leadImports).set({ status: 'queued' }).where(eq(leadImports.id, importId));
	const [row] = await db.select({ uploadId: leadImports.uploadId }).from(leadImports).where(eq(leadImports.id, importId));
	await runImport({ db, pool: database().pool, importId, path: uploadPath(row?.uploadId ?? ''), batchRows: options.batchRows });
	const [done] = await db.select().from(leadImports).where(eq(leadImports.id, importId));
	if (!done) throw new Error('import vanished');
	return { ...done, configured };
}

/** Counts of what a workspace holds, for before/after comparisons. */
export async function workspaceCounts(workspaceId: string) {
	const result = await database().db.execute<{ leads: number; phones: number; sources: number; facts: number; rows: number }>(sql`
		SELECT (SELECT count(*)::int FROM leads WHERE workspace_id = ${workspaceId}) AS leads,
			(SELECT count(*)::int FROM lead_phones WHERE workspace_id = ${workspaceId}) AS phones,
			(SELECT count(*)::int FROM lead_sources s JOIN leads l ON l.id = s.lead_id WHERE l.workspace_id = ${workspaceId}) AS sources,
			(SELECT count(*)::int FROM lead_facts f JOIN leads l ON l.id = f.lead_id WHERE l.workspace_id = ${workspaceId}) AS facts,
			(SELECT count(*)::int FROM source_rows WHERE workspace_id = ${workspaceId}) AS rows`);
	const row = result.rows[0];
	if (!row) throw new Error('no counts');
	return row;
}

export function uploadDir(): string {
	return config().UPLOAD_DIR;
}
