import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { dryRuns, type DryRunStatus } from '../../db/schema/dryrun';
import { leadImports, users } from '../../db/schema/index';
import { senderNumbers } from '../../db/schema/numbers';
import { listCampaigns, type CampaignSummary } from '../campaigns/service';
import { listCrusades, type CrusadeSummary } from '../crusades/service';
import { parseRunSource, type CrusadeRunVersion } from '../dryrun/from-crusade';
import { importDetail, type ImportDetail } from '../leads/imports';
import { listSavedFilters } from '../leads/saved-filters';
import type { LeadCount } from '../leads/search';
import { audienceCount } from './audience';
import { OVERVIEW_STAGES, type OverviewStage } from './stages';

/**
 * The live grid: the workspace's pipeline in four stages, each read with a fixed number of
 * queries however much the workspace holds (audience counts: one per distinct saved filter
 * in use, cached briefly). Every stage is computed on its own, so a change refetches one.
 */

/** How many records each stage lists; the totals cover everything. */
export const STAGE_ITEMS = 5;

type Publication = 'draft' | 'published' | 'changed';

/** Never published, published as it stands, or edited since the latest version. */
function publication(summary: Pick<CampaignSummary, 'latestVersion' | 'unpublishedChanges'>): Publication {
	if (!summary.latestVersion) return 'draft';
	return summary.unpublishedChanges ? 'changed' : 'published';
}

export type FileItem = ImportDetail & { startedByName: string | null; startedById: string | null };

export interface FilesStage {
	totals: { files: number; active: number; waiting: number; failed: number; rowsRead: number; leadsCreated: number };
	/** Queued and running first, then the newest. */
	items: FileItem[];
}

const ACTIVE = sql`${leadImports.status} in ('queued', 'running')`;

async function filesStage(db: Database, workspaceId: string): Promise<FilesStage> {
	const [rows, [totals]] = await Promise.all([
		db
			.select({ row: leadImports, startedByName: users.displayName })
			.from(leadImports)
			.leftJoin(users, eq(users.id, leadImports.createdBy))
			.where(eq(leadImports.workspaceId, workspaceId))
			.orderBy(desc(ACTIVE), desc(leadImports.createdAt), desc(leadImports.id))
			.limit(STAGE_ITEMS),
		db
			.select({
				files: sql<number>`count(*)`.mapWith(Number),
				active: sql<number>`count(*) filter (where ${ACTIVE})`.mapWith(Number),
				waiting: sql<number>`count(*) filter (where ${leadImports.status} in ('uploading', 'uploaded'))`.mapWith(Number),
				failed: sql<number>`count(*) filter (where ${leadImports.status} = 'failed')`.mapWith(Number),
				rowsRead: sql<number>`coalesce(sum(${leadImports.rowsRead}), 0)`.mapWith(Number),
				leadsCreated: sql<number>`coalesce(sum(${leadImports.leadsCreated}), 0)`.mapWith(Number)
			})
			.from(leadImports)
			.where(eq(leadImports.workspaceId, workspaceId))
	]);
	return {
		totals: totals ?? { files: 0, active: 0, waiting: 0, failed: 0, rowsRead: 0, leadsCreated: 0 },
		items: rows.map(({ row, startedByName }) => ({ ...importDetail(row), startedByName, startedById: row.createdBy }))
	};
}

export interface CampaignItem {
	id: string;
	name: string;
	channel: 'sms' | 'mms' | null;
	vertical: string | null;
	publication: Publication;
	version: number | null;
	errors: number;
	warnings: number;
	/** The saved filter it sends to and how many leads match it now; null before one is chosen. */
	audience: { filterId: string; name: string; valid: boolean; leads: LeadCount } | null;
	updatedAt: Date;
}

export interface CampaignsStage {
	totals: { campaigns: number; published: number; changed: number; drafts: number; withIssues: number };
	/** Most recently changed first. */
	items: CampaignItem[];
}

