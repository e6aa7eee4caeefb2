import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
	depends('leads:dnc');
	const { workspace } = await parent();
	const q = url.searchParams.get('q')?.trim().slice(0, 40) ?? '';
	try {
		const page = await trpcWith(fetch).dnc.list.query({ workspaceId: workspace.id, q: q || undefined });
		return { q, ...page, searchError: null };
	} catch (e) {
		// A search that is not a phone number gets its explanation on the page, not an error page.
		return { q, entries: [], nextBefore: null, searchError: e instanceof Error ? e.message : 'Search failed.' };
	}
};
