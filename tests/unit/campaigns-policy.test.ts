import { describe, expect, it } from 'vitest';
import { MMS_MEDIA_LIMITS, validateMedia, type MediaItem } from '../../server/campaigns/templates/media';
import { checkOptOut, DEFAULT_OPT_OUT_POLICY, optOutPolicySchema, type OptOutPolicy } from '../../server/campaigns/templates/opt-out';
import { parseTemplate } from '../../server/campaigns/templates/parse';

const check = (source: string, policy: OptOutPolicy = DEFAULT_OPT_OUT_POLICY) => checkOptOut(policy, parseTemplate(source));
const phrasesOnly: OptOutPolicy = { appliesTo: 'first_send', phrases: ['Reply STOP to opt out'], patterns: [] };

describe('opt-out wording policy', () => {
	it('accepts the usual wordings under the default policy', () => {
		for (const text of ['Hi! Reply STOP to opt out', 'Text STOP to end', 'reply stop to unsubscribe', 'Txt STOP 2 quit', 'Reply “STOP” to opt out', "Reply 'stop' to stop"]) {
			expect(check(text), text).toEqual({ ok: true });
		}
	});

	it('refuses a message without it, saying what would do', () => {
		const result = check('Hi {{first_name|there}}, still selling?');
		expect(result).toMatchObject({ ok: false, example: 'Hi …, still selling?' });
		expect(result.ok ? '' : result.message).toMatch(/Reply STOP to opt out/);
		expect(check('Reply STOPPING soon').ok).toBe(false);
	});

	it('matches phrases ignoring case, spacing, hyphens and curly quotes', () => {
		expect(check('reply  stop to opt-out.', phrasesOnly).ok).toBe(true);
		expect(check('Reply STOP to leave', phrasesOnly).ok).toBe(false);
	});

	it('requires the wording in every spintax variant', () => {
		expect(check('{Reply STOP to opt out|Text STOP to end}').ok).toBe(true);
		expect(check('Hi{ - reply STOP to opt out|}')).toMatchObject({ ok: false, example: 'Hi', message: expect.stringMatching(/every variant/) });
	});

	it('does not let a merge field stand in for the wording', () => {
		expect(check('{{company_name|Reply STOP to opt out}}').ok).toBe(false);
	});

	it('with too many variants, accepts wording in the fixed text or in every option of one group', () => {
		const many = '{a|b} '.repeat(12); // 4,096 variants
		expect(check(`${many}Reply STOP to opt out`).ok).toBe(true);
		expect(check(`${many}{Reply STOP to opt out|Text STOP to end}`).ok).toBe(true);
		expect(check(`${many}{Reply STOP to opt out|bye}`)).toMatchObject({ ok: false, message: expect.stringMatching(/Too many variants/) });
	});

	it('can be turned off, or made to apply to every send', () => {
		expect(check('Hello', { ...DEFAULT_OPT_OUT_POLICY, appliesTo: 'none' }).ok).toBe(true);
		expect(optOutPolicySchema.safeParse({ ...DEFAULT_OPT_OUT_POLICY, appliesTo: 'every_send' }).success).toBe(true);
	});

	it('is data: the schema refuses bad patterns and an empty rule', () => {
		expect(optOutPolicySchema.safeParse(DEFAULT_OPT_OUT_POLICY).success).toBe(true);
		const badRegex = optOutPolicySchema.safeParse({ ...phrasesOnly, patterns: ['(unclosed'] });
		expect(badRegex.success ? [] : badRegex.error.issues.map((i) => i.path.join('.'))).toEqual(['patterns.0']);
		const empty = optOutPolicySchema.safeParse({ appliesTo: 'first_send', phrases: [], patterns: [] });
		expect(empty.success ? [] : empty.error.issues.map((i) => i.path.join('.'))).toEqual(['phrases']);
		expect(optOutPolicySchema.safeParse({ appliesTo: 'none', phrases: [], patterns: [] }).success).toBe(true);
	});
});

describe('MMS media limits', () => {
	const image = (bytes: number, contentType = 'image/jpeg'): MediaItem => ({ assetId: 'a1', name: 'house.jpg', contentType, bytes });

	it('declares the carrier-safe defaults as data', () => {
		expect(MMS_MEDIA_LIMITS).toEqual({ allowedTypes: ['image/jpeg', 'image/png', 'image/gif'], maxItems: 10, maxTotalBytes: 1_000_000, recommendedTotalBytes: 500_000 });
	});

	it('accepts JPEG, PNG and GIF, including the image/jpg spelling', () => {
		expect(validateMedia([image(200_000), image(100_000, 'image/png'), image(100_000, 'image/gif'), image(50_000, 'image/jpg; charset=binary')])).toEqual([]);
	});

	it('refuses other types, naming the attachment', () => {
		expect(validateMedia([image(1000), image(1000, 'video/mp4')])).toEqual([{ code: 'type', index: 1, severity: 'error', message: expect.stringMatching(/video\/mp4.*JPEG, PNG, GIF/) }]);
	});

	it('warns above the recommended total and refuses above the maximum', () => {
		expect(validateMedia([image(500_000)])).toEqual([]);
		expect(validateMedia([image(300_000), image(300_000)])).toEqual([{ code: 'large', severity: 'warning', message: expect.stringMatching(/600 KB/) }]);
		expect(validateMedia([image(1_000_001)])).toMatchObject([{ code: 'too_large', severity: 'error' }]);
	});

	it('refuses more attachments than a message takes, and follows limits passed in', () => {
		expect(validateMedia(Array.from({ length: 11 }, () => image(1000))).map((issue) => issue.code)).toEqual(['too_many']);
		expect(validateMedia([image(1000, 'video/mp4')], { ...MMS_MEDIA_LIMITS, allowedTypes: ['video/mp4'] })).toEqual([]);
	});
});
