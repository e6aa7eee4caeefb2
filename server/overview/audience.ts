import type { Database } from '../../db/client';
import { compactFilter, type LeadFilter } from '../leads/filter';
import { countLeads, type LeadCount } from '../leads/search';
import { singleton } from '../singleton';

/**
 * Audience sizes for the live grid, kept briefly per process. Every viewer of a workspace
 * refetches the campaigns stage on the same change, so one count serves them all (the
 * promise is shared while it runs). An import that ends forgets the workspace's counts
 * (the `leads` notice), and a changed filter is another key; other lead edits (tags, do not
 * contact) show within AUDIENCE_TTL_MS.
 */
export const AUDIENCE_TTL_MS = 30_000;

interface Entry {
	at: number;
	count: Promise<LeadCount>;
}

function cache(): Map<string, Map<string, Entry>> {
	return singleton('overview-audience-counts', () => new Map<string, Map<string, Entry>>());
}

/** The same figure as the Leads page shows for this filter (capped at COUNT_CAP, null when it took too long). */
export function audienceCount(db: Database, workspaceId: string, filter: LeadFilter, now = Date.now()): Promise<LeadCount> {
	const byKey = cache().get(workspaceId) ?? new Map<string, Entry>();
	cache().set(workspaceId, byKey);
	const key = JSON.stringify(compactFilter(filter));
	const hit = byKey.get(key);
	const fresh = (entry: Entry) => now >= entry.at && now - entry.at < AUDIENCE_TTL_MS;
	if (hit && fresh(hit)) return hit.count;
	for (const [k, entry] of byKey) if (!fresh(entry)) byKey.delete(k);
	const count = countLeads(db, workspaceId, filter);
	byKey.set(key, { at: now, count });
	// A failed count is not remembered: the next refetch tries again.
	count.catch(() => {
		if (byKey.get(key)?.count === count) byKey.delete(key);
	});
	return count;
}

/** The workspace's leads changed (an import ended), or, without one, any may have: counts are read afresh. */
export function forgetAudienceCounts(workspaceId?: string): void {
	if (workspaceId === undefined) cache().clear();
	else cache().delete(workspaceId);
}
