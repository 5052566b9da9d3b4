// The link between the editor and the analysis: a gutter mark on every event line coloured by
// kind, the selected event's line range highlighted and scrolled to, and a lookup from a line to
// the event that owns it (for "cursor on a line selects its event").
import {
	StateEffect,
	StateField,
	RangeSetBuilder,
	type EditorState,
	type Extension
} from '@codemirror/state';
import {
	Decoration,
	EditorView,
	GutterMarker,
	gutter,
	lineNumbers,
	type DecorationSet
} from '@codemirror/view';
import { EVENT_KINDS } from '../core/model';

export interface LineInfo {
	/** For each line, 1 + the EVENT_KINDS index of its mark (0: none); index 0 unused. */
	kind: Uint8Array | null;
	/** For each line, the id of the event that owns it (-1: none). */
	event: Int32Array | null;
}

export const setLineInfo = StateEffect.define<LineInfo>();

export const lineInfo = StateField.define<LineInfo>({
	create: () => ({ kind: null, event: null }),
	update(value, tr) {
		for (const e of tr.effects) if (e.is(setLineInfo)) value = e.value;
		return value;
	}
});

/**
 * A document that holds a window of a bigger file: document line n is line `base + n` of the file,
 * of `total` lines. Line numbers, marks, the event lookup and the highlighted range all use file
 * lines. base 0 and total 0: the document is the whole text.
 */
export interface LineWindow {
	base: number;
	total: number;
}
export const setLineWindow = StateEffect.define<LineWindow>();

export const lineWindow = StateField.define<LineWindow>({
	create: () => ({ base: 0, total: 0 }),
	update(value, tr) {
		for (const e of tr.effects) if (e.is(setLineWindow)) value = e.value;
		return value;
	}
});

/** The file line of document line `n`. */
export function fileLine(state: EditorState, n: number): number {
	return n + (state.field(lineWindow, false)?.base ?? 0);
}

/** The event that owns 1-based file line `n`, or -1. */
export function eventAtLine(view: EditorView, n: number): number {
	const info = view.state.field(lineInfo, false);
	if (!info?.event || n < 0 || n >= info.event.length) return -1;
	return info.event[n];
}

/** CSS class of a kind: "flush.error" → "k-flush-error". */
export function kindClass(kind: string): string {
	return 'k-' + kind.replace(/\./g, '-');
}

class KindMarker extends GutterMarker {
	constructor(readonly kind: number) {
		super();
	}
	eq(other: GutterMarker) {
		return other instanceof KindMarker && other.kind === this.kind;
	}
	toDOM() {
		const el = document.createElement('span');
		const kind = EVENT_KINDS[this.kind];
		el.className = 'tl-mark ' + kindClass(kind);
		el.title = kind;
		return el;
	}
}
const MARKERS = EVENT_KINDS.map((_, i) => new KindMarker(i));

const eventGutter = gutter({
	class: 'tl-event-gutter',
	lineMarker(view, block) {
		const info = view.state.field(lineInfo, false);
		if (!info?.kind) return null;
		const n = fileLine(view.state, view.state.doc.lineAt(block.from).number);
		const k = n < info.kind.length ? info.kind[n] : 0;
		return k ? MARKERS[k - 1] : null;
	},
	lineMarkerChange: (u) =>
		u.transactions.some((t) => t.effects.some((e) => e.is(setLineInfo) || e.is(setLineWindow))),
	initialSpacer: () => MARKERS[0]
});

/** File lines (1-based, inclusive) to highlight, or null. */
export const setSelectedRange = StateEffect.define<{ from: number; to: number } | null>();

/** Lines highlighted at most; a longer record keeps its first lines highlighted. */
const MAX_HIGHLIGHT = 2000;
const selectedLine = Decoration.line({ class: 'tl-selected' });
const selectedFirst = Decoration.line({ class: 'tl-selected tl-selected-first' });

const selectedRange = StateField.define<{
	range: { from: number; to: number } | null;
	deco: DecorationSet;
}>({
	create: () => ({ range: null, deco: Decoration.none }),
	update(value, tr) {
		let range = value.range;
		let changed = tr.docChanged;
		for (const e of tr.effects) {
			if (e.is(setSelectedRange)) {
				range = e.value;
				changed = true;
			}
			if (e.is(setLineWindow)) changed = true;
		}
		if (!changed) return value;
		const doc = tr.state.doc;
		const base = tr.state.field(lineWindow, false)?.base ?? 0;
		if (!range || range.from - base > doc.lines || range.to - base < 1)
			return { range, deco: Decoration.none };
		const builder = new RangeSetBuilder<Decoration>();
		const from = range.from - base;
		const last = Math.min(range.to - base, doc.lines, from + MAX_HIGHLIGHT - 1);
		for (let n = Math.max(1, from); n <= last; n++) {
			builder.add(doc.line(n).from, doc.line(n).from, n === from ? selectedFirst : selectedLine);
		}
		return { range, deco: builder.finish() };
	},
	provide: (f) => EditorView.decorations.from(f, (v) => v.deco)
});

/**
 * Highlights file lines from..to and scrolls them into view; false when they are not in the
 * document (past its end, or outside the window it holds).
 */
export function showRange(view: EditorView, from: number, to: number, scroll = true): boolean {
	const doc = view.state.doc;
	const n = from - (view.state.field(lineWindow, false)?.base ?? 0);
	const inside = n >= 1 && n <= doc.lines;
	view.dispatch({
		effects: [
			setSelectedRange.of({ from, to }),
			...(inside && scroll ? [EditorView.scrollIntoView(doc.line(n).from, { y: 'center' })] : [])
		]
	});
	return inside;
}

/** Line numbers of the file, also in a window of it. */
const fileLineNumbers = lineNumbers({
	formatNumber: (n, state) => String(fileLine(state, n))
});

/** The gutter, the line lookup, the selected range, and file line numbers in a window. */
export function eventMarks(): Extension {
	return [lineInfo, lineWindow, fileLineNumbers, eventGutter, selectedRange];
}
