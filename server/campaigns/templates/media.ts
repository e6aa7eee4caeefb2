import { z } from 'zod';

/** An uploaded asset attached to an MMS step, with what the upload measured. */
export const mediaItemSchema = z.object({
	assetId: z.string().min(1).max(100),
	name: z.string().max(200),
	contentType: z.string().min(1).max(100),
	bytes: z.number().int().nonnegative()
});
export type MediaItem = z.infer<typeof mediaItemSchema>;

export interface MediaLimits {
	allowedTypes: readonly string[];
	maxItems: number;
	/** Above this the message is refused: some carrier will drop it. */
	maxTotalBytes: number;
	/** Above this it is allowed with a warning: delivery gets less reliable. */
	recommendedTotalBytes: number;
}

/**
 * Defaults to verify against the providers in use, not facts about every carrier:
 * - types: JPEG, PNG and GIF are the images every US carrier and Twilio take without
 *   conversion (Twilio "Accepted content types for media");
 * - 10 attachments: Twilio's per-message maximum;
 * - 1 MB in total: AT&T's limit for long-code MMS, the strictest of the big three for
 *   10DLC (Telnyx's carrier table; Twilio itself accepts 5 MB and resizes images only);
 * - 500 KB recommended: SignalWire's advice for delivery across all carriers.
 */
export const MMS_MEDIA_LIMITS: MediaLimits = {
	allowedTypes: ['image/jpeg', 'image/png', 'image/gif'],
	maxItems: 10,
	maxTotalBytes: 1_000_000,
	recommendedTotalBytes: 500_000
};

export interface MediaIssue {
	code: 'type' | 'too_many' | 'too_large' | 'large';
	/** The attachment concerned; absent for the message as a whole. */
	index?: number;
	severity: 'error' | 'warning';
	message: string;
}

/** `image/jpg` is not a registered type but browsers and phones send it. */
function normaliseType(contentType: string): string {
	const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
	return type === 'image/jpg' || type === 'image/pjpeg' ? 'image/jpeg' : type;
}

export function kilobytes(bytes: number): string {
	return `${Math.round(bytes / 1000)} KB`;
}

export function validateMedia(items: readonly MediaItem[], limits: MediaLimits = MMS_MEDIA_LIMITS): MediaIssue[] {
	const issues: MediaIssue[] = [];
	items.forEach((item, index) => {
		if (!limits.allowedTypes.includes(normaliseType(item.contentType))) {
			const allowed = limits.allowedTypes.map((type) => type.replace('image/', '').toUpperCase()).join(', ');
			issues.push({ code: 'type', index, severity: 'error', message: `${item.name || 'This file'} is ${item.contentType}; MMS here takes ${allowed}.` });
		}
	});
	if (items.length > limits.maxItems) {
		issues.push({ code: 'too_many', severity: 'error', message: `At most ${limits.maxItems} attachments per message.` });
	}
	const total = items.reduce((sum, item) => sum + item.bytes, 0);
	if (total > limits.maxTotalBytes) {
		issues.push({
			code: 'too_large',
			severity: 'error',
			message: `Attachments total ${kilobytes(total)}; carriers refuse MMS over ${kilobytes(limits.maxTotalBytes)}.`
		});
	} else if (total > limits.recommendedTotalBytes) {
		issues.push({
			code: 'large',
			severity: 'warning',
			message: `Attachments total ${kilobytes(total)}; under ${kilobytes(limits.recommendedTotalBytes)} is delivered more reliably.`
		});
	}
	return issues;
}
