import chardet from 'chardet';
import iconv from 'iconv-lite';
import { UnreadableFileError } from '../../errors';

export const FILE_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

export interface DetectedEncoding {
	encoding: FileEncoding;
	/** Bytes of byte-order mark at the start of the file (skipped when reading). */
	bomLength: number;
	/** How it was decided, for the inspection screen. */
	how: 'bom' | 'valid utf-8' | 'detected' | 'chosen';
}

const MAGIC: [number[], string][] = [
	[[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive or an Excel workbook (.xlsx): export it as CSV first'],
	[[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel workbook (.xls): export it as CSV first'],
	[[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
	[[0x1f, 0x8b], 'a gzip archive: unpack it first'],
	[[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
	[[0xff, 0xd8, 0xff], 'a JPEG image']
];

function startsWith(buf: Buffer, bytes: number[]): boolean {
	return bytes.every((b, i) => buf[i] === b);
}

export function bomOf(head: Buffer): DetectedEncoding | null {
	if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: 'utf-8', bomLength: 3, how: 'bom' };
	if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2, how: 'bom' };
	if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2, how: 'bom' };
	return null;
}

/** UTF-16 without a BOM: every other byte of ASCII text is zero. */
function utf16Without(head: Buffer): FileEncoding | null {
	const n = Math.min(head.length - (head.length % 2), 4096);
	if (n < 4) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (head[i] === 0) evenZero++;
		if (head[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero / pairs > 0.7 && evenZero / pairs < 0.1) return 'utf-16le';
	if (evenZero / pairs > 0.7 && oddZero / pairs < 0.1) return 'utf-16be';
	return null;
}

/** Position of the first byte that is not valid UTF-8, or -1 (a sequence cut off at the end of the head is fine). */
export function invalidUtf8At(buf: Buffer): number {
	let i = 0;
	while (i < buf.length) {
		const b = buf[i] ?? 0;
		const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
		if (need < 0) return i;
		if (i + need >= buf.length) return -1;
		for (let k = 1; k <= need; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
		i += need + 1;
	}
	return -1;
}

function binaryJunk(head: Buffer): string | null {
	for (const [bytes, what] of MAGIC) if (startsWith(head, bytes)) return `This is not a CSV file: it looks like ${what}.`;
	let control = 0;
	for (const b of head) if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c)) control++;
	if (control > 0 && control / head.length > 0.01) {
		return `This is not a text file: ${control} of its first ${head.length} bytes are binary control characters.`;
	}
	return null;
}

/**
 * The encoding of a file from its first bytes: a BOM when there is one; else UTF-8 if the
 * bytes are valid UTF-8; else what chardet guesses, read as Windows-1252 (a superset of
 * Latin-1 that every byte decodes in). `chosen` is what the operator picked instead; it is
 * checked against the bytes so a wrong choice gives a clear error, not garbled leads.
 */
export function detectEncoding(head: Buffer, chosen?: FileEncoding | null): DetectedEncoding {
	const bom = bomOf(head);
	const noBom = utf16Without(head);
	if (!bom && !noBom) {
		const junk = binaryJunk(head);
		if (junk) throw new UnreadableFileError('binary', junk);
	}
	const auto: DetectedEncoding =
		bom ??
		(noBom
			? { encoding: noBom, bomLength: 0, how: 'detected' }
			: invalidUtf8At(head) < 0
				? { encoding: 'utf-8', bomLength: 0, how: 'valid utf-8' }
				: { encoding: 'windows-1252', bomLength: 0, how: 'detected' });
	if (!chosen || chosen === auto.encoding) return auto;
	const label = (e: FileEncoding) => ({ 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)', 'windows-1252': 'Windows-1252 (Latin-1)' })[e];
	if (chosen === 'utf-8') {
		const at = invalidUtf8At(head.subarray(auto.bomLength));
		if (at >= 0 || auto.encoding.startsWith('utf-16')) {
			const guess = chardet.detect(head) ?? 'unknown';
			const where = at >= 0 ? `byte 0x${(head[at + auto.bomLength] ?? 0).toString(16).toUpperCase()} at offset ${at + auto.bomLength} is not valid UTF-8` : 'it is UTF-16';
			throw new UnreadableFileError('wrong_encoding', `This file is not UTF-8: ${where}. It looks like ${label(auto.encoding)} (chardet says ${guess}); choose that encoding.`);
		}
		return { encoding: 'utf-8', bomLength: auto.bomLength, how: 'chosen' };
	}
	if (chosen.startsWith('utf-16') !== auto.encoding.startsWith('utf-16')) {
		throw new UnreadableFileError('wrong_encoding', `This file cannot be ${label(chosen)}: its bytes look like ${label(auto.encoding)}.`);
	}
	return { encoding: chosen, bomLength: bom && bom.encoding === chosen ? bom.bomLength : 0, how: 'chosen' };
}

export function decoderFor(encoding: FileEncoding) {
	return iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding, { stripBOM: false });
}

/** How many bytes of the file a decoded string took (exact except after replaced invalid UTF-8). */
export function byteLengthIn(encoding: FileEncoding, text: string): number {
	if (encoding === 'utf-8') return Buffer.byteLength(text, 'utf8');
	if (encoding === 'windows-1252') return text.length;
	return text.length * 2;
}
