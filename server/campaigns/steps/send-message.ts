import { z } from 'zod';
import { analyzeTemplate } from '../templates/analyze';
import { MMS_MEDIA_LIMITS, mediaItemSchema, validateMedia, type MediaItem } from '../templates/media';
import { parseTemplate } from '../templates/parse';
import { renderTemplate } from '../templates/render';
import { countSegments, MAX_BODY_LENGTH, type SegmentCount } from '../templates/segments';
import { variantSeed } from '../templates/spintax';
import { defineStep, NEXT, type ActionProblem, type FieldIssue } from './define';
import { templateFieldIssues } from './shared';

/** Room for spintax: the source may be longer than any one message it makes. */
export const MAX_TEMPLATE_SOURCE = 5000;
export const DEFAULT_MAX_SEGMENTS = 3;

export interface SendAction {
	kind: 'send';
	body: string;
	/** Which spintax options this lead got ("1.0"), for the dry-run table. */
	variant: string;
	/** How an SMS of this body is billed; an MMS is one message whatever its length. */
	segments: SegmentCount;
	media: MediaItem[];
	problems: ActionProblem[];
}

const schema = z.object({
	body: z
		.string()
		.max(MAX_TEMPLATE_SOURCE, `Keep the template under ${MAX_TEMPLATE_SOURCE} characters.`)
		.refine((body) => body.trim() !== '', 'Write the message.'),
	media: z.array(mediaItemSchema).default([]),
	maxSegments: z.number().int().min(1).max(10).default(DEFAULT_MAX_SEGMENTS)
});

function check(config: z.output<typeof schema>, channel: 'sms' | 'mms' | undefined): FieldIssue[] {
	const template = parseTemplate(config.body);
	const issues = templateFieldIssues('body', template);
	const analysis = analyzeTemplate(template);
	if (analysis.tooLong) {
		issues.push({ field: 'body', severity: 'error', code: 'too_long', message: `The longest variant has ${analysis.longest} characters; providers refuse more than ${MAX_BODY_LENGTH}.` });
	}
	if (channel !== 'mms' && analysis.worst.segments > config.maxSegments) {
		issues.push({
			field: 'body',
			severity: 'error',
			code: 'too_many_segments',
			message: `Up to ${analysis.worst.segments} segments (${analysis.worst.encoding}) with the longest variant and merge values; the limit is ${config.maxSegments}.`
		});
	}
	if (channel === 'sms' && config.media.length > 0) {
		issues.push({ field: 'media', severity: 'error', code: 'media_on_sms', message: 'Attachments need an MMS campaign; this one sends SMS.' });
	}
	for (const issue of validateMedia(config.media, MMS_MEDIA_LIMITS)) {
		issues.push({ field: issue.index === undefined ? 'media' : `media.${issue.index}`, severity: issue.severity, code: issue.code, message: issue.message });
	}
	return issues;
}

/**
 * Sends one text. The rendered body, its variant and its segment count come from the
 * template and the lead alone (the variant is seeded by step and lead), so the dry-run
 * shows exactly what the sender will send.
 */
export const sendMessageStep = defineStep({
	type: 'send_message',
	label: 'Send message',
	description: 'Text the lead, with merge fields and spintax; MMS campaigns can attach images.',
	icon: 'message-square',
	category: 'message',
	fields: [
		{
			name: 'body',
			kind: 'textarea',
			template: true,
			label: 'Message',
			help: 'Merge fields such as {{first_name|there}} fill in lead details; spintax such as {Hi|Hello} picks one option per lead.',
			required: true,
			maxLength: MAX_TEMPLATE_SOURCE,
			rows: 6,
			default: ''
		},
		{
			name: 'media',
			kind: 'media',
			label: 'Images',
			help: 'JPEG, PNG or GIF from the workspace assets. Smaller files are delivered more reliably.',
			channels: ['mms'],
			accept: MMS_MEDIA_LIMITS.allowedTypes,
			maxItems: MMS_MEDIA_LIMITS.maxItems,
			maxTotalBytes: MMS_MEDIA_LIMITS.maxTotalBytes,
			default: []
		},
		{
			name: 'maxSegments',
			kind: 'number',
			label: 'Segment limit',
			help: 'Carriers bill each segment. A lead whose message would need more is held back and the dry-run says why.',
			channels: ['sms'],
			min: 1,
			max: 10,
			unit: 'segments',
			default: DEFAULT_MAX_SEGMENTS
		}
	],
	schema,
	outputs: () => [NEXT],
	check: (config, ctx) => check(config, ctx.channel),
	compile(config) {
		const template = parseTemplate(config.body);
		return (lead, ctx): SendAction => {
			const rendered = renderTemplate(template, lead, ctx.sender, variantSeed(ctx.stepId, lead.id));
			const segments = countSegments(rendered.text);
			const problems: ActionProblem[] = [...rendered.problems];
			if (ctx.channel === 'sms' && segments.segments > config.maxSegments) {
				problems.push({ code: 'too_many_segments', message: `This lead's message needs ${segments.segments} segments; the limit is ${config.maxSegments}.` });
			}
			if (rendered.text.length > MAX_BODY_LENGTH) {
				problems.push({ code: 'too_long', message: `This lead's message has ${rendered.text.length} characters; providers refuse more than ${MAX_BODY_LENGTH}.` });
			}
			const media = ctx.channel === 'mms' ? config.media : [];
			return { kind: 'send', body: rendered.text, variant: rendered.variant, segments, media, problems };
		};
	}
});
