import type { PhoneType } from '../../../../db/schema/leads';
import { phoneTypeOf, type NormalPhone } from '../normalize';
import { Columns, restAttributes } from './columns';
import { cellOf, draftOf, normalizers, phoneOf, verdict, type LeadParser } from './types';

/** Contact-centric vendor exports: one person per row with names, mobiles, landlines, e-mails. */
export const contactParser: LeadParser = {
	id: 'contact',
	label: 'Contact-centric vendor export',
	score(headers) {
		const c = new Columns(headers);
		let score = 0;
		if (c.has(/^(first|last|full)?name$/)) score += 0.3;
		if (c.has(/^(mobile|cell|wireless)(phone)?\d*$/)) score += 0.25;
		if (c.has(/^(landline|home|residential)(phone)?\d*$/)) score += 0.15;
		if (c.has(/^email\d*$/)) score += 0.2;
		if (!c.has(/^(property|site|situs)(address|street)|^owner\d/)) score += 0.1;
		return score;
	},
	bind(headers) {
		const c = new Columns(headers);
		const first = c.find('firstname', 'first', 'givenname');
		const last = c.find('lastname', 'last', 'surname', 'familyname');
		const full = c.find('fullname', 'name', 'contactname');
		const street = c.find('address', 'streetaddress', 'street', 'address1', 'addressline1', 'mailingaddress');
		const city = c.find('city', 'mailingcity');
		const state = c.find('state', 'mailingstate', 'st');
		const zip = c.find('zip', 'zipcode', 'postalcode', 'postcode', 'mailingzip');
		const phoneColumns: { index: number; type: PhoneType | null; typeColumn?: number }[] = [
			...c.numbered(/^(?:mobile|cell|wireless)(?:phone)?(\d*)$/).map((p) => ({ index: p.index, type: 'mobile' as const })),
			...c.numbered(/^(?:landline|home|residential)(?:phone)?(\d*)$/).map((p) => ({ index: p.index, type: 'landline' as const })),
			...c.numbered(/^phone(?:number)?(\d*)$/).map((p) => ({ index: p.index, type: null, typeColumn: c.find(`${p.token}type`) }))
		];
		for (const p of phoneColumns) c.used.add(p.index);
		const emails = c.numbered(/^e?mail(?:address)?(\d*)$/);
		for (const e of emails) c.used.add(e.index);
		const rest = c.rest();
		return (row) => {
			const phones: NormalPhone[] = [];
			for (const p of phoneColumns) {
				const type = p.type ?? phoneTypeOf(p.typeColumn === undefined ? undefined : row[p.typeColumn]);
				const phone = phoneOf(headers, row, p.index, type);
				if (phone) phones.push(phone);
			}
			const attributes: Record<string, string> = {};
			let email: string | null = null;
			for (const e of emails) {
				const v = cellOf(headers, row, e.index, normalizers.email);
				if (v && !email) email = v;
				else if (v) attributes[headers[e.index] ?? 'email'] = v;
			}
			const place = {
				street: cellOf(headers, row, street, normalizers.street),
				city: cellOf(headers, row, city, normalizers.city),
				state: cellOf(headers, row, state, normalizers.state),
				zip: cellOf(headers, row, zip, normalizers.zip),
				mailing: null,
				propertyValue: null,
				equity: null,
				attributes: restAttributes(c, rest, row, attributes)
			};
			return verdict([draftOf({ first: row[first ?? -1], last: row[last ?? -1], full: row[full ?? -1], email, phones }, place)]);
		};
	}
};
