import * as Y from 'yjs';

/** Updates merged into one message at most; `Y.mergeUpdates` grows faster than linearly. */
const MAX_MERGE = 50;

export interface Outgoing {
	/** The updates of this batch merged into one (V1). */
	update: Uint8Array;
	/** The one origin every update of the batch came from, or null when they came from several. */
	origin: unknown;
	/** The batch's updates that were made here (not received from elsewhere), merged; null if none. */
	local: Uint8Array | null;
}

const merge = (updates: Uint8Array[]) => (updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates));

/**
 * Document updates waiting to be relayed, sent once per event-loop turn. Relaying each
 * update on its own costs one message (one write) per peer per keystroke: with 100 peers
 * typing, a server that falls behind finds hundreds of updates in each socket read and
 * spends seconds on writes before its timers run again (bench:realtime scenario 2 saw the
 * event loop stall 14 s and more that way, in the plain relay as well). Merged, a turn costs
 * one message per peer per `MAX_MERGE` updates, and an idle server still relays at once.
 */
export class Outbox {
	#pending: { update: Uint8Array; origin: unknown }[] = [];
	#scheduled: NodeJS.Immediate | null = null;

	constructor(
		private readonly relay: (outgoing: Outgoing) => void,
		/** Whether an update from this origin was made here, so other instances need it. */
		private readonly isLocal: (origin: unknown) => boolean
	) {}

	add(update: Uint8Array, origin: unknown): void {
		this.#pending.push({ update, origin });
		this.#scheduled ??= setImmediate(() => this.flush());
	}

	/** Relays what is waiting now (also called before the document is let go). */
	flush(): void {
		if (this.#scheduled) clearImmediate(this.#scheduled);
		this.#scheduled = null;
		const pending = this.#pending;
		this.#pending = [];
		for (let i = 0; i < pending.length; i += MAX_MERGE) {
			const part = pending.slice(i, i + MAX_MERGE);
			const first = part[0];
			if (!first) continue;
			const origin = part.every((p) => p.origin === first.origin) ? first.origin : null;
			const update = merge(part.map((p) => p.update));
			const local = part.filter((p) => this.isLocal(p.origin));
			this.relay({ update, origin, local: local.length === part.length ? update : local.length > 0 ? merge(local.map((p) => p.update)) : null });
		}
	}
}
