import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../../server/bootstrap';
import { config } from '../../server/config';
import { database } from '../../server/db';
import { DEFAULT_OPT_OUT_POLICY } from '../../server/campaigns/templates/opt-out';
import { messagingSettings } from '../../server/messaging/settings';
import { activeSenderNumbers, listSenderNumbers } from '../../server/numbers/service';
import { refusal, seedMember } from '../support/access';
import { seedUser } from '../support/identity';

/** The sender-number inventory and the messaging settings over tRPC: CRUD, CSV import, who may. */

let owner: Awaited<ReturnType<typeof seedUser>>;
let workspaceId: string;

beforeAll(async () => {
	await bootstrap(config());
	owner = await seedUser('numbers-api');
	workspaceId = owner.workspace!.id;
});

const sf = { e164: '+14155550100', providerAccount: 'twilio-main', brandId: 'BACME01', campaignId: 'CACME01', areaCode: '415', state: 'CA' };

describe('sender numbers over tRPC', () => {
	it('adds, lists, searches, edits, pauses and deletes numbers, counting by status and brand', async () => {
		const api = owner.client.caller.numbers;
		const a = await api.create({ workspaceId, number: sf });
		expect(a).toMatchObject({ ...sf, status: 'active', dailyCap: null });
		const b = await api.create({ workspaceId, number: { ...sf, e164: '+12125550100', areaCode: '212', state: 'NY', brandId: 'BOTHER1', dailyCap: 500 } });

		const all = await api.list({ workspaceId });
		expect(all.numbers.map((n) => n.e164)).toEqual(['+12125550100', '+14155550100']);
		expect(all.byStatus).toEqual({ active: 2, paused: 0, blocked: 0 });
		expect(all.byBrand).toEqual([
			{ brandId: 'BACME01', total: 1, active: 1 },
			{ brandId: 'BOTHER1', total: 1, active: 1 }
		]);
		expect((await api.list({ workspaceId, q: '(415) 555' })).numbers.map((n) => n.id)).toEqual([a.id]);
		expect((await api.list({ workspaceId, q: 'other' })).numbers.map((n) => n.id)).toEqual([b.id]);
		expect((await api.list({ workspaceId, state: 'ny' })).numbers.map((n) => n.id)).toEqual([b.id]);
		expect((await api.list({ workspaceId, brandId: 'BACME01' })).matching).toBe(1);

		// A partial edit keeps the other fields (a cap change does not reactivate or reset anything).
		await api.setStatus({ workspaceId, ids: [b.id], status: 'paused' });
		expect(await api.update({ workspaceId, id: b.id, patch: { dailyCap: 250 } })).toMatchObject({ status: 'paused', dailyCap: 250, brandId: 'BOTHER1' });
		expect(await api.update({ workspaceId, id: b.id, patch: { dailyCap: null } })).toMatchObject({ dailyCap: null });
		expect((await api.list({ workspaceId, status: 'paused' })).numbers.map((n) => n.id)).toEqual([b.id]);
		expect((await activeSenderNumbers(database().db, workspaceId)).map((n) => n.id)).toEqual([a.id]);

		// The merged whole is checked: a new number with the old area code is refused, by field.
		const mismatch = await refusal(api.update({ workspaceId, id: a.id, patch: { e164: '+13105550100' } }));
		expect(mismatch).toEqual({ code: 'BAD_REQUEST', message: 'area code 415 does not match +13105550100' });
		expect((await refusal(api.update({ workspaceId, id: a.id, patch: { status: 'gone' as 'active' } }))).code).toBe('BAD_REQUEST');

		expect(await api.setStatus({ workspaceId, ids: [a.id, b.id], status: 'blocked' })).toEqual({ changed: 2 });
		expect((await api.list({ workspaceId })).byStatus).toEqual({ active: 0, paused: 0, blocked: 2 });
		expect(await api.delete({ workspaceId, ids: [a.id, b.id] })).toEqual({ deleted: 2 });
		expect((await refusal(api.delete({ workspaceId, ids: [a.id] }))).code).toBe('NOT_FOUND');
		expect(await listSenderNumbers(database().db, workspaceId)).toEqual([]);
	});

	it('takes a number as people type it, with area code and state from the number', async () => {
		const api = owner.client.caller.numbers;
		const typed = await api.create({ workspaceId, number: { e164: '(512) 555-0170', providerAccount: 'AC1', brandId: 'BACME01', campaignId: 'CACME01', status: 'paused', dailyCap: 300 } });
		expect(typed).toMatchObject({ e164: '+15125550170', areaCode: '512', state: 'TX', status: 'paused', dailyCap: 300 });
		const bad = await refusal(api.create({ workspaceId, number: { e164: '512', providerAccount: '', brandId: 'B 1', campaignId: 'C1' } }));
		expect(bad.code).toBe('BAD_REQUEST');
		expect(bad.message).toMatch(/expected a US number in E\.164.*provider account is required.*10DLC brand id may hold only letters/);
		await api.delete({ workspaceId, ids: [typed.id] });
	});

	it('refuses a number already in the inventory, by create and by update, with a clear message', async () => {
		const api = owner.client.caller.numbers;
		await api.create({ workspaceId, number: { ...sf, e164: '+14155550101' } });
		const other = await api.create({ workspaceId, number: { ...sf, e164: '+14155550102' } });
		const dup = await refusal(api.create({ workspaceId, number: { ...sf, e164: '+14155550101' } }));
		expect(dup).toEqual({ code: 'CONFLICT', message: "+14155550101 is already in this workspace's inventory. Edit that number instead of adding it again." });
		expect((await refusal(api.update({ workspaceId, id: other.id, patch: { e164: '+14155550101' } }))).code).toBe('CONFLICT');
		// Another workspace may hold the same number (each workspace has its own inventory).
		const elsewhere = await seedUser('numbers-elsewhere');
		await expect(elsewhere.client.caller.numbers.create({ workspaceId: elsewhere.workspace!.id, number: { ...sf, e164: '+14155550101' } })).resolves.toMatchObject({ e164: '+14155550101' });
		await api.delete({ workspaceId, ids: (await api.list({ workspaceId })).numbers.map((n) => n.id) });
	});

	it('imports a CSV with good and bad rows: keeps the good, reports the bad by row and field, upserts by number', async () => {
		const api = owner.client.caller.numbers;
		const csv = [
			'Phone Number,Account SID,Brand,Campaign,State,Status,Daily Cap',
			'(212) 555-0140,AC1,BACME01,CACME01,,active,1000',
			'212-555-0141,AC1,BACME01,CACME01,NY,paused,',
			'555-0142,AC1,BACME01,CACME01,,,',
			'+13105550143,AC1,BACME01,CACME01,NY,,',
			'+13105550144,AC1,BACME01,CACME01,,sleeping,lots',
			'(212) 555-0140,AC2,BACME01,CACME01,,,'
		].join('\n');

		const preview = await api.previewCsv({ workspaceId, text: csv });
		expect(preview.columns.map((c) => c.field)).toEqual(['e164', 'providerAccount', 'brandId', 'campaignId', 'state', 'status', 'dailyCap']);
		expect(preview).toMatchObject({ valid: 2, rejected: 4 });
		expect(await listSenderNumbers(database().db, workspaceId)).toEqual([]);

		const first = await api.importCsv({ workspaceId, text: csv });
		expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, rejected: 4 });
		expect(first.errors).toEqual([
			{ row: 4, field: 'e164', message: '"555-0142" is not a US phone number' },
			{ row: 5, field: 'state', message: 'area code 310 is in CA, not NY' },
			{ row: 6, field: 'dailyCap', message: 'daily cap "lots" is not a whole number' },
			{ row: 6, field: 'status', message: 'status must be one of active, paused, blocked (got "sleeping")' },
			{ row: 7, field: 'e164', message: '+12125550140 is already on row 2' }
		]);
		const stored = await listSenderNumbers(database().db, workspaceId);
		expect(stored.map((n) => [n.e164, n.state, n.status, n.dailyCap])).toEqual([
			['+12125550140', 'NY', 'active', 1000],
			['+12125550141', 'NY', 'paused', null]
		]);

		// Again with one change and one new number: updated, unchanged and created are told apart.
		const again = ['e164,provider_account,brand_id,campaign_id,daily_cap', '+12125550140,AC1,BACME01,CACME01,1000', '+12125550141,AC9,BACME01,CACME01,', '+12125550145,AC1,BACME01,CACME01,'].join('\n');
		expect(await api.importCsv({ workspaceId, text: again })).toEqual({ created: 1, updated: 1, unchanged: 1, rejected: 0, errors: [] });
		const after = await listSenderNumbers(database().db, workspaceId);
		// A file without a status column leaves the paused number paused; the new one is active.
		expect(after.find((n) => n.e164 === '+12125550141')).toMatchObject({ providerAccount: 'AC9', status: 'paused' });
		expect(after.find((n) => n.e164 === '+12125550145')).toMatchObject({ status: 'active', dailyCap: null });
		expect(after).toHaveLength(3);
	});

	it('changes a known number only in the columns the file has a value for (status, cap, state kept otherwise)', async () => {
		const api = owner.client.caller.numbers;
		const paused = await api.create({ workspaceId, number: { ...sf, e164: '+14155550190', status: 'paused', dailyCap: 250 } });
		const blocked = await api.create({ workspaceId, number: { ...sf, e164: '+14155550191', status: 'blocked' } });
		const statusOf = async () => (await listSenderNumbers(database().db, workspaceId)).filter((n) => n.id === paused.id || n.id === blocked.id).map((n) => [n.e164, n.providerAccount, n.status, n.dailyCap]);

		const noStatus = ['e164,provider_account,brand_id,campaign_id', '+14155550190,AC7,BACME01,CACME01', '+14155550191,AC7,BACME01,CACME01'].join('\n');
		expect(await api.importCsv({ workspaceId, text: noStatus })).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
		expect(await statusOf()).toEqual([
			['+14155550190', 'AC7', 'paused', 250],
			['+14155550191', 'AC7', 'blocked', null]
		]);
		// Blank cells in present columns are no value either; the same file again changes nothing.
		const blanks = ['e164,provider_account,brand_id,campaign_id,status,daily_cap', '+14155550190,AC7,BACME01,CACME01,,', '+14155550191,AC7,BACME01,CACME01,,'].join('\n');
		expect(await api.importCsv({ workspaceId, text: blanks })).toMatchObject({ updated: 0, unchanged: 2 });
		// A value present changes it.
		const reactivate = ['e164,provider_account,brand_id,campaign_id,status,daily_cap', '+14155550190,AC7,BACME01,CACME01,active,', '+14155550191,AC7,BACME01,CACME01,,900'].join('\n');
		expect(await api.importCsv({ workspaceId, text: reactivate })).toMatchObject({ updated: 2 });
		expect(await statusOf()).toEqual([
			['+14155550190', 'AC7', 'active', 250],
			['+14155550191', 'AC7', 'blocked', 900]
		]);
	});

	it('refuses a file it cannot read, or one too large, as bad input', async () => {
		const api = owner.client.caller.numbers;
		const noColumns = await refusal(api.importCsv({ workspaceId, text: 'name,city\nAnn,Austin' }));
		expect(noColumns.code).toBe('BAD_REQUEST');
		expect(noColumns.message).toMatch(/no column for phone number, provider account, 10DLC brand id, 10DLC campaign id/);
		const huge = await refusal(api.importCsv({ workspaceId, text: 'x'.repeat(900_001) }));
		expect(huge.code).toBe('BAD_REQUEST');
		expect(huge.message).toMatch(/larger than 900 KB/);
	});

	it('lets any member read, only admins and the owner edit, and refuses non-members everything', async () => {
		const viewer = await seedMember(workspaceId, 'numbers-viewer', 'viewer');
		const operator = await seedMember(workspaceId, 'numbers-operator', 'operator');
		const admin = await seedMember(workspaceId, 'numbers-admin', 'admin');
		const stranger = await seedUser('numbers-stranger');
		const someone = (await owner.client.caller.numbers.list({ workspaceId })).numbers[0]!;

		expect((await viewer.client.caller.numbers.list({ workspaceId })).numbers.length).toBeGreaterThan(0);
		for (const member of [viewer, operator]) {
			const api = member.client.caller.numbers;
			const attempts = [
				() => api.create({ workspaceId, number: { ...sf, e164: '+14155550199' } }),
				() => api.update({ workspaceId, id: someone.id, patch: { dailyCap: 1 } }),
				() => api.setStatus({ workspaceId, ids: [someone.id], status: 'paused' }),
				() => api.delete({ workspaceId, ids: [someone.id] }),
				() => api.importCsv({ workspaceId, text: 'e164,provider_account,brand_id,campaign_id\n+14155550199,A,B,C' })
			];
			for (const attempt of attempts) {
				expect(await refusal(attempt())).toEqual({ code: 'FORBIDDEN', message: `Your role (${member === viewer ? 'viewer' : 'operator'}) does not allow this.` });
			}
		}
		await expect(admin.client.caller.numbers.update({ workspaceId, id: someone.id, patch: { dailyCap: 7 } })).resolves.toMatchObject({ dailyCap: 7 });

		const api = stranger.client.caller.numbers;
		for (const attempt of [() => api.list({ workspaceId }), () => api.create({ workspaceId, number: sf }), () => api.delete({ workspaceId, ids: [someone.id] }), () => api.previewCsv({ workspaceId, text: 'a' })]) {
			expect(await refusal(attempt())).toEqual({ code: 'FORBIDDEN', message: 'You are not a member of this workspace.' });
		}
		// Ids of another workspace's numbers do nothing in the stranger's own workspace.
		expect((await refusal(api.delete({ workspaceId: stranger.workspace!.id, ids: [someone.id] }))).code).toBe('NOT_FOUND');
		expect((await listSenderNumbers(database().db, workspaceId)).some((n) => n.id === someone.id)).toBe(true);
	});
});

