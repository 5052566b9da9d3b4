// Python tracer (dd-trace-py, `ddtrace`) parser. See shared/formats/FORMAT-python.md.
//
// Python has no line prefix of its own: the prefix comes from whoever configured `logging`
// (bare `%(message)s` by default from 2.x, `LEVEL:logger:` from basicConfig, the full
// DD_TRACE_LOG_FILE / logs-injection formatter, user pipelines). So every line is split into an
// optional prefix and a message, and the message templates found in the tracer's source decide.
import type { EventFields, EventKind, FieldValue, Level, LogEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { nanosToMillis, parseTimestamp } from '../time';
import { detach } from './common';
import type { Emitter, ParserSession, SpanFields, TracerParser } from './types';

// ---------------------------------------------------------------------------------------------
// Line prefix

export interface PyLine {
	time?: number;
	zone?: string;
	level?: Level;
	/** Logger name when the prefix shows one (`ddtrace.internal.writer`, `werkzeug`…). */
	logger?: string;
	/** The `[file.py:N]` field of the full formatter was present. */
	fileField: boolean;
	/** Anything at all before the message (used to spot a bare + prefixed copy of one record). */
	prefixed: boolean;
	msg: string;
	/** Further lines of a message that a JSON log pipeline kept in one field (a traceback). */
	more?: string[];
}

/** A PyLine with every field present: one object shape for every line read. */
function pyLine(msg: string, prefixed: boolean): PyLine {
	return {
		time: undefined,
		zone: undefined,
		level: undefined,
		logger: undefined,
		fileField: false,
		prefixed,
		msg,
		more: undefined
	};
}

const LEVELS: Record<string, Level> = {
	DEBUG: 'debug',
	INFO: 'info',
	WARNING: 'warn',
	WARN: 'warn',
	ERROR: 'error',
	CRITICAL: 'fatal',
	FATAL: 'fatal'
};
// `DEBUG:ddtrace.internal.writer:message` (logging.basicConfig)
// (read by basicPrefix: the most common prefix, without a match's array and strings)
const BASIC_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'FATAL'];
// `DEBUG [ddtrace.x] [file.py:12] [dd.service=…] - message` and other `LEVEL …` formats: read by
// levelWordEnd, bracketNameEnd and fileFieldEnd, in place (no match arrays, no cut-off rests)
// `%(levelname)s %(name)s: %(message)s` / `… %(name)s - %(message)s`: ddtrace or a dotted name
// (sticky: matched at lastIndex, where the prefix read so far ends)
const NAME_SEP = /(ddtrace[\w.]{0,200}|[A-Za-z_]\w{0,100}(?:\.\w{1,100}){1,20})(?::| -) /y;
// `%(name)s:%(filename)s:%(lineno)d ` (pytest's captured-log format), loguru's
// `{name}:{function}:{line} - ` and `%(name)s@%(funcName)s:%(lineno)d ` (sticky, like NAME_SEP)
const NAME_WHERE =
	/(ddtrace[\w.]{0,200}|[A-Za-z_]\w{0,100}(?:\.\w{1,100}){0,20})[:@][\w.<>-]{1,200}:\d{1,7}(?: -)? /y;
// `%(module)s.%(funcName)s:%(lineno)d` as some users configure it
const MODULE_FUNC = /[\w.<>-]{1,200}:\d{1,7} /y;
// `ddtrace.writer - ERROR - message` (`%(name)s - %(levelname)s - %(message)s`)
const NAME_LEVEL = /^(ddtrace[\w.]{0,200}) - (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL) - /;
// `ddtrace.internal.writer.writer: message`
const NAME_COLON = /^(ddtrace[\w.]{0,200}): /;
/** 1 at the char codes a level name starts with (D, I, W, E, C, F). */
const LEVEL_FIRST = new Uint8Array(128);
for (const name of Object.keys(LEVELS)) LEVEL_FIRST[name.charCodeAt(0)] = 1;

let strippedFrom: string | undefined;
let stripped = '';

/**
 * Removes a docker-compose (`app_1  | `), `kubectl logs --prefix` (`[pod/x/y] `) or syslog prefix,
 * and puts AWS Lambda's in our order. The last line's answer is kept: detect() and then the session
 * strip every line of the tracer.
 */
export function stripContainer(text: string): string {
	if (text === strippedFrom) return stripped;
	stripped = stripOnce(text);
	strippedFrom = text;
	return stripped;
}

/** `Sep  6 08:58:12 host ddtrace-run[30841]: ` (syslog / journald); the month is checked apart. */
const SYSLOG =
	/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [^ ]{1,255} [\w./-]{1,100}(?:\[\d{1,10}\])?: /;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const LAMBDA =
	/^\[(DEBUG|INFO|WARNING|ERROR|CRITICAL)\]\t(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z)\t(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|None)?\t/;

function stripOnce(text: string): string {
	const c = text.charCodeAt(0);
	// a syslog line: only read where its fixed columns (`Mmm dd hh:mm:ss `) are in place
	if (
		c >= 65 &&
		c <= 90 &&
		text.charCodeAt(3) === 32 &&
		text.charCodeAt(9) === 58 &&
		text.charCodeAt(15) === 32
	) {
		const m = SYSLOG.exec(text);
		if (m && MONTHS.indexOf(text.slice(0, 3)) % 3 === 0) return text.slice(m[0].length);
		return text;
	}
	if (c === 91 /* [ */) {
		// AWS Lambda's Python runtime, `[%(levelname)s]\t%(asctime)sZ\t%(aws_request_id)s\t`: read
		// as `<time> <LEVEL> <message>`, a layout of our own prefix reader
		if (text.charCodeAt(1) >= 65 && text.indexOf(']\t') > 0) {
			const m = LAMBDA.exec(text);
			if (m) return m[2] + ' ' + m[1] + ' ' + text.slice(m[0].length);
		}
		if (text.startsWith('[pod/')) {
			const end = text.indexOf('] ');
			if (end > 0 && end < 300) return text.slice(end + 2);
		}
		return text;
	}
	const bar = text.indexOf('| ');
	if (bar <= 0 || bar > 100) return text;
	const head = text.slice(0, bar);
	const name = head.trimEnd();
	if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) return text;
	// compose pads the service name; `name_1` / `name-1` is the replica number
	if (head.length - name.length >= 2 || /[_-]\d+$/.test(name)) return text.slice(bar + 2);
	return text;
}

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

const JSON_LEVELS: Record<string, Level> = {
	debug: 'debug',
	info: 'info',
	notice: 'info',
	default: 'info',
	warning: 'warn',
	warn: 'warn',
	error: 'error',
	critical: 'fatal',
	fatal: 'fatal',
	alert: 'fatal',
	emergency: 'fatal'
};

/**
 * A record exported as JSON by a log pipeline (python-json-logger, GCP structured logging):
 * `{"message": "...", "severity": "DEBUG", "name": "ddtrace.x", "logging.googleapis.com/sourceLocation": …}`.
 */
function parseJsonRecord(text: string): PyLine | undefined {
	if (
		text.length > 2_000_000 ||
		!text.endsWith('}') ||
		(!text.includes('"message"') && !text.includes('"event"'))
	)
		return undefined;
	let o: Record<string, unknown>;
	try {
		const v: unknown = JSON.parse(text);
		if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
		o = v as Record<string, unknown>;
	} catch {
		return undefined;
	}
	// structlog names the message `event`, and keeps a formatted traceback apart
	const message = typeof o.message === 'string' ? o.message : o.event;
	if (typeof message !== 'string') return undefined;
	const lines = message.split('\n');
	const exc = o.exception ?? o.exc_info;
	if (typeof exc === 'string' && exc.length > 0) lines.push(...exc.split('\n'));
	const out = pyLine(lines[0], true);
	if (lines.length > 1) out.more = lines.slice(1, 400);
	const lv = o.severity ?? o.levelname ?? o.level;
	if (typeof lv === 'string') out.level = JSON_LEVELS[lv.toLowerCase()];
	const name = o.name ?? o.logger ?? o.logger_name;
	if (typeof name === 'string') out.logger = name;
	else {
		const loc = o['logging.googleapis.com/sourceLocation'];
		const file = loc && typeof loc === 'object' ? (loc as Record<string, unknown>).file : undefined;
		if (typeof file === 'string' && file.includes('/ddtrace/')) out.logger = 'ddtrace';
	}
	const ts = o.timestamp ?? o.time ?? o.asctime ?? o['@timestamp'];
	if (typeof ts === 'string') {
		const t = parseTimestamp(ts);
		if (t) {
			out.time = t.time;
			out.zone = t.zone;
		}
	} else if (
		ts &&
		typeof ts === 'object' &&
		typeof (ts as { seconds?: unknown }).seconds === 'number'
	) {
		const t = ts as { seconds: number; nanos?: number };
		out.time = t.seconds * 1000 + (typeof t.nanos === 'number' ? t.nanos / 1e6 : 0);
		out.zone = 'Z';
	}
	return out;
}

/** 1 at the char codes of `[\w.-]` (a logger name's characters). */
const LOGGER_CHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-')
	LOGGER_CHAR[c.charCodeAt(0)] = 1;
/** 1 at the char codes of `[\w.<>-]` (a `[file.py:N]` field's file name). */
const FILE_CHAR = LOGGER_CHAR.slice();
FILE_CHAR[60 /* < */] = FILE_CHAR[62 /* > */] = 1;

/**
 * Where `\[?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?:/[\w.-]*)?\]?(?: +|$)` matched at
 * `at` ends, or -1; sets out.level.
 */
function levelWordEnd(s: string, at: number, out: PyLine): number {
	const from = s.charCodeAt(at) === 91 /* [ */ ? at + 1 : at;
	for (const word of BASIC_LEVELS) {
		if (!s.startsWith(word, from)) continue;
		let end = from + word.length;
		if (s.charCodeAt(end) === 47 /* / */) {
			// celery's `LEVEL/processName]`
			end++;
			while (LOGGER_CHAR[s.charCodeAt(end)] === 1) end++;
			if (s.charCodeAt(end) !== 93) continue;
		}
		if (s.charCodeAt(end) === 93 /* ] */) end++;
		if (end < s.length && s.charCodeAt(end) !== 32) continue; // `WARNING…` fails: WARN is next
		while (s.charCodeAt(end) === 32) end++;
		out.level = LEVELS[word];
		return end;
	}
	return -1;
}

