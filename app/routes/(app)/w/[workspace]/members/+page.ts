import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('workspace:members');
	const { workspace, permissions } = await parent();
	const api = trpcWith(fetch);
	const [members, invitations] = await Promise.all([
		api.workspaces.members.query({ workspaceId: workspace.id }),
		permissions['members.invite'] ? api.workspaces.invitations.query({ workspaceId: workspace.id }) : Promise.resolve([])
	]);
	return { members, invitations };
};
