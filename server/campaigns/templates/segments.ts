import { findUcs2Characters, gsmSeptets, isHighSurrogate, isLowSurrogate, onlySingleSeptets, type Ucs2Character } from './gsm';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/**
 * Units per segment. A message that fits in one segment gets the whole 140 bytes; a longer
 * one is split with a 6-byte header (UDH) in every part, leaving 153 septets or 67 UCS-2
 * units each.
 */
export const SEGMENT_LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
	'GSM-7': { single: 160, multi: 153 },
	'UCS-2': { single: 70, multi: 67 }
};

/** Providers refuse longer bodies (Twilio: 1,600 characters), whatever the encoding. */
export const MAX_BODY_LENGTH = 1600;

export interface SegmentCount {
	encoding: SmsEncoding;
	/** Septets for GSM-7 (extension characters count two), UTF-16 units for UCS-2. */
	units: number;
	/** Characters as people count them (a surrogate pair is one). */
	characters: number;
	segments: number;
	/** The size of each segment at this length: 160/70 for one segment, else 153/67. */
	perSegment: number;
	/** Units still free in the last segment before another is needed. */
	remaining: number;
	/** The characters that force UCS-2, with where they are; empty for GSM-7. */
	ucs2: Ucs2Character[];
}

/**
 * Splits like the handsets and providers do: an escape pair (GSM) or a surrogate pair
 * (UCS-2) is never cut across two segments, so a part can end a unit short and a message
 * can need one segment more than `ceil(units / perSegment)`.
 */
function pack(text: string, encoding: SmsEncoding, units: number, uniform: boolean): { segments: number; fill: number; perSegment: number } {
	const limits = SEGMENT_LIMITS[encoding];
	if (units === 0) return { segments: 0, fill: 0, perSegment: limits.single };
	if (units <= limits.single) return { segments: 1, fill: units, perSegment: limits.single };
	if (uniform) {
		// One septet per unit and no pairs: every split point is as good as any other.
		const segments = Math.ceil(units / limits.multi);
		return { segments, fill: units - (segments - 1) * limits.multi, perSegment: limits.multi };
	}
	let segments = 1;
	let fill = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		let cost: number;
		if (encoding === 'GSM-7') cost = gsmSeptets(unit);
		else if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
			cost = 2;
			i++;
		} else cost = 1;
		if (fill + cost > limits.multi) {
			segments++;
			fill = cost;
		} else fill += cost;
	}
	return { segments, fill, perSegment: limits.multi };
}

/** How the carrier will count this exact text. */
export function countSegments(text: string): SegmentCount {
	// The usual case, every unit one septet, is told by one table lookup per unit (the dry-run
	// counts a million messages); the escape and surrogate bookkeeping is only for the rest.
	const uniform = onlySingleSeptets(text);
	let septets = text.length;
	let gsm = true;
	let pairs = 0;
	if (!uniform) {
		septets = 0;
		for (let i = 0; i < text.length; i++) {
			const unit = text.charCodeAt(i);
			const cost = gsmSeptets(unit);
			if (cost === 0) gsm = false;
			septets += cost;
			if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) pairs++;
		}
	}
	const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
	const units = gsm ? septets : text.length;
	const { segments, fill, perSegment } = pack(text, encoding, units, uniform);
	return {
		encoding,
		units,
		characters: text.length - pairs,
		segments,
		perSegment,
		remaining: segments === 0 ? perSegment : perSegment - fill,
		ucs2: gsm ? [] : findUcs2Characters(text)
	};
}
