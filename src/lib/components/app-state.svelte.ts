// The page's state and the flows between its parts: input → worker → view, and the one selected
// event that the editor, the timeline, the summary and the event list all follow.
import type { Progress, TracerId } from '$lib/core/index';
import { EVENT_KINDS } from '$lib/core/model';
import { LogEditor } from '$lib/editor/log-editor';
import { loadText } from '$lib/editor/load-text';
import type { AnalysisView, EventDetail, FilterChip, PageInput, WindowText } from '$lib/worker/api';
import { Analyzer, Superseded } from '$lib/worker/client';
import { LEVELS } from '$lib/worker/view';

/**
 * Files larger than this are not loaded into the editor whole: it shows a window of their lines
 * around what is selected, read from the file by the worker.
 */
export const EDITOR_LIMIT = 24 * 1024 * 1024;
/** How much of such a file the editor shows while the analysis runs (then: windows). */
export const EDITOR_PART = 1024 * 1024;
/** Pause after typing before the text is analysed again. */
export const TYPING_PAUSE = 400;

export interface FileMeta {
	name: string;
	/** Bytes of the file, or characters of pasted text. */
	size: number;
	/** The file as opened, dropped or fetched; the worker reads it. Absent for pasted text. */
	blob?: Blob;
	/** The editor text is what gets analysed (the user changed it, or pasted it). */
	edited: boolean;
	/** The editor shows only the first part of the file. */
	partial: boolean;
	/** Bytes of (decompressed) text in the editor once loaded. */
	shown?: number;
	/** The editor is still receiving the text. */
	loading: boolean;
	/** Why the text is not in the editor, when it is not. */
	skipped?: string;
	/** The editor shows a window of the file's lines, read by the worker (the file is too big). */
	windowed?: boolean;
	/** The lines of the file in the editor's window, of `total`; lines cut for length. */
	window?: { first: number; last: number; total: number; cut: WindowText['cut'] };
	/** A window of lines is being read. */
	windowLoading?: boolean;
	/** The input is a zip archive: the logs inside replace it once the worker has unpacked them. */
	archive?: boolean;
	/** This log continues another one after a missing middle (a flare's tracer_end.log). */
	gapBefore?: string;
}

export interface Notice {
	id: number;
	level: 'error' | 'warn' | 'info';
	text: string;
	action?: { label: string; run: () => void };
	/** About the input on screen: dropped when other files are opened. */
	aboutInput?: boolean;
}

export interface Sample {
	file: string;
	tracer: string;
	title: string;
}

type Source = 'editor' | 'timeline' | 'list' | 'summary' | 'keyboard';

export interface TimelineControl {
	reveal(x: number): void;
	zoom(factor: number): void;
	pan(fraction: number): void;
	fit(): void;
	focus(): void;
	/** The window shown, and whether it is the fitted one (no zoom). */
	window(): { x0: number; x1: number; fitted: boolean };
	setWindow(x0: number, x1: number): void;
}

export interface ListControl {
	scrollToEvent(id: number): void;
	focusFilter(): void;
}

export class AppState {
	files = $state<FileMeta[]>([]);
	active = $state(0);
	view = $state.raw<AnalysisView | null>(null);
	progress = $state.raw<(Progress & { started: number }) | null>(null);
	notices = $state<Notice[]>([]);
	selected = $state(-1);
	detail = $state.raw<EventDetail | null>(null);
	chips = $state<FilterChip[]>([]);
	/** Event ids that pass the chips (null: all events). */
	filtered = $state.raw<Int32Array | null>(null);
	/** 1 for each event that passes the chips (null: all). */
	mask = $state.raw<Uint8Array | null>(null);
	tab = $state<'summary' | 'events'>('summary');
	theme = $state<'system' | 'light' | 'dark'>('system');
	systemDark = $state(false);
	wrap = $state(false);
	helpOpen = $state(false);
	samples = $state<Sample[]>([]);
	/** Text of the empty editor when nothing is loaded. */
	readonly placeholder =
		'Paste a Datadog tracer debug log here, drop log files anywhere on the page, or load a sample.';

