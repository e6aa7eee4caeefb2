import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { leadImports, leadPhones, leads, leadSources, sourceRows, type ConsentBasis, type PhoneType } from '../../db/schema/leads';

/**
 * Leads written straight into the tables the ingest fills (import, verbatim source rows,
 * leads, phones, provenance links), for tests of browsing, search and DNC that should not
 * depend on the ingest job. Realistic, made-up people only.
 */
export interface SeedLead {
	firstName: string;
	lastName: string;
	street?: string;
	city?: string;
	state?: string;
	zip?: string;
	phones?: { e164: string; type?: PhoneType }[];
	tags?: string[];
	consent?: ConsentBasis;
	attributes?: Record<string, string>;
}

export const SEED_HEADERS = ['First Name', 'Last Name', 'Phone', 'Phone Type', 'Street', 'City', 'State', 'Zip'];

export async function seedLeads(db: Database, workspaceId: string, people: SeedLead[], options: { fileName?: string; userId?: string | null } = {}) {
	const [imp] = await db
		.insert(leadImports)
		.values({
			workspaceId,
			fileName: options.fileName ?? 'seed.csv',
			fileSize: 1000,
			uploadId: `seed-${crypto.randomUUID()}`,
			status: 'completed',
			headers: SEED_HEADERS,
			parser: 'generic',
			delimiter: ',',
			encoding: 'utf-8',
			rowsRead: people.length,
			leadsCreated: people.length,
			createdBy: options.userId ?? null
		})
		.returning({ id: leadImports.id });
	if (!imp) throw new Error('seed import failed');
	const ids: string[] = [];
	for (const [index, p] of people.entries()) {
		const fullName = `${p.firstName} ${p.lastName}`;
		const [row] = await db
			.insert(sourceRows)
			.values({
				importId: imp.id,
				workspaceId,
				rowNumber: index + 2,
				fields: [p.firstName, p.lastName, p.phones?.[0]?.e164 ?? '', p.phones?.[0]?.type ?? '', p.street ?? '', p.city ?? '', p.state ?? '', p.zip ?? '']
			})
			.returning({ id: sourceRows.id });
		const [lead] = await db
			.insert(leads)
			.values({
				workspaceId,
				firstName: p.firstName,
				lastName: p.lastName,
				fullName,
				street: p.street ?? null,
				city: p.city ?? null,
				state: p.state ?? null,
				zip: p.zip ?? null,
				tags: p.tags ?? [],
				attributes: p.attributes ?? {},
				consentBasis: p.consent ?? 'none',
				// Distinct, ordered creation times, as a real import's batches would give.
				createdAt: sql`now() - make_interval(secs => ${people.length - index})`
			})
			.returning({ id: leads.id });
		if (!lead || !row) throw new Error('seed lead failed');
		ids.push(lead.id);
		await db.insert(leadSources).values({ leadId: lead.id, sourceRowId: row.id, importId: imp.id, consentBasis: p.consent ?? 'none', created: true });
		for (const phone of p.phones ?? []) {
			await db.insert(leadPhones).values({
				workspaceId,
				e164: phone.e164,
				leadId: lead.id,
				type: phone.type ?? 'unknown',
				areaCode: phone.e164.startsWith('+1') ? phone.e164.slice(2, 5) : null,
				sourceRowId: row.id
			});
		}
	}
	return { importId: imp.id, ids };
}
