import { z } from 'zod';
import { locationKey, recordRefSchema, type PresencePerson } from '../protocol/socket-events';

/** One tab's presence as stored in Redis (a hash field per socket). */
export const entrySchema = z.object({
	userId: z.string(),
	displayName: z.string(),
	page: z.string(),
	record: recordRefSchema.nullable(),
	/** When this tab joined the workspace. */
	since: z.number(),
	/** When this tab last reported where it is. */
	at: z.number()
});
export type PresenceEntry = z.infer<typeof entrySchema>;

/** Reads stored entries, skipping any that do not parse (an older format, a stray write). */
export function parseEntries(values: string[]): PresenceEntry[] {
	const entries: PresenceEntry[] = [];
	for (const value of values) {
		try {
			const parsed = entrySchema.safeParse(JSON.parse(value));
			if (parsed.success) entries.push(parsed.data);
		} catch {
			// not JSON: skip
		}
	}
	return entries;
}

/**
 * Tabs to people (P4): someone with several tabs appears once, at the place they reported
 * most recently, online since their earliest tab, with every place they have open.
 */
export function peopleFrom(entries: PresenceEntry[]): PresencePerson[] {
	const byUser = new Map<string, { latest: PresenceEntry; since: number; locations: Set<string> }>();
	for (const entry of entries) {
		const seen = byUser.get(entry.userId);
		const location = locationKey(entry);
		if (!seen) {
			byUser.set(entry.userId, { latest: entry, since: entry.since, locations: new Set([location]) });
			continue;
		}
		if (entry.at > seen.latest.at) seen.latest = entry;
		seen.since = Math.min(seen.since, entry.since);
		seen.locations.add(location);
	}
	return [...byUser.values()]
		.map(({ latest, since, locations }) => ({
			userId: latest.userId,
			displayName: latest.displayName,
			page: latest.page,
			record: latest.record,
			since,
			locations: [...locations].sort()
		}))
		.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId));
}
