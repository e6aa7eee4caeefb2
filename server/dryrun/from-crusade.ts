import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { campaigns, campaignVersions } from '../../db/schema/index';
import type { CampaignContent } from '../campaigns/document';
import { crusadeDraft, type CrusadeContent } from '../crusades/document';
import { crusadeDocName } from '../crusades/kind';
import { crusadeVersion, getCrusade } from '../crusades/service';
import { storedDocument } from '../documents/stored';
import { BadInputError, ConflictError } from '../errors';
import { leadFilterSchema } from '../leads/filter';
import { messagingSettings } from '../messaging/settings';
import { activeSenderNumbers } from '../numbers/service';
import type { DryRunInput } from './input';

/**
 * A crusade (a published version, or its current draft once it validates) as the plain
 * `DryRunInput` the engine runs: each frozen campaign's audience, first send step, channel and
 * name; the schedule, budgets and state rules; the vertical; the workspace's active sender
 * numbers; its messaging settings (consent policy, sender and company name); and the version's hash as the seed, so two runs of one
 * version allocate and pick variants identically.
 */

export type CrusadeRunVersion = number | 'draft';

/** Where a run came from, as `dry_runs.source` stores it: `crusade:<id>@v<n>` or `crusade:<id>@draft`. */
export function crusadeRunSource(crusadeId: string, version: CrusadeRunVersion): string {
	return `crusade:${crusadeId}@${version === 'draft' ? 'draft' : `v${version}`}`;
}

/** The prefix every run of one crusade's source starts with (for listing its runs). */
export function crusadeSourcePrefix(crusadeId: string): string {
	return `crusade:${crusadeId}@`;
}

/** Reads a source back: which crusade and version, or null for runs started from a raw input. */
export function parseRunSource(source: string | null): { crusadeId: string; version: CrusadeRunVersion } | null {
	const m = /^crusade:([0-9a-f-]{36})@(?:v(\d+)|(draft))$/.exec(source ?? '');
	if (!m?.[1]) return null;
	return { crusadeId: m[1], version: m[3] ? 'draft' : Number(m[2]) };
}

type Node = CampaignContent['nodes'][number];

/**
 * The first `send_message` a lead meets: breadth-first from the start node through steps that
 * send nothing (waits, tags), edges in id order so the answer never depends on storage order.
 */
export function firstSendStep(content: Pick<CampaignContent, 'nodes' | 'edges'>): Node | null {
	const byId = new Map(content.nodes.map((n) => [n.id, n]));
	const next = new Map<string, string[]>();
	for (const e of [...content.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
	const queue = content.nodes.filter((n) => n.type === 'start').map((n) => n.id);
	const seen = new Set<string>();
	while (queue.length > 0) {
		const id = queue.shift() as string;
		if (seen.has(id)) continue;
		seen.add(id);
		const node = byId.get(id);
		if (node?.type === 'send_message') return node;
		queue.push(...(next.get(id) ?? []));
	}
	return null;
}

interface Frozen {
	content: CrusadeContent;
	hash: string;
}

async function frozenContent(db: Database, workspaceId: string, crusadeId: string, version: CrusadeRunVersion): Promise<Frozen> {
	if (version === 'draft') {
		const draft = await crusadeDraft(db, workspaceId, await storedDocument(db, crusadeDocName(crusadeId)));
		const errors = draft.issues.filter((i) => i.severity === 'error');
		if (errors.length > 0) throw new BadInputError(`The draft cannot be dry-run yet: ${errors.map((i) => i.message).join(' ')}`);
		return { content: draft.content, hash: draft.hash };
	}
	const v = await crusadeVersion(db, workspaceId, crusadeId, version);
	return { content: v.content, hash: v.hash };
}

/** Builds the input; throws a named error a person can act on when it cannot be built. */
export async function dryRunInputForCrusade(
	db: Database,
	workspaceId: string,
	crusadeId: string,
	version: CrusadeRunVersion
): Promise<DryRunInput> {
	const crusade = await getCrusade(db, workspaceId, crusadeId);
	if (version !== 'draft' && crusade.latestVersion === null) throw new ConflictError('This crusade has no published version yet: publish it, or dry-run the draft.');
	const { content, hash } = await frozenContent(db, workspaceId, crusadeId, version);
	if (!content.schedule) throw new BadInputError('This crusade has no valid schedule.');
	if (content.campaigns.length === 0) throw new BadInputError('This crusade lists no campaigns.');

	const versionIds = content.campaigns.map((c) => c.versionId);
	const rows = await db
		.select({ versionId: campaignVersions.id, content: campaignVersions.content, name: campaigns.name })
		.from(campaignVersions)
		.innerJoin(campaigns, eq(campaigns.id, campaignVersions.campaignId))
		.where(and(inArray(campaignVersions.id, versionIds), eq(campaignVersions.workspaceId, workspaceId)));
	const byVersion = new Map(rows.map((r) => [r.versionId, r]));

	// The workspace's policy: consent required or not, and the sender and company names merge fields use.
	const messaging = await messagingSettings(db, workspaceId);
	let vertical: string | null = null;
	const mapped = content.campaigns.map((frozen) => {
		const row = byVersion.get(frozen.versionId);
		if (!row) throw new ConflictError('A campaign version this crusade froze no longer exists.');
		const c = row.content as unknown as CampaignContent;
		const label = row.name || frozen.campaignId;
		const step = firstSendStep(c);
		if (!step) throw new BadInputError(`Campaign "${label}" (v${frozen.number}) sends no message.`);
		const audience = leadFilterSchema.safeParse(c.audience?.filter ?? null);
		if (!audience.success) throw new BadInputError(`Campaign "${label}" (v${frozen.number}) has no usable audience.`);
		vertical ??= c.vertical;
		return {
			id: frozen.campaignId,
			name: row.name.slice(0, 200),
			channel: c.channel ?? 'sms',
			audience: audience.data,
			firstStep: { id: step.id, type: 'send_message' as const, config: (step.config ?? {}) as Record<string, unknown> },
			senderName: messaging.senderName,
			companyName: messaging.companyName,
			vertical: c.vertical ?? undefined
		};
	});

	// No active numbers is not refused: the run still explains every other reason, and each lead
	// that would be texted shows `no_sender`, which says what to fix.
	const senders = await activeSenderNumbers(db, workspaceId);
	return {
		source: crusadeRunSource(crusadeId, version),
		schedule: content.schedule,
		budgets: content.budgets ?? {},
		stateRules: content.stateRules,
		// Each campaign keeps its own vertical's cooldown; this is the fallback for one without.
		vertical: vertical ?? 'general',
		requireConsent: messaging.requireConsent,
		campaigns: mapped,
		senders,
		seed: hash
	};
}
