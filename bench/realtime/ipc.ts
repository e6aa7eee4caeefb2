/**
 * The conversation between the orchestrator (run.ts) and the load process (load.ts): the
 * orchestrator sends one job; the load process reports marks (phases the orchestrator
 * measures the servers around) and waits for each to be answered, then sends its result.
 */
import type { Summary } from './stats';

export type Target = 'muster' | 'baseline';

export interface EditorsJob {
	kind: 'editors';
	target: Target;
	urls: string[];
	docName: string;
	cookies: string[];
	seconds: number;
	charsPerSecond: number;
	drainMs: number;
}

export interface IdleMember {
	cookie: string;
	docName: string;
	workspaceId: string;
}

export interface IdleJob {
	kind: 'idle';
	target: Target;
	url: string;
	clients: IdleMember[];
	warmup: number;
}

export interface JoinJob {
	kind: 'join';
	target: Target;
	url: string;
	docName: string;
	cookies: string[];
	expectedLength: number;
	/** A small document one client syncs first, so one-time start-up costs stay out of the reading. */
	warmup: { docName: string; cookie: string };
}

export interface PresenceTeam {
	workspaceId: string;
	cookies: string[];
}

export interface PresenceJob {
	kind: 'presence';
	target: Target;
	urls: string[];
	teams: PresenceTeam[];
	seconds: number;
	cursorHz: number;
	eventEveryMs: number;
}

export type Job = EditorsJob | IdleJob | JoinJob | PresenceJob;

export interface ClientCpu {
	/** Load process CPU over the measured window, in % of one core. */
	cpuPercent: number;
}

export interface EditorsResult extends ClientCpu {
	editors: number;
	sent: number;
	typingMs: number;
	expectedDeliveries: number;
	delivered: number;
	/** Deliveries ÷ (last delivery − first keystroke). */
	deliveriesPerSecond: number;
	latency: Summary;
	/** Latency by slice of receive time, from the first keystroke: where the tail comes from. */
	timeline: (Summary & { fromS: number })[];
	converged: boolean;
	identical: boolean;
	/** Every editor's every keystroke is in the final text (state vectors and length agree). */
	everyCharacter: boolean;
	finalLength: number;
	finalSha256: string;
	/** Muster only: every change-bearing frame was acknowledged as stored. */
	allSaved: boolean | null;
}

export interface IdleResult {
	connected: number;
	failed: number;
	connectMs: number;
	firstError: string | null;
}

export interface JoinResult extends ClientCpu {
	clients: number;
	synced: number;
	allSyncedMs: number;
	perClient: Summary;
	complete: boolean;
	firstError: string | null;
}

export interface PresenceResult extends ClientCpu {
	clients: number;
	connectFailures: number;
	cursorsSent: number;
	cursorsExpected: number;
	cursorsDelivered: number;
	cursorLatency: Summary;
	dropsAcked: number;
	dropsRefused: number;
	dropsExpected: number;
	/** Delivered in the end (the load generator waits until all arrived or none has for 10 s). */
	dropsDelivered: number;
	/** Delivered within 3 s of the last one sent. */
	dropsOnTime: number;
	movesAcked: number;
	movesExpected: number;
	movesDelivered: number;
	movesOnTime: number;
	windowMs: number;
	/** How long the stragglers took after the window. */
	drainMs: number;
	/** Connections that dropped during the run, by reason; reconnects and how many Socket.IO recovered. */
	disconnects: Record<string, number>;
	reconnects: number;
	recovered: number;
}

export type LoadMessage = { type: 'mark'; name: string } | { type: 'result'; data: unknown } | { type: 'error'; message: string };
export type RunnerMessage = { type: 'job'; job: Job } | { type: 'continue'; name: string };

/** Load side: tell the orchestrator a phase was reached, and wait until it has measured. */
export function checkpoint(name: string): Promise<void> {
	return new Promise((resolve) => {
		const onMessage = (message: RunnerMessage) => {
			if (message.type !== 'continue' || message.name !== name) return;
			process.off('message', onMessage);
			resolve();
		};
		process.on('message', onMessage);
		send({ type: 'mark', name });
	});
}

export function send(message: LoadMessage, then?: () => void): void {
	if (!process.send) throw new Error('the load generator must be started by run.ts (it needs an IPC channel)');
	process.send(message, undefined, {}, then);
}
