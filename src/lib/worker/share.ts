// Sharing, worker side: the worker holds the analysed inputs (the File of a 300 MB log, or the
// editor text), so links are built here and the page never freezes. An excerpt of a big file reads
// only the lines it needs (by the byte offsets the analysis kept); a whole log is read only when it
// can fit a link; a .log.gz is streamed. Redaction runs here too (a custom regex can be slow).
import {
	LineSplitter,
	openSource,
	type Analysis,
	type FileSummary,
	type Source,
	type SourceData
} from '../core/index';
import { expandArchives } from '../core/input/archive';
import {
	createShareLink,
	editorFile,
	excerptMarks,
	EXCERPT_LEVELS,
	prepareTexts,
	Redactor,
	splitLines,
	toOriginalFiles,
	tryDecodePermalink,
	type LineMap,
	type LinkFit,
	type PermalinkErrorCode,
	type PreparedText,
	type RecoveredShare,
	type RedactionProblem,
	type RedactOptions,
	type Replacement,
	type ShareEnvelope,
	type ShareView
} from '../permalink/index';
import { linkFit, WHOLE_LOG_MAX_LINK } from '../permalink/meter';

/** Logs up to this many (decoded) bytes are read whole to try a whole-log link. Deflate would
 *  have to pack a bigger log more than 60 times to fit WHOLE_LOG_MAX_LINK; logs don't. */
export const WHOLE_TRY_MAX = 2 * 1024 * 1024;
/** Below this the default excerpt tries the whole log first (share.ts tries up to 32× the budget). */
const SMALL_READ = 128 * 1024;
/** Longest line read for an excerpt (as the analysis: longer lines are cut). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
/** Lines of the shared text sent back for the dialog's preview. */
const PREVIEW_LINES = 400;
const PREVIEW_CHARS = 400;

export interface ShareAsk {
	mode: 'excerpt' | 'whole';
	/** location.origin + pathname (+ search): the link is this plus the hash. */
	origin: string;
	title?: string;
	/** The view in the ORIGINAL numbering (what the link records). */
	view?: ShareView;
	/** The selected line in the numbering of the analysed text, when it differs (a re-share). */
	excerptSelected?: { file: number; line: number };
	redact: RedactOptions | false;
	/** Longest link the excerpt is trimmed to (default 2,000). */
	maxLength?: number;
	/** Set when the analysed texts are a shared excerpt: the way back to original numbers. */
	maps?: (LineMap | undefined)[];
}

export interface PreviewLine {
	file: number;
	/** Original line number, or 0 for a gap marker. */
	line: number;
	text: string;
	/** Lines this one stands for (a collapsed run), or the omitted count of a gap. */
	times: number;
	/** Original length of a cut line, else 0. */
	clipped: number;
}

export interface ShareAnswer {
	url: string;
	length: number;
	fit: LinkFit;
	mode: 'excerpt' | 'whole';
	level: number;
	fitsBudget: boolean;
	tooLongForLink: boolean;
	complete: boolean;
	/** True when the link was not built at all (a whole log far above the cap). */
	notBuilt: boolean;
	replacements: Replacement[];
	redactionProblems: RedactionProblem[];
	files: { name: string; lines: number; bytes: number; keptLines: number }[];
	/** The first lines of what is shared (redacted), for the dialog. */
	preview: PreviewLine[];
	previewCut: boolean;
	/** Milliseconds spent in the worker. */
	elapsed: number;
}

export type OpenedLink =
	| { ok: true; envelope: ShareEnvelope; warnings: string[]; version: number }
	| { ok: false; code: PermalinkErrorCode; message: string; recovered?: RecoveredShare };

/** What the worker keeps of an analysis to share it. */
export interface Shareable {
	analysis: Analysis;
	inputs: Source[];
	/** The inputs with archives unpacked, in the order of `analysis.files` (made on first use). */
	expanded?: Promise<Source[]>;
}

function sourcesOf(s: Shareable): Promise<Source[]> {
	s.expanded ??= expandArchives(s.inputs).then((e) => e.sources);
	return s.expanded;
}

