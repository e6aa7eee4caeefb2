import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

const STATUSES = ['active', 'paused', 'blocked'] as const;
type Status = (typeof STATUSES)[number];
const isStatus = (value: string | null): value is Status => STATUSES.includes(value as Status);

/** The inventory with the search in the URL (so a filtered view can be linked and reloaded). */
export const load: PageLoad = async ({ fetch, parent, url, depends }) => {
	depends('numbers:list');
	const { workspace } = await parent();
	const status = url.searchParams.get('status');
	const filters = {
		q: url.searchParams.get('q')?.trim().slice(0, 64) ?? '',
		status: isStatus(status) ? status : ('' as const),
		state: /^[A-Za-z]{2}$/.test(url.searchParams.get('state') ?? '') ? (url.searchParams.get('state') ?? '').toUpperCase() : '',
		brandId: url.searchParams.get('brand')?.trim().slice(0, 64) ?? ''
	};
	const inventory = await trpcWith(fetch).numbers.list.query({
		workspaceId: workspace.id,
		q: filters.q || undefined,
		status: filters.status || undefined,
		state: filters.state || undefined,
		brandId: filters.brandId || undefined
	});
	return { filters, inventory };
};
