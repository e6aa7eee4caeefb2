import { error } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { crusadeOf } from '$lib/components/dryrun/format';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** One dry-run of one crusade (a run of another crusade, or none, is not found here). */
export const load: PageLoad = async ({ fetch, parent, params }) => {
	const { workspace } = await parent();
	if (!/^[0-9a-f-]{36}$/i.test(params.id) || !/^[0-9a-f-]{36}$/i.test(params.runId)) error(404, 'Page not found');
	const api = trpcWith(fetch);
	try {
		const [run, crusade] = await Promise.all([
			api.dryrun.get.query({ workspaceId: workspace.id, runId: params.runId }),
			api.crusades.get.query({ workspaceId: workspace.id, crusadeId: params.id })
		]);
		if (crusadeOf(run.source) !== crusade.id) error(404, 'Page not found');
		return { run, crusade: { id: crusade.id, name: crusade.name } };
	} catch (e) {
		if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND') error(404, 'Page not found');
		throw e;
	}
};