/** Where the name of `\[([\w.-]{1,200})\]` at `at` ends (at its `]`), or -1. */
function bracketNameEnd(s: string, at: number): number {
	if (s.charCodeAt(at) !== 91 /* [ */) return -1;
	let end = at + 1;
	while (LOGGER_CHAR[s.charCodeAt(end)] === 1) end++;
	const n = end - at - 1;
	return n >= 1 && n <= 200 && s.charCodeAt(end) === 93 /* ] */ ? end : -1;
}

/** Where `\[[\w.<>-]{1,200}:\d{1,7}\]` at `at` ends (after its `]`), or -1. */
function fileFieldEnd(s: string, at: number): number {
	if (s.charCodeAt(at) !== 91 /* [ */) return -1;
	let end = at + 1;
	while (FILE_CHAR[s.charCodeAt(end)] === 1) end++;
	const n = end - at - 1;
	if (n < 1 || n > 200 || s.charCodeAt(end) !== 58 /* : */) return -1;
	const digits = ++end;
	while (isDigit(s.charCodeAt(end))) end++;
	if (end === digits || end - digits > 7 || s.charCodeAt(end) !== 93 /* ] */) return -1;
	return end + 1;
}

function skipSpaces(s: string, at: number): number {
	while (s.charCodeAt(at) === 32) at++;
	return at;
}

/** Reads a `LEVEL:logger:` prefix of `s` at `at` into `out`; false when `s` has none there. */
function basicPrefix(s: string, at: number, out: PyLine): boolean {
	for (const word of BASIC_LEVELS) {
		if (s.charCodeAt(at + word.length) !== 58 /* : */ || !s.startsWith(word, at)) continue;
		const from = at + word.length + 1;
		let end = from;
		while (LOGGER_CHAR[s.charCodeAt(end)] === 1) end++;
		if (s.charCodeAt(end) !== 58) return false;
		out.level = LEVELS[word];
		out.logger = end > from ? s.slice(from, end) : undefined;
		out.prefixed = true;
		out.msg = s.slice(end + 1);
		return true;
	}
	return false;
}

export function parsePrefix(text: string): PyLine {
	// a record printed while the Python prompt waited: `>>> failed to send …`
	if (text.startsWith('>>> ')) return readPrefix(text.slice(4));
	return readPrefix(text);
}

function readPrefix(text: string): PyLine {
	const c0 = text.charCodeAt(0);
	if (c0 === 123 /* { */ && text.charCodeAt(1) === 34 /* " */) {
		const j = parseJsonRecord(text);
		if (j) return j;
	}
	const out = pyLine(text, false);
	const s = text;
	// the prefix is read in place from `at` on; the message is cut once, where it ends
	let at = 0;
	if (isDigit(c0) || (c0 === 91 && isDigit(s.charCodeAt(1)))) {
		const bracket = c0 === 91;
		const ts = parseTimestamp(bracket ? s.slice(1) : s);
		if (ts) {
			out.time = ts.time;
			out.zone = ts.zone;
			let i = ts.length + (bracket ? 1 : 0);
			if (bracket && s.charCodeAt(i) === 93 /* ] */) i++;
			while (s.charCodeAt(i) === 32) i++;
			if (s.startsWith('- ', i) || s.startsWith('| ', i)) i += 2;
			else if (s.charCodeAt(i) === 58 /* : */) {
				i++; // `%(asctime)s:%(levelname)s:…`
				// celery's `[%(asctime)s: %(levelname)s/%(processName)s] `
				if (bracket) i = skipSpaces(s, i);
			}
			at = i;
			out.prefixed = true;
		}
	}
	// most lines open with none of the prefixes: each is tried only on lines with its first letter
	const c = s.charCodeAt(at);
	const level = LEVEL_FIRST[c] === 1;
	if (level && basicPrefix(s, at, out)) return out;
	let word = level || c === 91 /* [ */ ? levelWordEnd(s, at, out) : -1;
	// `[%(name)s][%(levelname)s] - `: the name before the level
	let nameFirst = word < 0 && c === 91 ? bracketNameEnd(s, at) : -1;
	if (nameFirst >= 0 && s.charCodeAt(nameFirst + 1) === 91)
		word = levelWordEnd(s, nameFirst + 1, out);
	else nameFirst = -1;
	if (word >= 0) {
		out.prefixed = true;
		if (nameFirst >= 0) out.logger = s.slice(at + 1, nameFirst);
		at = word;
		if (s.startsWith('| ', at)) at += 2; // loguru: `… | ERROR    | name:function:line - `
		let structured = nameFirst >= 0;
		const name = bracketNameEnd(s, at);
		if (name >= 0) {
			out.logger = s.slice(at + 1, name);
			at = skipSpaces(s, name + 1);
			structured = true;
		}
		const file = fileFieldEnd(s, at);
		if (file >= 0) {
			out.fileField = true;
			at = skipSpaces(s, file);
			structured = true;
		}
		if (s.startsWith('[dd.', at)) {
			// logs injection: `[dd.service=x dd.env=y … dd.trace_id=0 dd.span_id=0] `
			const end = s.indexOf(']', at);
			if (end > at) {
				at = end + 1;
				if (s.charCodeAt(at) === 32) at++;
				structured = true;
			}
		}
		if (s.startsWith('- ', at)) at += 2;
		else if (!structured) {
			NAME_SEP.lastIndex = at;
			const ns = NAME_SEP.exec(s);
			NAME_WHERE.lastIndex = at;
			const nw = ns ? null : NAME_WHERE.exec(s);
			if (ns) {
				out.logger = ns[1];
				at += ns[0].length;
			} else if (nw) {
				out.logger = nw[1];
				at += nw[0].length;
			} else {
				MODULE_FUNC.lastIndex = at;
				const mf = MODULE_FUNC.exec(s);
				if (mf) at += mf[0].length;
			}
		}
		out.msg = s.slice(at);
		return out;
	}
	const rest = s.slice(at);
	out.msg = rest;
	if (c !== 100 /* d */ || !rest.startsWith('ddtrace')) return out;
	let m = NAME_LEVEL.exec(rest);
	if (m) {
		out.logger = m[1];
		out.level = LEVELS[m[2]];
		out.prefixed = true;
		out.msg = rest.slice(m[0].length);
		return out;
	}
	m = NAME_COLON.exec(rest);
	if (m) {
		out.logger = m[1];
		out.prefixed = true;
		out.msg = rest.slice(m[0].length);
		return out;
	}
	NAME_WHERE.lastIndex = at;
	m = NAME_WHERE.exec(s);
	if (m) {
		// loguru's line pasted without its time and level: `ddtrace.x:handle:158 - message`
		out.logger = m[1];
		out.prefixed = true;
		out.msg = s.slice(at + m[0].length);
	}
	return out;
}

function isDdLogger(name: string): boolean {
	return name === 'ddtrace' || name.startsWith('ddtrace.');
}

/** `…, 12 additional messages skipped` (≤ 3.4) or `… [12 skipped]` (3.5+): the rate limiter. */
export function splitRepeat(msg: string): { msg: string; repeat?: number } {
	if (msg.endsWith(' additional messages skipped')) {
		const m = /, (\d{1,12}) additional messages skipped$/.exec(msg);
		if (m) return { msg: msg.slice(0, m.index), repeat: Number(m[1]) + 1 };
	} else if (msg.endsWith(' skipped]')) {
		const m = / \[(\d{1,12}) skipped\]$/.exec(msg);
		if (m) return { msg: msg.slice(0, m.index), repeat: Number(m[1]) + 1 };
	}
	return { msg };
}

// ---------------------------------------------------------------------------------------------
// Message templates

type T =
	| 'config'
	| 'diag'
	| 'sent'
	| 'gotSent'
	| 'got'
	| 'reported'
	| 'sending'
	| 'conn'
	| 'failAgent'
	| 'dropping'
	| 'cannotSend'
	| 'put'
	| 'prepare'
	| 'unsupported'
	| 'downgradeRetry'
	| 'downgradeDrop'
	| 'finish'
	| 'start'
	| 'encoding'
	| 'partial'
	| 'writing'
	| 'progress'
	| 'rateSampler'
	| 'ddSampler'
	| 'updated'
	| 'decision'
	| 'patched'
	| 'configured'
	| 'telemetryFail'
	| 'statsFail'
	| 'statsFinal'
	| 'statsHttp'
	| 'statsOk'
	| 'llmobsFail'
	| 'agentHttp'
	| 'rcConn'
	| 'dogstatsd'
	| 'uploadFail'
	| 'exportFail'
	| 'legacyHttp'
	| 'warnOther'
	| 'marker';

const CONFIG = '- DATADOG TRACER CONFIGURATION - ';
const DIAG = '- DATADOG TRACER DIAGNOSTIC - ';
const SENT =
	/^sent (\d{1,20}(?:\.\d{1,10})?[KMGT]?B) in (\d{1,10}(?:\.\d{1,10})?)s to (\S{1,2000})/;
const GOT = /^Got response: (\d{3})(?: (.{0,300}))?$/;
const REPORTED = /^reported (\d{1,12}) traces in (\d{1,10}(?:\.\d{1,10})?)s/;
const PUT = /^PUT (\S{1,2000}) with payload (\d{1,15})b/;
const ENCODING = /^Encoding (\d{1,12}) spans\. Spans processed: (\d{1,12})/;
const PARTIAL = /^Partially flushing (\d{1,12}) spans for trace (\d{1,50})/;
const WRITING = /^writing (\d{1,12}) spans \(enabled:(\w{1,10})\)/;
const PROGRESS = /^trace (\d{1,50}) has (\d{1,12}) spans, (\d{1,12}) finished/;
const PATCHED = /^patched (\d{1,6})\/(\d{1,6}) modules \(([^)]{0,100000})\)/;
const CONFIGURED = /^Configured ddtrace instrumentation for (\d{1,6}) integration\(s\)/;
// the stats writer's success (INFO `sent %s to %s`, no duration)
const STATS_OK = /^sent \d{1,20}(?:\.\d{1,10})?[KMGT]?B to \S{1,2000}$/;
const STATS_FAIL = /^failed to submit (span|pathway) stats to the Datadog agent at (\S{1,2000})/;
const STATS_FINAL =
	/^retry limit exceeded submitting (span|pathway) stats to the Datadog agent at (\S{1,2000})/;
