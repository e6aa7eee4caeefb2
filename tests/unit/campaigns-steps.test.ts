import { describe, expect, it, vi } from 'vitest';
import { InvalidStepError, UnknownStepTypeError } from '../../server/campaigns/errors';
import type { CampaignLead } from '../../server/campaigns/lead';
import { routeReply } from '../../server/campaigns/steps/branch-on-reply';
import type { FieldManifest } from '../../server/campaigns/steps/define';
import {
	compileStep,
	getStepType,
	outputsOf,
	resolveStep,
	stepTypes,
	validateStep,
	type ResolveContext,
	type StepAction,
	type StepTypeName
} from '../../server/campaigns/steps/registry';
import { BadInputError } from '../../server/errors';

const MEMBER = '0b7e4a52-6f1c-4a8e-9d2b-3c4d5e6f7a8b';
const NOW = new Date('2025-03-07T15:00:00Z');
const lead: CampaignLead = { id: 'lead-1', firstName: 'MARIA', street: '12 OAK AVE', phone: '+15125550100', tags: ['warm'] };
const ctx = (over: Partial<ResolveContext> = {}): Omit<ResolveContext, 'stepId'> => ({
	now: NOW,
	channel: 'sms',
	sender: { senderName: 'Sam', companyName: 'Acme Homes' },
	nextWindowStart: ({ from }) => new Date(from.getTime() + 3_600_000),
	...over
});

/** A valid config per type: a Record over every name, so a new type without one fails to compile. */
const validConfigs: Record<StepTypeName, Record<string, unknown>> = {
	start: {},
	send_message: { body: '{Hi|Hello} {{first_name|there}}, still own {{property_address|the house}}? Reply STOP to opt out' },
	wait: { mode: 'duration', minutes: 90 },
	branch_on_reply: { branches: [{ id: 'yes', label: 'Interested', keywords: ['yes', 'interested'] }], noReplyAfterMinutes: 2880 },
	tag_lead: { action: 'add', tags: ['replied', 'warm'] },
	add_to_dnc: { reason: 'Asked to stop' },
	notify_teammate: { memberId: MEMBER, message: '{{full_name|A lead}} at {{property_address|?}} is interested' },
	stop: {}
};

function fieldPaths(fields: readonly FieldManifest[]): string[] {
	return fields.map((field) => field.name);
}

describe('the step registry', () => {
	it('lists the seven step types of a campaign and its start, each once', () => {
		expect(stepTypes.map((step) => step.type)).toEqual(['start', 'send_message', 'wait', 'branch_on_reply', 'tag_lead', 'add_to_dnc', 'notify_teammate', 'stop']);
	});

	describe.each(stepTypes.map((step) => [step.type, step] as const))('%s', (type, step) => {
		it('has a schema, a resolver and a manifest that agree', () => {
			expect(step.manifest.type).toBe(type);
			expect(step.manifest.label).not.toBe('');
			expect(step.manifest.description).not.toBe('');
			expect(typeof step.schema.safeParse).toBe('function');
			expect(typeof step.resolve).toBe('function');
			const kinds = ['text', 'textarea', 'number', 'duration', 'select', 'keywords', 'member', 'time', 'media', 'list'];
			for (const field of step.manifest.fields) {
				expect(kinds, field.name).toContain(field.kind);
				expect(field.label, field.name).not.toBe('');
			}
		});

		it('validates its sample config and resolves it to an action for a lead', () => {
			const config = validConfigs[type];
			expect(validateStep({ type, config }, { channel: 'sms', memberIds: [MEMBER] })).toEqual([]);
			const action: StepAction = resolveStep({ id: `node-${type}`, type, config }, lead, ctx());
			expect(Array.isArray(action.problems)).toBe(true);
			expect(action.problems).toEqual([]);
		});

		it('starts new nodes from defaults that are valid, or invalid only in fields the form shows', () => {
			const defaults = step.defaults();
			expect(defaults).not.toBe(step.defaults()); // a fresh object each time
			const paths = fieldPaths(step.manifest.fields);
			for (const issue of validateStep({ type, config: defaults })) expect(paths, issue.field).toContain(issue.field);
		});

		it('validates any junk a document may hold without throwing', () => {
			for (const junk of [null, undefined, [], 'x', 42, { branches: [{ id: 5, keywords: 'x' }] }, { body: 7, media: 'x' }, { mode: 'window', window: null }]) {
				expect(() => validateStep({ type, config: junk }), JSON.stringify(junk)).not.toThrow();
			}
		});

		it('draws its outputs from any config, even a broken one', () => {
			expect(Array.isArray(step.outputs(null))).toBe(true);
			expect(Array.isArray(step.outputs({ branches: 'nonsense' }))).toBe(true);
		});
	});

	it('refuses unknown types with a named error', () => {
		expect(() => getStepType('send_fax')).toThrow(UnknownStepTypeError);
		expect(() => getStepType('send_fax')).toThrow(BadInputError);
		expect(() => resolveStep({ id: 'n', type: 'send_fax' }, lead, ctx())).toThrow(/Unknown step type "send_fax"/);
		expect(() => compileStep({ id: 'n', type: 'send_fax' })).toThrow(UnknownStepTypeError);
		expect(validateStep({ type: 'send_fax', config: {} })).toEqual([{ field: 'type', code: 'unknown_type', severity: 'error', message: expect.stringMatching(/send_fax/) }]);
		expect(outputsOf({ type: 'send_fax' })).toEqual([]);
	});

	it('refuses to resolve an invalid step, with the same issues the canvas shows', () => {
		const step = { id: 'n1', type: 'send_message', config: { body: 'Hi {there' } };
		expect(() => resolveStep(step, lead, ctx())).toThrow(InvalidStepError);
		try {
			resolveStep(step, lead, ctx());
		} catch (error) {
			expect((error as InvalidStepError).issues).toEqual(validateStep(step));
		}
	});
});

