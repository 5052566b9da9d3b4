// The event model shared by every parser, the worker, the UI and the CLI (see DESIGN.md).
import type { EventStore, SpanStore, TraceStore } from './store';

/** The twelve event kinds. The names are fixed: corpus ground truth, CLI JSON and UI use them. */
export const EVENT_KINDS = [
	'tracer.config',
	'span.start',
	'span.finish',
	'trace.complete',
	'flush.attempt',
	'flush.ok',
	'flush.error',
	'agent.error',
	'span.abandoned',
	'integration.loaded',
	'sampling',
	'log.other'
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const TRACER_IDS = [
	'java',
	'python',
	'ruby',
	'go',
	'nodejs',
	'dotnet',
	'php',
	'cpp'
] as const;
export type TracerId = (typeof TRACER_IDS)[number];
export type DetectedTracer = TracerId | 'unknown';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export type FieldValue = string | number | boolean | null | string[];
export type EventFields = Record<string, FieldValue>;

export interface LogEvent {
	/** Index of this event in `Analysis.events`. */
	id: number;
	kind: EventKind;
	/** Index into `Analysis.files`. */
	file: number;
	/** 1-based first and last line of the record, in its file. */
	line: number;
	endLine: number;
	/** Epoch milliseconds when the log line carries a time. */
	time?: number;
	/** The source's zone offset ("+00:00", "Z") or "local" when the log gives none. */
	zone?: string;
	level?: Level;
	/** "N additional messages skipped" makes one event stand for N+1 occurrences. */
	repeat?: number;
	/** One short human sentence; never HTML. */
	summary: string;
	fields: EventFields;
}

/** An event as a parser emits it; the analysis fills in id and file. */
export type NewEvent = Omit<LogEvent, 'id' | 'file' | 'endLine' | 'fields'> & {
	endLine?: number;
	fields?: EventFields;
};

export interface Span {
	/** Ids stay strings: 64-bit and 128-bit ids must never be rounded. */
	traceId: string;
	spanId: string;
	parentId?: string;
	name?: string;
	service?: string;
	resource?: string;
	type?: string;
	error?: boolean;
	/** Epoch ms (fractional) when the tracer printed it. */
	start?: number;
	/** Milliseconds. */
	duration?: number;
	file: number;
	line: number;
	/** The event (span.finish) that reported this span. */
	event: number;
}

export interface Trace {
	traceId: string;
	/** Indexes into `Analysis.spans`. */
	spans: number[];
	rootSpan?: number;
	start?: number;
	end?: number;
	services: string[];
	error: boolean;
}

export type FlushStatus = 'ok' | 'failed' | 'unconfirmed' | 'presumed';

/** One payload send: the attempt paired with its outcome when the tracer logs one. */
export interface Flush {
	status: FlushStatus;
	/** Event ids. */
	attempt?: number;
	outcome?: number;
	file: number;
	line: number;
	time?: number;
	traces?: number;
	spans?: number;
	endpoint?: string;
	reason?: string;
	httpStatus?: number;
	/** The tracer that sent it, in a file that holds several tracers. */
	tracer?: TracerId;
}

export type VerdictStatus =
	| 'ok'
	| 'recovered'
	| 'unreachable'
	| 'rejected'
	| 'failed'
	| 'not-sent'
	| 'unconfirmed'
	| 'no-flush-info'
	| 'no-tracer-lines'
	| 'input-error';

export interface Evidence {
	file: number;
	line: number;
	label: string;
	event?: number;
}

export interface Verdict {
	status: VerdictStatus;
	/** The plain answer, one sentence. */
	summary: string;
	/** Further sentences: where, how often, from when to when, what to do. */
	details: string[];
	evidence: Evidence[];
}

/** One tracer found in a file: a file may hold several (concatenated or interleaved logs). */
export interface TracerPart {
	tracer: TracerId;
	confidence: number;
	tracerVersion?: string;
	/** Lines that decided the detection (for a tracer switched to: the lines that switched). */
	detectedBy: { line: number; text: string }[];
	/** Lines read by this tracer's parser, and the events they gave. */
	lines: number;
	events: number;
	/** How many separate stretches of the file this tracer's lines form. */
	segments: number;
	/** False for tracers that never log an accepted payload. */
	logsSuccess?: boolean;
	/** This tracer's own configuration (`Analysis.info`/`config` hold the main tracer's). */
	info: TracerInfo;
	config: Record<string, string>;
}

/** A run of consecutive lines read by one tracer's parser. */
export interface Segment {
	tracer: TracerId;
	firstLine: number;
	lastLine: number;
	events: number;
}

export interface FileSummary {
	name: string;
	bytes: number;
	lines: number;
	/** The main tracer (most events) when the file holds several. */
	tracer: DetectedTracer;
	confidence: number;
	tracerVersion?: string;
	/** Lines that decided the detection. */
	detectedBy: { line: number; text: string }[];
	/** Every tracer in the file, main one first; empty when none was found. */
	tracers: TracerPart[];
	/** The file's stretches in line order, one per tracer switch (the first MAX_SEGMENTS). */
	segments: Segment[];
	/** Stretches left out of `segments` past its cap. */
	segmentsOmitted?: number;
	hasTimes: boolean;
	/** Problems with the input itself (binary, truncated lines, a tracer recognised late). */
	warnings: string[];
	/** How the input was read, for information (decompressed, re-encoded, byte-order mark skipped). */
	notes: string[];
	/** Set when the file could not be analysed at all. */
	error?: InputProblem;
	/** Set when this file continues another one after a missing middle (flare begin/end pair). */
	gapBefore?: string;
	/** The main tracer's: false for tracers that never log an accepted payload (from the parser). */
	logsSuccess?: boolean;
}

export type InputProblemCode = 'empty' | 'binary' | 'unreadable' | 'utf16' | 'too-large' | 'gzip';
export interface InputProblem {
	code: InputProblemCode;
	message: string;
}

/** Normalised configuration the UI shows first; raw key/values live in `config`. */
export interface TracerInfo {
	tracerVersion?: string;
	agentUrl?: string;
	service?: string;
	env?: string;
	version?: string;
	sampleRate?: string;
	debug?: string;
	lang?: string;
	langVersion?: string;
}

export type Counts = Record<EventKind, number>;

export interface Analysis {
	tracer: DetectedTracer;
	tracerVersion?: string;
	files: FileSummary[];
	counts: Counts;
	/** Stored as columns (store.ts); `at(i)` and iteration give LogEvent objects. */
	events: EventStore;
	spans: SpanStore;
	traces: TraceStore;
	flushes: { attempts: number; ok: number; failed: number; unconfirmed: number; list: Flush[] };
	/** Raw configuration key/values of every tracer.config record, last one wins. */
	config: Record<string, string>;
	info: TracerInfo;
	verdict: Verdict;
	/** Byte offset of the start of every line, per file (line n starts at offsets[n-1]). */
	lineOffsets: Float64Array[];
	/** What happened to the inputs as a whole (archives unpacked, entries skipped). */
	notes: string[];
}

export function emptyCounts(): Counts {
	const counts = {} as Counts;
	for (const kind of EVENT_KINDS) counts[kind] = 0;
	return counts;
}