const AGENT_HTTP = /^Unexpected error: HTTP error status (\d{3}), reason (.{0,300})$/;
const CANNOT_SEND = /^cannot send (?:spans|services)(?::| to) /;
const LEGACY_HTTP = /^failed_to_send (?:traces|services) to Agent: HTTP error status \d{3}/;
const WAITING = /^Waiting \d{1,5} seconds for tracer to finish/;
const NOT_ENABLED = /^integration \w{1,100} not enabled \(missing required module/;

/** A ddtrace template and how distinctive it is for detection. */
interface Kind {
	readonly t: T;
	readonly score: number;
}

/** Every template with its score, made once: classify() reads every line. */
const KIND = {
	agentHttp6: { t: 'agentHttp', score: 6 },
	cannotSend6: { t: 'cannotSend', score: 6 },
	config15: { t: 'config', score: 15 },
	config20: { t: 'config', score: 20 },
	configured15: { t: 'configured', score: 15 },
	conn12: { t: 'conn', score: 12 },
	ddSampler10: { t: 'ddSampler', score: 10 },
	decision12: { t: 'decision', score: 12 },
	diag15: { t: 'diag', score: 15 },
	dogstatsd4: { t: 'dogstatsd', score: 4 },
	downgradeDrop12: { t: 'downgradeDrop', score: 12 },
	downgradeRetry10: { t: 'downgradeRetry', score: 10 },
	dropping15: { t: 'dropping', score: 15 },
	encoding15: { t: 'encoding', score: 15 },
	failAgent12: { t: 'failAgent', score: 12 },
	failAgent15: { t: 'failAgent', score: 15 },
	finish15: { t: 'finish', score: 15 },
	got5: { t: 'got', score: 5 },
	gotSent12: { t: 'gotSent', score: 12 },
	llmobsFail12: { t: 'llmobsFail', score: 12 },
	marker10: { t: 'marker', score: 10 },
	marker15: { t: 'marker', score: 15 },
	marker3: { t: 'marker', score: 3 },
	partial12: { t: 'partial', score: 12 },
	patched10: { t: 'patched', score: 10 },
	prepare4: { t: 'prepare', score: 4 },
	progress12: { t: 'progress', score: 12 },
	put5: { t: 'put', score: 5 },
	rateSampler10: { t: 'rateSampler', score: 10 },
	rcConn10: { t: 'rcConn', score: 10 },
	reported8: { t: 'reported', score: 8 },
	sending12: { t: 'sending', score: 12 },
	sending6: { t: 'sending', score: 6 },
	sent12: { t: 'sent', score: 12 },
	start12: { t: 'start', score: 12 },
	statsFail12: { t: 'statsFail', score: 12 },
	statsFinal12: { t: 'statsFinal', score: 12 },
	statsHttp12: { t: 'statsHttp', score: 12 },
	statsHttp8: { t: 'statsHttp', score: 8 },
	statsOk4: { t: 'statsOk', score: 4 },
	telemetryFail12: { t: 'telemetryFail', score: 12 },
	unsupported12: { t: 'unsupported', score: 12 },
	updated12: { t: 'updated', score: 12 },
	uploadFail5: { t: 'uploadFail', score: 5 },
	exportFail5: { t: 'exportFail', score: 5 },
	legacyHttp10: { t: 'legacyHttp', score: 10 },
	warnOther10: { t: 'warnOther', score: 10 },
	warnOther12: { t: 'warnOther', score: 12 },
	warnOther8: { t: 'warnOther', score: 8 },
	writing12: { t: 'writing', score: 12 }
} satisfies Record<string, Kind>;

/**
 * Which ddtrace template a message is, and how distinctive it is for detection. A template with a
 * new first character needs it in DDTRACE_FIRST too.
 */
export function classify(msg: string): Kind | undefined {
	if (msg.length < 6) return undefined;
	switch (msg.charCodeAt(0)) {
		case 45 /* - */:
			if (msg.startsWith(CONFIG)) {
				return msg.includes(`'lang': 'python'`) || msg.includes(`"lang": "python"`)
					? KIND.config20
					: KIND.config15;
			}
			if (msg.startsWith(DIAG)) return KIND.diag15;
			return undefined;
		case 115 /* s */:
			if (msg.startsWith('sent ')) {
				if (SENT.test(msg)) return KIND.sent12;
				if (STATS_OK.test(msg)) return KIND.statsOk4;
			}
			return undefined;
		case 71 /* G */:
			if (msg.startsWith('Got response: ')) {
				if (msg.includes(' sent ') && msg.includes('s to ')) return KIND.gotSent12;
				if (GOT.test(msg)) return KIND.got5;
			}
			return undefined;
		case 114 /* r */:
			if (msg.startsWith('reported ') && REPORTED.test(msg)) return KIND.reported8;
			if (msg.startsWith('retry limit exceeded submitting ') && STATS_FINAL.test(msg))
				return KIND.statsFinal12;
			return undefined;
		case 83 /* S */:
			if (msg.startsWith('Sending request: ')) {
				return msg.includes('Datadog-Meta-') || msg.includes('/traces')
					? KIND.sending12
					: KIND.sending6;
			}
			if (msg.startsWith('Starting span: ') && msg.includes(' spans in the span aggregator'))
				return KIND.start12;
			if (msg.startsWith('Sampling decision applied to ')) return KIND.decision12;
			if (msg.startsWith('Shutting down tracer with ')) return KIND.warnOther10;
			return undefined;
		case 99 /* c */:
			if (msg.startsWith('creating new intake connection to ')) return KIND.conn12;
			// `cannot send spans: %s` (0.6–0.11), `cannot send spans to host:port: %s` (0.12–0.2x)
			if (CANNOT_SEND.test(msg)) return KIND.cannotSend6;
			if (msg.startsWith("calling endpoint '") || msg.startsWith('calling endpoint "')) {
				if (msg.includes('downgrading API')) return KIND.downgradeRetry10;
			}
			return undefined;
		case 67 /* C */:
			if (msg.startsWith("Calling endpoint '") && msg.includes('downgrading API'))
				return KIND.downgradeDrop12;
			if (CONFIGURED.test(msg)) return KIND.configured15;
			return undefined;
		case 102 /* f */:
			if (msg.startsWith('failed to send')) {
				if (msg.startsWith('failed to send, dropping ')) return KIND.dropping15;
				if (
					msg.startsWith('failed to send traces to Datadog Agent at ') ||
					msg.startsWith('failed to send traces to intake at ')
				)
					return KIND.failAgent15;
				// `… to the Datadog Agent at %s` (1.x–2.9), `… to the %s at %s` (2.10), `… to %s.` (2.11–2.18)
				if (msg.startsWith('failed to send telemetry to ')) return KIND.telemetryFail12;
				if (msg.startsWith('failed to send stats payload, ')) return KIND.statsHttp12;
				if (/^failed to send \d{1,12} LLMObs /.test(msg)) return KIND.llmobsFail12;
				return undefined;
			}
			// 0.8–0.2x: `failed_to_send traces|services to Agent: HTTP error status %s, …`
			if (msg.startsWith('failed_to_send ') && LEGACY_HTTP.test(msg)) return KIND.legacyHttp10;
			if (msg.startsWith('finishing span ') && msg.includes('(enabled:')) return KIND.finish15;
			if (msg.startsWith('failed to submit ') && STATS_FAIL.test(msg)) return KIND.statsFail12;
			if (msg.startsWith('failed to encode trace with encoder')) return KIND.warnOther8;
			return undefined;
		case 70 /* F */:
			if (msg.startsWith('Failed to send traces to Datadog Agent at ')) return KIND.failAgent12;
			if (msg.startsWith('Failed to send Instrumentation Telemetry to '))
				return KIND.telemetryFail12;
			if (msg.startsWith('Failed to upload payload')) return KIND.uploadFail5;
			if (msg.startsWith('Flushing payload Payload(')) return KIND.prepare4;
			return undefined;
		case 69 /* E */:
			if (msg.startsWith('Encoding ') && ENCODING.test(msg)) return KIND.encoding15;
			if (msg.startsWith('Error submitting packet: ')) return KIND.dogstatsd4;
			// the native profiler's uploader (libdatadog's `ddog_prof_Exporter_send`), to stderr
			if (msg.startsWith('Error uploading (') && msg.includes('ddog_prof_Exporter'))
				return KIND.uploadFail5;
			return undefined;
		case 80 /* P */:
			if (msg.startsWith('Partially flushing ') && PARTIAL.test(msg)) return KIND.partial12;
			if (msg.startsWith('PUT ') && PUT.test(msg)) return KIND.put5;
			return undefined;
		case 119 /* w */:
			if (msg.startsWith('writing ') && WRITING.test(msg)) return KIND.writing12;
			return undefined;
		case 116 /* t */:
			if (msg.startsWith('trace ')) {
				if (PROGRESS.test(msg)) return KIND.progress12;
				if (
					(msg.startsWith('trace buffer (') && msg.includes('cannot fit trace of size')) ||
					(msg.startsWith('trace (') &&
						// `… payload limit (%db), dropping` is 0.44–0.50's wording
						(msg.includes('larger than payload buffer item limit') ||
							msg.includes('larger than payload limit')))
				)
					return KIND.warnOther12;
			}
			return undefined;
		case 105 /* i */:
			if (msg.startsWith('initialized RateSampler, sample ')) return KIND.rateSampler10;
			if (msg.startsWith('initialized DatadogSampler(')) return KIND.ddSampler10;
			if (NOT_ENABLED.test(msg)) return KIND.marker10;
			return undefined;
		case 85 /* U */:
			if (msg.startsWith('Updated DatadogSampler with ')) return KIND.updated12;
			if (msg.startsWith('Unexpected error: HTTP error status ') && AGENT_HTTP.test(msg))
				return KIND.agentHttp6;
			if (msg.startsWith('Unexpected connection error in remote config client request'))
				return KIND.rcConn10;
			// the profiler's upload failed (ExportError), 1.x–3.9
			if (msg.startsWith('Unable to export profile: ')) return KIND.uploadFail5;
			// the profiler scheduler's catch-all (`LOG.exception`): its traceback says what failed
			if (msg.startsWith('Unexpected error while exporting events')) return KIND.exportFail5;
			return undefined;
		case 101 /* e */:
			// ≤ 0.5 `log.exception`, for traces and services alike: the traceback names which
			if (msg.startsWith('error sending spans')) return KIND.cannotSend6;
			return undefined;
		case 117 /* u */:
			if (msg.startsWith("unsupported endpoint '")) return KIND.unsupported12;
			return undefined;
		case 112 /* p */:
			if (msg.startsWith('patched ') && PATCHED.test(msg)) return KIND.patched10;
			return undefined;
		case 100 /* d */:
			if (msg.startsWith('debug mode has been enabled for the ddtrace logger'))
				return KIND.marker15;
			if (msg.startsWith('ddtrace logs will be routed to ')) return KIND.marker15;
			return undefined;
		case 65 /* A */:
			if (msg.startsWith('Attempting to flush Payload(')) return KIND.prepare4;
			return undefined;
		case 81 /* Q */:
			if (msg.startsWith('Queuing trace with ')) return KIND.marker3;
			return undefined;
		case 87 /* W */:
			if (WAITING.test(msg)) return KIND.marker10;
			if (msg.startsWith('Writer queue is full has more than ')) return KIND.warnOther8;
			return undefined;
		case 84 /* T */:
			if (
				msg.startsWith('Trace is too big to fit in a payload') ||
				msg.startsWith('Trace is larger than the max payload size')
			)
				return KIND.warnOther8;
			return undefined;
		default:
			if (msg.startsWith('Datadog agent does not support ')) return KIND.statsHttp8;
			return undefined;
	}
}

/** One line read: its prefix, its message without the rate limiter's note, its template. */
interface ReadLine {
	p: PyLine;
	msg: string;
	repeat?: number;
	k: ReturnType<typeof classify>;
}

/**
 * The lines read last. The router asks detect() about every line of the current tracer before its
 * session reads it, and the session reads a record's first line when the next record starts: the
 * two lines read last spare reading a line twice.
 */
let lastText: string | undefined;
let lastLine: ReadLine | undefined;
let priorText: string | undefined;
let priorLine: ReadLine | undefined;

/** The rate limiter's note ends only a few lines: splitRepeat() only on those. */
function mayEndWithRepeat(text: string): boolean {
	// most lines end with neither `]` nor `d`: one character read for them
	const last = text.charCodeAt(text.length - 1);
	if (last !== 93 /* ] */ && last !== 100 /* d */) return false;
	return text.endsWith(' skipped]') || text.endsWith(' additional messages skipped');
}

/** 1 at the characters a line prefix (parsePrefix) or a template (classify) starts with. */
const DDTRACE_FIRST = new Uint8Array(128);
for (const c of '0123456789[{DIWECFd>' + '-sGrScCfFEPwtiUupAQWTe')
	DDTRACE_FIRST[c.charCodeAt(0)] = 1;

/**
 * A line that can be no ddtrace record, without reading it: it opens with neither a prefix nor a
 * template (`no traceparent header`, an app's print) and has no rate limiter's note.
 */
export function plainLine(s: string): boolean {
	const c = s.charCodeAt(0);
	return c > 32 && c < 128 && DDTRACE_FIRST[c] === 0 && !mayEndWithRepeat(s);
}

function readLine(s: string): ReadLine {
	if (s === lastText) return lastLine!;
	if (s === priorText) return priorLine!;
	const p = parsePrefix(s);
	let msg = p.msg;
	let repeat: number | undefined;
	if (mayEndWithRepeat(msg)) {
		const split = splitRepeat(msg);
		msg = split.msg;
		repeat = split.repeat;
	}
	const read = { p, msg, repeat, k: classify(msg) };
	priorText = lastText;
	priorLine = lastLine;
	lastText = s;
	lastLine = read;
	return read;
}

function detect(text: string): number {
	if (text.length < 6) return 0;
	const s = stripContainer(text);
	const c = s.charCodeAt(0);
	if (c === 32 || c === 9) {
		// a traceback frame inside the tracer's own package
		const t = s.trimStart();
		return t.startsWith('File "') && t.includes('/ddtrace/') && t.includes('.py", line ') ? 10 : 0;
	}
	if (plainLine(s)) return 0;
	const { p, repeat, k } = readLine(s);
	let score = 0;
	if (p.logger !== undefined) {
		if (!isDdLogger(p.logger)) return 0;
		score = p.logger.startsWith('ddtrace.') || p.fileField ? 15 : 6;
	}
	if (k && k.score > score) score = k.score;
	if (repeat !== undefined) score += 3;
	if (score > 0 && score < 10 && p.time !== undefined && p.level !== undefined) score += 2;
	return score;
}

// ---------------------------------------------------------------------------------------------
// Python literals: the start-up config is JSON (≤ 2.1.7 / 1.20.13) or a dict repr (later)

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

const MAX_DEPTH = 40;

/** Tolerant parser for JSON and Python literal reprs; returns what it could read. Never throws. */
export function parsePyLiteral(src: string): PyValue | undefined {
	let i = 0;
	const n = src.length;
	const ws = () => {
		while (i < n) {
			const c = src.charCodeAt(i);
			if (c === 32 || c === 10 || c === 13 || c === 9) i++;
			else break;
		}
	};
	// where the next `\` at or after i is (-1: none), looked for again once i has passed it: the
	// text is searched with indexOf, never read character by character (a config is 2–3 kB)
	let backslash = -2;
	const str = (q: number): string => {
		i++; // opening quote
		let out = '';
		let from = i;
		const quote = q === 39 ? "'" : '"';
		let end = -2; // the next closing quote, as `backslash`
		for (;;) {
			if (end !== -1 && end < i) end = src.indexOf(quote, i);
			if (backslash !== -1 && backslash < i) backslash = src.indexOf('\\', i);
			if (backslash < 0 || (end >= 0 && end < backslash)) {
				// no escape before the closing quote
				if (end < 0) break;
				out += src.slice(from, end);
				i = end + 1;
				return out;
			}
			i = backslash;
			if (i + 1 >= n) break; // a lone `\` at the very end
			out += src.slice(from, i);
			const e = src[i + 1];
			i += 2;
			if (e === 'n') out += '\n';
			else if (e === 't') out += '\t';
			else if (e === 'r') out += '\r';
			else if ((e === 'u' || e === 'x') && i < n) {
				const len = e === 'u' ? 4 : 2;
				const hex = src.slice(i, i + len);
				if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
					out += String.fromCharCode(parseInt(hex, 16));
					i += len;
				} else out += e;
			} else out += e;
			from = i;
		}
		i = n;
		return out + src.slice(from); // unterminated: keep what there is
	};
	// an unknown token (`<object at 0x…>`, `datetime.date(…)`): raw text up to the next separator
	const raw = (): string => {
		const from = i;
		let depth = 0;
		while (i < n) {
			const c = src.charCodeAt(i);
			if (c === 40 || c === 60 || c === 91 || c === 123) depth++;
			else if (c === 41 || c === 62 || c === 93 || c === 125) {
				if (depth === 0) break;
				depth--;
			} else if (c === 44 && depth === 0) break;
			else if ((c === 39 || c === 34) && depth > 0) {
				str(c);
				continue;
			}
			i++;
		}
		return src.slice(from, i).trim();
	};
	const value = (depth: number): PyValue | undefined => {
		ws();
		if (i >= n) return undefined;
		const c = src.charCodeAt(i);
		if (c === 39 || c === 34) return str(c);
		if (c === 123 /* { */ || c === 91 /* [ */ || c === 40 /* ( */) {
			if (depth >= MAX_DEPTH) return raw();
			const isDict = c === 123;
			const close = c === 123 ? 125 : c === 91 ? 93 : 41;
			i++;
			const obj: { [k: string]: PyValue } = Object.create(null);
			let keys = 0; // obj's keys (counted: listing them to see if there is one costs)
			const arr: PyValue[] = [];
			for (;;) {
				ws();
				if (i >= n) break;
				if (src.charCodeAt(i) === close) {
					i++;
					break;
				}
				const before = i;
				const v = value(depth + 1);
				ws();
				if (isDict && src.charCodeAt(i) === 58 /* : */) {
					i++;
					const val = value(depth + 1);
					const key = v === null ? 'None' : typeof v === 'object' ? JSON.stringify(v) : String(v);
					if (key !== '__proto__') {
						obj[key] = val === undefined ? null : val;
						keys++;
					}
				} else if (v !== undefined) {
					arr.push(v);
				}
				ws();
				if (src.charCodeAt(i) === 44 /* , */) i++;
				else if (src.charCodeAt(i) !== close) {
					if (i === before) i++; // never stall on a stray character
					if (i >= n) break;
				}
			}
			return isDict && (keys > 0 || arr.length === 0) ? obj : arr;
		}
		if (c === 45 || c === 43 || (c >= 48 && c <= 57)) {
			const m = /^[-+]?[0-9][0-9_.eE+-]{0,60}/.exec(src.slice(i, i + 64));
			if (m) {
				i += m[0].length;
				const num = Number(m[0].replace(/_/g, ''));
				// huge integers (ids) stay text so they are never rounded
				if (Number.isFinite(num) && (Number.isSafeInteger(num) || /[.eE]/.test(m[0]))) return num;
				return m[0];
			}
		}
		// a `b'…'` / `u'…'` / `r'…'` string prefix
		if ((c === 98 || c === 117 || c === 114) && (src[i + 1] === "'" || src[i + 1] === '"')) {
			i++;
			return str(src.charCodeAt(i));
		}
		const w = /^[A-Za-z_]\w{0,40}/.exec(src.slice(i, i + 42));
		if (w) {
			const word = w[0];
			const next = src.charCodeAt(i + word.length);
			const ends =
				Number.isNaN(next) ||
				next === 44 ||
				next === 125 ||
				next === 93 ||
				next === 41 ||
				next === 32 ||
				next === 58;
			if (ends) {
				if (word === 'True' || word === 'true') return ((i += word.length), true);
				if (word === 'False' || word === 'false') return ((i += word.length), false);
				if (word === 'None' || word === 'null') return ((i += word.length), null);
			}
		}
		const r = raw();
		if (r.length === 0) i++;
		return r;
	};
	try {
		return value(0);
	} catch {
		return undefined;
	}
}