async function campaignsStage(db: Database, workspaceId: string): Promise<CampaignsStage> {
	const [all, filters] = await Promise.all([listCampaigns(db, workspaceId), listSavedFilters(db, workspaceId)]);
	const shown = [...all].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, STAGE_ITEMS);
	const filterById = new Map(filters.map((f) => [f.id, f]));
	const counts = new Map<string, Promise<LeadCount>>();
	for (const c of shown) {
		const filter = c.audienceFilterId ? filterById.get(c.audienceFilterId) : undefined;
		if (filter?.valid && !counts.has(filter.id)) counts.set(filter.id, audienceCount(db, workspaceId, filter.filter));
	}
	const leads = new Map(await Promise.all([...counts].map(async ([id, count]) => [id, await count] as const)));
	const items = shown.map((c): CampaignItem => {
		const filter = c.audienceFilterId ? filterById.get(c.audienceFilterId) : undefined;
		return {
			id: c.id,
			name: c.name,
			channel: c.channel,
			vertical: c.vertical,
			publication: publication(c),
			version: c.latestVersion?.number ?? null,
			errors: c.errorCount,
			warnings: c.issues.filter((i) => i.severity === 'warning').length,
			audience: filter ? { filterId: filter.id, name: filter.name, valid: filter.valid, leads: leads.get(filter.id) ?? null } : null,
			updatedAt: c.updatedAt
		};
	});
	const states = all.map(publication);
	return {
		totals: {
			campaigns: all.length,
			published: states.filter((s) => s === 'published').length,
			changed: states.filter((s) => s === 'changed').length,
			drafts: states.filter((s) => s === 'draft').length,
			withIssues: all.filter((c) => c.errorCount > 0).length
		},
		items
	};
}

export interface BrandPool {
	brandId: string;
	active: number;
	total: number;
	/** Sum of the active numbers' daily caps. */
	dailyCap: number;
	/** Active numbers without a cap of their own (only the brand's caps limit them). */
	uncapped: number;
}

export interface NumbersStage {
	totals: { numbers: number; active: number; paused: number; blocked: number };
	/** What the active pool may send per day from the numbers' own caps. */
	capacity: { dailyCap: number; uncapped: number };
	/** By active numbers, most first. */
	brands: BrandPool[];
}

async function numbersStage(db: Database, workspaceId: string): Promise<NumbersStage> {
	const rows = await db
		.select({
			brandId: senderNumbers.brandId,
			status: senderNumbers.status,
			n: sql<number>`count(*)`.mapWith(Number),
			dailyCap: sql<number>`coalesce(sum(${senderNumbers.dailyCap}), 0)`.mapWith(Number),
			uncapped: sql<number>`count(*) filter (where ${senderNumbers.dailyCap} is null)`.mapWith(Number)
		})
		.from(senderNumbers)
		.where(eq(senderNumbers.workspaceId, workspaceId))
		.groupBy(senderNumbers.brandId, senderNumbers.status);
	const totals = { numbers: 0, active: 0, paused: 0, blocked: 0 };
	const brands = new Map<string, BrandPool>();
	for (const r of rows) {
		totals.numbers += r.n;
		totals[r.status] += r.n;
		const brand = brands.get(r.brandId) ?? { brandId: r.brandId, active: 0, total: 0, dailyCap: 0, uncapped: 0 };
		brand.total += r.n;
		if (r.status === 'active') {
			brand.active += r.n;
			brand.dailyCap += r.dailyCap;
			brand.uncapped += r.uncapped;
		}
		brands.set(r.brandId, brand);
	}
	const list = [...brands.values()].sort((a, b) => b.active - a.active || a.brandId.localeCompare(b.brandId));
	return {
		totals,
		capacity: { dailyCap: list.reduce((s, b) => s + b.dailyCap, 0), uncapped: list.reduce((s, b) => s + b.uncapped, 0) },
		brands: list
	};
}

export interface RunSummary {
	id: string;
	version: CrusadeRunVersion;
	status: DryRunStatus;
	total: number | null;
	done: number;
	wouldSend: number;
	blocked: number;
	finishedAt: Date | null;
	createdAt: Date;
}

export type SchedulePhase = 'unscheduled' | 'upcoming' | 'live' | 'ended';

export interface CrusadeItem {
	id: string;
	name: string;
	startsAt: Date | null;
	endsAt: Date | null;
	phase: SchedulePhase;
	publication: Publication;
	version: number | null;
	errors: number;
	campaigns: number;
	lastRun: RunSummary | null;
}

