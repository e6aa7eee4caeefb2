/**
 * Numbers: a latency histogram with 1 % relative precision (so millions of samples cost a
 * few kilobytes), percentiles, ratios and the formatting the report uses.
 */
const MIN_MS = 0.001;
const GROWTH = 1.01;
const BUCKETS = 2_400; // 0.001 ms · 1.01^2400 ≈ 2.2e7 ms

export interface Summary {
	count: number;
	mean: number;
	p50: number;
	p90: number;
	p99: number;
	p999: number;
	max: number;
}

export class Histogram {
	readonly #counts = new Uint32Array(BUCKETS);
	#count = 0;
	#sum = 0;
	#max = 0;

	record(ms: number): void {
		const value = Math.max(0, ms);
		const index = value <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(value / MIN_MS) / Math.log(GROWTH)));
		this.#counts[index] = (this.#counts[index] ?? 0) + 1;
		this.#count += 1;
		this.#sum += value;
		if (value > this.#max) this.#max = value;
	}

	get count(): number {
		return this.#count;
	}

	/** The upper edge of the bucket holding the q-quantile (within 1 % of the true value). */
	quantile(q: number): number {
		if (this.#count === 0) return 0;
		const rank = Math.ceil(q * this.#count);
		let seen = 0;
		for (let i = 0; i < BUCKETS; i++) {
			seen += this.#counts[i] ?? 0;
			if (seen >= rank) return Math.min(this.#max, MIN_MS * GROWTH ** i);
		}
		return this.#max;
	}

	summary(): Summary {
		return {
			count: this.#count,
			mean: this.#count === 0 ? 0 : this.#sum / this.#count,
			p50: this.quantile(0.5),
			p90: this.quantile(0.9),
			p99: this.quantile(0.99),
			p999: this.quantile(0.999),
			max: this.#max
		};
	}
}

/** Summary of a handful of plain samples (e.g. per-client join times). */
export function summarize(samples: number[]): Summary {
	const histogram = new Histogram();
	samples.forEach((s) => histogram.record(s));
	return histogram.summary();
}

/** Muster ÷ baseline; null when the baseline is zero or missing. */
export function ratio(muster: number | null | undefined, baseline: number | null | undefined): number | null {
	if (muster == null || baseline == null || baseline === 0) return null;
	return muster / baseline;
}

export function fmt(value: number | null | undefined, digits = 1): string {
	if (value == null || !Number.isFinite(value)) return '–';
	if (Math.abs(value) >= 10_000) return Math.round(value).toLocaleString('en-US');
	return value.toFixed(digits);
}

export function fmtRatio(value: number | null): string {
	return value === null ? '–' : `${value.toFixed(2)}×`;
}

export function fmtPercent(share: number | null): string {
	return share === null ? '–' : `${(share * 100).toFixed(share === 1 ? 0 : 2)} %`;
}

export const MB = 1024 * 1024;

/** Load process CPU (user + system) since `from`, in % of one core. */
export function cpuPercentSince(from: { cpu: NodeJS.CpuUsage; at: number }): number {
	const used = process.cpuUsage(from.cpu);
	const wallMs = performance.now() - from.at;
	return wallMs <= 0 ? 0 : ((used.user + used.system) / 1_000 / wallMs) * 100;
}

export function cpuMark(): { cpu: NodeJS.CpuUsage; at: number } {
	return { cpu: process.cpuUsage(), at: performance.now() };
}
