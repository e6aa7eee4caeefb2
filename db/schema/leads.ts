import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { workspaces } from './workspaces';

export const CONSENT_BASES = ['none', 'existing_relationship', 'express_written'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

export const PHONE_TYPES = ['mobile', 'landline', 'voip', 'unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export const IMPORT_STATUSES = ['uploading', 'uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One uploaded file and its import: what it is, how it is read, what it produced. */
export const leadImports = pgTable(
	'lead_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		fileName: text('file_name').notNull(),
		fileSize: bigint('file_size', { mode: 'number' }).notNull(),
		/** tus upload id; the file lives under UPLOAD_DIR by this name. */
		uploadId: text('upload_id').notNull(),
		/** SHA-256 of the file, so re-importing the same file is recognised. */
		sha256: text('sha256'),
		status: text('status', { enum: IMPORT_STATUSES }).notNull().default('uploading'),
		/** What detection found and the operator confirmed: encoding, delimiter, header. */
		encoding: text('encoding'),
		delimiter: text('delimiter'),
		headers: jsonb('headers').$type<string[]>(),
		parser: text('parser'),
		/** Column mapping for the generic parser: header → lead field. */
		mapping: jsonb('mapping').$type<Record<string, string>>(),
		consentBasis: text('consent_basis', { enum: CONSENT_BASES }).notNull().default('none'),
		/** For express written consent: where it was collected (form URL, paper, …) and when. */
		consentSource: text('consent_source'),
		consentCollectedAt: timestamp('consent_collected_at', { withTimezone: true }),
		rowsRead: integer('rows_read').notNull().default(0),
		leadsCreated: integer('leads_created').notNull().default(0),
		leadsMerged: integer('leads_merged').notNull().default(0),
		rowsRejected: integer('rows_rejected').notNull().default(0),
		/** Byte offset and row number of the last committed batch: where a restarted job resumes. */
		resumeOffset: bigint('resume_offset', { mode: 'number' }).notNull().default(0),
		resumeRow: integer('resume_row').notNull().default(0),
		error: text('error'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		finishedAt: timestamp('finished_at', { withTimezone: true })
	},
	(t) => [index('lead_imports_workspace_idx').on(t.workspaceId, t.createdAt), uniqueIndex('lead_imports_upload_idx').on(t.uploadId)]
);

/** Every row of every file, verbatim, with its number; rejects keep their reason. */
export const sourceRows = pgTable(
	'source_rows',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		/** No foreign key: see CHILDREN_OF_LEADS (an import's deletion still takes its rows, set-wise). */
		importId: uuid('import_id').notNull(),
		workspaceId: uuid('workspace_id').notNull(),
		rowNumber: integer('row_number').notNull(),
		fields: text('fields').array().notNull(),
		rejectReason: text('reject_reason')
	},
	(t) => [
		uniqueIndex('source_rows_import_row_idx').on(t.importId, t.rowNumber),
		/** The rejects download reads only these; an import's rejects are usually a sliver of its rows. */
		index('source_rows_rejects_idx')
			.on(t.importId, t.rowNumber)
			.where(sql`${t.rejectReason} IS NOT NULL`)
	]
);

/** A person. Identity attributes are typed columns; the rest of what files say is in `attributes`. */
export const leads = pgTable(
	'leads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** No foreign key: see CHILDREN_OF_LEADS (a workspace's deletion still takes its leads, set-wise). */
		workspaceId: uuid('workspace_id').notNull(),
		firstName: text('first_name'),
		lastName: text('last_name'),
		fullName: text('full_name').notNull().default(''),
		/** Lower-cased, punctuation-free name + address: the second dedupe key. */
		nameAddressKey: text('name_address_key'),
		email: text('email'),
		street: text('street'),
		city: text('city'),
		state: text('state'),
		zip: text('zip'),
		/** IANA time zone from the address, when known (sending windows use it). */
		timeZone: text('time_zone'),
		mailing: jsonb('mailing').$type<{ street?: string; city?: string; state?: string; zip?: string }>(),
		propertyValue: numeric('property_value', { precision: 14, scale: 2, mode: 'number' }),
		equity: numeric('equity', { precision: 14, scale: 2, mode: 'number' }),
		attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
		tags: text('tags')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** Strongest consent basis among its sources (derived on every merge). */
		consentBasis: text('consent_basis', { enum: CONSENT_BASES }).notNull().default('none'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('leads_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
		/**
		 * Dedupe probes by key only ever ask "equal?": a hash index holds a 4-byte hash per lead
		 * where a btree holds the whole key, so at a million leads it stays in memory and an
		 * import's inserts stop reading and dirtying pages all over it.
		 */
		index('leads_name_address_idx').using('hash', t.nameAddressKey),
		index('leads_state_idx').on(t.workspaceId, t.state, t.id),
		/** Keyset pages of the leads table sorted by name. */
		index('leads_name_sort_idx').on(t.workspaceId, t.fullName, t.id),
		index('leads_zip_idx').on(t.workspaceId, t.zip),
		/**
		 * Over every lead, not only tagged ones: a partial index (WHERE tags <> '{}') saved
		 * imports one pending-list entry per lead, but its predicate, repeated in the query,
		 * made the planner count the tag's selectivity twice and sort thousands of tagged
		 * leads instead of walking the newest-first index (203 ms p95 against 70 at 1M leads).
		 */
		index('leads_tags_idx').using('gin', t.tags),
		/**
		 * Search by the words of name and street (server/leads/filter.ts SEARCH_DOCUMENT): ~5
		 * entries per lead where trigram indexes on both made ~35, half of what an import paid.
		 */
		index('leads_search_idx').using('gin', sql`to_tsvector('simple'::regconfig, ${t.fullName} || ' ' || coalesce(${t.street}, ''))`)
	]
);

/**
 * CHILDREN_OF_LEADS: lead_phones, lead_sources and lead_facts have no foreign keys, nor do
 * leads (to workspaces) and source_rows (to lead_imports). A foreign key checks (and locks)
 * its parent row once per inserted row; an import inserts about seven such rows per file
 * row, and those checks were a third or more of its database time. Only the ingest writer
 * inserts them, for the import it runs (whose workspace it locks) and for leads and source
 * rows it wrote or matched in the same transaction; deletes still cascade, set-wise, through
 * the statement triggers `leads_delete_children`, `source_rows_delete_links` (migration
 * 0013), `workspaces_delete_leads` and `lead_imports_delete_rows` (migration 0016).
 */

/** Phones in E.164; a phone belongs to one lead per workspace (the first dedupe key). */
export const leadPhones = pgTable(
	'lead_phones',
	{
		workspaceId: uuid('workspace_id').notNull(),
		e164: text('e164').notNull(),
		/** No foreign key: see CHILDREN_OF_LEADS. */
		leadId: uuid('lead_id').notNull(),
		type: text('type', { enum: PHONE_TYPES }).notNull().default('unknown'),
		/** NPA of a NANP number, for area-code filters and sender routing. */
		areaCode: text('area_code'),
		sourceRowId: bigint('source_row_id', { mode: 'number' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	/**
	 * No index on area_code: a NANP number's area code is the three digits after "+1", so an
	 * area-code filter is a range of the primary key (server/leads/filter.ts), and each phone
	 * an import writes makes one index entry fewer.
	 */
	(t) => [primaryKey({ columns: [t.workspaceId, t.e164] }), index('lead_phones_lead_idx').on(t.leadId)]
);

/** Which source rows contributed to which lead (a row with two owners makes two leads). */
export const leadSources = pgTable(
	'lead_sources',
	{
		/** No foreign keys: see CHILDREN_OF_LEADS. */
		leadId: uuid('lead_id').notNull(),
		sourceRowId: bigint('source_row_id', { mode: 'number' }).notNull(),
		importId: uuid('import_id').notNull(),
		consentBasis: text('consent_basis', { enum: CONSENT_BASES }).notNull(),
		/** True when this row created the lead, false when it merged into an existing one. */
		created: boolean('created').notNull()
	},
	/**
	 * One index for both other ways in: the source-file filter (by import) and an import's
	 * deletion (its rows' links, by import and row, trigger `source_rows_delete_links`).
	 * Each link an import writes makes two index entries instead of three.
	 */
	(t) => [primaryKey({ columns: [t.leadId, t.sourceRowId] }), index('lead_sources_import_row_idx').on(t.importId, t.sourceRowId)]
);

/**
 * Values that disagree with what a lead already holds, kept with their source instead of
 * overwriting it: a merge never silently replaces a value.
 */
export const leadFacts = pgTable(
	'lead_facts',
	{
		/** No foreign key: see CHILDREN_OF_LEADS. */
		leadId: uuid('lead_id').notNull(),
		field: text('field').notNull(),
		value: text('value').notNull(),
		sourceRowId: bigint('source_row_id', { mode: 'number' }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.leadId, t.field, t.value] })]
);

/** Phones nobody may text in this workspace, with why, from where and by whom. */
export const dncEntries = pgTable(
	'dnc_entries',
	{
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		e164: text('e164').notNull(),
		reason: text('reason').notNull(),
		/** manual, upload (with the file name), reply (STOP), … */
		source: text('source').notNull(),
		addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.workspaceId, t.e164] })]
);

/** Named lead filters; crusades use them as audiences. */
export const savedFilters = pgTable(
	'saved_filters',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('saved_filters_name_idx').on(t.workspaceId, t.name)]
);

/** Generic-CSV column mappings, saved by header signature and reused for similar files. */
export const columnMappings = pgTable(
	'column_mappings',
	{
		workspaceId: uuid('workspace_id')
			.notNull()
			.references(() => workspaces.id, { onDelete: 'cascade' }),
		/** Lower-cased, sorted headers joined: files with the same columns get the same mapping. */
		signature: text('signature').notNull(),
		name: text('name').notNull(),
		mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.workspaceId, t.signature] })]
);
