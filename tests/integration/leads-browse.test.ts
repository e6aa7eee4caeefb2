import { sql, type SQL } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import type { LeadFilter, LeadSort } from '../../server/leads/filter';
import { searchLeads } from '../../server/leads/search';
import { refusal, seedMember } from '../support/access';
import { client, seedUser } from '../support/identity';
import { seedLeads, type SeedLead } from '../support/leads';

/** The leads table, lead page, saved filters and bulk actions through tRPC, with access checks. */

let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let importId: string;
let ids: string[];

const people: SeedLead[] = [
	{ firstName: 'Maria', lastName: 'Gonzalez', street: '12 Oak St', city: 'Austin', state: 'TX', zip: '78701', phones: [{ e164: '+15125550101', type: 'mobile' }], tags: ['hot'], consent: 'express_written', attributes: { beds: '3' } },
	{ firstName: 'James', lastName: 'Whitfield', street: '400 Pine Ave', city: 'Dallas', state: 'TX', zip: '75201', phones: [{ e164: '+12145550102', type: 'landline' }], tags: ['hot', 'cash'] },
	{ firstName: 'Aisha', lastName: 'Khan', street: '9 Harbor Rd', city: 'Miami', state: 'FL', zip: '33101', phones: [{ e164: '+13055550103', type: 'mobile' }, { e164: '+13055550113' }], attributes: { beds: '2' } },
	{ firstName: 'Tom', lastName: 'Oakley', street: '77 Elm Dr', city: 'Tampa', state: 'FL', zip: '33602', phones: [{ e164: '+18135550104' }], consent: 'existing_relationship' },
	{ firstName: 'Nobody', lastName: 'Stateless', phones: [{ e164: '+14155550105' }] }
];

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('browser');
	workspaceId = owner.workspace?.id ?? '';
	const seeded = await seedLeads(database().db, workspaceId, people, { fileName: 'texas-and-florida.csv', userId: owner.user.id });
	importId = seeded.importId;
	ids = seeded.ids;
	// Another workspace's lead with the same phone must never show up here.
	const other = await seedUser('other-browser');
	await seedLeads(database().db, other.workspace?.id ?? '', [{ firstName: 'Maria', lastName: 'Elsewhere', phones: [{ e164: '+15125550101' }] }]);
});

const names = (page: { rows: { fullName: string }[] }) => page.rows.map((r) => r.fullName);
const search = (filter: LeadFilter, sort: LeadSort = 'created', cursor?: string | null) => owner.client.caller.leads.search({ workspaceId, filter, sort, cursor });

