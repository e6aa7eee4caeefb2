import { and, eq } from 'drizzle-orm';
import type * as Y from 'yjs';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { CAMPAIGN_CHANNELS, memberships, savedFilters, type CampaignChannelValue, type ProjectedIssue } from '../../db/schema/index';
import { contentHash } from './canonical';
import { validateGraph, type CampaignEdge, type CampaignStep } from './steps/registry';

/**
 * The `campaign:<uuid>` document (roots are fixed: a kind's roots are how server code reads it):
 *
 * - `meta`  Y.Map — `vertical` (string), `channel` ('sms' | 'mms'), `audienceFilterId` (a saved
 *           filter's id).
 * - `nodes` Y.Map — node id → Y.Map or plain object `{ type, position: { x, y }, config }`;
 *           `type` names a step type of the registry, `config` is that step's config.
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

const metaFields = {
	vertical: z.string().trim().min(1, 'Choose a vertical (real estate, solar, …).').max(60, 'Keep the vertical under 60 characters.'),
	channel: z.enum(CAMPAIGN_CHANNELS, 'Choose SMS or MMS.'),
	audienceFilterId: z.uuid('Choose an audience (a saved lead filter).')
};

function record(value: unknown): Record<string, unknown> | null {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The document as plain data, with an issue for every node or edge too malformed to read. */
export function readCampaignDocument(doc: Y.Doc) {
	const issues: ProjectedIssue[] = [];
	const meta = doc.getMap('meta').toJSON() as Record<string, unknown>;
	const nodes: CampaignStep[] = [];
	for (const [id, raw] of Object.entries(doc.getMap('nodes').toJSON() as Record<string, unknown>)) {
		const node = record(raw);
		if (!node || typeof node.type !== 'string') {
			issues.push({ nodeId: id, field: 'type', code: 'malformed_node', severity: 'error', message: 'This step has no type.' });
			continue;
		}
		nodes.push({ id, type: node.type, config: node.config ?? {} });
	}
	const edges: CampaignEdge[] = [];
	for (const [id, raw] of Object.entries(doc.getMap('edges').toJSON() as Record<string, unknown>)) {
		const edge = record(raw);
		if (!edge || typeof edge.source !== 'string' || typeof edge.target !== 'string') {
			issues.push({ edgeId: id, code: 'malformed_edge', severity: 'error', message: 'This connection has no source or target.' });
			continue;
		}
		edges.push({ id, source: edge.source, target: edge.target, sourceHandle: typeof edge.sourceHandle === 'string' ? edge.sourceHandle : null });
	}
	return { meta, nodes: nodes.sort(byId), edges: edges.sort(byId), issues };
}

function metaValue<K extends keyof typeof metaFields>(meta: Record<string, unknown>, field: K, issues: ProjectedIssue[]): z.output<(typeof metaFields)[K]> | null {
	const parsed = metaFields[field].safeParse(meta[field]);
	if (parsed.success) return parsed.data as z.output<(typeof metaFields)[K]>;
	issues.push({ root: 'meta', field, code: 'invalid_meta', severity: 'error', message: parsed.error.issues[0]?.message ?? 'Invalid value.' });
	return null;
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
	for (const issue of validateGraph({ nodes: read.nodes, edges: read.edges }, { channel: channel ?? undefined, memberIds: members.map((m) => m.id) })) {
		issues.push({ ...issue, root: issue.nodeId ? 'nodes' : issue.edgeId ? 'edges' : undefined });
	}
	const content: CampaignContent = {
		vertical,
		channel,
		audience,
		nodes: read.nodes.map((n) => ({ id: n.id, type: n.type, config: n.config ?? {} })),
		edges: read.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourceHandle: e.sourceHandle ?? null }))
	};
	return { content, hash: contentHash(content), issues, errorCount: issues.filter((i) => i.severity === 'error').length };
}
