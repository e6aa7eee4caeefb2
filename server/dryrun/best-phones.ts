import { doubled, ID_LENGTH, slotOf, uuidKey, widened, writeId } from './table-keys';

/**
 * Each audience lead's best phone, chosen while the phone rows stream in (first-pass.ts) and
 * looked up as the lead rows follow. Postgres used to choose it with DISTINCT ON, a sort of
 * every phone that had to finish before the first row came out: seconds in which the per-lead
 * pass had nothing to do. Here the choice costs one comparison per phone row.
 *
 * "Best": one that can be texted if any can (not a landline, not listed, a valid US number),
 * then mobile before VoIP before unknown before landline, then the oldest, then by number.
 *
 * Leads are found by an open-addressing table keyed by 13 hex digits of the uuid (table-keys.ts),
 * with the whole id kept to tell apart the rare two that share those digits.
 */

/** What keeps a phone from being texted, as bits of its `flags`. */
export const PhoneFlag = { Dnc: 1, Invalid: 2, Landline: 4 } as const;
const UNTEXTABLE = PhoneFlag.Dnc | PhoneFlag.Invalid | PhoneFlag.Landline;
/** The type's rank sits above the three flag bits. */
const TYPE_SHIFT = 3;

/**
 * Whether a phone (as COPY text) is a US number 10DLC can text: "+1", ten ASCII digits, area
 * code and exchange not starting with 0 or 1 — `US_E164` (first-pass.ts) without a regex.
 */