	editor: LogEditor | null = null;
	analyzer: Analyzer | null = null;
	timeline: TimelineControl | null = null;
	list: ListControl | null = null;

	/** Parse as this tracer (set for a shared excerpt, which may lack the lines that detect it). */
	forcedTracer: TracerId | undefined = undefined;
	/** Told when an analysis is on screen (sharing applies a shared view; the session is saved). */
	onView: ((view: AnalysisView) => void) | null = null;
	/** Told when the user changes what is analysed (new files, an edit) or what is selected. */
	onChange: ((what: 'content' | 'view') => void) | null = null;
	/** The line number shown for a line (a shared excerpt keeps the numbers of its log). */
	lineLabel = $state<(file: number, line: number) => number>((_file, line) => line);

	private loadGeneration = 0;
	/** Per file, the latest window asked for (an older answer is dropped). */
	// bookkeeping, not state: nothing renders from it
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private windowAsks = new Map<number, number>();
	private windowAsk = 0;
	private typingTimer: ReturnType<typeof setTimeout> | undefined;
	private noticeId = 0;
	private filterGeneration = 0;

	get dark(): boolean {
		return this.theme === 'dark' || (this.theme === 'system' && this.systemDark);
	}

	get analyzing(): boolean {
		return this.progress !== null;
	}

	// ── notices ────────────────────────────────────────────────────────────────────────────────

	notify(
		level: Notice['level'],
		text: string,
		action?: Notice['action'],
		aboutInput?: boolean
	): number {
		const id = ++this.noticeId;
		this.notices = [
			...this.notices.filter((n) => n.text !== text),
			{ id, level, text, action, aboutInput }
		];
		return id;
	}

	dismiss(id: number): void {
		this.notices = this.notices.filter((n) => n.id !== id);
	}

	// ── start-up ───────────────────────────────────────────────────────────────────────────────

	attachEditor(parent: HTMLElement): void {
		this.editor = new LogEditor(
			parent,
			{
				onUserChange: (file, paste) => this.userChanged(file, paste),
				onCursorLine: (file, line) => this.cursorMoved(file, line)
			},
			this.placeholder
		);
		this.editor.setWrap(this.wrap);
	}

	start(): void {
		this.analyzer = new Analyzer((message) => {
			this.progress = null;
			this.notify(
				'error',
				`The analysis worker stopped (${message}) and was restarted. The editor kept your text.`,
				{ label: 'Analyse again', run: () => this.analyse() }
			);
		});
	}

	async loadSampleIndex(): Promise<void> {
		try {
			const res = await fetch('samples/index.json');
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			this.samples = (await res.json()) as Sample[];
		} catch (e) {
			this.notify('warn', `The list of sample logs could not be loaded (${errorText(e)}).`);
		}
	}

	destroy(): void {
		clearTimeout(this.typingTimer);
		this.analyzer?.terminate();
		this.editor?.destroy();
	}

	// ── input ──────────────────────────────────────────────────────────────────────────────────

	/** Opens files (drop, picker, sample): each is analysed on its own, on one time axis. */
	async openFiles(list: File[] | FileList): Promise<void> {
		const files = [...list];
		if (!files.length || !this.editor) return;
		const generation = ++this.loadGeneration;
		clearTimeout(this.typingTimer);
		this.notices = this.notices.filter((n) => !n.aboutInput); // about what is replaced
		this.keepTyped(files.map((f) => f.name).join(', '));
		const archive = await Promise.all(files.map(isZip));
		if (generation !== this.loadGeneration || !this.editor) return;
		this.files = files.map((f, i) => ({
			name: f.name,
			size: f.size,
			blob: f,
			edited: false,
			partial: f.size > EDITOR_LIMIT,
			windowed: f.size > EDITOR_LIMIT && !archive[i],
			archive: archive[i],
			loading: !archive[i]
		}));
		this.active = 0;
		this.chips = []; // filters belong to the log they were made for
		this.onChange?.('content');
		this.clearAnalysis();
		this.editor.reset(files.length, true);
		void this.analyse();
		for (let i = 0; i < files.length; i++) {
			if (archive[i]) continue; // its logs come from the worker
			await this.loadInto(i, files[i], generation);
			if (generation !== this.loadGeneration) return;
		}
	}

