import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import Papa from 'papaparse';
import { byteLengthIn, decoderFor, type FileEncoding } from './encoding';

export interface SourceRow {
	/** 1-based data row (the header is row 0; blank lines are skipped and not counted). */
	rowNumber: number;
	fields: string[];
	/** Set when the row cannot be trusted as parsed: broken quotes, NUL bytes, undecodable bytes. */
	problem?: string;
}

export interface RowBatch {
	rows: SourceRow[];
	/** File offset just past the last row of this batch, and that row's number: where to resume. */
	endOffset: number;
	endRow: number;
	/** False once undecodable bytes made the byte offset approximate: resume re-reads from the start. */
	offsetExact: boolean;
}

export interface ReadOptions {
	encoding: FileEncoding;
	delimiter: string;
	/** Where to start: 0 (after the BOM, header first) or a batch's `endOffset`. */
	startOffset: number;
	bomLength: number;
	/** Rows up to this number are skipped (already committed). */
	skipThrough: number;
	/** The row number of the first row at `startOffset` minus one. */
	rowBase: number;
	batchRows: number;
	chunkBytes?: number;
	/** A quoted field still open after this many characters is taken as an unbalanced quote. */
	maxRowChars?: number;
}

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

function detectNewline(text: string): '\r\n' | '\n' | '\r' {
	const n = text.indexOf('\n');
	const r = text.indexOf('\r');
	if (n < 0 && r < 0) return '\n';
	if (r >= 0 && (n < 0 || r < n)) return text[r + 1] === '\n' ? '\r\n' : '\r';
	return '\n';
}

async function newlineOf(path: string, encoding: FileEncoding, bomLength: number): Promise<'\r\n' | '\n' | '\r'> {
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(64 * 1024);
		const { bytesRead } = await handle.read(head, 0, head.length, bomLength);
		return detectNewline(decoderFor(encoding).write(head.subarray(0, bytesRead)));
	} finally {
		await handle.close();
	}
}

function isBlank(fields: string[]): boolean {
	return fields.length === 1 && fields[0] === '';
}

/**
 * Streams a CSV file as batches of rows without holding it in memory: bytes → decoder →
 * papaparse's core parser fed chunk by chunk (the incomplete last row carried over). A batch
 * ends on a chunk boundary, so its byte offset is exact and a restart can seek to it.
 */
export async function* readRowBatches(path: string, options: ReadOptions): AsyncGenerator<RowBatch> {
	const { encoding, delimiter, batchRows } = options;
	const maxRowChars = options.maxRowChars ?? 1_000_000;
	const start = options.startOffset === 0 ? options.bomLength : options.startOffset;
	const decoder = decoderFor(encoding);
	let parser: Papa.Parser | null = null;
	let newline: '\r\n' | '\n' | '\r' = '\n';
	let pending = '';
	let offset = start;
	let offsetExact = true;
	let rowNumber = options.rowBase;
	let headerPending = options.startOffset === 0;
	let batch: SourceRow[] = [];
	/** Whether the text being parsed holds a NUL or a replacement character: only then are fields checked one by one. */
	let suspect = false;

	const take = (fields: string[], problem?: string) => {
		if (isBlank(fields)) return;
		if (headerPending) {
			headerPending = false;
			return;
		}
		rowNumber++;
		if (rowNumber <= options.skipThrough) return;
		let issue = problem;
		if (!issue && suspect) {
			for (const f of fields) {
				if (f.includes(NUL)) issue = 'the row contains NUL bytes (binary data)';
				else if (f.includes(REPLACEMENT)) issue = `the row has bytes that are not valid ${encoding.toUpperCase()} (the file may be in another encoding)`;
				if (issue) break;
			}
		}
		batch.push(issue ? { rowNumber, fields: issue.includes('NUL') ? fields.map((f) => f.replaceAll(NUL, REPLACEMENT)) : fields, problem: issue } : { rowNumber, fields });
	};

	const takeRows = (result: Papa.ParseResult<string[]>) => {
		const quoteErrors = new Set<number>();
		for (const e of result.errors) if (e.type === 'Quotes' && e.row !== undefined) quoteErrors.add(e.row);
		result.data.forEach((fields, i) => take(fields, quoteErrors.has(i) ? 'unbalanced quotes: a quoted field is not closed properly' : undefined));
	};

	/**
	 * Parses `pending`: complete rows are taken, the unfinished tail stays. An unclosed quote
	 * would swallow the rest of the file, so once the tail outgrows `maxRowChars` (or the
	 * file ends inside it) its first line is rejected as an unbalanced quote and reading goes
	 * on from the next line.
	 */
	const parsePending = (final: boolean) => {
		parser ??= new Papa.Parser({ delimiter, newline, quoteChar: '"' });
		for (;;) {
			const complete = parser.parse(pending, 0, true) as Papa.ParseResult<string[]>;
			takeRows(complete);
			const cursor = complete.meta.cursor;
			account(pending.slice(0, cursor));
			pending = pending.slice(cursor);
			if (!pending || (!final && pending.length <= maxRowChars)) return;
			if (final) {
				const last = parser.parse(pending, 0, false) as Papa.ParseResult<string[]>;
				if (!last.errors.some((e) => e.code === 'MissingQuotes')) {
					takeRows(last);
					account(pending);
					pending = '';
					return;
				}
			}
			const nl = pending.indexOf(newline);
			const line = nl < 0 ? pending : pending.slice(0, nl);
			const rest = nl < 0 ? '' : pending.slice(nl + newline.length);
			account(pending.slice(0, pending.length - rest.length));
			take([line.length > 10_000 ? line.slice(0, 10_000) : line], 'unbalanced quotes: a quoted field is never closed');
			pending = rest;
		}
	};

	const account = (consumed: string) => {
		offset += byteLengthIn(encoding, consumed);
		if (encoding === 'utf-8' && consumed.includes(REPLACEMENT)) offsetExact = false;
	};

	// Line endings are judged from the top of the file: a resumed read may start next to a
	// newline inside a quoted field.
	newline = await newlineOf(path, encoding, options.bomLength);
	const stream = createReadStream(path, { start, highWaterMark: options.chunkBytes ?? 256 * 1024 });
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		const text = decoder.write(chunk);
		suspect = (pending.length > 0 && suspect) || text.includes(NUL) || text.includes(REPLACEMENT);
		pending += text;
		parsePending(false);
		if (batch.length >= batchRows) {
			yield { rows: batch, endOffset: offset, endRow: rowNumber, offsetExact };
			batch = [];
		}
	}
	const rest = decoder.end() ?? '';
	suspect ||= rest.includes(NUL) || rest.includes(REPLACEMENT);
	pending += rest;
	if (pending) parsePending(true);
	yield { rows: batch, endOffset: offset, endRow: rowNumber, offsetExact };
}