describe('messaging settings over tRPC', () => {
	it('gives the defaults until saved, then what was saved; refuses bad policies with field errors', async () => {
		const fresh = await seedUser('messaging-settings');
		const id = fresh.workspace!.id;
		const api = fresh.client.caller.messaging;
		expect(await api.settings({ workspaceId: id })).toEqual({ optOutPolicy: DEFAULT_OPT_OUT_POLICY, requireConsent: true, senderName: null, companyName: null, updatedAt: null });

		const saved = await api.updateSettings({
			workspaceId: id,
			optOutPolicy: { appliesTo: 'every_send', phrases: ['Reply STOP to end'], patterns: [] },
			requireConsent: false,
			senderName: '  Sam  ',
			companyName: ''
		});
		expect(saved).toMatchObject({ optOutPolicy: { appliesTo: 'every_send', phrases: ['Reply STOP to end'], patterns: [] }, requireConsent: false, senderName: 'Sam', companyName: null });
		expect(saved.updatedAt).toBeInstanceOf(Date);
		expect(await messagingSettings(database().db, id)).toEqual(saved);

		const empty = await refusal(api.updateSettings({ workspaceId: id, optOutPolicy: { appliesTo: 'first_send', phrases: [], patterns: [] }, requireConsent: true }));
		expect(empty.code).toBe('BAD_REQUEST');
		expect(empty.message).toMatch(/Give at least one phrase or pattern/);
		const regex = await refusal(api.updateSettings({ workspaceId: id, optOutPolicy: { appliesTo: 'first_send', phrases: [], patterns: ['(stop'] }, requireConsent: true }));
		expect(regex.message).toMatch(/Not a valid regular expression/);
		// Turning the policy off is allowed without phrases.
		await expect(api.updateSettings({ workspaceId: id, optOutPolicy: { appliesTo: 'none', phrases: [], patterns: [] }, requireConsent: true })).resolves.toMatchObject({ optOutPolicy: { appliesTo: 'none' } });
	});

	it('lets members read, admins and the owner change, and refuses non-members', async () => {
		const body = { workspaceId, optOutPolicy: DEFAULT_OPT_OUT_POLICY, requireConsent: true, senderName: 'Team', companyName: 'Acme Homes' };
		const operator = await seedMember(workspaceId, 'messaging-operator', 'operator');
		const admin = await seedMember(workspaceId, 'messaging-admin', 'admin');
		const stranger = await seedUser('messaging-stranger');
		expect((await operator.client.caller.messaging.settings({ workspaceId })).requireConsent).toBe(true);
		expect(await refusal(operator.client.caller.messaging.updateSettings(body))).toEqual({ code: 'FORBIDDEN', message: 'Your role (operator) does not allow this.' });
		await expect(admin.client.caller.messaging.updateSettings(body)).resolves.toMatchObject({ companyName: 'Acme Homes' });
		expect((await refusal(stranger.client.caller.messaging.settings({ workspaceId }))).code).toBe('FORBIDDEN');
		expect((await refusal(stranger.client.caller.messaging.updateSettings(body))).code).toBe('FORBIDDEN');
	});
});

