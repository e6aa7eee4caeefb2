import { UnrecoverableError } from 'bullmq';
import { DomainError } from '../../server/errors';
import { database } from '../../server/db';
import { runDryRun } from '../../server/dryrun/run';
import { markDryRunFailed, markDryRunRunning } from '../../server/dryrun/service';
import type { HandlerMap } from '../handler';

export const dryrunHandlers: HandlerMap<'dryrun'> = {
	run: async ({ payload, job, db, log, progress, state, scope }) => {
		const target = await markDryRunRunning(db, payload.runId);
		if (!target) throw new UnrecoverableError(`Dry-run ${payload.runId} does not exist`);
		scope.workspaceId = target.workspaceId;
		if (target.status !== 'running') return { status: target.status };
		await state('running', { attempt: job.attemptsMade + 1 });
		try {
			const outcome = await runDryRun({
				db,
				pool: database().pool,
				runId: payload.runId,
				onLog: log,
				onProgress: (p) => progress({ ...p })
			});
			await state(outcome.status, { total: outcome.total, wouldSend: outcome.wouldSend, blocked: outcome.blocked });
			return { status: outcome.status, total: outcome.total, wouldSend: outcome.wouldSend, blocked: outcome.blocked };
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const final = error instanceof DomainError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
			if (!final) {
				await log(`attempt ${job.attemptsMade + 1} failed (${message}); retrying from the start`);
				throw error;
			}
			await log(`failed: ${message}`);
			await markDryRunFailed(db, payload.runId, message);
			await state('failed', { error: message });
			throw new UnrecoverableError(message);
		}
	}
};
