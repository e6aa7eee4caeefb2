import { z } from 'zod';
import { actorOf } from '../../auth/deps';
import { campaignVersion, createCampaign, deleteCampaign, getCampaign, listCampaigns, listCampaignVersions, publishCampaign, renameCampaign } from '../../campaigns/service';
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

	delete: workspaceProcedure('content.edit')
		.input(one)
		.mutation(({ ctx, input }) => deleteCampaign(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.campaignId)),

	/** `{ ok: false, issues }` (field-addressed) when the document is invalid; else the frozen version. */
	publish: workspaceProcedure('content.edit')
		.input(one)
		.mutation(({ ctx, input }) => publishCampaign(ctx.deps.db, actorOf(ctx.user, ctx), input.workspaceId, input.campaignId)),

	versions: workspaceProcedure('workspace.view')
		.input(one)
		.query(({ ctx, input }) => listCampaignVersions(ctx.deps.db, input.workspaceId, input.campaignId)),

	version: workspaceProcedure('workspace.view')
		.input(one.extend({ number: z.number().int().min(1) }))
		.query(({ ctx, input }) => campaignVersion(ctx.deps.db, input.workspaceId, input.campaignId, input.number))
});
