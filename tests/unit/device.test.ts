import { describe, expect, it } from 'vitest';
import { describeDevice } from '../../server/auth/device';

describe('describeDevice', () => {
	it.each([
		['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Mobile Safari on iPhone'],
		['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome on Linux'],
		['', 'Unknown device']
	])('%s → %s', (ua, expected) => {
		expect(describeDevice(ua)).toBe(expected);
	});
});