	/** Streams a file's text into editor document `i` (the first part only of a big file). */
	private async loadInto(i: number, blob: Blob, generation: number): Promise<void> {
		const editor = this.editor;
		const meta = this.files[i];
		if (!editor || !meta) return;
		try {
			// a compressed file can hold far more than its size: EDITOR_LIMIT caps what it unpacks to
			const limit = blob.size > EDITOR_LIMIT ? EDITOR_PART : EDITOR_LIMIT;
			const result = await loadText(
				blob,
				(text) => editor.append(i, text),
				limit,
				() => generation === this.loadGeneration
			);
			if (generation !== this.loadGeneration) return;
			editor.endLoad(i);
			meta.loading = false;
			meta.partial = result.partial;
			meta.shown = result.bytes;
			meta.skipped = result.skipped;
			editor.setReadOnly(i, result.partial || !!result.skipped || !!result.broken);
			if (result.broken) {
				this.notify(
					'warn',
					`${meta.name} ends early (${result.broken.replace(/\.+$/, '')}): the editor shows the ${formatBytes(result.bytes)} that could be unpacked before that.`,
					undefined,
					true
				);
			}
			// too big for the editor (a gzip file can unpack to far more than its size): windows
			if (result.partial && !result.skipped) {
				meta.windowed = true;
				if (this.view && !meta.window) void this.moveWindow(i, 1);
			}
		} catch (e) {
			if (generation !== this.loadGeneration) return;
			meta.loading = false;
			this.notify(
				'error',
				`${meta.name} could not be shown in the editor: ${errorText(e)}.`,
				undefined,
				true
			);
		}
	}

	/** Text the user typed or pasted, kept when opened files replace it (see restoreTyped). */
	private typed: { name: string; text: string }[] | null = null;

	private keepTyped(by: string): void {
		const editor = this.editor;
		if (!editor) return;
		const kept = this.files
			.map((f, i) => ({ name: f.name, text: f.edited ? editor.text(i) : '' }))
			.filter((f) => f.text.length > 0);
		if (!kept.length) return;
		this.typed = kept;
		this.notify('info', `${by} replaced the text you had typed or pasted.`, {
			label: 'Bring that text back',
			run: () => this.restoreTyped()
		});
	}

	/** Puts back the text that opened files replaced. */
	restoreTyped(): void {
		const kept = this.typed;
		const editor = this.editor;
		if (!kept || !editor) return;
		this.typed = null;
		++this.loadGeneration;
		this.files = kept.map((k) => ({
			name: k.name,
			size: k.text.length,
			edited: true,
			partial: false,
			loading: false
		}));
		this.active = 0;
		this.chips = [];
		this.onChange?.('content');
		this.clearAnalysis();
		editor.reset(kept.length, false);
		kept.forEach((k, i) => {
			editor.append(i, k.text);
			editor.endLoad(i);
		});
		void this.analyse();
	}

	async loadSample(name: string): Promise<void> {
		const sample = this.samples.find((s) => s.file === name);
		try {
			const res = await fetch(`samples/${encodeURIComponent(name)}`);
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			const blob = await res.blob();
			await this.openFiles([new File([blob], name, { type: 'text/plain' })]);
		} catch (e) {
			this.notify(
				'error',
				`The sample ${sample?.title ?? name} could not be loaded (${errorText(e)}).`
			);
		}
	}

	private userChanged(file: number, paste: boolean): void {
		if (!this.editor) return;
		if (this.files.length === 0) {
			this.files = [{ name: 'pasted text', size: 0, edited: true, partial: false, loading: false }];
		}
		const meta = this.files[file];
		if (meta) {
			meta.edited = true;
			meta.size = this.editor.length(file);
		}
		clearTimeout(this.typingTimer);
		this.typingTimer = setTimeout(() => this.analyse(), paste ? 0 : TYPING_PAUSE);
		this.onChange?.('content');
	}

