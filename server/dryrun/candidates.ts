import type { CandidateColumns, CandidateSender } from '../crusades/budgets';
import type { Calendar } from '../crusades/windows';
import { ID_LENGTH, widened, writeId } from './table-keys';

export { ID_LENGTH };

/**
 * The leads that reach the allocator, kept as columns while the first pass is read (600,000
 * objects of ten fields were most of the run's garbage): what the allocator needs as typed
 * arrays, what the results row needs as bytes. Nothing per lead stays on the JavaScript heap:
 * ids go into one buffer, phones as numbers, messages into a byte arena, so no lead holds on to
 * the COPY chunk its fields were sliced from and the young generation has nothing to copy.
 */
export class Candidates {
	length = 0;
	private capacity: number;
	jitter: Float64Array;
	phone: Int32Array;
	notBefore: Float64Array;
	calendar: Uint32Array;
	sender: Uint32Array;
	gapMs: Float64Array;
	lastSentAt: Float64Array;
	place: Uint32Array;
	private key: Float64Array;
	/** Each lead's phone: its digits, or -1 with its COPY text in `oddPhones`. */
	phoneDigits: Float64Array;
	readonly oddPhones = new Map<number, string>();
	/** Each lead's message as COPY text in UTF-8: bytes `variantStart[i]` to `variantStart[i + 1]` of `variants`. */
	variants: Buffer;
	variantStart: Uint32Array;
	/** COPY text of each lead's segment count (a handful of distinct strings, shared). */
	readonly segments: string[] = [];
	private ids: Buffer;

	/**
	 * `expected`: the audience's size, an upper bound known before the read, so the columns are
	 * allocated once instead of doubled (copied) twenty times over.
	 */
	constructor(expected = 1024) {
		const size = (this.capacity = Math.max(1024, expected));
		this.jitter = new Float64Array(size);
		this.phone = new Int32Array(size);
		this.notBefore = new Float64Array(size);
		this.calendar = new Uint32Array(size);
		this.sender = new Uint32Array(size);
		this.gapMs = new Float64Array(size);
		this.lastSentAt = new Float64Array(size);
		this.place = new Uint32Array(size);
		this.key = new Float64Array(size);
		this.phoneDigits = new Float64Array(size);
		this.variantStart = new Uint32Array(size + 1);
		// ~128 bytes a message, at most 64 MB up front: it doubles as needed.
		this.variants = Buffer.allocUnsafe(Math.min(64 << 20, Math.max(1 << 16, size * 128)));
		this.ids = Buffer.alloc(size * ID_LENGTH);
	}

	/** `key`: the id's `uuidKey` (the first pass has it already from finding the lead's phone). */
	add(leadId: string, key: number, phoneDigits: number, phoneText: string, jitter: number, notBefore: number, calendar: number, sender: number, gapMs: number, lastSentAt: number, place: number, variant: string, segments: string): void {
		if (leadId.length !== ID_LENGTH) throw new Error(`Lead id "${leadId}" is not a uuid`);
		const i = this.length++;
		if (i === this.capacity) this.resize(this.capacity * 2);
		this.jitter[i] = jitter;
		// Each candidate's phone is its own: a workspace holds a number once (lead_phones' key is
		// (workspace, e164)) and each lead is a candidate once, so no two candidates share one and
		// the allocator's per-phone cooldown needs no lookup.
		this.phone[i] = i;
		this.notBefore[i] = notBefore;
		this.calendar[i] = calendar;
		this.sender[i] = sender;
		this.gapMs[i] = gapMs;
		this.lastSentAt[i] = lastSentAt;
		this.place[i] = place;
		this.key[i] = key;
		this.phoneDigits[i] = phoneDigits;
		if (phoneDigits < 0) this.oddPhones.set(i, phoneText);
		let at = this.variantStart[i]!;
		// UTF-8 takes at most 3 bytes per UTF-16 unit.
		if (at + variant.length * 3 > this.variants.length) {
			const grown = Buffer.allocUnsafe(Math.max(this.variants.length * 2, at + variant.length * 3));
			this.variants.copy(grown, 0, 0, at);
			this.variants = grown;
		}
		at += this.variants.write(variant, at, 'utf8');
		this.variantStart[i + 1] = at;
		this.segments.push(segments);
		writeId(leadId, this.ids, i * ID_LENGTH);
	}

	private resize(size: number): void {
		this.capacity = size;
		this.jitter = widened(this.jitter, size);
		this.phone = widened(this.phone, size);
		this.notBefore = widened(this.notBefore, size);
		this.calendar = widened(this.calendar, size);
		this.sender = widened(this.sender, size);
		this.gapMs = widened(this.gapMs, size);
		this.lastSentAt = widened(this.lastSentAt, size);
		this.place = widened(this.place, size);
		this.key = widened(this.key, size);
		this.phoneDigits = widened(this.phoneDigits, size);
		this.variantStart = widened(this.variantStart, size + 1);
		const ids = Buffer.alloc(size * ID_LENGTH);
		this.ids.copy(ids);
		this.ids = ids;
	}

	/** The lead ids as 36 bytes each (lead i's at `i * 36`), for writing them without a string. */
	get idBytes(): Buffer {
		return this.ids;
	}

	/** Lead i's id. */
	id(i: number): string {
		return this.ids.toString('latin1', i * ID_LENGTH, (i + 1) * ID_LENGTH);
	}

	/** Lead i's message as COPY text. */
	variant(i: number): string {
		return this.variants.toString('utf8', this.variantStart[i]!, this.variantStart[i + 1]!);
	}

	/** The columns for the allocator; ties between equal earliest instants go in lead-id order. */
	columns(calendars: readonly Calendar[], senders: readonly CandidateSender[]): CandidateColumns {
		const key = this.key;
		return {
			length: this.length,
			jitter: this.jitter,
			phone: this.phone,
			phoneCount: this.length,
			notBefore: this.notBefore,
			calendar: this.calendar,
			calendars,
			sender: this.sender,
			senders,
			gapMs: this.gapMs,
			lastSentAt: this.lastSentAt,
			tieKey: key.subarray(0, this.length),
			tieBreak: (a, b) => key[a]! - key[b]! || (this.id(a) < this.id(b) ? -1 : this.id(a) > this.id(b) ? 1 : a - b)
		};
	}
}
