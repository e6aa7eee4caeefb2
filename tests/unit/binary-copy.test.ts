import { describe, expect, it } from 'vitest';
import { BinaryCopyReader } from '../../server/documents/binary-copy';

/** What `COPY … TO STDOUT (FORMAT binary)` sends for these rows. */
function copyData(rows: (Uint8Array | null)[][], extension = new Uint8Array(0)): Uint8Array {
	const parts: number[] = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0];
	const int = (value: number, bytes: number) => {
		for (let i = bytes - 1; i >= 0; i--) parts.push((value >> (8 * i)) & 0xff);
	};
	int(extension.byteLength, 4);
	parts.push(...extension);
	for (const row of rows) {
		int(row.length, 2);
		for (const field of row) {
			if (field === null) int(-1, 4);
			else {
				int(field.byteLength, 4);
				parts.push(...field);
			}
		}
	}
	int(-1, 2);
	return new Uint8Array(parts);
}

const rows = [
	[new Uint8Array([0, 0]), new Uint8Array(3000).map((_, i) => i % 256)],
	[new Uint8Array([0, 1]), new Uint8Array(0)],
	[null, new Uint8Array([7])]
];

describe('binary COPY reader', () => {
	it('reads rows however the stream is cut', () => {
		const data = copyData(rows, new Uint8Array([1, 2, 3]));
		for (const size of [1, 2, 3, 7, 64, 4096, data.byteLength]) {
			const reader = new BinaryCopyReader();
			for (let at = 0; at < data.byteLength; at += size) reader.push(data.subarray(at, at + size));
			expect(reader.end()).toEqual(rows);
		}
	});

	it('refuses a stream that ends early, or is not binary COPY', () => {
		const data = copyData(rows);
		const short = new BinaryCopyReader();
		short.push(data.subarray(0, data.byteLength - 5));
		expect(() => short.end()).toThrow(/ended early/);
		expect(() => new BinaryCopyReader().push(new TextEncoder().encode('id\tname\n1\tlead\n2\tcampaign\n'))).toThrow(/signature/);
	});
});
