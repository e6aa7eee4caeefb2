import { fullOverview } from '$lib/overview.svelte';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** The live grid's first snapshot, through the same procedure (and membership check) its live refetches use. */
export const load: PageLoad = async ({ data, fetch, parent }) => {
	const { workspace } = await parent();
	const overview = fullOverview(await trpcWith(fetch).overview.get.query({ workspaceId: workspace.id }));
	return { ...data, overview };
};
