import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import { runMigrations } from '../db/migrate';
import type { Config } from './config';
import { database } from './db';

/** A startup failure the operator can act on: printed as one line, then exit(1). */
export class StartupError extends Error {
	override name = 'StartupError';
}

const HOW_TO_START_POSTGRES =
	'start it with `sudo pg_ctlcluster $(ls /etc/postgresql) main start` (Debian) or `brew services start postgresql` (macOS)';
const HOW_TO_START_REDIS =
	'start it with `sudo systemctl start redis-server` or `redis-server --daemonize yes` (Debian) or `brew services start redis` (macOS)';

function redact(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return url;
	}
}

function reason(error: unknown): string {
	if (error && typeof error === 'object') {
		const e = error as { code?: string; message?: string; errors?: unknown[] };
		if (e.code) return e.code;
		if (Array.isArray(e.errors) && e.errors.length > 0) return reason(e.errors[0]);
		if (e.message) return e.message;
	}
	return String(error);
}

/** Creates the database named in DATABASE_URL when the server answers but it does not exist. */
export async function ensureDatabase(url: string): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
	const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
	try {
		await probe.connect();
		return;
	} catch (error) {
		if ((error as { code?: string }).code !== '3D000') {
			throw new StartupError(`Cannot reach PostgreSQL at ${redact(url)} (${reason(error)}): ${HOW_TO_START_POSTGRES}.`);
		}
	} finally {
		await probe.end().catch(() => {});
	}
	const admin = new URL(url);
	admin.pathname = '/postgres';
	const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
	try {
		await client.connect();
		const quoted = '"' + name.replace(/"/g, '""') + '"';
		await client.query(`CREATE DATABASE ${quoted}`);
	} catch (error) {
		// Another instance may have created it between our probe and now.
		if ((error as { code?: string }).code !== '42P04') {
			throw new StartupError(`Cannot create database "${name}" on ${redact(url)} (${reason(error)}).`);
		}
	} finally {
		await client.end().catch(() => {});
	}
}

export async function checkRedis(url: string): Promise<void> {
	const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
	client.on('error', () => {});
	try {
		await client.connect();
		await client.ping();
	} catch (error) {
		throw new StartupError(`Cannot reach Redis at ${redact(url)} (${reason(error)}): ${HOW_TO_START_REDIS}.`);
	} finally {
		client.disconnect();
	}
}

/** Everything a process needs before it serves or works: reachable stores, schema up to date. */
export async function bootstrap(cfg: Config): Promise<void> {
	await ensureDatabase(cfg.DATABASE_URL);
	await checkRedis(cfg.REDIS_URL);
	try {
		await mkdir(cfg.UPLOAD_DIR, { recursive: true });
	} catch (error) {
		throw new StartupError(`Cannot create UPLOAD_DIR ${cfg.UPLOAD_DIR} (${reason(error)}): point it at a writable folder.`);
	}
	try {
		await runMigrations(database());
	} catch (error) {
		throw new StartupError(`Migrations failed on ${redact(cfg.DATABASE_URL)}: ${reason(error)}.`);
	}
}
