import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { crusadeCampaigns, crusades, crusadeVersions, docUpdates, type ProjectedIssue } from '../../db/schema/index';
import { audit, type AuditActor } from '../audit/service';
import type { PublishResult, VersionSummary } from '../campaigns/service';
import { storedDocument } from '../documents/stored';
import { NotFoundError } from '../errors';
import { crusadeDraft, initialCrusadeUpdate, type CrusadeContent } from './document';
import { crusadeDocName, writeCrusadeProjection } from './kind';

export interface CrusadeSummary {
	id: string;
	docName: string;
	name: string;
	startsAt: Date | null;
	endsAt: Date | null;
	status: 'draft' | 'published' | 'archived';
	issues: ProjectedIssue[];
	errorCount: number;
	campaignIds: string[];
	updatedAt: Date;
	latestVersion: VersionSummary | null;
	/** The document (or a campaign's latest version) differs from the latest published crusade version. */
	unpublishedChanges: boolean;
}

const versionColumns = {
	id: crusadeVersions.id,
	number: crusadeVersions.number,
	hash: crusadeVersions.hash,
	publishedBy: crusadeVersions.publishedBy,
	publishedAt: crusadeVersions.publishedAt
};

type Row = typeof crusades.$inferSelect;

async function latestVersions(db: Database, ids: string[]): Promise<Map<string, VersionSummary>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.selectDistinctOn([crusadeVersions.crusadeId], { crusadeId: crusadeVersions.crusadeId, ...versionColumns })
		.from(crusadeVersions)
		.where(inArray(crusadeVersions.crusadeId, ids))
		.orderBy(crusadeVersions.crusadeId, desc(crusadeVersions.number));
	return new Map(rows.map(({ crusadeId, ...v }) => [crusadeId, v]));
}

async function members(db: Database, ids: string[]): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>(ids.map((id) => [id, []]));
	if (ids.length === 0) return out;
	const rows = await db.select().from(crusadeCampaigns).where(inArray(crusadeCampaigns.crusadeId, ids)).orderBy(asc(crusadeCampaigns.position));
	for (const r of rows) out.get(r.crusadeId)?.push(r.campaignId);
	return out;
}

function summary(row: Row, campaignIds: string[], latest: VersionSummary | null, currentHash: string | null): CrusadeSummary {
	return {
		id: row.id,
		docName: crusadeDocName(row.id),
		name: row.name,
		startsAt: row.startsAt,
		endsAt: row.endsAt,
		status: row.status,
		issues: row.issues,
		errorCount: row.errorCount,
		campaignIds,
		updatedAt: row.updatedAt,
		latestVersion: latest,
		unpublishedChanges: latest === null || latest.hash !== currentHash
	};
}

async function crusadeRow(db: Database, workspaceId: string, id: string): Promise<Row> {
	const [row] = await db
		.select()
		.from(crusades)
		.where(and(eq(crusades.id, id), eq(crusades.workspaceId, workspaceId), ne(crusades.status, 'archived')))
		.limit(1);
	if (!row) throw new NotFoundError('No such crusade in this workspace.');
	return row;
}

/**
 * A new crusade: the row and its document's first update (the shared structures editors write
 * into, `initialCrusadeUpdate`), together. Nobody can have the document open yet, so appending
 * to its log here is the same as the realtime engine storing it (a server-made change: no user).
 */
export async function createCrusade(db: Database, actor: AuditActor, workspaceId: string, input: { name: string }) {
	return db.transaction(async (tx) => {
		const [row] = await tx.insert(crusades).values({ workspaceId, name: input.name, createdBy: actor.userId }).returning({ id: crusades.id });
		if (!row) throw new Error('insert returned nothing');
		const docName = crusadeDocName(row.id);
		await tx.insert(docUpdates).values({ docName, workspaceId, update: initialCrusadeUpdate(), userId: null });
		return { id: row.id, docName };
	});
}

export async function listCrusades(db: Database, workspaceId: string): Promise<CrusadeSummary[]> {
	const rows = await db
		.select()
		.from(crusades)
		.where(and(eq(crusades.workspaceId, workspaceId), ne(crusades.status, 'archived')))
		.orderBy(desc(crusades.createdAt));
	const ids = rows.map((r) => r.id);
	const [latest, lists] = await Promise.all([latestVersions(db, ids), members(db, ids)]);
	return rows.map((r) => summary(r, lists.get(r.id) ?? [], latest.get(r.id) ?? null, r.draftHash));
}

export async function getCrusade(db: Database, workspaceId: string, id: string): Promise<CrusadeSummary> {
	const row = await crusadeRow(db, workspaceId, id);
	const draft = await crusadeDraft(db, workspaceId, await storedDocument(db, crusadeDocName(id)));
	const latest = (await latestVersions(db, [id])).get(id) ?? null;
	return { ...summary(row, draft.campaignIds, latest, draft.hash), issues: draft.issues, errorCount: draft.errorCount };
}

