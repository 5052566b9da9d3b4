// The one entry point used by the worker, the tests and the CLI:
// bytes → lines → (detection) → parser records → events → assembly → verdict.
import { Detector } from './detect';
import { TracerRouter } from './segments';
import { buildTraces, pairFlushes } from './assemble';
import { diagnose } from './diagnose';
import { LineIndex, LineSplitter } from './input/lines';
import { expandArchives } from './input/archive';
import { canReread, knownSize, openSource, type Source, type SourceData } from './input/source';
import {
	EVENT_KINDS,
	emptyCounts,
	type Analysis,
	type DetectedTracer,
	type FileSummary,
	type InputProblem,
	type TracerId,
	type TracerPart
} from './model';
import { EventStore, SpanStore, TraceStore } from './store';
import { TRACERS } from './tracers/index';
import type { Emitter, ParserSession, TracerParser } from './tracers/types';

export interface Progress {
	/** Index of the file being read, and how many there are. */
	file: number;
	files: number;
	name: string;
	bytes: number;
	totalBytes?: number;
	lines: number;
	/** 0..1 over all files when sizes are known. */
	fraction?: number;
}

export interface AnalyzeOptions {
	onProgress?: (p: Progress) => void;
	signal?: AbortSignal;
	/** Skip detection and parse as this tracer. */
	tracer?: TracerId;
	/** The registry to detect from (tests use their own). */
	parsers?: readonly TracerParser[];
}

/** Lines kept while the tracer is still unknown; past this a second pass reads the file again. */
const DETECT_BUFFER_LINES = 50_000;
const DETECT_BUFFER_CHARS = 32 * 1024 * 1024;
// every 1 MB: a 20 MB file still gets a smooth progress bar
const PROGRESS_EVERY_BYTES = 1024 * 1024;

export type AnalyzeInput = Source | SourceData;

/**
 * Resolves in a new macrotask, so messages (progress, cancellation) get through: setImmediate in
 * Node, a MessageChannel in browsers (a nested setTimeout(0) waits 1–4 ms each time).
 */
const nextTask: () => Promise<void> = (() => {
	if (typeof setImmediate === 'function') return () => new Promise((r) => setImmediate(r));
	if (typeof MessageChannel === 'function') {
		const channel = new MessageChannel();
		const waiting: (() => void)[] = [];
		channel.port1.onmessage = () => waiting.shift()?.();
		return () =>
			new Promise<void>((r) => {
				waiting.push(r);
				channel.port2.postMessage(null);
			});
	}
	return () => new Promise((r) => setTimeout(r, 0));
})();

function toSource(input: AnalyzeInput, i: number): Source {
	if (
		typeof input === 'object' &&
		input !== null &&
		'data' in input &&
		!(input instanceof Uint8Array)
	) {
		return input as Source;
	}
	const data = input as SourceData;
	const name = typeof File !== 'undefined' && data instanceof File ? data.name : `input-${i + 1}`;
	return { name, data };
}

function abortError(): Error {
	return new DOMException('The analysis was cancelled.', 'AbortError');
}

export function emptyAnalysis(): Analysis {
	return {
		tracer: 'unknown',
		files: [],
		counts: emptyCounts(),
		events: new EventStore(),
		spans: new SpanStore(),
		traces: new TraceStore(),
		flushes: { attempts: 0, ok: 0, failed: 0, unconfirmed: 0, list: [] },
		config: {},
		info: {},
		verdict: { status: 'no-tracer-lines', summary: '', details: [], evidence: [] },
		lineOffsets: [],
		notes: []
	};
}

