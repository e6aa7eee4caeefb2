import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client';
import { senderNumbers } from '../../db/schema/numbers';
import { BadInputError, ConflictError, NotFoundError } from '../errors';
import { areaCodeState, npaOf } from './area-codes';
import { toUsE164 } from './csv-import';
import { SENDER_STATUSES, senderNumberSchema, type SenderNumber, type SenderNumberFields, type SenderStatus } from './sender-number';

/**
 * The sender-number inventory in Postgres. Every write goes through `senderNumberSchema`, so
 * rows are mapped back as they lie; rows never leave this module, only `SenderNumber`s.
 */
export const senderColumns = {
	id: senderNumbers.id,
	e164: senderNumbers.e164,
	providerAccount: senderNumbers.providerAccount,
	brandId: senderNumbers.brandId,
	campaignId: senderNumbers.campaignId,
	areaCode: senderNumbers.areaCode,
	state: senderNumbers.state,
	status: senderNumbers.status,
	dailyCap: senderNumbers.dailyCap
};

/** Every number of the workspace, in E.164 order. */
export async function listSenderNumbers(db: Executor, workspaceId: string): Promise<SenderNumber[]> {
	return db.select(senderColumns).from(senderNumbers).where(eq(senderNumbers.workspaceId, workspaceId)).orderBy(asc(senderNumbers.e164));
}

/** The pool a dry-run or a send draws from: active numbers only (paused and blocked never send). */
export async function activeSenderNumbers(db: Executor, workspaceId: string): Promise<SenderNumber[]> {
	return db
		.select(senderColumns)
		.from(senderNumbers)
		.where(and(eq(senderNumbers.workspaceId, workspaceId), eq(senderNumbers.status, 'active')))
		.orderBy(asc(senderNumbers.e164));
}

export const senderQuerySchema = z.object({
	q: z.string().trim().max(64).optional(),
	status: z.enum(SENDER_STATUSES).optional(),
	state: z
		.string()
		.trim()
		.regex(/^[A-Za-z]{2}$/, 'expected a two-letter state code')
		.transform((s) => s.toUpperCase())
		.optional(),
	brandId: z.string().trim().max(64).optional()
});
export type SenderQuery = z.input<typeof senderQuerySchema>;

/** More than any real inventory page shows at once; beyond it the page asks for a narrower search. */
export const SENDER_PAGE_LIMIT = 2000;

export interface SenderInventory {
	numbers: (SenderNumber & { updatedAt: Date })[];
	/** How many numbers match the search (may exceed `numbers.length`, see SENDER_PAGE_LIMIT). */
	matching: number;
	/** Over the whole workspace, not the search: the page's summary stays put while filtering. */
	byStatus: Record<SenderStatus, number>;
	byBrand: { brandId: string; total: number; active: number }[];
}

function searchWhere(workspaceId: string, query: z.output<typeof senderQuerySchema>): SQL | undefined {
	const where: (SQL | undefined)[] = [eq(senderNumbers.workspaceId, workspaceId)];
	if (query.status) where.push(eq(senderNumbers.status, query.status));
	if (query.state) where.push(eq(senderNumbers.state, query.state));
	if (query.brandId) where.push(eq(senderNumbers.brandId, query.brandId));
	if (query.q) {
		const text = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
		const digits = query.q.replace(/\D/g, '');
		where.push(
			or(
				digits.length >= 3 ? sql`${senderNumbers.e164} like ${`%${digits}%`}` : undefined,
				ilike(senderNumbers.providerAccount, text),
				ilike(senderNumbers.brandId, text),
				ilike(senderNumbers.campaignId, text)
			)
		);
	}
	return and(...where);
}

/** The inventory page: the numbers matching a search, with counts by status and by brand. */
export async function searchSenderNumbers(db: Executor, workspaceId: string, raw: SenderQuery = {}): Promise<SenderInventory> {
	const query = senderQuerySchema.parse(raw);
	const where = searchWhere(workspaceId, query);
	const [numbers, [matched], statusRows, brandRows] = await Promise.all([
		db
			.select({ ...senderColumns, updatedAt: senderNumbers.updatedAt })
			.from(senderNumbers)
			.where(where)
			.orderBy(asc(senderNumbers.e164))
			.limit(SENDER_PAGE_LIMIT),
		db.select({ n: count() }).from(senderNumbers).where(where),
		db.select({ status: senderNumbers.status, n: count() }).from(senderNumbers).where(eq(senderNumbers.workspaceId, workspaceId)).groupBy(senderNumbers.status),
		db
			.select({ brandId: senderNumbers.brandId, total: count(), active: sql<number>`count(*) filter (where ${senderNumbers.status} = 'active')`.mapWith(Number) })
			.from(senderNumbers)
			.where(eq(senderNumbers.workspaceId, workspaceId))
			.groupBy(senderNumbers.brandId)
			.orderBy(asc(senderNumbers.brandId))
	]);
	const byStatus = { active: 0, paused: 0, blocked: 0 } satisfies Record<SenderStatus, number>;
	for (const row of statusRows) byStatus[row.status] = row.n;
	return { numbers, matching: matched?.n ?? 0, byStatus, byBrand: brandRows };
}

