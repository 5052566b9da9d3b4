// The diagnosis excerpt: the few lines of a log that carry its diagnosis (configuration, the
// verdict's evidence, the selected event, the lines that decided the detection), a little context
// around each, and the first and last lines. Segments keep their ORIGINAL line numbers, so a shared
// excerpt still says "line 1044" where the original does.
import type { DetectedTracer, EventKind } from '../core/model';
import { EVENT_KINDS } from '../core/model';
import { segmentSpan, type Segment, type ShareFile } from './envelope';
import { splitLines, utf8Length } from './lines';

/** An event as the excerpt needs it: the core's LogEvent fits, so does a row of the view columns. */
export interface EventLines {
	kind: EventKind;
	file: number;
	line: number;
	endLine: number;
}

/** The worker view's event columns (`AnalysisView.events`): `kind` indexes EVENT_KINDS. */
export interface EventColumnsLike {
	count: number;
	kind: ArrayLike<number>;
	file: ArrayLike<number>;
	line: ArrayLike<number>;
	endLine: ArrayLike<number>;
}

/** What the excerpt reads from an analysis: an `Analysis` or an `AnalysisView` both qualify. */
export interface ExcerptSource {
	tracer?: DetectedTracer;
	files: { name: string; detectedBy?: { line: number }[] }[];
	verdict: { evidence: { file: number; line: number; event?: number }[] };
	events: readonly EventLines[] | EventColumnsLike;
}

export interface ExcerptOptions {
	/** The selected event (or any line): kept whole, with context. Original numbering. */
	selected?: { file: number; line: number };
	/** More lines to keep as key lines (e.g. lines the user pinned). */
	extra?: { file: number; line: number; endLine?: number }[];
	/** Lines of context before and after each key line (default 3). */
	context?: number;
	/** First and last lines of every file (default 20 each). */
	head?: number;
	tail?: number;
	/** Longest context/head/tail line kept; longer ones are cut, and marked (default 2,000). */
	maxLineChars?: number;
	/** Longest key line kept (default: no limit; the analysis of the excerpt needs them whole). */
	maxKeyLineChars?: number;
	/** Lines kept of one multi-line event: its first and last ones (default 40). */
	maxEventLines?: number;
	/** Configuration records kept: the first ones and the last (default 4). */
	maxConfigRecords?: number;
	/** Collapse runs of identical lines into one line with a count (default true). */
	collapseRepeats?: boolean;
	/** Applied to every kept line before repeats are collapsed and long lines cut (redaction). */
	mapLine?: (line: string) => string;
}

type Tunables = Required<Omit<ExcerptOptions, 'selected' | 'extra' | 'mapLine'>>;

export const DEFAULT_EXCERPT: Tunables = {
	context: 3,
	head: 20,
	tail: 20,
	maxLineChars: 2000,
	maxKeyLineChars: Infinity,
	maxEventLines: 40,
	maxConfigRecords: 4,
	collapseRepeats: true
};

const NONE = 0;
const NEAR = 1; // context, head, tail
const KEY = 2;

function eventList(events: ExcerptSource['events']): (i: number) => EventLines | undefined {
	if (Array.isArray(events)) return (i) => (events as EventLines[])[i];
	const c = events as EventColumnsLike;
	return (i) =>
		i >= 0 && i < c.count
			? { kind: EVENT_KINDS[c.kind[i]], file: c.file[i], line: c.line[i], endLine: c.endLine[i] }
			: undefined;
}

function eventCount(events: ExcerptSource['events']): number {
	return Array.isArray(events) ? events.length : (events as EventColumnsLike).count;
}

/** A text split once, for building several excerpts of it (see `prepareTexts`). */
export interface PreparedText {
	lines: string[];
	bytes: number;
}

export function prepareTexts(texts: string[]): PreparedText[] {
	return texts.map((t) => ({ lines: splitLines(t), bytes: utf8Length(t) }));
}

/** Builds the excerpt of every file; `texts[i]` is the text of `source.files[i]`. */
export function buildExcerpt(
	texts: string[] | PreparedText[],
	source: ExcerptSource,
	options: ExcerptOptions = {}
): ShareFile[] {
	const prepared = texts.map((t) =>
		typeof t === 'string' ? { lines: splitLines(t), bytes: utf8Length(t) } : t
	);
	const o: Tunables = { ...DEFAULT_EXCERPT, ...stripUndefined(options) };
	const marks = markLines(
		prepared.map((p) => p.lines.length),
		source,
		o,
		options
	);
	return source.files.map((f, file) => {
		const { lines, bytes } = prepared[file] ?? { lines: [], bytes: 0 };
		return {
			name: options.mapLine ? options.mapLine(f.name) : f.name,
			bytes,
			lines: lines.length,
			segments: segmentsOf(lines, marks[file], o, options.mapLine)
		};
	});
}