/** Analyses one or more files (each detected on its own) into one Analysis on one time axis. */
export async function analyze(
	input: AnalyzeInput | AnalyzeInput[],
	options: AnalyzeOptions = {}
): Promise<Analysis> {
	const given = (Array.isArray(input) ? input : [input]).map(toSource);
	const { sources, notes: archiveNotes } = await expandArchives(given);
	const analysis = emptyAnalysis();
	analysis.notes = archiveNotes;
	const sizes = sources.map(
		(s) => knownSize(s.data) ?? (typeof s.data === 'string' ? s.data.length : undefined)
	);
	const total = sizes.every((s) => s !== undefined)
		? sizes.reduce((a, b) => a! + b!, 0)!
		: undefined;
	let doneBefore = 0;
	for (let i = 0; i < sources.length; i++) {
		const summary = await analyzeFile(sources[i], i, analysis, options, (bytes, lines) => {
			options.onProgress?.({
				file: i,
				files: sources.length,
				name: sources[i].name ?? '',
				bytes,
				totalBytes: sizes[i],
				lines,
				fraction: total ? Math.min(1, (doneBefore + bytes) / total) : undefined
			});
		});
		doneBefore += sizes[i] ?? 0;
		if (sources[i].gapBefore) summary.gapBefore = sources[i].gapBefore;
		analysis.files.push(summary);
	}
	finish(analysis);
	return analysis;
}

function finish(analysis: Analysis): void {
	analysis.events.trim();
	analysis.spans.trim();
	const counts = emptyCounts();
	// counted in an array (a store by key is slow)
	const n = new Array<number>(EVENT_KINDS.length).fill(0);
	const kinds = analysis.events.kind;
	for (let i = 0; i < kinds.length; i++) n[kinds[i]]++;
	EVENT_KINDS.forEach((k, i) => (counts[k] = n[i]));
	analysis.counts = counts;
	const detected = analysis.files.filter((f) => f.tracer !== 'unknown');
	analysis.tracer = (detected.sort((a, b) => b.confidence - a.confidence)[0]?.tracer ??
		'unknown') as DetectedTracer;
	// each tracer's configuration is its own; the analysis shows the files' in order, the last value
	// winning, and within a file that holds several tracers the main one's
	for (const f of analysis.files) {
		for (let p = f.tracers.length - 1; p >= 0; p--) {
			Object.assign(analysis.info, f.tracers[p].info);
			Object.assign(analysis.config, f.tracers[p].config);
		}
	}
	// the most confident file's own version
	analysis.tracerVersion =
		detected[0]?.tracerVersion ??
		analysis.info.tracerVersion ??
		detected.find((f) => f.tracerVersion)?.tracerVersion;
	analysis.traces = buildTraces(analysis);
	const list = pairFlushes(analysis.events, (file, tracer) => {
		const f = analysis.files[file];
		const part = tracer ? f?.tracers.find((p) => p.tracer === tracer) : undefined;
		return (part ?? f)?.logsSuccess !== false;
	});
	analysis.flushes = {
		attempts: counts['flush.attempt'],
		ok: counts['flush.ok'],
		failed: counts['flush.error'],
		unconfirmed: list.filter((f) => f.status === 'unconfirmed').length,
		list
	};
	analysis.verdict = diagnose(analysis);
}

