import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { leadImports } from '../../db/schema/index';

export interface FinishedUpload {
	workspaceId: string;
	uploadId: string;
	fileName: string;
	fileSize: number;
	userId: string;
}

/** Turns a finished upload into an import; must be idempotent per upload id. */
export type OnUploadComplete = (db: Database, upload: FinishedUpload) => Promise<{ id: string }>;

/**
 * The import of an upload, made once: a second call for the same upload id returns the
 * first row. Used until the ingest service's `createImportFromUpload` is wired in, and as
 * its contract: the door calls whichever it is given.
 */
export async function createImportRow(db: Database, upload: FinishedUpload): Promise<{ id: string }> {
	const [created] = await db
		.insert(leadImports)
		.values({
			workspaceId: upload.workspaceId,
			uploadId: upload.uploadId,
			fileName: upload.fileName,
			fileSize: upload.fileSize,
			status: 'uploaded',
			createdBy: upload.userId
		})
		.onConflictDoNothing({ target: leadImports.uploadId })
		.returning({ id: leadImports.id });
	if (created) return created;
	const existing = await importOfUpload(db, upload.workspaceId, upload.uploadId);
	if (!existing) throw new Error(`upload ${upload.uploadId} belongs to another workspace`);
	return existing;
}

export async function importOfUpload(db: Database, workspaceId: string, uploadId: string): Promise<{ id: string } | null> {
	const [row] = await db
		.select({ id: leadImports.id })
		.from(leadImports)
		.where(and(eq(leadImports.uploadId, uploadId), eq(leadImports.workspaceId, workspaceId)))
		.limit(1);
	return row ?? null;
}
