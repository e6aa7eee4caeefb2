import { z } from 'zod';
import { singleton } from './singleton';

const bytes = z
	.string()
	.regex(/^\d+(\.\d+)?\s*(b|kb|k|mb|m|gb|g)?$/i, 'expected a size such as 512kb, 10mb or 1048576')
	.transform((value) => {
		const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
		const n = Number(match?.[1] ?? 0);
		const unit = (match?.[2] ?? '').toLowerCase();
		const factor = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
		return Math.floor(n * factor);
	});

const booleanish = z
	.enum(['true', 'false', '1', '0', 'yes', 'no'])
	.transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	ORIGIN: z.url().default('http://localhost:3000'),
	ROLE: z.enum(['all', 'web', 'worker']).default('all'),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
		.default('postgres://postgres@127.0.0.1:5432/muster'),
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'must be a redis:// URL')
		.default('redis://127.0.0.1:6379'),
	/** Every Redis key (BullMQ, adapters, buckets) starts with this, so instances can share a Redis. */
	REDIS_PREFIX: z
		.string()
		.regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only')
		.default('muster'),
	BODY_SIZE_LIMIT: bytes.default(1024 * 1024),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	LOG_PRETTY: booleanish.optional(),
	SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
	/** How long a drop (a short note on a page) stays on screen before it fades. */
	DROP_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(8_000),
	/** Enables recovery links by e-mail, e.g. smtp://user:pass@mail.example.com:587. */
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
		.optional(),
	MAIL_FROM: z.string().default('Muster <no-reply@localhost>'),
	JOB_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
	/** Where uploaded lead files live (tus uploads, one file per upload id); created at boot. */
	UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
	/** Largest file an upload may be. */
	UPLOAD_MAX_BYTES: bytes.default(2 * 1024 ** 3),
	/** Rows per ingest batch: one COPY + merge transaction each, and the unit a resumed import restarts from. */
	INGEST_BATCH_ROWS: z.coerce.number().int().min(100).max(100_000).default(10_000),
	/** Co-edited documents: how long client updates wait to be written together. */
	DOC_BATCH_MS: z.coerce.number().int().min(0).max(1_000).default(50),
	/** How long a document stays in memory after its last client left. */
	DOC_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
	/** Fold the update log into a snapshot once it holds this many rows. */
	DOC_COMPACT_AFTER: z.coerce.number().int().min(2).max(1_000_000).default(500),
	/** Keep a version at most this often while people are editing. */
	DOC_VERSION_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000)
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
	constructor(readonly issues: string[]) {
		super(`Invalid environment: ${issues.join('; ')}`);
		this.name = 'ConfigError';
	}
}

export function parseConfig(env: Record<string, string | undefined>): Config {
	// Empty strings mean "unset", as they do for most twelve-factor tools.
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = envSchema.safeParse(cleaned);
	if (!result.success) {
		throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`));
	}
	return result.data;
}

export function config(): Config {
	return singleton('config', () => parseConfig(process.env));
}
