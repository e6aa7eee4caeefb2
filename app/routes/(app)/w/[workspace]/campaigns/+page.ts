import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('campaigns:list');
	const { workspace } = await parent();
	return { campaigns: await trpcWith(fetch).campaigns.list.query({ workspaceId: workspace.id }) };
};
