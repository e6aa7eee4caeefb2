import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ID_LENGTH } from './table-keys';

const DAY_MS = 86_400_000;

/**
 * `new Date(ms).toISOString()` written as bytes (24 of them), without a Date or a string per
 * row: each day's date part is made once and kept (rows come in allocation order, whose slots
 * hop between the days of the schedule, so remembering only the last day remade it almost every
 * row), the time of day is written digit by digit.
 */
export class IsoWriter {
	private readonly prefixes = new Map<number, Buffer>();

	/** Writes the instant at `at` and returns the offset after it. */
	write(ms: number, buf: Buffer, at: number): number {
		const t = Math.trunc(ms);
		const day = Math.floor(t / DAY_MS);
		let prefix = this.prefixes.get(day);
		if (!prefix) {
			prefix = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
			this.prefixes.set(day, prefix);
		}
		// A loop, not `prefix.copy`: eleven bytes are less than the call into C++ costs.
		for (let k = 0; k < 11; k++) buf[at + k] = prefix[k]!;
		let r = t - day * DAY_MS;
		const h = Math.floor(r / 3_600_000);
		r -= h * 3_600_000;
		const m = Math.floor(r / 60_000);
		r -= m * 60_000;
		const s = Math.floor(r / 1000);
		const f = r - s * 1000;
		at += 11;
		buf[at++] = 48 + ((h / 10) | 0);
		buf[at++] = 48 + (h % 10);
		buf[at++] = 58; // ':'
		buf[at++] = 48 + ((m / 10) | 0);
		buf[at++] = 48 + (m % 10);
		buf[at++] = 58;
		buf[at++] = 48 + ((s / 10) | 0);
		buf[at++] = 48 + (s % 10);
		buf[at++] = 46; // '.'
		buf[at++] = 48 + ((f / 100) | 0);
		buf[at++] = 48 + (((f / 10) | 0) % 10);
		buf[at++] = 48 + (f % 10);
		buf[at++] = 90; // 'Z'
		return at;
	}
}

/** Bytes handed to the stream at once. */
const CHUNK = 1 << 20;
const TAB = 9;
/** Fields longer than this go through `Buffer#write` (put). */
const LONG_FIELD = 24;
const NEWLINE = 10;
/** The six empty fields after a first-pass block's phone. */
const BLOCKED_TAIL = Buffer.from('\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n', 'latin1');
/** Bytes a chunk holds before `flush` hands it to the stream (rows go over within a few thousand). */
const HAND_OVER = 256 << 10;
/** Queued bytes past which the run waits for Postgres (at ~200 bytes a row, ~300,000 rows). */
const BACKLOG = 64 << 20;

/**
 * A COPY into the run's results table that stays open for the whole run, on a connection of its
 * own: rows go to Postgres as soon as their fate is known (blocked ones while the audience is
 * still being read, scheduled ones step by step as the allocator settles them), so Postgres
 * writes while Node computes. `abort` sends CopyFail, leaving the connection usable.
 */
export class ResultsWriter {
	private readonly stream;
	private readonly finished: Promise<void>;
	/** The chunk being filled: bytes are written in place, no string is built per row. */
	private buf = Buffer.allocUnsafe(CHUNK);
	private at = 0;
	private readonly iso = new IsoWriter();

	constructor(client: pg.PoolClient, table: string) {
		// run_id is the table's default (results-table.ts): 37 bytes a row Postgres need not parse.
		this.stream = client.query(copyFrom(`copy ${table} (lead_id, outcome, reasons, phone, zone, slot_at, sender_id, sender_e164, variant, segments) from stdin`));
		this.finished = new Promise<void>((resolve, reject) => {
			this.stream.on('finish', resolve);
			this.stream.on('error', reject);
		});
		// Observed by `end`; until then an error must not surface as an unhandled rejection.
		this.finished.catch(() => {});
	}

	/** Room for `bytes` more in the chunk: a full chunk goes to the stream (it keeps the buffer). */
	private room(bytes: number): void {
		if (this.at + bytes <= this.buf.length) return;
		this.handOver();
		if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
	}

	private handOver(): void {
		if (this.at > 0) this.stream.write(this.buf.subarray(0, this.at));
		this.buf = Buffer.allocUnsafe(CHUNK);
		this.at = 0;
	}

