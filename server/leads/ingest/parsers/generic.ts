import type { PhoneType } from '../../../../db/schema/leads';
import { CellError, headerToken, type NormalPhone } from '../normalize';
import { cellOf, draftOf, normalizers, phoneOf, verdict, type Address, type LeadParser } from './types';

/** What a generic column can be mapped to. Unmapped columns are kept as attributes. */
export const MAPPABLE_FIELDS = [
	'firstName', 'lastName', 'fullName', 'email', 'phone', 'mobile', 'landline',
	'street', 'city', 'state', 'zip', 'mailingStreet', 'mailingCity', 'mailingState', 'mailingZip',
	'propertyValue', 'equity', 'attribute', 'ignore'
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

const SUGGEST: [RegExp, MappableField][] = [
	[/^(first|given)(name)?$|firstname/, 'firstName'],
	[/^(last|sur|family)(name)?$|lastname/, 'lastName'],
	[/^(full)?name$|contactname|ownername|customer|client/, 'fullName'],
	[/^e?mail/, 'email'],
	[/mobile|cell|wireless/, 'mobile'],
	[/landline|homephone|residential/, 'landline'],
	[/phone|tel/, 'phone'],
	[/^mail(ing)?(address|street)/, 'mailingStreet'],
	[/^mail(ing)?city/, 'mailingCity'],
	[/^mail(ing)?state/, 'mailingState'],
	[/^mail(ing)?zip/, 'mailingZip'],
	[/address|street/, 'street'],
	[/city|town/, 'city'],
	[/^(state|st|province|region)$|state$/, 'state'],
	[/zip|postal|postcode/, 'zip'],
	[/value|avm/, 'propertyValue'],
	[/equity/, 'equity']
];

/** A first guess at the mapping: each header to a field by its name, else kept as an attribute. */
export function suggestMapping(headers: string[]): Record<string, MappableField> {
	const out: Record<string, MappableField> = {};
	for (const h of headers) {
		const token = headerToken(h);
		out[h] = SUGGEST.find(([re]) => re.test(token))?.[1] ?? 'attribute';
	}
	return out;
}

/** Lower-cased, trimmed, sorted headers joined: files with the same columns share a saved mapping. */
export function headerSignature(headers: string[]): string {
	return [...headers].map((h) => h.trim().toLowerCase()).sort().join('\u001f');
}

const PHONE_TYPES: Partial<Record<MappableField, PhoneType | null>> = { phone: null, mobile: 'mobile', landline: 'landline' };

export const genericParser: LeadParser = {
	id: 'generic',
	label: 'Generic CSV (map the columns)',
	score: () => 0.2,
	bind(headers, mapping) {
		const map = mapping ?? suggestMapping(headers);
		const byField = new Map<MappableField, number[]>();
		headers.forEach((h, i) => {
			const field = (map[h] ?? 'attribute') as MappableField;
			if (!MAPPABLE_FIELDS.includes(field)) throw new CellError(`unknown field "${field}" for column "${h}"`);
			byField.set(field, [...(byField.get(field) ?? []), i]);
		});
		const one = (f: MappableField) => byField.get(f)?.[0];
		const phoneCols = (['mobile', 'landline', 'phone'] as const).flatMap((f) => (byField.get(f) ?? []).map((index) => ({ index, type: PHONE_TYPES[f] ?? null })));
		const attributeCols = byField.get('attribute') ?? [];
		return (row) => {
			const phones: NormalPhone[] = [];
			for (const p of phoneCols) {
				const phone = phoneOf(headers, row, p.index, p.type);
				if (phone) phones.push(phone);
			}
			const attributes: Record<string, string> = {};
			for (const i of attributeCols) {
				const v = row[i]?.trim();
				if (v) attributes[headers[i] ?? `column ${i + 1}`] = v;
			}
			const mailing: Address = {
				street: cellOf(headers, row, one('mailingStreet'), normalizers.street) ?? undefined,
				city: cellOf(headers, row, one('mailingCity'), normalizers.city) ?? undefined,
				state: cellOf(headers, row, one('mailingState'), normalizers.state) ?? undefined,
				zip: cellOf(headers, row, one('mailingZip'), normalizers.zip) ?? undefined
			};
			const place = {
				street: cellOf(headers, row, one('street'), normalizers.street),
				city: cellOf(headers, row, one('city'), normalizers.city),
				state: cellOf(headers, row, one('state'), normalizers.state),
				zip: cellOf(headers, row, one('zip'), normalizers.zip),
				mailing: mailing.street || mailing.city ? mailing : null,
				propertyValue: cellOf(headers, row, one('propertyValue'), normalizers.money),
				equity: cellOf(headers, row, one('equity'), normalizers.money),
				attributes
			};
			const person = {
				first: row[one('firstName') ?? -1],
				last: row[one('lastName') ?? -1],
				full: row[one('fullName') ?? -1],
				email: cellOf(headers, row, one('email'), normalizers.email),
				phones
			};
			return verdict([draftOf(person, place)]);
		};
	}
};
