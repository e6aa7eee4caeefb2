import { error } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** One crusade: its projection (issues, versions), the workspace's campaigns to pick from, and its dry-runs. */
export const load: PageLoad = async ({ fetch, parent, params, depends }) => {
	depends('crusade:detail');
	const { workspace } = await parent();
	if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Page not found');
	const api = trpcWith(fetch);
	const input = { workspaceId: workspace.id, crusadeId: params.id };
	try {
		const [crusade, versions, campaigns, runs] = await Promise.all([
			api.crusades.get.query(input),
			api.crusades.versions.query(input),
			api.campaigns.list.query({ workspaceId: workspace.id }),
			api.dryrun.list.query({ workspaceId: workspace.id, crusadeId: params.id, limit: 20 })
		]);
		return { crusade, versions, campaigns, runs };
	} catch (e) {
		if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND') error(404, 'Page not found');
		throw e;
	}
};
