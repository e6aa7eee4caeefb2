import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 1024);
let poolOffset = pool.length;
let lastMs = 0;
let seq = 0;

/**
 * A time-ordered UUID (version 7). Leads made by one import get ids that sort by creation,
 * so the primary key and every index led by `lead_id` grow at their right edge instead of
 * dirtying random pages (and writing a full-page image to the WAL for each) across the tree.
 */
export function uuidv7(now = Date.now()): string {
	if (poolOffset + 10 > pool.length) {
		randomFillSync(pool);
		poolOffset = 0;
	}
	if (now <= lastMs) {
		now = lastMs;
		seq++;
		if (seq > 0xfff) {
			now = ++lastMs;
			seq = 0;
		}
	} else {
		lastMs = now;
		seq = 0;
	}
	const hex = now.toString(16).padStart(12, '0');
	const r = pool.toString('hex', poolOffset, poolOffset + 10);
	poolOffset += 10;
	const variant = ((parseInt(r.slice(3, 4), 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}
