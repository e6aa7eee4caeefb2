/**
 * CodeMirror for prose in markdown: the extensions shared by the live brief editor and the
 * read-only version preview. Colours are the app's CSS variables (app/app.css), so one theme
 * follows light and dark as the `dark` class on <html> changes.
 */
import { defaultKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { yUndoManagerKeymap } from 'y-codemirror.next';

const selection = 'color-mix(in oklab, var(--color-accent) 24%, transparent)';

const theme = EditorView.theme({
	'&': { color: 'var(--color-ink)', backgroundColor: 'transparent', fontSize: 'inherit' },
	'&.cm-focused': { outline: 'none' },
	'.cm-scroller': { fontFamily: 'var(--font-sans)', lineHeight: '1.7', overflowX: 'hidden' },
	'.cm-content': { padding: '14px 0 18px', caretColor: 'var(--color-ink)' },
	'.cm-line': { padding: '0 16px' },
	'@media (min-width: 640px)': {
		'.cm-line': { padding: '0 20px' }
	},
	'.cm-cursor, .cm-dropCursor': { borderLeft: '2px solid var(--color-ink)' },
	'&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
		{ backgroundColor: selection },
	'.cm-placeholder': { color: 'var(--color-faint)', whiteSpace: 'pre-wrap' },
	// Collaborators' carets: always labelled with the name (y-codemirror shows it on hover only).
	'.cm-ySelectionCaret': { borderLeftWidth: '2px', borderRightWidth: '0', marginLeft: '-1px', marginRight: '-1px' },
	'.cm-ySelectionCaretDot': { display: 'none' },
	'.cm-ySelectionInfo': {
		opacity: '1',
		top: '-1.5em',
		left: '-2px',
		padding: '1px 6px',
		borderRadius: '4px 4px 4px 0',
		fontFamily: 'var(--font-sans)',
		fontSize: '11px',
		fontWeight: '600',
		lineHeight: '1.45',
		letterSpacing: '0.01em',
		pointerEvents: 'none'
	},
	'.cm-ySelectionCaret:hover > .cm-ySelectionInfo': { opacity: '0.25' }
});

const highlight = HighlightStyle.define([
	{ tag: tags.heading1, fontSize: '1.4em', fontWeight: '650', letterSpacing: '-0.015em' },
	{ tag: tags.heading2, fontSize: '1.2em', fontWeight: '620', letterSpacing: '-0.01em' },
	{ tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontSize: '1.05em', fontWeight: '620' },
	{ tag: tags.strong, fontWeight: '650' },
	{ tag: tags.emphasis, fontStyle: 'italic' },
	{ tag: tags.strikethrough, textDecoration: 'line-through' },
	{ tag: [tags.link, tags.url], color: 'var(--color-accent-ink)', textDecoration: 'underline', textUnderlineOffset: '2px' },
	{ tag: tags.monospace, fontFamily: 'var(--font-mono)', fontSize: '0.9em', backgroundColor: 'var(--color-subtle)', borderRadius: '4px' },
	{ tag: tags.quote, color: 'var(--color-muted)', fontStyle: 'italic' },
	{ tag: [tags.processingInstruction, tags.contentSeparator, tags.labelName], color: 'var(--color-faint)' }
]);

/** What someone sees in an empty brief: the kind of thing to write, in markdown (or, for a viewer, that it is empty). */
function placeholderText(editable: boolean): HTMLElement {
	const element = document.createElement('span');
	element.textContent = editable
		? [
				'# What we are working on',
				'',
				'Write the team’s brief here: goals, audience, tone of voice, links.',
				'Markdown works: **bold**, _italic_, - lists, [links](https://…).',
				'Everyone in the workspace sees it, and changes appear live.'
			].join('\n')
		: 'Nothing here yet. When an editor writes the brief, it appears here as they type.';
	return element;
}

/**
 * Collaborators' carets are widgets inside the text, name tag and all: keep them out of what
 * a screen reader reads as the document (CodeMirror ignores changes inside widgets).
 */
export const quietRemoteCarets = EditorView.updateListener.of((update) => {
	for (const caret of update.view.contentDOM.querySelectorAll('.cm-ySelectionCaret:not([aria-hidden])')) {
		caret.setAttribute('aria-hidden', 'true');
	}
});

/** Everything but collaboration and access: markdown, theme, wrapping, the label. */
export function proseExtensions(label: string): Extension[] {
	return [
		highlightSpecialChars(),
		drawSelection(),
		EditorView.lineWrapping,
		markdown(),
		syntaxHighlighting(highlight),
		theme,
		EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'true', autocapitalize: 'sentences' })
	];
}

export function placeholderExtension(editable: boolean): Extension {
	return placeholder(placeholderText(editable));
}

/**
 * Whether the person may change the text. Undo/redo are left out when they may not: the
 * Yjs undo manager writes to the document directly, past CodeMirror's read-only flag.
 */
export function accessExtensions(editable: boolean): Extension[] {
	return [
		EditorState.readOnly.of(!editable),
		EditorView.editable.of(editable),
		editable ? keymap.of([...yUndoManagerKeymap, ...defaultKeymap]) : keymap.of(defaultKeymap)
	];
}