describe('audit (the inventory and the settings are 10DLC and compliance configuration)', () => {
	it('records who added, edited, paused, deleted and imported numbers, and who changed the messaging settings', async () => {
		const person = await seedUser('numbers-audit');
		const ws = person.workspace!.id;
		const api = person.client.caller.numbers;
		const n = await api.create({ workspaceId: ws, number: { ...sf, e164: '+13125550100', areaCode: '312', state: 'IL' } });
		await api.update({ workspaceId: ws, id: n.id, patch: { dailyCap: 250 } });
		await api.setStatus({ workspaceId: ws, ids: [n.id], status: 'paused' });
		await api.importCsv({ workspaceId: ws, text: 'number,provider account,brand,campaign\n+16025550100,twilio-main,BACME01,CACME01\nnot a number,x,y,z\n' });
		await api.delete({ workspaceId: ws, ids: [n.id] });
		await person.client.caller.messaging.updateSettings({ workspaceId: ws, optOutPolicy: DEFAULT_OPT_OUT_POLICY, requireConsent: false, senderName: 'Sam', companyName: null });

		const { entries } = await person.client.caller.workspaces.audit({ workspaceId: ws });
		const rows = entries.filter((e) => e.action.startsWith('numbers.') || e.action.startsWith('messaging.'));
		expect(rows.map((e) => e.action).sort()).toEqual(['messaging.settings_changed', 'numbers.added', 'numbers.deleted', 'numbers.imported', 'numbers.status_changed', 'numbers.updated']);
		expect(rows.every((e) => e.actorId === person.user.id && e.actorLabel === person.email)).toBe(true);
		expect(rows.find((e) => e.action === 'numbers.updated')?.data).toMatchObject({ e164: '+13125550100', changed: { dailyCap: 250 } });
		expect(rows.find((e) => e.action === 'numbers.imported')?.data).toMatchObject({ created: 1, rejected: 1 });
		expect(rows.find((e) => e.action === 'messaging.settings_changed')?.data).toMatchObject({ requireConsent: false, senderName: 'Sam' });
	});
});
