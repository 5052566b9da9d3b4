// One CodeMirror view over several documents (one EditorState per file, swapped in when the user
// switches file, as the Svelte playground does), with the log extensions of this folder.
import {
	Annotation,
	Compartment,
	EditorState,
	Text,
	Transaction,
	type Extension,
	type TransactionSpec
} from '@codemirror/state';
import { EditorView, placeholder } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { ddLog } from './log-highlight';
import {
	eventMarks,
	fileLine,
	lineInfo,
	lineWindow,
	setLineInfo,
	setLineWindow,
	setSelectedRange,
	showRange,
	type LineInfo
} from './event-marks';
import { editorTheme } from './theme';
import { excerptCompartment, excerptEffects, type ExcerptLayout } from './excerpt-lines';

const LoadLimits = {
	/** Characters of a loading file that go straight to the view. */
	direct: 32 * 1024
};

/** Marks changes made by the program (loading a file), not by the user. */
const programmatic = Annotation.define<boolean>();

export interface LogEditorEvents {
	/** The user changed document `file` (typing, paste, undo…); `paste` when it was a paste. */
	onUserChange(file: number, paste: boolean): void;
	/** The user moved the cursor in document `file` to 1-based line `line`. */
	onCursorLine(file: number, line: number): void;
}

export class LogEditor {
	readonly view: EditorView;
	private docs: EditorState[] = [];
	private infos: LineInfo[] = [];
	private ranges: ({ from: number; to: number } | null)[] = [];
	private readonly wrap = new Compartment();
	private readonly readOnly = new Compartment();
	private wrapping = false;
	private readonly pending = new Map<number, Text>();
	private readonly extensions: Extension;
	active = 0;

	constructor(parent: HTMLElement, events: LogEditorEvents, placeholderText: string) {
		this.extensions = [
			basicSetup,
			ddLog(),
			eventMarks(),
			editorTheme,
			placeholder(placeholderText),
			EditorView.contentAttributes.of({ 'aria-label': 'Log text' }),
			EditorView.updateListener.of((u) => {
				const file = this.active;
				if (u.docChanged) {
					const user = u.transactions.some((t) => !t.annotation(programmatic));
					if (user) {
						events.onUserChange(
							file,
							u.transactions.some(
								(t) => t.isUserEvent('input.paste') || t.isUserEvent('input.drop')
							)
						);
					}
				}
				if (u.selectionSet && !u.docChanged) {
					const byUser = u.transactions.some((t) => t.selection && !t.annotation(programmatic));
					if (byUser) {
						const line = u.state.doc.lineAt(u.state.selection.main.head).number;
						events.onCursorLine(file, fileLine(u.state, line));
					}
				}
			})
		];
		this.docs = [this.makeState('', false)];
		this.infos = [{ kind: null, event: null }];
		this.ranges = [null];
		this.view = new EditorView({ state: this.docs[0], parent });
	}

	private makeState(doc: string, readOnly: boolean): EditorState {
		return EditorState.create({
			doc,
			extensions: [
				this.extensions,
				this.wrap.of(this.wrapping ? EditorView.lineWrapping : []),
				this.readOnly.of(EditorState.readOnly.of(readOnly)),
				excerptCompartment.of([])
			]
		});
	}

	private stateOf(file: number): EditorState {
		return file === this.active ? this.view.state : this.docs[file];
	}

	private apply(file: number, spec: TransactionSpec) {
		if (file === this.active) this.view.dispatch(spec);
		else if (this.docs[file]) this.docs[file] = this.docs[file].update(spec).state;
	}

	/** Replaces every document with `count` empty ones (read-only while they load). */
	reset(count: number, readOnly: boolean): void {
		this.pending.clear();
		this.docs = Array.from({ length: Math.max(1, count) }, () => this.makeState('', readOnly));
		this.infos = this.docs.map(() => ({ kind: null, event: null }));
		this.ranges = this.docs.map(() => null);
		this.active = 0;
		this.view.setState(this.docs[0]);
	}

	get count(): number {
		return this.docs.length;
	}

	/**
	 * Appends loaded text to document `file` without it counting as a user edit. The first part
	 * goes straight to the view so that the user sees the log at once; the rest is gathered into a
	 * Text off screen and added in one change (`endLoad`): each change to the view costs a redraw,
	 * so many small ones would keep the main thread busy.
	 */
	append(file: number, text: string): void {
		const state = this.stateOf(file);
		if (!state) return;
		const pending = this.pending.get(file);
		if (!pending && state.doc.length < LoadLimits.direct) {
			// up to the limit, cut after a line end
			let cut = text.length;
			if (state.doc.length + text.length > LoadLimits.direct) {
				const nl = text.lastIndexOf('\n', LoadLimits.direct - state.doc.length);
				cut = nl >= 0 ? nl + 1 : 0;
			}
			if (cut > 0) {
				this.apply(file, {
					changes: { from: state.doc.length, insert: text.slice(0, cut) },
					annotations: [programmatic.of(true), Transaction.addToHistory.of(false)]
				});
			}
			if (cut === text.length) return;
			text = text.slice(cut);
			if (cut === 0 && state.doc.length === 0) {
				// one huge first line: show it anyway
				this.apply(file, {
					changes: { from: 0, insert: text },
					annotations: [programmatic.of(true), Transaction.addToHistory.of(false)]
				});
				return;
			}
		}
		const piece = Text.of(text.split(/\r\n?|\n/));
		this.pending.set(file, pending ? pending.append(piece) : piece);
	}

