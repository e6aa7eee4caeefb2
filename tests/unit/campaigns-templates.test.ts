import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from '../../server/campaigns/templates/analyze';
import { getMergeField, mergeFields, suggestMergeField, tidyCase } from '../../server/campaigns/templates/merge-fields';
import { parseTemplate, type TemplateNode } from '../../server/campaigns/templates/parse';
import { renderTemplate } from '../../server/campaigns/templates/render';
import { countVariants, createPicker, enumerateVariants, variantSeed } from '../../server/campaigns/templates/spintax';

const codes = (source: string) => parseTemplate(source).issues.map((issue) => [issue.code, issue.start, issue.end]);
const render = (source: string, lead: Parameters<typeof renderTemplate>[1] = { id: 'lead-1' }, seed = 1) =>
	renderTemplate(parseTemplate(source), lead, { senderName: 'Sam', companyName: 'Acme Homes' }, seed);
const all = (source: string) => enumerateVariants(parseTemplate(source).nodes, (node) => `[${node.key}]`, 10_000);

describe('template parsing', () => {
	it('reads merge fields with and without fallbacks, with positions', () => {
		const { nodes, issues } = parseTemplate('Hi {{first_name|there}}, {{ property_address }}');
		expect(issues).toEqual([]);
		expect(nodes).toEqual([
			{ kind: 'text', value: 'Hi ', start: 0, end: 3 },
			{ kind: 'merge', key: 'first_name', fallback: 'there', start: 3, end: 23 },
			{ kind: 'text', value: ', ', start: 23, end: 25 },
			{ kind: 'merge', key: 'property_address', fallback: null, start: 25, end: 47 }
		]);
	});

	it('trims fallbacks, keeps an explicit empty one, and unescapes braces in them', () => {
		const merge = (source: string) => parseTemplate(source).nodes[0] as Extract<TemplateNode, { kind: 'merge' }>;
		expect(merge('{{first_name | there }}').fallback).toBe('there');
		expect(merge('{{first_name|}}').fallback).toBe('');
		expect(merge('{{first_name|a \\| b}}').fallback).toBe('a | b');
	});

	it('refuses unknown merge fields where they are, suggesting the near one', () => {
		expect(codes('Hi {{firstname}}!')).toEqual([['unknown_merge_field', 3, 16]]);
		expect(parseTemplate('{{First_Name}}').issues[0]?.message).toMatch(/Did you mean \{\{first_name\}\}/);
		expect(parseTemplate('{{zodiac}}').issues[0]?.message).not.toMatch(/Did you mean/);
	});

	it('reports malformed double braces instead of reading them as spintax', () => {
		expect(codes('Hi {{First Name}}')).toEqual([['bad_merge_field', 3, 17]]);
		expect(codes('{{first_name|a|b}}')).toEqual([['bad_merge_field', 0, 18]]);
	});

	it('reads nested spintax, including a group that opens with two braces', () => {
		expect(countVariants(parseTemplate('{Hi|Hey {there|you}}').nodes)).toBe(3);
		expect(all('{{Hi|Hello}|Hey}')).toEqual(['Hi', 'Hello', 'Hey']);
		expect(all('{Hi|Hello} {{first_name|there}}')).toEqual(['Hi [first_name]', 'Hello [first_name]']);
	});

	it('allows empty options and multiplies groups in sequence', () => {
		expect(all('Call me{ back|}')).toEqual(['Call me back', 'Call me']);
		expect(countVariants(parseTemplate('{a|b} {c|d|e} {f|{g|h}}').nodes)).toBe(18);
		expect(countVariants(parseTemplate('no spintax').nodes)).toBe(1);
	});

	it('treats escaped braces, bars and backslashes as text, and other backslashes literally', () => {
		const source = String.raw`\{not spun\} a \| b \\ C:\temp | ok`;
		const parsed = parseTemplate(source);
		expect(parsed.issues).toEqual([]);
		expect(parsed.nodes).toEqual([{ kind: 'text', value: String.raw`{not spun} a | b \ C:\temp | ok`, start: 0, end: source.length }]);
	});

	it('reports unbalanced braces with positions', () => {
		expect(codes('Hi {there|you')).toEqual([['unclosed_spin', 3, 4]]);
		expect(codes('Hi there}')).toEqual([['unexpected_close', 8, 9]]);
		expect(codes('{a|{b|c}')).toEqual([['unclosed_spin', 0, 1]]);
		expect(codes('ok {}')).toEqual([['empty_spin', 3, 5]]);
		expect(codes('{Hi} there')).toEqual([['single_option', 0, 4]]);
	});

	it('limits nesting depth', () => {
		expect(codes('{a|{b|{c|{d|{e|{f|g}}}}}}')).toEqual([]);
		expect(codes('{a|{b|{c|{d|{e|{f|{g|h}}}}}}}')).toEqual([['too_deep', 18, 19]]);
	});
});