	/**
	 * One field's text then `end` (a tab or newline): short ASCII byte by byte, long or non-ASCII
	 * text by one `write` (a call into C++ costs about what a loop over twenty characters does).
	 */
	private put(text: string, end: number): void {
		const buf = this.buf;
		if (text.length > LONG_FIELD) {
			this.at += buf.write(text, this.at, 'utf8');
			buf[this.at++] = end;
			return;
		}
		let at = this.at;
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c >= 0x80) {
				at = this.at + buf.write(text, this.at, 'utf8');
				break;
			}
			buf[at++] = c;
		}
		buf[at++] = end;
		this.at = at;
	}

	/**
	 * Bytes a row can take at most: 96 for the fixed fields (outcome, slot, a phone as digits,
	 * tabs), and UTF-8 needs up to 3 bytes a UTF-16 unit. Spelled out, not `...texts`: an array
	 * per row showed in profiles.
	 */
	private static bound(a: string, b: string, c: string, d: string, e: string, f: string, g: string, h: string): number {
		return 96 + 3 * (a.length + b.length + c.length + d.length + e.length + f.length + g.length + h.length);
	}

	/** A phone given as its digits ("+" and them), or, when `digits` is -1, as its COPY text. */
	private putPhone(digits: number, text: string): void {
		if (digits < 0) return this.put(text, TAB);
		const buf = this.buf;
		let at = this.at;
		buf[at++] = 43; // '+'
		let end = at + 1;
		for (let p = 10; p <= digits; p *= 10) end++;
		for (let k = end - 1, n = digits; k >= at; k--) {
			const q = Math.floor(n / 10);
			buf[k] = 48 + n - q * 10;
			n = q;
		}
		buf[end] = TAB;
		this.at = end + 1;
	}

	/**
	 * Queues one row (synchronous: a million awaits would cost more than the rows). Every text
	 * argument is already in COPY's text format (`copyField`, or as the first pass's COPY gave it);
	 * `reasons` is a text[] literal, '{}' when the lead would be sent; `slot` is UTC ms, NaN for none.
	 */
	add(leadId: string, reasons: string, phoneDigits: number, phoneText: string, zone: string, slot: number, senderId: string, senderE164: string, variant: string, segments: string): void {
		this.room(ResultsWriter.bound(leadId, reasons, phoneText, zone, senderId, senderE164, variant, segments));
		this.put(leadId, TAB);
		this.fields(reasons, phoneDigits, phoneText, zone, slot, senderId, senderE164);
		this.put(variant, TAB);
		this.put(segments, NEWLINE);
	}

	/**
	 * `add` with the lead id as 36 bytes of `ids` at `offset` and the message as the bytes of
	 * `variants` from `start` to `end` (the candidates keep them so).
	 */
	addFrom(ids: Buffer, offset: number, reasons: string, phoneDigits: number, phoneText: string, zone: string, slot: number, senderId: string, senderE164: string, variants: Buffer, start: number, end: number, segments: string): void {
		this.room(ResultsWriter.bound(reasons, phoneText, zone, senderId, senderE164, segments, '', '') + ID_LENGTH + 1 + end - start);
		// Loops, not `copy`, for short runs: a few dozen bytes cost less than the call into C++.
		const buf = this.buf;
		let at = this.at;
		for (let k = 0; k < ID_LENGTH; k++) buf[at++] = ids[offset + k]!;
		buf[at++] = TAB;
		this.at = at;
		this.fields(reasons, phoneDigits, phoneText, zone, slot, senderId, senderE164);
		if (end - start > LONG_FIELD) this.at += variants.copy(buf, this.at, start, end);
		else for (let k = start; k < end; k++) buf[this.at++] = variants[k]!;
		buf[this.at++] = TAB;
		this.put(segments, NEWLINE);
	}

	/** The fields between the id and the message. */
	private fields(reasons: string, phoneDigits: number, phoneText: string, zone: string, slot: number, senderId: string, senderE164: string): void {
		this.put(reasons === '{}' ? 'send' : 'blocked', TAB);
		this.put(reasons, TAB);
		this.putPhone(phoneDigits, phoneText);
		this.put(zone, TAB);
		if (Number.isNaN(slot)) this.put('\\N', TAB);
		else {
			this.at = this.iso.write(slot, this.buf, this.at);
			this.buf[this.at++] = TAB;
		}
		this.put(senderId, TAB);
		this.put(senderE164, TAB);
	}

	/** A lead blocked by the first pass: its id and reasons, and its phone (if any) as `add` takes it. */
	addBlocked(leadId: string, reasons: string, phoneDigits: number, phoneText: string): void {
		this.room(ResultsWriter.bound(leadId, reasons, phoneText, '', '', '', '', '') + BLOCKED_TAIL.length);
		this.put(leadId, TAB);
		this.put('blocked', TAB);
		this.put(reasons, TAB);
		this.putPhone(phoneDigits, phoneText);
		this.at += BLOCKED_TAIL.copy(this.buf, this.at);
	}

	/**
	 * Lets the socket carry what is queued: one turn of the event loop, so Postgres reads while
	 * Node computes the next batch; waits for it to drain only past BACKLOG, which bounds memory.
	 * A chunk goes over once it holds HAND_OVER bytes, not at every flush: a fresh 1 MB buffer per
	 * flush (thousands of them, each its own mmap) was a fifth of the run's CPU time in the kernel.
	 */
	async flush(): Promise<void> {
		if (this.at >= HAND_OVER) this.handOver();
		if (this.stream.writableLength > BACKLOG) await Promise.race([once(this.stream, 'drain'), this.finished]);
		else await new Promise<void>((resolve) => setImmediate(resolve));
	}

	async end(): Promise<void> {
		this.stream.end(this.buf.subarray(0, this.at));
		this.at = 0;
		await this.finished;
	}

	abort(): void {
		this.at = 0;
		this.stream.destroy(new Error('dry-run stopped'));
	}
}