describe('leads table', () => {
	it('lists the newest first with phones and a count', async () => {
		const page = await search({});
		expect(names(page)).toEqual(['Nobody Stateless', 'Tom Oakley', 'Aisha Khan', 'James Whitfield', 'Maria Gonzalez']);
		expect(await owner.client.caller.leads.count({ workspaceId, filter: {} })).toEqual({ count: 5, capped: false });
		expect(page.rows.find((r) => r.fullName === 'Aisha Khan')?.phones.map((p) => p.e164)).toEqual(['+13055550103', '+13055550113']);
	});

	it('searches phones in any format (normalised to E.164), partial numbers, names and addresses', async () => {
		expect(names(await search({ q: '(512) 555-0101' }))).toEqual(['Maria Gonzalez']);
		expect(names(await search({ q: '+1 512 555 0101' }))).toEqual(['Maria Gonzalez']);
		expect(names(await search({ q: '305555' }))).toEqual(['Aisha Khan']);
		expect(names(await search({ q: 'whitf' }))).toEqual(['James Whitfield']);
		expect(names(await search({ q: 'oak' }))).toEqual(['Tom Oakley', 'Maria Gonzalez']);
		expect(names(await search({ q: 'harbor' }))).toEqual(['Aisha Khan']);
		expect(names(await search({ q: '100%' }))).toEqual([]);
		// Short words ("St", "Dr", "N") are checked on what the longer ones find, with the same meaning.
		expect(names(await search({ q: 'oak st' }))).toEqual(['Maria Gonzalez']);
		expect(names(await search({ q: 'oak dr' }))).toEqual(['Tom Oakley']);
		expect(names(await search({ q: '77 el' }))).toEqual(['Tom Oakley']);
		expect(names(await search({ q: 'oak zz' }))).toEqual([]);
	});

	it('filters by state, area code, city, zip, tags, source file, consent, DNC and attributes', async () => {
		expect(names(await search({ states: ['FL'] }))).toEqual(['Tom Oakley', 'Aisha Khan']);
		expect(names(await search({ areaCodes: ['214', '813'] }))).toEqual(['Tom Oakley', 'James Whitfield']);
		expect(names(await search({ city: 'austin' }))).toEqual(['Maria Gonzalez']);
		expect(names(await search({ zip: '33101' }))).toEqual(['Aisha Khan']);
		expect(names(await search({ tags: ['hot', 'cash'] }))).toEqual(['James Whitfield']);
		expect(await owner.client.caller.leads.count({ workspaceId, filter: { importId } })).toEqual({ count: 5, capped: false });
		expect(names(await search({ consent: ['express_written', 'existing_relationship'] }))).toEqual(['Tom Oakley', 'Maria Gonzalez']);
		expect(names(await search({ attributes: [{ key: 'beds', value: '2' }] }))).toEqual(['Aisha Khan']);
		expect(names(await search({ states: ['TX'], areaCodes: ['512'], tags: ['hot'] }))).toEqual(['Maria Gonzalez']);
		await owner.client.caller.dnc.add({ workspaceId, phone: '305-555-0113', reason: 'asked to stop' });
		expect(names(await search({ dnc: 'listed' }))).toEqual(['Aisha Khan']);
		expect(await owner.client.caller.leads.count({ workspaceId, filter: { dnc: 'clear' } })).toEqual({ count: 4, capped: false });
		expect((await search({ q: 'Aisha' })).rows[0]).toMatchObject({ dnc: true, phones: [{ e164: '+13055550103', dnc: false }, { e164: '+13055550113', dnc: true }] });
	});

	it('pages by keyset in every sort, with nothing skipped or repeated', async () => {
		const all = async (sort: LeadSort, key: (row: { fullName: string; state: string | null }) => string | null = (r) => r.fullName) => {
			const seen: (string | null)[] = [];
			let cursor: string | null = null;
			do {
				const page: Awaited<ReturnType<typeof searchLeads>> = await searchLeads(database().db, workspaceId, { filter: {}, sort, cursor, limit: 2 });
				seen.push(...page.rows.map(key));
				cursor = page.nextCursor;
			} while (cursor && seen.length < 20);
			return seen;
		};
		expect(await all('created')).toEqual(['Nobody Stateless', 'Tom Oakley', 'Aisha Khan', 'James Whitfield', 'Maria Gonzalez']);
		expect(await all('state', (r) => r.state)).toEqual(['FL', 'FL', 'TX', 'TX', null]);
		expect(new Set(await all('state'))).toHaveProperty('size', 5);
		expect(await all('name')).toEqual(['Aisha Khan', 'James Whitfield', 'Maria Gonzalez', 'Nobody Stateless', 'Tom Oakley']);
		expect((await refusal(search({}, 'created', 'garbage'))).message).toMatch(/no longer valid/);
	});

	it('every search query can be answered from an index (EXPLAIN with sequential scans off)', async () => {
		const filters: LeadFilter[] = [
			{},
			{ q: '+15125550101' },
			{ q: '512555' },
			{ q: 'whitfield' },
			{ q: '400 Pine Ave' },
			{ q: '9 harbor rd' },
			{ states: ['TX'], areaCodes: ['512'], tags: ['hot'] },
			{ importId },
			{ dnc: 'listed' },
			{ zip: '78701' }
		];
		for (const sort of ['created', 'name', 'state'] as const) {
			for (const filter of filters) {
				const plans = await explainSearch(database().db, () => searchLeads(explaining, workspaceId, { filter, sort }));
				expect(plans.length).toBeGreaterThanOrEqual(2);
				for (const plan of plans) expect(plan, `${sort} ${JSON.stringify(filter)}`).not.toMatch(/Seq Scan on (leads|lead_phones|lead_sources|dnc_entries)/);
			}
		}
	});

	it('shows a lead with phones, DNC flags, attributes and every source row against its headers', async () => {
		const lead = await owner.client.caller.leads.get({ workspaceId, leadId: ids[2] ?? '' });
		expect(lead).toMatchObject({ fullName: 'Aisha Khan', dnc: true, attributes: { beds: '2' }, address: { city: 'Miami', state: 'FL' } });
		expect(lead.phones).toEqual([
			{ e164: '+13055550103', type: 'mobile', dnc: false, dncReason: null },
			{ e164: '+13055550113', type: 'unknown', dnc: true, dncReason: 'asked to stop' }
		]);
		expect(lead.sources).toEqual([expect.objectContaining({ fileName: 'texas-and-florida.csv', rowNumber: 4, headers: expect.arrayContaining(['First Name']), fields: expect.arrayContaining(['Aisha', 'Khan']) })]);
	});

	it('saves, lists, renames and deletes filters; names are unique', async () => {
		const saved = await owner.client.caller.leads.savedFilters.create({ workspaceId, name: 'Texas hot', filter: { states: ['TX', 'TX'], tags: ['hot'], q: '' } });
		expect(saved.filter).toEqual({ states: ['TX'], tags: ['hot'] });
		expect((await refusal(owner.client.caller.leads.savedFilters.create({ workspaceId, name: 'Texas hot', filter: {} }))).code).toBe('CONFLICT');
		await owner.client.caller.leads.savedFilters.rename({ workspaceId, id: saved.id, name: 'Texas, hot' });
		expect(await owner.client.caller.leads.savedFilters.list({ workspaceId })).toEqual([expect.objectContaining({ name: 'Texas, hot', valid: true })]);
		expect(names(await search(saved.filter))).toEqual(['James Whitfield', 'Maria Gonzalez']);
		await owner.client.caller.leads.savedFilters.delete({ workspaceId, id: saved.id });
		expect(await owner.client.caller.leads.savedFilters.list({ workspaceId })).toEqual([]);
	});

	it('bulk tags and bulk adds to DNC, on selected rows or on the whole filter', async () => {
		expect(await owner.client.caller.leads.bulkTag({ workspaceId, target: { ids: [ids[0] ?? '', ids[3] ?? ''] }, tag: 'called' })).toEqual({ changed: 2 });
		expect(await owner.client.caller.leads.bulkTag({ workspaceId, target: { filter: { states: ['FL'] } }, tag: 'called' })).toEqual({ changed: 1 });
		expect(names(await search({ tags: ['called'] }))).toEqual(['Tom Oakley', 'Aisha Khan', 'Maria Gonzalez']);
		expect(await owner.client.caller.leads.bulkTag({ workspaceId, target: { filter: { tags: ['called'] } }, tag: 'called', remove: true })).toEqual({ changed: 3 });
		expect(await owner.client.caller.leads.bulkDnc({ workspaceId, target: { filter: { states: ['TX'] } }, reason: 'litigator list' })).toEqual({ added: 2 });
		expect(names(await search({ dnc: 'listed' }))).toEqual(['Aisha Khan', 'James Whitfield', 'Maria Gonzalez']);
		// Ids of another workspace's leads change nothing here.
		const other = await seedUser('bulk-other');
		const theirs = await seedLeads(database().db, other.workspace?.id ?? '', [{ firstName: 'Not', lastName: 'Yours' }]);
		expect(await owner.client.caller.leads.bulkTag({ workspaceId, target: { ids: theirs.ids }, tag: 'x' })).toEqual({ changed: 0 });
	});
});

