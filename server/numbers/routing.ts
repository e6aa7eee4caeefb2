import { hash32, mix32 } from '../crusades/jitter';
import { areaCodeState } from './area-codes';
import type { SenderNumber } from './sender-number';

/**
 * Which number texts a lead: the number it already had while that number is usable (a reply
 * lands in the same thread, and the lead sees one sender), else one with the lead's area code,
 * else one in the lead's state, else any — among active numbers with budget left.
 *
 * Within a tier the choice is weighted rendezvous hashing on (lead, number), weighted by budget
 * left: deterministic (a dry-run is reproducible and the sender agrees with it), spread in
 * proportion to what each number can still send, and stable — adding a number to a pool moves
 * only the leads the new number wins, not everyone.
 */
export interface RoutableLead {
	leadId: string;
	/** NPA of the phone being texted. */
	areaCode: string | null;
	/** The lead's address state; the area code's state stands in when missing. */
	state: string | null;
}

export type RouteVia = 'sticky' | 'area_code' | 'state' | 'any';

export interface Route {
	number: SenderNumber;
	via: RouteVia;
}

interface Entry {
	number: SenderNumber;
	weight: number;
	hash: number;
}

/** A pool indexed for routing; build it once per dry-run or send batch. */
export interface SenderPool {
	/** Every active number, with or without budget: a sticky number waits for tomorrow's budget rather than hand the lead to a stranger. */
	byId: ReadonlyMap<string, Entry>;
	byAreaCode: ReadonlyMap<string, Entry[]>;
	byState: ReadonlyMap<string, Entry[]>;
	any: readonly Entry[];
}

/** Weight of a number with no cap and no budget figure: as if it could send this many today. */
const UNCAPPED_WEIGHT = 10_000;

/**
 * Indexes the active numbers of a pool. `budgetLeft` is what each number may still send today
 * (its cap less today's sends); numbers with none left are kept only for their sticky leads.
 */
export function buildPool(numbers: readonly SenderNumber[], budgetLeft: ReadonlyMap<string, number> = new Map()): SenderPool {
	const byId = new Map<string, Entry>();
	const byAreaCode = new Map<string, Entry[]>();
	const byState = new Map<string, Entry[]>();
	const any: Entry[] = [];
	for (const number of numbers) {
		if (number.status !== 'active') continue;
		const weight = budgetLeft.get(number.id) ?? number.dailyCap ?? UNCAPPED_WEIGHT;
		const entry = { number, weight, hash: hash32(number.id) };
		byId.set(number.id, entry);
		if (weight <= 0) continue;
		any.push(entry);
		for (const [map, key] of [
			[byAreaCode, number.areaCode],
			[byState, number.state]
		] as const) {
			const list = map.get(key);
			if (list) list.push(entry);
			else map.set(key, [entry]);
		}
	}
	return { byId, byAreaCode, byState, any };
}

function choose(entries: readonly Entry[] | undefined, leadHash: number): Entry | null {
	if (!entries || entries.length === 0) return null;
	let best: Entry | null = null;
	let bestScore = -Infinity;
	for (const e of entries) {
		// u in (0, 1); −w / ln(u) is the weighted rendezvous score.
		const u = (mix32(leadHash ^ e.hash) + 1) / 4_294_967_297;
		const score = -e.weight / Math.log(u);
		if (score > bestScore) {
			bestScore = score;
			best = e;
		}
	}
	return best;
}

/**
 * The sender for a lead, or null when the pool has no active number with budget. `sticky` maps
 * lead ids to the number each already got; the caller records a new route there.
 */
export function pickSender(lead: RoutableLead, pool: SenderPool, sticky: ReadonlyMap<string, string>): Route | null {
	const stuck = sticky.get(lead.leadId);
	const kept = stuck === undefined ? undefined : pool.byId.get(stuck);
	if (kept) return { number: kept.number, via: 'sticky' };
	const h = hash32(lead.leadId);
	const byArea = lead.areaCode ? choose(pool.byAreaCode.get(lead.areaCode), h) : null;
	if (byArea) return { number: byArea.number, via: 'area_code' };
	const state = lead.state ?? areaCodeState(lead.areaCode);
	const byState = state ? choose(pool.byState.get(state), h) : null;
	if (byState) return { number: byState.number, via: 'state' };
	const anyone = choose(pool.any, h);
	return anyone ? { number: anyone.number, via: 'any' } : null;
}
