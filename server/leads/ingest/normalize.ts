import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import type { PhoneType } from '../../../db/schema/leads';

/**
 * Cell normalisers shared by every parser. Each returns a clean value, `null` for an empty
 * cell, or throws `CellError` with a sentence that names the problem, which rejects the row.
 */
export class CellError extends Error {
	override name = 'CellError';
}

export interface NormalPhone {
	e164: string;
	type: PhoneType;
	/** NPA of a NANP number. */
	areaCode: string | null;
}

const TYPE_FROM_LIB: Partial<Record<NumberType & string, PhoneType>> = {
	MOBILE: 'mobile',
	FIXED_LINE: 'landline',
	VOIP: 'voip'
};

/**
 * libphonenumber decides validity and type for NANP numbers from the first six digits
 * (NPA + NXX), and one full parse costs ~15 µs: with millions of phones per file we ask it
 * once per six-digit prefix and remember the answer.
 */
const nanpPrefixes = new Map<string, { valid: boolean; type: PhoneType }>();

function nanpVerdict(ten: string): { valid: boolean; type: PhoneType } {
	const prefix = ten.slice(0, 6);
	let verdict = nanpPrefixes.get(prefix);
	if (!verdict) {
		const parsed = parsePhoneNumberFromString(`+1${ten}`);
		const valid = parsed?.isValid() ?? false;
		const libType = valid ? parsed?.getType() : undefined;
		verdict = { valid, type: (libType && TYPE_FROM_LIB[libType]) || 'unknown' };
		if (nanpPrefixes.size < 1_000_000) nanpPrefixes.set(prefix, verdict);
	}
	return verdict;
}

/** Maps what files write in a phone-type column to our types. */
export function phoneTypeOf(cell: string | undefined): PhoneType | null {
	const v = (cell ?? '').trim().toLowerCase();
	if (!v) return null;
	if (/mobile|cell|wireless/.test(v)) return 'mobile';
	if (/land|fixed|residential|home|wired/.test(v)) return 'landline';
	if (/voip/.test(v)) return 'voip';
	return 'unknown';
}

/** E.164 (default country US), the file's type when it says one, else libphonenumber's. */
export function normalizePhone(raw: string, fileType: PhoneType | null = null): NormalPhone | null {
	const cell = raw.trim();
	if (!cell) return null;
	let digits = '';
	let plain = true;
	for (let i = 0; i < cell.length; i++) {
		const c = cell.charCodeAt(i);
		if (c >= 48 && c <= 57) digits += cell[i];
		else if (c !== 32 && c !== 40 && c !== 41 && c !== 45 && c !== 46 && !(c === 43 && i === 0)) plain = false;
	}
	const international = cell.startsWith('+') && !cell.startsWith('+1');
	if (plain && !international && (digits.length === 10 || (digits.length === 11 && digits[0] === '1'))) {
		const ten = digits.length === 11 ? digits.slice(1) : digits;
		const verdict = nanpVerdict(ten);
		if (!verdict.valid) throw new CellError(`"${cell}" is not a valid phone number`);
		return { e164: `+1${ten}`, type: fileType ?? verdict.type, areaCode: ten.slice(0, 3) };
	}
	const parsed = parsePhoneNumberFromString(cell, 'US');
	if (!parsed?.isValid()) throw new CellError(`"${cell}" is not a valid phone number`);
	const libType = parsed.getType();
	const nanp = parsed.countryCallingCode === '1';
	return {
		e164: parsed.number,
		type: fileType ?? ((libType && TYPE_FROM_LIB[libType]) || 'unknown'),
		areaCode: nanp ? parsed.nationalNumber.slice(0, 3) : null
	};
}

const SMALL_WORDS = new Set(['de', 'la', 'van', 'von', 'der', 'del', 'da', 'di', 'le']);

/** A word part in ALL CAPS or all lower-case gets Title Case; a part already mixed (McKenzie) is kept. */
function recase(part: string, first: boolean): string {
	if (part !== part.toUpperCase() && part !== part.toLowerCase()) return part;
	const lower = part.toLowerCase();
	if (!first && SMALL_WORDS.has(lower)) return lower;
	const w = lower.charAt(0).toUpperCase() + lower.slice(1);
	return /^Mc[a-z]/.test(w) ? 'Mc' + w.charAt(2).toUpperCase() + w.slice(3) : w;
}

/**
 * Remembers a pure cell normaliser's answers. Vendor files repeat the same first names, last
 * names and cities on most rows, and recasing them again costs a split, a map and regexes
 * per cell; the cache stops growing at `limit` entries, so memory stays bounded. Only cells
 * under 13 characters are kept: V8 copies those out of the parsed chunk, while a longer
 * substring would point into (and keep alive) the whole 256 kB chunk it came from.
 */
function remembered(fn: (cell: string) => string | null, limit: number): (cell: string) => string | null {
	const seen = new Map<string, string | null>();
	return (cell) => {
		let out = seen.get(cell);
		if (out === undefined) {
			out = fn(cell);
			if (cell.length < 13 && seen.size < limit) seen.set(cell, out);
		}
		return out;
	};
}