describe('merge fields', () => {
	it('declares each field once with a label, example and assumed length', () => {
		const keys = mergeFields.map((field) => field.key);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys).toEqual(expect.arrayContaining(['first_name', 'last_name', 'full_name', 'property_address', 'sender_name']));
		for (const field of mergeFields) {
			expect(field.label).not.toBe('');
			expect(field.maxLength).toBeGreaterThan(0);
			expect(field.example.length).toBeLessThanOrEqual(field.maxLength);
		}
	});

	it('recases shouting or all-lower values only', () => {
		expect(tidyCase('JOHN')).toBe('John');
		expect(tidyCase('mary-jane o’neil')).toBe('Mary-Jane O’Neil');
		expect(tidyCase('McDonald')).toBe('McDonald');
		expect(tidyCase('123 MAIN ST APT 4B')).toBe('123 Main St Apt 4B');
	});

	it('reads names from the typed columns, else from the full name', () => {
		const read = (key: string, lead: object) => getMergeField(key)?.read({ id: 'x', ...lead }, {});
		expect(read('first_name', { firstName: '  MARIA ' })).toBe('Maria');
		expect(read('first_name', { fullName: 'maria lopez' })).toBe('Maria');
		expect(read('last_name', { fullName: 'Maria Lopez' })).toBe('Lopez');
		expect(read('last_name', { fullName: 'Cher' })).toBeNull();
		expect(read('full_name', { firstName: 'Maria', lastName: 'Lopez' })).toBe('Maria Lopez');
		expect(read('property_zip', { zip: '78701-1234' })).toBe('78701');
		expect(read('first_name', { firstName: '   ' })).toBeNull();
	});


	it('cleans and recases every value as the plain rules would, whatever shortcut it takes', () => {
		// The rules spelled out without any shortcut or memo: collapse whitespace, trim, blank is missing, recase.
		const plainClean = (v: string) => v.replace(/\s+/g, ' ').trim() || null;
		const plainTidied = (v: string) => {
			const c = plainClean(v);
			return c && tidyCase(c);
		};
		const samples = ['Maria', 'MARIA', 'maria', 'Mary Jane', 'Mary  Jane', ' Maria', 'Maria ', 'Ma\tria', 'José', 'JOSÉ', 'Maria\u00a0Lopez', '4B', 'O', 'o', 'McDONALD', '', ' ', 'A b', 'a B'];
		// And random ones over an alphabet of the awkward characters.
		const alphabet = ['A', 'a', 'Z', 'z', ' ', ' ', '\t', '\n', '1', 'é', 'É', '\u00a0', '-', '’', '~', '\u007f'];
		let seed = 7;
		for (let i = 0; i < 3000; i++) {
			let s = '';
			const n = i % 9;
			for (let k = 0; k < n; k++) {
				seed = (seed * 1103515245 + 12345) % 2147483648;
				s += alphabet[seed % alphabet.length];
			}
			samples.push(s);
		}
		const field = (key: string) => getMergeField(key)!;
		for (const v of samples) {
			expect(field('property_address').read({ id: 'x', street: v }, {}), JSON.stringify(v)).toBe(plainTidied(v));
			expect(field('sender_name').read({ id: 'x' }, { senderName: v }), JSON.stringify(v)).toBe(plainClean(v));
		}
	});
	it('suggests the closest key for a typo', () => {
		expect(suggestMergeField('frist_name')).toBe('first_name');
		expect(suggestMergeField('FIRST_NAME')).toBe('first_name');
		expect(suggestMergeField('favourite_colour')).toBeNull();
	});
});

describe('rendering for a lead', () => {
	it('uses the value, else the fallback', () => {
		expect(render('Hi {{first_name|there}}', { id: 'l', firstName: 'Maria' }).text).toBe('Hi Maria');
		expect(render('Hi {{first_name|there}}', { id: 'l' })).toEqual({ text: 'Hi there', variant: '', problems: [] });
		expect(render('Hi{{first_name|}}!', { id: 'l', firstName: ' ' }).text).toBe('Hi!');
	});

	it('reports a missing value without a fallback as a problem, not an exception', () => {
		const result = render('Hi {{first_name}}, about {{property_address}}', { id: 'l', street: '1 MAIN ST' });
		expect(result.text).toBe('Hi , about 1 Main St');
		expect(result.problems).toEqual([{ code: 'missing_value', key: 'first_name', start: 3, end: 17, message: expect.stringMatching(/No first name .*\{\{first_name\|…\}\}/) }]);
	});

	it('reads sender fields from the context', () => {
		expect(render('{{sender_name}} at {{company_name}}').text).toBe('Sam at Acme Homes');
	});

	it('still renders an unknown field as a problem', () => {
		expect(render('Hi {{nickname}}').problems[0]).toMatchObject({ code: 'unknown_merge_field', key: 'nickname' });
	});
});

