import { describe, expect, it } from 'vitest';
import { initialFacts, isEmptyChange, reduce, statusOf, type ConnectionEvent, type ConnectionFacts } from '../../app/lib/realtime/save-status';
import { CloseCode } from '../../realtime/protocol/close-codes';
import { carriesChanges } from '../../realtime/protocol/yjs-messages';

function run(...events: ConnectionEvent[]): ConnectionFacts {
	return events.reduce(reduce, initialFacts);
}

/** Open, told 'write', synced: the usual state of an editor. */
const live: ConnectionEvent[] = [{ type: 'connecting' }, { type: 'open' }, { type: 'access', access: 'write' }, { type: 'synced', synced: true }];

describe('saved status', () => {
	it('connects, then is saved once synced and nothing is waiting', () => {
		expect(statusOf(initialFacts, true).state).toBe('connecting');
		expect(statusOf(run({ type: 'connecting' }, { type: 'open' }), true).state).toBe('saving');
		expect(statusOf(run(...live), true)).toMatchObject({ state: 'saved', label: 'All changes saved', editable: true });
	});

	it('is saving until every change-bearing frame sent on this socket is acknowledged', () => {
		const sent = run(...live, { type: 'sent', empty: false }, { type: 'sent', empty: false }, { type: 'sent', empty: false });
		expect(statusOf(sent, true).state).toBe('saving');
		expect(statusOf(reduce(sent, { type: 'saved', count: 2 }), true).state).toBe('saving');
		expect(statusOf(reduce(sent, { type: 'saved', count: 3 }), true).state).toBe('saved');
	});

	it('never believes more acknowledgements than frames sent, and counts only grow', () => {
		const one = run(...live, { type: 'sent', empty: false });
		expect(reduce(one, { type: 'saved', count: 9 }).acked).toBe(1);
		const two = run(...live, { type: 'sent', empty: false }, { type: 'sent', empty: false }, { type: 'saved', count: 2 }, { type: 'saved', count: 1 });
		expect(two.acked).toBe(2);
	});

	it('is not synced-and-saved before the server state arrived', () => {
		expect(statusOf(run({ type: 'connecting' }, { type: 'open' }, { type: 'access', access: 'write' }), true).state).toBe('saving');
	});

	it('goes offline when the socket closes, and starts counting again on the next socket', () => {
		const closed = run(...live, { type: 'sent', empty: false }, { type: 'closed', code: 1006 });
		expect(statusOf(closed, true)).toMatchObject({ state: 'offline', label: 'Offline — changes kept on this device', editable: true });
		// Reconnect attempts keep saying offline, not "connecting".
		expect(statusOf(reduce(closed, { type: 'connecting' }), true).state).toBe('offline');
		const back = run(...live, { type: 'sent', empty: false }, { type: 'closed', code: null }, { type: 'connecting' }, { type: 'open' }, { type: 'synced', synced: true });
		expect(back).toMatchObject({ sent: 0, acked: 0, failures: 0 });
		expect(statusOf(back, true).state).toBe('saved');
	});

	it('does not promise local keeping when the browser cannot store the document', () => {
		const closed = run(...live, { type: 'closed', code: 1006 });
		expect(statusOf(closed, true, false).label).toBe('Offline — keep this tab open');
	});

	it('explains a load failure (4500) and keeps retrying rather than refusing (SPEC C1)', () => {
		const failed = run({ type: 'connecting' }, { type: 'closed', code: CloseCode.LoadFailed });
		expect(failed.refused).toBeNull();
		expect(statusOf(failed, true)).toMatchObject({ state: 'offline' });
		expect(statusOf(failed, true).detail).toContain('could not load');
	});

	it.each([
		[CloseCode.Forbidden, 'You no longer have access'],
		[CloseCode.Unauthenticated, 'Signed out — sign in again'],
		[CloseCode.UnknownDocument, 'This brief no longer exists'],
		[CloseCode.BadRequest, 'This brief cannot be opened']
	])('refusal %i is terminal and says "%s" (SPEC C1)', (code, label) => {
		const refused = run(...live, { type: 'closed', code });
		expect(statusOf(refused, true)).toMatchObject({ state: 'refused', label, editable: false });
		// Nothing moves it afterwards (the provider has been told to stop).
		expect(reduce(refused, { type: 'open' })).toBe(refused);
	});

	it('offers sign-in after 4401 only', () => {
		expect(statusOf(run({ type: 'closed', code: CloseCode.Unauthenticated }), true).action).toBe('sign-in');
		expect(statusOf(run({ type: 'closed', code: CloseCode.Forbidden }), true).action).toBeUndefined();
	});

	it('becomes read-only when the server says read, even mid-session, and back when it says write', () => {
		const lowered = run(...live, { type: 'access', access: 'read' });
		expect(statusOf(lowered, true)).toMatchObject({ state: 'read-only', editable: false, label: 'Up to date' });
		expect(statusOf(reduce(lowered, { type: 'access', access: 'write' }), false)).toMatchObject({ state: 'saved', editable: true });
	});

	it('says when changes from this device cannot be saved because access is read-only', () => {
		const viewer = [{ type: 'connecting' }, { type: 'open' }, { type: 'access', access: 'read' }] as ConnectionEvent[];
		// The handshake of a viewer with nothing new is an empty step 2: nothing is lost.
		expect(statusOf(run(...viewer, { type: 'sent', empty: true }, { type: 'synced', synced: true }), false).label).toBe('Up to date');
		const lost = run(...viewer, { type: 'sent', empty: false }, { type: 'synced', synced: true });
		expect(statusOf(lost, false)).toMatchObject({ state: 'read-only', label: 'Changes on this device were not saved', action: 'discard', editable: false });
		// It stays said across reconnects, until the person discards them.
		expect(statusOf(run(...viewer, { type: 'sent', empty: false }, { type: 'closed', code: 1006 }, { type: 'open' }), false).action).toBe('discard');
	});

	it('uses the role from the page until the server says', () => {
		expect(statusOf(initialFacts, false)).toMatchObject({ state: 'read-only', editable: false, label: 'Connecting…' });
		expect(statusOf(run({ type: 'closed', code: 1006 }), false).label).toBe('Offline — reconnecting');
	});
});