	/** Adds what `append` gathered off screen. */
	endLoad(file: number): void {
		const pending = this.pending.get(file);
		this.pending.delete(file);
		const state = this.stateOf(file);
		if (!pending || !state) return;
		this.apply(file, {
			changes: { from: state.doc.length, insert: pending },
			annotations: [programmatic.of(true), Transaction.addToHistory.of(false)]
		});
	}

	/** Moves the document list to a new order: doc i becomes old doc order[i], or a new one. */
	rearrange(order: (number | null)[]): void {
		this.docs[this.active] = this.view.state;
		const docs = order.map((o) => (o !== null && this.docs[o] ? this.docs[o] : null));
		// a document taken twice would be shared: the second gets a fresh one
		const seen = new Set<EditorState>();
		this.docs = docs.map((d) => {
			if (!d || seen.has(d)) return this.makeState('', true);
			seen.add(d);
			return d;
		});
		if (this.docs.length === 0) this.docs = [this.makeState('', false)];
		this.infos = this.docs.map(() => ({ kind: null, event: null }));
		this.ranges = this.docs.map(() => null);
		this.pending.clear();
		this.active = 0;
		this.view.setState(this.docs[0]);
	}

	/**
	 * Makes document `file` a read-only window of a bigger file: `text` holds its lines
	 * base + 1 … base + n, of `total`. Line numbers, marks and links then use the file's lines.
	 */
	setWindow(file: number, text: string, base: number, total: number): void {
		const state = this.stateOf(file);
		if (!state) return;
		this.pending.delete(file);
		this.apply(file, {
			changes: { from: 0, to: state.doc.length, insert: text },
			selection: { anchor: 0 },
			effects: [
				setLineWindow.of({ base, total }),
				this.readOnly.reconfigure(EditorState.readOnly.of(true))
			],
			annotations: [programmatic.of(true), Transaction.addToHistory.of(false)]
		});
	}

	/** The file lines document `file` holds: first..last (base 0 and total 0: the whole text). */
	window(file: number): { first: number; last: number; total: number } {
		const state = this.stateOf(file);
		if (!state) return { first: 1, last: 0, total: 0 };
		const w = state.field(lineWindow, false) ?? { base: 0, total: 0 };
		return { first: w.base + 1, last: w.base + state.doc.lines, total: w.total };
	}

	/** The file line in the middle of what the view shows. */
	centerLine(): number {
		const v = this.view;
		const rect = v.scrollDOM.getBoundingClientRect();
		const block = v.lineBlockAtHeight(v.scrollDOM.scrollTop + rect.height / 2);
		return fileLine(v.state, v.state.doc.lineAt(block.from).number);
	}

	/** Shows document `file` as a shared excerpt (original line numbers, gaps), or not (null). */
	setExcerpt(file: number, layout: ExcerptLayout | null): void {
		this.apply(file, { effects: excerptEffects(layout), annotations: programmatic.of(true) });
	}

	setReadOnly(file: number, readOnly: boolean): void {
		this.apply(file, {
			effects: this.readOnly.reconfigure(EditorState.readOnly.of(readOnly)),
			annotations: programmatic.of(true)
		});
	}

	setWrap(on: boolean): void {
		this.wrapping = on;
		for (let i = 0; i < this.docs.length; i++) {
			this.apply(i, {
				effects: this.wrap.reconfigure(on ? EditorView.lineWrapping : []),
				annotations: programmatic.of(true)
			});
		}
	}

	text(file: number): string {
		return this.stateOf(file)?.doc.toString() ?? '';
	}

	lines(file: number): number {
		return this.stateOf(file)?.doc.lines ?? 0;
	}

	length(file: number): number {
		return this.stateOf(file)?.doc.length ?? 0;
	}

	/** Shows document `file` in the view. */
	show(file: number): void {
		if (file === this.active || !this.docs[file]) return;
		this.docs[this.active] = this.view.state;
		this.active = file;
		this.view.setState(this.docs[file]);
		this.view.dispatch({
			effects: [setLineInfo.of(this.infos[file]), setSelectedRange.of(this.ranges[file])],
			annotations: programmatic.of(true)
		});
	}

	/** Gutter marks and the line → event lookup of document `file`; clears its highlighted range. */
	setLineInfo(file: number, info: LineInfo): void {
		this.infos[file] = info;
		this.ranges[file] = null;
		this.apply(file, {
			effects: [setLineInfo.of(info), setSelectedRange.of(null)],
			annotations: programmatic.of(true)
		});
	}

	/** Highlights lines from..to of `file` (switching to it) and scrolls there; false if past the text. */
	reveal(file: number, from: number, to: number, scroll: boolean): boolean {
		this.ranges = this.ranges.map(() => null);
		this.ranges[file] = { from, to };
		this.show(file);
		return showRange(this.view, from, to, scroll);
	}

	clearReveal(): void {
		this.ranges = this.ranges.map(() => null);
		this.view.dispatch({ effects: setSelectedRange.of(null), annotations: programmatic.of(true) });
	}

	/** Puts the cursor on a file line without it counting as the user's move. */
	placeCursor(line: number): void {
		const doc = this.view.state.doc;
		line -= this.view.state.field(lineWindow, false)?.base ?? 0;
		if (line < 1 || line > doc.lines) return;
		this.view.dispatch({
			selection: { anchor: doc.line(line).from },
			annotations: programmatic.of(true)
		});
	}

	/** Whether the document shows a window of its file (not the whole text). */
	isWindow(file: number): boolean {
		return (this.stateOf(file)?.field(lineWindow, false)?.total ?? 0) > 0;
	}

	hasLineInfo(): boolean {
		return !!this.view.state.field(lineInfo, false)?.event;
	}

	focus(): void {
		this.view.focus();
	}

	destroy(): void {
		this.view.destroy();
	}
}