const nameOf = remembered((cell) => {
	const v = cell.trim().replace(/\s+/g, ' ');
	if (!v) return null;
	return v
		.split(/([ \-'])/)
		.map((part, i) => (part === ' ' || part === '-' || part === "'" ? part : recase(part, i === 0)))
		.join('');
}, 200_000);

/** Trimmed, single-spaced, each ALL CAPS or all lower-case part in Title Case. */
export function normalizeName(raw: string | undefined): string | null {
	return raw ? nameOf(raw) : null;
}

const STREET_WORDS: Record<string, string> = {
	street: 'St', avenue: 'Ave', road: 'Rd', drive: 'Dr', lane: 'Ln', court: 'Ct', boulevard: 'Blvd',
	circle: 'Cir', place: 'Pl', terrace: 'Ter', parkway: 'Pkwy', highway: 'Hwy', square: 'Sq', trail: 'Trl',
	north: 'N', south: 'S', east: 'E', west: 'W', northeast: 'NE', northwest: 'NW', southeast: 'SE', southwest: 'SW',
	apartment: 'Apt', suite: 'Ste'
};
const STREET_WORD = new RegExp(`\\b(${Object.keys(STREET_WORDS).join('|')})\\b\\.?`, 'gi');

/** Trimmed, single-spaced, common suffixes and directions abbreviated (USPS style). */
export function normalizeStreet(raw: string | undefined): string | null {
	const v = (raw ?? '').trim().replace(/\s+/g, ' ');
	if (!v) return null;
	const cased = v === v.toUpperCase() || v === v.toLowerCase() ? (normalizeName(v) ?? v) : v;
	return cased.replace(STREET_WORD, (word: string) => STREET_WORDS[word.replace('.', '').toLowerCase()] ?? word);
}

export function normalizeCity(raw: string | undefined): string | null {
	return normalizeName(raw);
}

const STATES: Record<string, string> = {
	alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA', colorado: 'CO', connecticut: 'CT',
	delaware: 'DE', 'district of columbia': 'DC', florida: 'FL', georgia: 'GA', hawaii: 'HI', idaho: 'ID', illinois: 'IL',
	indiana: 'IN', iowa: 'IA', kansas: 'KS', kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD',
	massachusetts: 'MA', michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT',
	nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ', 'new mexico': 'NM', 'new york': 'NY',
	'north carolina': 'NC', 'north dakota': 'ND', ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA',
	'rhode island': 'RI', 'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT',
	vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV', wisconsin: 'WI', wyoming: 'WY',
	'puerto rico': 'PR', guam: 'GU', 'virgin islands': 'VI', 'american samoa': 'AS', 'northern mariana islands': 'MP'
};
const STATE_CODES = new Set(Object.values(STATES));

/** Two upper-case letters (a full state name is accepted and abbreviated). */
export function normalizeState(raw: string | undefined): string | null {
	const v = (raw ?? '').trim().replace(/\s+/g, ' ');
	if (!v) return null;
	const upper = v.toUpperCase();
	if (STATE_CODES.has(upper)) return upper;
	const named = STATES[v.toLowerCase()];
	if (named) return named;
	throw new CellError(`"${v}" is not a US state`);
}

/** Five digits: ZIP+4 keeps its first five, a four-digit zip gets back the leading zero spreadsheets drop. */
export function normalizeZip(raw: string | undefined): string | null {
	const v = (raw ?? '').trim();
	if (!v) return null;
	const m = /^(\d{4,5})(?:-?\d{4})?$/.exec(v);
	if (!m?.[1]) throw new CellError(`"${v}" is not a ZIP code`);
	return m[1].padStart(5, '0');
}

/** A number from cells such as "$350,000", "1,200.50" or "12%". */
export function normalizeNumber(raw: string | undefined): number | null {
	const v = (raw ?? '').trim();
	if (!v) return null;
	const cleaned = v.replace(/[$,\s%]/g, '');
	const n = /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
	if (!Number.isFinite(n)) throw new CellError(`"${v}" is not a number`);
	return n;
}

/** A money amount that fits numeric(14, 2). */
export function normalizeMoney(raw: string | undefined): number | null {
	const n = normalizeNumber(raw);
	if (n !== null && Math.abs(n) >= 1e12) throw new CellError(`"${(raw ?? '').trim()}" is too large an amount`);
	return n;
}

export function normalizeEmail(raw: string | undefined): string | null {
	const v = (raw ?? '').trim().toLowerCase();
	if (!v) return null;
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw new CellError(`"${raw?.trim() ?? ''}" is not an e-mail address`);
	return v;
}

/** Lower-cased, punctuation-free "first last|street|zip": the second dedupe key. Null without name and address. */
export function nameAddressKey(name: string | null, street: string | null, zip: string | null, city: string | null): string | null {
	if (!name || !street || (!zip && !city)) return null;
	const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]+/g, '').replace(/\s+/g, ' ').trim();
	return `${clean(name)}|${clean(street)}|${zip ?? clean(city ?? '')}`;
}

/** Header cell → comparable token: "Owner 1 First Name" → "owner1firstname". */
export function headerToken(header: string): string {
	return header.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
