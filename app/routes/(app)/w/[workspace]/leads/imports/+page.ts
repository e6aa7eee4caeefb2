import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('leads:imports');
	const { workspace } = await parent();
	return await trpcWith(fetch).imports.list.query({ workspaceId: workspace.id, limit: 50 });
};
