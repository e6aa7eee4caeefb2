import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { campaigns, campaignVersions, crusadeVersions, type ProjectedIssue } from '../../db/schema/index';
import { audit, type AuditActor } from '../audit/service';
import { ConflictError, NotFoundError } from '../errors';
import { campaignDraft, type CampaignContent } from './document';
import { campaignDocName } from './kind';
import { storedDocument } from '../documents/stored';

export interface VersionSummary {
	id: string;
	number: number;
	hash: string;
	publishedBy: string | null;
	publishedAt: Date;
}

export interface CampaignSummary {
	id: string;
	docName: string;
	name: string;
	vertical: string | null;
	channel: 'sms' | 'mms' | null;
	audienceFilterId: string | null;
	status: 'draft' | 'published' | 'archived';
	issues: ProjectedIssue[];
	errorCount: number;
	updatedAt: Date;
	latestVersion: VersionSummary | null;
	/** The document differs from the latest published version (or nothing is published yet). */
	unpublishedChanges: boolean;
}

export type PublishResult<V> = { ok: true; created: boolean; version: V } | { ok: false; issues: ProjectedIssue[] };

const versionColumns = {
	id: campaignVersions.id,
	number: campaignVersions.number,
	hash: campaignVersions.hash,
	publishedBy: campaignVersions.publishedBy,
	publishedAt: campaignVersions.publishedAt
};

async function latestVersions(db: Database, ids: string[]): Promise<Map<string, VersionSummary>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.selectDistinctOn([campaignVersions.campaignId], { campaignId: campaignVersions.campaignId, ...versionColumns })
		.from(campaignVersions)
		.where(inArray(campaignVersions.campaignId, ids))
		.orderBy(campaignVersions.campaignId, desc(campaignVersions.number));
	return new Map(rows.map(({ campaignId, ...v }) => [campaignId, v]));
}

type Row = typeof campaigns.$inferSelect;

function summary(row: Row, latest: VersionSummary | null, currentHash: string | null): CampaignSummary {
	return {
		id: row.id,
		docName: campaignDocName(row.id),
		name: row.name,
		vertical: row.vertical,
		channel: row.channel,
		audienceFilterId: row.audienceFilterId,
		status: row.status,
		issues: row.issues,
		errorCount: row.errorCount,
		updatedAt: row.updatedAt,
		latestVersion: latest,
		unpublishedChanges: latest === null || latest.hash !== currentHash
	};
}

async function campaignRow(db: Database, workspaceId: string, id: string): Promise<Row> {
	const [row] = await db
		.select()
		.from(campaigns)
		.where(and(eq(campaigns.id, id), eq(campaigns.workspaceId, workspaceId), ne(campaigns.status, 'archived')))
		.limit(1);
	if (!row) throw new NotFoundError('No such campaign in this workspace.');
	return row;
}

/**
 * A new campaign: the row now, the document empty. The first editor's canvas initialises it
 * (a Start node, the channel); until then the row's issues say what is missing. Seeding it
 * here would need the live engine in this process (not there for ROLE=worker) for no gain.
 */
export async function createCampaign(db: Database, actor: AuditActor, workspaceId: string, input: { name: string }) {
	const [row] = await db.insert(campaigns).values({ workspaceId, name: input.name, createdBy: actor.userId }).returning({ id: campaigns.id });
	if (!row) throw new Error('insert returned nothing');
	return { id: row.id, docName: campaignDocName(row.id) };
}

export async function listCampaigns(db: Database, workspaceId: string): Promise<CampaignSummary[]> {
	const rows = await db
		.select()
		.from(campaigns)
		.where(and(eq(campaigns.workspaceId, workspaceId), ne(campaigns.status, 'archived')))
		.orderBy(desc(campaigns.createdAt));
	const latest = await latestVersions(
		db,
		rows.map((r) => r.id)
	);
	// The projected hash: at most a projection debounce behind the document.
	return rows.map((r) => summary(r, latest.get(r.id) ?? null, r.draftHash));
}

/** The row, with issues and the "changes not published" flag computed from the stored document now. */
export async function getCampaign(db: Database, workspaceId: string, id: string): Promise<CampaignSummary> {
	const row = await campaignRow(db, workspaceId, id);
	const draft = await campaignDraft(db, workspaceId, await storedDocument(db, campaignDocName(id)));
	const latest = (await latestVersions(db, [id])).get(id) ?? null;
	return { ...summary(row, latest, draft.hash), issues: draft.issues, errorCount: draft.errorCount };
}

