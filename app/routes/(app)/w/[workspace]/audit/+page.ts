import { error } from '@sveltejs/kit';
import { isAuditAction } from '$lib/audit';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url }) => {
	const { workspace, permissions } = await parent();
	if (!permissions['audit.view']) error(404, 'Page not found');
	const param = url.searchParams.get('action');
	const action = isAuditAction(param) ? param : undefined;
	const page = await trpcWith(fetch).workspaces.audit.query({ workspaceId: workspace.id, action, limit: 50 });
	return { action: action ?? '', ...page };
};