describe('send message', () => {
	const send = (config: Record<string, unknown>, over: Partial<ResolveContext> = {}, who: CampaignLead = lead) => resolveStep({ id: 'send-1', type: 'send_message', config }, who, ctx(over));

	it('renders the message with its variant and segment count', () => {
		const action = send(validConfigs.send_message);
		expect(action).toMatchObject({ kind: 'send', variant: expect.stringMatching(/^[01]$/), media: [], problems: [] });
		if (action.kind !== 'send') throw new Error('expected a send');
		expect(action.body).toMatch(/^(Hi|Hello) Maria, still own 12 Oak Ave\? Reply STOP to opt out$/);
		expect(action.segments).toMatchObject({ encoding: 'GSM-7', segments: 1 });
		expect(send(validConfigs.send_message)).toEqual(action);
	});

	it('compiles once for many leads, giving the same result as resolving each', () => {
		const compiled = compileStep({ id: 'send-1', type: 'send_message', config: validConfigs.send_message }, { channel: 'sms' });
		if (!compiled.ok) throw new Error('expected a valid step');
		const other = { id: 'lead-2', fullName: 'JO ANN SMITH' };
		expect(compiled.resolve(other, { ...ctx(), stepId: 'send-1' })).toEqual(send(validConfigs.send_message, {}, other));
	});

	it('reports a lead whose message would exceed the segment limit, or lacks a value', () => {
		const config = { body: `{{first_name}} ${'a'.repeat(140)} Reply STOP to opt out`, maxSegments: 1 };
		expect(validateStep({ type: 'send_message', config }).map((issue) => issue.code)).toEqual(['too_many_segments']);
		const longName = send({ ...config, maxSegments: 2 }, {}, { id: 'l', firstName: 'Bartholomew-Maximilian' });
		expect(longName.problems).toEqual([]);
		const missing = send({ ...config, maxSegments: 2 }, {}, { id: 'l' });
		expect(missing.problems.map((problem) => problem.code)).toEqual(['missing_value']);
		const tight = send({ body: `{{first_name|x}}${'a'.repeat(150)}`, maxSegments: 2 }, {}, { id: 'l', firstName: 'Bartholomew' });
		expect(tight.problems).toEqual([]);
		const over = send({ body: `{{first_name|x}}${'a'.repeat(150)}`, maxSegments: 2 }, {}, { id: 'l', firstName: 'B'.repeat(160) });
		expect(over.problems.map((problem) => problem.code)).toEqual(['too_many_segments']);
	});

	it('addresses template errors to the body with their span', () => {
		expect(validateStep({ type: 'send_message', config: { body: 'Hi {{frist_name}}' } })).toEqual([
			{ field: 'body', code: 'unknown_merge_field', severity: 'error', start: 3, end: 17, message: expect.stringMatching(/first_name/) }
		]);
		expect(validateStep({ type: 'send_message', config: { body: '   ' } })).toMatchObject([{ field: 'body', message: 'Write the message.' }]);
	});

	it('takes media only on MMS campaigns, within the limits, and ignores segment limits there', () => {
		const media = [{ assetId: 'a', name: 'clip.mp4', contentType: 'video/mp4', bytes: 10 }];
		const config = { body: `${'a'.repeat(500)} Reply STOP to opt out`, media, maxSegments: 1 };
		expect(validateStep({ type: 'send_message', config }, { channel: 'sms' }).map((issue) => [issue.field, issue.code])).toEqual([
			['body', 'too_many_segments'],
			['media', 'media_on_sms'],
			['media.0', 'type']
		]);
		expect(validateStep({ type: 'send_message', config }, { channel: 'mms' }).map((issue) => [issue.field, issue.code])).toEqual([['media.0', 'type']]);
		const jpeg = [{ assetId: 'a', name: 'house.jpg', contentType: 'image/jpeg', bytes: 100_000 }];
		const action = send({ ...config, media: jpeg }, { channel: 'mms' });
		expect(action).toMatchObject({ kind: 'send', media: jpeg, problems: [] });
	});
});

