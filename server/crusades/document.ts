import * as Y from 'yjs';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { ProjectedIssue } from '../../db/schema/index';
import { contentHash } from '../campaigns/canonical';
import { latestCampaignVersions } from '../campaigns/service';
import { budgetsSchema, type Budgets } from './budgets';
import { stateRuleEditSchema, type StateRuleEdit } from './quiet-hours';
import { scheduleSchema, type ScheduleDoc } from './schedule';

/**
 * The `crusade:<uuid>` document:
 *
 * - `meta`      Y.Map — `budgets` (plain object, `budgetsSchema`: throttles, caps, jitter,
 *               cooldowns; omitted = defaults) and `stateRules` (array of `stateRuleEditSchema`:
 *               the team's edits of the state quiet-hours table).
 * - `campaigns` Y.Array of campaign ids, in order.
 * - `schedule`  Y.Map — `startsAt`, `endsAt` (ISO datetimes with offset), `windows`
 *               (Y.Map of `sun` … `sat` → plain `[{ start: 'HH:MM', end: 'HH:MM' }]`; older
 *               documents and scripts may hold one plain object), `skipHolidays`.
 *
 * The crusade's name is a label on its row, as for campaigns.
 */
export const CRUSADE_ROOTS = { meta: 'map', campaigns: 'array', schedule: 'map' } as const;

/**
 * A new crusade's document, stored with its row: `schedule.windows` already the Y.Map of days
 * (empty), so editors set days in it and never have to make it. Were it made on first edit, two
 * people's first edits at once would each make one and Yjs would keep only one of them (the
 * editor still converts older documents and carries a lost day over: week-windows-map.ts).
 */
export function initialCrusadeUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.getMap('schedule').set('windows', new Y.Map());
	return Y.encodeStateAsUpdateV2(doc);
}

/** One campaign as a crusade version freezes it: the latest published version at publish time. */
export interface FrozenCampaign {
	campaignId: string;
	versionId: string;
	number: number;
	hash: string;
}

export interface CrusadeContent {
	schedule: ScheduleDoc | null;
	budgets: Budgets | null;
	stateRules: StateRuleEdit[];
	campaigns: FrozenCampaign[];
}

export interface CrusadeDraft {
	content: CrusadeContent;
	hash: string;
	issues: ProjectedIssue[];
	errorCount: number;
	/** Listed campaigns that exist in the workspace, in order (for the membership rows). */
	campaignIds: string[];
}

function zodIssues(root: string, error: z.ZodError, prefix = ''): ProjectedIssue[] {
	return error.issues.map((i) => ({ root, field: prefix + i.path.join('.'), code: i.code, severity: 'error' as const, message: i.message }));
}

/**
 * Reads and validates the document: the schedule through `scheduleSchema`, budgets and state
 * rules through theirs, and each listed campaign (it must exist here and have a published
 * version, which is what the crusade would send).
 */
export async function crusadeDraft(db: Database, workspaceId: string, doc: Y.Doc): Promise<CrusadeDraft> {
	const issues: ProjectedIssue[] = [];
	const meta = doc.getMap('meta').toJSON() as Record<string, unknown>;
	const rawSchedule = doc.getMap('schedule').toJSON() as Record<string, unknown>;
	const listed = (doc.getArray('campaigns').toJSON() as unknown[]).filter((v): v is string => typeof v === 'string');

	let schedule: ScheduleDoc | null = null;
	const parsedSchedule = scheduleSchema.safeParse({ ...rawSchedule, windows: rawSchedule.windows ?? {} });
	if (parsedSchedule.success) schedule = parsedSchedule.data;
	else issues.push(...zodIssues('schedule', parsedSchedule.error));

	let budgets: Budgets | null = null;
	const parsedBudgets = budgetsSchema.safeParse(meta.budgets ?? {});
	if (parsedBudgets.success) budgets = parsedBudgets.data;
	else issues.push(...zodIssues('meta', parsedBudgets.error, 'budgets.'));

	const stateRules: StateRuleEdit[] = [];
	const rawRules = Array.isArray(meta.stateRules) ? (meta.stateRules as unknown[]) : [];
	rawRules.forEach((raw, i) => {
		const parsed = stateRuleEditSchema.safeParse(raw);
		if (parsed.success) stateRules.push(parsed.data);
		else issues.push(...zodIssues('meta', parsed.error, `stateRules.${i}.`));
	});

	const unique = [...new Set(listed)];
	const uuids = unique.filter((id) => z.uuid().safeParse(id).success);
	const { latest, existing } = await latestCampaignVersions(db, workspaceId, uuids);
	const campaigns: FrozenCampaign[] = [];
	if (unique.length === 0) issues.push({ root: 'campaigns', code: 'no_campaigns', severity: 'error', message: 'Add at least one campaign.' });
	if (unique.length < listed.length) issues.push({ root: 'campaigns', code: 'duplicate_campaign', severity: 'warning', message: 'A campaign is listed twice; it runs once.' });
	for (const id of unique) {
		const field = String(listed.indexOf(id));
		if (!existing.has(id)) {
			issues.push({ root: 'campaigns', field, code: 'unknown_campaign', severity: 'error', message: 'This campaign no longer exists; remove it.' });
			continue;
		}
		const version = latest.get(id);
		if (!version) {
			issues.push({ root: 'campaigns', field, code: 'campaign_unpublished', severity: 'error', message: 'Publish this campaign first: a crusade sends published versions only.' });
			continue;
		}
		campaigns.push({ campaignId: id, versionId: version.id, number: version.number, hash: version.hash });
	}

	const content: CrusadeContent = { schedule, budgets, stateRules, campaigns };
	return {
		content,
		hash: contentHash(content),
		issues,
		errorCount: issues.filter((i) => i.severity === 'error').length,
		campaignIds: unique.filter((id) => existing.has(id))
	};
}
