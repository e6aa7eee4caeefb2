import { filterFromParams } from '$lib/leads';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
	depends('leads:table');
	const { workspace } = await parent();
	const api = trpcWith(fetch);
	const { filter, sort } = filterFromParams(url.searchParams);
	const [page, saved, files] = await Promise.all([
		api.leads.search.query({ workspaceId: workspace.id, filter, sort }),
		api.leads.savedFilters.list.query({ workspaceId: workspace.id }),
		api.leads.sourceFiles.query({ workspaceId: workspace.id })
	]);
	return { filter, sort, page, saved, files };
};
