import type { DryRunInput } from '../../server/dryrun/input';
import { dncEntries } from '../../db/schema/index';
import { database } from '../../server/db';
import { seedUser } from '../support/identity';
import { seedLeads, type SeedLead } from '../support/leads';

/**
 * Crafted leads for the dry-run tests, one per reason. The crusade runs 13:00–18:00 UTC on
 * Tuesday 1 December 2026, windows 09:00–17:00 local every day: New York (09:00 EST = 14:00 UTC)
 * fits, Honolulu (09:00 HST = 19:00 UTC) does not; the brand BCAP (Florida's sender) may send
 * one message a day, to two Florida leads.
 */
export const PEOPLE: SeedLead[] = [
	{ firstName: 'Ann', lastName: 'Sender', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550111', type: 'mobile' }] },
	{ firstName: 'Dan', lastName: 'Listed', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550112', type: 'mobile' }] },
	{ firstName: 'Nora', lastName: 'Noconsent', state: 'NY', zip: '10001', consent: 'none', phones: [{ e164: '+12125550113', type: 'mobile' }] },
	{ firstName: 'Larry', lastName: 'Landline', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12125550114', type: 'landline' }] },
	{ firstName: 'Ivan', lastName: 'Invalid', state: 'NY', zip: '10001', consent: 'express_written', phones: [{ e164: '+12120550115', type: 'mobile' }] },
	{ firstName: 'Hana', lastName: 'Island', state: 'HI', zip: '96813', consent: 'express_written', phones: [{ e164: '+18085550116', type: 'mobile' }] },
	{ firstName: 'Flo', lastName: 'Capped', state: 'FL', zip: '33101', consent: 'express_written', phones: [{ e164: '+13055550117', type: 'mobile' }] },
	{ firstName: 'Fay', lastName: 'Capped', state: 'FL', zip: '33101', consent: 'express_written', phones: [{ e164: '+13055550118', type: 'mobile' }] },
	{ firstName: 'Mo', lastName: 'Many', state: 'NY', zip: '10001', consent: 'none', phones: [{ e164: '+12125550119', type: 'landline' }] },
	{ firstName: 'Pat', lastName: 'Nophone', state: 'NY', zip: '10001', consent: 'express_written' }
];

export function crusadeInput(overrides: Partial<DryRunInput> = {}): DryRunInput {
	const day = { start: '09:00', end: '17:00' };
	return {
		source: 'test',
		schedule: {
			startsAt: '2026-12-01T13:00:00Z',
			endsAt: '2026-12-01T18:00:00Z',
			windows: { sun: [day], mon: [day], tue: [day], wed: [day], thu: [day], fri: [day], sat: [day] }
		},
		budgets: { brandDailyCaps: { BCAP: 1 }, jitterSeconds: 30 },
		vertical: 'real_estate',
		campaigns: [
			{
				id: 'c1',
				name: 'Sellers',
				audience: {},
				firstStep: { id: 'step-1', type: 'send_message', config: { body: '{Hi|Hello} {{first_name|there}}, is your place still for sale? Reply STOP to opt out.' } }
			}
		],
		senders: [
			{ id: 's-ny', e164: '+12125550100', providerAccount: 'acct', brandId: 'B1', campaignId: 'C1', areaCode: '212', state: 'NY' },
			{ id: 's-fl', e164: '+13055550100', providerAccount: 'acct', brandId: 'BCAP', campaignId: 'C2', areaCode: '305', state: 'FL' }
		],
		seed: 'version-hash-1',
		now: '2026-11-30T12:00:00Z',
		...overrides
	};
}

export async function seedDryRunWorkspace(label: string) {
	const owner = await seedUser(label);
	const workspaceId = owner.workspace?.id ?? '';
	const { ids } = await seedLeads(database().db, workspaceId, PEOPLE);
	await database()
		.db.insert(dncEntries)
		.values([
			{ workspaceId, e164: '+12125550112', reason: 'asked', source: 'manual' },
			{ workspaceId, e164: '+12125550119', reason: 'asked', source: 'manual' }
		]);
	const byName = new Map(PEOPLE.map((p, i) => [p.firstName, ids[i]!]));
	return { owner, workspaceId, byName };
}

