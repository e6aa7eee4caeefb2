import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** The messaging settings shown (and, for admins, edited) on this page. */
export const load: PageLoad = async ({ fetch, parent }) => {
	const { workspace } = await parent();
	return { messaging: await trpcWith(fetch).messaging.settings.query({ workspaceId: workspace.id }) };
};
