import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { LeadFilter, LeadSort } from '../../server/leads/filter';
import { searchLeads } from '../../server/leads/search';

export interface SearchCase {
	name: string;
	filter: LeadFilter;
	sort?: LeadSort;
	/** Ask for the page after the first one (keyset). */
	secondPage?: boolean;
}

export interface SearchResult {
	name: string;
	rows: number;
	p50: number;
	p95: number;
	plans: string[];
	usesIndex: boolean;
}

/** Runs a search through the leads service, capturing each SQL statement it executes. */
function capturing(db: Database, into: SQL[]): Database {
	return new Proxy(db, {
		get(target, prop, receiver) {
			if (prop !== 'execute') return Reflect.get(target, prop, receiver) as unknown;
			return (query: SQL) => {
				into.push(query);
				return target.execute(query);
			};
		}
	}) as Database;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function timeSearch(db: Database, workspaceId: string, c: SearchCase, runs = 30): Promise<SearchResult> {
	const sort = c.sort ?? 'created';
	const first = await searchLeads(db, workspaceId, { filter: c.filter, sort });
	const cursor = c.secondPage ? first.nextCursor : null;
	const once = () => searchLeads(db, workspaceId, { filter: c.filter, sort, cursor });
	for (let i = 0; i < 3; i++) await once();
	const times: number[] = [];
	let rows = 0;
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		rows = (await once()).rows.length;
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	const statements: SQL[] = [];
	await searchLeads(capturing(db, statements), workspaceId, { filter: c.filter, sort, cursor });
	const plans: string[] = [];
	for (const statement of statements) {
		const plan = await db.execute(sql`explain ${statement}`);
		plans.push(plan.rows.map((r) => Object.values(r).join('')).join('\n'));
	}
	const leadPlans = plans.filter((p) => /\bleads\b|lead_phones/.test(p));
	const usesIndex = leadPlans.every((p) => /Index|Bitmap/.test(p) && !/Seq Scan on (leads|lead_phones)/.test(p));
	return { name: c.name, rows, p50: percentile(times, 50), p95: percentile(times, 95), plans, usesIndex };
}
