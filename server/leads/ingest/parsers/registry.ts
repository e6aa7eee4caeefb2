import { CellError } from '../normalize';
import { contactParser } from './contact';
import { genericParser } from './generic';
import { propertyParser } from './property';
import type { LeadParser, ParserId, RowReader } from './types';

/** Every parser, in the order the choice is shown. */
export const PARSERS: readonly LeadParser[] = [propertyParser, contactParser, genericParser];

export function parserById(id: string): LeadParser | undefined {
	return PARSERS.find((p) => p.id === id);
}

export interface ParserScore {
	id: ParserId;
	label: string;
	score: number;
}

/** Every parser's score for these headers, best first; the generic parser is the fallback. */
export function scoreParsers(headers: string[]): ParserScore[] {
	return PARSERS.map((p) => ({ id: p.id, label: p.label, score: Math.round(p.score(headers) * 100) / 100 })).sort((a, b) => b.score - a.score);
}

/**
 * A row reader that never throws for a row's content: a bad cell becomes the row's reject
 * reason, so one bad row never stops an import.
 */
export function readerFor(parser: LeadParser, headers: string[], mapping?: Record<string, string> | null): RowReader {
	const read = parser.bind(headers, mapping);
	return (row) => {
		try {
			return read(row);
		} catch (error) {
			if (error instanceof CellError) return { leads: [], reject: error.message };
			throw error;
		}
	};
}
