import { z } from 'zod';
import { deleteMediaAsset, listMediaAssets } from '../../media/service';
import { router, workspaceInput, workspaceProcedure } from '../init';

/** MMS images: members list them, operators and up delete unused ones (uploads go to `/w/<slug>/media`). */
export const mediaRouter = router({
	list: workspaceProcedure('workspace.view')
		.input(workspaceInput)
		.query(({ ctx }) => listMediaAssets(ctx.deps.db, ctx.member.workspaceId)),

	delete: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ assetId: z.uuid() }))
		.mutation(async ({ ctx, input }) => {
			await deleteMediaAsset(ctx.deps.db, ctx.member.workspaceId, input.assetId);
			return { ok: true as const };
		})
});
