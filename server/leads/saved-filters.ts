import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { savedFilters } from '../../db/schema/leads';
import { ConflictError, NotFoundError } from '../errors';
import { compactFilter, leadFilterSchema, type LeadFilter } from './filter';

/**
 * Named lead filters. Crusades use them as audiences, so what is stored is always a
 * `leadFilterSchema` value: read back through the schema, never trusted as it lies.
 */
export const filterName = z.string().trim().min(1, 'Give the filter a name').max(80, 'Names are at most 80 characters');

export interface SavedFilter {
	id: string;
	name: string;
	filter: LeadFilter;
	/** False when the stored filter no longer parses (saved by an older version): never use it as an audience. */
	valid: boolean;
	createdAt: Date;
}

function read(row: { id: string; name: string; filter: Record<string, unknown>; createdAt: Date }): SavedFilter {
	const parsed = leadFilterSchema.safeParse(row.filter);
	return { id: row.id, name: row.name, filter: parsed.success ? parsed.data : {}, valid: parsed.success, createdAt: row.createdAt };
}

function isUniqueViolation(error: unknown): boolean {
	const e = error as { code?: string; cause?: { code?: string } };
	return e.code === '23505' || e.cause?.code === '23505';
}

export async function listSavedFilters(db: Database, workspaceId: string): Promise<SavedFilter[]> {
	const rows = await db
		.select({ id: savedFilters.id, name: savedFilters.name, filter: savedFilters.filter, createdAt: savedFilters.createdAt })
		.from(savedFilters)
		.where(eq(savedFilters.workspaceId, workspaceId))
		.orderBy(asc(savedFilters.name));
	return rows.map(read);
}

/** One saved filter, by id, in this workspace (crusades read their audience here). */
export async function getSavedFilter(db: Database, workspaceId: string, id: string): Promise<SavedFilter> {
	const [row] = await db
		.select({ id: savedFilters.id, name: savedFilters.name, filter: savedFilters.filter, createdAt: savedFilters.createdAt })
		.from(savedFilters)
		.where(and(eq(savedFilters.id, id), eq(savedFilters.workspaceId, workspaceId)));
	if (!row) throw new NotFoundError('This saved filter does not exist in this workspace.');
	return read(row);
}

export async function createSavedFilter(db: Database, workspaceId: string, userId: string, input: { name: string; filter: LeadFilter }): Promise<SavedFilter> {
	try {
		const [row] = await db
			.insert(savedFilters)
			.values({ workspaceId, name: input.name, filter: compactFilter(input.filter), createdBy: userId })
			.returning({ id: savedFilters.id, name: savedFilters.name, filter: savedFilters.filter, createdAt: savedFilters.createdAt });
		if (!row) throw new Error('saved filter insert returned nothing');
		return read(row);
	} catch (error) {
		if (isUniqueViolation(error)) throw new ConflictError(`A saved filter named "${input.name}" already exists. Pick another name.`);
		throw error;
	}
}

export async function renameSavedFilter(db: Database, workspaceId: string, id: string, name: string): Promise<void> {
	try {
		const updated = await db
			.update(savedFilters)
			.set({ name })
			.where(and(eq(savedFilters.id, id), eq(savedFilters.workspaceId, workspaceId)))
			.returning({ id: savedFilters.id });
		if (updated.length === 0) throw new NotFoundError('This saved filter does not exist in this workspace.');
	} catch (error) {
		if (isUniqueViolation(error)) throw new ConflictError(`A saved filter named "${name}" already exists. Pick another name.`);
		throw error;
	}
}

export async function deleteSavedFilter(db: Database, workspaceId: string, id: string): Promise<void> {
	const deleted = await db
		.delete(savedFilters)
		.where(and(eq(savedFilters.id, id), eq(savedFilters.workspaceId, workspaceId)))
		.returning({ id: savedFilters.id });
	if (deleted.length === 0) throw new NotFoundError('This saved filter does not exist in this workspace.');
}
