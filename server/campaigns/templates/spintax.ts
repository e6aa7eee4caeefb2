import type { TemplateNode } from './parse';

/**
 * How many different texts the spintax can make (merge fields count as one). Options are
 * summed, sequences multiplied; large templates exceed 2^53 and the count becomes an
 * approximation, which is all a "1.2e18 variants" label needs.
 */
export function countVariants(nodes: readonly TemplateNode[]): number {
	let total = 1;
	for (const node of nodes) {
		if (node.kind !== 'spin') continue;
		let options = 0;
		for (const option of node.options) options += countVariants(option);
		total *= options;
	}
	return total;
}

/**
 * Every text the template can make, or null when there are more than `limit`. `merge`
 * decides what a merge field stands for (a fallback, a placeholder).
 */
export function enumerateVariants(nodes: readonly TemplateNode[], merge: (node: Extract<TemplateNode, { kind: 'merge' }>) => string, limit: number): string[] | null {
	if (countVariants(nodes) > limit) return null;
	let texts = [''];
	for (const node of nodes) {
		let parts: string[];
		if (node.kind === 'text') parts = [node.value];
		else if (node.kind === 'merge') parts = [merge(node)];
		else parts = node.options.flatMap((option) => enumerateVariants(option, merge, limit) ?? []);
		texts = texts.flatMap((head) => parts.map((part) => head + part));
	}
	return texts;
}

/**
 * A lead's variant must be the same in the preview, the dry-run and the send, on any
 * process and after a restart, so it is drawn from a generator seeded by (step, lead)
 * rather than from Math.random. Changing this function changes what every lead of every
 * not-yet-sent version receives: the golden test in campaigns-templates pins it.
 */
export function variantSeed(stepId: string, leadId: string): number {
	// FNV-1a over the UTF-16 units of "stepId:leadId": cheap, and uuids that differ in one
	// character still spread. Hashed part by part, so no joined string is made per lead.
	let h = 0x811c9dc5;
	for (let i = 0; i < stepId.length; i++) h = Math.imul(h ^ stepId.charCodeAt(i), 0x01000193);
	h = Math.imul(h ^ 58, 0x01000193); // ':'
	for (let i = 0; i < leadId.length; i++) h = Math.imul(h ^ leadId.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

const PICK_STEP = 0x6d2b79f5;

/** mulberry32's state after `state`. */
export function nextPickState(state: number): number {
	return (state + PICK_STEP) >>> 0;
}

/** The index below n that mulberry32 draws at `state` (a state from `nextPickState`). */
export function pickAt(state: number, n: number): number {
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	return Math.floor(unit * n);
}

/** mulberry32: a small, well-mixed 32-bit generator; returns a picker of an index below n. */
export function createPicker(seed: number): (n: number) => number {
	let state = seed >>> 0;
	return (n: number) => pickAt((state = nextPickState(state)), n);
}
