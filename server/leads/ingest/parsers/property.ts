import { phoneTypeOf } from '../normalize';
import { Columns, restAttributes } from './columns';
import { cellOf, draftOf, integerText, normalizers, phoneOf, verdict, type LeadParser, type PlaceCells } from './types';
import type { NormalPhone } from '../normalize';

/**
 * Property-centric vendor exports: one row per property, with its address and attributes,
 * owners 1–2 (each becomes a lead), a mailing address and phones 1–N with their types.
 * Phones named "Phone N" belong to owner 1; "Owner 2 Phone N" to owner 2.
 */
const ATTRIBUTE_COLUMNS: { key: string; names: string[]; read: (v: string) => string | null }[] = [
	{ key: 'beds', names: ['bedrooms', 'beds', 'bedroomcount'], read: integerText },
	{ key: 'baths', names: ['bathrooms', 'baths', 'bathroomcount'], read: (v) => String(normalizers.number(v)) },
	{ key: 'sqft', names: ['squarefootage', 'sqft', 'buildingsqft', 'livingarea', 'livingsqft'], read: integerText },
	{ key: 'yearBuilt', names: ['yearbuilt', 'builtyear'], read: integerText },
	{ key: 'lotSqft', names: ['lotsize', 'lotsqft', 'lotsquarefootage'], read: integerText },
	{ key: 'propertyType', names: ['propertytype', 'landuse'], read: normalizers.text }
];

export const propertyParser: LeadParser = {
	id: 'property',
	label: 'Property-centric vendor export',
	score(headers) {
		const c = new Columns(headers);
		let score = 0;
		if (c.has(/^(property|site|situs)(address|street)/)) score += 0.4;
		if (c.has(/^owner\d?(first|last|full)?name/)) score += 0.3;
		if (c.has(/^mailing(address|street)/)) score += 0.1;
		if (c.has(/^(bedrooms|beds|yearbuilt|estimatedvalue|estimatedequity|equity|squarefootage|sqft)$/)) score += 0.2;
		return score;
	},
	bind(headers) {
		const c = new Columns(headers);
		const street = c.find('propertyaddress', 'propertystreet', 'propertystreetaddress', 'siteaddress', 'situsaddress', 'address');
		const city = c.find('propertycity', 'sitecity', 'situscity', 'city');
		const state = c.find('propertystate', 'sitestate', 'situsstate', 'state');
		const zip = c.find('propertyzip', 'propertyzipcode', 'sitezip', 'situszip', 'zip', 'zipcode');
		const mStreet = c.find('mailingaddress', 'mailingstreet', 'mailaddress');
		const mCity = c.find('mailingcity', 'mailcity');
		const mState = c.find('mailingstate', 'mailstate');
		const mZip = c.find('mailingzip', 'mailingzipcode', 'mailzip');
		const value = c.find('estimatedvalue', 'estvalue', 'marketvalue', 'avm', 'propertyvalue');
		const equity = c.find('estimatedequity', 'equity', 'estequity');
		const attrs = ATTRIBUTE_COLUMNS.map((a) => ({ ...a, index: c.find(...a.names) }));
		const owners = [1, 2].map((n) => {
			const first = c.find(`owner${n}firstname`, ...(n === 1 ? ['ownerfirstname', 'firstname'] : []));
			const last = c.find(`owner${n}lastname`, ...(n === 1 ? ['ownerlastname', 'lastname'] : []));
			const full = c.find(`owner${n}fullname`, `owner${n}name`, ...(n === 1 ? ['ownerfullname', 'ownername'] : []));
			const email = c.find(`owner${n}email`, `owner${n}email1`, ...(n === 1 ? ['email', 'email1'] : []));
			const own = new RegExp(`^owner${n}phone(\\d*)$`);
			const plain = n === 1 ? /^phone(\d*)$/ : null;
			const phoneCols = [...c.numbered(own), ...(plain ? c.numbered(plain) : [])].map((p) => {
				c.used.add(p.index);
				const type = c.find(`${p.token}type`);
				return { index: p.index, type };
			});
			return { first, last, full, email, phoneCols };
		});
		const rest = c.rest();
		return (row) => {
			const attributes: Record<string, string> = {};
			for (const a of attrs) {
				const v = cellOf(headers, row, a.index, a.read);
				if (v !== null) attributes[a.key] = v;
			}
			const mailingParts = {
				street: cellOf(headers, row, mStreet, normalizers.street) ?? undefined,
				city: cellOf(headers, row, mCity, normalizers.city) ?? undefined,
				state: cellOf(headers, row, mState, normalizers.state) ?? undefined,
				zip: cellOf(headers, row, mZip, normalizers.zip) ?? undefined
			};
			const place: PlaceCells = {
				street: cellOf(headers, row, street, normalizers.street),
				city: cellOf(headers, row, city, normalizers.city),
				state: cellOf(headers, row, state, normalizers.state),
				zip: cellOf(headers, row, zip, normalizers.zip),
				mailing: mailingParts.street || mailingParts.city ? mailingParts : null,
				propertyValue: cellOf(headers, row, value, normalizers.money),
				equity: cellOf(headers, row, equity, normalizers.money),
				attributes: restAttributes(c, rest, row, attributes)
			};
			const drafts = owners.map((o) => {
				const phones: NormalPhone[] = [];
				for (const p of o.phoneCols) {
					const phone = phoneOf(headers, row, p.index, phoneTypeOf(p.type === undefined ? undefined : row[p.type]));
					if (phone) phones.push(phone);
				}
				return draftOf(
					{ first: row[o.first ?? -1], last: row[o.last ?? -1], full: row[o.full ?? -1], email: cellOf(headers, row, o.email, normalizers.email), phones },
					place
				);
			});
			return verdict(drafts);
		};
	}
};
