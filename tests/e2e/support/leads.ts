import { eq } from 'drizzle-orm';
import { createDatabase, type DatabaseHandle } from '../../../db/client';
import { workspaces } from '../../../db/schema/index';
import { seedLeads, type SeedLead } from '../../support/leads';

/**
 * Leads written straight into the e2e server's database, for browsing tests that should not
 * wait for an import. The import itself is tested through the page.
 */
let handle: DatabaseHandle | null = null;

/** The e2e server's database, for seeding (one small pool per worker). */
export function e2eDb() {
	const url = process.env.MUSTER_E2E_DATABASE_URL;
	if (!url) throw new Error('MUSTER_E2E_DATABASE_URL is not set: run e2e tests through `npx playwright test`.');
	handle ??= createDatabase(url, { max: 2, applicationName: 'muster-e2e-seed' });
	return handle.db;
}

export async function seedWorkspaceLeads(slug: string, people: SeedLead[], fileName = 'seeded-leads.csv') {
	const [ws] = await e2eDb().select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug));
	if (!ws) throw new Error(`no workspace ${slug}`);
	return { workspaceId: ws.id, ...(await seedLeads(e2eDb(), ws.id, people, { fileName })) };
}

export async function closeSeedDb(): Promise<void> {
	await handle?.pool.end();
	handle = null;
}

export const BROWSE_PEOPLE: SeedLead[] = [
	{ firstName: 'Maria', lastName: 'Gonzalez', street: '12 Oak St', city: 'Austin', state: 'TX', zip: '78701', phones: [{ e164: '+15125550101', type: 'mobile' }], tags: ['hot'], consent: 'express_written', attributes: { beds: '3', source: 'open house' } },
	{ firstName: 'James', lastName: 'Whitfield', street: '400 Pine Ave', city: 'Dallas', state: 'TX', zip: '75201', phones: [{ e164: '+12145550102', type: 'landline' }], tags: ['hot', 'cash'] },
	{ firstName: 'Aisha', lastName: 'Khan', street: '9 Harbor Rd', city: 'Miami', state: 'FL', zip: '33101', phones: [{ e164: '+13055550103', type: 'mobile' }, { e164: '+13055550113' }], attributes: { beds: '2' } },
	{ firstName: 'Tom', lastName: 'Oakley', street: '77 Elm Dr', city: 'Tampa', state: 'FL', zip: '33602', phones: [{ e164: '+18135550104', type: 'mobile' }], consent: 'existing_relationship', tags: ['called'] },
	{ firstName: 'Grace', lastName: 'Liu', street: '5 Cedar Ln', city: 'Denver', state: 'CO', zip: '80202', phones: [{ e164: '+13035550105', type: 'voip' }] }
];
