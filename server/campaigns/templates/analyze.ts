import { findUcs2Characters, gsmSeptets, type Ucs2Character } from './gsm';
import { getMergeField } from './merge-fields';
import { parseTemplate, walkNodes, type ParsedTemplate, type TemplateIssue, type TemplateNode } from './parse';
import { countSegments, MAX_BODY_LENGTH, type SegmentCount, type SmsEncoding } from './segments';
import { countVariants } from './spintax';

/**
 * What the editor's live counter shows for a template, before any lead: its errors, how
 * many variants it makes, and the worst case over every variant and merge value.
 */
export interface TemplateAnalysis {
	issues: TemplateIssue[];
	variants: number;
	/** Merge fields used, in order of first use. */
	mergeFields: string[];
	/** The variant that costs the most segments (its text is synthetic, so no positions). */
	worst: Omit<SegmentCount, 'ucs2'>;
	/** GSM-7 when no variant can force UCS-2, UCS-2 when every one does, else mixed. */
	encoding: SmsEncoding | 'mixed';
	/** Characters in the source that force UCS-2 in the variants that contain them. */
	ucs2: Ucs2Character[];
	/** UTF-16 length of the longest variant, against the provider's 1,600-character cap. */
	longest: number;
	tooLong: boolean;
}

/**
 * The longest variant of a subtree in three senses: among all-GSM variants (in septets),
 * among variants with a UCS-2 character (in UTF-16 units), and among all (in units).
 * Segments grow with length within one encoding, so the worst message is the longer of
 * the first two. Kept as text so the final count packs real characters.
 */
interface Longest {
	gsm: string | null;
	ucs: string | null;
	any: string;
}

function septets(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) n += gsmSeptets(text.charCodeAt(i));
	return n;
}

function longer(a: string | null, b: string | null, measure: (text: string) => number): string | null {
	if (a === null) return b;
	if (b === null) return a;
	return measure(b) > measure(a) ? b : a;
}

const units = (text: string) => text.length;

function leaf(text: string): Longest {
	return findUcs2Characters(text).length === 0 ? { gsm: text, ucs: null, any: text } : { gsm: null, ucs: text, any: text };
}

function either(options: Longest[]): Longest {
	let result: Longest = { gsm: null, ucs: null, any: '' };
	for (const option of options) {
		result = {
			gsm: longer(result.gsm, option.gsm, septets),
			ucs: longer(result.ucs, option.ucs, units),
			any: longer(result.any, option.any, units) as string
		};
	}
	return result;
}

function then(a: Longest, b: Longest): Longest {
	return {
		gsm: a.gsm !== null && b.gsm !== null ? a.gsm + b.gsm : null,
		ucs: longer(a.ucs === null ? null : a.ucs + b.any, b.ucs === null ? null : a.any + b.ucs, units),
		any: a.any + b.any
	};
}

/**
 * A merge field is either its fallback or a value of the field's declared `maxLength`,
 * assumed GSM-7: names with characters outside GSM are rare, and assuming them would mark
 * every personalised template UCS-2. The per-lead count in the dry-run is exact.
 */
function longestOf(nodes: readonly TemplateNode[]): Longest {
	let result: Longest = { gsm: '', ucs: null, any: '' };
	for (const node of nodes) {
		let part: Longest;
		if (node.kind === 'text') part = leaf(node.value);
		else if (node.kind === 'spin') part = either(node.options.map(longestOf));
		else {
			const assumed = 'x'.repeat(getMergeField(node.key)?.maxLength ?? 0);
			part = either(node.fallback === null ? [leaf(assumed)] : [leaf(assumed), leaf(node.fallback)]);
		}
		result = then(result, part);
	}
	return result;
}

/** Takes the source, or a template already parsed (steps parse once and reuse it). */
export function analyzeTemplate(template: string | ParsedTemplate): TemplateAnalysis {
	const parsed = typeof template === 'string' ? parseTemplate(template) : template;
	const longest = longestOf(parsed.nodes);
	const gsm = longest.gsm === null ? null : countSegments(longest.gsm);
	const ucs = longest.ucs === null ? null : countSegments(longest.ucs);
	const worst = (gsm && ucs ? (ucs.segments >= gsm.segments ? ucs : gsm) : (gsm ?? ucs)) as SegmentCount;
	const { ucs2: _synthetic, ...worstCount } = worst;
	const mergeFields: string[] = [];
	for (const node of walkNodes(parsed.nodes)) if (node.kind === 'merge' && !mergeFields.includes(node.key)) mergeFields.push(node.key);
	return {
		issues: parsed.issues,
		variants: countVariants(parsed.nodes),
		mergeFields,
		worst: worstCount,
		encoding: gsm && ucs ? 'mixed' : gsm ? 'GSM-7' : 'UCS-2',
		ucs2: findUcs2Characters(parsed.source),
		longest: longest.any.length,
		tooLong: longest.any.length > MAX_BODY_LENGTH
	};
}
