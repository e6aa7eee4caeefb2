import { z } from 'zod';
import { areaCodeState, npaOf } from './area-codes';

/**
 * A sender number in the inventory: what it is (E.164), where it lives (provider account, 10DLC
 * brand and campaign), where it is from (area code, state), whether it may send, and its own
 * daily cap. Brand and campaign ids are kept as the provider shows them (TCR ids such as
 * BXXXXXX / CXXXXXX, or a provider's own SIDs), so only their shape is checked.
 */
export const SENDER_STATUSES = ['active', 'paused', 'blocked'] as const;
export type SenderStatus = (typeof SENDER_STATUSES)[number];

const registryId = (what: string) =>
	z
		.string()
		.trim()
		.min(1, `${what} is required`)
		.max(64, `${what} is longer than 64 characters`)
		.regex(/^[A-Za-z0-9_-]+$/, `${what} may hold only letters, digits, "-" and "_"`);

export const senderNumberSchema = z
	.object({
		/** A US number: 10DLC is a US registration. */
		e164: z.string().regex(/^\+1[2-9]\d{2}[2-9]\d{6}$/, 'expected a US number in E.164, such as +14155550100'),
		providerAccount: z.string().trim().min(1, 'provider account is required').max(100),
		brandId: registryId('10DLC brand id'),
		campaignId: registryId('10DLC campaign id'),
		areaCode: z.string().regex(/^[2-9]\d{2}$/, 'expected a three-digit area code'),
		state: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter state code'),
		status: z.enum(SENDER_STATUSES).default('active'),
		/** Messages per day from this number; null = only the brand's cap applies. */
		dailyCap: z.number().int().min(0).max(1_000_000).nullable().default(null)
	})
	.superRefine((n, ctx) => {
		// Checked only when both fields are well formed; a malformed one is reported by its own check.
		const npa = npaOf(n.e164);
		if (npa && /^[2-9]\d{2}$/.test(n.areaCode) && npa !== n.areaCode) ctx.addIssue({ code: 'custom', path: ['areaCode'], message: `area code ${n.areaCode} does not match ${n.e164}` });
		const home = areaCodeState(n.areaCode);
		if (home && /^[A-Z]{2}$/.test(n.state) && home !== n.state) ctx.addIssue({ code: 'custom', path: ['state'], message: `area code ${n.areaCode} is in ${home}, not ${n.state}` });
	});

export type SenderNumberInput = z.input<typeof senderNumberSchema>;
export type SenderNumberFields = z.output<typeof senderNumberSchema>;

/** A stored sender number. */
export interface SenderNumber extends SenderNumberFields {
	id: string;
}