function literalText(v: PyValue | undefined): string {
	if (v === undefined || v === null) return 'null';
	if (typeof v === 'object') {
		const s = JSON.stringify(v);
		return s.length > 4000 ? s.slice(0, 4000) + '…' : s;
	}
	return String(v);
}

// ---------------------------------------------------------------------------------------------
// Span text: `_pprint()` (0.49–3.11), `Span.__repr__` (3.12+), multi-line `pprint()` (≤ 0.48)

function unquote(v: string): string {
	if (v.length >= 2) {
		const q = v[0];
		if ((q === "'" || q === '"') && v[v.length - 1] === q) {
			const inner = v.slice(1, -1);
			return inner.includes('\\') ? inner.replace(/\\(['"\\])/g, '$1') : inner;
		}
	}
	return v;
}

// a span's texts are kept in its event and its span: detached once, here, from their line

function idOf(v: string | undefined): string | undefined {
	if (!v) return undefined;
	return /^\d{1,40}$/.test(v) ? detach(v) : undefined;
}

function textOf(v: string | undefined): string | undefined {
	if (v === undefined) return undefined;
	const s = unquote(v);
	return s === 'None' || s === '' ? undefined : sharedText(s);
}

/**
 * One detached copy of each recent text: a span's name, service, resource and type repeat from
 * span to span, and events keep their fields until the file ends (one copy per span was most of
 * what the collector had to move). One text a slot, the slot picked from the length and a few
 * characters (cheaper than hashing it); a text not found is copied.
 */
const SHARED_SLOTS = 512;
const MAX_SHARED_CHARS = 300;
const sharedTexts: (string | undefined)[] = new Array(SHARED_SLOTS).fill(undefined);

function sharedText(s: string): string {
	const n = s.length;
	if (n > MAX_SHARED_CHARS) return detach(s);
	const slot =
		(n * 31 + s.charCodeAt(n - 1) * 7 + s.charCodeAt(n >> 1) * 3 + s.charCodeAt(0)) &
		(SHARED_SLOTS - 1);
	const known = sharedTexts[slot];
	if (known === s) return known;
	const copy = detach(s);
	sharedTexts[slot] = copy;
	return copy;
}

/** `key=value` fields in a known order, with the `<sep>key=` texts searched for (made once). */
interface FieldOrder {
	keys: string[];
	sep: string;
	needles: string[];
	/** The values nobody reads (`end`, `tags`): found, never cut out. */
	unread: boolean[];
	/** The values of the last text read, filled in place: every span line is read this way. */
	values: (string | undefined)[];
}

function fieldOrder(keys: string[], sep: string): FieldOrder {
	const unread = keys.map((k) => k === 'end' || k === 'tags');
	const values = keys.map(() => undefined);
	return { keys, sep, needles: keys.map((k) => sep + k + '='), unread, values };
}

/**
 * Values of `key=value` fields in a known order, by the key's index; each value ends where the
 * next key starts. The array is the order's own, valid until its next read.
 */
function fieldsInOrder(text: string, order: FieldOrder): (string | undefined)[] {
	const { keys, sep, needles, unread, values: out } = order;
	out.fill(undefined);
	let pos = text.indexOf(keys[0] + '=');
	if (pos < 0) return out;
	let k = 0;
	let valueStart = pos + keys[0].length + 1;
	while (k < keys.length) {
		let next = -1;
		let nk = k + 1;
		for (; nk < keys.length; nk++) {
			next = text.indexOf(needles[nk], valueStart);
			if (next >= 0) break;
		}
		if (next < 0) {
			if (!unread[k]) out[k] = text.slice(valueStart);
			break;
		}
		if (!unread[k]) out[k] = text.slice(valueStart, next);
		pos = next + sep.length;
		k = nk;
		valueStart = pos + keys[k].length + 1;
	}
	return out;
}

const PPRINT_KEYS = [
	'name',
	'id',
	'trace_id',
	'parent_id',
	'service',
	'resource',
	'type',
	'start',
	'end',
	'duration',
	'error',
	'tags'
];
const PPRINT_FIELDS = fieldOrder(PPRINT_KEYS, ' ');
const REPR_KEYS = [
	'name',
	'span_id',
	'parent_id',
	'trace_id',
	'service',
	'resource',
	'type',
	'start',
	'end',
	'duration',
	'error',
	'tags'
];
const REPR_FIELDS = fieldOrder(REPR_KEYS, ', ');
const SHORT_FIELDS = fieldOrder(['id', 'trace_id', 'parent_id', 'name'], ',');

/**
 * `+ms.toFixed(3)` without making a string: the nearest thousandth, ties up. Only a product too
 * near a tie (or out of the range where it is that exact) goes through toFixed.
 */
export function toMillis3(ms: number): number {
	const m = ms * 1000;
	if (m > 0 && m < 1e9) {
		const whole = Math.floor(m);
		const frac = m - whole;
		if (Math.abs(frac - 0.5) > 1e-6) return (frac > 0.5 ? whole + 1 : whole) / 1000;
	}
	return +ms.toFixed(3);
}

function secondsToMs(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const t = v.endsWith('s') ? v.slice(0, -1) : v;
	if (!isDigit(t.charCodeAt(0))) return undefined;
	const x = Number(t);
	return Number.isFinite(x) ? x * 1000 : undefined;
}

/** `name='x' id=1 trace_id=2 … error=0 tags={…}` (one-line `_pprint`). */
export function parsePprint(text: string): SpanFields {
	return pprintSpan(fieldsInOrder(text, PPRINT_FIELDS));
}

/** The span of the `pprint()` fields (in PPRINT_KEYS order), one line or several (times in seconds). */
function pprintSpan(values: (string | undefined)[]): SpanFields {
	const [name, id, traceId, parentId, service, resource, type, start, , duration, error] = values;
	return {
		name: textOf(name),
		spanId: idOf(id),
		traceId: idOf(traceId),
		parentId: idOf(parentId),
		service: textOf(service),
		resource: textOf(resource),
		type: textOf(type),
		start: secondsToMs(start),
		duration: secondsToMs(duration),
		error: error === undefined ? undefined : error.trim() !== '0'
	};
}

/** `Span(name='x', span_id=1, parent_id=None, trace_id=2, …)` (3.12+; times in ns). */
export function parseRepr(text: string): SpanFields {
	const [name, spanId, parentId, traceId, service, resource, type, start, , duration, error] =
		fieldsInOrder(text, REPR_FIELDS);
	return {
		name: textOf(name),
		spanId: idOf(spanId),
		traceId: idOf(traceId),
		parentId: idOf(parentId),
		service: textOf(service),
		resource: textOf(resource),
		type: textOf(type),
		start: start && /^\d+$/.test(start) ? nanosToMillis(start) : undefined,
		duration: duration && /^\d+$/.test(duration) ? Number(duration) / 1e6 : undefined,
		error: error === undefined ? undefined : error.trim() !== '0'
	};
}

/** `<Span(id=1,trace_id=2,parent_id=None,name=x)>` (`Span.__str__`, used by `Starting span:`). */
export function parseShort(text: string): SpanFields {
	const open = text.indexOf('<Span(');
	if (open < 0) return {};
	let body = text.slice(open + 6);
	const close = body.lastIndexOf(')>');
	if (close >= 0) body = body.slice(0, close);
	const [id, traceId, parentId, name] = fieldsInOrder(body, SHORT_FIELDS);
	return {
		spanId: idOf(id),
		traceId: idOf(traceId),
		parentId: idOf(parentId),
		name: textOf(name)
	};
}

/** The multi-line `pprint()` of ≤ 0.48: `%10s %s` lines (`      name x`, `  trace_id 2`…). */
export function parseMultiline(lines: string[]): SpanFields {
	const values = new Array<string | undefined>(PPRINT_KEYS.length).fill(undefined);
	for (const line of lines) {
		const t = line.trimStart();
		const sp = t.indexOf(' ');
		const key = sp < 0 ? t : t.slice(0, sp);
		if (key === 'tags') break;
		const k = PPRINT_KEYS.indexOf(key);
		if (k >= 0 && values[k] === undefined) values[k] = sp < 0 ? '' : t.slice(sp + 1);
	}
	return pprintSpan(values);
}

// ---------------------------------------------------------------------------------------------
// Helpers on messages

/** Trace payloads only: everything else the tracer sends the Agent is `agent.error` (R5). */
function isTraceEndpoint(url: string | undefined): boolean {
	if (!url) return true; // the trace writer's templates name a bare host:port in old versions
	return !/evp_proxy|llmobs|\/stats|telemetry|profiling|debugger|citestcycle|\/info\b|\/v0\.7\/config|datastreams|pipeline_stats/i.test(
		url
	);
}

/** `http://host:8126/v0.5/traces:` → the URL without the `:` that introduces the cause. */
function urlToken(text: string, from: number): { url: string; end: number } {
	let end = text.indexOf(' ', from);
	if (end < 0) end = text.length;
	let url = text.slice(from, end);
	while (url.endsWith(':') || url.endsWith('.') || url.endsWith(',')) url = url.slice(0, -1);
	return { url, end };
}

function statusIn(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const m =
		/(?:HTTP error status|Error code:|status(?: code)?:?|response(?: code)?:?) ?(\d{3})\b/i.exec(
			text
		);
	return m ? Number(m[1]) : undefined;
}

/** The exception lines of a traceback (first = the original cause in a chain). */
function exceptionsOf(lines: string[]): string[] {
	const out: string[] = [];
	let inTb = false;
	for (let i = 1; i < lines.length; i++) {
		const l = lines[i];
		if (l.startsWith('Traceback (most recent call last)')) {
			inTb = true;
			continue;
		}
		if (!inTb || l.length === 0) continue;
		const c = l.charCodeAt(0);
		if (c === 32 || c === 9) continue;
		if (l.startsWith('The above exception') || l.startsWith('During handling of the above'))
			continue;
		out.push(l.length > 500 ? l.slice(0, 500) : l);
	}
	return out;
}

/** `s` as one string rather than a tree of the parts it was joined from. */
function flat(s: string): string {
	s.charCodeAt(0);
	return s;
}

function clip(s: string, n = 200): string {
	return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function num(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const x = Number(v);
	return Number.isFinite(x) ? x : undefined;
}

// ---------------------------------------------------------------------------------------------
// Session

/** Exceptions of a failed HTTP request (the profiler's upload). */
const UPLOAD_EXC =
	/^(?:[\w.]{1,200}\.)?(?:Connection\w{0,30}Error|TimeoutError|timeout|RemoteDisconnected|URLError|UploadFailed|gaierror|OSError)\b/;

// `ValueError: x`, `tenacity.RetryError: RetryError[…]`, `KeyboardInterrupt`
const EXC_LINE = /^[A-Za-z_][\w.]{0,200}(?::(?: |$)|$)/;

/** Event fields before the undefined ones are dropped. */
type Fields = Record<string, FieldValue | undefined>;

interface Rec {
	start: number;
	end: number;
	time?: number;
	zone?: string;
	level?: Level;
	msg: string;
	repeat?: number;
	lines: string[];
}

interface Attempt {
	ev: LogEvent;
	tries: number;
	traces?: number;
	endpoint?: string;
	status?: number;
	reason?: string;
}

interface Pending {
	rec: Rec;
	fields: Fields;
	status?: number;
	reason?: string;
}

function createSession(out: Emitter): ParserSession {
	// continuation state (tracebacks, pretty-printed config, ≤ 0.48 span dumps)
	let tb = false;
	let lastIndented = false;
	let chain = false;
	let nextCont = false;

	let attempt: Attempt | undefined;
	let pending: Pending | undefined;
	let lastGot: { status: number; reason?: string } | undefined;
	// an HTTP error already counted from its `sent` line: its restating line folds into it
	let foldHttp: number | undefined;
	let rateAwait = false;
	let statsOpen = false;
	let sawFinishing = false;
	let intakeUrl: string | undefined;
	let configSeen = false;
	let last: { msg: string; prefixed: boolean; end: number } | undefined;

	const emit = (
		kind: EventKind,
		rec: Rec,
		level: Level | undefined,
		summary: string,
		fields: Fields,
		/** The summary and fields are made of texts detached already (a span's). */
		detached = false
	): LogEvent => {
		// kept until the file ends: texts cut from the line are detached from it (unless already)
		const clean: EventFields = {};
		for (const k in fields) {
			const v = fields[k];
			if (v !== undefined) clean[k] = typeof v === 'string' && !detached ? detach(v) : v;
		}
		return out.event({
			kind,
			line: rec.start,
			endLine: rec.end,
			time: rec.time,
			zone: rec.zone,
			level,
			repeat: rec.repeat,
			summary: detached ? flat(clip(summary, 300)) : detach(clip(summary, 300)),
			fields: clean
		});
	};

	const fullUrl = (endpoint: string): string => {
		if (/^[a-z+]+:\/\//i.test(endpoint) || !intakeUrl) return endpoint;
		return intakeUrl.replace(/\/+$/, '') + '/' + endpoint.replace(/^\/+/, '');
	};

	const closeAttempt = (fields: Fields) => {
		if (!attempt) return;
		fields.attemptEvent = attempt.ev.id;
		if (fields.traces === undefined && attempt.traces !== undefined) fields.traces = attempt.traces;
		if (fields.endpoint === undefined && attempt.endpoint) fields.endpoint = attempt.endpoint;
		if (attempt.tries > 1) fields.tries = attempt.tries;
		attempt = undefined;
	};

	const flushOk = (rec: Rec, fields: Fields) => {
		closeAttempt(fields);
		const where = typeof fields.endpoint === 'string' ? ` to ${fields.endpoint}` : '';
		const size = typeof fields.bytes === 'string' ? ` ${fields.bytes}` : '';
		const n = fields.traces;
		const traces = typeof n === 'number' ? ` (${n} trace${n === 1 ? '' : 's'})` : '';
		emit('flush.ok', rec, rec.level ?? 'debug', `Sent${size}${traces}${where}.`, fields);
		rateAwait = true;
	};

	const flushError = (rec: Rec, fields: Fields, what?: string) => {
		closeAttempt(fields);
		const parts = [what ?? 'Failed to send traces'];
		if (typeof fields.endpoint === 'string') parts.push(`to ${fields.endpoint}`);
		let s = parts.join(' ');
		if (typeof fields.status === 'number') s += `: HTTP ${fields.status}`;
		else if (typeof fields.reason === 'string') s += `: ${fields.reason}`;
		emit('flush.error', rec, rec.level ?? 'error', s + '.', fields);
	};

	const resolvePending = () => {
		const p = pending;
		if (!p) return;
		pending = undefined;
		if (p.status !== undefined && p.status >= 400) {
			p.fields.status = p.status;
			if (p.reason) p.fields.reason = p.reason;
			flushError(p.rec, p.fields, 'The Agent rejected a trace payload');
			foldHttp = p.status;
		} else flushOk(p.rec, p.fields);
	};

	// `dflt`: the level the source logs it at, for bare lines that show none
	const agentError = (rec: Rec, summary: string, fields: Fields, dflt: Level = 'error') => {
		emit('agent.error', rec, rec.level ?? dflt, summary, fields);
	};

	const emitSpan = (rec: Rec, st: SpanFields, kind: 'span.finish' | 'span.start') => {
		const fields: Fields = {
			traceId: st.traceId,
			spanId: st.spanId,
			parentId: st.parentId,
			name: st.name,
			service: st.service,
			resource: st.resource,
			type: st.type,
			error: st.error,
			duration: st.duration
		};
		const label = st.name
			? `${st.name}${st.resource && st.resource !== st.name ? ` ${st.resource}` : ''}`
			: 'span';
		const verb = kind === 'span.finish' ? 'Finished' : 'Started';
		const dur =
			kind === 'span.finish' && st.duration !== undefined ? ` in ${toMillis3(st.duration)} ms` : '';
		const ev = emit(
			kind,
			rec,
			rec.level ?? 'debug',
			`${verb} ${clip(label, 120)}${dur}${st.error ? ' (error)' : ''}.`,
			fields,
			true
		);
		if (kind === 'span.finish' && st.traceId && st.spanId) {
			out.span({
				traceId: st.traceId,
				spanId: st.spanId,
				parentId: st.parentId,
				name: st.name,
				service: st.service,
				resource: st.resource,
				type: st.type,
				error: st.error,
				start: st.start ?? rec.time,
				duration: st.duration,
				line: rec.start,
				event: ev.id
			});
		}
	};

	const onConfig = (rec: Rec) => {
		let payload = rec.msg.slice(CONFIG.length);
		if (rec.lines.length > 1) payload += '\n' + rec.lines.slice(1).join('\n');
		const parsed = parsePyLiteral(payload);
		const obj: { [k: string]: PyValue } =
			parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
		const flat: Record<string, string> = {};
		for (const [k, v] of Object.entries(obj)) flat[k] = literalText(v);
		const str = (k: string): string | undefined => {
			const v = obj[k];
			return v === undefined || v === null || v === '' ? undefined : literalText(v);
		};
		const fields: Fields = {
			version: str('version'),
			agentUrl: str('agent_url'),
			service: str('service'),
			env: str('env'),
			agentError: str('agent_error')
		};
		const version = str('version');
		emit(
			'tracer.config',
			rec,
			rec.level ?? 'info',
			`Tracer configuration${version ? ` (ddtrace ${version})` : ''}${fields.service ? `, service ${fields.service}` : ''}.`,
			fields
		);
		if (Object.keys(flat).length) out.config(flat);
		// 3.19+ sends through the native writer, which logs failed payloads only
		if (version && versionAtLeast(version, 3, 19)) out.logsSuccess?.(false);
		out.info({
			tracerVersion: version,
			agentUrl: str('agent_url'),
			service: str('service'),
			env: str('env'),
			version: str('dd_version'),
			sampleRate: str('sample_rate'),
			debug: str('debug'),
			lang: str('lang') ?? 'python',
			langVersion: str('lang_version')
		});
		configSeen = true;
	};

	const onDiag = (rec: Rec) => {
		const text = rec.msg.slice(DIAG.length);
		const at = text.indexOf('Agent not reachable');
		if (at < 0) {
			// "Failed to collect start-up logs: …" — a failed diagnostic that is not about the Agent
			emit('log.other', rec, rec.level ?? 'warn', clip(text), { reason: clip(text, 500) });
			return;
		}
		let endpoint: string | undefined;
		const rest = text.slice(at + 'Agent not reachable'.length);
		if (rest.startsWith(' at ')) endpoint = urlToken(rest, 4).url;
		const ex = rest.indexOf('Exception raised: ');
		const reason = ex >= 0 ? rest.slice(ex + 'Exception raised: '.length).trim() : undefined;
		// the start-up agent check: its tries end here, with no flush outcome line
		attempt = undefined;
		agentError(
			rec,
			`Agent not reachable${endpoint ? ` at ${endpoint}` : ''}${reason ? `: ${reason}` : ''}.`,
			{ endpoint, reason: reason ? clip(reason, 500) : undefined, diagnostic: true },
			'warn'
		);
	};

	const onSending = (rec: Rec) => {
		const rest = rec.msg.slice('Sending request: '.length);
		let method: string | undefined;
		let endpoint: string | undefined;
		if (rest.startsWith('Method=')) {
			method = rest.slice(7, rest.indexOf(' ') > 0 ? rest.indexOf(' ') : undefined);
			const e = rest.indexOf(' Endpoint=');
			if (e >= 0) endpoint = urlToken(rest, e + 10).url;
		} else {
			const sp = rest.indexOf(' ');
			method = sp > 0 ? rest.slice(0, sp) : rest;
			if (sp > 0) endpoint = urlToken(rest, sp + 1).url;
		}
		lastGot = undefined;
		if (!isTraceEndpoint(endpoint)) return;
		const tc = /X-Datadog-Trace-Count['"]?: ?['"]?(\d{1,12})/.exec(rest);
		const traces = tc ? Number(tc[1]) : undefined;
		const tv = /Datadog-Meta-Tracer-Version['"]?: ?['"]([\w.+-]{1,40})/.exec(rest);
		if (tv && !configSeen) out.info({ tracerVersion: tv[1], lang: 'python' });
		const size = /PayloadSize=(\S{1,30})/.exec(rest)?.[1];
		foldHttp = undefined;
		if (
			attempt &&
			(traces === undefined || attempt.traces === undefined || attempt.traces === traces)
		) {
			attempt.tries++; // a retry of the same payload (R2)
			attempt.status = undefined;
			return;
		}
		const url = endpoint ? fullUrl(endpoint) : undefined;
		const fields: Fields = { endpoint: url, traces, method, bytes: size };
		const ev = emit(
			'flush.attempt',
			rec,
			rec.level ?? 'debug',
			`Sending${traces !== undefined ? ` ${traces} trace${traces === 1 ? '' : 's'}` : ' a trace payload'}${url ? ` to ${url}` : ''}.`,
			fields
		);
		attempt = { ev, tries: 1, traces, endpoint: url };
	};

	const onSent = (
		rec: Rec,
		size: string,
		secs: string,
		url: string,
		status?: number,
		reason?: string
	) => {
		const got = status !== undefined ? { status, reason } : lastGot;
		lastGot = undefined;
		if (!isTraceEndpoint(url)) return;
		foldHttp = undefined;
		const st = got?.status ?? attempt?.status;
		const fields: Fields = { endpoint: url, bytes: size, seconds: num(secs), status: st };
		if (st !== undefined && st < 400) {
			flushOk(rec, fields);
			return;
		}
		// 0.x logs no status, and 1.x/2.x log `sent` before checking it: the next line decides
		pending = { rec, fields, status: st, reason: got?.reason ?? attempt?.reason };
	};

	const onFailAgent = (rec: Rec) => {
		const msg = rec.msg;
		const atIdx = msg.indexOf(' at ') + 4;
		// ≤ 0.27 printed the API object: `… at <ddtrace.api.API object at 0x7f…>: cause`
		const repr = msg.charCodeAt(atIdx) === 60 /* < */ ? msg.indexOf('>', atIdx) : -1;
		const { url, end } = repr > 0 ? { url: undefined, end: repr + 1 } : urlToken(msg, atIdx);
		let rest = msg.slice(end).trim();
		if (repr > 0 && rest.startsWith(': ')) rest = rest.slice(2);
		const status = statusIn(rest);
		let reason: string | undefined;
		if (status !== undefined) {
			const r = /reason (.*?)(?:, (?:message|payload) |$)/.exec(rest.slice(0, 1000));
			reason = r ? r[1] : undefined;
		} else if (rest) reason = rest;
		else reason = exceptionsOf(rec.lines)[0];
		if (!isTraceEndpoint(url)) {
			agentError(rec, clip(msg), { endpoint: url, status, reason });
			return;
		}
		if (status !== undefined && foldHttp === status && !pending) {
			foldHttp = undefined; // already counted from its `sent` line
			return;
		}
		foldHttp = undefined;
		const fields: Fields = {
			endpoint: url,
			status,
			reason: reason ? clip(reason, 500) : undefined
		};
		if (pending) {
			fields.bytes = pending.fields.bytes;
			pending = undefined;
		}
		flushError(
			rec,
			fields,
			status !== undefined ? 'The Agent rejected a trace payload' : undefined
		);
	};

	const onDropping = (rec: Rec) => {
		const msg = rec.msg;
		const m =
			/^failed to send, dropping (\d{1,12}) traces to (?:the )?(?:Datadog Agent|intake) at /.exec(
				msg
			);
		const traces = m ? Number(m[1]) : undefined;
		const from = m ? m[0].length : msg.indexOf(' at ') + 4;
		const { url, end } = urlToken(msg, from);
		const rest = msg.slice(end).trim();
		let retries: number | undefined;
		let reason: string | undefined;
		const r = /^after (\d{1,4}) retries/.exec(rest);
		if (r) {
			retries = Number(r[1]);
			const tail = rest.slice(r[0].length).trim();
			if (tail.startsWith('(') && tail.endsWith(')')) reason = tail.slice(1, -1);
		} else if (rest) reason = rest;
		reason ??= exceptionsOf(rec.lines)[0];
		const status = statusIn(reason);
		const fields: Fields = {
			endpoint: url,
			traces,
			retries,
			reason: reason ? clip(reason, 500) : undefined,
			status
		};
		if (!isTraceEndpoint(url)) {
			// the LLM Observability writer reuses the trace writer's template (R5)
			agentError(
				rec,
				`Dropped ${traces ?? 'some'} events sent to ${url}${reason ? `: ${clip(reason, 120)}` : ''}.`,
				fields
			);
			return;
		}
		pending = undefined;
		foldHttp = undefined;
		flushError(
			rec,
			fields,
			`Dropped ${traces ?? 'some'} trace${traces === 1 ? '' : 's'}: failed to send`
		);
	};

	const onStats = (rec: Rec, t: T) => {
		const m = (t === 'statsFail' ? STATS_FAIL : STATS_FINAL).exec(rec.msg);
		const endpoint = m ? urlToken(m[2], 0).url : undefined;
		if (t === 'statsFinal') {
			if (statsOpen) {
				statsOpen = false;
				return;
			}
		} else if (statsOpen) return; // another try of the same stats payload
		statsOpen = t === 'statsFail';
		const reason = exceptionsOf(rec.lines)[0];
		agentError(
			rec,
			`Failed to send ${m?.[1] ?? 'span'} stats to the Agent${endpoint ? ` at ${endpoint}` : ''}.`,
			{
				endpoint,
				reason: reason ? clip(reason, 500) : undefined
			}
		);
	};

	const handle = (r: LogRecord) => {
		const first = r.lines[0];
		if (plainLine(first)) return;
		const { p, msg, repeat, k } = readLine(first);
		const tracerLogger = p.logger !== undefined && isDdLogger(p.logger);
		if (p.logger !== undefined && !tracerLogger) return; // an application logger
		const rec: Rec = {
			start: r.start,
			end: r.end,
			time: p.time,
			zone: p.zone,
			level: p.level,
			msg,
			repeat,
			lines: p.more ? [first, ...p.more, ...r.lines.slice(1)] : r.lines
		};
		// ≤ 0.48: `writing N spans` is followed by one record per span: an empty message + pprint
		const dump =
			!k &&
			msg.trim() === '' &&
			r.lines.length > 2 &&
			/^ +name /.test(r.lines[1]) &&
			r.lines.some((l) => /^ +trace_id /.test(l));
		if (!k && !dump && !tracerLogger) return;

		// a record printed twice, bare and through the app's root handler, is one record
		// (the message compared last: two lines of one length compare their text)
		if (
			last &&
			r.start === last.end + 1 &&
			last.prefixed !== p.prefixed &&
			last.msg === msg &&
			msg
		) {
			last = undefined;
			return;
		}
		last = { msg, prefixed: p.prefixed, end: r.end };

		const t = k?.t;
		if (
			pending &&
			t !== 'failAgent' &&
			t !== 'legacyHttp' &&
			t !== 'unsupported' &&
			t !== 'downgradeRetry' &&
			t !== 'downgradeDrop'
		) {
			resolvePending();
		}
		if (t !== 'rateSampler' && t !== 'updated') {
			// span lines come from request threads and may slip between a send and its rate update
			if (t !== 'finish' && t !== 'progress' && t !== 'start' && t !== 'decision')
				rateAwait = false;
		}

		if (dump) {
			if (!sawFinishing) emitSpan(rec, parseMultiline(r.lines.slice(1)), 'span.finish');
			return;
		}
		switch (t) {
			case 'config':
				onConfig(rec);
				return;
			case 'diag':
				onDiag(rec);
				return;
			case 'sent': {
				const m = SENT.exec(msg)!;
				onSent(rec, m[1], m[2], m[3]);
				return;
			}
			case 'gotSent': {
				const m = /^Got response: (\d{3}) ?(.*?) sent /.exec(msg.slice(0, 400));
				const s = msg.indexOf(' sent ');
				const sm = SENT.exec(msg.slice(s + 1));
				if (sm) onSent(rec, sm[1], sm[2], sm[3], m ? Number(m[1]) : undefined, m?.[2]);
				return;
			}
			case 'got': {
				const m = GOT.exec(msg)!;
				lastGot = { status: Number(m[1]), reason: m[2] };
				if (attempt) {
					attempt.status = lastGot.status;
					attempt.reason = lastGot.reason;
				}
				return;
			}
			case 'reported': {
				const m = REPORTED.exec(msg)!;
				lastGot = undefined;
				pending = { rec, fields: { traces: Number(m[1]), seconds: num(m[2]) } };
				return;
			}
			case 'sending':
				onSending(rec);
				return;
			case 'conn': {
				const { url } = urlToken(msg, 'creating new intake connection to '.length);
				if (isTraceEndpoint(url)) {
					intakeUrl = url;
					if (!configSeen) out.info({ agentUrl: url });
				}
				return;
			}
			case 'failAgent':
				onFailAgent(rec);
				return;
			case 'dropping':
				onDropping(rec);
				return;
			case 'cannotSend': {
				// ≤ 0.2x: `cannot send spans to host:port: cause`, `cannot send spans: cause` (0.6–0.11),
				// `error sending spans` + traceback (≤ 0.5; through send_traces or send_services)
				const legacy = msg.startsWith('error sending spans');
				const services = legacy
					? rec.lines.some((l) => l.includes(', in send_services'))
					: msg.startsWith('cannot send services');
				const head = services ? 'cannot send services' : 'cannot send spans';
				const named = !legacy && msg.startsWith(' to ', head.length);
				const from = named ? head.length + 4 : head.length + 2;
				const sep = legacy ? -1 : named ? msg.indexOf(': ', from) : head.length;
				const endpoint = named ? (sep > 0 ? msg.slice(from, sep) : msg.slice(from)) : undefined;
				const reason = sep > 0 ? msg.slice(sep + 2) : exceptionsOf(rec.lines)[0];
				const fields: Fields = { endpoint, reason: reason ? clip(reason, 500) : undefined };
				if (services)
					agentError(rec, legacy ? 'Could not send services to the Agent.' : clip(msg), fields);
				else {
					pending = undefined;
					flushError(rec, fields, 'Could not send spans');
				}
				return;
			}
			case 'put': {
				// ≤ 0.2x: `PUT host:port/v0.4/traces with payload Nb`; a second PUT with no outcome
				// between is a retry of the same payload (R2)
				if (attempt) {
					attempt.tries++;
					return;
				}
				const m = PUT.exec(msg)!;
				const ev = emit(
					'flush.attempt',
					rec,
					rec.level ?? 'debug',
					`Sending a trace payload to ${m[1]}.`,
					{
						endpoint: m[1],
						bytes: `${m[2]}B`
					}
				);
				attempt = { ev, tries: 1, endpoint: m[1] };
				return;
			}
			case 'prepare':
				// `Attempting to flush Payload(…)` / `Flushing payload …`: the same payload as its PUT (R3)
				return;
			case 'unsupported': {
				const m =
					/^unsupported endpoint '([^']{0,500})': received response (\d{3}) from (?:intake|Datadog Agent)(?: \((\S{1,2000})\))?/.exec(
						msg
					);
				const status = m ? Number(m[2]) : undefined;
				const endpoint = m
					? m[3]
						? `${m[3].replace(/\/+$/, '')}/${m[1].replace(/^\/+/, '')}`
						: m[1]
					: undefined;
				pending = undefined;
				foldHttp = undefined;
				flushError(
					rec,
					{ endpoint, status, reason: 'unsupported endpoint' },
					'The Agent does not support the trace endpoint'
				);
				return;
			}
			case 'downgradeRetry':
				// 404/415: the payload is sent again to the older endpoint (a retry, R2)
				pending = undefined;
				return;
			case 'downgradeDrop': {
				const m = /^Calling endpoint '([^']{0,500})' but received (\d{3})/.exec(msg);
				pending = undefined;
				flushError(
					rec,
					{
						endpoint: m?.[1],
						status: m ? Number(m[2]) : undefined,
						reason: 'API downgrade: payload dropped'
					},
					'Dropped a trace payload on API downgrade'
				);
				return;
			}
			case 'finish': {
				sawFinishing = true;
				let body = msg.slice('finishing span '.length);
				const en = body.lastIndexOf(' (enabled:');
				if (en >= 0) body = body.slice(0, en);
				emitSpan(
					rec,
					body.startsWith('- Span(') ? parseRepr(body) : parsePprint(body),
					'span.finish'
				);
				return;
			}
			case 'start': {
				// 3.12+: `Starting span: <Span(id=…,trace_id=…,parent_id=…,name=…)>, trace has N spans …`
				const end = msg.lastIndexOf(', trace has ');
				const body = msg.slice('Starting span: '.length, end > 0 ? end : undefined);
				emitSpan(rec, body.startsWith('<Span(') ? parseShort(body) : parseRepr(body), 'span.start');
				return;
			}
			case 'encoding': {
				const m = ENCODING.exec(msg)!;
				const traceId = /\(trace_id: (\d{1,50})\)/.exec(msg)?.[1];
				const name = /\(top level span: name=(.{0,300}?)\) \(sampling_priority/.exec(msg)?.[1];
				const prio = /\(sampling_priority: ([^)]{0,20})\)/.exec(msg)?.[1];
				const partial = /\(partial flush triggered: True\)/.test(msg);
				const spans = Number(m[1]);
				emit(
					'trace.complete',
					rec,
					rec.level ?? 'debug',
					`${partial ? 'Partial trace' : 'Trace'}${name ? ` ${name}` : ''} handed to the writer (${spans} span${spans === 1 ? '' : 's'}).`,
					{
						spans,
						traceId,
						name,
						samplingPriority: prio,
						partial
					}
				);
				return;
			}
			case 'partial': {
				const m = PARTIAL.exec(msg)!;
				const spans = Number(m[1]);
				emit(
					'trace.complete',
					rec,
					rec.level ?? 'debug',
					`Partial flush of ${spans} span${spans === 1 ? '' : 's'} of trace ${m[2]}.`,
					{
						spans,
						traceId: m[2],
						partial: true
					}
				);
				return;
			}
			case 'writing': {
				const m = WRITING.exec(msg)!;
				const spans = Number(m[1]);
				emit(
					'trace.complete',
					rec,
					rec.level ?? 'debug',
					`Trace handed to the writer (${spans} span${spans === 1 ? '' : 's'}).`,
					{
						spans,
						enabled: m[2] === 'True'
					}
				);
				return;
			}
			case 'rateSampler':
			case 'updated': {
				// the writer applies the Agent's rate_by_service after an accepted payload (R15); 0.x
				// logs 4 sampler lines for one update, so only the first one after the send counts
				if (rateAwait || t === 'updated') {
					const rate = /sample ([\d.]{1,20})% of traces/.exec(msg)?.[1];
					emit(
						'sampling',
						rec,
						rec.level ?? 'debug',
						t === 'updated'
							? clip(msg)
							: `Agent sampling rates applied${rate ? ` (${rate}%)` : ''}.`,
						{
							rate: rate ? Number(rate) / 100 : undefined,
							source: 'agent'
						}
					);
					rateAwait = false;
				}
				return;
			}
			case 'decision': {
				const m =
					/: sampled=(\w{1,10}) sample_rate=([\d.]{1,20}) sampling_mechanism=(\w{1,10})/.exec(msg);
				emit(
					'sampling',
					rec,
					rec.level ?? 'debug',
					`Sampling decision: ${m ? (m[1] === 'True' ? 'keep' : 'drop') : 'applied'}${m ? ` (rate ${m[2]})` : ''}.`,
					{
						sampled: m ? m[1] === 'True' : undefined,
						rate: m ? num(m[2]) : undefined,
						mechanism: m?.[3]
					}
				);
				return;
			}
			case 'patched': {
				const m = PATCHED.exec(msg)!;
				const names = m[3].split(',').filter((s) => s.length > 0);
				emit(
					'integration.loaded',
					rec,
					rec.level ?? 'info',
					`Patched ${m[1]} of ${m[2]} modules.`,
					{
						count: Number(m[1]),
						available: Number(m[2]),
						names
					}
				);
				return;
			}
			case 'configured': {
				const m = CONFIGURED.exec(msg)!;
				const i = msg.indexOf('have been patched: ');
				const names =
					i >= 0
						? msg
								.slice(i + 19)
								.split(',')
								.map((s) => s.trim())
								.filter((s) => s.length > 0)
						: [];
				emit(
					'integration.loaded',
					rec,
					rec.level ?? 'info',
					`Instrumentation configured for ${m[1]} integrations.`,
					{
						count: Number(m[1]),
						names
					}
				);
				return;
			}
			case 'telemetryFail': {
				const u = /elemetry to (?:the [^.]{0,100}? at )?(\S{1,2000})/.exec(msg);
				const endpoint = u ? u[1].replace(/[.,:]+$/, '') : undefined;
				const e = msg.indexOf('. Error: ');
				agentError(
					rec,
					clip(msg),
					{
						endpoint,
						status: statusIn(msg),
						reason: e >= 0 ? clip(msg.slice(e + 9), 500) : exceptionsOf(rec.lines)[0]
					},
					'debug'
				);
				return;
			}
			case 'statsFail':
			case 'statsFinal':
				onStats(rec, t);
				return;
			case 'statsOk':
				statsOpen = false; // a retry went through: the next failure is a new payload
				return;
			case 'statsHttp': {
				statsOpen = false;
				const u = /Datadog agent at (\S{1,2000})/.exec(msg);
				const code = /^failed to send stats payload, (\d{3})/.exec(msg)?.[1];
				const status = code ? Number(code) : msg.includes('does not support') ? 404 : undefined;
				agentError(rec, clip(msg), { endpoint: u?.[1], status });
				return;
			}
			case 'llmobsFail': {
				const u = / events to (\S{1,2000})/.exec(msg);
				const code = /got response code (\d{3})/.exec(msg)?.[1];
				agentError(rec, clip(msg), {
					endpoint: u ? u[1].replace(/[.,:]+$/, '') : undefined,
					status: code ? Number(code) : undefined,
					reason: exceptionsOf(rec.lines)[0]
				});
				return;
			}
			case 'agentHttp': {
				const m = AGENT_HTTP.exec(msg)!;
				agentError(
					rec,
					`The Agent answered HTTP ${m[1]} ${m[2]}.`,
					{
						status: Number(m[1]),
						reason: m[2]
					},
					'warn'
				);
				return;
			}
			case 'rcConn':
				agentError(
					rec,
					clip(msg),
					{
						reason: clip(msg.slice(msg.indexOf(': ') + 2), 500),
						endpoint: '/v0.7/config'
					},
					'debug'
				);
				return;
			case 'dogstatsd':
				agentError(
					rec,
					clip(msg),
					{
						reason: clip(msg.slice('Error submitting packet: '.length), 500),
						endpoint: 'dogstatsd'
					},
					'warn'
				);
				return;
			case 'uploadFail': {
				const code = /: \[(\d{3})\]/.exec(msg)?.[1];
				// `Error uploading (<libdatadog's error>)`
				const reason =
					msg.startsWith('Error uploading (') && msg.endsWith(')')
						? clip(msg.slice('Error uploading ('.length, -1), 500)
						: undefined;
				agentError(rec, clip(msg), { status: code ? Number(code) : undefined, reason });
				return;
			}
			case 'exportFail': {
				// an exception raised in the exporter's HTTP upload (connection refused, timeout…) is a
				// failed profile upload (R5); any other is a profiler bug
				const reason = exceptionsOf(rec.lines)[0];
				if (
					rec.lines.some((l) => l.includes(', in _upload')) ||
					(reason !== undefined && UPLOAD_EXC.test(reason))
				)
					agentError(rec, clip(msg), { reason });
				else emit('log.other', rec, rec.level ?? 'error', clip(msg), { reason });
				return;
			}
			case 'legacyHttp': {
				// ≤ 0.2x: the `reported N traces` line before it was this payload's send (R1)
				const status = statusIn(msg);
				const reason = /reason (.*?)(?:, message |$)/.exec(msg.slice(0, 1000))?.[1];
				if (msg.startsWith('failed_to_send services')) {
					agentError(rec, clip(msg), { status, reason });
					return;
				}
				pending = undefined;
				flushError(rec, { status, reason }, 'The Agent rejected a trace payload');
				return;
			}
			case 'warnOther':
				emit('log.other', rec, rec.level ?? 'warn', clip(msg), {
					reason: exceptionsOf(rec.lines)[0]
				});
				return;
			default:
				// any other record of a ddtrace logger at WARNING or above (R9)
				if (
					tracerLogger &&
					(rec.level === 'warn' || rec.level === 'error' || rec.level === 'fatal')
				) {
					emit('log.other', rec, rec.level, clip(msg || r.lines[1]?.trim() || 'ddtrace warning'), {
						logger: p.logger,
						reason: exceptionsOf(rec.lines)[0]
					});
				}
		}
	};

	const grouper = new RecordGrouper(
		() => nextCont,
		(r) => {
			try {
				handle(r);
			} catch {
				// a parser never throws: a record it cannot read is skipped
			}
		}
	);

	// Decides whether `text` continues the record above, and keeps the traceback state.
	const continuation = (text: string): boolean => {
		if (text.length === 0) {
			if (chain) return true; // blank line between chained tracebacks
			tb = false;
			lastIndented = false;
			return false;
		}
		const c = text.charCodeAt(0);
		if (c === 32 || c === 9) {
			lastIndented = true;
			chain = false;
			return true;
		}
		if (text.startsWith('Traceback (most recent call last)')) {
			tb = true;
			lastIndented = false;
			chain = false;
			return true;
		}
		if (
			tb &&
			(text.startsWith('The above exception') || text.startsWith('During handling of the above'))
		) {
			chain = true;
			return true;
		}
		if (tb && lastIndented && EXC_LINE.test(text)) {
			lastIndented = false;
			chain = true;
			return true;
		}
		if (text === '}' || text === ']' || text === ')' || text === '},' || text === '],') {
			lastIndented = false;
			chain = false;
			return true;
		}
		tb = false;
		lastIndented = false;
		chain = false;
		return false;
	};

	return {
		line(text: string, lineNo: number, truncated: boolean) {
			const s = stripContainer(text);
			nextCont = continuation(s);
			grouper.line(s, lineNo, truncated);
		},
		end() {
			grouper.end();
			resolvePending();
		}
	};
}

export const pythonParser: TracerParser = {
	id: 'python',
	name: 'Python',
	logsSuccess: true,
	fileNameHint: /dd-trace-py|ddtrace[-_.]py|python/i,
	detect,
	createSession
};

function versionAtLeast(version: string, major: number, minor: number): boolean {
	const m = /^v?(\d{1,4})\.(\d{1,4})/.exec(version);
	return !!m && (+m[1] > major || (+m[1] === major && +m[2] >= minor));
}
