import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { dryRunResults, dryRuns } from '../../db/schema/dryrun';
import { leads } from '../../db/schema/leads';
import type { CampaignLead } from '../campaigns/lead';
import { compileStep } from '../campaigns/steps/registry';
import { audienceWhere } from './first-pass';
import { dryRunInputSchema } from './input';

/**
 * The message one lead would get in a dry-run, rendered again for the explanation: the results
 * keep only the variant's key (a million bodies would be most of the table), so the campaign
 * is found the way the first pass found it (the first whose audience holds the lead) and its
 * first step resolved for the lead as the run did. Null when the lead is no longer in any
 * audience or the message has no body to show.
 */
export interface LeadMessage {
	campaignId: string;
	campaignName: string;
	body: string;
}

export async function leadMessage(db: Database, workspaceId: string, runId: string, leadId: string): Promise<LeadMessage | null> {
	const [run] = await db
		.select({ input: dryRuns.input, startedAt: dryRuns.startedAt })
		.from(dryRuns)
		.where(and(eq(dryRuns.id, runId), eq(dryRuns.workspaceId, workspaceId)));
	if (!run) return null;
	const config = dryRunInputSchema.parse(run.input);
	const { where, campaign } = audienceWhere(workspaceId, config);
	// `audienceWhere` speaks of the lead as `l`, as the first pass does.
	const l = alias(leads, 'l');
	const [row] = await db
		.select({
			firstName: l.firstName,
			lastName: l.lastName,
			fullName: l.fullName,
			email: l.email,
			street: l.street,
			city: l.city,
			state: l.state,
			zip: l.zip,
			timeZone: l.timeZone,
			campaign: sql<number>`${campaign}::int`
		})
		.from(l)
		.where(and(eq(l.id, leadId), where));
	const c = row ? config.campaigns[row.campaign] : undefined;
	if (!row || !c) return null;
	const [result] = await db
		.select({ phone: dryRunResults.phone })
		.from(dryRunResults)
		.where(and(eq(dryRunResults.runId, runId), eq(dryRunResults.leadId, leadId)));
	const step = compileStep(c.firstStep, { channel: c.channel });
	if (!step.ok) return null;
	const { campaign: _, ...fields } = row;
	const lead: CampaignLead = { id: leadId, ...fields, phone: result?.phone ?? null };
	const now = config.now ? new Date(config.now) : (run.startedAt ?? new Date());
	const action = step.resolve(lead, {
		stepId: c.firstStep.id,
		now: new Date(Math.max(now.getTime(), Date.parse(config.schedule.startsAt))),
		channel: c.channel,
		sender: { senderName: c.senderName ?? null, companyName: c.companyName ?? null },
		nextWindowStart: () => null
	});
	if (action.kind !== 'send') return null;
	return { campaignId: c.id, campaignName: c.name, body: action.body };
}
