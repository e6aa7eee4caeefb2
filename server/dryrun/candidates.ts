import type { CandidateColumns, CandidateSender } from '../crusades/budgets';
import type { Calendar } from '../crusades/windows';

/**
 * The leads that reach the allocator, kept as columns while the first pass is read (600,000
 * objects of ten fields were most of the run's garbage): what the allocator needs as typed
 * arrays, what the results row needs as COPY text. Lead ids are uuids (36 characters), stored
 * end to end in one string per chunk of leads, so that no id holds on to the whole text of the
 * COPY chunk it was sliced from.
 */
const ID_LENGTH = 36;
const IDS_PER_STRING = 4096;

function grow<T extends Float64Array | Int32Array | Uint32Array>(a: T, size: number): T {
	const b = new (a.constructor as new (n: number) => T)(size);
	b.set(a);
	return b;
}

/** 13 hex digits of a uuid as a number (52 bits, exact): its order is the ids' text order. */
function idKey(id: string): number {
	let k = 0;
	for (let i = 0, n = 0; n < 13; i++) {
		const c = id.charCodeAt(i);
		if (c === 45) continue; // '-'
		k = k * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
		n++;
	}
	return k;
}

/** Phone ids for the cooldown: E.164 numbers as numbers (no string hashing), anything else by text. */
class PhoneIds {
	private readonly byNumber = new Map<number, number>();
	private readonly byText = new Map<string, number>();
	count = 0;

	id(e164: string): number {
		if (e164.length <= 16 && /^\+\d+$/.test(e164)) {
			const n = Number(e164.slice(1));
			let id = this.byNumber.get(n);
			if (id === undefined) this.byNumber.set(n, (id = this.count++));
			return id;
		}
		let id = this.byText.get(e164);
		if (id === undefined) this.byText.set(e164, (id = this.count++));
		return id;
	}
}

export class Candidates {
	length = 0;
	private capacity = 1024;
	jitter = new Float64Array(this.capacity);
	phone = new Int32Array(this.capacity);
	notBefore = new Float64Array(this.capacity);
	calendar = new Uint32Array(this.capacity);
	sender = new Uint32Array(this.capacity);
	gapMs = new Float64Array(this.capacity);
	lastSentAt = new Float64Array(this.capacity);
	place = new Uint32Array(this.capacity);
	private key = new Float64Array(this.capacity);
	/** COPY text of each lead's phone, variant and segment count. */
	readonly phoneText: string[] = [];
	readonly variant: string[] = [];
	readonly segments: string[] = [];
	private readonly ids: string[] = [];
	private openIds = '';
	private readonly phones = new PhoneIds();

	add(leadId: string, phoneText: string, phone: string, jitter: number, notBefore: number, calendar: number, sender: number, gapMs: number, lastSentAt: number, place: number, variant: string, segments: string): void {
		if (leadId.length !== ID_LENGTH) throw new Error(`Lead id "${leadId}" is not a uuid`);
		const i = this.length++;
		if (i === this.capacity) this.resize(this.capacity * 2);
		this.jitter[i] = jitter;
		this.phone[i] = this.phones.id(phone);
		this.notBefore[i] = notBefore;
		this.calendar[i] = calendar;
		this.sender[i] = sender;
		this.gapMs[i] = gapMs;
		this.lastSentAt[i] = lastSentAt;
		this.place[i] = place;
		this.key[i] = idKey(leadId);
		this.phoneText.push(phoneText);
		this.variant.push(variant);
		this.segments.push(segments);
		this.openIds += leadId;
		if (this.length % IDS_PER_STRING === 0) this.closeIds();
	}

	private closeIds(): void {
		if (this.openIds.length === 0) return;
		// Reading a character flattens the concatenation into one string; the slices it was made of go.
		this.openIds.charCodeAt(0);
		this.ids.push(this.openIds);
		this.openIds = '';
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
	}

	/** Lead i's id. */
	id(i: number): string {
		const s = Math.floor(i / IDS_PER_STRING);
		const at = (i - s * IDS_PER_STRING) * ID_LENGTH;
		return (s < this.ids.length ? this.ids[s]! : this.openIds).slice(at, at + ID_LENGTH);
	}

	/** The columns for the allocator; ties between equal earliest instants go in lead-id order. */
	columns(calendars: readonly Calendar[], senders: readonly CandidateSender[]): CandidateColumns {
		this.closeIds();
		const key = this.key;
		return {
			length: this.length,
			jitter: this.jitter,
			phone: this.phone,
			phoneCount: this.phones.count,
			notBefore: this.notBefore,
			calendar: this.calendar,
			calendars,
			sender: this.sender,
			senders,
			gapMs: this.gapMs,
			lastSentAt: this.lastSentAt,
			tieBreak: (a, b) => key[a]! - key[b]! || (this.id(a) < this.id(b) ? -1 : this.id(a) > this.id(b) ? 1 : a - b)
		};
	}
}
