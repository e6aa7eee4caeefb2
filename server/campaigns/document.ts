import { and, eq, inArray } from 'drizzle-orm';
import type * as Y from 'yjs';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { mediaAssets, memberships, savedFilters, type CampaignChannelValue, type ProjectedIssue } from '../../db/schema/index';
import { messagingSettings } from '../messaging/settings';
import { contentHash } from './canonical';
import { graphIssues, metaValue, readCampaignDocument, type CampaignRead } from './document-check';

/**
 * The `campaign:<uuid>` document (roots are fixed: a kind's roots are how server code reads it):
 *
 * - `meta`  Y.Map — `vertical` (string), `channel` ('sms' | 'mms'), `audienceFilterId` (a saved
 *           filter's id).
 * - `nodes` Y.Map — node id → Y.Map or plain object `{ type, position: { x, y }, config }`;
 *           `type` names a step type of the registry, `config` is that step's config (a
 *           Y.Map or plain object). A step's top-level free-text fields (manifest kinds `text`
 *           and `textarea`: a message, a note, a reason) are Y.Text, so people typing in one
 *           field at once merge character by character; older documents hold plain strings
 *           there, which the builder turns into Y.Text on first edit. Either reads as the same
 *           string through toJSON, so validation, projection and content hashes do not see the
 *           difference. Fields inside lists (a branch's name) stay strings: lists are written whole.
 * - `edges` Y.Map — edge id → Y.Map or plain object `{ source, target, sourceHandle? }`
 *           (xyflow's field names; `sourceHandle` names the output the edge leaves by).
 *
 * Anything may be invalid while people edit; validation reports it, it never rewrites it.
 * The campaign's name is not in the document: it is a label on the row (renamed over tRPC).
 */
export const CAMPAIGN_ROOTS = { meta: 'map', nodes: 'map', edges: 'map' } as const;

/** What a published version freezes and what its hash covers. Node positions are layout, not content. */
export interface CampaignContent {
	vertical: string | null;
	channel: CampaignChannelValue | null;
	audience: { filterId: string; filter: Record<string, unknown> } | null;
	nodes: { id: string; type: string; config: unknown }[];
	edges: { id: string; source: string; target: string; sourceHandle: string | null }[];
}

export interface CampaignDraft {
	content: CampaignContent;
	hash: string;
	issues: ProjectedIssue[];
	errorCount: number;
}

/**
 * Reads, validates and freezes-to-be: the content a publish would freeze, its hash, and
 * every issue (meta fields, the audience, each node through its step schema, the graph).
 */
export async function campaignDraft(db: Database, workspaceId: string, doc: Y.Doc): Promise<CampaignDraft> {
	const read = readCampaignDocument(doc);
	const issues = [...read.issues];
	const vertical = metaValue(read.meta, 'vertical', issues);
	const channel = metaValue(read.meta, 'channel', issues);
	const filterId = metaValue(read.meta, 'audienceFilterId', issues);
	let audience: CampaignContent['audience'] = null;
	if (filterId) {
		const [filter] = await db
			.select({ filter: savedFilters.filter })
			.from(savedFilters)
			.where(and(eq(savedFilters.id, filterId), eq(savedFilters.workspaceId, workspaceId)))
			.limit(1);
		if (filter) audience = { filterId, filter: filter.filter };
		else issues.push({ root: 'meta', field: 'audienceFilterId', code: 'unknown_audience', severity: 'error', message: 'That saved filter no longer exists; choose another audience.' });
	}
	const members = await db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId));
	// The workspace's own opt-out rule (Messaging settings), not only the default.
	const { optOutPolicy } = await messagingSettings(db, workspaceId);
	issues.push(...graphIssues(read, { channel, memberIds: members.map((m) => m.id), optOutPolicy }));
	issues.push(...(await foreignMedia(db, workspaceId, read.nodes)));
	const content: CampaignContent = {
		vertical,
		channel,
		audience,
		nodes: read.nodes.map((n) => ({ id: n.id, type: n.type, config: n.config ?? {} })),
		edges: read.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null }))
	};
	return { content, hash: contentHash(content), issues, errorCount: issues.filter((i) => i.severity === 'error').length };
}

/**
 * Attachments must be this workspace's own uploads. A step's media item is only an id plus what
 * the uploader measured, and the document takes whatever an editor (or a script) writes: an id
 * from another workspace, or of an image since deleted, would freeze into a version an image
 * nobody here owns or that is gone, which a sender would then fetch by id.
 */
async function foreignMedia(db: Database, workspaceId: string, nodes: CampaignRead['nodes']): Promise<ProjectedIssue[]> {
	const refs: { nodeId: string; index: number; assetId: unknown }[] = [];
	for (const node of nodes) {
		const media = (node.config as { media?: unknown } | null)?.media;
		if (Array.isArray(media)) media.forEach((item: unknown, index) => refs.push({ nodeId: node.id, index, assetId: (item as { assetId?: unknown } | null)?.assetId }));
	}
	const ids = [...new Set(refs.map((r) => r.assetId))].filter((id): id is string => z.uuid().safeParse(id).success);
	if (refs.length === 0) return [];
	const owned = ids.length ? await db.select({ id: mediaAssets.id }).from(mediaAssets).where(and(eq(mediaAssets.workspaceId, workspaceId), inArray(mediaAssets.id, ids))) : [];
	const known = new Set(owned.map((r) => r.id));
	return refs
		.filter((r) => typeof r.assetId === 'string' && !known.has(r.assetId))
		.map((r) => ({ root: 'nodes', nodeId: r.nodeId, field: `media.${r.index}`, code: 'unknown_media', severity: 'error' as const, message: 'This image is not among this workspace’s uploads (deleted, or from elsewhere); attach it again.' }));
}
