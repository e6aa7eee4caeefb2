import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { docVersions, users, type VersionReason } from '../../db/schema/index';
import { ForbiddenError, NotFoundError } from '../errors';
import type { DocumentAccess } from './kinds';
import { liveDocuments } from './live';
import { resolveDocument } from './registry';

export interface VersionSummary {
	id: string;
	reason: VersionReason;
	createdAt: Date;
	byteSize: number;
	editors: { id: string; displayName: string }[];
}

/** The caller's access to a document of this workspace, or a NotFoundError that leaks nothing. */
export async function documentAccess(db: Database, userId: string, workspaceId: string, docName: string): Promise<DocumentAccess> {
	const resolution = await resolveDocument(db, userId, docName);
	if (!resolution.ok || resolution.workspaceId !== workspaceId) throw new NotFoundError('No such document in this workspace.');
	return resolution.access;
}

const PAGE = 50;

/** Newest first, keyset-paged by creation time. */
export async function listVersions(db: Database, docName: string, before?: Date): Promise<VersionSummary[]> {
	const rows = await db
		.select({ id: docVersions.id, reason: docVersions.reason, createdAt: docVersions.createdAt, byteSize: docVersions.byteSize, editors: docVersions.editors })
		.from(docVersions)
		.where(and(eq(docVersions.docName, docName), before ? lt(docVersions.createdAt, before) : undefined))
		.orderBy(desc(docVersions.createdAt))
		.limit(PAGE);
	const ids = [...new Set(rows.flatMap((r) => r.editors))];
	const people = ids.length ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids)) : [];
	const names = new Map(people.map((p) => [p.id, p.displayName]));
	return rows.map((r) => ({
		...r,
		editors: r.editors.map((id) => ({ id, displayName: names.get(id) ?? 'Former member' }))
	}));
}

export async function versionState(db: Database, docName: string, versionId: string): Promise<Uint8Array> {
	const [row] = await db
		.select({ state: docVersions.state })
		.from(docVersions)
		.where(and(eq(docVersions.id, versionId), eq(docVersions.docName, docName)))
		.limit(1);
	if (!row) throw new NotFoundError('That version does not exist.');
	return row.state;
}

export async function restoreVersion(db: Database, userId: string, workspaceId: string, docName: string, versionId: string): Promise<void> {
	if ((await documentAccess(db, userId, workspaceId, docName)) !== 'write') throw new ForbiddenError('Only editors can restore a version.');
	const state = await versionState(db, docName, versionId);
	await liveDocuments().restore(docName, state, userId);
}
