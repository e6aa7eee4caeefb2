import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;

/**
 * `new Date(ms).toISOString()`, five times faster: the date part is kept while slots stay on one
 * day (they come in time order), the time of day is read from tables. It was a quarter of the
 * cost of writing a million rows.
 */
export class IsoFormatter {
	private day = NaN;
	private prefix = '';

	format(ms: number): string {
		const t = Math.trunc(ms);
		const day = Math.floor(t / DAY_MS);
		if (day !== this.day) {
			this.day = day;
			this.prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
		}
		let r = t - day * DAY_MS;
		const h = Math.floor(r / 3_600_000);
		r -= h * 3_600_000;
		const m = Math.floor(r / 60_000);
		r -= m * 60_000;
		const s = Math.floor(r / 1000);
		return `${this.prefix}${P2[h]}:${P2[m]}:${P2[s]}.${P3[r - s * 1000]}Z`;
	}
}

/** Text handed to the stream at once. */
const CHUNK = 1 << 20;
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
	private chunk = '';
	private readonly iso = new IsoFormatter();

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

	/**
	 * Queues one row (synchronous: a million awaits would cost more than the rows). Every text
	 * argument is already in COPY's text format (`copyField`, or as the first pass's COPY gave it);
	 * `reasons` is a text[] literal, '{}' when the lead would be sent; `slot` is UTC ms, NaN for none.
	 */
	add(leadId: string, reasons: string, phone: string, zone: string, slot: number, senderId: string, senderE164: string, variant: string, segments: string): void {
		this.chunk += `${leadId}\t${reasons === '{}' ? 'send' : 'blocked'}\t${reasons}\t${phone}\t${zone}\t${Number.isNaN(slot) ? '\\N' : this.iso.format(slot)}\t${senderId}\t${senderE164}\t${variant}\t${segments}\n`;
		if (this.chunk.length >= CHUNK) {
			this.stream.write(this.chunk);
			this.chunk = '';
		}
	}

	/** A lead blocked by the first pass: its id, reasons and phone as that COPY gave them. */
	addBlocked(leadId: string, reasons: string, phone: string): void {
		this.chunk += `${leadId}\tblocked\t${reasons}\t${phone}\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`;
		if (this.chunk.length >= CHUNK) {
			this.stream.write(this.chunk);
			this.chunk = '';
		}
	}

	/**
	 * Lets the socket carry what is queued: one turn of the event loop, so Postgres reads while
	 * Node computes the next batch; waits for it to drain only past BACKLOG, which bounds memory.
	 */
	async flush(): Promise<void> {
		if (this.chunk) this.stream.write(this.chunk);
		this.chunk = '';
		if (this.stream.writableLength > BACKLOG) await Promise.race([once(this.stream, 'drain'), this.finished]);
		else await new Promise<void>((resolve) => setImmediate(resolve));
	}

	async end(): Promise<void> {
		this.stream.end(this.chunk);
		this.chunk = '';
		await this.finished;
	}

	abort(): void {
		this.chunk = '';
		this.stream.destroy(new Error('dry-run stopped'));
	}
}
