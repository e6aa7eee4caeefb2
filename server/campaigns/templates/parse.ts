import { mergeFieldProblem } from './merge-fields';

/**
 * The template language, small on purpose:
 * - `{{first_name}}` or `{{first_name|there}}`: a merge field with an optional fallback;
 * - `{Hi|Hello|Hey}`: spintax, one option per lead, nestable (`{Hi|Hey {there|you}}`);
 *   an option may be empty (`{ again|}`);
 * - `\{ \} \| \\`: a literal brace, bar or backslash. Any other backslash is literal, so
 *   pasted text rarely needs escaping.
 * A `|` outside braces is plain text. Positions are UTF-16 offsets into the source, the
 * unit editors (CodeMirror, textarea selection) use.
 */
export type TemplateNode =
	| { kind: 'text'; value: string; start: number; end: number }
	| { kind: 'merge'; key: string; fallback: string | null; start: number; end: number }
	| { kind: 'spin'; options: TemplateNode[][]; start: number; end: number };

export type TemplateIssueCode = 'unclosed_spin' | 'unexpected_close' | 'empty_spin' | 'single_option' | 'too_deep' | 'bad_merge_field' | 'unknown_merge_field';

export interface TemplateIssue {
	code: TemplateIssueCode;
	message: string;
	start: number;
	end: number;
}

export interface ParsedTemplate {
	source: string;
	nodes: TemplateNode[];
	/** Empty when the template is valid; the nodes are still a best effort for previews. */
	issues: TemplateIssue[];
}

/** Deep enough for any sentence people write; deeper is a sign of a pasting accident. */
export const MAX_SPIN_DEPTH = 6;

const MERGE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|((?:\\[\s\S]|[^{}|\\])*))?\}\}/y;
/** Double braces that are not a well-formed merge field: report, never read as spintax. */
const MERGE_LIKE = /\{\{([^{}]*)\}\}/y;
const ESCAPABLE = '{}|\\';

export function unescapeTemplateText(text: string): string {
	return text.replace(/\\([{}|\\])/g, '$1');
}

class Parser {
	private i = 0;
	readonly issues: TemplateIssue[] = [];
	private reportedDepth = false;

	constructor(private readonly src: string) {}

	parse(): TemplateNode[] {
		return this.sequence(0, false);
	}

	private issue(code: TemplateIssueCode, start: number, end: number, message: string): void {
		this.issues.push({ code, message, start, end });
	}

	/** Reads until the end, or (inside spintax) until the `|` or `}` that ends an option. */
	private sequence(depth: number, inSpin: boolean): TemplateNode[] {
		const { src } = this;
		const nodes: TemplateNode[] = [];
		let text = '';
		let textStart = this.i;
		const flush = () => {
			if (text !== '') nodes.push({ kind: 'text', value: text, start: textStart, end: this.i });
			text = '';
		};
		const append = (value: string, width: number) => {
			if (text === '') textStart = this.i;
			text += value;
			this.i += width;
		};
		while (this.i < src.length) {
			const c = src[this.i] as string;
			if (c === '\\' && ESCAPABLE.includes(src[this.i + 1] ?? '')) {
				append(src[this.i + 1] as string, 2);
				continue;
			}
			if (c === '{') {
				flush();
				nodes.push(this.mergeField() ?? this.spin(depth + 1));
				continue;
			}
			if ((c === '|' || c === '}') && inSpin) break;
			if (c === '}') this.issue('unexpected_close', this.i, this.i + 1, 'This } closes nothing. Write \\} for a literal brace.');
			append(c, 1);
		}
		flush();
		return nodes;
	}

	private mergeField(): TemplateNode | null {
		const start = this.i;
		MERGE.lastIndex = start;
		const match = MERGE.exec(this.src);
		if (match) {
			this.i = MERGE.lastIndex;
			const key = match[1] as string;
			const fallback = match[2] === undefined ? null : unescapeTemplateText(match[2]).trim();
			const problem = mergeFieldProblem(key);
			if (problem) this.issue('unknown_merge_field', start, this.i, problem);
			return { kind: 'merge', key, fallback, start, end: this.i };
		}
		MERGE_LIKE.lastIndex = start;
		const like = MERGE_LIKE.exec(this.src);
		if (!like) return null;
		this.i = MERGE_LIKE.lastIndex;
		this.issue('bad_merge_field', start, this.i, 'Write a merge field as {{field}} or {{field|fallback}}: one field name, at most one |.');
		return { kind: 'merge', key: (like[1] as string).trim(), fallback: null, start, end: this.i };
	}

	private spin(depth: number): TemplateNode {
		const start = this.i;
		if (depth > MAX_SPIN_DEPTH && !this.reportedDepth) {
			this.reportedDepth = true;
			this.issue('too_deep', start, start + 1, `Spintax can nest ${MAX_SPIN_DEPTH} levels deep at most.`);
		}
		this.i++;
		const options: TemplateNode[][] = [];
		for (;;) {
			options.push(this.sequence(depth, true));
			const c = this.src[this.i];
			this.i++;
			if (c === '|') continue;
			if (c === undefined) {
				this.i = this.src.length;
				this.issue('unclosed_spin', start, start + 1, 'This { is never closed. Close it with }, or write \\{ for a literal brace.');
			}
			break;
		}
		const node: TemplateNode = { kind: 'spin', options, start, end: this.i };
		if (options.length === 1) {
			const empty = (options[0] as TemplateNode[]).length === 0;
			if (empty) this.issue('empty_spin', start, this.i, 'Empty braces: put options inside, like {Hi|Hello}.');
			else this.issue('single_option', start, this.i, 'Spintax needs two or more options separated by |. Write \\{ and \\} for literal braces.');
		}
		return node;
	}
}

export function parseTemplate(source: string): ParsedTemplate {
	const parser = new Parser(source);
	const nodes = parser.parse();
	parser.issues.sort((a, b) => a.start - b.start);
	return { source, nodes, issues: parser.issues };
}

/** Every node, depth first, options included. */
export function* walkNodes(nodes: readonly TemplateNode[]): Generator<TemplateNode> {
	for (const node of nodes) {
		yield node;
		if (node.kind === 'spin') for (const option of node.options) yield* walkNodes(option);
	}
}
