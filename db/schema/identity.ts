import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Buffer }>({
	dataType: () => 'bytea',
	toDriver: (value) => Buffer.from(value),
	fromDriver: (value) => new Uint8Array(value)
});

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		email: text('email').notNull(),
		displayName: text('display_name').notNull(),
		/** The WebAuthn user handle: random, never the database id or e-mail. */
		webauthnUserId: text('webauthn_user_id').notNull(),
		isSuperAdmin: boolean('is_super_admin').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('users_email_idx').on(sql`lower(${t.email})`), uniqueIndex('users_webauthn_user_id_idx').on(t.webauthnUserId)]
);

export const passkeys = pgTable(
	'passkeys',
	{
		/** Credential id, base64url. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		publicKey: bytea('public_key').notNull(),
		counter: bigint('counter', { mode: 'number' }).notNull().default(0),
		transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
		deviceType: text('device_type', { enum: ['singleDevice', 'multiDevice'] }).notNull(),
		backedUp: boolean('backed_up').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true })
	},
	(t) => [index('passkeys_user_idx').on(t.userId)]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 (hex) of the cookie token; the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		ip: text('ip').notNull().default(''),
		userAgent: text('user_agent').notNull().default(''),
		/** Made by a recovery code or link: the user must register a new passkey before anything else. */
		mustRegisterPasskey: boolean('must_register_passkey').notNull().default(false)
	},
	(t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]
);

export const recoveryCodes = pgTable(
	'recovery_codes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** scrypt: `salt:hash`, both base64url. */
		codeHash: text('code_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		usedAt: timestamp('used_at', { withTimezone: true })
	},
	(t) => [index('recovery_codes_user_idx').on(t.userId)]
);

export const recoveryTokens = pgTable('recovery_tokens', {
	/** SHA-256 (hex) of the e-mailed token. */
	id: text('id').primaryKey(),
	userId: uuid('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	usedAt: timestamp('used_at', { withTimezone: true })
});