export async function buildShare(s: Shareable, ask: ShareAsk): Promise<ShareAnswer> {
	const started = performance.now();
	const a = s.analysis;
	const sources = await sourcesOf(s);
	const files = a.files;
	const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
	const mapFiles = ask.maps?.some(Boolean)
		? (f: Parameters<typeof toOriginalFiles>[0]) => toOriginalFiles(f, ask.maps!)
		: undefined;
	const base = {
		source: a,
		origin: ask.origin,
		title: ask.title || undefined,
		view: ask.view,
		excerptSelected: ask.excerptSelected,
		redact: ask.redact,
		maxLength: ask.maxLength,
		mapFiles
	};

	if (ask.mode === 'whole' && totalBytes > WHOLE_TRY_MAX) {
		// far beyond any link: say so without reading the log (the dialog offers a .log.gz)
		return {
			url: '',
			length: 0,
			fit: linkFit(WHOLE_LOG_MAX_LINK + 1),
			mode: 'whole',
			level: -1,
			fitsBudget: false,
			tooLongForLink: true,
			complete: true,
			notBuilt: true,
			replacements: [],
			redactionProblems: [],
			files: files.map((f) => ({ name: f.name, lines: f.lines, bytes: f.bytes, keptLines: 0 })),
			preview: [],
			previewCut: false,
			elapsed: performance.now() - started
		};
	}

	let link;
	const allStrings = sources.every((src) => typeof src.data === 'string');
	if (ask.mode === 'whole' || allStrings || totalBytes <= SMALL_READ) {
		const texts = await Promise.all(sources.map((src) => readText(src.data)));
		link = await createShareLink({ ...base, texts, mode: ask.mode });
	} else {
		const marks = excerptMarks(
			files.map((f) => f.lines),
			a,
			{ ...EXCERPT_LEVELS[0], selected: ask.excerptSelected ?? ask.view?.selected }
		);
		const prepared = await Promise.all(
			sources.map((src, i) => readMarked(src.data, files[i], a.lineOffsets[i], marks[i]))
		);
		link = await createShareLink({ ...base, texts: [], prepared, mode: 'excerpt' });
	}

	const preview: PreviewLine[] = [];
	let previewCut = false;
	link.envelope.files.forEach((f, file) => {
		const ef = editorFile(f);
		const text = splitLines(ef.text);
		let gap = 0;
		for (let i = 0; i < Math.min(ef.lines, text.length); i++) {
			while (gap < ef.gaps.length && ef.gaps[gap].before <= i + 1) {
				const g = ef.gaps[gap++];
				preview.push({ file, line: 0, text: '', times: g.to - g.from + 1, clipped: 0 });
			}
			if (preview.length >= PREVIEW_LINES) {
				previewCut = true;
				return;
			}
			const t = text[i];
			preview.push({
				file,
				line: ef.origin[i],
				text: t.length > PREVIEW_CHARS ? t.slice(0, PREVIEW_CHARS) : t,
				times: ef.times[i],
				clipped: ef.clippedFrom[i] || (t.length > PREVIEW_CHARS ? t.length : 0)
			});
		}
		for (; gap < ef.gaps.length; gap++) {
			const g = ef.gaps[gap];
			preview.push({ file, line: 0, text: '', times: g.to - g.from + 1, clipped: 0 });
		}
	});

	return {
		url: link.url,
		length: link.length,
		fit: link.fit,
		mode: link.mode,
		level: link.level,
		fitsBudget: link.fitsBudget,
		tooLongForLink: link.tooLongForLink,
		complete: link.complete,
		notBuilt: false,
		replacements: link.replacements,
		redactionProblems: link.redactionProblems,
		files: link.envelope.files.map((f) => ({
			name: f.name,
			lines: f.lines,
			bytes: f.bytes,
			keptLines: f.text !== undefined ? f.lines : keptLines(f.segments ?? [])
		})),
		preview,
		previewCut,
		elapsed: performance.now() - started
	};
}

function keptLines(segments: { lines: string[]; repeats?: [number, number][] }[]): number {
	let n = 0;
	for (const s of segments) {
		n += s.lines.length;
		for (const [, t] of s.repeats ?? []) n += t - 1;
	}
	return n;
}

/** The whole decoded text of a source (gzip unpacked, UTF-16 transcoded, BOM dropped). */
async function readText(data: SourceData): Promise<string> {
	if (typeof data === 'string') return data;
	const opened = await openSource(data);
	if (opened.problem) return '';
	const decoder = new TextDecoder('utf-8');
	const parts: string[] = [];
	for await (const chunk of opened.chunks) parts.push(decoder.decode(chunk, { stream: true }));
	parts.push(decoder.decode());
	return parts.join('');
}

/**
 * The lines `marks` names (1-based), as a sparse PreparedText of the file's length. A plain file
 * is read by byte ranges (the analysis's line offsets), anything else (gzip, UTF-16) streamed.
 */