describe('wait', () => {
	it('waits a duration from now', () => {
		expect(resolveStep({ id: 'w', type: 'wait', config: { mode: 'duration', minutes: 90 } }, lead, ctx())).toEqual({ kind: 'wait', until: new Date('2025-03-07T16:30:00Z'), problems: [] });
	});

	it('asks the context for the next window opening in the lead’s time zone', () => {
		const window = { days: ['mon', 'tue'], start: '09:00', end: '12:00' };
		const next = vi.fn(() => new Date('2025-03-10T14:00:00Z'));
		const action = resolveStep({ id: 'w', type: 'wait', config: { mode: 'window', window, minutes: 60 } }, lead, ctx({ nextWindowStart: next }));
		expect(action).toEqual({ kind: 'wait', until: new Date('2025-03-10T14:00:00Z'), problems: [] });
		expect(next).toHaveBeenCalledWith({ lead, window, from: NOW });
		const none = resolveStep({ id: 'w', type: 'wait', config: { mode: 'window', window } }, lead, ctx({ nextWindowStart: () => null }));
		expect(none).toMatchObject({ until: null, problems: [{ code: 'no_window' }] });
	});

	it('addresses errors to the field: minutes, or the window’s end', () => {
		expect(validateStep({ type: 'wait', config: { mode: 'duration', minutes: 0 } }).map((issue) => issue.field)).toEqual(['minutes']);
		const backwards = { mode: 'window', window: { days: ['mon'], start: '17:00', end: '09:00' } };
		expect(validateStep({ type: 'wait', config: backwards })).toMatchObject([{ field: 'window.end', message: expect.stringMatching(/after it starts/) }]);
		expect(validateStep({ type: 'wait', config: { mode: 'window', window: { days: [], start: '9am', end: '17:00' } } }).map((issue) => issue.field)).toEqual(['window.days', 'window.start']);
	});
});

