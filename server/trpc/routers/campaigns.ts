import { z } from 'zod';
import { actorOf } from '../../auth/deps';
import { campaignVersion, createCampaign, deleteCampaign, getCampaign, listCampaigns, listCampaignVersions, publishCampaign, renameCampaign } from '../../campaigns/service';
import { previewInputSchema, previewStep } from '../../campaigns/preview';
import { crusadesListing, refreshCrusades } from '../../crusades/service';
import { router, workspaceInput, workspaceProcedure } from '../init';

const name = z.string().trim().min(1, 'Give it a name').max(120, 'Keep the name under 120 characters');
const one = workspaceInput.extend({ campaignId: z.uuid() });

/** Campaigns: viewers read, operators and up create, edit and publish. The content is edited live in `campaign:<id>`. */
export const campaignsRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx, input }) => listCampaigns(ctx.deps.db, input.workspaceId)),

	get: workspaceProcedure('workspace.view')
		.input(one)
		.query(({ ctx, input }) => getCampaign(ctx.deps.db, input.workspaceId, input.campaignId)),

	create: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ name }))
		.mutation(({ ctx, input }) => createCampaign(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input)),

	rename: workspaceProcedure('content.edit')
		.input(one.extend({ name }))
		.mutation(async ({ ctx, input }) => {
			await renameCampaign(ctx.deps.db, input.workspaceId, input.campaignId, input.name);
			return { ok: true as const };
		}),

	/** Deleted, or archived once it has published versions; refused while a published crusade uses it. */
	delete: workspaceProcedure('content.edit')
		.input(one)
		.mutation(async ({ ctx, input }) => {
			const affected = await crusadesListing(ctx.deps.db, input.workspaceId, input.campaignId);
			const result = await deleteCampaign(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.campaignId);
			await refreshCrusades(ctx.deps.db, input.workspaceId, affected);
			return result;
		}),

	/**
	 * `{ ok: false, issues }` (field-addressed) when the document is invalid; else the frozen
	 * version. The crusades listing the campaign are re-projected: what they would freeze changed.
	 */
	publish: workspaceProcedure('content.edit')
		.input(one)
		.mutation(async ({ ctx, input }) => {
			const result = await publishCampaign(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.campaignId);
			if (result.ok && result.created) await refreshCrusades(ctx.deps.db, input.workspaceId, await crusadesListing(ctx.deps.db, input.workspaceId, input.campaignId));
			return result;
		}),

	versions: workspaceProcedure('workspace.view')
		.input(one)
		.query(({ ctx, input }) => listCampaignVersions(ctx.deps.db, input.workspaceId, input.campaignId)),

	version: workspaceProcedure('workspace.view')
		.input(one.extend({ number: z.number().int().min(1) }))
		.query(({ ctx, input }) => campaignVersion(ctx.deps.db, input.workspaceId, input.campaignId, input.number)),

	/** One step rendered for one lead, from the editor's live config (viewers may preview too). */
	preview: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend(previewInputSchema.shape))
		.query(({ ctx, input }) => previewStep(ctx.deps.db, input.workspaceId, input, { senderName: ctx.user.displayName, companyName: ctx.member.name }))
});
