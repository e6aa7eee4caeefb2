import { error } from '@sveltejs/kit';
import { TRPCClientError } from '@trpc/client';
import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, params, depends }) => {
	depends('leads:lead');
	const { workspace } = await parent();
	if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, 'Page not found');
	try {
		return { lead: await trpcWith(fetch).leads.get.query({ workspaceId: workspace.id, leadId: params.id }) };
	} catch (e) {
		if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND') error(404, 'Page not found');
		throw e;
	}
};
