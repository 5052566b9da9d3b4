// The link between the editor and the analysis: a gutter mark on every event line coloured by
// kind, the selected event's line range highlighted and scrolled to, and a lookup from a line to
// the event that owns it (for "cursor on a line selects its event").
import { StateEffect, StateField, RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, type DecorationSet } from '@codemirror/view';
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

/** The event that owns 1-based line `n`, or -1. */
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
		const n = view.state.doc.lineAt(block.from).number;
		const k = n < info.kind.length ? info.kind[n] : 0;
		return k ? MARKERS[k - 1] : null;
	},
	lineMarkerChange: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(setLineInfo))),
	initialSpacer: () => MARKERS[0]
});

/** Lines (1-based, inclusive) to highlight, or null. */
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
		}
		if (!changed) return value;
		const doc = tr.state.doc;
		if (!range || range.from > doc.lines) return { range, deco: Decoration.none };
		const builder = new RangeSetBuilder<Decoration>();
		const last = Math.min(range.to, doc.lines, range.from + MAX_HIGHLIGHT - 1);
		for (let n = Math.max(1, range.from); n <= last; n++) {
			builder.add(
				doc.line(n).from,
				doc.line(n).from,
				n === range.from ? selectedFirst : selectedLine
			);
		}
		return { range, deco: builder.finish() };
	},
	provide: (f) => EditorView.decorations.from(f, (v) => v.deco)
});

/** Highlights lines from..to and scrolls them into view; false when they are past the document. */
export function showRange(view: EditorView, from: number, to: number, scroll = true): boolean {
	const doc = view.state.doc;
	const inside = from >= 1 && from <= doc.lines;
	view.dispatch({
		effects: [
			setSelectedRange.of({ from, to }),
			...(inside && scroll ? [EditorView.scrollIntoView(doc.line(from).from, { y: 'center' })] : [])
		]
	});
	return inside;
}

/** The gutter, the line lookup and the selected range. */
export function eventMarks(): Extension {
	return [lineInfo, eventGutter, selectedRange];
}
