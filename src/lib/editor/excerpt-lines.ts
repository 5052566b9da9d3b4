// A shared excerpt in the editor: the gutter shows every line's ORIGINAL number, the omitted
// ranges are marked between the lines ("⋯ 1,234 lines not shared"), a collapsed run says how many
// identical lines it stands for, and a cut line says how long it was. The layout comes from
// permalink's editorFile(); it is dropped as soon as the user edits the text (numbers go back to
// the editor's own). Only numbers are put into the DOM here, never log text.
import { Compartment, Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
	Decoration,
	EditorView,
	GutterMarker,
	WidgetType,
	gutter,
	type DecorationSet
} from '@codemirror/view';

export interface ExcerptLayout {
	/** Editor lines. */
	lines: number;
	originalLines: number;
	/** Per editor line: original number, lines it stands for, original length when cut (else 0). */
	origin: Int32Array;
	times: Int32Array;
	clippedFrom: Int32Array;
	/** Omitted original lines, before editor line `before` (lines + 1: at the end). */
	gaps: { before: number; from: number; to: number }[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

class GapWidget extends WidgetType {
	constructor(
		readonly from: number,
		readonly to: number
	) {
		super();
	}
	eq(o: GapWidget) {
		return o.from === this.from && o.to === this.to;
	}
	toDOM() {
		const el = document.createElement('div');
		el.className = 'tl-gap';
		const n = this.to - this.from + 1;
		el.textContent = `⋯ ${fmt(n)} line${n === 1 ? '' : 's'} not in this shared excerpt (${
			n === 1 ? `line ${fmt(this.from)}` : `lines ${fmt(this.from)}–${fmt(this.to)}`
		})`;
		return el;
	}
	get estimatedHeight() {
		return 20;
	}
}

class NoteWidget extends WidgetType {
	constructor(
		readonly kind: 'run' | 'clip',
		readonly a: number,
		readonly b: number
	) {
		super();
	}
	eq(o: NoteWidget) {
		return o.kind === this.kind && o.a === this.a && o.b === this.b;
	}
	toDOM() {
		const el = document.createElement('span');
		if (this.kind === 'run') {
			el.className = 'tl-run';
			el.textContent = `×${fmt(this.a)}`;
			el.title = `This line stands for ${fmt(this.a)} identical lines (${fmt(this.b)}–${fmt(this.b + this.a - 1)})`;
		} else {
			el.className = 'tl-clip';
			el.textContent = `… cut (${fmt(this.a)} characters in the log)`;
			el.title = 'The shared link holds only the beginning of this line.';
		}
		return el;
	}
	ignoreEvent() {
		return false;
	}
}

function decorations(layout: ExcerptLayout, doc: EditorView['state']['doc']): DecorationSet {
	const ranges = [];
	const n = Math.min(layout.lines, doc.lines);
	for (const g of layout.gaps) {
		const widget = Decoration.widget({ widget: new GapWidget(g.from, g.to), block: true });
		if (g.before <= n) ranges.push(widget.range(doc.line(g.before).from));
		else ranges.push(Decoration.widget({ ...widget.spec, side: 1 }).range(doc.length));
	}
	for (let i = 1; i <= n; i++) {
		const t = layout.times[i - 1];
		const c = layout.clippedFrom[i - 1];
		if (t <= 1 && !c) continue;
		const end = doc.line(i).to;
		if (c)
			ranges.push(Decoration.widget({ widget: new NoteWidget('clip', c, 0), side: 1 }).range(end));
		if (t > 1) {
			ranges.push(
				Decoration.widget({
					widget: new NoteWidget('run', t, layout.origin[i - 1]),
					side: 2
				}).range(end)
			);
		}
	}
	return Decoration.set(ranges, true);
}

const setLayout = StateEffect.define<ExcerptLayout | null>();

interface LayoutState {
	layout: ExcerptLayout | null;
	deco: DecorationSet;
}

const layoutField = StateField.define<LayoutState>({
	create: () => ({ layout: null, deco: Decoration.none }),
	update(value, tr) {
		for (const e of tr.effects) {
			if (e.is(setLayout)) {
				value = e.value
					? { layout: e.value, deco: decorations(e.value, tr.state.doc) }
					: { layout: null, deco: Decoration.none };
			}
		}
		// an edit moves lines: the original numbers no longer hold
		if (tr.docChanged && value.layout) return { layout: null, deco: Decoration.none };
		return value;
	},
	provide: (f) => EditorView.decorations.from(f, (v) => v.deco)
});

class NumberMarker extends GutterMarker {
	constructor(readonly text: string) {
		super();
	}
	eq(o: NumberMarker) {
		return o.text === this.text;
	}
	toDOM() {
		return document.createTextNode(this.text);
	}
}

function label(state: EditorView['state'], n: number): string {
	const layout = state.field(layoutField, false)?.layout;
	if (!layout || n > layout.lines) return String(n);
	return String(layout.origin[n - 1]);
}

function spacer(state: EditorView['state']): NumberMarker {
	const layout = state.field(layoutField, false)?.layout;
	const max = Math.max(state.doc.lines, layout?.originalLines ?? 0);
	return new NumberMarker('9'.repeat(String(max).length));
}

const originGutter = Prec.high(
	gutter({
		class: 'tl-origin-numbers',
		lineMarker: (view, block) =>
			new NumberMarker(label(view.state, view.state.doc.lineAt(block.from).number)),
		lineMarkerChange: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(setLayout))),
		initialSpacer: (view) => spacer(view.state),
		updateSpacer: (_s, u) => spacer(u.state)
	})
);

const theme = EditorView.baseTheme({
	// the shared excerpt's numbers replace the editor's
	'&.tl-excerpt .cm-lineNumbers': { display: 'none !important' },
	'.tl-origin-numbers .cm-gutterElement': {
		padding: '0 3px 0 5px',
		minWidth: '20px',
		textAlign: 'right'
	},
	'.tl-gap': {
		fontFamily: 'var(--sans, sans-serif)',
		fontSize: '12px',
		color: 'var(--muted, #666)',
		background: 'var(--bg-soft, #f5f6f8)',
		borderTop: '1px dashed var(--border, #ccc)',
		borderBottom: '1px dashed var(--border, #ccc)',
		padding: '1px 8px'
	},
	'.tl-run, .tl-clip': {
		fontFamily: 'var(--sans, sans-serif)',
		fontSize: '11px',
		color: 'var(--muted, #666)',
		border: '1px solid var(--border, #ccc)',
		borderRadius: '8px',
		padding: '0 6px',
		marginLeft: '8px'
	}
});

/** Holds the excerpt extensions of one document (empty for an ordinary log). */
export const excerptCompartment = new Compartment();

/** The effects that lay out a document as a shared excerpt (null: an ordinary document). */
export function excerptEffects(layout: ExcerptLayout | null): StateEffect<unknown>[] {
	const content: Extension = layout
		? [
				layoutField.init((state) => ({ layout, deco: decorations(layout, state.doc) })),
				originGutter,
				theme,
				EditorView.editorAttributes.of({ class: 'tl-excerpt' })
			]
		: [];
	return [excerptCompartment.reconfigure(content), setLayout.of(layout)];
}
