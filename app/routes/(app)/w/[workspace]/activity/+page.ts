import { trpcWith } from '$lib/trpc';
import type { PageLoad } from './$types';

const ACTIVE = new Set(['queued', 'running']);
/** Files uploaded but never started are not jobs yet; the Imports page lists those. */
const JOBS = new Set(['queued', 'running', 'completed', 'failed', 'cancelled']);

/**
 * The workspace's jobs, for now its imports: running and queued first, then finished ones,
 * newest first in each. Running ones come with their full detail so they follow live at once.
 */
export const load: PageLoad = async ({ fetch, parent, depends }) => {
	depends('activity:jobs');
	const { workspace } = await parent();
	const api = trpcWith(fetch);
	const { imports } = await api.imports.list.query({ workspaceId: workspace.id, limit: 50 });
	const jobs = imports.filter((item) => JOBS.has(item.status));
	const details = await Promise.all(jobs.filter((item) => ACTIVE.has(item.status)).map((item) => api.imports.get.query({ workspaceId: workspace.id, importId: item.id })));
	const detailOf = new Map(details.map((detail) => [detail.id, detail]));
	const rows = jobs.map((item) => ({ ...item, startedBy: item.startedById && item.startedByName !== null ? { userId: item.startedById, name: item.startedByName } : null, detail: detailOf.get(item.id) ?? null }));
	// A stable sort keeps newest first within each group.
	rows.sort((a, b) => Number(ACTIVE.has(b.status)) - Number(ACTIVE.has(a.status)));
	return { jobs: rows };
};