	/** Analyses the current inputs in the worker; a newer call supersedes this one. */
	async analyse(): Promise<void> {
		if (!this.analyzer || !this.editor) return;
		clearTimeout(this.typingTimer);
		const editor = this.editor;
		const inputs: PageInput[] = this.files.map((f, i) =>
			f.edited || !f.blob
				? { name: f.name, data: editor.text(i), gapBefore: f.gapBefore }
				: { name: f.name, data: f.blob, gapBefore: f.gapBefore }
		);
		if (
			inputs.length === 0 ||
			this.files.every((f, i) => (f.edited || !f.blob) && editor.length(i) === 0)
		) {
			this.analyzer.cancel();
			this.progress = null;
			this.files = [];
			this.clearAnalysis();
			return;
		}
		const started = performance.now();
		this.progress = {
			file: 0,
			files: inputs.length,
			name: this.files[0].name,
			bytes: 0,
			lines: 0,
			fraction: 0,
			started
		};
		try {
			const view = await this.analyzer.run(
				inputs,
				(p) => {
					this.progress = { ...p, started };
				},
				{ tracer: this.forcedTracer }
			);
			this.progress = null;
			this.setView(view);
		} catch (e) {
			if (e instanceof Superseded) return;
			this.progress = null;
			if (e instanceof Error && e.name === 'WorkerCrashed') return; // said by the crash handler
			const text = errorText(e);
			let message = `The analysis failed: ${text}. The editor kept the text.`;
			// (a damaged .gz no longer lands here: the analysis keeps what it unpacked and says so)
			if (OUT_OF_MEMORY.test(text))
				message = `The browser ran out of memory for this analysis (${text}). The editor kept the text; closing other tabs may help.`;
			this.notify('error', message, { label: 'Try again', run: () => this.analyse() }, true);
		}
	}

	cancel(): void {
		if (!this.analyzing) return;
		this.analyzer?.cancel();
		this.progress = null;
		this.clearAnalysis();
		this.notify('info', 'Analysis cancelled. The editor keeps the text.', {
			label: 'Analyse again',
			run: () => this.analyse()
		});
	}

	private clearAnalysis(): void {
		this.view = null;
		this.selected = -1;
		this.detail = null;
		this.filtered = null;
		this.mask = null;
		this.editor?.clearReveal();
		if (this.editor) {
			for (let i = 0; i < this.editor.count; i++)
				this.editor.setLineInfo(i, { kind: null, event: null });
		}
	}

	private setView(view: AnalysisView): void {
		this.placeFiles(view);
		this.view = view;
		this.selected = -1;
		this.detail = null;
		const editor = this.editor;
		if (editor) {
			view.lineEvent.forEach((event, f) => {
				if (f < editor.count) editor.setLineInfo(f, { kind: view.lineKind[f], event });
			});
			// files too big for the editor: a window of lines, where the user was or at the top
			this.files.forEach((meta, f) => {
				if (!meta.windowed || meta.loading) return;
				const w = editor.window(f);
				const at = f === this.active && w.last >= w.first ? editor.centerLine() : 1;
				void this.moveWindow(f, at);
			});
		}
		void this.refilter();
		this.onView?.(view);
	}

	/**
	 * Makes the file list the analysis' files: an archive is replaced by the logs inside it (their
	 * text comes from the Blobs the worker made), and flare gaps are noted.
	 */
	private placeFiles(view: AnalysisView): void {
		const old = this.files;
		const same =
			view.files.length === old.length &&
			view.origin.every((o, i) => o === i) &&
			!old.some((f) => f.archive);
		if (same) {
			view.files.forEach((f, i) => (old[i].gapBefore = f.gapBefore));
			return;
		}
		const editor = this.editor;
		if (!editor) return;
		const order: (number | null)[] = [];
		const next: FileMeta[] = view.files.map((f, i) => {
			const o = view.origin[i];
			const entry = view.entries[i];
			const src = old[o];
			if (src && !src.archive && !entry) {
				order.push(o);
				return { ...$state.snapshot(src), blob: src.blob, gapBefore: f.gapBefore };
			}
			order.push(null);
			const windowed = f.bytes > EDITOR_LIMIT;
			return {
				name: f.name,
				size: f.bytes,
				blob: entry ?? undefined,
				edited: false,
				partial: windowed,
				windowed,
				loading: !windowed && !!entry,
				gapBefore: f.gapBefore
			};
		});
		this.files = next;
		this.active = 0;
		editor.rearrange(order);
		const generation = this.loadGeneration;
		next.forEach((m, i) => {
			if (m.loading && m.blob) void this.loadInto(i, m.blob, generation);
		});
	}