describe('change-bearing frames (what the client counts)', () => {
	it('counts sync step 2 and updates, not step 1 or awareness', () => {
		expect(carriesChanges(new Uint8Array([0, 1, 0]))).toBe(true);
		expect(carriesChanges(new Uint8Array([0, 2, 3, 1, 2, 3]))).toBe(true);
		expect(carriesChanges(new Uint8Array([0, 0, 1, 0]))).toBe(false);
		expect(carriesChanges(new Uint8Array([1, 5]))).toBe(false);
		expect(carriesChanges(new Uint8Array([0]))).toBe(false);
	});

	it('tells an empty sync step 2 from one with changes', () => {
		expect(isEmptyChange(new Uint8Array([0, 1, 2, 0, 0]))).toBe(true);
		expect(isEmptyChange(new Uint8Array([0, 1, 3, 1, 0, 0]))).toBe(false);
		expect(isEmptyChange(new Uint8Array([0, 2, 2, 0, 0]))).toBe(true);
	});
});

describe('a role change mid-session (SPEC D5: close 4100)', () => {
	it('shows the reconnect as an access update, not as offline, and never as saved', () => {
		let facts = reduce(initialFacts, { type: 'open' });
		facts = reduce(facts, { type: 'access', access: 'write' });
		facts = reduce(facts, { type: 'closed', code: CloseCode.AccessChanged });
		const status = statusOf(facts, true);
		expect(status.state).toBe('connecting');
		expect(status.label).toBe('Updating your access…');
		expect(facts.failures).toBe(0);
	});
});
