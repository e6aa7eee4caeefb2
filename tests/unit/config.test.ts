import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config';

describe('config', () => {
	it('has defaults that work with local Postgres and Redis', () => {
		const cfg = parseConfig({});
		expect(cfg.PORT).toBe(3000);
		expect(cfg.ROLE).toBe('all');
		expect(cfg.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/muster');
		expect(cfg.REDIS_URL).toBe('redis://127.0.0.1:6379');
		expect(cfg.ORIGIN).toBe('http://localhost:3000');
	});

	it('parses sizes with units', () => {
		expect(parseConfig({ BODY_SIZE_LIMIT: '512kb' }).BODY_SIZE_LIMIT).toBe(512 * 1024);
		expect(parseConfig({ BODY_SIZE_LIMIT: '2mb' }).BODY_SIZE_LIMIT).toBe(2 * 1024 * 1024);
		expect(parseConfig({ BODY_SIZE_LIMIT: '1000' }).BODY_SIZE_LIMIT).toBe(1000);
	});

	it('treats empty strings as unset', () => {
		expect(parseConfig({ PORT: '' }).PORT).toBe(3000);
	});

	it('names every bad variable in one error', () => {
		let caught: unknown;
		try {
			parseConfig({ PORT: 'eighty', ROLE: 'boss', DATABASE_URL: 'mysql://x' });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ConfigError);
		const message = (caught as ConfigError).message;
		expect(message).toMatch(/PORT/);
		expect(message).toMatch(/ROLE/);
		expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
	});
});