	/**
	 * Shows the lines of file `file` around line `anchor` in its editor document (files too big
	 * for the editor). Resolves true once they are there.
	 */
	async moveWindow(file: number, anchor: number): Promise<boolean> {
		const meta = this.files[file];
		if (!meta?.windowed || !this.analyzer || !this.editor) return false;
		const ask = ++this.windowAsk;
		this.windowAsks.set(file, ask);
		meta.windowLoading = true;
		try {
			const w = await this.analyzer.window(file, anchor);
			if (this.windowAsks.get(file) !== ask || this.files[file] !== meta || !w) return false;
			this.editor.setWindow(file, w.text, w.first - 1, w.lines);
			meta.window = { first: w.first, last: w.last, total: w.lines, cut: w.cut };
			meta.partial = true;
			return true;
		} catch (e) {
			if (this.windowAsks.get(file) !== ask) return false;
			if (!(e instanceof Error && e.name === 'WorkerCrashed'))
				this.notify(
					'error',
					`Lines of ${meta.name} could not be read: ${errorText(e)}.`,
					undefined,
					true
				);
			return false;
		} finally {
			if (this.windowAsks.get(file) === ask) meta.windowLoading = false;
		}
	}

	/** Moves the window of the active file by about its size, keeping the edge line in view. */
	async shiftWindow(direction: -1 | 1): Promise<void> {
		const file = this.active;
		const w = this.files[file]?.window;
		if (!w) return;
		const edge = direction < 0 ? w.first : w.last;
		if (await this.moveWindow(file, edge)) this.editor?.reveal(file, edge, edge, true);
	}

	// ── selection ──────────────────────────────────────────────────────────────────────────────

	showFile(file: number): void {
		if (!this.editor || file < 0 || file >= this.editor.count) return;
		this.active = file;
		this.editor.show(file);
	}

	/** Selects an event; every view but the one it came from follows. */
	select(id: number, source: Source): void {
		const v = this.view;
		if (!v || id < 0 || id >= v.events.count) {
			this.selected = -1;
			this.detail = null;
			this.editor?.clearReveal();
			return;
		}
		this.selected = id;
		this.onChange?.('view');
		const file = v.events.file[id];
		const from = v.events.line[id];
		const to = v.events.endLine[id];
		if (this.editor) {
			if (source !== 'editor') this.active = file;
			const inside = this.editor.reveal(file, from, to, source !== 'editor');
			if (!inside && source !== 'editor') {
				// a file shown as a window: the window moves there, then the lines are shown
				if (this.files[file]?.windowed) {
					void this.moveWindow(file, from).then((ok) => {
						if (ok && this.selected === id) this.editor?.reveal(file, from, to, true);
					});
				} else this.beyondEditor(file, from);
			}
		}
		if (source !== 'timeline') this.timeline?.reveal(v.events.x[id]);
		if (source !== 'list') this.list?.scrollToEvent(id);
		this.analyzer
			?.event(id)
			.then((d) => {
				if (this.selected === id) this.detail = d;
			})
			.catch((e) =>
				this.notify('error', `The details of this event could not be read: ${errorText(e)}.`)
			);
	}

	/** Jumps the editor to a line that is not (or not known as) an event. */
	gotoLine(file: number, line: number): void {
		const v = this.view;
		const id = v?.lineEvent[file]?.[line] ?? -1;
		if (id >= 0) return this.select(id, 'summary');
		if (!this.editor) return;
		this.active = file;
		const inside = this.editor.reveal(file, line, line, true);
		if (inside) return;
		if (this.files[file]?.windowed) {
			void this.moveWindow(file, line).then((ok) => {
				if (ok) this.editor?.reveal(file, line, line, true);
			});
		} else this.beyondEditor(file, line);
	}

