import { error } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

/** The campaign's row (the document itself arrives live), the audiences and teammates its form offers. */
export const load: PageLoad = async ({ fetch, parent, params }) => {
	const { workspace } = await parent();
	if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Page not found');
	const api = trpcWith(fetch);
	try {
		const [campaign, filters, members, messaging] = await Promise.all([
			api.campaigns.get.query({ workspaceId: workspace.id, campaignId: params.id }),
			api.leads.savedFilters.list.query({ workspaceId: workspace.id }),
			api.workspaces.members.query({ workspaceId: workspace.id }),
			api.messaging.settings.query({ workspaceId: workspace.id })
		]);
		return { campaign, filters, members: members.map((m) => ({ userId: m.userId, displayName: m.displayName })), optOutPolicy: messaging.optOutPolicy };
	} catch (e) {
		if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND') error(404, 'Page not found');
		throw e;
	}
};