async function readMarked(
	data: SourceData,
	summary: FileSummary,
	offsets: Float64Array | undefined,
	marks: Uint8Array
): Promise<PreparedText> {
	const n = summary.lines;
	if (typeof data === 'string') {
		const p = prepareTexts([data])[0];
		return p;
	}
	const lines: string[] = new Array(n);
	const direct =
		data instanceof Uint8Array || (typeof Blob !== 'undefined' && data instanceof Blob);
	const size = data instanceof Uint8Array ? data.length : direct ? (data as Blob).size : 0;
	const skip = direct ? await directOffset(data, size, summary.bytes) : undefined;
	if (skip !== undefined && offsets && offsets.length === n) {
		const decoder = new TextDecoder('utf-8');
		const read = async (from: number, to: number) => {
			if (data instanceof Uint8Array) return data.subarray(from, to);
			return new Uint8Array(await (data as Blob).slice(from, to).arrayBuffer());
		};
		// contiguous kept lines are read in one slice
		for (let l = 1; l <= n;) {
			if (!marks[l]) {
				l++;
				continue;
			}
			let last = l;
			while (last + 1 <= n && marks[last + 1]) last++;
			const from = skip + offsets[l - 1];
			const to = last < n ? skip + offsets[last] : size;
			const bytes = await read(from, to);
			let k = l;
			for (const text of splitBytes(bytes, offsets, l, last, skip, from, decoder)) {
				lines[k - 1] = text;
				k++;
			}
			l = last + 1;
		}
		return { lines, bytes: summary.bytes };
	}
	// stream: decode every line (the line splitter does), keep the marked ones
	const opened = await openSource(data);
	if (!opened.problem) {
		const splitter = new LineSplitter((text, lineNo) => {
			if (lineNo <= n && marks[lineNo]) lines[lineNo - 1] = text;
		});
		for await (const chunk of opened.chunks) {
			splitter.push(chunk);
			if (splitter.lines > n) break;
		}
		splitter.end();
	}
	return { lines, bytes: summary.bytes };
}

/** Lines l..last of a slice that starts at byte `from`, without their line breaks. */
function* splitBytes(
	bytes: Uint8Array,
	offsets: Float64Array,
	l: number,
	last: number,
	skip: number,
	from: number,
	decoder: TextDecoder
): Generator<string> {
	for (let k = l; k <= last; k++) {
		const start = skip + offsets[k - 1] - from;
		let end = k < offsets.length ? skip + offsets[k] - from : bytes.length;
		end = Math.min(end, bytes.length);
		// drop the line break: LF, CRLF or CR
		if (end > start && bytes[end - 1] === 10) end--;
		if (end > start && bytes[end - 1] === 13) end--;
		yield decoder.decode(bytes.subarray(start, Math.min(end, start + MAX_LINE_BYTES)));
	}
}

/**
 * Byte offset of the analysed text in the raw data when the analysis read the bytes as they are
 * (0, or 3 after a UTF-8 BOM); undefined when they were unpacked or transcoded.
 */
async function directOffset(
	data: Uint8Array | Blob,
	size: number,
	decodedBytes: number
): Promise<number | undefined> {
	if (size === decodedBytes) {
		const head = await headBytes(data, 2);
		// a gzip of the same size as its content is possible in theory only; check anyway
		return head[0] === 0x1f && head[1] === 0x8b ? undefined : 0;
	}
	if (size === decodedBytes + 3) {
		const head = await headBytes(data, 3);
		if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
	}
	return undefined;
}

async function headBytes(data: Uint8Array | Blob, n: number): Promise<Uint8Array> {
	if (data instanceof Uint8Array) return data.subarray(0, n);
	return new Uint8Array(await data.slice(0, n).arrayBuffer());
}

/** Every line of a source, in batches (for the .log.gz download). */
async function* lineBatches(data: SourceData): AsyncGenerator<string[]> {
	const opened = await openSource(data);
	if (opened.problem) return;
	let batch: string[] = [];
	const splitter = new LineSplitter((text) => batch.push(text));
	for await (const chunk of opened.chunks) {
		splitter.push(chunk);
		if (batch.length) {
			yield batch;
			batch = [];
		}
	}
	splitter.end();
	if (batch.length) yield batch;
}

/**
 * File `file` of the analysis as a gzip Blob, redacted when `redact` is set (two passes: the first
 * learns every value, so tokens are the same on every line).
 */
export async function gzipFile(
	s: Shareable,
	file: number,
	redact: RedactOptions | false
): Promise<{ blob: Blob; replacements: number; problems: RedactionProblem[] }> {
	const sources = await sourcesOf(s);
	const data = sources[file]?.data;
	if (data === undefined) throw new Error(`There is no file ${file + 1}.`);
	const redactor = redact ? new Redactor(redact) : undefined;
	if (redactor)
		for await (const batch of lineBatches(data)) for (const l of batch) redactor.prime(l);
	const encoder = new TextEncoder();
	const it = lineBatches(data)[Symbol.asyncIterator]();
	const stream = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await it.next();
			if (done) {
				controller.close();
				return;
			}
			const text = (redactor ? value.map((l) => redactor.line(l)) : value).join('\n') + '\n';
			controller.enqueue(encoder.encode(text));
		}
	});
	const gz = stream.pipeThrough(
		new CompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>
	);
	const blob = await new Response(gz).blob();
	return {
		blob: new Blob([blob], { type: 'application/gzip' }),
		replacements: redactor ? redactor.replacements.length : 0,
		problems: redactor ? [...redactor.problems] : []
	};
}

/** Decodes a link (here: a hostile link may inflate to many megabytes of JSON). */
export async function openLink(hash: string): Promise<OpenedLink> {
	const r = await tryDecodePermalink(hash);
	if (r.ok) return { ok: true, envelope: r.envelope, warnings: r.warnings, version: r.version };
	return { ok: false, code: r.error.code, message: r.error.message, recovered: r.recovered };
}