	private beyondEditor(file: number, line: number): void {
		const meta = this.files[file];
		this.notify(
			'warn',
			meta?.partial
				? `Line ${line} of ${meta.name} is past the part shown in the editor (its first ${formatBytes(meta.shown ?? EDITOR_PART)}).`
				: `Line ${line} is not in the editor text (it changed since the analysis).`
		);
	}

	private cursorMoved(file: number, line: number): void {
		const v = this.view;
		if (!v) return;
		const id = v.lineEvent[file]?.[line] ?? -1;
		if (id >= 0 && id !== this.selected) this.select(id, 'editor');
	}

	/** Moves the selection through the (filtered) events in display order. */
	step(delta: number, problemsOnly = false): void {
		const v = this.view;
		if (!v || v.events.count === 0) return;
		const ids = this.filtered;
		const n = ids ? ids.length : v.events.count;
		if (n === 0) return;
		const at = (i: number) => (ids ? ids[i] : i);
		let pos = this.selected < 0 ? (delta > 0 ? -1 : n) : indexOf(ids, this.selected);
		for (let k = 0; k < n; k++) {
			pos += delta;
			if (pos < 0 || pos >= n) return;
			const id = at(pos);
			if (!problemsOnly || isProblem(v, id)) {
				this.select(id, 'keyboard');
				return;
			}
		}
	}

	// ── filters ────────────────────────────────────────────────────────────────────────────────

	addChip(chip: FilterChip): void {
		const value = chip.value.trim();
		if (!value) return;
		if (
			this.chips.some((c) => c.field === chip.field && c.value === value && !!c.not === !!chip.not)
		)
			return;
		this.chips = [...this.chips, { ...chip, value }];
		void this.refilter();
	}

	removeChip(index: number): void {
		this.chips = this.chips.filter((_, i) => i !== index);
		void this.refilter();
	}

	toggleChip(index: number): void {
		this.chips = this.chips.map((c, i) => (i === index ? { ...c, not: !c.not } : c));
		void this.refilter();
	}

	clearChips(): void {
		this.chips = [];
		void this.refilter();
	}

	private async refilter(): Promise<void> {
		const generation = ++this.filterGeneration;
		this.onChange?.('view');
		const v = this.view;
		if (!v || this.chips.length === 0 || !this.analyzer) {
			this.filtered = null;
			this.mask = null;
			return;
		}
		try {
			const ids = await this.analyzer.filter($state.snapshot(this.chips));
			if (generation !== this.filterGeneration || this.view !== v) return;
			this.filtered = ids;
			const mask = new Uint8Array(v.events.count);
			if (ids) for (const id of ids) mask[id] = 1;
			this.mask = ids ? mask : null;
		} catch (e) {
			this.notify('error', `The filter failed: ${errorText(e)}.`);
		}
	}
}

function indexOf(ids: Int32Array | null, id: number): number {
	if (!ids) return id;
	// ids are in display order, not sorted by id in general
	return ids.indexOf(id);
}

const PROBLEM_KINDS = new Set(
	(['flush.error', 'agent.error', 'span.abandoned', 'log.other'] as const).map((k) =>
		EVENT_KINDS.indexOf(k)
	)
);
const WARN_LEVEL = LEVELS.indexOf('warn');

function isProblem(v: AnalysisView, id: number): boolean {
	return PROBLEM_KINDS.has(v.events.kind[id]) || v.events.level[id] >= WARN_LEVEL;
}

/** What the browser says when an allocation fails (typed arrays, strings, arrays). */
const OUT_OF_MEMORY =
	/allocation failed|out of memory|invalid (typed )?array length|invalid string length/i;

/** Whether a file starts like a zip archive (local file header). */
async function isZip(file: Blob): Promise<boolean> {
	const h = new Uint8Array(await file.slice(0, 4).arrayBuffer());
	return h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;
}

/** An error's message, without a final full stop (it is quoted inside sentences). */
export function errorText(e: unknown): string {
	const text = e instanceof Error ? e.message || e.name : String(e);
	return text.replace(/\.+$/, '');
}

export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
	if (n < 1024 * 1024 * 1024) return `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;
	return `${(n / 1073741824).toFixed(1)} GB`;
}