/**
 * The lines of every file that an excerpt with these options reads (1-based: `marks[f][n]` is
 * non-zero when line n of file f is kept). `lineCounts[f]` is the number of lines of file f. A
 * caller that holds a big file elsewhere (the worker, with the File) reads only these lines and
 * passes them to buildExcerpt as a sparse `PreparedText`: every tighter level of EXCERPT_LEVELS
 * keeps a subset of the default level's lines.
 */
export function excerptMarks(
	lineCounts: number[],
	source: ExcerptSource,
	options: ExcerptOptions = {}
): Uint8Array[] {
	const o: Tunables = { ...DEFAULT_EXCERPT, ...stripUndefined(options) };
	return markLines(lineCounts, source, o, options);
}

function markLines(
	lineCounts: number[],
	source: ExcerptSource,
	o: Tunables,
	options: ExcerptOptions
): Uint8Array[] {
	const event = eventList(source.events);
	const count = eventCount(source.events);
	const keys: { file: number; line: number; endLine: number }[] = [];
	// A long event keeps its first and last lines: a stack trace names the error at its end.
	const eventRange = (e: EventLines) => {
		const last = Math.max(e.endLine, e.line);
		const max = Math.max(1, o.maxEventLines);
		if (last - e.line + 1 <= max) return [{ file: e.file, line: e.line, endLine: last }];
		const head = Math.ceil(max / 2);
		return [
			{ file: e.file, line: e.line, endLine: e.line + head - 1 },
			{ file: e.file, line: last - (max - head) + 1, endLine: last }
		].filter((r) => r.endLine >= r.line);
	};

	const configs: EventLines[] = [];
	for (let i = 0; i < count; i++) {
		const e = event(i);
		if (e?.kind === 'tracer.config') configs.push(e);
	}
	const keepConfigs =
		configs.length <= o.maxConfigRecords
			? configs
			: [...configs.slice(0, Math.max(0, o.maxConfigRecords - 1)), configs[configs.length - 1]];
	for (const e of keepConfigs) keys.push(...eventRange(e));

	for (const ev of source.verdict.evidence) {
		const e = ev.event !== undefined ? event(ev.event) : undefined;
		keys.push(...(e && e.file === ev.file ? eventRange(e) : [{ ...ev, endLine: ev.line }]));
	}
	if (options.selected) {
		const { file, line } = options.selected;
		let found: EventLines | undefined;
		for (let i = 0; i < count && !found; i++) {
			const e = event(i);
			if (e && e.file === file && e.line <= line && line <= Math.max(e.endLine, e.line)) found = e;
		}
		keys.push(...(found ? eventRange(found) : [{ file, line, endLine: line }]));
	}
	source.files.forEach((f, file) => {
		for (const d of f.detectedBy ?? []) keys.push({ file, line: d.line, endLine: d.line });
	});
	for (const x of options.extra ?? []) keys.push({ ...x, endLine: x.endLine ?? x.line });

	return source.files.map((_, file) => {
		const n = lineCounts[file] ?? 0;
		const mark = new Uint8Array(n + 2);
		const set = (from: number, to: number, value: number) => {
			for (let l = Math.max(1, from); l <= Math.min(n, to); l++) {
				if (mark[l] < value) mark[l] = value;
			}
		};
		set(1, o.head, NEAR);
		set(n - o.tail + 1, n, NEAR);
		for (const k of keys) {
			if (k.file !== file) continue;
			set(k.line - o.context, k.endLine + o.context, NEAR);
			set(k.line, k.endLine, KEY);
		}
		return mark;
	});
}

function segmentsOf(
	lines: string[],
	mark: Uint8Array,
	o: Tunables,
	mapLine?: (line: string) => string
): Segment[] {
	const segments: Segment[] = [];
	let seg: Segment | undefined;
	let lastText: string | undefined;
	for (let l = 1; l <= lines.length; l++) {
		if (mark[l] === NONE) {
			seg = undefined;
			continue;
		}
		const text = mapLine ? mapLine(lines[l - 1]) : lines[l - 1];
		if (!seg) {
			seg = { start: l, lines: [] };
			segments.push(seg);
		} else if (o.collapseRepeats && text === lastText) {
			const index = seg.lines.length - 1;
			const repeats = (seg.repeats ??= []);
			const last = repeats[repeats.length - 1];
			if (last && last[0] === index) last[1]++;
			else repeats.push([index, 2]);
			continue;
		}
		lastText = text;
		const limit = mark[l] === KEY ? o.maxKeyLineChars : o.maxLineChars;
		if (text.length > limit) {
			(seg.clipped ??= []).push([seg.lines.length, text.length]);
			seg.lines.push(clip(text, limit));
		} else seg.lines.push(text);
	}
	return segments;
}