export interface CrusadesStage {
	totals: { crusades: number; published: number; live: number; withIssues: number };
	/** Live first, then upcoming, then the rest; most recently changed first within each. */
	items: CrusadeItem[];
}

function phaseOf(c: Pick<CrusadeSummary, 'startsAt' | 'endsAt'>, now: Date): SchedulePhase {
	if (!c.startsAt || !c.endsAt) return 'unscheduled';
	if (now < c.startsAt) return 'upcoming';
	return now <= c.endsAt ? 'live' : 'ended';
}

const PHASE_ORDER: Record<SchedulePhase, number> = { live: 0, upcoming: 1, unscheduled: 2, ended: 3 };

/** The newest dry-run of each crusade, in one pass over the workspace's runs. */
async function lastRuns(db: Database, workspaceId: string, crusadeIds: string[]): Promise<Map<string, RunSummary>> {
	if (crusadeIds.length === 0) return new Map();
	const key = sql`split_part(${dryRuns.source}, '@', 1)`;
	const rows = await db
		.selectDistinctOn([key], {
			id: dryRuns.id,
			source: dryRuns.source,
			status: dryRuns.status,
			total: dryRuns.total,
			done: dryRuns.done,
			wouldSend: dryRuns.wouldSend,
			blocked: dryRuns.blocked,
			finishedAt: dryRuns.finishedAt,
			createdAt: dryRuns.createdAt
		})
		.from(dryRuns)
		.where(and(eq(dryRuns.workspaceId, workspaceId), inArray(key, crusadeIds.map((id) => `crusade:${id}`))))
		.orderBy(key, desc(dryRuns.createdAt));
	const out = new Map<string, RunSummary>();
	for (const { source, ...run } of rows) {
		const parsed = parseRunSource(source);
		if (parsed) out.set(parsed.crusadeId, { ...run, version: parsed.version });
	}
	return out;
}

async function crusadesStage(db: Database, workspaceId: string, now: Date): Promise<CrusadesStage> {
	const all = await listCrusades(db, workspaceId);
	const ordered = all
		.map((c) => ({ c, phase: phaseOf(c, now) }))
		.sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || b.c.updatedAt.getTime() - a.c.updatedAt.getTime())
		.slice(0, STAGE_ITEMS);
	const runs = await lastRuns(
		db,
		workspaceId,
		ordered.map(({ c }) => c.id)
	);
	return {
		totals: {
			crusades: all.length,
			published: all.filter((c) => c.latestVersion).length,
			live: all.filter((c) => c.latestVersion && phaseOf(c, now) === 'live').length,
			withIssues: all.filter((c) => c.errorCount > 0).length
		},
		items: ordered.map(({ c, phase }) => ({
			id: c.id,
			name: c.name,
			startsAt: c.startsAt,
			endsAt: c.endsAt,
			phase,
			publication: publication(c),
			version: c.latestVersion?.number ?? null,
			errors: c.errorCount,
			campaigns: c.campaignIds.length,
			lastRun: runs.get(c.id) ?? null
		}))
	};
}

export interface OverviewSnapshot {
	files?: FilesStage;
	campaigns?: CampaignsStage;
	numbers?: NumbersStage;
	crusades?: CrusadesStage;
	/** When it was read (server clock). */
	at: Date;
}

/** The stages asked for (all by default), read in parallel. */
export async function overviewSnapshot(db: Database, workspaceId: string, stages: readonly OverviewStage[] = OVERVIEW_STAGES): Promise<OverviewSnapshot> {
	const at = new Date();
	const want = new Set(stages);
	const [files, campaigns, numbers, crusades] = await Promise.all([
		want.has('files') ? filesStage(db, workspaceId) : undefined,
		want.has('campaigns') ? campaignsStage(db, workspaceId) : undefined,
		want.has('numbers') ? numbersStage(db, workspaceId) : undefined,
		want.has('crusades') ? crusadesStage(db, workspaceId, at) : undefined
	]);
	return { ...(files && { files }), ...(campaigns && { campaigns }), ...(numbers && { numbers }), ...(crusades && { crusades }), at };
}
