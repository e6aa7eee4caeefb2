import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { refusal, seedMember } from '../support/access';
import { seedUser } from '../support/identity';
import { seedLeads } from '../support/leads';

/** The do-not-contact registry: add, upload, search, flags on leads, admin-only audited removal. */

let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;
let leadIds: string[];

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('dnc-owner');
	workspaceId = owner.workspace?.id ?? '';
	leadIds = (await seedLeads(database().db, workspaceId, [{ firstName: 'Rosa', lastName: 'Park', phones: [{ e164: '+16175550142', type: 'mobile' }] }])).ids;
});

describe('do-not-contact registry', () => {
	it('an operator adds a number in any format; it is stored in E.164 with who and why, once', async () => {
		const operator = await seedMember(workspaceId, 'dnc-operator', 'operator');
		expect(await operator.client.caller.dnc.add({ workspaceId, phone: '(617) 555-0142', reason: 'Asked by phone' })).toEqual({ e164: '+16175550142', added: true });
		expect(await operator.client.caller.dnc.add({ workspaceId, phone: '+1 617 555 0142', reason: 'again' })).toEqual({ e164: '+16175550142', added: false });
		const { entries } = await owner.client.caller.dnc.list({ workspaceId });
		expect(entries).toEqual([
			expect.objectContaining({ e164: '+16175550142', reason: 'Asked by phone', source: 'manual', addedBy: { id: operator.user.id, name: 'dnc-operator' }, lead: { id: leadIds[0], fullName: 'Rosa Park' } })
		]);
		const lead = await owner.client.caller.leads.get({ workspaceId, leadId: leadIds[0] ?? '' });
		expect(lead).toMatchObject({ dnc: true, phones: [{ e164: '+16175550142', dnc: true, dncReason: 'Asked by phone' }] });
	});

	it('refuses an invalid number with a clear message', async () => {
		const refused = await refusal(owner.client.caller.dnc.add({ workspaceId, phone: '555-12', reason: '' }));
		expect(refused).toEqual({ code: 'BAD_REQUEST', message: '"555-12" is not a valid phone number. Enter a full number with area code, e.g. (415) 555-0134 or +44 20 7946 0958.' });
	});

	it('takes a CSV of phones and reports added, duplicates and invalid rows', async () => {
		const text = ['Phone,Reason', '(212) 555-0187,litigator', '212.555.0187,repeat', 'not a phone,', '+44 20 7946 0958,', '(617) 555-0142,already listed', ''].join('\r\n');
		const summary = await owner.client.caller.dnc.upload({ workspaceId, fileName: 'stop-list.csv', text, reason: 'From the stop list' });
		expect(summary).toEqual({ added: 2, duplicates: 2, invalid: [{ row: 4, value: 'not a phone' }], invalidCount: 1 });
		const { entries } = await owner.client.caller.dnc.list({ workspaceId, q: '212 555' });
		expect(entries).toEqual([expect.objectContaining({ e164: '+12125550187', reason: 'litigator', source: 'upload: stop-list.csv' })]);
		// A bare list without a header works too.
		expect(await owner.client.caller.dnc.upload({ workspaceId, fileName: 'bare.txt', text: '3125550100\n3125550101\n', reason: '' })).toMatchObject({ added: 2, duplicates: 0, invalidCount: 0 });
		expect((await refusal(owner.client.caller.dnc.upload({ workspaceId, fileName: 'empty.csv', text: '\n\n', reason: '' }))).message).toMatch(/empty/);
	});

	it('searches by full or partial number and pages newest first', async () => {
		expect((await owner.client.caller.dnc.list({ workspaceId, q: '+1 312-555-0100' })).entries.map((e) => e.e164)).toEqual(['+13125550100']);
		expect((await owner.client.caller.dnc.list({ workspaceId, q: '312555' })).entries).toHaveLength(2);
		expect((await refusal(owner.client.caller.dnc.list({ workspaceId, q: 'rosa' }))).message).toMatch(/by phone number/);
	});

	it('only admins remove, and removal is audited', async () => {
		const operator = await seedMember(workspaceId, 'dnc-op2', 'operator');
		expect((await refusal(operator.client.caller.dnc.remove({ workspaceId, phone: '+16175550142' }))).message).toBe('Your role (operator) does not allow this.');
		const admin = await seedMember(workspaceId, 'dnc-admin', 'admin');
		await admin.client.caller.dnc.remove({ workspaceId, phone: '(617) 555-0142' });
		expect((await owner.client.caller.leads.get({ workspaceId, leadId: leadIds[0] ?? '' })).dnc).toBe(false);
		const [entry] = await database().db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, 'dnc.removed')));
		expect(entry).toMatchObject({ actorId: admin.user.id, targetId: '+16175550142', data: { reason: 'Asked by phone', source: 'manual' } });
		expect((await refusal(admin.client.caller.dnc.remove({ workspaceId, phone: '(617) 555-0142' }))).code).toBe('NOT_FOUND');
	});

	it('a viewer reads the list but cannot add; a non-member is refused', async () => {
		const viewer = await seedMember(workspaceId, 'dnc-viewer', 'viewer');
		expect((await viewer.client.caller.dnc.list({ workspaceId })).entries.length).toBeGreaterThan(0);
		expect((await refusal(viewer.client.caller.dnc.add({ workspaceId, phone: '4155550100', reason: '' }))).code).toBe('FORBIDDEN');
		expect((await refusal(viewer.client.caller.dnc.upload({ workspaceId, fileName: 'x.csv', text: '4155550100', reason: '' }))).code).toBe('FORBIDDEN');
		const outsider = await seedUser('dnc-outsider');
		expect((await refusal(outsider.client.caller.dnc.list({ workspaceId }))).message).toBe('You are not a member of this workspace.');
	});
});
