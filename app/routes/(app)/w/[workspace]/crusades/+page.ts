import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** The workspace's crusades, the campaigns' names they list, and the latest dry-run of each. */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('crusades:list');
	const { workspace } = await parent();
	const api = trpcWith(fetch);
	const input = { workspaceId: workspace.id };
	const [crusades, campaigns, runs] = await Promise.all([api.crusades.list.query(input), api.campaigns.list.query(input), api.dryrun.list.query({ ...input, limit: 100 })]);
	return {
		crusades,
		campaignNames: Object.fromEntries(campaigns.map((c) => [c.id, c.name])) as Record<string, string>,
		runs
	};
};
