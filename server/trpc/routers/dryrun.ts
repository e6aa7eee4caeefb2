import { z } from 'zod';
import { cancelDryRun, dryRunEvents, dryRunResultsPage, explainLead, getDryRun, listDryRuns, resultsQuerySchema, startDryRun } from '../../dryrun/service';
import { dryRunInputSchema } from '../../dryrun/input';
import { router, workspaceInput, workspaceProcedure } from '../init';

const runInput = workspaceInput.extend({ runId: z.uuid() });

export const dryrunRouter = router({
	start: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ input: dryRunInputSchema }))
		.mutation(({ ctx, input }) => startDryRun(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, input.input)),

	list: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ limit: z.number().int().min(1).max(100).default(20) }))
		.query(({ ctx, input }) => listDryRuns(ctx.deps.db, ctx.member.workspaceId, input.limit)),

	get: workspaceProcedure('workspace.view')
		.input(runInput)
		.query(({ ctx, input }) => getDryRun(ctx.deps.db, ctx.member.workspaceId, input.runId)),

	results: workspaceProcedure('workspace.view')
		.input(runInput.extend(resultsQuerySchema.shape).extend({ limit: z.number().int().min(1).max(500).default(50) }))
		.query(({ ctx, input }) => dryRunResultsPage(ctx.deps.db, ctx.member.workspaceId, input.runId, input)),

	explain: workspaceProcedure('workspace.view')
		.input(runInput.extend({ leadId: z.uuid() }))
		.query(({ ctx, input }) => explainLead(ctx.deps.db, ctx.member.workspaceId, input.runId, input.leadId)),

	cancel: workspaceProcedure('content.edit')
		.input(runInput)
		.mutation(({ ctx, input }) => cancelDryRun(ctx.deps.db, ctx.member.workspaceId, input.runId)),

	events: workspaceProcedure('workspace.view')
		.input(runInput.extend({ afterId: z.number().int().min(0).default(0) }))
		.query(({ ctx, input }) => dryRunEvents(ctx.deps.db, ctx.member.workspaceId, input.runId, input.afterId))
});