async function analyzeFile(
	source: Source,
	fileIndex: number,
	analysis: Analysis,
	options: AnalyzeOptions,
	progress: (bytes: number, lines: number) => void
): Promise<FileSummary> {
	const name = source.name ?? `input-${fileIndex + 1}`;
	const summary: FileSummary = {
		name,
		bytes: 0,
		lines: 0,
		tracer: 'unknown',
		confidence: 0,
		detectedBy: [],
		tracers: [],
		segments: [],
		hasTimes: false,
		warnings: [],
		notes: []
	};
	const firstEvent = analysis.events.length;
	const firstSpan = analysis.spans.length;
	const registry = options.parsers ?? TRACERS;
	const forced = options.tracer ? registry.find((p) => p.id === options.tracer) : undefined;
	const detector = new Detector(registry, name);
	// the router once a first tracer is known (from detection, or forced); each tracer in the file
	// gets its own session, reporting its version and success logging
	const startRouter = (first: TracerParser): TracerRouter => {
		const router = new TracerRouter(
			registry,
			(parser, part) => guarded(parser, makeEmitter(analysis, fileIndex, part), summary),
			!forced
		);
		const detection = detector.result();
		if (forced) router.start(first, 1, []);
		else if (detection?.parser === first)
			router.start(first, detection.confidence, detection.detectedBy);
		else router.start(first, 0, []);
		return router;
	};

	// pass 1: detect while parsing; buffer lines until the tracer is known
	let session: TracerRouter | undefined;
	let parser: TracerParser | undefined = forced;
	if (forced) session = startRouter(forced);
	let pending: { text: string; lineNo: number; truncated: boolean }[] = [];
	let pendingChars = 0;
	let overflowed = false;
	let stopEarly = false;

	const onLine = (text: string, lineNo: number, _offset: number, truncated: boolean) => {
		if (session) {
			session.line(text, lineNo, truncated);
			return;
		}
		const found = detector.feed(text, lineNo);
		if (!overflowed) {
			pending.push({ text, lineNo, truncated });
			pendingChars += text.length;
		}
		if (found) {
			parser = found;
			if (overflowed) {
				stopEarly = true; // parse everything again from line 1 in pass 2
				return;
			}
			session = startRouter(found);
			for (const p of pending) session.line(p.text, p.lineNo, p.truncated);
			pending = [];
		} else if (
			!overflowed &&
			(pending.length > DETECT_BUFFER_LINES || pendingChars > DETECT_BUFFER_CHARS)
		) {
			overflowed = true;
			pending = [];
		}
	};

	const index = new LineIndex();
	const read = await readLines(source.data, onLine, index, options, progress, () => stopEarly);
	summary.notes.push(...read.notes);
	if (read.damage) summary.warnings.push(read.damage);
	if (read.problem) {
		summary.error = read.problem;
		summary.warnings.push(read.problem.message);
	}

	if (!session && !read.problem) {
		parser ??= detector.result()?.parser;
		if (parser) {
			session = startRouter(parser);
			if (!overflowed) {
				for (const p of pending) session.line(p.text, p.lineNo, p.truncated);
			} else if (canReread(source.data)) {
				// the tracer was found late: read the file again, parsing from the first line
				analysis.events.truncate(firstEvent);
				analysis.spans.truncate(firstSpan);
				const again = new LineIndex();
				const s = session;
				const second = await readLines(
					source.data,
					(t, n, _o, tr) => s.line(t, n, tr),
					again,
					options,
					progress,
					() => false
				);
				read.splitter = second.splitter;
				read.index = again;
			} else {
				summary.warnings.push(
					'The tracer was recognised late in this stream; events before that point were not parsed.'
				);
			}
		}
	}
	pending = [];

	summary.bytes = read.splitter.bytes;
	summary.lines = read.splitter.lines;
	if (session) {
		const found = session.end(summary.lines, analysis.events, firstEvent);
		summary.tracers = found.tracers;
		summary.segments = found.segments;
		if (found.segmentsOmitted) summary.segmentsOmitted = found.segmentsOmitted;
		const main = found.tracers[0];
		summary.tracer = main.tracer;
		summary.confidence = main.confidence;
		summary.detectedBy = main.detectedBy;
		summary.tracerVersion = main.tracerVersion;
		summary.logsSuccess = main.logsSuccess;
	}
	if (read.splitter.truncatedLines) {
		summary.warnings.push(
			`${read.splitter.truncatedLines} line(s) longer than 8 MB were cut to their first 8 MB for parsing (longest: ${(read.splitter.longestLine / 1048576).toFixed(1)} MB).`
		);
	}
	analysis.lineOffsets[fileIndex] = read.index.toArray();
	const times = analysis.events.time;
	for (let i = firstEvent; i < analysis.events.count; i++) {
		if (!Number.isNaN(times[i])) {
			summary.hasTimes = true;
			break;
		}
	}
	return summary;
}

