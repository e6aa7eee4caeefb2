import type { PhoneType } from '../../../../db/schema/leads';
import { CellError, nameAddressKey, normalizeCity, normalizeEmail, normalizeMoney, normalizeName, normalizeNumber, normalizePhone, normalizeState, normalizeStreet, normalizeZip, type NormalPhone } from '../normalize';

export const PARSER_IDS = ['property', 'contact', 'generic'] as const;
export type ParserId = (typeof PARSER_IDS)[number];

export interface Address {
	street?: string;
	city?: string;
	state?: string;
	zip?: string;
}

/** One person a row describes, normalised, ready for dedupe and the write path. */
export interface LeadDraft extends PlaceCells {
	firstName: string | null;
	lastName: string | null;
	fullName: string;
	nameAddressKey: string | null;
	email: string | null;
	phones: NormalPhone[];
}

export interface RowResult {
	leads: LeadDraft[];
	reject?: string;
}

export type RowReader = (row: string[]) => RowResult;

export interface LeadParser {
	id: ParserId;
	label: string;
	/** 0…1: how well a header row matches what this parser reads. */
	score(headers: string[]): number;
	/** Resolves columns once per file; the returned reader handles one row. */
	bind(headers: string[], mapping?: Record<string, string> | null): RowReader;
}

/** Reads cell `index` through `fn`; a CellError becomes "<Header>: <problem>". */
export function cellOf<T>(headers: string[], row: string[], index: number | undefined, fn: (v: string) => T | null): T | null {
	if (index === undefined) return null;
	const value = row[index];
	if (value === undefined || value === '') return null;
	try {
		return fn(value);
	} catch (error) {
		if (error instanceof CellError) throw new CellError(`${headers[index] ?? `column ${index + 1}`}: ${error.message}`);
		throw error;
	}
}

export interface PersonCells {
	first?: string | null;
	last?: string | null;
	full?: string | null;
	email?: string | null;
	phones: NormalPhone[];
}

export interface PlaceCells {
	street: string | null;
	city: string | null;
	state: string | null;
	zip: string | null;
	mailing: Address | null;
	propertyValue: number | null;
	equity: number | null;
	attributes: Record<string, string>;
}

/** "Smith, Jane" → Jane / Smith; "Jane Q Smith" → Jane / Smith. */
function splitFull(full: string): { first: string | null; last: string | null } {
	if (full.includes(',')) {
		const [last, first] = full.split(',', 2).map((s) => s.trim());
		return { first: first || null, last: last || null };
	}
	const parts = full.split(' ');
	if (parts.length === 1) return { first: null, last: parts[0] ?? null };
	return { first: parts[0] ?? null, last: parts.at(-1) ?? null };
}

/** A person with a place; null when the person has neither a name nor a phone. */
export function draftOf(person: PersonCells, place: PlaceCells): LeadDraft | null {
	let first = normalizeName(person.first ?? undefined);
	let last = normalizeName(person.last ?? undefined);
	const full = normalizeName(person.full ?? undefined);
	if (full && !first && !last) ({ first, last } = splitFull(full));
	const fullName = full ?? [first, last].filter(Boolean).join(' ');
	if (!fullName && person.phones.length === 0) return null;
	return {
		firstName: first,
		lastName: last,
		fullName,
		nameAddressKey: nameAddressKey(fullName || null, place.street, place.zip, place.city),
		email: person.email ?? null,
		street: place.street,
		city: place.city,
		state: place.state,
		zip: place.zip,
		mailing: place.mailing,
		propertyValue: place.propertyValue,
		equity: place.equity,
		attributes: place.attributes,
		phones: person.phones
	};
}

/** The verdict for a row's drafts: usable when some lead has a phone or a name and an address. */
export function verdict(drafts: (LeadDraft | null)[]): RowResult {
	const leads = drafts.filter((d): d is LeadDraft => d !== null);
	const usable = leads.filter((d) => d.phones.length > 0 || d.nameAddressKey !== null);
	if (usable.length === 0) {
		const reason = leads.length === 0 ? 'no name and no phone' : 'no usable phone and no name with an address';
		return { leads: [], reject: reason };
	}
	return { leads: usable };
}

export const normalizers = {
	name: normalizeName,
	street: (v: string) => normalizeStreet(v),
	city: (v: string) => normalizeCity(v),
	state: (v: string) => normalizeState(v),
	zip: (v: string) => normalizeZip(v),
	number: (v: string) => normalizeNumber(v),
	money: (v: string) => normalizeMoney(v),
	email: (v: string) => normalizeEmail(v),
	text: (v: string) => v.trim() || null
};

export function phoneOf(headers: string[], row: string[], index: number | undefined, type: PhoneType | null): NormalPhone | null {
	return cellOf(headers, row, index, (v) => normalizePhone(v, type));
}

/** Whole-number attribute such as a year; "1987.0" from a spreadsheet is fine. */
export function integerText(v: string): string | null {
	const n = normalizeNumber(v);
	if (n === null) return null;
	if (!Number.isInteger(n)) throw new CellError(`"${v}" is not a whole number`);
	return String(n);
}