describe('branch on reply', () => {
	const config = {
		branches: [
			{ id: 'no', label: 'Not interested', keywords: ['not interested', 'no'] },
			{ id: 'yes', label: 'Interested', keywords: ['yes', 'sure'] }
		],
		noReplyAfterMinutes: 2880
	};

	it('labels an output per branch, then other replies, then silence', () => {
		expect(outputsOf({ type: 'branch_on_reply', config })).toEqual([
			{ id: 'no', label: 'Not interested' },
			{ id: 'yes', label: 'Interested' },
			{ id: 'other', label: 'Any other reply' },
			{ id: 'no_reply', label: 'No reply after 2 days' }
		]);
		expect(outputsOf({ type: 'branch_on_reply', config: { branches: [{ id: 'x' }], noReplyAfterMinutes: null } })).toEqual([
			{ id: 'x', label: 'Unnamed branch' },
			{ id: 'other', label: 'Any other reply' }
		]);
		expect(outputsOf({ type: 'branch_on_reply', config: {} })).toEqual([{ id: 'other', label: 'Any reply' }]);
	});

	it('routes a reply by the first branch whose keyword it mentions', () => {
		const parsed = getStepType('branch_on_reply').schema.parse(config) as Parameters<typeof routeReply>[0];
		expect(routeReply(parsed, 'Yes please!!')).toBe('yes');
		expect(routeReply(parsed, "I'm not interested, thanks")).toBe('no');
		expect(routeReply(parsed, 'NO.')).toBe('no');
		expect(routeReply(parsed, 'know what, maybe')).toBe('other');
	});

	it('resolves to waiting for a reply until the no-reply deadline', () => {
		expect(resolveStep({ id: 'b', type: 'branch_on_reply', config }, lead, ctx())).toEqual({
			kind: 'await_reply',
			until: new Date('2025-03-09T15:00:00Z'),
			routes: [
				{ output: 'no', keywords: ['not interested', 'no'] },
				{ output: 'yes', keywords: ['yes', 'sure'] }
			],
			problems: []
		});
	});

	it('refuses keywords that opt-out handling answers first, duplicates and unnamed branches', () => {
		const bad = {
			branches: [
				{ id: 'a', label: 'Out', keywords: ['Stop'] },
				{ id: 'b', label: '', keywords: ['yes'] },
				{ id: 'c', label: 'Again', keywords: ['YES!'] },
				{ id: 'other', label: 'Clash', keywords: ['maybe'] }
			]
		};
		expect(validateStep({ type: 'branch_on_reply', config: bad }).map((issue) => [issue.field, issue.message])).toEqual([
			['branches.1.label', 'Name this branch.'],
			['branches.0.keywords', 'STOP is answered by opt-out and help handling before any branch.'],
			['branches.2.keywords', '“YES!” is already a keyword of another branch.'],
			['branches.3.id', 'Branch ids must be unique.']
		]);
	});
});

describe('tag, do-not-contact, notify, stop', () => {
	it('tags only what changes', () => {
		expect(resolveStep({ id: 't', type: 'tag_lead', config: validConfigs.tag_lead }, lead, ctx())).toEqual({ kind: 'tag', add: ['replied'], remove: [], problems: [] });
		expect(resolveStep({ id: 't', type: 'tag_lead', config: { action: 'remove', tags: ['warm', 'cold'] } }, lead, ctx())).toEqual({ kind: 'tag', add: [], remove: ['warm'], problems: [] });
		expect(validateStep({ type: 'tag_lead', config: { tags: ['a,b'] } }).map((issue) => issue.field)).toEqual(['tags.0']);
	});

	it('blocks the lead’s phone, or says there is none', () => {
		expect(resolveStep({ id: 'd', type: 'add_to_dnc', config: {} }, lead, ctx())).toEqual({ kind: 'dnc', phone: '+15125550100', reason: 'Asked not to be contacted (campaign reply)', problems: [] });
		expect(resolveStep({ id: 'd', type: 'add_to_dnc', config: {} }, { id: 'x' }, ctx()).problems).toEqual([{ code: 'no_phone', message: expect.any(String) }]);
	});

	it('notifies a current member with a note about the lead', () => {
		expect(resolveStep({ id: 'n', type: 'notify_teammate', config: validConfigs.notify_teammate }, lead, ctx())).toEqual({
			kind: 'notify',
			memberId: MEMBER,
			message: 'Maria at 12 Oak Ave is interested',
			problems: []
		});
		expect(validateStep({ type: 'notify_teammate', config: validConfigs.notify_teammate }, { memberIds: [] }).map((issue) => issue.code)).toEqual(['not_a_member']);
		expect(validateStep({ type: 'notify_teammate', config: { memberId: 'sam', message: 'hi' } })).toMatchObject([{ field: 'memberId', message: 'Choose a teammate.' }]);
	});

	it('stops without a way out', () => {
		expect(outputsOf({ type: 'stop', config: {} })).toEqual([]);
		expect(resolveStep({ id: 's', type: 'stop' }, lead, ctx())).toEqual({ kind: 'stop', problems: [] });
	});
});
