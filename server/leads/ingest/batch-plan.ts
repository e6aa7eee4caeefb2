import { uuidv7 } from './uuid7';
import type { SourceRow } from './csv-reader';
import { arrayLiteral, copyLine, copyValue } from './copy-format';
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

/** Where a batch ends in the file: what a restart resumes from. */
export interface BatchEnd {
	endOffset: number;
	endRow: number;
	offsetExact: boolean;
}

/**
 * The staging columns, in the order the planner writes them. The group columns come last:
 * each draft's line is encoded when its row is read, and only those three are added once
 * the batch's groups are known.
 */
export const STAGED_LEAD_COLUMNS =
	'row_number, source_row_id, ord, first_name, last_name, full_name, name_key, email, street, city, state, zip, mailing, property_value, equity, attributes, grp, lead_id, first_in_group';
export const STAGED_PHONE_COLUMNS = 'row_number, source_row_id, ord, e164, type, area_code, grp';

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

/**
 * Builds a batch from pieces of rows as they are read (a file chunk at a time). Each row is
 * judged and encoded at once, so the parsed rows die young: a batch keeps only its COPY
 * lines and dedupe keys, not the rows' field arrays and drafts, which would otherwise live
 * (and be promoted by the garbage collector, and grow the heap) until the batch is written.
 */
export class BatchPlanner {
	private rowsCopy: string[] = [];
	private rows = 0;
	private rejected = 0;
	/** Per draft: its staging line without the group columns. */
	private leadLines: string[] = [];
	/** Per phone: its staging line without the group column, and the draft it belongs to. */
	private phoneLines: string[] = [];
	private phoneDrafts: number[] = [];
	private parent: number[] = [];
	private byPhone = new Map<string, number>();
	private byKey = new Map<string, number>();
	// The owners of one row share its place: its attributes and mailing address are encoded once.
	private placeAttributes: LeadDraft['attributes'] | null = null;
	private placeMailing: LeadDraft['mailing'] | undefined;
	private attributes = '{}';
	private mailing: string | null = null;

	constructor(
		private readonly read: RowReader,
		private readonly width: number,
		/** Whose rows these are: written on each source row, which is COPYed straight into its table. */
		private readonly owner: { importId: string; workspaceId: string }
	) {}

	/** Rows added since the last `finish`. */
	get size(): number {
		return this.rows;
	}

	/** Reads, judges and encodes rows; `ids` holds one reserved `source_rows` id per row. */
	add(rows: SourceRow[], ids: number[]): void {
		const importId = copyValue(this.owner.importId);
		const workspaceId = copyValue(this.owner.workspaceId);
		const lines = new Array<string>(rows.length);
		for (let index = 0; index < rows.length; index++) {
			const row = rows[index] as SourceRow;
			const id = ids[index];
			if (id === undefined) throw new Error('BatchPlanner: fewer reserved ids than rows');
			let reject = row.problem ?? raggedReason(row.fields, this.width);
			if (!reject) {
				const result = this.read(row.fields.length > this.width ? row.fields.slice(0, this.width) : row.fields);
				reject = result.reject ?? null;
				if (!reject) result.leads.forEach((draft, ord) => this.addDraft(row.rowNumber, id, ord, draft));
			}
			if (reject) this.rejected++;
			lines[index] = `${id}\t${importId}\t${workspaceId}\t${row.rowNumber}\t${copyValue(arrayLiteral(row.fields))}\t${copyValue(reject)}\n`;
		}
		this.rows += rows.length;
		// One flat string per piece: the rows' field strings can go now.
		this.rowsCopy.push(lines.join(''));
	}

	private link(map: Map<string, number>, key: string, i: number): void {
		const other = map.get(key);
		if (other === undefined) {
			map.set(key, i);
			return;
		}
		const a = find(this.parent, other);
		const b = find(this.parent, i);
		// The earlier draft stays the root, so a group's first draft is its root.
		if (a !== b) this.parent[Math.max(a, b)] = Math.min(a, b);
	}

	private addDraft(row: number, id: number, ord: number, d: LeadDraft): void {
		const i = this.parent.length;
		this.parent.push(i);
		if (d.attributes !== this.placeAttributes) {
			this.placeAttributes = d.attributes;
			this.attributes = Object.keys(d.attributes).length ? JSON.stringify(d.attributes) : '{}';
		}
		if (d.mailing !== this.placeMailing) {
			this.placeMailing = d.mailing;
			this.mailing = d.mailing ? JSON.stringify(d.mailing) : null;
		}
		this.leadLines.push(
			copyLine([row, id, ord, d.firstName, d.lastName, d.fullName || null, d.nameAddressKey, d.email, d.street, d.city, d.state, d.zip, this.mailing, d.propertyValue, d.equity, this.attributes])
		);
		d.phones.forEach((p, k) => {
			this.link(this.byPhone, p.e164, i);
			// A phone a person lists twice is staged once (a row lists a handful at most).
			if (d.phones.findIndex((q) => q.e164 === p.e164) !== k) return;
			this.phoneLines.push(copyLine([row, id, ord, p.e164, p.type, p.areaCode]));
			this.phoneDrafts.push(i);
		});
		if (d.nameAddressKey) this.link(this.byKey, d.nameAddressKey, i);
	}

	/** The batch so far, grouped and encoded; the planner is empty again afterwards. */
	finish(end: BatchEnd): BatchPlan {
		const leadIds = new Map<number, string>();
		const groups = new Array<number>(this.parent.length);
		const leads = new Array<string>(this.leadLines.length);
		for (let i = 0; i < this.leadLines.length; i++) {
			const grp = find(this.parent, i);
			groups[i] = grp;
			let leadId = leadIds.get(grp);
			if (!leadId) leadIds.set(grp, (leadId = uuidv7()));
			// Each line ends in "\n": the group columns go before it.
			const line = this.leadLines[i] as string;
			leads[i] = `${line.slice(0, -1)}\t${grp}\t${leadId}\t${grp === i}\n`;
		}
		const phones = new Array<string>(this.phoneLines.length);
		for (let k = 0; k < this.phoneLines.length; k++) {
			const line = this.phoneLines[k] as string;
			phones[k] = `${line.slice(0, -1)}\t${groups[this.phoneDrafts[k] as number]}\n`;
		}
		const plan: BatchPlan = {
			rows: this.rows,
			rejected: this.rejected,
			endOffset: end.endOffset,
			endRow: end.endRow,
			offsetExact: end.offsetExact,
			copy: { rows: this.rowsCopy.join(''), leads: leads.join(''), phones: phones.join('') }
		};
		this.rowsCopy = [];
		this.rows = 0;
		this.rejected = 0;
		this.leadLines = [];
		this.phoneLines = [];
		this.phoneDrafts = [];
		this.parent = [];
		this.byPhone = new Map();
		this.byKey = new Map();
		return plan;
	}
}