const taken = (e164: string) => new ConflictError(`${e164} is already in this workspace's inventory. Edit that number instead of adding it again.`);

/**
 * What a person types into the add form: the number in any common US format, area code and
 * state optional (taken from the number, as a CSV import does). `validSender` checks the rest.
 */
export const senderDraftSchema = z.object({
	e164: z.string().trim().min(1, 'phone number is required').max(40),
	providerAccount: z.string().max(200),
	brandId: z.string().max(200),
	campaignId: z.string().max(200),
	areaCode: z.string().trim().max(3).optional(),
	state: z.string().trim().max(2).optional(),
	status: z.enum(SENDER_STATUSES).optional(),
	dailyCap: z.number().int().min(0).max(1_000_000).nullable().optional()
});
export type SenderDraft = z.input<typeof senderDraftSchema>;

export function completeSender(draft: SenderDraft): SenderNumberFields {
	const e164 = toUsE164(draft.e164) ?? draft.e164;
	const areaCode = draft.areaCode || npaOf(e164) || '';
	return validSender({ ...draft, e164, areaCode, state: (draft.state || areaCodeState(areaCode) || '').toUpperCase() });
}

/** The schema's verdict as a domain error: a user's mistake is BAD_INPUT naming the field, never a 500. */
export function validSender(fields: unknown): SenderNumberFields {
	const parsed = senderNumberSchema.safeParse(fields);
	if (parsed.success) return parsed.data;
	const fieldErrors: Record<string, string> = {};
	for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? '')] ??= issue.message;
	throw new BadInputError(Object.values(fieldErrors).join('; '), { fieldErrors });
}

function isUniqueViolation(error: unknown): boolean {
	const { code, cause } = error as { code?: string; cause?: { code?: string } };
	return (cause?.code ?? code) === '23505';
}

/** Adds one number; a number already in the inventory is a ConflictError. */
export async function createSenderNumber(db: Executor, workspaceId: string, userId: string, draft: SenderDraft): Promise<SenderNumber> {
	const valid = completeSender(draft);
	try {
		const [row] = await db
			.insert(senderNumbers)
			.values({ ...valid, workspaceId, createdBy: userId })
			.returning(senderColumns);
		if (!row) throw new Error('sender number insert returned nothing');
		return row;
	} catch (error) {
		if (isUniqueViolation(error)) throw taken(valid.e164);
		throw error;
	}
}

async function getSenderNumber(db: Executor, workspaceId: string, id: string): Promise<SenderNumber> {
	const [row] = await db
		.select(senderColumns)
		.from(senderNumbers)
		.where(and(eq(senderNumbers.workspaceId, workspaceId), eq(senderNumbers.id, id)));
	if (!row) throw new NotFoundError('This sender number is not in this workspace.');
	return row;
}

/**
 * Changes some fields of one number. The merged whole goes through the schema again, so a
 * new number with the old area code (or a state its area code is not in) is refused.
 */
export async function updateSenderNumber(db: Executor, workspaceId: string, id: string, patch: Partial<SenderNumberFields>): Promise<SenderNumber> {
	const { id: _id, ...current } = await getSenderNumber(db, workspaceId, id);
	const valid = validSender({ ...current, ...patch });
	try {
		const [row] = await db
			.update(senderNumbers)
			.set({ ...valid, updatedAt: new Date() })
			.where(and(eq(senderNumbers.workspaceId, workspaceId), eq(senderNumbers.id, id)))
			.returning(senderColumns);
		if (!row) throw new NotFoundError('This sender number is not in this workspace.');
		return row;
	} catch (error) {
		if (isUniqueViolation(error)) throw taken(valid.e164);
		throw error;
	}
}

/** Removes numbers; ids of other workspaces are ignored. Returns how many were removed. */
export async function deleteSenderNumbers(db: Executor, workspaceId: string, ids: readonly string[]): Promise<number> {
	if (ids.length === 0) return 0;
	const gone = await db
		.delete(senderNumbers)
		.where(and(eq(senderNumbers.workspaceId, workspaceId), inArray(senderNumbers.id, [...ids])))
		.returning({ id: senderNumbers.id });
	if (gone.length === 0) throw new NotFoundError(ids.length === 1 ? 'This sender number is not in this workspace.' : 'None of these sender numbers are in this workspace.');
	return gone.length;
}

/** Pauses, blocks or reactivates many numbers at once. Returns how many changed. */
export async function setSenderStatus(db: Executor, workspaceId: string, ids: readonly string[], status: SenderStatus): Promise<number> {
	if (ids.length === 0) return 0;
	const changed = await db
		.update(senderNumbers)
		.set({ status, updatedAt: new Date() })
		.where(and(eq(senderNumbers.workspaceId, workspaceId), inArray(senderNumbers.id, [...ids]), sql`${senderNumbers.status} <> ${status}`))
		.returning({ id: senderNumbers.id });
	return changed.length;
}
