import { OVERVIEW_STAGES, type OverviewStage } from '../server/overview/stages';
import { workspaceOfRoom, workspaceRoom } from './presence/rooms';
import type { MusterIo } from './socket-types';

/**
 * The live grid's change events (SPEC O1–O4). Every instance hears every change notice (the
 * database sends them to all listeners), so each tells only its own sockets, in the
 * workspace's presence room: the room `presence:join` admits members to and revocation
 * takes them out of. Notices are coalesced per workspace: the first waits `delayMs` for the
 * rest of its burst, and a workspace hears at most one event per `intervalMs`, with the
 * stages gathered meanwhile, so a busy import or a team typing never floods a page.
 */
export interface OverviewRelayOptions {
	delayMs?: number;
	intervalMs?: number;
	/** Injectable for tests. */
	now?: () => number;
}

export interface OverviewRelay {
	changed(workspaceId: string, stage: OverviewStage): void;
	/** Notices may have been missed: every workspace with sockets here refetches everything. */
	resync(): void;
	close(): void;
}

export function createOverviewRelay(io: MusterIo, options: OverviewRelayOptions = {}): OverviewRelay {
	const delayMs = options.delayMs ?? 200;
	const intervalMs = options.intervalMs ?? 1_000;
	const now = options.now ?? Date.now;
	const pending = new Map<string, Set<OverviewStage>>();
	const timers = new Map<string, NodeJS.Timeout>();
	const lastSent = new Map<string, number>();

	const flush = (workspaceId: string) => {
		timers.delete(workspaceId);
		const stages = pending.get(workspaceId);
		pending.delete(workspaceId);
		if (!stages?.size) return;
		lastSent.set(workspaceId, now());
		// Ordered as the grid is, so equal changes make equal events.
		const ordered = OVERVIEW_STAGES.filter((s) => stages.has(s));
		io.local.to(workspaceRoom(workspaceId)).emit('overview:changed', { workspaceId, stages: ordered });
	};

	const changed = (workspaceId: string, stage: OverviewStage) => {
		const stages = pending.get(workspaceId) ?? new Set<OverviewStage>();
		stages.add(stage);
		pending.set(workspaceId, stages);
		if (timers.has(workspaceId)) return;
		const earliest = (lastSent.get(workspaceId) ?? -Infinity) + intervalMs;
		const wait = Math.max(delayMs, earliest - now());
		const timer = setTimeout(() => flush(workspaceId), wait);
		timer.unref();
		timers.set(workspaceId, timer);
		// Workspaces quiet for a while need no memory of when they last heard.
		if (lastSent.size > 1_000) for (const [id, at] of lastSent) if (now() - at > intervalMs) lastSent.delete(id);
	};

	return {
		changed,
		resync() {
			const nsp = io.of('/');
			for (const room of nsp.adapter.rooms.keys()) {
				const workspaceId = workspaceOfRoom(room);
				if (workspaceId) for (const stage of OVERVIEW_STAGES) changed(workspaceId, stage);
			}
		},
		close() {
			for (const timer of timers.values()) clearTimeout(timer);
			timers.clear();
			pending.clear();
		}
	};
}
