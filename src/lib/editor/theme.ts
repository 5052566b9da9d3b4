// The editor's look, from the page's CSS variables (so the light/dark switch needs no reconfigure).
import { EditorView } from '@codemirror/view';

export const editorTheme = EditorView.theme({
	'&': {
		height: '100%',
		backgroundColor: 'var(--bg)',
		color: 'var(--text)',
		fontSize: '12.5px'
	},
	'.cm-scroller': {
		fontFamily: 'var(--mono)',
		lineHeight: '1.45'
	},
	'.cm-content': { caretColor: 'var(--text)' },
	'.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
	'.cm-gutters': {
		backgroundColor: 'var(--bg-soft)',
		color: 'var(--muted)',
		borderRight: '1px solid var(--border)'
	},
	'.cm-activeLine': { backgroundColor: 'light-dark(#f3f6fb, #1b1f26)' },
	'.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
	'&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
		backgroundColor: 'light-dark(#cfe0fb, #2b3d5e) !important'
	},
	'.cm-placeholder': { color: 'var(--muted)', fontFamily: 'var(--sans)', fontSize: '14px' },
	'.cm-panels': { backgroundColor: 'var(--bg-soft)', color: 'var(--text)' },
	'.cm-searchMatch': { backgroundColor: 'light-dark(#ffe58a, #5a4a10)' },
	'.cm-selectionMatch': { backgroundColor: 'light-dark(#e6eefc, #27324a)' },
	'.cm-foldGutter': { display: 'none' }
});
