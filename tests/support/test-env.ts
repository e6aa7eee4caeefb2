import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnv {
	databaseUrl: string;
	databaseName: string;
	redisUrl: string;
	redisPrefix: string;
}

/** A database and Redis prefix of its own for one test run, so two runs never collide. */
export function newTestEnv(label: string): TestEnv {
	const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	const databaseName = `muster_${label}_${suffix}`;
	const url = new URL(ADMIN_URL);
	url.pathname = `/${databaseName}`;
	return { databaseUrl: url.toString(), databaseName, redisUrl: REDIS_URL, redisPrefix: `muster-${label}-${suffix}` };
}

export async function dropTestEnv(env: TestEnv): Promise<void> {
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS "${env.databaseName}" WITH (FORCE)`);
	} finally {
		await admin.end();
	}
	const redis = new Redis(env.redisUrl);
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.redisPrefix}*`, 'COUNT', 1000);
			cursor = next;
			if (keys.length > 0) await redis.del(...keys);
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
}

export function envVars(env: TestEnv): Record<string, string> {
	return { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: env.redisPrefix };
}
