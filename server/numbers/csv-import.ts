import Papa from 'papaparse';
import { areaCodeState, npaOf } from './area-codes';
import { senderNumberSchema, type SenderNumberFields } from './sender-number';

/**
 * Sender numbers from a CSV a provider console exports or a person types: headers matched
 * loosely, each row read on its own through the schema, and every problem reported with its
 * row (as a spreadsheet counts them: the header is row 1) and field, so one bad row never
 * hides the good ones. Nothing throws for a user's mistake.
 */
type Field = 'e164' | 'providerAccount' | 'brandId' | 'campaignId' | 'areaCode' | 'state' | 'status' | 'dailyCap';

const ALIASES: Record<Field, string[]> = {
	e164: ['e164', 'phone', 'phonenumber', 'number', 'sendernumber', 'from', 'fromnumber'],
	providerAccount: ['provideraccount', 'account', 'accountsid', 'accountid', 'provider'],
	brandId: ['brandid', 'brand', '10dlcbrand', '10dlcbrandid', 'tcrbrandid'],
	campaignId: ['campaignid', 'campaign', '10dlccampaign', '10dlccampaignid', 'tcrcampaignid'],
	areaCode: ['areacode', 'npa'],
	state: ['state', 'st'],
	status: ['status'],
	dailyCap: ['dailycap', 'cap', 'dailylimit', 'perday']
};
const REQUIRED: Field[] = ['e164', 'providerAccount', 'brandId', 'campaignId'];
const LABEL: Record<Field, string> = {
	e164: 'phone number',
	providerAccount: 'provider account',
	brandId: '10DLC brand id',
	campaignId: '10DLC campaign id',
	areaCode: 'area code',
	state: 'state',
	status: 'status',
	dailyCap: 'daily cap'
};
export const MAX_SENDER_ROWS = 10_000;

export interface RowError {
	row: number;
	field: Field | null;
	message: string;
}

/** The fields a row may leave out: a new number gets the default, a known one keeps its value. */
export const OPTIONAL_FIELDS = ['areaCode', 'state', 'status', 'dailyCap'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/**
 * `given`: the optional fields this row has a value for (its column exists and the cell is not
 * blank). Only those change a number already in the inventory; a file without a status column
 * must not reactivate a paused number.
 */
export type RowResult = { ok: true; number: SenderNumberFields; given: OptionalField[] } | { ok: false; errors: RowError[] };

export interface ParsedSenderRow {
	row: number;
	number: SenderNumberFields;
	given: OptionalField[];
}

export type SenderCsvResult = { ok: true; numbers: ParsedSenderRow[]; errors: RowError[] } | { ok: false; message: string };

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Which column holds each field, by header; a header matches at most one field. */
export function mapHeaders(headers: readonly string[]): Partial<Record<Field, number>> {
	const out: Partial<Record<Field, number>> = {};
	headers.forEach((h, i) => {
		const key = squash(h);
		const field = (Object.keys(ALIASES) as Field[]).find((f) => ALIASES[f].includes(key));
		if (field && out[field] === undefined) out[field] = i;
	});
	return out;
}

/** "(415) 555-0100", "1-415-555-0100", "+14155550100" → "+14155550100"; null when not 10 digits (+1). */
export function toUsE164(cell: string): string | null {
	const digits = cell.replace(/\D/g, '');
	if (digits.length === 10) return `+1${digits}`;
	if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
	return null;
}

/** One row, by field; cells already picked out of the CSV. */
export function parseSenderRow(cells: Partial<Record<Field, string>>, row: number): RowResult {
	const errors: RowError[] = [];
	const text = (f: Field) => (cells[f] ?? '').trim();
	const e164 = toUsE164(text('e164'));
	if (!e164) errors.push({ row, field: 'e164', message: text('e164') ? `"${text('e164')}" is not a US phone number` : 'phone number is required' });
	const areaCode = text('areaCode') || (e164 && npaOf(e164)) || '';
	const state = (text('state') || areaCodeState(areaCode) || '').toUpperCase();
	let dailyCap: number | null = null;
	if (text('dailyCap')) {
		const plain = text('dailyCap').replace(/[,_\s]/g, '');
		if (/^\d+$/.test(plain)) dailyCap = Number(plain);
		else errors.push({ row, field: 'dailyCap', message: `daily cap "${text('dailyCap')}" is not a whole number` });
	}
	const candidate = {
		e164: e164 ?? '',
		providerAccount: text('providerAccount'),
		brandId: text('brandId'),
		campaignId: text('campaignId'),
		areaCode,
		state,
		status: text('status').toLowerCase() || undefined,
		dailyCap
	};
	const parsed = senderNumberSchema.safeParse(candidate);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = (issue.path[0] as Field | undefined) ?? null;
			// A field already reported above would only repeat itself through the schema, and an
			// area code or state the row left blank was derived from a number already reported bad.
			if (field && errors.some((e) => e.field === field)) continue;
			if (!e164 && (field === 'areaCode' || field === 'state') && !text(field)) continue;
			const message = field === 'status' ? `status must be one of active, paused, blocked (got "${text('status')}")` : issue.message;
			errors.push({ row, field, message });
		}
	}
	if (!parsed.success || errors.length > 0) return { ok: false, errors };
	return { ok: true, number: parsed.data, given: OPTIONAL_FIELDS.filter((f) => text(f) !== '') };
}

/** A whole file: the numbers it holds, and an error per problem row. */
export function parseSenderCsv(text: string): SenderCsvResult {
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
	const rows = parsed.data;
	const header = rows[0];
	if (!header || header.every((h) => !h.trim())) return { ok: false, message: 'The file is empty: expected a header row and one number per row.' };
	const columns = mapHeaders(header);
	const missing = REQUIRED.filter((f) => columns[f] === undefined);
	if (missing.length > 0) {
		return { ok: false, message: `The file has no column for ${missing.map((f) => LABEL[f]).join(', ')}. Expected headers such as e164, provider_account, brand_id, campaign_id (area_code, state, status, daily_cap optional).` };
	}
	if (rows.length - 1 > MAX_SENDER_ROWS) return { ok: false, message: `The file has ${rows.length - 1} rows; import at most ${MAX_SENDER_ROWS} numbers at a time.` };

	const numbers: ParsedSenderRow[] = [];
	const errors: RowError[] = [];
	const seen = new Map<string, number>();
	for (let r = 1; r < rows.length; r++) {
		const cells = rows[r]!;
		if (cells.every((c) => !c.trim())) continue;
		const picked: Partial<Record<Field, string>> = {};
		for (const [field, i] of Object.entries(columns) as [Field, number][]) picked[field] = cells[i];
		const result = parseSenderRow(picked, r + 1);
		if (!result.ok) {
			errors.push(...result.errors);
			continue;
		}
		const earlier = seen.get(result.number.e164);
		if (earlier !== undefined) {
			errors.push({ row: r + 1, field: 'e164', message: `${result.number.e164} is already on row ${earlier}` });
			continue;
		}
		seen.set(result.number.e164, r + 1);
		numbers.push({ row: r + 1, number: result.number, given: result.given });
	}
	return { ok: true, numbers, errors };
}