async function readLines(
	data: SourceData,
	onLine: (text: string, lineNo: number, offset: number, truncated: boolean) => void,
	index: LineIndex,
	options: AnalyzeOptions,
	progress: (bytes: number, lines: number) => void,
	stop: () => boolean
) {
	const splitter = new LineSplitter(onLine, index, true); // colour codes removed
	let opened: Awaited<ReturnType<typeof openSource>>;
	try {
		opened = await openSource(data);
	} catch (e) {
		const message = `The file could not be read: ${String((e as Error).message ?? e).replace(/\.+$/, '')}.`;
		return { splitter, index, notes: [], problem: { code: 'unreadable', message } as InputProblem };
	}
	let nextReport = PROGRESS_EVERY_BYTES;
	let failure: string | undefined;
	let damage: string | undefined;
	if (!opened.problem) {
		try {
			for await (const chunk of opened.chunks) {
				if (options.signal?.aborted) throw abortError();
				splitter.push(chunk);
				if (stop()) break;
				if (splitter.bytes >= nextReport) {
					nextReport = splitter.bytes + PROGRESS_EVERY_BYTES;
					progress(splitter.bytes, splitter.lines);
					// let the event loop run: progress messages and cancellation get through
					await nextTask();
				}
			}
		} catch (e) {
			if (options.signal?.aborted) throw abortError();
			// a cut .gz or a failing disk: keep what was read and say where it stopped
			failure = String((e as Error).message ?? e).replace(/\.+$/, '');
		}
		if (options.signal?.aborted) throw abortError();
		splitter.end();
		progress(splitter.bytes, splitter.lines);
		if (failure !== undefined) {
			damage = opened.notes.some((n) => n.includes('gzip'))
				? `The gzip file is damaged or cut short (${failure}): it was probably truncated while being copied; the ${splitter.lines} lines unpacked before that are analysed.`
				: `The file is damaged: reading stopped after ${splitter.lines} lines (${failure}); what came before is analysed.`;
		}
	}
	return { splitter, index, notes: opened.notes, problem: opened.problem, damage };
}

/**
 * The parser's session behind a guard: a parser must never throw, and if one does on a line, that
 * line is lost, the file goes on, and the file's summary says so.
 */
function guarded(parser: TracerParser, emitter: Emitter, summary: FileSummary): ParserSession {
	const session = parser.createSession(emitter);
	let failures = 0;
	let first = '';
	const failed = (e: unknown, where: string) => {
		if (failures++ === 0) first = `${where}: ${String((e as Error)?.message ?? e).slice(0, 200)}`;
	};
	return {
		line(text, lineNo, truncated) {
			try {
				session.line(text, lineNo, truncated);
			} catch (e) {
				failed(e, `line ${lineNo}`);
			}
		},
		end() {
			try {
				session.end();
			} catch (e) {
				failed(e, 'end of file');
			}
			if (failures) {
				summary.warnings.push(
					`The ${parser.name} parser failed on ${failures} line(s) (first at ${first}); they are left out of the counts.`
				);
			}
		}
	};
}

function makeEmitter(analysis: Analysis, file: number, part: TracerPart): Emitter {
	const { events, spans } = analysis;
	return {
		event(e) {
			return events.ref(events.add(e, file, part.tracer));
		},
		span(s) {
			spans.add(s, file);
		},
		info(values) {
			for (const [k, v] of Object.entries(values)) {
				if (v !== undefined && v !== '') (part.info as Record<string, string>)[k] = v;
			}
			if (values.tracerVersion) part.tracerVersion = values.tracerVersion;
		},
		config(values) {
			Object.assign(part.config, values);
		},
		logsSuccess(value) {
			part.logsSuccess = value;
		}
	};
}
