import { z } from 'zod';
import { overviewSnapshot } from '../../overview/service';
import { OVERVIEW_STAGES, overviewStageSchema } from '../../overview/stages';
import { router, workspaceInput, workspaceProcedure } from '../init';

/** The live grid: every member may read it (viewers included); a change refetches only its stages. */
export const overviewRouter = router({
	get: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ stages: z.array(overviewStageSchema).min(1).max(OVERVIEW_STAGES.length).optional() }))
		.query(({ ctx, input }) => overviewSnapshot(ctx.deps.db, ctx.member.workspaceId, input.stages))
});