describe('deterministic variants', () => {
	const template = parseTemplate('{Hi|Hello|Hey} {there|friend}');
	const pick = (stepId: string, leadId: string) => renderTemplate(template, { id: leadId }, {}, variantSeed(stepId, leadId));

	it('gives a lead the same variant every time (preview, dry-run, send)', () => {
		expect(pick('step-1', 'lead-42')).toEqual(pick('step-1', 'lead-42'));
	});

	it('is pinned: changing the generator would change what published versions send', () => {
		expect(variantSeed('step-1', 'lead-1')).toBe(2091188525);
		expect(pick('step-1', 'lead-1')).toEqual({ text: 'Hello there', variant: '1.0', problems: [] });
		expect(pick('step-1', 'lead-2')).toEqual({ text: 'Hello friend', variant: '1.1', problems: [] });
	});

	it('spreads leads evenly over the options', () => {
		const counts = [0, 0, 0];
		for (let i = 0; i < 3000; i++) (counts[createPicker(variantSeed('step-9', `lead-${i}`))(3)] as number)++;
		for (const count of counts) expect(count).toBeGreaterThan(900);
	});

	it('picks differently per step for the same lead', () => {
		const texts = new Set(Array.from({ length: 20 }, (_, i) => pick(`step-${i}`, 'lead-1').text));
		expect(texts.size).toBeGreaterThan(2);
	});

	it('draws only for the groups a variant contains', () => {
		const nested = parseTemplate('{a|b {c|d}} {e|f}');
		for (let i = 0; i < 50; i++) {
			const result = renderTemplate(nested, { id: `l${i}` }, {}, variantSeed('s', `l${i}`));
			expect(result.variant.split('.').length).toBe(result.text.startsWith('a') ? 2 : 3);
		}
	});
});

describe('template analysis (the live counter)', () => {
	it('budgets merge fields at their assumed length and fallbacks at theirs', () => {
		const analysis = analyzeTemplate('Hi {{first_name|there}}');
		expect(analysis.worst).toMatchObject({ encoding: 'GSM-7', units: 3 + 12, segments: 1 });
		expect(analysis.mergeFields).toEqual(['first_name']);
		const fallback = 'a fallback longer than any first name';
		expect(analyzeTemplate(`Hi {{first_name|${fallback}}}`).worst.units).toBe(3 + fallback.length);
	});

	it('takes the longest spintax option', () => {
		expect(analyzeTemplate(`{a|${'b'.repeat(160)}}`).worst).toMatchObject({ units: 160, segments: 1 });
		expect(analyzeTemplate(`{a|${'b'.repeat(161)}}`).worst).toMatchObject({ units: 161, segments: 2 });
	});

	it('finds the worst case across encodings: a short UCS-2 option can cost more than a long GSM one', () => {
		const analysis = analyzeTemplate(`{${'a'.repeat(150)}|${'a'.repeat(75)}😀}`);
		expect(analysis.encoding).toBe('mixed');
		expect(analysis.worst).toMatchObject({ encoding: 'UCS-2', units: 77, segments: 2 });
		expect(analyzeTemplate(`{${'a'.repeat(300)}|😀}`).worst).toMatchObject({ encoding: 'GSM-7', segments: 2 });
	});

	it('shows where in the source the UCS-2 characters are', () => {
		const analysis = analyzeTemplate('Hi {{first_name|there}}, it’s {me|😀}');
		expect(analysis.ucs2.map((c) => [c.char, c.start])).toEqual([
			['’', 27],
			['😀', 34]
		]);
		expect(analysis.encoding).toBe('UCS-2');
		expect(analysis.variants).toBe(2);
	});

	it('flags a template whose longest variant exceeds the provider cap', () => {
		expect(analyzeTemplate('a'.repeat(1600)).tooLong).toBe(false);
		expect(analyzeTemplate(`{x|${'a'.repeat(1601)}}`)).toMatchObject({ tooLong: true, longest: 1601 });
	});

	it('carries the parse issues', () => {
		expect(analyzeTemplate('Hi {there').issues[0]?.code).toBe('unclosed_spin');
	});
});
