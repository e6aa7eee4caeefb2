import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * What the kernel says about a process: CPU time (user + system, all threads, from
 * /proc/<pid>/stat) and resident memory (VmRSS, and the peak VmHWM from /proc/<pid>/status).
 */
const TICKS_PER_SECOND = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
	} catch {
		return 100;
	}
})();

/** CPU seconds used so far by the process (all its threads). */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name may hold spaces; fields resume after its closing parenthesis.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	return (utime + stime) / TICKS_PER_SECOND;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) : 0;
}

export function rssBytes(pid: number): number {
	return statusKb(pid, 'VmRSS') * 1024;
}

/** Resets the kernel's peak-RSS mark to the current RSS; false when the kernel refuses. */
export function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

export function peakBytes(pid: number): number {
	return statusKb(pid, 'VmHWM') * 1024;
}

/** The first process whose command name is `comm` (e.g. the shared redis-server), for context. */
export function findProcess(comm: string): number | null {
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) return Number(entry);
		} catch {
			// gone meanwhile
		}
	}
	return null;
}

export interface Usage {
	/** CPU (user + system) ÷ wall time, in % of one core. */
	cpuPercent: number;
	wallMs: number;
	rssStart: number;
	rssEnd: number;
	/** Highest RSS during the window: the kernel's VmHWM after a reset, else the highest sample. */
	rssPeak: number;
}

/** Measures one process over a window: CPU share and peak RSS, sampling RSS every `sampleMs`. */
export class ProcessMeter {
	#cpu = 0;
	#at = 0;
	#rssStart = 0;
	#peak = 0;
	#hwm = false;
	#timer: NodeJS.Timeout | null = null;

	constructor(
		readonly pid: number,
		private readonly sampleMs = 100
	) {}

	start(): void {
		this.#cpu = cpuSeconds(this.pid);
		this.#at = performance.now();
		this.#hwm = resetPeak(this.pid);
		this.#rssStart = rssBytes(this.pid);
		this.#peak = this.#rssStart;
		this.#timer = setInterval(() => {
			try {
				this.#peak = Math.max(this.#peak, rssBytes(this.pid));
			} catch {
				// the process ended; stop() reports what was seen
			}
		}, this.sampleMs);
	}

	stop(): Usage {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		const wallMs = performance.now() - this.#at;
		const cpu = cpuSeconds(this.pid) - this.#cpu;
		const rssEnd = rssBytes(this.pid);
		const peak = Math.max(this.#peak, rssEnd, this.#hwm ? peakBytes(this.pid) : 0);
		return { cpuPercent: (cpu * 1_000 * 100) / wallMs, wallMs, rssStart: this.#rssStart, rssEnd, rssPeak: peak };
	}
}

/** CPU seconds the whole machine spent busy so far (all cores; /proc/stat). */
export function machineBusySeconds(): number {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
	const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
	return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
}

/** Everything that ran on the machine over a window, in % of one core (other projects' tests included). */
export class MachineMeter {
	#busy = 0;
	#at = 0;

	start(): void {
		this.#busy = machineBusySeconds();
		this.#at = performance.now();
	}

	stop(): { cpuPercent: number; loadAverage: number } {
		const wallMs = performance.now() - this.#at;
		const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
		return { cpuPercent: ((machineBusySeconds() - this.#busy) * 1_000 * 100) / wallMs, loadAverage: load };
	}
}
