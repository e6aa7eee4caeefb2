import { error } from '@sveltejs/kit';
import { csvResponse } from '$lib/server/csv-response';
import { database } from '$server/db';
import { exportDryRunCsv, getDryRun } from '$server/dryrun/service';
import { DRY_RUN_REASONS } from '$server/dryrun/input';
import { crusadeSourcePrefix } from '$server/dryrun/from-crusade';
import { can } from '$server/permissions';
import { membershipOf } from '$server/workspaces/service';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A dry-run's results as CSV, every row (filtered like the table by `outcome` and `reason`),
 * with the reasons as codes and in words, streamed a page at a time so a million rows never
 * sit in memory. Members only; anyone else gets the same 404 as a run that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.auth) error(401, 'Sign in to download dry-run results.');
	const { db } = database();
	const member = await membershipOf(db, locals.auth.user.id, { slug: params.workspace });
	if (!member || !can(member.role, 'workspace.view') || !UUID.test(params.id) || !UUID.test(params.runId)) error(404, 'Not found');
	const run = await getDryRun(db, member.workspaceId, params.runId).catch(() => null);
	if (!run || !run.source?.startsWith(crusadeSourcePrefix(params.id))) error(404, 'Not found');
	const outcome = url.searchParams.get('outcome');
	const reason = url.searchParams.get('reason');
	const filter = {
		outcome: (['send', 'blocked'] as const).find((o) => o === outcome),
		reason: DRY_RUN_REASONS.find((r) => r === reason)
	};
	const chunks = exportDryRunCsv(db, member.workspaceId, run.id, filter, { reasonsInWords: true });
	return csvResponse(chunks, `dry-run-${run.id.slice(0, 8)}${filter.reason ? `-${filter.reason}` : filter.outcome ? `-${filter.outcome}` : ''}.csv`);
};
