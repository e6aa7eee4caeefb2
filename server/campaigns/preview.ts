import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { leadPhones, leads } from '../../db/schema/index';
import { NotFoundError } from '../errors';
import { InvalidStepError } from './errors';
import type { CampaignLead, SenderContext } from './lead';
import { CAMPAIGN_CHANNEL_OPTIONS } from './document-check';
import { resolveStep, type FieldIssue, type StepAction } from './steps/registry';

/**
 * A step as one lead would receive it, for the editor's preview. The config comes from the
 * editor's live document (it may not be saved yet), so the preview follows typing; the
 * step's own resolver renders it, the same code the dry-run and the sender run.
 */
export const previewInputSchema = z.object({
	nodeId: z.string().min(1).max(64),
	type: z.string().min(1).max(40),
	config: z.unknown(),
	channel: z.enum(CAMPAIGN_CHANNEL_OPTIONS).default('sms'),
	leadId: z.uuid()
});
export type PreviewInput = z.infer<typeof previewInputSchema>;

export type PreviewResult = { ok: true; lead: { id: string; name: string; phone: string | null }; action: StepAction } | { ok: false; issues: FieldIssue[] };

async function campaignLead(db: Database, workspaceId: string, leadId: string): Promise<CampaignLead> {
	const [row] = await db
		.select({
			id: leads.id,
			firstName: leads.firstName,
			lastName: leads.lastName,
			fullName: leads.fullName,
			email: leads.email,
			street: leads.street,
			city: leads.city,
			state: leads.state,
			zip: leads.zip,
			timeZone: leads.timeZone,
			tags: leads.tags,
			// The phone a send would most likely use: mobiles first, then the oldest.
			phone: sql<string | null>`(select ${leadPhones.e164} from ${leadPhones} where ${leadPhones.leadId} = ${leads.id} order by (${leadPhones.type} = 'mobile') desc, ${leadPhones.createdAt} limit 1)`
		})
		.from(leads)
		.where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)))
		.orderBy(asc(leads.id))
		.limit(1);
	if (!row) throw new NotFoundError('No such lead in this workspace.');
	return row;
}

export async function previewStep(db: Database, workspaceId: string, input: PreviewInput, sender: SenderContext): Promise<PreviewResult> {
	const lead = await campaignLead(db, workspaceId, input.leadId);
	try {
		const action = resolveStep({ id: input.nodeId, type: input.type, config: input.config }, lead, {
			now: new Date(),
			channel: input.channel,
			sender,
			// Wait windows need the lead's calendar; the preview is about what is said, not when.
			nextWindowStart: () => null
		});
		return { ok: true, lead: { id: lead.id, name: lead.fullName || 'Unnamed lead', phone: lead.phone ?? null }, action };
	} catch (error) {
		if (error instanceof InvalidStepError) return { ok: false, issues: error.issues };
		throw error;
	}
}
