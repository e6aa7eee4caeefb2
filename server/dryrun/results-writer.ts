import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyArray, copyField } from './copy-text';
import type { DryRunReason } from './input';

/** One result row, as the run knows it. */
export interface ResultRow {
	leadId: string;
	reasons: readonly DryRunReason[];
	phone: string | null;
	zone?: string | null;
	/** UTC ms; NaN or undefined when there is no slot. */
	slot?: number;
	senderId?: string | null;
	senderE164?: string | null;
	variant?: string | null;
	segments?: number | null;
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

	constructor(
		client: pg.PoolClient,
		table: string,
		private readonly runId: string
	) {
		this.stream = client.query(copyFrom(`copy ${table} (run_id, lead_id, outcome, reasons, phone, zone, slot_at, sender_id, sender_e164, variant, segments) from stdin`));
		this.finished = new Promise<void>((resolve, reject) => {
			this.stream.on('finish', resolve);
			this.stream.on('error', reject);
		});
		// Observed by `end`; until then an error must not surface as an unhandled rejection.
		this.finished.catch(() => {});
	}

	/** Queues one row (synchronous: a million awaits would cost more than the rows). */
	add(row: ResultRow): void {
		const slot = row.slot;
		this.chunk += `${this.runId}\t${row.leadId}\t${row.reasons.length > 0 ? 'blocked' : 'send'}\t${copyArray(row.reasons)}\t${copyField(row.phone)}\t${copyField(row.zone)}\t${
			slot === undefined || Number.isNaN(slot) ? '\\N' : new Date(slot).toISOString()
		}\t${copyField(row.senderId)}\t${copyField(row.senderE164)}\t${copyField(row.variant)}\t${copyField(row.segments)}\n`;
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
