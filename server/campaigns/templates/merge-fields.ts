import type { CampaignLead, SenderContext } from '../lead';

/**
 * The merge fields a template may use, declared once: the editor's insert menu lists them,
 * the parser refuses others, rendering reads them, and the segment counter budgets
 * `maxLength` characters for each (an assumption about typical values, not a truncation:
 * a longer value is sent whole and the per-lead count shows it).
 */
export interface MergeField {
	key: string;
	label: string;
	help: string;
	/** Shown in the insert menu and used by previews without a lead. */
	example: string;
	maxLength: number;
	read(lead: CampaignLead, sender: SenderContext): string | null;
}

/**
 * Vendor exports are often all capitals ("JOHN SMITH", "123 MAIN ST"); a text that shouts
 * a name reads as spam. Only all-upper or all-lower values are recased; "McDonald" stays.
 * Tokens with digits ("4B", "2nd") are left as they are.
 */
export function tidyCase(value: string): string {
	if (value !== value.toUpperCase() && value !== value.toLowerCase()) return value;
	return value.replace(/[\p{L}\p{N}]+/gu, (word) => (/\d/.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()));
}

/** Distinct values remembered per cleaner before it starts over (bounds memory on any audience). */
const MEMO_LIMIT = 20_000;

/**
 * What `clean` (and, with `mixedCase`, `tidied`) would return unchanged, told by one scan: ASCII
 * with no whitespace but single spaces between words, and for `tidied` both an upper- and a
 * lower-case letter (tidyCase leaves mixed case alone). Most values are like that, and a scan
 * costs less than the memo's lookup of a string it has not hashed yet.
 */
function unchanged(value: string, mixedCase: boolean): boolean {
	const n = value.length;
	if (n === 0 || value.charCodeAt(0) === 32 || value.charCodeAt(n - 1) === 32) return false;
	let upper = !mixedCase;
	let lower = !mixedCase;
	for (let i = 0; i < n; i++) {
		const c = value.charCodeAt(i);
		if (c > 126 || c < 32 || (c === 32 && value.charCodeAt(i + 1) === 32)) return false;
		if (c >= 65 && c <= 90) upper = true;
		else if (c >= 97 && c <= 122) lower = true;
	}
	return upper && lower;
}

/**
 * A pure string function remembered by its input: a dry-run reads the same few thousand
 * names and streets for a million leads, and the regexes below were a large part of
 * rendering each message.
 */
function memo(f: (value: string) => string | null, mixedCase: boolean): (value: string | null | undefined) => string | null {
	const known = new Map<string, string | null>();
	return (value) => {
		if (value == null) return null;
		if (unchanged(value, mixedCase)) return value;
		let out = known.get(value);
		if (out === undefined) {
			if (known.size >= MEMO_LIMIT) known.clear();
			known.set(value, (out = f(value)));
		}
		return out;
	};
}

/** A usable value or null: blank and whitespace-only cells count as missing. */
const clean = memo((value) => {
	const collapsed = value.replace(/\s+/g, ' ').trim();
	return collapsed === '' ? null : collapsed;
}, false);

const tidied = memo((value) => {
	const cleaned = clean(value);
	return cleaned && tidyCase(cleaned);
}, true);

function nameParts(lead: CampaignLead): string[] {
	return clean(lead.fullName)?.split(' ') ?? [];
}

export const mergeFields: readonly MergeField[] = [
	{
		key: 'first_name',
		label: 'First name',
		help: "The lead's first name, else the first word of the full name.",
		example: 'Maria',
		maxLength: 12,
		read: (lead) => tidied(lead.firstName) ?? tidied(nameParts(lead)[0])
	},
	{
		key: 'last_name',
		label: 'Last name',
		help: "The lead's last name, else the last word of a full name of two words or more.",
		example: 'Lopez',
		maxLength: 15,
		read: (lead) => {
			const parts = nameParts(lead);
			return tidied(lead.lastName) ?? (parts.length > 1 ? tidied(parts.at(-1)) : null);
		}
	},
	{
		key: 'full_name',
		label: 'Full name',
		help: "The lead's full name, else first and last name together.",
		example: 'Maria Lopez',
		maxLength: 28,
		read: (lead) => tidied(lead.fullName) ?? tidied([lead.firstName, lead.lastName].filter(Boolean).join(' '))
	},
	{
		key: 'property_address',
		label: 'Property address',
		help: 'Street address of the property (number and street).',
		example: '123 Main St',
		maxLength: 32,
		read: (lead) => tidied(lead.street)
	},
	{
		key: 'property_city',
		label: 'Property city',
		help: 'City of the property.',
		example: 'Austin',
		maxLength: 18,
		read: (lead) => tidied(lead.city)
	},
	{
		key: 'property_state',
		label: 'Property state',
		help: 'State of the property, as imported (usually two letters).',
		example: 'TX',
		maxLength: 2,
		read: (lead) => clean(lead.state)?.toUpperCase() ?? null
	},
	{
		key: 'property_zip',
		label: 'Property ZIP',
		help: 'ZIP code of the property (five digits).',
		example: '78701',
		maxLength: 5,
		read: (lead) => clean(lead.zip)?.slice(0, 5) ?? null
	},
	{
		key: 'sender_name',
		label: 'Sender name',
		help: 'The name the message is signed with.',
		example: 'Sam',
		maxLength: 16,
		read: (_lead, sender) => clean(sender.senderName)
	},
	{
		key: 'company_name',
		label: 'Company name',
		help: 'The business sending the message, as registered for 10DLC.',
		example: 'Acme Homes',
		maxLength: 24,
		read: (_lead, sender) => clean(sender.companyName)
	}
];

const byKey = new Map(mergeFields.map((field) => [field.key, field]));

export function getMergeField(key: string): MergeField | undefined {
	return byKey.get(key);
}

function distance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			row.push(Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
		}
		previous = row;
	}
	return previous[b.length] as number;
}

/** The closest declared key to a mistyped one (case, a typo or two), if any is close. */
export function suggestMergeField(key: string): string | null {
	const wanted = key.toLowerCase();
	let best: { key: string; d: number } | null = null;
	for (const field of mergeFields) {
		const d = distance(wanted, field.key);
		if (d <= 2 && (!best || d < best.d)) best = { key: field.key, d };
	}
	return best?.key ?? null;
}

/** Why `key` cannot be used, or null when it is a declared field. */
export function mergeFieldProblem(key: string): string | null {
	if (byKey.has(key)) return null;
	const suggestion = suggestMergeField(key);
	return `Unknown merge field {{${key}}}.${suggestion ? ` Did you mean {{${suggestion}}}?` : ''}`;
}
