import type { CandidateColumns, CandidateSender } from '../crusades/budgets';
import type { Calendar } from '../crusades/windows';
import { ID_LENGTH, uuidKey, writeId } from './table-keys';

export { ID_LENGTH };

function grow<T extends Float64Array | Int32Array | Uint32Array>(a: T, size: number): T {
	const b = new (a.constructor as new (n: number) => T)(size);
	b.set(a);
	return b;
}

/**
 * The leads that reach the allocator, kept as columns while the first pass is read (600,000
 * objects of ten fields were most of the run's garbage): what the allocator needs as typed
 * arrays, what the results row needs as COPY text. Lead ids are uuids (36 characters), copied
 * into one buffer, so that no id holds on to the whole text of the COPY chunk it was sliced from.
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
	/** COPY text of each lead's phone, variant and segment count. */
	readonly phoneText: string[] = [];
	readonly variant: string[] = [];
	readonly segments: string[] = [];
	private ids: Buffer;

	/**
	 * `expected`: the audience's size, an upper bound known before the read, so the columns and
	 * the phone table are allocated once instead of doubled (copied) twenty times over.
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
		this.ids = Buffer.alloc(size * ID_LENGTH);
	}

	add(leadId: string, phoneText: string, jitter: number, notBefore: number, calendar: number, sender: number, gapMs: number, lastSentAt: number, place: number, variant: string, segments: string): void {
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
		this.key[i] = uuidKey(leadId);
		this.phoneText.push(phoneText);
		this.variant.push(variant);
		this.segments.push(segments);
		writeId(leadId, this.ids, i * ID_LENGTH);
	}

	private resize(size: number): void {
		this.capacity = size;
		this.jitter = grow(this.jitter, size);
		this.phone = grow(this.phone, size);
		this.notBefore = grow(this.notBefore, size);
		this.calendar = grow(this.calendar, size);
		this.sender = grow(this.sender, size);
		this.gapMs = grow(this.gapMs, size);
		this.lastSentAt = grow(this.lastSentAt, size);
		this.place = grow(this.place, size);
		this.key = grow(this.key, size);
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
