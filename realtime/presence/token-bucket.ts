/**
 * A small in-memory token bucket for one socket (cursor moves): a burst of `capacity`, then
 * one token every `refillMs`. Per socket and per process on purpose: it only shapes traffic.
 */
export class TokenBucket {
	#tokens: number;
	#at: number;

	constructor(
		private readonly capacity: number,
		private readonly refillMs: number,
		now = Date.now()
	) {
		this.#tokens = capacity;
		this.#at = now;
	}

	take(now = Date.now()): boolean {
		this.#tokens = Math.min(this.capacity, this.#tokens + Math.max(0, now - this.#at) / this.refillMs);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
