import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Reads the first pass as `COPY (…) TO STDOUT` text instead of through a cursor: Postgres streams
 * rows as fast as the socket takes them (no FETCH round trips, no pause between batches), and
 * Node slices each line's fields out of one decoded string instead of building a row object of
 * seventeen separately decoded strings per lead — at a million leads the row objects were the
 * largest part of the read. Blocked rows are used almost as they come: their id, reasons and
 * phone are already in COPY's text format, which is also what the results COPY takes.
 */

const dialect = new PgDialect();

/**
 * The query's text with its parameters written in as literals (COPY takes no parameters). Only
 * plain values are allowed: drizzle's inlining would spell an array or a date wrongly, so any
 * other kind of parameter is refused rather than sent.
 */
export function inlineQuery(query: SQL): string {
	for (const p of dialect.sqlToQuery(query).params) {
		if (p !== null && typeof p !== 'string' && typeof p !== 'number' && typeof p !== 'boolean') throw new Error(`Cannot inline a ${typeof p} parameter into COPY`);
		if (typeof p === 'number' && !Number.isFinite(p)) throw new Error('Cannot inline a non-finite number into COPY');
	}
	return dialect.sqlToQuery(query.inlineParams()).sql;
}

/** One field as COPY wrote it: null for \N, escapes undone. */
export function copyValue(raw: string): string | null {
	if (raw.length === 2 && raw === '\\N') return null;
	if (raw.indexOf('\\') < 0) return raw;
	return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c));
}

/**
 * One line's fields, still escaped (`raw[k]`), reused from row to row: the caller reads what it
 * needs (through `copyValue`) before the next row overwrites them.
 */
export class CopyLine {
	readonly raw: string[];

	constructor(readonly width: number) {
		this.raw = new Array<string>(width).fill('');
	}

	value(k: number): string | null {
		return copyValue(this.raw[k]!);
	}
}

/**
 * Streams `COPY (query) TO STDOUT` on `client`, calling `onRow` with each line split into `width`
 * fields and `onChunk` after every chunk the socket delivered (for progress, cancel and writing
 * results, awaited before the next chunk is read, so a slow consumer slows Postgres). A throw
 * stops the read; the caller must then discard the connection, which is still mid-COPY.
 */
export async function readCopy(
	client: pg.PoolClient,
	query: string,
	width: number,
	onRow: (line: CopyLine) => void,
	onChunk: (rows: number) => Promise<void>,
	/** The line to split into; it may be wider than the query, for fields the caller adds. */
	line = new CopyLine(width)
): Promise<{ rows: number; rowsMs: number }> {
	if (line.width < width) throw new Error(`A line of ${line.width} fields cannot hold ${width}`);
	const stream = client.query(copyTo(`copy (${query}) to stdout`));
	const raw = line.raw;
	let rest: Buffer | null = null;
	let rows = 0;
	/** Time in the rows themselves (decoding, splitting, onRow), not waiting for Postgres. */
	let rowsMs = 0;
	for await (const data of stream as AsyncIterable<Buffer>) {
		const started = performance.now();
		const chunk: Buffer = rest ? Buffer.concat([rest, data]) : data;
		// Decode only whole lines: a newline byte never occurs inside a multi-byte UTF-8 character.
		const end = chunk.lastIndexOf(10);
		if (end < 0) {
			rest = Buffer.from(chunk);
			continue;
		}
		// A copy of the tail, so the chunk it came from can be collected.
		rest = end + 1 < chunk.length ? Buffer.from(chunk.subarray(end + 1)) : null;
		const text = chunk.toString('utf8', 0, end + 1);
		let at = 0;
		let inChunk = 0;
		while (at < text.length) {
			const eol = text.indexOf('\n', at);
			for (let k = 0; k < width; k++) {
				const tab = k + 1 < width ? text.indexOf('\t', at) : eol;
				if (tab < 0 || tab > eol) throw new Error(`First pass row ${rows + inChunk + 1} has fewer than ${width} fields`);
				raw[k] = text.slice(at, tab);
				at = tab + 1;
			}
			if (at !== eol + 1) throw new Error(`First pass row ${rows + inChunk + 1} has more than ${width} fields`);
			onRow(line);
			inChunk++;
		}
		rows += inChunk;
		rowsMs += performance.now() - started;
		await onChunk(rows);
	}
	if (rest && rest.length > 0) throw new Error('First pass ended mid-row');
	return { rows, rowsMs };
}
