import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { campaigns, campaignVersions, crusades, docUpdates, savedFilters, senderNumbers } from '../../db/schema/index';
import { contentHash } from '../../server/campaigns/canonical';
import type { CampaignContent } from '../../server/campaigns/document';
import { crusadeDocName } from '../../server/crusades/kind';
import type { ScheduleInput } from '../../server/crusades/schedule';
import { publishCrusade } from '../../server/crusades/service';
import type { SenderNumberInput } from '../../server/numbers/sender-number';

/**
 * A crusade ready to dry-run, written straight into Postgres (the canvas and editor are tested
 * through their pages): a published campaign (start → send), sender numbers, and a crusade
 * whose stored document lists the campaign with a schedule, optionally published.
 */

export const SEED_BODY = '{Hi|Hello} {{first_name|there}}, is your place still for sale? Reply STOP to opt out.';

export async function seedPublishedCampaign(db: Database, workspaceId: string, options: { name?: string; vertical?: string; filter?: Record<string, unknown> } = {}) {
	const [filter] = await db
		.insert(savedFilters)
		.values({ workspaceId, name: `Audience ${Math.random().toString(36).slice(2, 8)}`, filter: options.filter ?? {} })
		.returning({ id: savedFilters.id });
	const [campaign] = await db
		.insert(campaigns)
		.values({ workspaceId, name: options.name ?? 'Sellers', vertical: options.vertical ?? 'real_estate', channel: 'sms', status: 'published' })
		.returning({ id: campaigns.id });
	const content: CampaignContent = {
		vertical: options.vertical ?? 'real_estate',
		channel: 'sms',
		audience: { filterId: filter!.id, filter: options.filter ?? {} },
		nodes: [
			{ id: 'n-send', type: 'send_message', config: { body: SEED_BODY } },
			{ id: 'n-start', type: 'start', config: {} }
		],
		edges: [{ id: 'e1', source: 'n-start', target: 'n-send', sourceHandle: null }]
	};
	const hash = contentHash(content);
	await db.insert(campaignVersions).values({ campaignId: campaign!.id, workspaceId, number: 1, hash, content: content as unknown as Record<string, unknown> });
	return { campaignId: campaign!.id, hash };
}

export async function seedSenders(db: Database, workspaceId: string, numbers: SenderNumberInput[]) {
	if (numbers.length === 0) return;
	await db.insert(senderNumbers).values(numbers.map((n) => ({ workspaceId, status: 'active' as const, dailyCap: null, ...n })));
}

export const WEEK_9_TO_5: ScheduleInput['windows'] = Object.fromEntries(
	(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((d) => [d, [{ start: '09:00', end: '17:00' }]])
) as ScheduleInput['windows'];

/** Stores a crusade document (as a client would have) and returns the crusade's id. */
export async function seedCrusade(
	db: Database,
	workspaceId: string,
	content: { name?: string; campaignIds: string[]; schedule: ScheduleInput; budgets?: Record<string, unknown> }
): Promise<string> {
	const [row] = await db
		.insert(crusades)
		.values({ workspaceId, name: content.name ?? 'Spring crusade' })
		.returning({ id: crusades.id });
	const id = row!.id;
	const doc = new Y.Doc();
	doc.transact(() => {
		const campaignsArray = doc.getArray<string>('campaigns');
		campaignsArray.push(content.campaignIds);
		const schedule = doc.getMap('schedule');
		for (const [k, v] of Object.entries(content.schedule)) schedule.set(k, v);
		if (content.budgets) doc.getMap('meta').set('budgets', content.budgets);
	});
	await db.insert(docUpdates).values({ docName: crusadeDocName(id), workspaceId, update: Y.encodeStateAsUpdateV2(doc) });
	return id;
}

export async function publishSeededCrusade(db: Database, workspaceId: string, crusadeId: string, userId: string | null = null) {
	const result = await publishCrusade(db, { userId, label: 'seed', ip: '127.0.0.1', userAgent: 'test' }, workspaceId, crusadeId);
	if (!result.ok) throw new Error(`publish refused: ${result.issues.map((i) => i.message).join(' ')}`);
	return result.version;
}