export function usTextable(e164: string): boolean {
	if (e164.length !== 12 || e164.charCodeAt(0) !== 43 || e164.charCodeAt(1) !== 49) return false;
	for (let i = 2; i < 12; i++) {
		const c = e164.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return e164.charCodeAt(2) > 49 && e164.charCodeAt(5) > 49;
}

/** A phone row's flags: what keeps it from being texted, and its type's rank above them. */
export function phoneFlags(e164: string, type: string, dnc: boolean): number {
	const rank = type === 'mobile' ? 0 : type === 'voip' ? 1 : type === 'unknown' ? 2 : 3;
	return (dnc ? PhoneFlag.Dnc : 0) | (usTextable(e164) ? 0 : PhoneFlag.Invalid) | (type === 'landline' ? PhoneFlag.Landline : 0) | (rank << TYPE_SHIFT);
}

/**
 * "+" and 1 to 15 digits (the first not 0) as a number, exact below 2^53; -1 for any other text.
 * Phones are kept as numbers, not as the strings the COPY gave: a million retained slices held
 * on to every chunk of the stream, and the young generation copied them all, twice.
 */
export function e164Digits(e164: string): number {
	const n = e164.length;
	if (n < 2 || n > 16 || e164.charCodeAt(0) !== 43 || e164.charCodeAt(1) === 48) return -1;
	let v = 0;
	for (let i = 1; i < n; i++) {
		const d = e164.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return -1;
		v = v * 10 + d;
	}
	return v;
}

/** Whether phone text a sorts before b, each given by its digits (or -1 and its text). */
function textBefore(a: number, aText: string, b: number, bText: string): boolean {
	if (a >= 0 && b >= 0) {
		if (a === b) return false;
		const as = String(a);
		const bs = String(b);
		// Same length: numeric order is text order.
		return as.length === bs.length ? a < b : as < bs;
	}
	return (a >= 0 ? '+' + a : aText) < (b >= 0 ? '+' + b : bText);
}

export class BestPhones {
	/** Per entry: the phone's digits (-1 when not plain E.164: its text is in `odd`), area code, flags, age, last send. */
	private digits: Float64Array;
	private readonly odd = new Map<number, string>();
	/** Area codes by index: a few hundred distinct ones, each kept once. */
	private area: Uint32Array;
	private readonly areaTexts: string[] = [];
	private readonly areaIndex = new Map<string, number>();
	private lastSent: Float64Array;
	private flags: Uint8Array;
	private created: Float64Array;
	private ids: Buffer;
	private keys: Float64Array;
	private slots: Int32Array;
	private used = 0;

	constructor(expected = 1024) {
		let size = 1 << 10;
		while (size < expected * 2) size *= 2;
		this.keys = new Float64Array(size);
		this.slots = new Int32Array(size);
		const entries = Math.max(1024, expected);
		this.digits = new Float64Array(entries);
		this.area = new Uint32Array(entries);
		this.lastSent = new Float64Array(entries);
		this.flags = new Uint8Array(entries);
		this.created = new Float64Array(entries);
		this.ids = Buffer.alloc(entries * ID_LENGTH);
	}

	get size(): number {
		return this.used;
	}

	/** Where `leadId` is or belongs: a slot holding it, or the empty slot it would take. */
	private probe(leadId: string, key: number): number {
		const mask = this.keys.length - 1;
		for (let h = slotOf(key, mask); ; h = (h + 1) & mask) {
			const k = this.keys[h]!;
			if (k === 0) return h;
			if (k === key && this.sameId(this.slots[h]!, leadId)) return h;
		}
	}

	private sameId(entry: number, leadId: string): boolean {
		const at = entry * ID_LENGTH;
		for (let i = 0; i < ID_LENGTH; i++) if (this.ids[at + i] !== leadId.charCodeAt(i)) return false;
		return true;
	}

	/**
	 * One phone row (`e164` and `areaCode` as COPY text, `lastSent` in ms or NaN): kept if it is
	 * the lead's first, or better than the one kept.
	 */
	offer(leadId: string, e164: string, areaCode: string, flags: number, created: number, lastSent: number): void {
		if (leadId.length !== ID_LENGTH) throw new Error(`Lead id "${leadId}" is not a uuid`);
		// + 1 keeps 0 free as the empty mark.
		const key = uuidKey(leadId) + 1;
		const h = this.probe(leadId, key);
		const digits = e164Digits(e164);
		if (this.keys[h] === 0) {
			const entry = this.used++;
			if (entry === this.flags.length) this.grow();
			this.keys[h] = key;
			this.slots[h] = entry;
			writeId(leadId, this.ids, entry * ID_LENGTH);
			this.set(entry, digits, e164, areaCode, flags, created, lastSent);
			if (this.used * 2 > this.keys.length) this.rehash();
			return;
		}
		const entry = this.slots[h]!;
		if (this.better(flags, created, digits, e164, entry)) this.set(entry, digits, e164, areaCode, flags, created, lastSent);
	}

	private better(flags: number, created: number, digits: number, e164: string, entry: number): boolean {
		const kept = this.flags[entry]!;
		const bad = (flags & UNTEXTABLE) !== 0 ? 1 : 0;
		const keptBad = (kept & UNTEXTABLE) !== 0 ? 1 : 0;
		if (bad !== keptBad) return bad < keptBad;
		const type = flags >> TYPE_SHIFT;
		const keptType = kept >> TYPE_SHIFT;
		if (type !== keptType) return type < keptType;
		const keptCreated = this.created[entry]!;
		if (created !== keptCreated) return created < keptCreated;
		return textBefore(digits, e164, this.digits[entry]!, this.odd.get(entry) ?? '');
	}

	private set(entry: number, digits: number, e164: string, areaCode: string, flags: number, created: number, lastSent: number): void {
		this.digits[entry] = digits;
		if (digits < 0) this.odd.set(entry, e164);
		else if (this.odd.size > 0) this.odd.delete(entry);
		let area = this.areaIndex.get(areaCode);
		if (area === undefined) {
			area = this.areaTexts.push(areaCode) - 1;
			this.areaIndex.set(areaCode, area);
		}
		this.area[entry] = area;
		this.lastSent[entry] = lastSent;
		this.flags[entry] = flags;
		this.created[entry] = created;
	}

	/** The entry holding `leadId`'s best phone, or -1 when it has none; `key` is its `uuidKey` when the caller has it already. */
	find(leadId: string, key = uuidKey(leadId)): number {
		if (leadId.length !== ID_LENGTH) return -1;
		const h = this.probe(leadId, key + 1);
		return this.keys[h] === 0 ? -1 : this.slots[h]!;
	}

	flagsOf(entry: number): number {
		return this.flags[entry]!;
	}

	/** The phone's digits, or -1 when it is not plain E.164 (then `e164Of` has its text). */
	digitsOf(entry: number): number {
		return this.digits[entry]!;
	}

	/** The phone as COPY text (a new string for a plain number). */
	e164Of(entry: number): string {
		const digits = this.digits[entry]!;
		return digits >= 0 ? '+' + digits : this.odd.get(entry)!;
	}

	/** The phone's area code as COPY text. */
	areaCodeOf(entry: number): string {
		return this.areaTexts[this.area[entry]!]!;
	}

	/** The last send to the phone in ms, NaN when none. */
	lastSentOf(entry: number): number {
		return this.lastSent[entry]!;
	}

	private grow(): void {
		const size = this.flags.length * 2;
		this.digits = widened(this.digits, size);
		this.area = widened(this.area, size);
		this.lastSent = widened(this.lastSent, size);
		this.flags = widened(this.flags, size);
		this.created = widened(this.created, size);
		const ids = Buffer.alloc(size * ID_LENGTH);
		this.ids.copy(ids);
		this.ids = ids;
	}

	private rehash(): void {
		({ keys: this.keys, values: this.slots } = doubled(this.keys, this.slots));
	}
}
