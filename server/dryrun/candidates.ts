import type { CandidateColumns, CandidateSender } from '../crusades/budgets';
import type { Calendar } from '../crusades/windows';

/**
 * The leads that reach the allocator, kept as columns while the first pass is read (600,000
 * objects of ten fields were most of the run's garbage): what the allocator needs as typed
 * arrays, what the results row needs as COPY text. Lead ids are uuids (36 characters), copied
 * into one buffer, so that no id holds on to the whole text of the COPY chunk it was sliced from.
 */
const ID_LENGTH = 36;

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

/**
 * Phone ids for the cooldown. E.164 numbers are keys of an open-addressing table of doubles: a
 * Map keyed by numbers past 2^31 boxes every key and was the costliest line of the whole pass.
 * Anything that is not plain E.164 goes by text.
 */
class PhoneIds {
	private keys = new Float64Array(1 << 16);
	private ids = new Int32Array(1 << 16);
	private used = 0;
	private readonly byText = new Map<string, number>();
	count = 0;

	id(e164: string): number {
		if (e164.length < 2 || e164.length > 16 || e164.charCodeAt(0) !== 43 || !/^\+\d+$/.test(e164)) {
			let id = this.byText.get(e164);
			if (id === undefined) this.byText.set(e164, (id = this.count++));
			return id;
		}
		// + 1 keeps 0 free as the empty mark ("+0" would be 0).
		const key = Number(e164.slice(1)) + 1;
		const mask = this.keys.length - 1;
		for (let h = (Math.imul((key % 4_294_967_296) ^ Math.floor(key / 4_294_967_296), 0x9e3779b1) >>> 0) & mask; ; h = (h + 1) & mask) {
			const k = this.keys[h]!;
			if (k === key) return this.ids[h]!;
			if (k === 0) {
				this.keys[h] = key;
				const id = (this.ids[h] = this.count++);
				if (++this.used * 2 > this.keys.length) this.rehash();
				return id;
			}
		}
	}

	private rehash(): void {
		const { keys, ids } = this;
		this.keys = new Float64Array(keys.length * 2);
		this.ids = new Int32Array(keys.length * 2);
		const mask = this.keys.length - 1;
		for (let i = 0; i < keys.length; i++) {
			const key = keys[i]!;
			if (key === 0) continue;
			let h = (Math.imul((key % 4_294_967_296) ^ Math.floor(key / 4_294_967_296), 0x9e3779b1) >>> 0) & mask;
			while (this.keys[h] !== 0) h = (h + 1) & mask;
			this.keys[h] = key;
			this.ids[h] = ids[i]!;
		}
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
	private ids = Buffer.alloc(this.capacity * ID_LENGTH);
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
		this.ids.write(leadId, i * ID_LENGTH, 'latin1');
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
