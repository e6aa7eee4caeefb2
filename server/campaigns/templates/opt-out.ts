import { z } from 'zod';
import type { ParsedTemplate, TemplateNode } from './parse';
import { enumerateVariants } from './spintax';

function isRegex(source: string): boolean {
	try {
		new RegExp(source, 'iu');
		return true;
	} catch {
		return false;
	}
}

/**
 * A workspace's rule for opt-out wording, kept as data so an owner (or their counsel) can
 * change it without a deploy: a message passes when it contains one of the phrases
 * (case, spacing, hyphens and curly quotes ignored) or matches one of the patterns.
 */
export const optOutPolicySchema = z
	.object({
		/** Which sends must carry it: the first a lead can receive, every one, or none. */
		appliesTo: z.enum(['first_send', 'every_send', 'none']),
		phrases: z.array(z.string().trim().min(3, 'A phrase needs at least 3 characters.').max(120)).max(20),
		patterns: z.array(z.string().min(1).max(200).refine(isRegex, 'Not a valid regular expression.')).max(10)
	})
	.refine((policy) => policy.appliesTo === 'none' || policy.phrases.length + policy.patterns.length > 0, {
		error: 'Give at least one phrase or pattern, or turn the policy off.',
		path: ['phrases']
	});
export type OptOutPolicy = z.infer<typeof optOutPolicySchema>;

/**
 * Carrier guidance (CTIA) expects opt-out instructions in the first message a recipient
 * gets; STOP is the keyword every US carrier and provider honours. A default for the owner
 * to review with counsel, not legal advice.
 */
export const DEFAULT_OPT_OUT_POLICY: OptOutPolicy = {
	appliesTo: 'first_send',
	phrases: ['Reply STOP to opt out', 'Reply STOP to unsubscribe', 'Reply STOP to end', 'Text STOP to opt out'],
	patterns: [String.raw`\b(?:reply|text|txt|send)\s+["'\u2018\u2019\u201c\u201d]?stop["'\u2018\u2019\u201c\u201d]?(?![\p{L}\p{N}])`]
};

/** Beyond this many variants each is not checked one by one (see `checkOptOut`). */
export const OPT_OUT_VARIANT_LIMIT = 2000;

export type OptOutResult = { ok: true } | { ok: false; message: string; /** A variant without the wording. */ example?: string };

function normalise(text: string): string {
	return text
		.toLowerCase()
		.replace(/[\u2018\u2019]/g, "'")
		.replace(/[\u201c\u201d]/g, '"')
		.replace(/[-\u2010-\u2014]/g, ' ')
		.replace(/\s+/g, ' ');
}

function matcher(policy: OptOutPolicy): (text: string) => boolean {
	const phrases = policy.phrases.map(normalise);
	const patterns = policy.patterns.map((source) => new RegExp(source, 'iu'));
	return (text) => {
		const plain = normalise(text);
		return phrases.some((phrase) => plain.includes(phrase)) || patterns.some((pattern) => pattern.test(text));
	};
}

/** Merge values cannot be relied on to say "STOP": they stand for a character no phrase has. */
const HOLE = '\u0000';
const variantsOf = (nodes: readonly TemplateNode[]) => enumerateVariants(nodes, () => HOLE, OPT_OUT_VARIANT_LIMIT);

/**
 * Whether every variant the template can make carries the wording. With too many variants
 * to try, it passes only when the wording sits in the fixed text or in every option of one
 * spintax group: it may refuse a template that is in fact fine, never the reverse.
 */
export function checkOptOut(policy: OptOutPolicy, template: ParsedTemplate): OptOutResult {
	if (policy.appliesTo === 'none') return { ok: true };
	const matches = matcher(policy);
	const hint = `such as “${policy.phrases[0] ?? 'Reply STOP to opt out'}”`;
	const variants = variantsOf(template.nodes);
	if (variants) {
		const missing = variants.find((variant) => !matches(variant));
		if (missing === undefined) return { ok: true };
		const example = missing.replaceAll(HOLE, '…');
		return variants.length === 1
			? { ok: false, message: `This message needs opt-out wording, ${hint}.`, example }
			: { ok: false, message: `Some variants lack opt-out wording, ${hint}: every variant must carry it.`, example };
	}
	const fixed = template.nodes.map((node) => (node.kind === 'text' ? node.value : HOLE)).join('');
	if (matches(fixed)) return { ok: true };
	const covered = template.nodes.some((node) => node.kind === 'spin' && node.options.every((option) => variantsOf(option)?.every(matches) ?? false));
	if (covered) return { ok: true };
	return {
		ok: false,
		message: `Too many variants to check each for opt-out wording: write it outside spintax, or in every option of one group, ${hint}.`
	};
}
