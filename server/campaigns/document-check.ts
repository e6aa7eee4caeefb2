import type * as Y from 'yjs';
import { z } from 'zod';
import type { ProjectedIssue } from '../../db/schema/campaigns';
import type { OptOutPolicy } from './templates/opt-out';
import { validateGraph, type CampaignChannel, type CampaignEdge, type CampaignStep } from './steps/registry';

/**
 * The pure half of reading a campaign document: no database, so the canvas runs exactly
 * these checks in the browser on every change and every editor sees the same issues the
 * projection writes (only the audience's existence needs the server, see document.ts).
 */

/** Channels a campaign can send on; the same values as the `campaign_channel` column. */
export const CAMPAIGN_CHANNEL_OPTIONS = ['sms', 'mms'] as const satisfies readonly CampaignChannel[];

const CHOOSE_VERTICAL = 'Choose a vertical (real estate, solar, …).';

export const campaignMetaFields = {
	// The same words when it is missing as when it is blank: people never see "expected string".
	vertical: z.string({ error: CHOOSE_VERTICAL }).trim().min(1, CHOOSE_VERTICAL).max(60, 'Keep the vertical under 60 characters.'),
	channel: z.enum(CAMPAIGN_CHANNEL_OPTIONS, 'Choose SMS or MMS.'),
	audienceFilterId: z.uuid('Choose an audience (a saved lead filter).')
};

export type CampaignMetaField = keyof typeof campaignMetaFields;

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

export type CampaignRead = ReturnType<typeof readCampaignDocument>;

export function metaValue<K extends CampaignMetaField>(meta: Record<string, unknown>, field: K, issues: ProjectedIssue[]): z.output<(typeof campaignMetaFields)[K]> | null {
	const parsed = campaignMetaFields[field].safeParse(meta[field]);
	if (parsed.success) return parsed.data as z.output<(typeof campaignMetaFields)[K]>;
	issues.push({ root: 'meta', field, code: 'invalid_meta', severity: 'error', message: parsed.error.issues[0]?.message ?? 'Invalid value.' });
	return null;
}

/** The graph's issues (each node through its step schema, then the graph rules), addressed to their root. */
export function graphIssues(
	read: Pick<CampaignRead, 'nodes' | 'edges'>,
	context: { channel: CampaignChannel | null; memberIds?: readonly string[]; optOutPolicy?: OptOutPolicy }
): ProjectedIssue[] {
	return validateGraph({ nodes: read.nodes, edges: read.edges }, { channel: context.channel ?? undefined, memberIds: context.memberIds, optOutPolicy: context.optOutPolicy }).map((issue) => ({
		...issue,
		root: issue.nodeId ? 'nodes' : issue.edgeId ? 'edges' : undefined
	}));
}
