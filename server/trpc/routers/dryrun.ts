import { z } from 'zod';
import { cancelDryRun, dryRunEvents, dryRunResultsPage, explainLead, getDryRun, listDryRuns, resultsQuerySchema, startDryRun } from '../../dryrun/service';
import { crusadeSourcePrefix, dryRunInputForCrusade } from '../../dryrun/from-crusade';
import { dryRunInputSchema } from '../../dryrun/input';
import { leadMessage } from '../../dryrun/lead-message';
import { router, workspaceInput, workspaceProcedure } from '../init';

const runInput = workspaceInput.extend({ runId: z.uuid() });

export const dryrunRouter = router({
	/**
	 * A run from a raw input. Its source may not claim to be a crusade's (`crusade:<id>@…`): the
	 * crusade page, the list and the live grid show a crusade's runs by that name as the fate of
	 * its version, so only startForCrusade, which reads the version itself, may write it.
	 */
	start: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ input: dryRunInputSchema.refine((i) => !i.source.toLowerCase().startsWith('crusade:'), { path: ['source'], message: 'a source starting with "crusade:" is reserved for dry-runs of a crusade (dryrun.startForCrusade)' }) }))
		.mutation(({ ctx, input }) => startDryRun(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, input.input)),

	/** A crusade's published version (by number) or its current draft, mapped onto the engine's input (dryrun/from-crusade.ts). */
	startForCrusade: workspaceProcedure('content.edit')
		.input(workspaceInput.extend({ crusadeId: z.uuid(), version: z.union([z.number().int().min(1), z.literal('draft')]) }))
		.mutation(async ({ ctx, input }) => {
			const runInput = await dryRunInputForCrusade(ctx.deps.db, ctx.member.workspaceId, input.crusadeId, input.version);
			return startDryRun(ctx.deps.db, ctx.member.workspaceId, ctx.user.id, runInput);
		}),

	list: workspaceProcedure('workspace.view')
		.input(workspaceInput.extend({ limit: z.number().int().min(1).max(100).default(20), crusadeId: z.uuid().optional() }))
		.query(({ ctx, input }) => listDryRuns(ctx.deps.db, ctx.member.workspaceId, input.limit, input.crusadeId ? crusadeSourcePrefix(input.crusadeId) : undefined)),

	get: workspaceProcedure('workspace.view')
		.input(runInput)
		.query(({ ctx, input }) => getDryRun(ctx.deps.db, ctx.member.workspaceId, input.runId)),

	results: workspaceProcedure('workspace.view')
		.input(runInput.extend(resultsQuerySchema.shape).extend({ limit: z.number().int().min(1).max(500).default(50) }))
		.query(({ ctx, input }) => dryRunResultsPage(ctx.deps.db, ctx.member.workspaceId, input.runId, input)),

	explain: workspaceProcedure('workspace.view')
		.input(runInput.extend({ leadId: z.uuid() }))
		.query(async ({ ctx, input }) => {
			const explanation = await explainLead(ctx.deps.db, ctx.member.workspaceId, input.runId, input.leadId);
			// The rendered message, for a lead that would be texted (the results keep only the variant's key).
			const message = explanation.outcome === 'send' ? await leadMessage(ctx.deps.db, ctx.member.workspaceId, input.runId, input.leadId) : null;
			return { ...explanation, message };
		}),

	cancel: workspaceProcedure('content.edit')
		.input(runInput)
		.mutation(({ ctx, input }) => cancelDryRun(ctx.deps.db, ctx.member.workspaceId, input.runId)),

	events: workspaceProcedure('workspace.view')
		.input(runInput.extend({ afterId: z.number().int().min(0).default(0) }))
		.query(({ ctx, input }) => dryRunEvents(ctx.deps.db, ctx.member.workspaceId, input.runId, input.afterId))
});
