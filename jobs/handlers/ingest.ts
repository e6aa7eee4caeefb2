import { UnrecoverableError } from 'bullmq';
import { DomainError } from '../../server/errors';
import { database } from '../../server/db';
import { importForJob, markImportFailed, uploadPath } from '../../server/leads/imports';
import { runImport } from '../../server/leads/ingest/run';
import type { HandlerMap } from '../handler';

function readable(error: unknown): string {
	if (error instanceof DomainError) return error.message;
	const e = error as { message?: string; code?: string; detail?: string };
	if (e?.code === 'ENOENT') return 'The uploaded file is no longer on the server; upload it again.';
	return [e?.message ?? String(error), e?.detail].filter(Boolean).join(' — ');
}

export const ingestHandlers: HandlerMap<'ingest'> = {
	'run-import': async ({ payload, job, db, log, progress, state, scope }) => {
		const target = await importForJob(db, payload.importId);
		if (!target) throw new UnrecoverableError(`Import ${payload.importId} does not exist`);
		scope.workspaceId = target.workspaceId;
		if (target.status === 'cancelled' || target.status === 'completed') return { status: target.status };
		await state('running', { attempt: job.attemptsMade + 1 });
		try {
			const outcome = await runImport({
				db,
				pool: database().pool,
				importId: payload.importId,
				path: uploadPath(target.uploadId),
				onLog: log,
				onProgress: (p) => progress({ ...p })
			});
			await state(outcome.status, { ...outcome.counts });
			return outcome;
		} catch (error) {
			const message = readable(error);
			const final = error instanceof DomainError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
			if (!final) {
				await log(`attempt ${job.attemptsMade + 1} failed (${message}); retrying from the last committed batch`);
				throw error;
			}
			await log(`failed: ${message}`);
			await markImportFailed(db, payload.importId, message);
			await state('failed', { error: message });
			throw new UnrecoverableError(message);
		}
	}
};