export async function renameCampaign(db: Database, workspaceId: string, id: string, name: string): Promise<void> {
	await campaignRow(db, workspaceId, id);
	await db
		.update(campaigns)
		.set({ name, updatedAt: sql`now()` })
		.where(and(eq(campaigns.id, id), eq(campaigns.workspaceId, workspaceId)));
}

/**
 * Deletes a campaign nobody relies on; one with published versions is archived instead (its
 * versions are the record of what was sent). Refused while a published crusade version uses it.
 */
export async function deleteCampaign(db: Database, actor: AuditActor, workspaceId: string, id: string): Promise<{ outcome: 'deleted' | 'archived' }> {
	const row = await campaignRow(db, workspaceId, id);
	const [used] = await db
		.select({ id: crusadeVersions.id })
		.from(crusadeVersions)
		.where(and(eq(crusadeVersions.workspaceId, workspaceId), sql`${crusadeVersions.content}->'campaigns' @> ${JSON.stringify([{ campaignId: id }])}::jsonb`))
		.limit(1);
	if (used) throw new ConflictError('A published crusade uses this campaign; it cannot be deleted.');
	const [published] = await db.select({ id: campaignVersions.id }).from(campaignVersions).where(eq(campaignVersions.campaignId, id)).limit(1);
	const outcome = published ? 'archived' : 'deleted';
	await db.transaction(async (tx) => {
		if (published) await tx.update(campaigns).set({ status: 'archived', updatedAt: sql`now()` }).where(eq(campaigns.id, id));
		else await tx.delete(campaigns).where(eq(campaigns.id, id));
		await audit(tx, actor, { action: 'campaign.deleted', workspaceId, targetType: 'campaign', targetId: id, data: { name: row.name, outcome } });
	});
	return { outcome };
}

/**
 * Freezes the stored document as version n+1 (immutable, hashed), or returns every issue if
 * it is invalid. Publishing content identical to the latest version creates nothing.
 * Reads Postgres, so it holds every change editors were told is saved.
 */
export async function publishCampaign(db: Database, actor: AuditActor, workspaceId: string, id: string): Promise<PublishResult<VersionSummary>> {
	await campaignRow(db, workspaceId, id);
	const draft = await campaignDraft(db, workspaceId, await storedDocument(db, campaignDocName(id)));
	if (draft.errorCount > 0) return { ok: false, issues: draft.issues.filter((i) => i.severity === 'error') };
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'publish:campaign:' + id}))`);
		const [latest] = await tx.select(versionColumns).from(campaignVersions).where(eq(campaignVersions.campaignId, id)).orderBy(desc(campaignVersions.number)).limit(1);
		if (latest && latest.hash === draft.hash) return { ok: true as const, created: false, version: latest };
		const [version] = await tx
			.insert(campaignVersions)
			.values({ campaignId: id, workspaceId, number: (latest?.number ?? 0) + 1, hash: draft.hash, content: draft.content as unknown as Record<string, unknown>, publishedBy: actor.userId })
			.returning(versionColumns);
		if (!version) throw new Error('insert returned nothing');
		await tx.update(campaigns).set({ status: 'published', updatedAt: sql`now()` }).where(eq(campaigns.id, id));
		await audit(tx, actor, { action: 'campaign.published', workspaceId, targetType: 'campaign', targetId: id, data: { number: version.number, hash: version.hash } });
		return { ok: true as const, created: true, version };
	});
}

export async function listCampaignVersions(db: Database, workspaceId: string, id: string): Promise<VersionSummary[]> {
	return db
		.select(versionColumns)
		.from(campaignVersions)
		.where(and(eq(campaignVersions.campaignId, id), eq(campaignVersions.workspaceId, workspaceId)))
		.orderBy(desc(campaignVersions.number));
}

export async function campaignVersion(db: Database, workspaceId: string, id: string, number: number): Promise<VersionSummary & { content: CampaignContent }> {
	const [row] = await db
		.select({ ...versionColumns, content: campaignVersions.content })
		.from(campaignVersions)
		.where(and(eq(campaignVersions.campaignId, id), eq(campaignVersions.workspaceId, workspaceId), eq(campaignVersions.number, number)))
		.limit(1);
	if (!row) throw new NotFoundError('No such version.');
	return { ...row, content: row.content as unknown as CampaignContent };
}

/** The latest published version of each campaign listed, for a crusade to freeze. */
export async function latestCampaignVersions(db: Database, workspaceId: string, ids: string[]) {
	const latest = await latestVersions(db, ids);
	const rows = ids.length ? await db.select({ id: campaigns.id, status: campaigns.status }).from(campaigns).where(and(inArray(campaigns.id, ids), eq(campaigns.workspaceId, workspaceId))) : [];
	return { latest, existing: new Set(rows.filter((r) => r.status !== 'archived').map((r) => r.id)) };
}
