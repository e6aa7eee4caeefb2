import { describe, expect, it } from 'vitest';
import { CloseCode, isTerminal } from '../../realtime/protocol/close-codes';
import { docNameFromPath, parseDocName } from '../../realtime/protocol/doc-name';

const id = '0b7e8f8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('document names (SPEC D1)', () => {
	it('parses <kind>:<uuid>', () => {
		expect(parseDocName(`campaign:${id}`)).toEqual({ kind: 'campaign', id });
	});
	it.each(['campaign', `Campaign:${id}`, `campaign:${id}x`, `:${id}`, 'a:b', `x:${id}`])('refuses %s', (raw) => {
		expect(parseDocName(raw)).toBeNull();
	});
	it('reads the name from the upgrade path', () => {
		expect(docNameFromPath(`/yjs/brief:${id}?token=1`)).toBe(`brief:${id}`);
		expect(docNameFromPath('/socket.io/?EIO=4')).toBeNull();
		expect(docNameFromPath('/yjs/%E0%A4%A')).toBe('');
	});
});

describe('close codes (SPEC C1)', () => {
	it('uses the application range and marks refusals terminal', () => {
		for (const code of [CloseCode.BadRequest, CloseCode.Unauthenticated, CloseCode.Forbidden, CloseCode.UnknownDocument]) {
			expect(code).toBeGreaterThanOrEqual(4000);
			expect(isTerminal(code)).toBe(true);
		}
		expect(isTerminal(CloseCode.LoadFailed)).toBe(false);
		expect(isTerminal(CloseCode.GoingAway)).toBe(false);
	});
});
