import { open, stat } from 'node:fs/promises';
import Papa from 'papaparse';
import { UnreadableFileError } from '../../errors';
import { decoderFor, detectEncoding, type FileEncoding } from './encoding';
import { headerSignature, suggestMapping, type MappableField } from './parsers/generic';
import { scoreParsers, type ParserScore } from './parsers/registry';
import type { ParserId } from './parsers/types';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface FileInspection {
	size: number;
	encoding: FileEncoding;
	/** How the encoding was decided: from a byte-order mark, valid UTF-8, a guess, or the operator's choice. */
	encodingHow: 'bom' | 'valid utf-8' | 'detected' | 'chosen';
	bomLength: number;
	delimiter: Delimiter;
	headers: string[];
	/** The first rows after the header, as read. */
	preview: string[][];
	/** Rough row count from the size and the head's average row length. */
	estimatedRows: number;
	parsers: ParserScore[];
	suggestedParser: ParserId;
	suggestedMapping: Record<string, MappableField>;
	/** A mapping saved earlier for files with these headers, when there is one. */
	savedMapping: Record<string, string> | null;
	signature: string;
	/** Problems seen in the head that reject rows but do not stop the import. */
	warnings: string[];
}

export interface InspectOptions {
	encoding?: FileEncoding | null;
	delimiter?: Delimiter | null;
	headBytes?: number;
	lookupMapping?: (signature: string) => Promise<Record<string, string> | null>;
}

const PREVIEW_ROWS = 20;

async function readHead(path: string, bytes: number): Promise<{ head: Buffer; size: number }> {
	const info = await stat(path).catch(() => null);
	if (!info?.isFile()) throw new UnreadableFileError('missing', 'The uploaded file is no longer on the server; upload it again.');
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(Math.min(bytes, info.size));
		const { bytesRead } = await handle.read(head, 0, head.length, 0);
		return { head: head.subarray(0, bytesRead), size: info.size };
	} finally {
		await handle.close();
	}
}

function parseWith(text: string, delimiter: Delimiter, rows: number) {
	return Papa.parse<string[]>(text, { delimiter, preview: rows, skipEmptyLines: 'greedy' });
}

/** The delimiter that splits the head into the most columns consistently across rows. */
function guessDelimiter(text: string): Delimiter {
	let best: { d: Delimiter; score: number } = { d: ',', score: -1 };
	for (const d of DELIMITERS) {
		const rows = parseWith(text, d, PREVIEW_ROWS + 1).data;
		const width = rows[0]?.length ?? 0;
		if (width < 2) continue;
		const consistent = rows.filter((r) => r.length === width).length / rows.length;
		const score = consistent * 10 + Math.min(width, 50) / 50;
		if (score > best.score) best = { d, score };
	}
	return best.d;
}

const LOOKS_LIKE_DATA = /^(\+?[\d\s().-]{7,}|-?\$?[\d,]+(\.\d+)?|[^@\s]+@[^@\s]+\.\w+)$/;

function checkHeaders(headers: string[]): void {
	const seen = new Map<string, number>();
	headers.forEach((h, i) => {
		const key = h.trim().toLowerCase();
		if (!key) return;
		const first = seen.get(key);
		if (first !== undefined) {
			throw new UnreadableFileError(
				'duplicate_headers',
				`The header row names "${h.trim()}" twice (columns ${first + 1} and ${i + 1}). Give every column its own name and upload the file again.`
			);
		}
		seen.set(key, i);
	});
	const data = headers.findIndex((h) => LOOKS_LIKE_DATA.test(h.trim()));
	if (data >= 0) {
		throw new UnreadableFileError('no_header', `The first row looks like data, not column names (column ${data + 1} is "${headers[data]?.trim()}"). Add a header row and upload the file again.`);
	}
}

/**
 * What a lead file is, from its first bytes only: encoding, delimiter, headers, a preview,
 * each parser's score and a suggested mapping. Throws `UnreadableFileError` with a sentence
 * for files that cannot be imported at all.
 */
export async function inspectFile(path: string, options: InspectOptions = {}): Promise<FileInspection> {
	const { head, size } = await readHead(path, options.headBytes ?? 64 * 1024);
	if (size === 0) throw new UnreadableFileError('empty', 'The file is empty.');
	const detected = detectEncoding(head, options.encoding);
	const decoder = decoderFor(detected.encoding);
	let text = decoder.write(head.subarray(detected.bomLength));
	const whole = head.length >= size;
	if (whole) text += decoder.end() ?? '';
	if (!text.trim()) throw new UnreadableFileError('empty', 'The file is empty (it has no text).');
	if (!whole) {
		const lastNewline = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
		if (lastNewline > 0) text = text.slice(0, lastNewline + 1);
	}
	const delimiter = options.delimiter ?? guessDelimiter(text);
	const parsed = parseWith(text, delimiter, PREVIEW_ROWS + 1);
	const [headerRow = [], ...rows] = parsed.data;
	const quoteErrors = parsed.errors.filter((e) => e.type === 'Quotes');
	if (quoteErrors.some((e) => e.row === 0 || e.row === undefined) || (quoteErrors.length > 0 && rows.length === 0)) {
		throw new UnreadableFileError('unbalanced_quotes', 'The header row has unbalanced quotes: a quoted column name is never closed. Fix the first line and upload the file again.');
	}
	// Trailing empty header cells (a trailing delimiter) are not columns.
	let width = headerRow.length;
	while (width > 1 && headerRow[width - 1]?.trim() === '') width--;
	const headers = headerRow.slice(0, width).map((h, i) => h.trim() || `Column ${i + 1}`);
	checkHeaders(headerRow.slice(0, width));
	if (rows.length === 0 && whole) throw new UnreadableFileError('header_only', 'The file has a header row but no data rows.');
	const warnings: string[] = [];
	for (const e of quoteErrors) warnings.push(`Row ${e.row ?? '?'}: unbalanced quotes; the row will be rejected.`);
	rows.forEach((r, i) => {
		const extra = r.slice(width).some((c) => c !== '');
		if (r.length < width || extra) warnings.push(`Row ${i + 1} has ${r.length} fields where the header has ${width}; it will be rejected.`);
	});
	const signature = headerSignature(headers);
	const parsers = scoreParsers(headers);
	const linesInHead = Math.max(1, text.split('\n').length - 1);
	const estimatedRows = whole ? rows.length : Math.round((size / Buffer.byteLength(text)) * linesInHead) - 1;
	return {
		size,
		encoding: detected.encoding,
		encodingHow: detected.how,
		bomLength: detected.bomLength,
		delimiter,
		headers,
		preview: rows,
		estimatedRows,
		parsers,
		suggestedParser: parsers[0]?.id ?? 'generic',
		suggestedMapping: suggestMapping(headers),
		savedMapping: options.lookupMapping ? await options.lookupMapping(signature) : null,
		signature,
		warnings: warnings.slice(0, 20)
	};
}
