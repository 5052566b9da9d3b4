// Ruby tracer (`ddtrace` 0.x/1.x, `datadog` 2.x): debug lines written through Ruby's stdlib Logger,
// `L, [ts #pid] LEVEL -- ddtrace: [ddtrace] (file:line:in `method') message` (see FORMAT-ruby.md).
// A trace payload that the Agent accepts leaves no line, so attempts with no error are presumed sent.
import type { EventFields, Level, LogEvent, NewEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { nanosToMillis, parseTimestamp } from '../time';
import { JsonDepth } from './common';
import type { Emitter, ParserSession, TracerParser } from './types';

/** What the start of a record says: who wrote it, when, at which level, and the message. */
interface Head {
	/** Written by the tracer (marker, progname or a known template); false for app lines. */
	tracer: boolean;
	message: string;
	level?: Level;
	time?: number;
	zone?: string;
	pid?: string;
	/** `path:line:in `method'` the Logger adds in debug mode and on errors. */
	caller?: string;
}

interface DumpSpan {
	line: number;
	endLine: number;
	name?: string;
	spanId?: string;
	parentId?: string;
	traceId?: string;
	type?: string;
	service?: string;
	resource?: string;
	error?: string;
	start?: string;
	end?: string;
	duration?: string;
}

// `D, [2024-01-02T10:11:12.345678 #123] DEBUG -- ddtrace: ` (the level is right-aligned to 5).
const LOGGER_HEAD =
	/^([DIWEFA]), \[([^\]]{1,40}) #(\d{1,10})\] {1,6}(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- ([^:]{0,100}): /;
// The same head anywhere in a short prefix (log drains and collectors put their own in front).
const LOGGER_HEAD_INSIDE =
	/([DIWEFA]), \[([^\]]{1,40}) #(\d{1,10})\] {1,6}(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- ([^:]{0,100}): $/;
// Log viewers drop `L, [ts #pid]` and keep `ERROR -- ddtrace: `.
const SHORT_HEAD = /^(DEBUG|INFO|WARN|ERROR|FATAL|ANY|UNKNOWN) -- ([^:\s]{0,100}): /;
const LEVEL_WORD = /\b(DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b/;
const ROW_NUMBER = /^ {0,6}\d{1,7} {0,4}\| ?/;
const WRITING = /^Writing (\d{1,9}) spans \(enabled: (\w{1,10})\)/;
const WRITING_ANYWHERE = /Writing \d{1,9} spans \(enabled: (?:true|false)\)/;
const GEM_VERSION = /\/gems\/(?:ddtrace|datadog)-(\d{1,4}\.\d{1,4}\.\d{1,4}(?:\.[\w]{1,20})?)\//;
const GEM_PATH = /\/gems\/(?:ddtrace|datadog)-\d/;
const TRACE_CLIENT = /^Internal error during Datadog::[\w:]{0,80}Transport::HTTP::Client request/;
const ERROR_CLASS = /^([A-Z]\w{0,80}(?:::[A-Z]\w{0,80}){0,6}):? /;
const SEND_REQUEST = /^send_request :?(\w{1,40}) failed: /;
const DROPPED = /^Error (?:during traces flush|while writing traces): dropped (\d{1,9}) items/;
const TCP_ENDPOINT =
	/(?:TCP connection to |connect\(2\) for )"?([\w.-]{1,253}|\[[0-9a-fA-F:]{2,45}\])"?(?::| port )(\d{1,5})/;
const UNIX_ENDPOINT = /connect\(2\) for (\/[^\s)"]{1,300})/;
const HTTP_CODE = /\bcode:(\d{3})\b|#<Net::HTTP\w{0,40} (\d{3})\b/;
// `"trace_id":1` (1.x JSON), `"trace_id"=>1` (2.x Hash#inspect), `\"trace_id\":1` (inside a JSON log)
const TRACE_ID = /"trace_id\\?"(?::|=>) ?(\d{1,40})/;
const ERROR_TYPE = /error_type:(\S{1,100})/;
// `…/ddtrace/transport.rb:73:in `rescue in post'` (≤0.15) or `…:in `log_error_once'` (0.16–0.25)
const OLD_TRANSPORT_CALLER =
	/(?:^|\/)ddtrace\/transport\.rb:\d{1,5}:in [`'](?:rescue in |block in )?(?:log_error_once|post|handle_response)'/;

const LEVELS: Record<string, Level> = {
	D: 'debug',
	I: 'info',
	W: 'warn',
	E: 'error',
	F: 'fatal',
	A: 'error',
	DEBUG: 'debug',
	INFO: 'info',
	WARN: 'warn',
	WARNING: 'warn',
	ERROR: 'error',
	FATAL: 'fatal',
	ANY: 'error',
	UNKNOWN: 'error'
};

/** Old transports log `response.message` only; the usual phrases give the status back. */
const REASON_PHRASES: Record<string, number> = {
	'bad request': 400,
	unauthorized: 401,
	forbidden: 403,
	'not found': 404,
	'method not allowed': 405,
	'request timeout': 408,
	'request entity too large': 413,
	'payload too large': 413,
	'unsupported media type': 415,
	'too many requests': 429,
	'internal server error': 500,
	'bad gateway': 502,
	'service unavailable': 503,
	'gateway timeout': 504
};

/** Messages users paste without any prefix; each one is unmistakably the Ruby tracer's. */
const BARE_TEMPLATES = [
	'Flushing trace: [',
	'Internal error during HTTP transport request',
	'Internal error during IO transport request',
	'Internal error during Datadog::',
	'DATADOG TRACER CONFIGURATION - ',
	'DATADOG CONFIGURATION - ',
	'DATADOG TRACER DIAGNOSTIC - ',
	'DATADOG DIAGNOSTIC - ',
	'DATADOG ERROR - '
];

/** Failures talking to the Agent about anything but trace payloads (R5), by message start. */
const AGENT_ERRORS: [prefix: string, component: string][] = [
	['agent unreachable: cannot negotiate', 'remote configuration'],
	['agent reachable but ', 'remote configuration'],
	['remote worker client sync error', 'remote configuration'],
	['remote worker error', 'remote configuration'],
	['Failed to send telemetry', 'telemetry'],
	['Unable to send telemetry', 'telemetry'],
	['Error sending telemetry', 'telemetry'],
	['Error while sending runtime metric', 'DogStatsD'],
	['Failed to report profiling data', 'profiling'],
	['Failed to flush DSM stats', 'data streams'],
	['OpenFeature: Failed to flush', 'OpenFeature'],
	['OpenFeature EVP: flush error', 'OpenFeature'],
	['OpenFeature EVP: transport response was not OK', 'OpenFeature'],
	['OpenFeature: Resolution details upload response was not OK', 'OpenFeature']
];

/** Flushing lines of one batch are written within milliseconds; batches are >= 1 s apart. */
const FOLD_MS = 500;
/** Spans kept per dump record (a dump of one trace rarely holds more than a few hundred). */
const MAX_DUMP_SPANS = 100_000;
const PREFIX_SCAN = 400;

function short(text: string, max = 200): string {
	const t = text.trim();
	return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Drops paste artifacts in front of a line: markdown `> `, viewer row numbers `457 | `, `| `. */
function stripArtifacts(text: string): string {
	let s = text;
	for (let i = 0; i < 4; i++) {
		const c = s.charCodeAt(0);
		if (c === 62) {
			s = s.charCodeAt(1) === 32 ? s.slice(2) : s.slice(1); // '>'
		} else if (c === 124 && s.charCodeAt(1) === 32) {
			s = s.slice(2); // '| '
		} else if ((c >= 48 && c <= 57) || c === 32) {
			const m = c === 32 && s.charCodeAt(1) !== 32 ? null : ROW_NUMBER.exec(s);
			if (!m) break;
			s = s.slice(m[0].length);
		} else break;
	}
	return s;
}

/** Where `[ddtrace] ` / `[datadog] ` starts within the first characters, or -1. */
function markerIndex(text: string): number {
	const scan = text.length > PREFIX_SCAN ? text.slice(0, PREFIX_SCAN) : text;
	let at = scan.indexOf('[ddtrace] ');
	if (at < 0) at = scan.indexOf('[datadog] ');
	if (at < 0 && (scan.endsWith('[ddtrace]') || scan.endsWith('[datadog]'))) at = scan.length - 9;
	return at;
}

function isBlank(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c !== 32 && c !== 9) return false;
	}
	return true;
}

/** `(path:line:in `method') message` → caller and message (Ruby >= 3.4: `in 'Class#method'`). */
function splitCaller(msg: string): { caller?: string; message: string } {
	if (msg.charCodeAt(0) !== 40) return { message: msg };
	const scan = msg.length > 2000 ? msg.slice(0, 2000) : msg;
	let end = scan.indexOf("') ");
	if (end < 0 && scan.endsWith("')")) end = scan.length - 2;
	if (end < 0 || scan.lastIndexOf(':in ', end) < 0) return { message: msg };
	return { caller: msg.slice(1, end + 1), message: msg.slice(end + 3) };
}

function isBareTemplate(msg: string): boolean {
	for (const t of BARE_TEMPLATES) if (msg.startsWith(t)) return true;
	return msg.startsWith('Writing ') && WRITING.test(msg);
}

function timeOf(text: string): { time?: number; zone?: string } {
	const t = parseTimestamp(text);
	return t ? { time: t.time, zone: t.zone } : {};
}

function fromLogger(m: RegExpExecArray, rest: string): Head {
	const { time, zone } = timeOf(m[2]);
	const head: Head = {
		tracer: false,
		message: rest,
		level: LEVELS[m[4]] ?? LEVELS[m[1]],
		time,
		zone,
		pid: m[3]
	};
	return finishHead(head, rest, m[5]);
}

/** Strips the `[ddtrace] ` marker and the caller; decides whether the tracer wrote the message. */
function finishHead(head: Head, rest: string, progname?: string): Head {
	let msg = rest;
	if (msg.startsWith('[ddtrace]') || msg.startsWith('[datadog]')) {
		head.tracer = true;
		msg = msg.charCodeAt(9) === 32 ? msg.slice(10) : msg.slice(9);
	} else if (progname === 'ddtrace' || progname === 'datadog') {
		head.tracer = true;
	}
	const { caller, message } = splitCaller(msg);
	head.message = message;
	if (caller) head.caller = caller;
	if (!head.tracer) head.tracer = isBareTemplate(message);
	return head;
}

/**
 * Parses the start of a record. Returns undefined for a line that starts no record (a continuation
 * line, or a line with no head at all); a head with `tracer: false` is an application line.
 */
function parseHead(s: string): Head | undefined {
	if (s.length < 3) return undefined;
	if (s.charCodeAt(1) === 44 && s.charCodeAt(2) === 32) {
		const m = LOGGER_HEAD.exec(s);
		if (m) return fromLogger(m, s.slice(m[0].length));
	}
	const dash = s.lastIndexOf(' -- ', 7); // bounded: `UNKNOWN -- ` is the longest
	if (dash > 2) {
		const m = SHORT_HEAD.exec(s);
		if (m)
			return finishHead(
				{ tracer: false, message: '', level: LEVELS[m[1]] },
				s.slice(m[0].length),
				m[2]
			);
	}
	const marker = markerIndex(s);
	if (marker >= 0) {
		const prefix = s.slice(0, marker);
		const rest = s.slice(marker);
		const inner = LOGGER_HEAD_INSIDE.exec(prefix);
		if (inner) return fromLogger(inner, rest);
		const word = LEVEL_WORD.exec(prefix);
		const { time, zone } = timeOf(prefix);
		return finishHead(
			{ tracer: true, message: '', level: word ? LEVELS[word[1]] : undefined, time, zone },
			rest
		);
	}
	if (isBareTemplate(s)) return { tracer: true, message: s };
	return undefined;
}

/** Streams the PP span dump (`[ Name: …\nSpan ID: …` …) so a long dump keeps every span. */
class DumpParser {
	spans: DumpSpan[] = [];
	closed = false;
	private cur: DumpSpan | undefined;
	private prevClosesDump = false;

	feed(s: string, lineNo: number): void {
		if (isBlank(s)) {
			// the dump ends with `]]` and an empty line
			if (this.prevClosesDump && s.length === 0) this.closed = true;
			return;
		}
		this.prevClosesDump = s.endsWith(']]');
		const t = s.charCodeAt(0) === 32 && s.charCodeAt(1) !== 32 ? s.slice(1) : s;
		if (t.startsWith('Name:') && (!this.cur || this.cur.spanId !== undefined)) {
			if (this.spans.length >= MAX_DUMP_SPANS) {
				this.cur = undefined;
				return;
			}
			this.cur = { line: lineNo, endLine: lineNo, name: t.slice(5).trim() };
			this.spans.push(this.cur);
			return;
		}
		const span = this.cur;
		if (!span) return;
		span.endLine = lineNo;
		const colon = t.slice(0, 11).indexOf(':');
		if (colon < 3 || colon > 9) return;
		const value = t.slice(colon + 1).trim();
		// the first occurrence wins: a multi-line tag value may repeat a key
		switch (t.slice(0, colon)) {
			case 'Span ID':
				span.spanId ??= value;
				break;
			case 'Parent ID':
				span.parentId ??= value;
				break;
			case 'Trace ID':
				span.traceId ??= value;
				break;
			case 'Type':
				span.type ??= value;
				break;
			case 'Service':
				span.service ??= value;
				break;
			case 'Resource':
				span.resource ??= value;
				break;
			case 'Error':
				span.error ??= value;
				break;
			case 'Start':
				span.start ??= value;
				break;
			case 'End':
				span.end ??= value;
				break;
			case 'Duration':
				span.duration ??= value;
				break;
		}
	}
}

interface RecordState {
	record: LogRecord;
	head: Head | undefined;
	/** Still accepting continuation lines. */
	open: boolean;
	dump?: DumpParser;
	json?: JsonDepth;
	/** The head ends at its caller: a log viewer put the message on a later line. */
	awaitingMessage?: boolean;
	lastLine: number;
}

interface OpenAttempt {
	event: LogEvent;
	lastTime?: number;
	/** A transport result closed it. */
	closed: boolean;
	/** Another tracer record of the process came after it. */
	intervened: boolean;
}

function durationMs(span: DumpSpan): number | undefined {
	const d = span.duration;
	if (d && /^\d/.test(d)) {
		// seconds as a float since 0.4x; integer nanoseconds before
		return /[.eE]/.test(d) ? Number(d) * 1000 : Number(d) / 1e6;
	}
	if (span.start && span.end && /^\d+$/.test(span.start) && /^\d+$/.test(span.end)) {
		const s = nanosToMillis(span.start);
		const e = nanosToMillis(span.end);
		if (s !== undefined && e !== undefined) return e - s;
	}
	return undefined;
}

function causeOf(msg: string): { cause: string; location?: string } {
	const at = msg.indexOf('Cause: ');
	if (at < 0) return { cause: '' };
	let cause = msg.slice(at + 7);
	let location: string | undefined;
	const loc = cause.indexOf(' Location: ');
	if (loc >= 0) {
		location = cause.slice(loc + 11).trim();
		cause = cause.slice(0, loc);
	}
	return { cause: cause.trim(), location };
}

/** Ruby's Timeout::Error (Net::OpenTimeout) says only `execution expired`; 0.x drops the class. */
function explain(reason: string): string {
	return reason.includes('execution expired') && !/[Tt]ime ?out/.test(reason)
		? `${reason} (timed out)`
		: reason;
}

function errorClassOf(cause: string): string | undefined {
	const m = ERROR_CLASS.exec(cause);
	if (!m) return undefined;
	const name = m[1];
	return name.includes('::') || /(?:Error|Exception|Timeout|Interrupt)$/.test(name)
		? name
		: undefined;
}

function endpointOf(text: string): string | undefined {
	const scan = text.length > 4000 ? text.slice(0, 4000) : text;
	const tcp = TCP_ENDPOINT.exec(scan);
	if (tcp) return `http://${tcp[1]}:${tcp[2]}`;
	const unix = UNIX_ENDPOINT.exec(scan);
	if (unix) return `unix://${unix[1]}`;
	return undefined;
}

function statusOf(text: string): number | undefined {
	const m = HTTP_CODE.exec(text.length > 20000 ? text.slice(0, 20000) : text);
	return m ? Number(m[1] ?? m[2]) : undefined;
}

function countOf(text: string, needle: string): number {
	let n = 0;
	for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
	return n;
}

/** Config JSON: parsed when whole; key by key when the paste is cut or hand-edited. */
function configValues(text: string): Record<string, string> {
	let json = text;
	const values: Record<string, string> = {};
	try {
		const parsed: unknown = JSON.parse(json);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			for (const [k, v] of Object.entries(parsed)) {
				values[k] = typeof v === 'string' ? v : JSON.stringify(v);
			}
			return values;
		}
	} catch {
		// cut or pretty-printed by hand: fall through to the key-by-key reading
	}
	// a JSON log formatter escapes the message: {"message":"[ddtrace] DATADOG … - {\"date\":…
	if (json.includes('\\"')) json = json.replace(/\\"/g, '"');
	const pair =
		/"([^"\\]{1,100})"\s{0,20}:\s{0,20}("(?:[^"\\]|\\.){0,10000}"|-?\d[\d.eE+-]{0,30}|true|false|null)/g;
	let m: RegExpExecArray | null;
	while ((m = pair.exec(json))) {
		let v = m[2];
		if (v.startsWith('"')) {
			try {
				v = JSON.parse(v) as string;
			} catch {
				v = v.slice(1, -1);
			}
		}
		values[m[1]] ??= v;
	}
	return values;
}

class RubySession implements ParserSession {
	private readonly grouper: RecordGrouper;
	private state: RecordState | undefined;
	/** The head parsed while refusing a continuation, reused when that line starts its record. */
	private stash: { text: string; head: Head | undefined } | undefined;
	private lineNo = 0;
	private readonly attempts = new Map<string, OpenAttempt>();
	private agentUrl: string | undefined;
	private version: string | undefined;
	private seenTracer = false;

	constructor(private readonly out: Emitter) {
		this.grouper = new RecordGrouper(
			(text, record) => this.isContinuation(text, record),
			(record) => this.onRecord(record)
		);
	}

	line(text: string, lineNo: number, truncated: boolean): void {
		this.lineNo = lineNo;
		try {
			this.grouper.line(text, lineNo, truncated);
		} catch {
			// a parser never throws; the line is lost, the session goes on
		}
	}

	end(): void {
		try {
			this.grouper.end();
		} catch {
			// as in line()
		}
	}

	private stateOf(record: LogRecord): RecordState {
		if (this.state?.record === record) return this.state;
		const first = record.lines[0];
		const stripped = stripArtifacts(first);
		const head = this.stash?.text === first ? this.stash.head : parseHead(stripped);
		this.stash = undefined;
		const st: RecordState = { record, head, open: false, lastLine: record.start };
		if (head?.tracer && head.caller && head.message === '') {
			st.awaitingMessage = true;
			st.open = true;
		} else if (head) this.expectBody(st, head);
		this.state = st;
		return st;
	}

	/** Opens the record for the lines its message announces: a span dump or a wrapped JSON. */
	private expectBody(st: RecordState, head: Head): void {
		const msg = head.message;
		if (msg === '[' || (msg.startsWith('Writing ') && WRITING.test(msg))) {
			// 1.0+: the dump follows `Writing N spans` in the same record; 0.x: its own `[` record
			st.dump = new DumpParser();
			st.open = true;
		} else if (head.tracer && /^DATADOG (?:TRACER )?CONFIGURATION - /.test(msg)) {
			st.json = new JsonDepth();
			st.json.feed(msg);
			st.open = !st.json.complete;
		}
	}

	private isContinuation(text: string, record: LogRecord): boolean {
		const st = this.stateOf(record);
		if (!st.open) return false;
		const s = stripArtifacts(text);
		const head = parseHead(s);
		if (st.awaitingMessage && st.head && !isBlank(s) && (!head || head.message === s)) {
			st.awaitingMessage = false;
			st.open = false;
			st.head.message = s;
			st.lastLine = this.lineNo;
			this.expectBody(st, st.head);
			return true;
		}
		if (head) {
			this.stash = { text, head };
			return false;
		}
		if (!isBlank(s)) st.lastLine = this.lineNo;
		if (st.dump) {
			st.dump.feed(s, this.lineNo);
			if (st.dump.closed) st.open = false;
		} else if (st.json) {
			st.json.feed(s);
			if (st.json.complete) st.open = false;
		}
		return true;
	}

	private onRecord(record: LogRecord): void {
		const st = this.stateOf(record);
		this.state = undefined;
		const head = st.head;
		if (!head) return;
		const hasSpans = (st.dump?.spans.length ?? 0) > 0;
		if (!head.tracer && !hasSpans) return;
		try {
			this.handle(head, st);
		} catch {
			// a parser never throws: a record it cannot read is skipped
		}
	}

	private noteVersion(text: string): void {
		if (text.indexOf('/gems/') < 0) return;
		const m = GEM_VERSION.exec(text.length > 4000 ? text.slice(0, 4000) : text);
		if (m && m[1] !== this.version) {
			this.version = m[1];
			this.out.info({ tracerVersion: m[1] });
		}
	}

	private emit(
		head: Head,
		st: RecordState,
		e: Omit<NewEvent, 'line' | 'time' | 'zone' | 'level'>
	): LogEvent {
		return this.out.event({
			line: st.record.start,
			endLine: st.lastLine,
			time: head.time,
			zone: head.zone,
			level: head.level,
			...e
		});
	}

	private handle(head: Head, st: RecordState): void {
		if (!this.seenTracer) {
			this.seenTracer = true;
			this.out.info({ lang: 'ruby' });
		}
		this.noteVersion(st.record.lines[0]);
		const msg = head.message;
		const pid = head.pid ?? '';

		if (msg.startsWith('Flushing trace: ')) {
			this.flushing(head, st, msg);
			return;
		}
		const attempt = this.attempts.get(pid);
		if (attempt) attempt.intervened = true;

		const writing = msg.startsWith('Writing ') ? WRITING.exec(msg) : null;
		if (writing) {
			const n = Number(writing[1]);
			this.emit(head, st, {
				kind: 'trace.complete',
				summary: `Trace of ${plural(n, 'span')} handed to the writer${writing[2] === 'false' ? ' (tracer disabled)' : ''}.`,
				fields: { spans: n, enabled: writing[2] === 'true' }
			});
		}
		if (st.dump) {
			this.spans(head, st.dump);
			return;
		}
		if (msg.startsWith('Internal error during ')) return this.internalError(head, st, msg);
		if (this.oldTransport(head, st, msg)) return;
		if (msg.startsWith('DATADOG ')) {
			if (this.datadogSummary(head, st, msg)) return;
		}
		if (msg.startsWith('send_request ')) {
			const m = SEND_REQUEST.exec(msg);
			if (m) return this.sendRequestFailed(head, st, msg, m[1]);
		}
		const dropped = DROPPED.exec(msg);
		if (dropped) {
			const { cause } = causeOf(msg);
			this.flushError(head, st, cause || msg, { traces: Number(dropped[1]) });
			return;
		}
		if (msg.startsWith('Native transport error: ')) {
			this.flushError(head, st, msg.slice(24));
			return;
		}
		for (const [prefix, component] of AGENT_ERRORS) {
			if (msg.startsWith(prefix)) return this.agentError(head, st, component, msg);
		}
		if (msg.startsWith('Failed to send ') && msg.includes(' stat. Cause: ')) {
			return this.agentError(head, st, 'DogStatsD', msg);
		}
		if (head.level === 'warn' || head.level === 'error' || head.level === 'fatal') {
			this.emit(head, st, { kind: 'log.other', summary: short(msg), fields: {} });
		}
	}

	private spans(head: Head, dump: DumpParser): void {
		for (const s of dump.spans) {
			if (s.spanId === undefined) continue;
			const duration = durationMs(s);
			const start = s.start && /^\d+$/.test(s.start) ? nanosToMillis(s.start) : undefined;
			const error = s.error !== undefined && s.error !== '' && s.error !== '0';
			const fields: EventFields = { spanId: s.spanId };
			if (s.traceId) fields.traceId = s.traceId;
			if (s.parentId) fields.parentId = s.parentId;
			if (s.name) fields.name = s.name;
			if (s.service) fields.service = s.service;
			if (s.resource) fields.resource = s.resource;
			if (s.type) fields.type = s.type;
			if (duration !== undefined) fields.duration = duration;
			fields.error = error;
			const event = this.out.event({
				kind: 'span.finish',
				line: s.line,
				endLine: s.endLine,
				time: head.time,
				zone: head.zone,
				level: head.level,
				summary: `Span ${s.name || '?'}${s.service ? ` (${s.service})` : ''} finished${duration !== undefined ? ` in ${duration.toFixed(1)} ms` : ''}${error ? ' with an error' : ''}.`,
				fields
			});
			this.out.span({
				traceId: s.traceId ?? '',
				spanId: s.spanId,
				parentId: s.parentId,
				name: s.name || undefined,
				service: s.service || undefined,
				resource: s.resource || undefined,
				type: s.type || undefined,
				error,
				start,
				duration,
				line: s.line,
				event: event.id
			});
		}
	}

	/** R3: the Flushing lines of one batch are one payload; a transport result or a pause ends it. */
	private flushing(head: Head, st: RecordState, msg: string): void {
		const body = msg.slice(16);
		const spans = countOf(body, 'span_id"') + countOf(body, 'span_id\\"');
		const traceId = TRACE_ID.exec(body.length > 100000 ? body.slice(0, 100000) : body)?.[1];
		const pid = head.pid ?? '';
		const open = this.attempts.get(pid);
		const fold =
			open &&
			!open.closed &&
			(head.time !== undefined && open.lastTime !== undefined
				? head.time >= open.lastTime && head.time - open.lastTime < FOLD_MS
				: !open.intervened);
		if (open && fold) {
			// the attempt was emitted at its first line; later lines of the batch add to it
			const f = open.event.fields;
			const traces = (typeof f.traces === 'number' ? f.traces : 1) + 1;
			const total = (typeof f.spans === 'number' ? f.spans : 0) + spans;
			f.traces = traces;
			f.spans = total;
			if (traceId && Array.isArray(f.traceIds) && f.traceIds.length < 50) f.traceIds.push(traceId);
			open.event.endLine = st.lastLine;
			open.event.summary = `Flushing ${plural(traces, 'trace')} (${plural(total, 'span')}) to the Agent.`;
			open.lastTime = head.time ?? open.lastTime;
			open.intervened = false;
			return;
		}
		this.openAttempt(head, st, `Flushing 1 trace (${plural(spans, 'span')}) to the Agent.`, {
			traces: 1,
			spans,
			traceIds: traceId ? [traceId] : []
		});
	}

	/**
	 * 0.1–0.25 `HTTPTransport`: a line per POST, a success line, and the bare error message
	 * logged from `log_error_once` (0.16+: ERROR first, DEBUG for the repeats) or, up to 0.15,
	 * straight from the rescue of `post` / `handle_response` at ERROR.
	 */
	private oldTransport(head: Head, st: RecordState, msg: string): boolean {
		if (msg.startsWith('Sending data from process: ')) {
			this.openAttempt(head, st, 'Sending a payload to the Agent.', {});
			return true;
		}
		if (msg.startsWith('Payload correctly sent to the trace agent')) {
			const fields = this.closeAttempt(head, {});
			this.emit(head, st, { kind: 'flush.ok', summary: 'The Agent accepted the payload.', fields });
			return true;
		}
		if (msg.startsWith('Error during services flush: dropped ')) {
			this.agentError(head, st, 'services', causeOf(msg).cause || msg);
			return true;
		}
		const caller = head.caller;
		if (caller && caller.includes('transport.rb:') && OLD_TRANSPORT_CALLER.test(caller)) {
			if (msg.startsWith('calling the endpoint ')) return false; // DEBUG downgrade notice
			const reply = /^(?:Client|Server) error: (.{1,100})$/.exec(msg);
			const status = reply ? REASON_PHRASES[reply[1].trim().toLowerCase()] : undefined;
			this.flushError(head, st, msg, status !== undefined ? { status } : {});
			return true;
		}
		return false;
	}

	/** Opens the attempt of a process that its outcome (or the next Flushing line) will find. */
	private openAttempt(head: Head, st: RecordState, summary: string, fields: EventFields): void {
		if (this.agentUrl) fields.endpoint = this.agentUrl;
		const event = this.emit(head, st, { kind: 'flush.attempt', summary, fields });
		this.attempts.set(head.pid ?? '', {
			event,
			lastTime: head.time,
			closed: false,
			intervened: false
		});
	}

	/** An outcome ends the open attempt of its process and names it (pairing across processes). */
	private closeAttempt(head: Head, fields: EventFields): EventFields {
		const open = this.attempts.get(head.pid ?? '');
		if (open && !open.closed) {
			open.closed = true;
			fields.attemptEvent = open.event.id;
			const f = open.event.fields;
			if (fields.traces === undefined && typeof f.traces === 'number') fields.traces = f.traces;
			if (typeof f.spans === 'number') fields.spans = f.spans;
		}
		return fields;
	}

	/** One failed trace payload (R1); names the attempt of the same process it ends. */
	private flushError(head: Head, st: RecordState, reason: string, extra: EventFields = {}): void {
		const fields: EventFields = { reason: short(explain(reason), 500), ...extra };
		const cls = errorClassOf(reason);
		if (cls) fields.errorClass = cls;
		const endpoint = endpointOf(reason) ?? this.agentUrl;
		if (endpoint) fields.endpoint = endpoint;
		const status = statusOf(reason);
		if (status !== undefined) fields.status = status;
		this.closeAttempt(head, fields);
		this.emit(head, st, {
			kind: 'flush.error',
			summary: `Trace payload not sent${status !== undefined ? ` (HTTP ${status})` : ''}: ${short(reason, 160)}`,
			fields
		});
	}

	private agentError(
		head: Head,
		st: RecordState,
		component: string,
		reason: string,
		extra: EventFields = {}
	): void {
		const fields: EventFields = { component, reason: short(explain(reason), 500), ...extra };
		const cls = errorClassOf(reason);
		if (cls) fields.errorClass = cls;
		const endpoint = endpointOf(reason);
		if (endpoint) fields.endpoint = endpoint;
		const status = statusOf(reason);
		if (status !== undefined) fields.status = status;
		this.emit(head, st, {
			kind: 'agent.error',
			summary: `Agent request failed (${component}): ${short(reason, 160)}`,
			fields
		});
	}

	/** `Internal error during <client> request. Cause: …`: the client class names the endpoint. */
	private internalError(head: Head, st: RecordState, msg: string): void {
		const { cause, location } = causeOf(msg);
		const reason = cause || msg.slice(22);
		const extra: EventFields = location ? { location } : {};
		if (msg.startsWith('Internal error during HTTP transport request') || TRACE_CLIENT.test(msg)) {
			const client = msg.slice(22, msg.indexOf(' request'));
			const isTraces =
				client === 'HTTP transport' ||
				client === 'Datadog::Transport::HTTP::Client' ||
				client.endsWith('Tracing::Transport::HTTP::Client');
			if (isTraces) return this.flushError(head, st, reason, extra);
		}
		if (msg.startsWith('Internal error during IO transport request')) {
			// traces written to a local stream (serverless): the Agent was never contacted (R6)
			if (head.level === 'warn' || head.level === 'error' || head.level === 'fatal') {
				this.emit(head, st, { kind: 'log.other', summary: short(msg), fields: { reason } });
			}
			return;
		}
		const end = msg.indexOf(' request', 22);
		const client = end > 22 ? msg.slice(22, end) : 'agent';
		let component = client;
		if (client.includes('::Remote::')) component = 'remote configuration';
		else if (client.includes('SymbolDatabase')) component = 'symbol database';
		else if (client === 'Datadog::Core::Transport::HTTP::Client') component = 'agent';
		this.agentError(head, st, component, reason, { client, ...extra });
	}

	/** 2.24+: `send_request :traces failed: <response>` is a refused payload; other actions are not. */
	private sendRequestFailed(head: Head, st: RecordState, msg: string, action: string): void {
		const response = msg.slice(msg.indexOf(' failed: ') + 9);
		if (action === 'traces') return this.flushError(head, st, response);
		this.agentError(
			head,
			st,
			action === 'info' || action === 'config' ? 'agent' : action,
			response,
			{
				action
			}
		);
	}

	/** CONFIGURATION / DIAGNOSTIC / ERROR summaries of every generation; false when none. */
	private datadogSummary(head: Head, st: RecordState, msg: string): boolean {
		let rest: string | undefined;
		if (msg.startsWith('DATADOG TRACER CONFIGURATION - ')) rest = msg.slice(31);
		else if (msg.startsWith('DATADOG CONFIGURATION - ')) rest = msg.slice(24);
		if (rest !== undefined) {
			let part = '';
			const trimmed = rest.trimStart();
			if (trimmed.length > 0 && trimmed[0] !== '{') {
				const dash = rest.indexOf(' - ');
				part = dash >= 0 ? rest.slice(0, dash) : rest.trim();
				rest = dash >= 0 ? rest.slice(dash + 3) : '';
			}
			const json = [rest, ...st.record.lines.slice(1)].join('\n');
			this.config(head, st, part, json);
			return true;
		}
		let diag: string | undefined;
		if (msg.startsWith('DATADOG TRACER DIAGNOSTIC - ')) diag = msg.slice(28);
		else if (msg.startsWith('DATADOG DIAGNOSTIC - ')) diag = msg.slice(21);
		// Datadog's docs renamed TRACER to APM SDK in their examples (connection_errors.md); users copy those
		else if (msg.startsWith('DATADOG APM SDK DIAGNOSTIC - ')) diag = msg.slice(29);
		else if (msg.startsWith('DATADOG ERROR - ')) {
			const after = msg.slice(16);
			const dash = after.indexOf(' - ');
			diag = dash >= 0 ? after.slice(dash + 3) : after;
		}
		if (diag === undefined) return false;
		const colon = diag.indexOf(': ');
		const type = colon >= 0 ? diag.slice(0, colon) : diag;
		let error = colon >= 0 ? diag.slice(colon + 2) : '';
		if (type !== 'Agent Error') return false; // other diagnostics: log.other by level
		if (error.startsWith('{')) {
			const values = configValues(error);
			error = values.agent_error ?? error;
		}
		// R8: the start-up Agent diagnostic is always its own agent.error
		const fields: EventFields = { component: 'diagnostic', reason: short(explain(error), 500) };
		const errorType = ERROR_TYPE.exec(error)?.[1];
		if (errorType) fields.errorClass = errorType.replace(/,$/, '');
		const endpoint = endpointOf(error) ?? this.agentUrl;
		if (endpoint) fields.endpoint = endpoint;
		const status = statusOf(error);
		if (status !== undefined) fields.status = status;
		const cause = /\berror:(.{1,300})$/.exec(error)?.[1];
		this.emit(head, st, {
			kind: 'agent.error',
			summary: `Agent error reported by the tracer diagnostics${status !== undefined ? ` (HTTP ${status})` : ''}: ${short(cause ?? error, 160)}`,
			fields
		});
		return true;
	}

	private config(head: Head, st: RecordState, part: string, json: string): void {
		const values = configValues(json.length > 1_000_000 ? json.slice(0, 1_000_000) : json);
		const raw: Record<string, string> = {};
		const integrations = part === 'TRACING INTEGRATIONS';
		for (const [k, v] of Object.entries(values)) raw[integrations ? `integrations.${k}` : k] = v;
		if (Object.keys(raw).length) this.out.config(raw);
		const known = (v: string | undefined) => (v && v !== 'null' ? v : undefined);
		const agentUrl = known(values.agent_url)?.replace(/\?.*$/, '');
		if (agentUrl) this.agentUrl = agentUrl;
		if (!integrations) {
			this.out.info({
				tracerVersion: known(values.version),
				agentUrl,
				service: known(values.service),
				env: known(values.env),
				version: known(values.dd_version),
				sampleRate: known(values.sample_rate),
				debug: known(values.debug),
				lang: known(values.lang),
				langVersion: known(values.lang_version)
			});
		}
		const fields: EventFields = { keys: Object.keys(values).length };
		if (part) fields.part = part;
		if (known(values.version)) fields.tracerVersion = values.version;
		if (known(values.service)) fields.service = values.service;
		if (agentUrl) fields.agentUrl = agentUrl;
		if (known(values.agent_error)) fields.agentError = short(values.agent_error, 500);
		if (integrations) fields.integrations = Object.keys(values);
		const bits = [
			values.version && `version ${values.version}`,
			known(values.service) && `service ${values.service}`,
			agentUrl && `agent ${agentUrl}`
		].filter(Boolean);
		this.emit(head, st, {
			kind: 'tracer.config',
			summary: `Tracer configuration${part ? ` (${part})` : ''}${bits.length ? ': ' + bits.join(', ') : ''}.`,
			fields
		});
	}
}

export const rubyParser: TracerParser = {
	id: 'ruby',
	name: 'Ruby',
	logsSuccess: false,
	fileNameHint: /ruby|rails|puma|sidekiq|unicorn|resque/i,
	detect(text: string): number {
		if (text.length < 8) return 0;
		const s = stripArtifacts(text);
		const head = s.length > 600 ? s.slice(0, 600) : s;
		// Most lines have none of the markers: each is looked for only in lines with a piece of it
		// that starts with a rare character, which a search skips through fast.
		const ddtrace = head.includes('[ddtrace]');
		const datadog = head.includes('[datadog]');
		if (
			(ddtrace && head.includes('-- ddtrace: [ddtrace]')) ||
			(datadog && head.includes('-- datadog: [datadog]'))
		) {
			return 20;
		}
		if (
			((ddtrace && head.includes('[ddtrace] (')) || (datadog && head.includes('[datadog] ('))) &&
			(head.includes(':in `') || head.includes(":in '"))
		) {
			return 15;
		}
		if (head.includes('Internal error during ')) {
			if (head.includes('Internal error during HTTP transport request')) return 12;
			if (
				head.includes('Internal error during Datadog::') &&
				head.includes('::HTTP::Client request')
			) {
				return 12;
			}
		}
		if (head.includes('DATADOG ')) {
			if (/DATADOG CONFIGURATION - (?:[A-Z]|\{)|DATADOG ERROR - [A-Z]/.test(head)) return 12;
			if (head.includes('DATADOG TRACER CONFIGURATION - ') && s.includes('"lang":"ruby"'))
				return 12;
		}
		if (head.includes('DIAGNOSTIC - Agent Error: Datadog::')) return 12;
		if (
			head.includes('(enabled: ') &&
			head.includes(' spans (enabled: ') &&
			WRITING_ANYWHERE.test(head)
		)
			return 12;
		if (s.startsWith('Flushing trace: [{"')) return 12;
		if (head.includes('/gems/') && GEM_PATH.test(head)) return 10;
		if (s.charCodeAt(1) === 44 && LOGGER_HEAD.test(s)) return 2;
		return 0;
	},
	createSession(out: Emitter): ParserSession {
		return new RubySession(out);
	}
};
