import { uuidv7 } from './uuid7';
import type { SourceRow } from './csv-reader';
import { arrayLiteral, copyLine } from './copy-format';
import type { LeadDraft, RowReader } from './parsers/types';

/**
 * The Node half of a batch: every row read and judged, every draft of the batch grouped with
 * the others that share a phone or a name+address key (union-find, so A~B and B~C make one
 * group), and the three COPY payloads the SQL half merges set-wise.
 */
export interface BatchPlan {
	rows: number;
	rejected: number;
	endOffset: number;
	endRow: number;
	offsetExact: boolean;
	copy: { rows: string; leads: string; phones: string };
}

function find(parent: number[], i: number): number {
	let root = i;
	while (parent[root] !== root) root = parent[root] ?? root;
	while (parent[i] !== root) {
		const next = parent[i] ?? root;
		parent[i] = root;
		i = next;
	}
	return root;
}

function raggedReason(fields: string[], width: number): string | null {
	if (fields.length === width) return null;
	if (fields.length > width && fields.slice(width).every((f) => f === '')) return null;
	return `ragged row: ${fields.length} fields where the header has ${width}`;
}

export function planBatch(
	batch: { rows: SourceRow[]; endOffset: number; endRow: number; offsetExact: boolean },
	read: RowReader,
	width: number,
	/** One `source_rows` id per row, reserved from its sequence ahead of the write. */
	ids: number[],
	/** Whose rows these are: written on each source row, which is COPYed straight into its table. */
	owner: { importId: string; workspaceId: string }
): BatchPlan {
	const rowsCopy: string[] = [];
	let rejected = 0;
	const drafts: { row: number; id: number; ord: number; draft: LeadDraft }[] = [];
	batch.rows.forEach((row, index) => {
		const id = ids[index];
		if (id === undefined) throw new Error('planBatch: fewer reserved ids than rows');
		let reject = row.problem ?? raggedReason(row.fields, width);
		if (!reject) {
			const result = read(row.fields.length > width ? row.fields.slice(0, width) : row.fields);
			reject = result.reject ?? null;
			if (!reject) result.leads.forEach((draft, ord) => drafts.push({ row: row.rowNumber, id, ord, draft }));
		}
		if (reject) rejected++;
		rowsCopy.push(copyLine([id, owner.importId, owner.workspaceId, row.rowNumber, arrayLiteral(row.fields), reject]));
	});

	const parent = drafts.map((_, i) => i);
	const byKey = new Map<string, number>();
	const link = (key: string, i: number) => {
		const other = byKey.get(key);
		if (other === undefined) byKey.set(key, i);
		else {
			const a = find(parent, other);
			const b = find(parent, i);
			// The earlier draft stays the root, so a group's first draft is its root.
			if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
		}
	};
	drafts.forEach(({ draft }, i) => {
		for (const p of draft.phones) link(`p${p.e164}`, i);
		if (draft.nameAddressKey) link(`k${draft.nameAddressKey}`, i);
	});

	const leadIds = new Map<number, string>();
	const leadsCopy: string[] = [];
	const phonesCopy: string[] = [];
	// The owners of one row share its place: its attributes and mailing address are encoded once.
	let placeAttributes: LeadDraft['attributes'] | null = null;
	let placeMailing: LeadDraft['mailing'] | undefined;
	let attributes = '{}';
	let mailing: string | null = null;
	drafts.forEach(({ row, id, ord, draft: d }, i) => {
		const grp = find(parent, i);
		let leadId = leadIds.get(grp);
		if (!leadId) leadIds.set(grp, (leadId = uuidv7()));
		if (d.attributes !== placeAttributes) {
			placeAttributes = d.attributes;
			attributes = Object.keys(d.attributes).length ? JSON.stringify(d.attributes) : '{}';
		}
		if (d.mailing !== placeMailing) {
			placeMailing = d.mailing;
			mailing = d.mailing ? JSON.stringify(d.mailing) : null;
		}
		leadsCopy.push(copyLine([
			row, id, ord, grp, leadId, grp === i, d.firstName, d.lastName, d.fullName || null, d.nameAddressKey, d.email,
			d.street, d.city, d.state, d.zip, mailing, d.propertyValue, d.equity, attributes
		]));
		const seen = new Set<string>();
		for (const p of d.phones) {
			if (seen.has(p.e164)) continue;
			seen.add(p.e164);
			phonesCopy.push(copyLine([grp, row, id, ord, p.e164, p.type, p.areaCode]));
		}
	});
	return {
		rows: batch.rows.length,
		rejected,
		endOffset: batch.endOffset,
		endRow: batch.endRow,
		offsetExact: batch.offsetExact,
		copy: { rows: rowsCopy.join(''), leads: leadsCopy.join(''), phones: phonesCopy.join('') }
	};
}
