import { CellError, normalizePhone } from './ingest/normalize';

/**
 * Phones typed by people (search box, DNC form, DNC files), read with the same rules as
 * the ingest, so a number that was imported is found and blocked by what anyone types.
 */
export function toE164(input: string): string | null {
	try {
		return normalizePhone(input)?.e164 ?? null;
	} catch (error) {
		if (error instanceof CellError) return null;
		throw error;
	}
}

/** Whether a search looks like a phone (digits and phone punctuation only, 3+ digits). */
export function looksLikePhone(input: string): boolean {
	return /^\+?[\d\s().-]+$/.test(input.trim()) && input.replace(/\D/g, '').length >= 3;
}

/**
 * A half-typed number as an E.164 prefix for a range scan: "415 555" → "+1415555". Full
 * numbers should go through `toE164` first; this is for the rest.
 */
export function phonePrefix(input: string): string | null {
	const digits = input.replace(/\D/g, '');
	if (digits.length < 3) return null;
	if (input.trim().startsWith('+')) return `+${digits}`;
	return digits.length === 11 && digits.startsWith('1') ? `+${digits}` : `+1${digits}`;
}
