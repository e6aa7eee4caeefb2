import type { ConsentBasis, PhoneType } from '$db/schema/leads';
import type { LeadFilter, LeadSort } from '$server/leads/filter';
import type { MappableField } from '$server/leads/ingest/parsers/generic';
import type { FileEncoding } from '$server/leads/ingest/encoding';
import type { Delimiter } from '$server/leads/ingest/inspect';

export type { LeadFilter, LeadSort };

export const CONSENT_LABELS: Record<ConsentBasis, string> = {
	none: 'No consent',
	existing_relationship: 'Existing relationship',
	express_written: 'Express written'
};

export const PHONE_TYPE_LABELS: Record<PhoneType, string> = {
	mobile: 'Mobile',
	landline: 'Landline',
	voip: 'VoIP',
	unknown: 'Unknown type'
};

export const SORT_LABELS: Record<LeadSort, string> = {
	created: 'Newest first',
	name: 'Name A–Z',
	state: 'State A–Z'
};

/** +14155550134 → (415) 555-0134; other countries stay in E.164. */
export function formatPhone(e164: string): string {
	const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
	return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export function formatAddress(a: { street?: string | null; city?: string | null; state?: string | null; zip?: string | null }): string {
	const place = [a.city, [a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
	return [a.street, place].filter(Boolean).join(', ');
}

const list = (value: string | null) =>
	(value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);

/**
 * The filter lives in the page URL, so a filtered table can be shared, bookmarked and
 * reached with the back button. Values the server would refuse are dropped here.
 */
export function filterFromParams(params: URLSearchParams): { filter: LeadFilter; sort: LeadSort } {
	const filter: LeadFilter = {};
	const q = params.get('q')?.trim();
	if (q) filter.q = q.slice(0, 200);
	const states = list(params.get('state'))
		.map((s) => s.toUpperCase())
		.filter((s) => /^[A-Z]{2}$/.test(s));
	if (states.length) filter.states = states.slice(0, 60);
	const areaCodes = list(params.get('area')).filter((s) => /^\d{3}$/.test(s));
	if (areaCodes.length) filter.areaCodes = areaCodes.slice(0, 100);
	const city = params.get('city')?.trim();
	if (city) filter.city = city.slice(0, 100);
	const zip = params.get('zip')?.trim();
	if (zip && /^\d{5}$/.test(zip)) filter.zip = zip;
	const tags = list(params.get('tag')).filter((t) => t.length <= 50);
	if (tags.length) filter.tags = tags.slice(0, 20);
	const file = params.get('file');
	if (file && /^[0-9a-f-]{36}$/i.test(file)) filter.importId = file;
	const consent = list(params.get('consent')).filter((c): c is ConsentBasis => c in CONSENT_LABELS);
	if (consent.length) filter.consent = consent;
	const dnc = params.get('dnc');
	if (dnc === 'listed' || dnc === 'clear') filter.dnc = dnc;
	const attributes = params
		.getAll('attr')
		.map((pair) => {
			const at = pair.indexOf('=');
			return at > 0 ? { key: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() } : null;
		})
		.filter((a): a is { key: string; value: string } => !!a && !!a.key);
	if (attributes.length) filter.attributes = attributes.slice(0, 10);
	const sortParam = params.get('sort');
	const sort: LeadSort = sortParam === 'name' || sortParam === 'state' ? sortParam : 'created';
	return { filter, sort };
}

export function paramsFromFilter(filter: LeadFilter, sort: LeadSort = 'created'): URLSearchParams {
	const params = new URLSearchParams();
	if (filter.q) params.set('q', filter.q);
	if (filter.states?.length) params.set('state', filter.states.join(','));
	if (filter.areaCodes?.length) params.set('area', filter.areaCodes.join(','));
	if (filter.city) params.set('city', filter.city);
	if (filter.zip) params.set('zip', filter.zip);
	if (filter.tags?.length) params.set('tag', filter.tags.join(','));
	if (filter.importId) params.set('file', filter.importId);
	if (filter.consent?.length) params.set('consent', filter.consent.join(','));
	if (filter.dnc && filter.dnc !== 'any') params.set('dnc', filter.dnc);
	for (const a of filter.attributes ?? []) params.append('attr', `${a.key}=${a.value}`);
	if (sort !== 'created') params.set('sort', sort);
	return params;
}

/** One chip per part of a filter, with the filter that remains when it is removed. */
export function filterChips(filter: LeadFilter, fileName: (id: string) => string): { label: string; without: LeadFilter }[] {
	const chips: { label: string; without: LeadFilter }[] = [];
	const drop = (change: Partial<LeadFilter>) => ({ ...filter, ...change });
	if (filter.q) chips.push({ label: `“${filter.q}”`, without: drop({ q: undefined }) });
	for (const s of filter.states ?? []) chips.push({ label: `State ${s}`, without: drop({ states: filter.states?.filter((x) => x !== s) }) });
	for (const a of filter.areaCodes ?? []) chips.push({ label: `Area code ${a}`, without: drop({ areaCodes: filter.areaCodes?.filter((x) => x !== a) }) });
	if (filter.city) chips.push({ label: `City ${filter.city}`, without: drop({ city: undefined }) });
	if (filter.zip) chips.push({ label: `ZIP ${filter.zip}`, without: drop({ zip: undefined }) });
	for (const t of filter.tags ?? []) chips.push({ label: `Tag ${t}`, without: drop({ tags: filter.tags?.filter((x) => x !== t) }) });
	if (filter.importId) chips.push({ label: `From ${fileName(filter.importId)}`, without: drop({ importId: undefined }) });
	for (const c of filter.consent ?? []) chips.push({ label: CONSENT_LABELS[c], without: drop({ consent: filter.consent?.filter((x) => x !== c) }) });
	if (filter.dnc === 'listed') chips.push({ label: 'On do-not-contact', without: drop({ dnc: undefined }) });
	if (filter.dnc === 'clear') chips.push({ label: 'Not on do-not-contact', without: drop({ dnc: undefined }) });
	for (const a of filter.attributes ?? []) chips.push({ label: `${a.key} = ${a.value}`, without: drop({ attributes: filter.attributes?.filter((x) => x !== a) }) });
	return chips;
}

export function isEmptyFilter(filter: LeadFilter): boolean {
	return paramsFromFilter(filter).size === 0;
}

export type { MappableField } from '$server/leads/ingest/parsers/generic';

/** Lead fields a generic CSV column can be mapped to (a copy of the server's list, checked by the types). */
export const FIELD_LABELS = {
	firstName: 'First name',
	lastName: 'Last name',
	fullName: 'Full name',
	email: 'E-mail',
	phone: 'Phone',
	mobile: 'Mobile phone',
	landline: 'Landline phone',
	street: 'Street address',
	city: 'City',
	state: 'State',
	zip: 'ZIP code',
	mailingStreet: 'Mailing street',
	mailingCity: 'Mailing city',
	mailingState: 'Mailing state',
	mailingZip: 'Mailing ZIP',
	propertyValue: 'Property value',
	equity: 'Equity',
	attribute: 'Keep as attribute',
	ignore: 'Ignore'
} as const satisfies Record<MappableField, string>;

export const ENCODING_LABELS = {
	'utf-8': 'UTF-8',
	'utf-16le': 'UTF-16 (little-endian)',
	'utf-16be': 'UTF-16 (big-endian)',
	'windows-1252': 'Latin-1 / Windows-1252'
} as const satisfies Record<FileEncoding, string>;

export const DELIMITER_LABELS = {
	',': 'Comma  ,',
	';': 'Semicolon  ;',
	'\t': 'Tab',
	'|': 'Pipe  |'
} as const satisfies Record<Delimiter, string>;

export const IMPORT_STATUS_LABELS: Record<string, string> = {
	uploading: 'Uploading',
	uploaded: 'Waiting to start',
	queued: 'Queued',
	running: 'Importing',
	completed: 'Completed',
	failed: 'Failed',
	cancelled: 'Cancelled'
};