export async function renameCrusade(db: Database, workspaceId: string, id: string, name: string): Promise<void> {
	await crusadeRow(db, workspaceId, id);
	await db
		.update(crusades)
		.set({ name, updatedAt: sql`now()` })
		.where(and(eq(crusades.id, id), eq(crusades.workspaceId, workspaceId)));
}

/** Deletes a crusade never published; one with versions is archived (they stay). */
export async function deleteCrusade(db: Database, actor: AuditActor, workspaceId: string, id: string): Promise<{ outcome: 'deleted' | 'archived' }> {
	const row = await crusadeRow(db, workspaceId, id);
	const [published] = await db.select({ id: crusadeVersions.id }).from(crusadeVersions).where(eq(crusadeVersions.crusadeId, id)).limit(1);
	const outcome = published ? 'archived' : 'deleted';
	await db.transaction(async (tx) => {
		if (published) await tx.update(crusades).set({ status: 'archived', updatedAt: sql`now()` }).where(eq(crusades.id, id));
		else await tx.delete(crusades).where(eq(crusades.id, id));
		await audit(tx, actor, { action: 'crusade.deleted', workspaceId, targetType: 'crusade', targetId: id, data: { name: row.name, outcome } });
	});
	return { outcome };
}

/**
 * Freezes the stored document as version n+1 with each campaign's latest published version
 * (by id and hash), or returns every issue. Identical content creates nothing.
 */
export async function publishCrusade(db: Database, actor: AuditActor, workspaceId: string, id: string): Promise<PublishResult<VersionSummary>> {
	await crusadeRow(db, workspaceId, id);
	const draft = await crusadeDraft(db, workspaceId, await storedDocument(db, crusadeDocName(id)));
	if (draft.errorCount > 0) return { ok: false, issues: draft.issues.filter((i) => i.severity === 'error') };
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'publish:crusade:' + id}))`);
		const [latest] = await tx.select(versionColumns).from(crusadeVersions).where(eq(crusadeVersions.crusadeId, id)).orderBy(desc(crusadeVersions.number)).limit(1);
		if (latest && latest.hash === draft.hash) return { ok: true as const, created: false, version: latest };
		const [version] = await tx
			.insert(crusadeVersions)
			.values({ crusadeId: id, workspaceId, number: (latest?.number ?? 0) + 1, hash: draft.hash, content: draft.content as unknown as Record<string, unknown>, publishedBy: actor.userId })
			.returning(versionColumns);
		if (!version) throw new Error('insert returned nothing');
		await tx.update(crusades).set({ status: 'published', updatedAt: sql`now()` }).where(eq(crusades.id, id));
		await audit(tx, actor, { action: 'crusade.published', workspaceId, targetType: 'crusade', targetId: id, data: { number: version.number, hash: version.hash } });
		return { ok: true as const, created: true, version };
	});
}

export async function listCrusadeVersions(db: Database, workspaceId: string, id: string): Promise<VersionSummary[]> {
	return db
		.select(versionColumns)
		.from(crusadeVersions)
		.where(and(eq(crusadeVersions.crusadeId, id), eq(crusadeVersions.workspaceId, workspaceId)))
		.orderBy(desc(crusadeVersions.number));
}

export async function crusadeVersion(db: Database, workspaceId: string, id: string, number: number): Promise<VersionSummary & { content: CrusadeContent }> {
	const [row] = await db
		.select({ ...versionColumns, content: crusadeVersions.content })
		.from(crusadeVersions)
		.where(and(eq(crusadeVersions.crusadeId, id), eq(crusadeVersions.workspaceId, workspaceId), eq(crusadeVersions.number, number)))
		.limit(1);
	if (!row) throw new NotFoundError('No such version.');
	return { ...row, content: row.content as unknown as CrusadeContent };
}

/** The crusades whose documents list a campaign (their issues and flag depend on it). */
export async function crusadesListing(db: Database, workspaceId: string, campaignId: string): Promise<string[]> {
	const rows = await db
		.select({ id: crusadeCampaigns.crusadeId })
		.from(crusadeCampaigns)
		.innerJoin(crusades, eq(crusades.id, crusadeCampaigns.crusadeId))
		.where(and(eq(crusadeCampaigns.campaignId, campaignId), eq(crusades.workspaceId, workspaceId)));
	return rows.map((r) => r.id);
}

/** Re-projects crusades from their stored documents, after a campaign they list was published or deleted. */
export async function refreshCrusades(db: Database, workspaceId: string, ids: readonly string[]): Promise<void> {
	for (const id of ids) await writeCrusadeProjection(db, id, workspaceId, await storedDocument(db, crusadeDocName(id)));
}
