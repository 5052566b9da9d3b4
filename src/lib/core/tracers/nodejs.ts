// Node.js tracer (dd-trace-js 1.x–6.x) parser. The default logger prints bare messages (no time,
// level or logger name); custom loggers (bunyan, pino) print one JSON object per line whose `msg`
// holds the same text. See shared/formats/FORMAT-nodejs.md for the templates and their versions.
import type { EventFields, EventKind, Level, NewEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { nanosToMillis, parseTimestamp } from '../time';
import { jsonBalance } from './common';
import type { Emitter, ParserSession, TracerParser } from './types';

// ---------------------------------------------------------------------------------------------
// Detection

const ENCODING_PAYLOAD = 'Encoding payload: ';
const ENCODING_TRACE = 'Encoding trace: ';
// 3.x+ writer: a finished trace dropped before encoding while 8 requests to the Agent are open
const DISCARDED = 'Maximum number of active requests reached. Payload discarded: ';
const REQUEST = 'Request to the agent: ';
const RESPONSE = 'Response from the agent:';
const CONFIG = 'DATADOG TRACER CONFIGURATION - ';
const INTEGRATIONS = 'DATADOG TRACER INTEGRATIONS LOADED - ';
const DIAGNOSTIC = 'DATADOG TRACER DIAGNOSTIC - ';
const AGENT_ERROR = 'DATADOG TRACER DIAGNOSTIC - Agent Error: ';
const SEND_ERROR = 'Error sending payload to the agent';
const NETWORK_ERROR_1X = 'Network error trying to reach the agent';
const AGENT_HTTP_ERROR_1X = 'Error from the agent: ';
const AGENT_STATUS_1X = /^Error from the agent: \d{3} /;

// What log shippers put before each line: an ISO time (docker/kubectl --timestamps, Heroku), a CRI
// stream tag (`stdout F `), a Heroku source (`app[web.1]: `), a PM2 app column (`0|app  | `) or
// AWS Lambda's request id and level; or a row of a log export in CSV (`"<time>","<message>"`).
const CRI = /^(?:stdout|stderr) [FP] /;
const HEROKU = /^[\w-]{1,40}\[[\w.-]{1,40}\]: /;
const PM2 = /^\d{1,4}\|[\w.-]{1,60} {0,40}\| /;
// AWS Lambda's Node.js console after the time: `\t<request id>\t<LEVEL>\t` (`undefined` outside a request)
const LAMBDA =
	/^\t(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|undefined)\t(?:TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\t/;

interface Prefix {
	/** The line without the prefix. */
	text: string;
	time?: number;
	zone?: string;
}

/** The line behind a shipper's prefix or in an export row, or undefined when it has neither. */
function splitPrefix(raw: string): Prefix | undefined {
	if (raw.charCodeAt(0) === 34 /* " */) return csvRow(raw);
	const pm2 = PM2.exec(raw);
	if (pm2) return { text: raw.slice(pm2[0].length) };
	const ts = parseTimestamp(raw);
	if (!ts) return undefined;
	let at = ts.length;
	if (raw.charCodeAt(at) === 9) {
		const lambda = LAMBDA.exec(raw.slice(at, at + 60));
		if (lambda) return { text: raw.slice(at + lambda[0].length), time: ts.time, zone: ts.zone };
	}
	while (raw.charCodeAt(at) === 32) at++;
	const rest = raw.slice(at, at + 80);
	const tag = CRI.exec(rest) ?? HEROKU.exec(rest);
	if (tag) return { text: raw.slice(at + tag[0].length), time: ts.time, zone: ts.zone };
	// one space parts the time from the line: more were the line's own indentation
	return { text: reindented(raw.slice(at), at - ts.length > 1), time: ts.time, zone: ts.zone };
}

/** A row `"<time>","<message>"` (a Datadog or CloudWatch export; quotes inside are doubled). */
function csvRow(raw: string): Prefix | undefined {
	const ts = parseTimestamp(raw.slice(1, 48));
	const from = ts ? ts.length + 4 : 0;
	if (!ts || !raw.startsWith('","', ts.length + 1) || raw.length <= from) return undefined;
	if (raw.charCodeAt(raw.length - 1) !== 34) return undefined;
	let text = raw.slice(from, -1);
	if (text.includes('""')) text = text.split('""').join('"');
	return { text: reindented(text, false), time: ts.time, zone: ts.zone };
}

const PROPERTY = /^[a-z_]\w{0,30}: /;

// a process label that runners put before each line of a child (concurrently, npm workspaces):
// `[api-server] `, `[0] `; one word without spaces, so a log4js time `[2020-07-02 14:51:16.421]` is not one
const RUNNER_LABEL = /^\[[\w@/.:-]{1,60}\] /;

/** The line without a runner's `[label] `. */
function withoutRunnerLabel(text: string): string {
	const m = RUNNER_LABEL.exec(text);
	return m ? text.slice(m[0].length) : text;
}

/**
 * A stack line whose indentation a shipper or an export trimmed gets it back, so it continues its
 * Error: a frame (`at …`) always, a `{ props }` line (`errno: -111,`) when the line was indented.
 */
function reindented(text: string, indented: boolean): string {
	if (text.startsWith('at ') && text.charCodeAt(3) > 32) return '    ' + text;
	if (indented && PROPERTY.test(text)) return '  ' + text;
	return text;
}

/**
 * The text without a custom logger's own label (`DD_TRACE-ERROR: Error: …`, winston's `error: …`)
 * when a message of the tracer follows the label.
 */
function unlabelled(text: string): string {
	// a label is a word of up to 40 [\w.-] from a letter on, then `: `; the tracer's messages have a
	// space sooner
	const c0 = text.charCodeAt(0) | 32;
	if (c0 < 97 || c0 > 122) return text;
	let at = 0;
	for (; at < 41; at++) {
		const c = text.charCodeAt(at);
		const word =
			(c >= 97 && c <= 122) ||
			(c >= 65 && c <= 90) ||
			(c >= 48 && c <= 57) ||
			c === 95 ||
			c === 46 ||
			c === 45;
		if (!word) break;
	}
	if (at === 0 || text.charCodeAt(at) !== 58 /* : */ || text.charCodeAt(at + 1) !== 32) return text;
	if (ERROR_HEAD.test(text)) return text; // `Error: …` is an Error record, not a label
	const rest = text.slice(at + 2);
	return ERROR_HEAD.test(rest) || isTracerMessage(rest) ? rest : text;
}

/** Evidence that a line comes from dd-trace-js; >= 10 only for markers no other tracer prints. */
function detect(raw: string): number {
	let text = raw;
	let c = text.charCodeAt(0);
	if ((c >= 48 && c <= 57) || c === 34) text = splitPrefix(text)?.text ?? text;
	else if (c === 91 /* [ */) text = withoutRunnerLabel(text);
	text = unlabelled(text);
	c = text.charCodeAt(0);
	if (c === 69 /* E */) {
		if (
			text.startsWith('Encoding payload: [{"trace_id":"') ||
			text.startsWith('Encoding trace: [{"trace_id":"')
		)
			return 10;
		if (text.startsWith('Error sending payload to the agent (status code:')) return 10;
		if (text.startsWith('Error: Error sending payload to the agent (status code:')) return 10;
		if (text.startsWith('Error: Network error trying to reach the agent:')) return 10;
		if (text.startsWith('Error: DogStatsDClient: ')) return 10;
		if (text.startsWith('Error: HTTP error from agent: ')) return 10; // DogStatsD, 2.19–5.28
		if (text.startsWith('Extract from carrier (datadog')) return 10;
		if (text.startsWith('Error: connect ECONNREFUSED')) return 2;
	} else if (c === 82 /* R */) {
		if (text.startsWith(REQUEST) && text.includes('"Datadog-Meta-Lang":"nodejs"')) return 10;
		if (text.startsWith('Response from the agent: {"rate_by_service"')) return 10;
	} else if (c === 68 /* D */) {
		if (text.startsWith(CONFIG) && text.includes('"lang":"nodejs"')) return 10;
		if (text.startsWith(INTEGRATIONS + '[')) return 10;
	} else if (c === 73 /* I */) {
		if (text.startsWith('Inject into carrier: {"x-datadog-trace-id"')) return 10;
	} else if (c === 40 /* ( */) {
		if (text.startsWith('(node:') && text.includes('Warning: The dd-trace@v')) return 10;
	} else if (c === 123 /* { */) {
		// JSON logger line: the same markers, JSON-escaped inside "msg"
		if (text.includes('Encoding payload: [{\\"trace_id\\":\\"')) return 10;
		if (text.includes('Encoding trace: [{\\"trace_id\\":\\"')) return 10;
		if (
			text.includes('Request to the agent: {') &&
			text.includes('\\"Datadog-Meta-Lang\\":\\"nodejs\\"')
		)
			return 10;
		if (text.includes(CONFIG) && text.includes('\\"lang\\":\\"nodejs\\"')) return 10;
		if (text.includes('"msg":"' + SEND_ERROR + ' (status code:')) return 10;
		if (text.includes('"message":"' + NETWORK_ERROR_1X + ':')) return 10;
		// an err whose stack starts in the tracer's exporters: all that DD_TRACE_LOG_LEVEL=error leaves
		if (text.includes('/node_modules/dd-trace/packages/dd-trace/src/exporters/')) return 10;
	} else if (c === 32) {
		if (
			text.includes('/node_modules/dd-trace/packages/') ||
			text.includes('\\node_modules\\dd-trace\\packages\\')
		)
			return 10;
		if (text.startsWith('  errno: -')) return 1;
	}
	// the 0.x/1.x send failure, also inside pretty-printed logger JSON (the Datadog docs example)
	if (text.includes('Network error trying to reach the agent: ')) return 10;
	return 0;
}

// ---------------------------------------------------------------------------------------------
// Records

interface ErrInfo {
	/** Class name as printed ("Error", "NoTransmitError"). */
	name: string;
	message: string;
	status?: number;
	code?: string;
	/** First stack frame, when printed. */
	top?: string;
	/** A frame is in dd-trace's profile exporter: a failed profile upload to the Agent (R5). */
	profileUpload?: boolean;
}

/** One logical record: a console record (line + continuation) or one JSON logger line. */
interface Rec {
	line: number;
	endLine: number;
	/** Message text: the first line (console) or `msg` (JSON); for an Error, its message. */
	text: string;
	/** Console records: all their lines, for multi-line payloads and `{ props }` blocks. */
	lines?: string[];
	err?: ErrInfo;
	level?: Level;
	time?: number;
	zone?: string;
	/** Written by the tracer's own logger (JSON logger named dd-trace). */
	fromTracer: boolean;
}

// `Error: msg`, `NoTransmitError: msg`, `TypeError [ERR_X]: msg`
const ERROR_HEAD = /^([A-Z][A-Za-z0-9_]*)?(Error|Exception)( \[[A-Z0-9_]+\])?: /;
const PROFILE_EXPORTER = /dd-trace[/\\]src[/\\]profiling[/\\]exporters[/\\]/;
const STATUS_PROP = /^\s+status: (\d{3})/;
const CODE_PROP = /^\s+code: '([A-Z0-9_]+)'/;

function parseConsoleError(lines: string[]): ErrInfo | undefined {
	const first = lines[0];
	const m = ERROR_HEAD.exec(first);
	if (!m) return undefined;
	// a message with embedded newlines continues until the first stack frame
	let message = first.slice(m[0].length);
	let i = 1;
	for (; i < lines.length && !lines[i].startsWith('    at '); i++) {
		if (lines[i].startsWith('  ') && /^\s+\w+: /.test(lines[i])) break;
		message += '\n' + lines[i];
	}
	const info: ErrInfo = { name: (m[1] ?? '') + m[2], message };
	if (i < lines.length && lines[i].startsWith('    at ')) info.top = lines[i].slice(7);
	else if (lines.length === 1) return info;
	for (let j = i; j < lines.length; j++) {
		const l = lines[j];
		if (l.startsWith('    at ')) {
			if (PROFILE_EXPORTER.test(l)) info.profileUpload = true;
			continue;
		}
		if (l.charCodeAt(0) !== 32) continue;
		const s = STATUS_PROP.exec(l);
		if (s) info.status = +s[1];
		const c = CODE_PROP.exec(l);
		if (c) info.code = c[1];
	}
	return info;
}

const BUNYAN_LEVELS: Record<number, Level> = {
	10: 'trace',
	20: 'debug',
	30: 'info',
	40: 'warn',
	50: 'error',
	60: 'fatal'
};

function levelOf(v: unknown): Level | undefined {
	if (typeof v === 'number') return BUNYAN_LEVELS[Math.round(v / 10) * 10];
	if (typeof v === 'string') {
		const s = v.toLowerCase();
		if (s === 'warning') return 'warn';
		if (s === 'trace' || s === 'debug' || s === 'info' || s === 'warn' || s === 'error') return s;
		if (s === 'fatal' || s === 'critical') return 'fatal';
	}
	return undefined;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' ? v : undefined;
}

/** A bunyan/pino line as a record, or undefined when the line is not a JSON logger line. */
function parseJsonLine(text: string, line: number, endLine: number): Rec | undefined {
	let o: Record<string, unknown>;
	try {
		o = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
	const msg = str(o.msg) ?? str(o.message) ?? '';
	const errObj = o.err ?? o.error;
	const name = str(o.name) ?? '';
	const rec: Rec = {
		line,
		endLine,
		text: msg,
		level: levelOf(o.level),
		fromTracer: /dd-?trace|datadog/i.test(name)
	};
	const t = o.time;
	if (typeof t === 'number' && t > 1e11) {
		rec.time = t;
		rec.zone = 'Z';
	} else if (typeof t === 'string') {
		const ms = Date.parse(t);
		if (!Number.isNaN(ms)) {
			rec.time = ms;
			rec.zone = /Z$/.test(t) ? 'Z' : (/[+-]\d\d:?\d\d$/.exec(t)?.[0] ?? 'local');
		}
	}
	if (errObj && typeof errObj === 'object') {
		const e = errObj as Record<string, unknown>;
		const stack = str(e.stack) ?? '';
		const message = str(e.message) ?? msg;
		const info: ErrInfo = { name: str(e.name) ?? str(e.type) ?? 'Error', message };
		const nl = stack.indexOf('\n    at ');
		if (nl !== -1) {
			const end = stack.indexOf('\n', nl + 1);
			info.top = stack.slice(nl + 8, end === -1 ? undefined : end);
		}
		if (PROFILE_EXPORTER.test(stack)) info.profileUpload = true;
		if (typeof e.status === 'number') info.status = e.status;
		if (typeof e.code === 'string') info.code = e.code;
		rec.err = info;
		rec.text = message;
	}
	return rec;
}

// ---------------------------------------------------------------------------------------------
// Span data: a linear scanner over the JSON text of `Encoding payload:` that pulls only the fields
// we keep. It reads `start` as its digits (JSON.parse rounds nanoseconds above 2^53) and builds no
// meta strings but the two it needs; JSON.parse stays the fallback for shapes it does not know.

/** The names of a usual span and the text they were read from (SpanScanner.segments). */
interface Names {
	text: string;
	name: string;
	resource: string;
	service: string | undefined;
	type: string | undefined;
}

interface RawSpan {
	/** Ids are shared copies (SpanScanner.ids): a parent id is the string of its parent's id. */
	traceId: string;
	spanId: string;
	parentId: string;
	name: string | undefined;
	resource: string | undefined;
	service: string | undefined;
	type: string | undefined;
	error: boolean;
	/** Epoch ms from the nanosecond digits (see nanosToMillis). */
	start: number | undefined;
	/** Milliseconds. */
	duration: number | undefined;
	tid: string | undefined;
	errorMessage: string | undefined;
}

function clear(span: RawSpan): void {
	span.traceId = '';
	span.spanId = '';
	span.parentId = '';
	span.name = undefined;
	span.resource = undefined;
	span.service = undefined;
	span.type = undefined;
	span.error = false;
	span.start = undefined;
	span.duration = undefined;
	span.tid = undefined;
	span.errorMessage = undefined;
}

function rawSpan(): RawSpan {
	return {
		traceId: '',
		spanId: '',
		parentId: '',
		name: undefined,
		resource: undefined,
		service: undefined,
		type: undefined,
		error: false,
		start: undefined,
		duration: undefined,
		tid: undefined,
		errorMessage: undefined
	};
}

/** Longest configuration or integration list read as JSON. */
const MAX_JSON = 256 * 1024;

const Q = 34; // "

/** Argument arrays for String.fromCharCode, reused by length. */
const CODES: number[][] = [];

function codesOf(n: number): number[] {
	let codes = CODES[n];
	if (codes === undefined) {
		codes = [];
		for (let i = 0; i < n; i++) codes.push(0);
		if (n <= 128) CODES[n] = codes;
	}
	return codes;
}

/**
 * A flat copy of s[from, to). V8 keeps `slice()` results of 13+ characters as views into the whole
 * line (a kept id would keep its 2 KB payload line alive) and `+` builds a tree of parts;
 * String.fromCharCode makes one string of just these characters.
 */
function copyOf(s: string, from = 0, to = s.length): string {
	const n = to - from;
	if (n < 13) return s.slice(from, to);
	if (n > 4096) return (' ' + s.slice(from, to)).slice(1);
	const codes = codesOf(n);
	for (let i = 0; i < n; i++) codes[i] = s.charCodeAt(from + i);
	return String.fromCharCode.apply(null, codes);
}

/** A flat copy of `a + b` (see copyOf). */
function joined(a: string, b: string): string {
	const n = a.length + b.length;
	if (n < 13 || n > 4096) return copyOf(a + b);
	const codes = codesOf(n);
	for (let i = 0; i < a.length; i++) codes[i] = a.charCodeAt(i);
	for (let i = 0; i < b.length; i++) codes[a.length + i] = b.charCodeAt(i);
	return String.fromCharCode.apply(null, codes);
}

/**
 * Shared copies of strings read from lines, looked up by the characters in the line (no substring is
 * cut to look one up). One string per slot, a newer one replaces an older: the table stays small
 * enough for the processor's cache, and what repeats in a log repeats within a few lines.
 */
class StringTable {
	private readonly keys: (string | undefined)[];
	private readonly mask: number;
	/**
	 * @param hashed how many characters, from the end, pick the slot: ids are random, their last 8
	 * are enough and half the work; names differ anywhere
	 */
	constructor(
		size: number,
		private readonly hashed = Infinity
	) {
		this.keys = new Array<string | undefined>(size).fill(undefined);
		this.mask = size - 1;
	}

	/** The shared copy of s[from, to). */
	get(s: string, from: number, to: number): string {
		const n = to - from;
		const slot = hashOf(n, s, Math.max(from, to - this.hashed), to) & this.mask;
		const k = this.keys[slot];
		if (k !== undefined && k.length === n && eqAt(s, from, k)) return k;
		return (this.keys[slot] = copyOf(s, from, to));
	}

	/** The shared copy of `a + b`, its slot picked by `b` (the low half of a 128-bit id). */
	getJoined(a: string, b: string): string {
		const n = a.length + b.length;
		const slot = hashOf(n, b, Math.max(0, b.length - this.hashed), b.length) & this.mask;
		const k = this.keys[slot];
		if (k !== undefined && k.length === n && eqAt(k, a.length, b) && eqAt(k, 0, a)) return k;
		return (this.keys[slot] = joined(a, b));
	}
}

/** Whether the 16-character id at `at` is `id`. */
function idAt(s: string, at: number, id: string): boolean {
	return id.length === 16 && eqAt(s, at, id);
}

/** Whether `s` holds `k` at `at` (s.startsWith(k, at) as a loop the compiler can inline). */
function eqAt(s: string, at: number, k: string): boolean {
	const n = k.length;
	for (let i = 0; i < n; i++) if (s.charCodeAt(at + i) !== k.charCodeAt(i)) return false;
	return true;
}

function hashOf(h: number, s: string, from: number, to: number): number {
	for (let i = from; i < to; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
	return h ^ (h >>> 15);
}

/** Digits only, as nanosToMillis reads them: the value of s[from, to) or -1 (exact below 2^53). */
function digitsValue(s: string, from: number, to: number): number {
	if (to - from > 15) return -1;
	let v = 0;
	for (let i = from; i < to; i++) {
		const d = s.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return -1;
		v = v * 10 + d;
	}
	return v;
}

/** End of the JSON number that starts at `i` (its characters, not its grammar). */
function numberEnd(s: string, i: number): number {
	let j = i + 1;
	for (;;) {
		const d = s.charCodeAt(j);
		if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
		else return j;
	}
}

/** Milliseconds of a nanosecond count s[from, to) (Number of its text / 1e6). */
function millisOfNanos(s: string, from: number, to: number): number {
	const v = digitsValue(s, from, to);
	return (v >= 0 ? v : Number(s.slice(from, to))) / 1e6;
}

/** nanosToMillis of the digits s[from, to), without cutting them out when they are short. */
function nanosAt(s: string, from: number, to: number): number | undefined {
	const n = to - from;
	if (n === 0 || n > 21) return nanosToMillis(s.slice(from, to));
	const low = digitsValue(s, Math.max(from, to - 6), to);
	if (low < 0) return undefined;
	if (n <= 6) return low / 1e6;
	const high = digitsValue(s, from, to - 6);
	if (high < 0) return undefined;
	return high + low / 1e6;
}

/** nanosAt of 1 to 21 digits (checked by the caller) in one pass: the same sum, no checks. */
function millisOfDigits(s: string, from: number, to: number): number {
	const split = to - 6;
	let high = 0;
	let i = from;
	for (; i < split; i++) high = high * 10 + s.charCodeAt(i) - 48;
	let low = 0;
	for (; i < to; i++) low = low * 10 + s.charCodeAt(i) - 48;
	return high + low / 1e6;
}
const BS = 92; // \

// Top-level span keys, told apart without cutting a string per key.
const K_TRACE_ID = 1;
const K_SPAN_ID = 2;
const K_PARENT_ID = 3;
const K_NAME = 4;
const K_RESOURCE = 5;
const K_SERVICE = 6;
const K_TYPE = 7;
const K_META = 8;
const K_METRICS = 9;
const K_START = 10;
const K_DURATION = 11;
const K_ERROR = 12;

function keyOf(s: string, from: number, to: number): number {
	const n = to - from;
	// first letter and length pick the one candidate; eqAt confirms it (no closure: this runs for
	// every key of every span)
	switch (s.charCodeAt(from)) {
		case 116 /* t */:
			if (n === 8) return eqAt(s, from, 'trace_id') ? K_TRACE_ID : 0;
			return n === 4 && eqAt(s, from, 'type') ? K_TYPE : 0;
		case 115 /* s */:
			if (n === 7) {
				if (eqAt(s, from, 'span_id')) return K_SPAN_ID;
				return eqAt(s, from, 'service') ? K_SERVICE : 0;
			}
			return n === 5 && eqAt(s, from, 'start') ? K_START : 0;
		case 112 /* p */:
			return n === 9 && eqAt(s, from, 'parent_id') ? K_PARENT_ID : 0;
		case 110 /* n */:
			return n === 4 && eqAt(s, from, 'name') ? K_NAME : 0;
		case 114 /* r */:
			return n === 8 && eqAt(s, from, 'resource') ? K_RESOURCE : 0;
		case 109 /* m */:
			if (n === 4) return eqAt(s, from, 'meta') ? K_META : 0;
			return n === 7 && eqAt(s, from, 'metrics') ? K_METRICS : 0;
		case 100 /* d */:
			return n === 8 && eqAt(s, from, 'duration') ? K_DURATION : 0;
		case 101 /* e */:
			return n === 5 && eqAt(s, from, 'error') ? K_ERROR : 0;
	}
	return 0;
}

/** First occurrence of a pattern at or after a position; positions asked only move forward. */
class Cursor {
	private at = -1;
	/** Where the last search started; -1 before the first. */
	private from = -1;
	constructor(private readonly pattern: string) {}
	reset(): void {
		this.from = -1;
	}
	find(s: string, pos: number): number {
		if (this.from !== -1 && pos >= this.from && (this.at === -1 || this.at >= pos)) return this.at;
		this.from = pos;
		this.at = s.indexOf(this.pattern, pos);
		return this.at;
	}
}

// The usual span (SpanScanner.usual) up to its meta object, and after its metrics. Linear: each
// repetition stops at the one character the next part starts with. (`[^"\\]` is also the cheaper
// class for the engine to test than `[0-9a-f]`.) The spans of 1.x–4.x print service and type last.
const USUAL_HEAD =
	/\{"trace_id":"[^"\\]{16}","span_id":"[^"\\]{16}","parent_id":"[^"\\]{16}","name":"[^"\\]*","resource":"[^"\\]*"(?:,"service":"[^"\\]*")?(?:,"type":"[^"\\]*")?,"error":\d+,"meta":\{/y;
const USUAL_TAIL =
	/,"start":\d+,"duration":\d+(?:,"links":\[\])?(?:,"service":"[^"\\]*")?(?:,"type":"[^"\\]*")?\}/y;

// Meta keys without their opening quote: a search for a text that starts with `"`, the most
// frequent character of JSON, is several times slower (metaAt checks the quote).
const TID_KEY = '_dd.p.tid":"';
const ERROR_MESSAGE_KEY = 'error.message":"';
const ERROR_MSG_KEY = 'error.msg":"';

class SpanScanner {
	private s = '';
	private readonly tid = new Cursor(TID_KEY);
	private readonly errMessage = new Cursor(ERROR_MESSAGE_KEY);
	private readonly errMsg = new Cursor(ERROR_MSG_KEY);
	/** Span objects reused from line to line: `scan` fills the first `count` of them. */
	readonly spans: RawSpan[] = [];
	/** Whether the last scan read the array to its end. */
	complete = false;

	/** Spans of the JSON array at `from` (into `spans`), or -1 when the text is not as expected. */
	scan(s: string, from: number): number {
		this.s = s;
		this.tid.reset();
		this.errMessage.reset();
		this.errMsg.reset();
		this.complete = false;
		if (s.charCodeAt(from) !== 91 /* [ */) return -1;
		let i = from + 1;
		if (s.charCodeAt(i) === 93 /* ] */) {
			this.complete = true;
			return 0;
		}
		for (let count = 0; ;) {
			if (s.charCodeAt(i) !== 123 /* { */) return count || -1;
			if (count === this.spans.length) this.spans.push(rawSpan());
			else clear(this.spans[count]);
			const span = this.spans[count];
			const at = i;
			i = this.usual(at, span);
			if (i < 0) {
				clear(span);
				i = this.object(at, span);
			}
			if (i < 0 || !span.traceId || !span.spanId) return count || -1;
			count++;
			const c = s.charCodeAt(i);
			if (c === 44 /* , */) i++;
			else {
				this.complete = c === 93;
				return count;
			}
		}
	}

	/** End (index of the closing quote) of the string whose opening quote is at `i`, or -1. */
	private stringEnd(i: number): number {
		const s = this.s;
		let j = s.indexOf('"', i + 1);
		while (j !== -1 && s.charCodeAt(j - 1) === BS) {
			let n = 1;
			while (s.charCodeAt(j - 1 - n) === BS) n++;
			if ((n & 1) === 0) break; // the backslashes escape each other
			j = s.indexOf('"', j + 1);
		}
		return j;
	}

	/** Index after the string read last by value(). */
	private pos = 0;

	/** Names, services, resources repeat: one shared copy each. */
	private readonly names = new StringTable(1 << 12);
	/**
	 * Ids seen lately, one copy each: a parent id is its parent's span id string, and the spans of
	 * one trace in later chunks share its trace id string.
	 */
	private readonly ids = new StringTable(1 << 13, 8);

	// The last values read without escapes, by key: most values repeat one of them (the trace id of
	// the span before, a parent that is the span before or the trace's root, the same service…).
	// A value that equals one is taken without hashing or copying.
	private lastTrace = '';
	private lastSpan = '';
	private lastParent = '';
	private lastName = '';
	private lastResource = '';
	private lastService = '';
	private lastType = '';
	private lastTid = '';
	/** Whether the value read last had no escape (it may be remembered as a last value). */
	private plain = false;

	/** Whether the string with its opening quote at `i` holds exactly `v` (escape-free, non-empty). */
	private holds(i: number, v: string): boolean {
		const n = v.length;
		if (n === 0 || this.s.charCodeAt(i + 1 + n) !== Q || !eqAt(this.s, i + 1, v)) return false;
		this.pos = i + 2 + n;
		this.plain = true;
		return true;
	}

	/**
	 * The string value at `i` (opening quote): `a`, `b` or `c` when it holds one of them, else its
	 * shared copy from `table` (a copy of its own without one); sets `this.pos` after it.
	 */
	private value(
		i: number,
		table: StringTable | undefined,
		a: string,
		b = '',
		c = ''
	): string | undefined {
		if (this.holds(i, a)) return a;
		if (b && this.holds(i, b)) return b;
		if (c && this.holds(i, c)) return c;
		const s = this.s;
		const end = this.stringEnd(i);
		if (end === -1) return undefined;
		this.pos = end + 1;
		let k = i + 1;
		while (k < end && s.charCodeAt(k) !== BS) k++;
		this.plain = k === end;
		if (this.plain) return table ? table.get(s, i + 1, end) : copyOf(s, i + 1, end);
		let v: string;
		try {
			v = JSON.parse(s.slice(i, end + 1)) as string;
		} catch {
			return undefined;
		}
		return table ? table.get(v, 0, v.length) : copyOf(v);
	}

	/** The trace id of a span: its low 64 bits with the chunk's high bits when there are some. */
	fullId(tid: string | undefined, low: string): string {
		if (!tid || low.length !== 16) return low;
		// the chunks of one trace follow each other, their id strings are shared: compared at once
		if (low !== this.fullLow || tid !== this.fullTid) {
			this.fullLow = low;
			this.fullTid = tid;
			this.full = this.fullIds.getJoined(tid, low);
		}
		return this.full;
	}

	/** 128-bit trace ids (apart from `ids`, whose new ids would push them out). */
	private readonly fullIds = new StringTable(1 << 11, 8);
	private fullLow = '';
	private fullTid = '';
	private full = '';

	/** Skips any JSON value at `i`; returns the index after it, or -1. */
	private skip(i: number): number {
		const s = this.s;
		const n = s.length;
		let depth = 0;
		while (i < n) {
			const c = s.charCodeAt(i);
			if (c === Q) {
				const end = this.stringEnd(i);
				if (end === -1) return -1;
				i = end + 1;
			} else if (c === 123 || c === 91) {
				depth++;
				i++;
			} else if (c === 125 || c === 93) {
				if (depth === 0) return i;
				depth--;
				i++;
			} else if (c === 44 && depth === 0) {
				return i;
			} else i++;
			if (depth === 0 && (c === Q || c === 125 || c === 93)) return i;
		}
		return depth === 0 ? i : -1;
	}

	/** Index after a flat object of string values (`meta`) at `i`, or -1. */
	private flatStrings(i: number): number {
		const s = this.s;
		if (s.charCodeAt(i + 1) === 125) return i + 2;
		// `}` is rare inside values, `"` is everywhere: find the brace, then check the quote before it
		let j = s.indexOf('}', i + 1);
		while (j !== -1) {
			if (s.charCodeAt(j - 1) === Q) {
				let n = 0;
				while (s.charCodeAt(j - 2 - n) === BS) n++;
				if ((n & 1) === 0) return j + 1;
			}
			j = s.indexOf('}', j + 1);
		}
		return -1;
	}

	/** Index after a flat object of numbers (`metrics`) at `i`, or -1. */
	private flatNumbers(i: number): number {
		const s = this.s;
		const j = s.indexOf('}', i + 1);
		if (j === -1) return -1;
		const c = s.charCodeAt(j - 1);
		return (c >= 48 && c <= 57) || c === 123 ? j + 1 : this.skip(i);
	}

	/** Where the value of a meta key starts (its opening quote) inside [from, to), or -1. */
	private metaAt(key: Cursor, length: number, from: number, to: number): number {
		const s = this.s;
		let at = key.find(s, from);
		while (at !== -1 && at < to && s.charCodeAt(at - 1) !== Q) at = key.find(s, at + 1);
		return at === -1 || at >= to ? -1 : at + length - 1;
	}

	/** Reads the string value of a top-level key into `span`; false when it is broken. */
	private stringKey(key: number, i: number, span: RawSpan): boolean {
		let v: string | undefined;
		switch (key) {
			case K_TRACE_ID:
				v = this.value(i, this.ids, this.lastTrace);
				if (v === undefined) return false;
				span.traceId = v;
				if (this.plain) this.lastTrace = v;
				return true;
			case K_SPAN_ID:
				// a root's span id is its trace id; other span ids are new (parents find them as
				// the span before)
				v = this.value(i, undefined, this.lastTrace);
				if (v === undefined) return false;
				span.spanId = v;
				if (this.plain) this.lastSpan = v;
				return true;
			case K_PARENT_ID:
				// the span before, the same parent as the span before, or the root
				v = this.value(i, this.ids, this.lastSpan, this.lastParent, this.lastTrace);
				if (v === undefined) return false;
				span.parentId = v;
				if (this.plain) this.lastParent = v;
				return true;
			case K_NAME:
				v = this.value(i, this.names, this.lastName);
				if (v === undefined) return false;
				span.name = v;
				if (this.plain) this.lastName = v;
				return true;
			case K_RESOURCE:
				v = this.value(i, this.names, this.lastResource);
				if (v === undefined) return false;
				span.resource = v;
				if (this.plain) this.lastResource = v;
				return true;
			case K_SERVICE:
				v = this.value(i, this.names, this.lastService);
				if (v === undefined) return false;
				span.service = v;
				if (this.plain) this.lastService = v;
				return true;
			default:
				v = this.value(i, this.names, this.lastType);
				if (v === undefined) return false;
				span.type = v;
				if (this.plain) this.lastType = v;
				return true;
		}
	}

	/** Reads the flat `meta` object at `i` (its `{`) into `span`; the index after it, or -1. */
	private meta(i: number, span: RawSpan): number {
		const end = this.flatStrings(i);
		if (end === -1) return -1;
		const tid = this.metaAt(this.tid, TID_KEY.length, i, end);
		span.tid = tid === -1 ? undefined : this.value(tid, this.ids, this.lastTid);
		if (span.tid !== undefined && this.plain) this.lastTid = span.tid;
		if (span.error) {
			let at = this.metaAt(this.errMessage, ERROR_MESSAGE_KEY.length, i, end);
			let m = at === -1 ? undefined : this.value(at, this.names, '');
			if (m === undefined) {
				at = this.metaAt(this.errMsg, ERROR_MSG_KEY.length, i, end); // 1.x
				m = at === -1 ? undefined : this.value(at, this.names, '');
			}
			span.errorMessage = m;
		}
		return end;
	}

	/**
	 * The usual span of dd-trace-js 1.x–6.x, its keys in their usual order, with 16-character ids and
	 * names without escapes; -1 when the span is shaped otherwise (`object` then reads it key by key,
	 * with the same result for this shape). Two sticky patterns check the exact text around the
	 * values in one native call each, so the values sit at known places or end at the next quote.
	 */
	private usual(i: number, span: RawSpan): number {
		const s = this.s;
		USUAL_HEAD.lastIndex = i;
		if (!USUAL_HEAD.test(s)) return -1;
		const metaAt = USUAL_HEAD.lastIndex - 1;
		// trace id at i + 13, span id at i + 42, parent id at i + 73 (16 characters each)
		let v = this.lastTrace;
		if (!idAt(s, i + 13, v)) this.lastTrace = v = this.ids.get(s, i + 13, i + 29);
		span.traceId = v;
		// a root's span id is its trace id; other span ids are new (parents find them as the span before)
		if (!idAt(s, i + 42, v)) v = copyOf(s, i + 42, i + 58);
		span.spanId = v;
		// the parent: the span before, the same parent as the span before, or the root
		const parent = this.lastSpan;
		this.lastSpan = v;
		if (idAt(s, i + 73, parent)) v = parent;
		else if (idAt(s, i + 73, this.lastParent)) v = this.lastParent;
		else if (idAt(s, i + 73, this.lastTrace)) v = this.lastTrace;
		else v = this.ids.get(s, i + 73, i + 89);
		span.parentId = this.lastParent = v;
		// the error digits end before `,"meta":{`; the names end 9 characters before them
		let d = metaAt - 9;
		while (s.charCodeAt(d - 1) !== 58 /* : */) d--;
		span.error = s.charCodeAt(d) !== 48 || metaAt - 8 - d > 1;
		const from = i + 99;
		const to = d - 10;
		const n = to - from;
		const slot =
			(n * 31 +
				s.charCodeAt(from) +
				s.charCodeAt(from + (n >> 1)) * 7 +
				s.charCodeAt(to - 1) * 13) &
			255;
		let names = this.segments[slot];
		// (a slice compared with === is several times faster than startsWith or a loop here)
		if (names === undefined || names.text.length !== n || s.slice(from, to) !== names.text) {
			names = this.namesAt(from, to);
			if (n <= 1024) this.segments[slot] = names;
		}
		span.name = this.lastName = names.name;
		span.resource = this.lastResource = names.resource;
		if (names.service !== undefined) span.service = this.lastService = names.service;
		if (names.type !== undefined) span.type = this.lastType = names.type;
		i = this.meta(metaAt, span);
		if (i === -1 || !eqAt(s, i, ',"metrics":{')) return -1;
		i = this.flatNumbers(i + 11);
		if (i === -1) return -1;
		USUAL_TAIL.lastIndex = i;
		if (!USUAL_TAIL.test(s)) return -1;
		const startAt = i + 9;
		const startEnd = s.indexOf(',', startAt);
		span.start =
			startEnd - startAt <= 21
				? millisOfDigits(s, startAt, startEnd)
				: nanosAt(s, startAt, startEnd);
		const end = USUAL_TAIL.lastIndex - 1;
		const c = s.charCodeAt(end - 1);
		if (c >= 48 && c <= 57) span.duration = millisOfNanos(s, startEnd + 12, end);
		else {
			let k = startEnd + 12;
			while (s.charCodeAt(k) !== 44 /* , */) k++;
			span.duration = millisOfNanos(s, startEnd + 12, k);
			this.namesAfter(k, span);
		}
		return end + 1;
	}

	/** Service and type after the numbers (1.x–4.x), from `k` (checked by USUAL_TAIL). */
	private namesAfter(k: number, span: RawSpan): void {
		const s = this.s;
		if (eqAt(s, k, ',"links":[]')) k += 11;
		if (eqAt(s, k, ',"service":"')) {
			const end = s.indexOf('"', k + 12);
			span.service = this.lastService = this.text(k + 12, end, this.lastService);
			k = end + 1;
		}
		if (eqAt(s, k, ',"type":"')) {
			span.type = this.lastType = this.text(k + 9, s.indexOf('"', k + 9), this.lastType);
		}
	}

	/**
	 * Names of usual spans by the text they are read from (from the name to the quote before
	 * `,"error":`): a service repeats a few such texts, so one comparison reads the four names.
	 * One per slot, picked by the length and three characters.
	 */
	private readonly segments = new Array<Names | undefined>(256).fill(undefined);

	/** The names of a usual span in s[from, to) (checked by USUAL_HEAD). */
	private namesAt(from: number, to: number): Names {
		const s = this.s;
		let end = s.indexOf('"', from);
		const name = this.text(from, end, this.lastName);
		let at = end + 14; // ","resource":"
		end = s.indexOf('"', at);
		const resource = this.text(at, end, this.lastResource);
		let service: string | undefined;
		if (end < to && s.charCodeAt(end + 3) === 115 /* s */) {
			at = end + 13; // ","service":"
			end = s.indexOf('"', at);
			service = this.text(at, end, this.lastService);
		}
		let type: string | undefined;
		if (end < to) {
			at = end + 10; // ","type":"
			type = this.text(at, to, this.lastType);
		}
		return { text: copyOf(s, from, to), name, resource, service, type };
	}

	/** The escape-free string s[from, to): `last` when it holds it, else its shared copy. */
	private text(from: number, to: number, last: string): string {
		return to - from === last.length && eqAt(this.s, from, last)
			? last
			: this.names.get(this.s, from, to);
	}

	/** Parses one span object at `i` into `span`; returns the index after its `}`, or -1. */
	private object(i: number, span: RawSpan): number {
		const s = this.s;
		i++;
		if (s.charCodeAt(i) === 125) return i + 1;
		for (;;) {
			if (s.charCodeAt(i) !== Q) return -1;
			const kEnd = s.indexOf('"', i + 1);
			if (kEnd === -1 || s.charCodeAt(kEnd + 1) !== 58 /* : */) return -1;
			const key = keyOf(s, i + 1, kEnd);
			i = kEnd + 2;
			const c = s.charCodeAt(i);
			if (c === Q) {
				if (key === 0 || key > K_TYPE) {
					const end = this.stringEnd(i);
					if (end === -1) return -1;
					i = end + 1;
				} else if (!this.stringKey(key, i, span)) return -1;
				else i = this.pos;
			} else if (key === K_META && c === 123) {
				i = this.meta(i, span);
				if (i === -1) return -1;
			} else if ((c >= 48 && c <= 57) || c === 45) {
				const j = numberEnd(s, i);
				if (key === K_START) span.start = nanosAt(s, i, j);
				else if (key === K_DURATION) span.duration = millisOfNanos(s, i, j);
				else if (key === K_ERROR) span.error = s.charCodeAt(i) !== 48 || j - i > 1;
				i = j;
			} else if (key === K_METRICS && c === 123) {
				const end = this.flatNumbers(i);
				if (end === -1) return -1;
				i = end;
			} else {
				const end = this.skip(i);
				if (end === -1) return -1;
				i = end;
			}
			const d = s.charCodeAt(i);
			if (d === 44) i++;
			else if (d === 125) return i + 1;
			else return -1;
		}
	}
}

/** Spans from an already-parsed JSON array (pretty-printed payloads, or when the scanner gave up). */
function spansFromJson(text: string): RawSpan[] | undefined {
	let arr: unknown;
	try {
		arr = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!Array.isArray(arr)) return undefined;
	const out: RawSpan[] = [];
	const idOf = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
	for (const o of arr) {
		if (!o || typeof o !== 'object') continue;
		const r = o as Record<string, unknown>;
		const meta = (r.meta && typeof r.meta === 'object' ? r.meta : {}) as Record<string, unknown>;
		const span: RawSpan = {
			traceId: idOf(r.trace_id),
			spanId: idOf(r.span_id),
			parentId: idOf(r.parent_id),
			name: str(r.name),
			resource: str(r.resource),
			service: str(r.service),
			type: str(r.type),
			error: r.error === 1 || r.error === true,
			start: typeof r.start === 'number' ? nanosToMillis(r.start.toFixed(0)) : undefined,
			duration: typeof r.duration === 'number' ? Number(r.duration.toFixed(0)) / 1e6 : undefined,
			tid: str(meta['_dd.p.tid']),
			errorMessage: str(meta['error.message']) ?? str(meta['error.msg'])
		};
		if (span.traceId && span.spanId) out.push(span);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Message templates

const HTTP_ERROR = /Error from (\S+?): (\d{3})\b/;
const HTTP_DETAIL = /Error from \S+?: (\d{3}) ?([^.\n]{0,80})/;
const BODY = 'Response from the endpoint: "';

/** A short reason: "HTTP 413 Payload Too Large: Request Entity Too Large" or the message. */
function reasonOf(msg: string): string {
	const h = HTTP_DETAIL.exec(msg);
	if (!h) return cut(msg);
	const at = msg.indexOf(BODY);
	let body = at === -1 ? '' : msg.slice(at + BODY.length, at + BODY.length + 400).trim();
	if (body.endsWith('"')) body = body.slice(0, -1).trim();
	return cut(
		`HTTP ${h[1]}${h[2] ? ' ' + h[2] : ''}${body ? ': ' + body.replace(/\s+/g, ' ') : ''}`
	);
}
const STATUS_CODE = /\(status code: (\d{3})\)/;
const TRACES_PATH = /\/v0\.\d\/traces\b/;
// EPROTO: TLS spoken to a plain-http Agent (an https:// Agent URL)
const NETWORK =
	/ECONNREFUSED|ECONNRESET|EPROTO|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ENOENT|socket hang up|Response timed out|Response aborted|Network error/;
/** Failures talking to the Agent for something else than trace payloads (R5). */
const OTHER_AGENT =
	/^(DogStatsDClient: |HTTP error from agent: |\[RC\] |Error updating prioritySampler rates|Error sending (span stats|telemetry data|datastream|DI logs payload|flare payload|diagnostics payload|probe payload)|Failed to (flush|export) span stats|Error (sending|exporting) OTLP|\[debugger:devtools_client\] Error sending)/;
/** Distinctive WARN/ERROR templates of dd-trace, as bare lines or as the message of an Error. */
const TRACER_PROBLEM =
	/^(Span was already (started|finished)|Span (started|finished) in one trace|Another span with the same ID|A span was (started|finished) in the wrong trace|Failed to flush traces|Writer dropped \d+ trace|Finishing invalid span|Invalid _dd\.p\.tid tag|Trace tags from (carrier|span) are|Error activating plugin|Error initializing tracer|Timeout waiting for the tracer to flush|Could not gunzip response)/;

/** Frequent debug lines that are never events (propagation, encoder, metrics). */
function isNoise(t: string): boolean {
	const c = t.charCodeAt(0);
	// eqAt, not startsWith: this runs for most lines, and the loop is inlined
	if (c === 69 /* E */) return eqAt(t, 0, 'Extract from carrier');
	if (c === 73 /* I */) return eqAt(t, 0, 'Inject into carrier');
	if (c === 65 /* A */) return eqAt(t, 0, 'Adding encoded trace to buffer');
	if (c === 70 /* F */) return eqAt(t, 0, 'Flushing ');
	if (c === 83 /* S */) return eqAt(t, 0, 'Sending to DogStatsD');
	return false;
}

/** "0000000000000000" (a root's parent id) or empty. */
function isZeroId(id: string): boolean {
	for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 48) return false;
	return true;
}

/** Whether a text starts with one of the tracer's own messages (after a label, see unlabelled). */
function isTracerMessage(t: string): boolean {
	return (
		t.startsWith(ENCODING_PAYLOAD) ||
		t.startsWith(ENCODING_TRACE) ||
		t.startsWith(REQUEST) ||
		t.startsWith(RESPONSE) ||
		t.startsWith('DATADOG TRACER ') ||
		t.startsWith(DISCARDED) ||
		isNoise(t) ||
		isHeader(t)
	);
}

/** Messages that open an event of their own (never the cause of the record above). */
function isHeader(m: string): boolean {
	return (
		m.startsWith(SEND_ERROR) ||
		m.startsWith(NETWORK_ERROR_1X) ||
		m.startsWith(AGENT_HTTP_ERROR_1X) ||
		OTHER_AGENT.test(m) ||
		TRACER_PROBLEM.test(m)
	);
}

function cut(s: string, n = 300): string {
	const nl = s.indexOf('\n');
	const line = nl === -1 ? s : s.slice(0, nl);
	return line.length > n ? line.slice(0, n) + '…' : line;
}

function errorText(e: ErrInfo): string {
	return e.message;
}

interface Address {
	host: string;
	port?: string;
}

// Node prints an IPv6 peer bare (`ECONNREFUSED ::1:8126`); 3.x looks up the bracketed URL host
const ERRNO_ADDRESS =
	/(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EADDRNOTAVAIL) (\[[0-9a-fA-F:.]+\]|(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}|[\w.-]+):(\d{1,5})|(?:ENOTFOUND|EAI_AGAIN) (\[[0-9a-fA-F:.]+\]|[\w.-]+)|ENOENT ([\w./-]+)/;
const URL_ADDRESS = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?/i;

/** The host and port a connection error or an Agent URL names. */
function addressOf(text: string): Address | undefined {
	if (/^unix:\/\//i.test(text)) return { host: text.slice(7) };
	const u = URL_ADDRESS.exec(text);
	if (u) {
		return { host: unbracketed(u[1]), port: u[2] ?? (/^https:/i.test(text) ? '443' : '80') };
	}
	const m = ERRNO_ADDRESS.exec(text);
	if (!m) return undefined;
	if (m[1]) return { host: unbracketed(m[1]), port: m[2] };
	return { host: unbracketed(m[3] ?? m[4]) };
}

/** "::1" for "[::1]": URLs bracket an IPv6 host, connection errors do not. */
function unbracketed(host: string): string {
	return host.charCodeAt(0) === 91 /* [ */ ? host.slice(1, -1) : host;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);

/** Whether a failing address is the Agent's (the default Agent port when the URL is not known). */
function sameAddress(a: Address, agent: Address | undefined): boolean {
	if (!agent) return a.port === undefined || a.port === '8126';
	if (a.port !== undefined && agent.port !== undefined && a.port !== agent.port) return false;
	if (a.host === agent.host) return true;
	return LOOPBACK.has(a.host) && LOOPBACK.has(agent.host);
}

/** Whether an Error record was created inside dd-trace (its first frame is the tracer's code). */
function fromTracerCode(e: ErrInfo): boolean {
	return e.top !== undefined && /[/\\]dd-trace[/\\]|dd-trace\/packages\//.test(e.top);
}

/**
 * Summaries of span data events, one shared string per distinct text (bounded): they name what
 * repeats (span name, resource, service; span count and root); ids and durations are in the Span
 * and the fields, so a big log does not hold one built string per span.
 */
class SummaryTexts {
	private readonly heads = new Map<string, Map<string, Map<string, string>>>();
	private readonly handed = new Map<string, string[]>();
	private readonly discarded = new Map<string, string[]>();
	private size = 0;

	private readonly recent: {
		name: string | undefined;
		resource: string | undefined;
		service: string | undefined;
		head: string;
	}[] = [];
	private next = 0;

	/** "name resource (service)" of a span.finish. */
	span(name: string | undefined, resource: string | undefined, service: string | undefined) {
		// the spans of a service take turns among a few texts: the last four answer most
		const recent = this.recent;
		for (let k = 0; k < recent.length; k++) {
			const e = recent[k];
			if (e.name === name && e.resource === resource && e.service === service) return e.head;
		}
		const head = this.head(name, resource, service);
		const e = { name, resource, service, head };
		if (recent.length < 4) recent.push(e);
		else recent[this.next++ & 3] = e;
		return head;
	}

	private head(
		name: string | undefined,
		resource: string | undefined,
		service: string | undefined
	) {
		const n = name ?? '\u0000'; // not '': an empty name is kept as is, a missing one is 'span'
		const r = resource ?? '';
		const s = service ?? '';
		let byResource = this.heads.get(n);
		let byService = byResource?.get(r);
		let head = byService?.get(s);
		if (head !== undefined) return head;
		head = name ?? 'span';
		if (resource && resource !== name) {
			head += ' ' + (resource.length > 120 ? cut(resource, 120) : resource);
		}
		if (service) head += ' (' + service + ')';
		head = copyOf(head);
		if (this.size < 20000) {
			if (byResource === undefined) this.heads.set(n, (byResource = new Map()));
			if (byService === undefined) byResource.set(r, (byService = new Map()));
			byService.set(s, head);
			this.size++;
		}
		return head;
	}

	/** "name resource (service) error: message" of a failed span.finish. */
	failed(head: string, message: string | undefined): string {
		// messages are shared strings (SpanScanner.names): most failures repeat one of a few
		const recent = this.recentFailures;
		for (let k = 0; k < recent.length; k++) {
			const e = recent[k];
			if (e.head === head && e.message === message) return e.text;
		}
		const text = copyOf(head + ' error' + (message ? ': ' + cut(message, 120) : ''));
		const e = { head, message, text };
		if (recent.length < 4) recent.push(e);
		else recent[this.nextFailure++ & 3] = e;
		return text;
	}

	private readonly recentFailures: { head: string; message: string | undefined; text: string }[] =
		[];
	private nextFailure = 0;

	/** "Trace handed to the writer: N spans (root)" of a trace.complete, or "discarded by". */
	handedOver(n: number, root: string | undefined, discarded = false): string {
		const key = root ?? '';
		const cache = discarded ? this.discarded : this.handed;
		let list = cache.get(key);
		let text = list?.[n];
		if (text !== undefined) return text;
		text = copyOf(
			(discarded
				? 'Trace discarded by the writer (too many requests to the Agent open): '
				: 'Trace handed to the writer: ') +
				n +
				(n === 1 ? ' span' : ' spans') +
				(root ? ' (' + root + ')' : '')
		);
		if (n < 64 && this.size < 20000) {
			if (list === undefined) cache.set(key, (list = []));
			list[n] = text;
			this.size++;
		}
		return text;
	}
}

// ---------------------------------------------------------------------------------------------
// Session

interface OpenAttempt {
	endpoint?: string;
	traces?: number;
}

interface Pending {
	event: NewEvent & { fields: EventFields };
	/** Records left during which a following cause Error still folds into this event. */
	ttl: number;
}

function createSession(out: Emitter): ParserSession {
	const scanner = new SpanScanner();
	const texts = new SummaryTexts();
	const attempts: OpenAttempt[] = [];
	let attemptHead = 0;
	let pending: Pending | undefined;
	let lastVersion = '';
	let agentBase: string | undefined;
	/** Continuation state of the console record being grouped. */
	let openBody = false;
	let statsdBatch = false;
	let jsonDepth = 0;

	const openCount = () => attempts.length - attemptHead;
	const takeAttempt = (): OpenAttempt | undefined => {
		if (attemptHead >= attempts.length) return undefined;
		const a = attempts[attemptHead++];
		if (attemptHead > 1024 && attemptHead * 2 > attempts.length) {
			attempts.splice(0, attemptHead);
			attemptHead = 0;
		}
		return a;
	};

	const emit = (e: NewEvent) => out.event(e);

	const flushPending = () => {
		if (pending) {
			const p = pending;
			pending = undefined;
			finishOutcome(p.event);
			emit(p.event);
		}
	};

	/** A flush.error takes its attempt now, so later bare errors see the right open count. */
	const finishOutcome = (e: NewEvent & { fields: EventFields }) => {
		if (e.kind !== 'flush.error') return;
		const a = takeAttempt();
		if (a) {
			if (a.endpoint && e.fields.endpoint === undefined) e.fields.endpoint = a.endpoint;
			if (a.traces !== undefined) e.fields.traces = a.traces;
		}
		if (e.fields.endpoint === undefined && agentBase) e.fields.endpoint = agentBase;
	};

	const base = (r: Rec, kind: EventKind, level: Level, summary: string, fields: EventFields) => {
		const e: NewEvent & { fields: EventFields } = {
			kind,
			line: r.line,
			endLine: r.endLine,
			level,
			summary,
			fields
		};
		if (r.time !== undefined) {
			e.time = r.time;
			e.zone = r.zone;
		}
		return e;
	};

	/** Adds what a cause Error tells (reason, HTTP status, endpoint) to an event's fields. */
	const applyCause = (f: EventFields, err: ErrInfo) => {
		const msg = errorText(err);
		if (f.reason === undefined || f.reason === '') f.reason = reasonOf(msg);
		const h = HTTP_ERROR.exec(msg);
		if (h) {
			f.endpoint = h[1];
			if (f.status === undefined) f.status = +h[2];
		}
		if (err.status !== undefined && f.status === undefined) f.status = err.status;
		if (err.code) f.code = err.code;
	};

	const holdForCause = (e: NewEvent & { fields: EventFields }) => {
		flushPending();
		pending = { event: e, ttl: 4 };
	};

	// ---- events

	const onSpans = (r: Rec, text: string, from: number, discarded = false) => {
		const count = r.lines && r.lines.length > 1 ? -1 : scanner.scan(text, from);
		let spans: RawSpan[] = scanner.spans;
		let n = count;
		if (count < 0 || !scanner.complete) {
			if (/^\[\s*\{/.test(text.slice(from, from + 64))) {
				// pretty-printed, or a shape the scanner does not know: the slow way
				const parsed = spansFromJson(text.slice(from));
				if (parsed) {
					spans = parsed;
					n = parsed.length;
				}
			}
		}
		if (n <= 0) return; // an empty array hands over no trace
		// the high 64 bits of a 128-bit trace id sit on the chunk's first span only
		let tid: string | undefined;
		let root: RawSpan | undefined;
		for (let k = 0; k < n; k++) {
			const sp = spans[k];
			if (sp.tid && !isZeroId(sp.tid)) tid = sp.tid;
			if (!root && isZeroId(sp.parentId)) root = sp;
		}
		const first = spans[0];
		root ??= first;
		// one id string per trace: the analysis hashes it per span, a shared string hashes once
		const traceId = scanner.fullId(tid, first.traceId);
		const rootName = root.name;
		const time = r.time;
		const zone = time === undefined ? undefined : r.zone;
		const traceFields: EventFields = rootName
			? { traceId, spans: n, root: rootName }
			: { traceId, spans: n };
		if (discarded) traceFields.dropped = 'too many requests to the Agent open';
		emit({
			kind: 'trace.complete',
			line: r.line,
			endLine: r.endLine,
			time,
			zone,
			level: 'debug',
			summary: texts.handedOver(n, rootName, discarded),
			fields: traceFields
		});
		for (let k = 0; k < n; k++) {
			const sp = spans[k];
			const id = sp.traceId === first.traceId ? traceId : scanner.fullId(tid, sp.traceId);
			const duration = sp.duration;
			// lean: the Span (emitted below, pointing at this event) holds the detail
			let fields: EventFields;
			let summary = texts.span(sp.name, sp.resource, sp.service);
			if (sp.error) {
				fields = { traceId: id, spanId: sp.spanId, error: true };
				if (sp.errorMessage !== undefined) fields.errorMessage = cut(sp.errorMessage);
				summary = texts.failed(summary, sp.errorMessage);
			} else fields = { traceId: id, spanId: sp.spanId };
			const ev = emit({
				kind: 'span.finish',
				line: r.line,
				endLine: r.endLine,
				time,
				zone,
				level: 'debug',
				summary,
				fields
			});
			out.span({
				traceId: id,
				spanId: sp.spanId,
				parentId: sp.parentId || undefined,
				name: sp.name,
				service: sp.service,
				resource: sp.resource,
				type: sp.type,
				error: sp.error,
				start: sp.start,
				duration,
				line: r.line,
				event: ev.id
			});
		}
	};

	const onRequest = (r: Rec, body: string) => {
		let path: string | undefined;
		let traces: number | undefined;
		let endpoint: string | undefined;
		let version: string | undefined;
		let langVersion: string | undefined;
		try {
			const o = JSON.parse(body) as Record<string, unknown>;
			path = str(o.path);
			const h = (o.headers ?? {}) as Record<string, unknown>;
			const count = h['X-Datadog-Trace-Count'];
			if (count !== undefined && /^\d+$/.test(String(count))) traces = Number(count);
			version = str(h['Datadog-Meta-Tracer-Version']);
			langVersion = str(h['Datadog-Meta-Lang-Version']);
			const url = str(o.url);
			if (url) {
				agentBase = url.replace(/\/+$/, '');
			} else if (o.socketPath) {
				agentBase = 'unix://' + String(o.socketPath);
			} else if (o.hostname) {
				const port = o.port ? ':' + String(o.port) : '';
				agentBase = `${str(o.protocol) ?? 'http:'}//${String(o.hostname)}${port}`;
			}
			// a socket names the Agent on its own: a path after it would read as a file name
			if (path && agentBase)
				endpoint = agentBase.startsWith('unix:') ? agentBase : agentBase + path;
		} catch {
			// a cut line: take what the text shows
			path = /"path":"([^"]*)"/.exec(body)?.[1];
			const c = /"X-Datadog-Trace-Count":"?(\d+)/.exec(body);
			if (c) traces = +c[1];
		}
		if (!path || !TRACES_PATH.test(path)) return; // stats, config…: not a trace payload
		if (version && version !== lastVersion) {
			lastVersion = version;
			out.info({
				tracerVersion: version,
				lang: 'nodejs',
				langVersion: langVersion?.replace(/^v/, '')
			});
		}
		const fields: EventFields = {};
		if (endpoint) fields.endpoint = endpoint;
		else fields.endpoint = path;
		if (traces !== undefined) fields.traces = traces;
		attempts.push({ endpoint: fields.endpoint as string, traces });
		emit(
			base(
				r,
				'flush.attempt',
				'debug',
				`Sending ${traces ?? 'a'} trace${traces === 1 ? '' : 's'} to ${fields.endpoint}`,
				fields
			)
		);
	};

	const onResponse = (r: Rec, body: string) => {
		// the data-streams writer logs the same words; a trace answer carries rates or pairs a request
		if (!body.includes('rate_by_service') && openCount() === 0 && body !== 'OK') return;
		const a = takeAttempt();
		const fields: EventFields = { body: cut(body, 500) };
		if (a?.endpoint) fields.endpoint = a.endpoint;
		if (a?.traces !== undefined) fields.traces = a.traces;
		emit(base(r, 'flush.ok', 'debug', 'The Agent accepted the payload', fields));
	};

	const onConfig = (r: Rec, text: string) => {
		const at = text.indexOf(CONFIG) + CONFIG.length;
		const json = text.slice(at, at + MAX_JSON); // a real configuration is a few KB
		let o: Record<string, unknown> | undefined;
		try {
			const v = JSON.parse(json);
			if (v && typeof v === 'object') o = v as Record<string, unknown>;
		} catch {
			// wrapped or cut: keep the simple pairs
			o = {};
			for (const m of json.matchAll(
				/"([\w.]+)":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/g
			)) {
				try {
					o[m[1]] = JSON.parse(m[2]);
				} catch {
					// skip
				}
			}
		}
		if (!o) return;
		if (typeof o.lang === 'string' && o.lang !== 'nodejs') return; // another tracer's banner
		const raw: Record<string, string> = {};
		for (const [k, v] of Object.entries(o)) {
			raw[k] = typeof v === 'string' ? v : JSON.stringify(v);
		}
		out.config(raw);
		const s = (k: string) => (o[k] === undefined || o[k] === null ? undefined : String(o[k]));
		out.info({
			tracerVersion: s('version'),
			agentUrl: s('agent_url'),
			service: s('service'),
			env: s('env'),
			version: s('dd_version'),
			sampleRate: s('sample_rate'),
			debug: s('debug'),
			lang: s('lang') ?? 'nodejs',
			langVersion: s('lang_version')
		});
		if (s('agent_url')) agentBase ??= s('agent_url')!.replace(/\/+$/, '');
		const fields: EventFields = {};
		for (const k of ['version', 'service', 'env', 'agent_url', 'agent_error', 'date']) {
			if (s(k) !== undefined) fields[k] = s(k)!;
		}
		emit(
			base(
				r,
				'tracer.config',
				r.level ?? 'info',
				`Tracer configuration${s('version') ? ` (dd-trace ${s('version')})` : ''}${s('service') ? `, service ${s('service')}` : ''}${s('agent_url') ? `, Agent ${s('agent_url')}` : ''}`,
				fields
			)
		);
	};

	const onIntegrations = (r: Rec, text: string) => {
		let names: string[] = [];
		const at = text.indexOf(INTEGRATIONS) + INTEGRATIONS.length;
		const list = text.slice(at, at + MAX_JSON); // a real list is short
		try {
			const v = JSON.parse(list);
			if (Array.isArray(v)) names = v.map(String);
		} catch {
			names = [...list.matchAll(/"([^"\\]+)"/g)].map((m) => m[1]).slice(0, 500);
		}
		emit(
			base(r, 'integration.loaded', r.level ?? 'warn', `Integrations loaded: ${names.join(', ')}`, {
				integrations: names
			})
		);
	};

	/** A message that is not span data, a request or a response. Returns whether it was one of ours. */
	const onMessage = (r: Rec, m: string): boolean => {
		if (m.startsWith(SEND_ERROR)) {
			const fields: EventFields = {};
			const st = STATUS_CODE.exec(m);
			if (st) fields.status = +st[1];
			holdForCause(
				base(r, 'flush.error', 'error', 'The payload could not be sent to the Agent', fields)
			);
			return true;
		}
		if (m.startsWith(AGENT_ERROR)) {
			const reason = m.slice(AGENT_ERROR.length);
			const fields: EventFields = { reason: reasonOf(reason) };
			const h = HTTP_ERROR.exec(reason);
			if (h) {
				fields.endpoint = h[1];
				fields.status = +h[2];
			}
			flushPending();
			emit(base(r, 'agent.error', r.level ?? 'warn', `Agent error: ${cut(reason, 200)}`, fields));
			return true;
		}
		if (OTHER_AGENT.test(m)) {
			const fields: EventFields = {};
			const h = HTTP_ERROR.exec(m);
			if (h) {
				fields.endpoint = h[1];
				fields.status = +h[2];
			}
			const colon = m.indexOf(': ');
			if (colon !== -1 && m.startsWith('DogStatsDClient')) fields.reason = cut(m.slice(colon + 2));
			const e = base(r, 'agent.error', 'error', cut(m, 200), fields);
			if (m.startsWith('HTTP error from agent: ')) {
				// 2.19–5.28 put the cause's stack in the message: no cause record follows
				fields.reason = cut(m.slice(23));
				flushPending();
				emit(e);
			} else holdForCause(e);
			return true;
		}
		if (m.startsWith(AGENT_HTTP_ERROR_1X) && !AGENT_STATUS_1X.test(m)) {
			// the profiler's upload failure (1.x–5.x `Error from the agent: ${err.message}`); the
			// 1.x trace writer's names an HTTP status
			flushPending();
			const reason = cut(m.slice(AGENT_HTTP_ERROR_1X.length));
			emit(
				base(r, 'agent.error', r.level ?? 'error', `Profile upload failed: ${reason}`, { reason })
			);
			return true;
		}
		if (m.startsWith(NETWORK_ERROR_1X) || m.startsWith(AGENT_HTTP_ERROR_1X)) {
			// 1.x: the Error names the failure itself; no cause record follows
			const fields: EventFields = {
				reason: cut(m.replace(/^Network error trying to reach the agent: /, ''))
			};
			const st = /: (\d{3}) /.exec(m);
			if (st && m.startsWith(AGENT_HTTP_ERROR_1X)) fields.status = +st[1];
			flushPending();
			const e = base(
				r,
				'flush.error',
				'error',
				`The payload could not be sent: ${cut(m, 200)}`,
				fields
			);
			finishOutcome(e);
			emit(e);
			return true;
		}
		if (
			m.startsWith(DIAGNOSTIC) ||
			m.startsWith("Warning: Package '") ||
			m.startsWith('Warning: Please ensure dd-trace')
		) {
			flushPending();
			emit(base(r, 'log.other', 'warn', cut(m.replace(DIAGNOSTIC, ''), 200), {}));
			return true;
		}
		if (TRACER_PROBLEM.test(m)) {
			holdForCause(base(r, 'log.other', 'error', cut(m, 200), {}));
			return true;
		}
		return false;
	};

	/** A bare Error record (no header logged before it: 2.x/3.x trace sends, or a lone failure). */
	const onBareError = (r: Rec, err: ErrInfo) => {
		const msg = errorText(err);
		// a known header printed as an Error (4.x, 5.x log.error): its cause may follow
		if (onMessage(r, msg)) return;
		const h = HTTP_ERROR.exec(msg);
		const fields: EventFields = {};
		applyCause(fields, err);
		if (err.profileUpload) {
			// the profiler logs its upload failure itself (`logger.error(err)`): no cause follows
			flushPending();
			emit(base(r, 'agent.error', 'error', `Profile upload failed: ${cut(msg, 200)}`, fields));
			return;
		}
		if (h) {
			const kind = TRACES_PATH.test(h[1]) ? 'flush.error' : 'agent.error';
			const e = base(
				r,
				kind,
				'error',
				(kind === 'flush.error' ? 'The payload was refused: ' : 'The Agent refused a request: ') +
					fields.reason,
				fields
			);
			finishOutcome(e);
			emit(e);
			return;
		}
		if (NETWORK.test(msg) || (err.code && NETWORK.test(err.code))) {
			// 2.x/3.x print only the cause of a failed trace send, right after its request; an
			// application's own connection error (another host or port) is not the tracer's
			const tracer = r.fromTracer || fromTracerCode(err);
			const where = addressOf(msg);
			const agent = agentBase ? addressOf(agentBase) : undefined;
			if (!tracer && where && !sameAddress(where, agent)) return;
			if (!tracer && !where && openCount() === 0) return;
			const kind = openCount() > 0 ? 'flush.error' : 'agent.error';
			const e = base(
				r,
				kind,
				'error',
				kind === 'flush.error' ? `The payload could not be sent: ${cut(msg, 200)}` : cut(msg, 200),
				fields
			);
			finishOutcome(e);
			emit(e);
			return;
		}
		if (r.fromTracer || fromTracerCode(err)) {
			holdForCause(base(r, 'log.other', 'error', cut(`${err.name}: ${msg}`, 200), {}));
		}
	};

	const onRecord = (r: Rec) => {
		const t = r.text;
		// span data, requests and responses are the bulk of a debug log: test them first
		if (!r.err) {
			const c = t.charCodeAt(0);
			let at = -1;
			if (c === 69 /* E */) {
				if (eqAt(t, 0, ENCODING_PAYLOAD)) at = ENCODING_PAYLOAD.length;
				else if (eqAt(t, 0, ENCODING_TRACE)) at = ENCODING_TRACE.length;
			}
			if (at !== -1) {
				flushPending();
				onSpans(r, r.lines && r.lines.length > 1 ? r.lines.join('\n') : t, at);
				return;
			}
			// its spans finished and were handed over like an encoded trace's (R4, R14); the data
			// streams writer logs the same words with an object, not a span array
			if (c === 77 /* M */ && t.startsWith(DISCARDED) && t.startsWith('[{', DISCARDED.length)) {
				flushPending();
				const lines = r.lines && r.lines.length > 1 ? r.lines.join('\n') : t;
				onSpans(r, lines, DISCARDED.length, true);
				return;
			}
			if (c === 82 /* R */ && t.startsWith(REQUEST)) {
				flushPending();
				onRequest(
					r,
					r.lines && r.lines.length > 1
						? r.lines.join('\n').slice(REQUEST.length)
						: t.slice(REQUEST.length)
				);
				return;
			}
			if (c === 82 && t.startsWith(RESPONSE)) {
				flushPending();
				onResponse(r, (r.lines ? r.lines.join('\n') : t).slice(RESPONSE.length).trim());
				return;
			}
			if (isNoise(t)) {
				if (pending && --pending.ttl <= 0) flushPending();
				return;
			}
		}
		if (pending && r.err && !isHeader(r.err.message)) {
			// the cause of the header above (4.x–6.x print it as a record of its own)
			const p = pending;
			pending = undefined;
			applyCause(p.event.fields, r.err);
			p.event.endLine = r.endLine;
			if (p.event.kind === 'flush.error') {
				p.event.summary = `The payload could not be sent: ${p.event.fields.reason}`;
			}
			finishOutcome(p.event);
			emit(p.event);
			return;
		}
		if (r.err) {
			onBareError(r, r.err);
			return;
		}
		if (t.startsWith(CONFIG)) {
			flushPending();
			onConfig(r, r.lines && r.lines.length > 1 ? r.lines.join('\n') : t);
			return;
		}
		if (t.startsWith(INTEGRATIONS)) {
			flushPending();
			onIntegrations(r, r.lines && r.lines.length > 1 ? r.lines.join('\n') : t);
			return;
		}
		if (t.startsWith('(node:')) {
			// a Node process warning; only the tracer's own count (2.x end-of-life notice…)
			if (t.includes('Warning') && /dd-trace|datadog|\bDD_/i.test(t)) {
				flushPending();
				emit(base(r, 'log.other', 'warn', cut(t.replace(/^\(node:\d+\) /, ''), 200), {}));
			}
			return;
		}
		if (onMessage(r, t)) return;
		// anything else from the tracer's logger at WARN/ERROR
		if (r.fromTracer && (r.level === 'warn' || r.level === 'error' || r.level === 'fatal')) {
			if (r.level === 'warn') {
				flushPending();
				emit(base(r, 'log.other', 'warn', cut(t, 200), {}));
			} else holdForCause(base(r, 'log.other', r.level, cut(t, 200), {}));
			return;
		}
		if (pending && --pending.ttl <= 0) flushPending();
	};

	// ---- grouping console lines into records

	const isContinuation = (text: string, rec: LogRecord): boolean => {
		const cont = continues(text, rec);
		if (!cont) startRecord(text);
		return cont;
	};

	const continues = (text: string, rec: LogRecord): boolean => {
		if (openBody) {
			// a response body with newlines, quoted in the message: runs to its closing quote
			if (text.startsWith('    at ')) openBody = false;
			else if (text.endsWith('"')) openBody = false;
			if (rec.lines.length > 200) openBody = false;
			return true;
		}
		if (jsonDepth > 0) {
			jsonDepth += jsonBalance(text);
			if (rec.lines.length > 2000) jsonDepth = 0;
			return true;
		}
		if (text.length === 0) {
			if (statsdBatch) {
				statsdBatch = false;
				return true;
			}
			// an Error message that ends in a newline (OpenSSL's): its stack follows the blank line
			return rec.lines.length === 1 && ERROR_HEAD.test(rec.lines[0]);
		}
		const c = text.charCodeAt(0);
		if (c === 32 || c === 9) return true;
		if (statsdBatch && /^[\w.-]+:[^|\s]*\|[a-z]/.test(text)) return true;
		statsdBatch = false;
		if (text === '}' || text === ']' || text === '},' || text === '],') return true;
		return c === 40 /* ( */ && text.startsWith('(Use `node --trace-');
	};

	let started = false;
	/** Times from a shipper's prefix, by line, until their record is read. */
	const times = new Map<number, Prefix>();
	const startRecord = (text: string) => {
		openBody = false;
		statsdBatch = false;
		jsonDepth = 0;
		const c = text.charCodeAt(0);
		if (c === 83 /* S */ && text.startsWith('Sending to DogStatsD:')) statsdBatch = true;
		else if (c !== 69 /* E */ || !eqAt(text, 0, 'Encoding ')) {
			const q = text.indexOf('Response from the endpoint: "');
			if (q !== -1 && !text.endsWith('"')) openBody = true;
			else if (
				((c === 68 /* D */ && (text.startsWith(CONFIG) || text.startsWith(INTEGRATIONS))) ||
					text === '{') &&
				text.length < 100000
			) {
				const b = jsonBalance(text);
				if (b > 0) jsonDepth = b;
			}
		}
	};

	const onConsoleRecord = (rec: LogRecord) => {
		const first = rec.lines[0];
		const c = first.charCodeAt(0);
		if (c === 123 /* { */) {
			const text = rec.lines.length > 1 ? rec.lines.join('\n') : first;
			if (text.charCodeAt(text.length - 1) === 125) {
				const j = parseJsonLine(text, rec.start, rec.end);
				if (j) {
					if (times.size) {
						const p = times.get(rec.start);
						if (p && j.time === undefined) {
							j.time = p.time;
							j.zone = p.zone;
						}
						for (let n = rec.start; n <= rec.end; n++) times.delete(n);
					}
					if (j.text.includes('\n') && !j.err) j.lines = j.text.split('\n');
					onRecord(j);
					return;
				}
			}
		}
		if (isNoise(first)) {
			// half the lines of a debug log: never an Error, never an event (as in onRecord)
			if (times.size) for (let n = rec.start; n <= rec.end; n++) times.delete(n);
			if (pending && --pending.ttl <= 0) flushPending();
			return;
		}
		const r: Rec = {
			line: rec.start,
			endLine: rec.end,
			text: first,
			lines: rec.lines,
			fromTracer: false
		};
		if (times.size) {
			const p = times.get(rec.start);
			if (p) {
				r.time = p.time;
				r.zone = p.zone;
			}
			for (let n = rec.start; n <= rec.end; n++) times.delete(n);
		}
		if (c >= 65 && c <= 90 && (c !== 69 || !eqAt(first, 0, 'Encoding '))) {
			const err = parseConsoleError(rec.lines);
			if (err) {
				r.err = err;
				r.text = err.message;
			}
		}
		onRecord(r);
	};

	const grouper = new RecordGrouper(isContinuation, (rec) => {
		try {
			onConsoleRecord(rec);
		} catch {
			// a parser never throws: a record it cannot read is skipped
		}
	});

	return {
		line(raw: string, lineNo: number, truncated: boolean) {
			let text = raw;
			const c = raw.charCodeAt(0);
			if ((c >= 48 && c <= 57) || c === 34) {
				const p = splitPrefix(raw);
				if (p) {
					text = p.text;
					if (p.time !== undefined) times.set(lineNo, p);
				}
			} else if (c === 91 /* [ */) text = withoutRunnerLabel(raw);
			text = unlabelled(text);
			if (!started) {
				started = true;
				startRecord(text);
			}
			grouper.line(text, lineNo, truncated);
		},
		end() {
			grouper.end();
			flushPending();
		}
	};
}

export const nodejsParser: TracerParser = {
	id: 'nodejs',
	name: 'Node.js',
	logsSuccess: true,
	fileNameHint: /dd-?trace|node/i,
	detect,
	createSession
};
