/**
 * Reads Postgres's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`) as it streams in,
 * copying each field straight from the socket's chunks into a buffer of its exact size.
 * (node-postgres gathers a big row in a buffer it keeps doubling, and sends bytea as hex: a
 * 1 MB document cost ~11 MB of buffers to read that way.)
 *
 * Format: an 11-byte signature, a 32-bit flags word, a 32-bit header-extension length and the
 * extension; then per row a 16-bit field count (-1 ends the data) and per field a 32-bit
 * length (-1 for NULL) and the bytes, all big-endian.
 */
const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

type State = 'header' | 'extension' | 'count' | 'length' | 'data' | 'done';

export class BinaryCopyReader {
	readonly rows: (Uint8Array | null)[][] = [];
	#state: State = 'header';
	/** Fixed-size pieces (header, counts, lengths) may arrive split across chunks. */
	readonly #scratch = new Uint8Array(SIGNATURE.length + 8);
	#have = 0;
	#need = SIGNATURE.length + 8;
	#skip = 0;
	#fieldsLeft = 0;
	#row: (Uint8Array | null)[] = [];
	#field = new Uint8Array(0);
	#filled = 0;

	push(chunk: Uint8Array): void {
		let at = 0;
		while (at < chunk.byteLength) {
			if (this.#state === 'done') throw new Error('binary COPY: data after the trailer');
			if (this.#state === 'extension') {
				const n = Math.min(this.#skip, chunk.byteLength - at);
				this.#skip -= n;
				at += n;
				if (this.#skip === 0) this.#expect('count', 2);
				continue;
			}
			if (this.#state === 'data') {
				const n = Math.min(this.#field.byteLength - this.#filled, chunk.byteLength - at);
				this.#field.set(chunk.subarray(at, at + n), this.#filled);
				this.#filled += n;
				at += n;
				if (this.#filled === this.#field.byteLength) this.#endField(this.#field);
				continue;
			}
			const n = Math.min(this.#need - this.#have, chunk.byteLength - at);
			this.#scratch.set(chunk.subarray(at, at + n), this.#have);
			this.#have += n;
			at += n;
			if (this.#have === this.#need) this.#piece(new DataView(this.#scratch.buffer, 0, this.#need));
		}
	}

	/** Throws unless the data ended with the trailer. */
	end(): (Uint8Array | null)[][] {
		if (this.#state !== 'done') throw new Error('binary COPY: data ended early');
		return this.rows;
	}

	#expect(state: State, bytes: number): void {
		this.#state = state;
		this.#have = 0;
		this.#need = bytes;
	}

	#piece(view: DataView): void {
		switch (this.#state) {
			case 'header': {
				if (SIGNATURE.some((byte, i) => view.getUint8(i) !== byte)) throw new Error('binary COPY: bad signature');
				this.#skip = view.getUint32(SIGNATURE.length + 4);
				if (this.#skip > 0) this.#state = 'extension';
				else this.#expect('count', 2);
				return;
			}
			case 'count': {
				const count = view.getInt16(0);
				if (count === -1) {
					this.#state = 'done';
					return;
				}
				this.#fieldsLeft = count;
				this.#row = [];
				if (count === 0) this.#endRow();
				else this.#expect('length', 4);
				return;
			}
			case 'length': {
				const length = view.getInt32(0);
				if (length === -1) return this.#endField(null);
				this.#field = new Uint8Array(length);
				this.#filled = 0;
				if (length === 0) return this.#endField(this.#field);
				this.#state = 'data';
				return;
			}
			default:
				throw new Error(`binary COPY: unexpected state ${this.#state}`);
		}
	}

	#endField(value: Uint8Array | null): void {
		this.#row.push(value);
		this.#fieldsLeft -= 1;
		if (this.#fieldsLeft === 0) this.#endRow();
		else this.#expect('length', 4);
	}

	#endRow(): void {
		this.rows.push(this.#row);
		this.#expect('count', 2);
	}
}