/** Cuts a line to `limit` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, limit: number): string {
	let end = Math.max(0, Math.floor(limit));
	const c = text.charCodeAt(end - 1);
	if (c >= 0xd800 && c <= 0xdbff) end--;
	return text.slice(0, end);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The whole text of every file, as the envelope carries it. */
export function wholeFiles(texts: string[], names: string[]): ShareFile[] {
	return texts.map((text, i) => ({
		name: names[i] ?? `file-${i + 1}`,
		bytes: utf8Length(text),
		lines: splitLines(text).length,
		text
	}));
}

/** A shared file laid out for the editor, with the way back to original line numbers. */
export interface EditorFile {
	name: string;
	/** The text to put in the editor (excerpt lines joined with '\n'; a whole log as it was). */
	text: string;
	/** True for a whole log: editor line n is original line n. */
	whole: boolean;
	/** Number of editor lines. */
	lines: number;
	/** Size of the original file. */
	originalLines: number;
	originalBytes: number;
	/** Per editor line (index = editor line - 1): the original number of its first line. */
	origin: Int32Array;
	/** Per editor line: how many identical original lines it stands for (1 unless collapsed). */
	times: Int32Array;
	/** Per editor line: the original length of a line that was cut, else 0. */
	clippedFrom: Int32Array;
	/** Omitted original lines, by the editor line they precede (lines + 1 for a gap at the end). */
	gaps: { before: number; from: number; to: number }[];
}

/** Lays out a shared file (whole or excerpt) for the editor. Editor lines are 1-based. */
export function editorFile(file: ShareFile): EditorFile {
	if (file.text !== undefined || !file.segments) {
		const text = file.text ?? '';
		const n = splitLines(text).length;
		const origin = new Int32Array(n);
		for (let i = 0; i < n; i++) origin[i] = i + 1;
		return {
			name: file.name,
			text,
			whole: true,
			lines: n,
			originalLines: file.lines,
			originalBytes: file.bytes,
			origin,
			times: new Int32Array(n).fill(1),
			clippedFrom: new Int32Array(n),
			gaps: []
		};
	}
	let n = 0;
	for (const s of file.segments) n += s.lines.length;
	const origin = new Int32Array(n);
	const times = new Int32Array(n).fill(1);
	const clippedFrom = new Int32Array(n);
	const gaps: EditorFile['gaps'] = [];
	const out: string[] = [];
	let next = 1; // next original line expected
	for (const s of file.segments) {
		if (s.start > next) gaps.push({ before: out.length + 1, from: next, to: s.start - 1 });
		const base = out.length;
		const rep = new Map(s.repeats ?? []);
		let original = s.start;
		s.lines.forEach((line, i) => {
			origin[base + i] = original;
			const t = rep.get(i) ?? 1;
			times[base + i] = t;
			original += t;
			out.push(line);
		});
		for (const [i, len] of s.clipped ?? []) clippedFrom[base + i] = len;
		next = s.start + segmentSpan(s);
	}
	if (file.lines >= next) gaps.push({ before: out.length + 1, from: next, to: file.lines });
	return {
		name: file.name,
		text: out.join('\n'),
		whole: false,
		lines: n,
		originalLines: file.lines,
		originalBytes: file.bytes,
		origin,
		times,
		clippedFrom,
		gaps
	};
}

/** Original line number shown by an editor line (1-based), or undefined when out of range. */
export function toOriginalLine(f: EditorFile, editorLine: number): number | undefined {
	return editorLine >= 1 && editorLine <= f.lines ? f.origin[editorLine - 1] : undefined;
}

/**
 * Editor line showing an original line (a collapsed line shows every line of its run). With
 * `nearest`, a line in a gap gives the editor line just after the gap (or the last line).
 */
export function toEditorLine(
	f: EditorFile,
	originalLine: number,
	nearest = false
): number | undefined {
	let lo = 0;
	let hi = f.lines - 1;
	let found = -1; // last editor line whose origin <= originalLine
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (f.origin[mid] <= originalLine) {
			found = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	if (found >= 0 && originalLine < f.origin[found] + f.times[found]) return found + 1;
	if (!nearest || f.lines === 0) return undefined;
	return Math.min(found + 2, f.lines);
}
