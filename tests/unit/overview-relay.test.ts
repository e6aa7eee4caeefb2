import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOverviewRelay } from '../../realtime/overview-relay';
import type { MusterIo } from '../../realtime/socket-types';
import { parseOverviewNotice, stageOf } from '../../server/overview/stages';

/**
 * SPEC O1–O4 without a network: notices parsed as the triggers write them, and the relay's
 * coalescing on a fake clock (a burst is one event, a workspace hears at most one a second,
 * workspaces do not hold each other up, a resync covers every workspace room here).
 */

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

interface Sent {
	room: string;
	event: string;
	payload: unknown;
}

function fakeIo(rooms: string[] = []) {
	const sent: Sent[] = [];
	const io = {
		local: { to: (room: string) => ({ emit: (event: string, payload: unknown) => sent.push({ room, event, payload }) }) },
		of: () => ({ adapter: { rooms: new Map(rooms.map((r) => [r, new Set(['socket'])])) } })
	};
	return { io: io as unknown as MusterIo, sent };
}

describe('change notices (O1)', () => {
	it('reads `<workspace>:<topic>` and nothing else; an ended import shows on campaigns', () => {
		expect(parseOverviewNotice(`${A}:numbers`)).toEqual({ workspaceId: A, topic: 'numbers' });
		expect(parseOverviewNotice(`${A}:leads`)).toEqual({ workspaceId: A, topic: 'leads' });
		expect(stageOf('leads')).toBe('campaigns');
		expect(stageOf('files')).toBe('files');
		for (const bad of [`${A}:calendar`, `${A}`, `not-a-uuid:files`, `${A}:files:extra`, '']) expect(parseOverviewNotice(bad)).toBeNull();
	});
});

describe('overview relay (O2, O3)', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('sends a burst as one event, in grid order, to the workspace room on this instance only', () => {
		const { io, sent } = fakeIo();
		const relay = createOverviewRelay(io, { delayMs: 200, intervalMs: 1_000, now: () => Date.now() });
		for (let i = 0; i < 500; i++) relay.changed(A, i % 2 ? 'numbers' : 'files');
		relay.changed(A, 'campaigns');
		vi.advanceTimersByTime(199);
		expect(sent).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(sent).toEqual([{ room: `ws:${A}`, event: 'overview:changed', payload: { workspaceId: A, stages: ['files', 'campaigns', 'numbers'] } }]);
		relay.close();
	});

	it('a workspace hears at most one event per interval, with every stage gathered meanwhile', () => {
		const { io, sent } = fakeIo();
		const relay = createOverviewRelay(io, { delayMs: 200, intervalMs: 1_000, now: () => Date.now() });
		relay.changed(A, 'files');
		vi.advanceTimersByTime(200);
		expect(sent).toHaveLength(1);
		// A long import keeps announcing: the next events are a second apart, not one per notice.
		for (let t = 0; t < 2_500; t += 50) {
			relay.changed(A, t < 1_000 ? 'files' : t % 100 ? 'crusades' : 'numbers');
			vi.advanceTimersByTime(50);
		}
		expect(sent.map((s) => s.payload)).toEqual([
			{ workspaceId: A, stages: ['files'] },
			{ workspaceId: A, stages: ['files'] },
			{ workspaceId: A, stages: ['numbers', 'crusades'] }
		]);
		vi.advanceTimersByTime(1_000);
		expect(sent.at(-1)?.payload).toEqual({ workspaceId: A, stages: ['numbers', 'crusades'] });
		expect(sent).toHaveLength(4);
		relay.close();
	});

	it('workspaces are coalesced apart: one busy workspace does not delay another', () => {
		const { io, sent } = fakeIo();
		const relay = createOverviewRelay(io, { delayMs: 200, intervalMs: 1_000, now: () => Date.now() });
		relay.changed(A, 'files');
		vi.advanceTimersByTime(200);
		relay.changed(A, 'files');
		relay.changed(B, 'numbers');
		vi.advanceTimersByTime(200);
		expect(sent.map((s) => s.room)).toEqual([`ws:${A}`, `ws:${B}`]);
		relay.close();
		vi.advanceTimersByTime(5_000);
		expect(sent).toHaveLength(2);
	});

	it('resync tells every workspace room on this instance that every stage changed (O4)', () => {
		const { io, sent } = fakeIo([`ws:${A}`, `loc:${A}:page:/w/a`, 'socket-id', `job:${B}:ingest:x`]);
		const relay = createOverviewRelay(io, { delayMs: 200, intervalMs: 1_000, now: () => Date.now() });
		relay.resync();
		vi.advanceTimersByTime(200);
		expect(sent).toEqual([{ room: `ws:${A}`, event: 'overview:changed', payload: { workspaceId: A, stages: ['files', 'campaigns', 'numbers', 'crusades'] } }]);
		relay.close();
	});
});
