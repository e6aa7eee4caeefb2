import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { leadFacts, leadImports, leads, leadSources, sourceRows, type ConsentBasis } from '../../db/schema/leads';
import { NotFoundError } from '../errors';
import { phonesOf, type LeadPhone } from './search';

/** Everything one lead page shows; every value traced to the file row it came from. */
export interface LeadDetail {
	id: string;
	fullName: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	address: { street: string | null; city: string | null; state: string | null; zip: string | null };
	mailing: { street?: string; city?: string; state?: string; zip?: string } | null;
	timeZone: string | null;
	propertyValue: number | null;
	equity: number | null;
	attributes: Record<string, string>;
	tags: string[];
	consentBasis: ConsentBasis;
	createdAt: Date;
	updatedAt: Date;
	phones: (LeadPhone & { dncReason: string | null })[];
	dnc: boolean;
	sources: {
		sourceRowId: number;
		importId: string;
		fileName: string;
		rowNumber: number;
		created: boolean;
		consentBasis: ConsentBasis;
		consentSource: string | null;
		consentCollectedAt: Date | null;
		importedAt: Date;
		/** The file's header row and this row's cells, verbatim. */
		headers: string[];
		fields: string[];
	}[];
	/** Values that disagreed with the lead and were kept beside it, not written over it. */
	facts: { field: string; value: string; fileName: string | null; rowNumber: number | null; at: Date }[];
}

/** Source rows listed on a lead page; a lead merged from more rows says how many more. */
const MAX_SOURCES = 100;

export async function getLead(db: Database, workspaceId: string, leadId: string): Promise<LeadDetail & { moreSources: number }> {
	const [lead] = await db
		.select()
		.from(leads)
		.where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)))
		.limit(1);
	if (!lead) throw new NotFoundError('This lead does not exist in this workspace.');

	const [phoneMap, dncReasons, sources, sourceCount, facts] = await Promise.all([
		phonesOf(db, workspaceId, [lead.id]),
		db.execute<{ e164: string; reason: string }>(
			sql`select d.e164, d.reason from dnc_entries d join lead_phones p on p.workspace_id = d.workspace_id and p.e164 = d.e164 where p.lead_id = ${lead.id} and d.workspace_id = ${workspaceId}`
		),
		db
			.select({
				sourceRowId: leadSources.sourceRowId,
				importId: leadSources.importId,
				created: leadSources.created,
				consentBasis: leadSources.consentBasis,
				rowNumber: sourceRows.rowNumber,
				fields: sourceRows.fields,
				fileName: leadImports.fileName,
				headers: leadImports.headers,
				consentSource: leadImports.consentSource,
				consentCollectedAt: leadImports.consentCollectedAt,
				importedAt: leadImports.createdAt
			})
			.from(leadSources)
			.innerJoin(sourceRows, eq(sourceRows.id, leadSources.sourceRowId))
			.innerJoin(leadImports, eq(leadImports.id, leadSources.importId))
			.where(and(eq(leadSources.leadId, lead.id), eq(leadImports.workspaceId, workspaceId)))
			.orderBy(asc(leadImports.createdAt), asc(sourceRows.rowNumber))
			.limit(MAX_SOURCES),
		db.execute<{ n: number }>(sql`select count(*)::int as n from lead_sources where lead_id = ${lead.id}`),
		db
			.select({ field: leadFacts.field, value: leadFacts.value, at: leadFacts.createdAt, fileName: leadImports.fileName, rowNumber: sourceRows.rowNumber })
			.from(leadFacts)
			.leftJoin(sourceRows, eq(sourceRows.id, leadFacts.sourceRowId))
			.leftJoin(leadImports, eq(leadImports.id, sourceRows.importId))
			.where(eq(leadFacts.leadId, lead.id))
			.orderBy(asc(leadFacts.field), asc(leadFacts.createdAt))
	]);
	const reasons = new Map(dncReasons.rows.map((r) => [r.e164, r.reason]));
	const phones = (phoneMap.get(lead.id) ?? []).map((p) => ({ ...p, dncReason: reasons.get(p.e164) ?? null }));
	return {
		id: lead.id,
		fullName: lead.fullName,
		firstName: lead.firstName,
		lastName: lead.lastName,
		email: lead.email,
		address: { street: lead.street, city: lead.city, state: lead.state, zip: lead.zip },
		mailing: lead.mailing && Object.values(lead.mailing).some(Boolean) ? lead.mailing : null,
		timeZone: lead.timeZone,
		propertyValue: lead.propertyValue,
		equity: lead.equity,
		attributes: lead.attributes,
		tags: lead.tags,
		consentBasis: lead.consentBasis,
		createdAt: lead.createdAt,
		updatedAt: lead.updatedAt,
		phones,
		dnc: phones.some((p) => p.dnc),
		sources: sources.map((s) => ({ ...s, headers: s.headers ?? [] })),
		moreSources: Math.max(0, (sourceCount.rows[0]?.n ?? 0) - sources.length),
		facts
	};
}
