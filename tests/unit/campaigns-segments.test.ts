import { describe, expect, it } from 'vitest';
import { findUcs2Characters, GSM7_BASIC, GSM7_EXTENSION, gsmSeptets, onlySingleSeptets } from '../../server/campaigns/templates/gsm';
import { countSegments } from '../../server/campaigns/templates/segments';

const a = (n: number) => 'a'.repeat(n);
/** Cyrillic: one UTF-16 unit, not GSM. */
const d = (n: number) => 'д'.repeat(n);

describe('GSM-7 tables', () => {
	it('has the 127 printable basic characters and the 10 extension characters', () => {
		expect(new Set(GSM7_BASIC).size).toBe(127);
		expect([...GSM7_EXTENSION]).toEqual(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€']);
	});

	it('costs one septet for basic characters, accented ones and Greek capitals included', () => {
		for (const ch of '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r') expect(gsmSeptets(ch.charCodeAt(0)), ch).toBe(1);
	});

	it('costs two septets for each extension character', () => {
		for (const ch of '^{}\\[~]|€') expect(gsmSeptets(ch.charCodeAt(0)), ch).toBe(2);
		expect(countSegments('^{}\\[~]|€')).toMatchObject({ encoding: 'GSM-7', units: 18, characters: 9, segments: 1 });
	});

	it('takes the one-septet shortcut for exactly the one-septet characters', () => {
		for (let unit = 0; unit < 0x2200; unit++) {
			expect(onlySingleSeptets(`ab${String.fromCharCode(unit)}c`), `U+${unit.toString(16)}`).toBe(gsmSeptets(unit) === 1);
		}
		expect(onlySingleSeptets(`${a(200)}\n${a(10)}`)).toBe(true);
		expect(onlySingleSeptets(`${a(200)}{`)).toBe(false);
		expect(onlySingleSeptets(`${a(200)}€`)).toBe(false);
	});

	it('has no form for lower-case ç, tab, or the backtick', () => {
		for (const ch of ['ç', '\t', '`', 'ł', '’']) expect(gsmSeptets(ch.charCodeAt(0)), ch).toBe(0);
	});
});

describe('segment counting, GSM-7', () => {
	it('counts nothing for an empty text', () => {
		expect(countSegments('')).toMatchObject({ segments: 0, units: 0, remaining: 160 });
	});

	it('fits 160 septets in one segment and splits 161 into two of 153', () => {
		expect(countSegments(a(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, perSegment: 160, remaining: 0 });
		expect(countSegments(a(161))).toMatchObject({ segments: 2, perSegment: 153, remaining: 145 });
	});

	it('fits 153 × 2 in two segments and needs a third at 307', () => {
		expect(countSegments(a(306)).segments).toBe(2);
		expect(countSegments(a(307)).segments).toBe(3);
		expect(countSegments(a(153 * 3)).segments).toBe(3);
		expect(countSegments(a(153 * 3 + 1)).segments).toBe(4);
	});

	it('counts an extension character twice at the single-segment boundary', () => {
		expect(countSegments(`${a(158)}€`)).toMatchObject({ units: 160, characters: 159, segments: 1 });
		expect(countSegments(`${a(159)}€`)).toMatchObject({ units: 161, segments: 2 });
	});

	it('never splits an escape pair across segments', () => {
		// 306 septets would be two full segments, but "{" cannot start at septet 153.
		const text = `${a(152)}{${a(152)}`;
		expect(countSegments(text)).toMatchObject({ units: 306, segments: 3 });
		expect(countSegments(`${a(151)}{${a(153)}`)).toMatchObject({ units: 306, segments: 2 });
	});

	it('keeps accented Latin letters in GSM-7', () => {
		expect(countSegments('Señor Müller, café à Göteborg?').encoding).toBe('GSM-7');
	});
});

describe('segment counting, UCS-2', () => {
	it('fits 70 units in one segment and splits 71 into two of 67', () => {
		expect(countSegments(d(70))).toMatchObject({ encoding: 'UCS-2', segments: 1, perSegment: 70, remaining: 0 });
		expect(countSegments(d(71))).toMatchObject({ segments: 2, perSegment: 67 });
		expect(countSegments(d(134)).segments).toBe(2);
		expect(countSegments(d(135)).segments).toBe(3);
	});

	it('counts an emoji as two units and one character, and names it', () => {
		const count = countSegments('Hi 😀');
		expect(count).toMatchObject({ encoding: 'UCS-2', units: 5, characters: 4, segments: 1 });
		expect(count.ucs2).toEqual([{ char: '😀', start: 3, end: 5, codePoint: 'U+1F600', name: 'emoji or symbol' }]);
	});

	it('puts an emoji over the 70-unit boundary', () => {
		expect(countSegments(`${a(68)}😀`)).toMatchObject({ units: 70, segments: 1 });
		expect(countSegments(`${a(69)}😀`)).toMatchObject({ units: 71, segments: 2 });
	});

	it('never splits a surrogate pair across segments', () => {
		expect(countSegments(`${d(66)}😀${d(66)}`)).toMatchObject({ units: 134, segments: 3 });
		expect(countSegments(`${d(65)}😀${d(67)}`)).toMatchObject({ units: 134, segments: 2 });
	});

	it('switches a whole message to UCS-2 for one curly apostrophe, and offers the straight one', () => {
		const text = `It’s ${a(100)}`;
		expect(countSegments(text.replace('’', "'"))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
		const count = countSegments(text);
		expect(count).toMatchObject({ encoding: 'UCS-2', units: 105, segments: 2 });
		expect(count.ucs2).toEqual([{ char: '’', start: 2, end: 3, codePoint: 'U+2019', name: 'right single quote (curly apostrophe)', replacement: "'" }]);
	});

	it('reports every character that forces UCS-2, with its position', () => {
		const found = findUcs2Characters('Say “hi” — ok…');
		expect(found.map((c) => [c.char, c.start, c.replacement])).toEqual([
			['“', 4, '"'],
			['”', 7, '"'],
			['—', 9, '-'],
			['…', 13, '...']
		]);
	});

	it('counts a lone surrogate as one unit without crashing', () => {
		expect(countSegments('a\ud83d')).toMatchObject({ encoding: 'UCS-2', units: 2, characters: 2 });
		expect(findUcs2Characters('a\ud83d')[0]).toMatchObject({ start: 1, end: 2 });
	});

	it('counts flags and joined emoji by their UTF-16 units', () => {
		// A family emoji is 4 code points joined by 3 ZWJ: 11 UTF-16 units.
		expect(countSegments('👨‍👩‍👧‍👦').units).toBe(11);
		expect(countSegments('🇺🇸').units).toBe(4);
	});
});