describe('leads access', () => {
	it('a lead of another workspace is not found', async () => {
		const other = await seedUser('lead-owner');
		const theirs = await seedLeads(database().db, other.workspace?.id ?? '', [{ firstName: 'Secret', lastName: 'Person' }]);
		expect((await refusal(owner.client.caller.leads.get({ workspaceId, leadId: theirs.ids[0] ?? '' }))).code).toBe('NOT_FOUND');
	});

	it('a non-member is refused everything', async () => {
		const outsider = await seedUser('leads-outsider');
		expect((await refusal(outsider.client.caller.leads.search({ workspaceId, filter: {} }))).code).toBe('FORBIDDEN');
		expect((await refusal(outsider.client.caller.leads.get({ workspaceId, leadId: ids[0] ?? '' }))).code).toBe('FORBIDDEN');
		expect((await refusal(outsider.client.caller.leads.savedFilters.list({ workspaceId }))).code).toBe('FORBIDDEN');
	});

	it('a viewer reads but cannot write', async () => {
		const viewer = await seedMember(workspaceId, 'leads-viewer', 'viewer');
		expect((await viewer.client.caller.leads.search({ workspaceId, filter: {} })).rows.length).toBeGreaterThan(0);
		expect(await viewer.client.caller.leads.get({ workspaceId, leadId: ids[0] ?? '' })).toMatchObject({ fullName: 'Maria Gonzalez' });
		for (const write of [
			() => viewer.client.caller.leads.bulkTag({ workspaceId, target: { ids: [ids[0] ?? ''] }, tag: 'x' }),
			() => viewer.client.caller.leads.bulkDnc({ workspaceId, target: { ids: [ids[0] ?? ''] }, reason: '' }),
			() => viewer.client.caller.leads.savedFilters.create({ workspaceId, name: 'mine', filter: {} })
		]) {
			expect((await refusal(write())).message).toBe('Your role (viewer) does not allow this.');
		}
	});

	it('signed out, nothing', async () => {
		expect((await refusal(client(null).caller.leads.search({ workspaceId, filter: {} }))).code).toBe('UNAUTHORIZED');
	});
});

// EXPLAIN every statement a search runs, inside one transaction with sequential scans off:
// if a plan still scans a table sequentially, no index can answer that query.
let explaining: Database;
async function explainSearch(db: Database, run: () => Promise<unknown>): Promise<string[]> {
	const plans: string[] = [];
	await db.transaction(async (tx) => {
		await tx.execute(sql`set local enable_seqscan = off`);
		explaining = new Proxy(tx, {
			get(target, prop, receiver) {
				if (prop !== 'execute') return Reflect.get(target, prop, receiver) as unknown;
				return async (query: SQL) => {
					const plan = await target.execute(sql`explain ${query}`);
					plans.push(plan.rows.map((r) => Object.values(r).join('')).join('\n'));
					return target.execute(query);
				};
			}
		}) as unknown as Database;
		await run();
	});
	return plans;
}
