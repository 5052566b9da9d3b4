// Java tracer (dd-trace-java / dd-java-agent) debug-log parser. See shared/formats/FORMAT-java.md.
//
// Line shapes, newest agent first:
//   [dd.trace 2024-01-02 10:11:12:345 +0000] [thread] LEVEL logger.name - message
//   [dd.tracing.agent - 2019-… +0000] [thread] LEVEL logger.name - message      (before 0.36)
//   {"origin":"dd.trace","date":…,"level":…,"logger.name":…,"message":…}        (JSON mode, 1.48+)
//   [thread] LEVEL logger - message        (showDateTime=false; the docs pastes)
//   LEVEL logger - message / ShortClass - message   (users strip the prefix)
// Logger names are the shaded ones (datadog.trace.agent.core.DDSpan…), so templates are matched on
// the short class name and on the message itself.
import type { EventFields, Level, LogEvent, NewEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { parseTimestamp } from '../time';
import { jsonBalance } from './common';
import type { Emitter, ParserSession, TracerParser } from './types';

// ---------------------------------------------------------------------------------------------
// Line prefix

export interface JavaLine {
	/** Which prefix shape the line had. */
	shape: 'dd' | 'json' | 'thread' | 'level' | 'short' | 'embedded' | 'bare';
	time?: number;
	zone?: string;
	thread?: string;
	level?: Level;
	/** The level token as printed (a marker such as EXCLUDE_TELEMETRY replaces it since 1.29). */
	levelText?: string;
	logger?: string;
	/** Short class name of the logger. */
	cls?: string;
	msg: string;
	/** Written by the tracer (its prefix, or a Datadog logger name). */
	tracer: boolean;
	/** JSON mode: exception message carried in the object. */
	exception?: string;
}

const LEVELS: Record<string, Level> = {
	TRACE: 'trace',
	DEBUG: 'debug',
	INFO: 'info',
	WARN: 'warn',
	WARNING: 'warn',
	ERROR: 'error',
	FATAL: 'fatal',
	// SLF4J markers print in place of the level (SLCompatHelper): CRITICAL is an error
	CRITICAL: 'error'
};
/** Marker names the tracer passes (LogCollector); the true level is unknown. */
const MARKERS = new Set(['EXCLUDE_TELEMETRY', 'SEND_TELEMETRY']);

/** Short class names that identify a tracer line even without a package (pasted `Cls - msg`). */
const KNOWN_CLASSES = new Set([
	'PayloadDispatcherImpl',
	'PayloadDispatcher',
	'DDAgentApi',
	'DDApi',
	'DDIntakeApi',
	'DDEvpProxyApi',
	'DDAgentWriter',
	'DDIntakeWriter',
	'RemoteWriter',
	'TraceProcessingWorker',
	'DDSpan',
	'DDSpanContext',
	'PendingTrace',
	'PendingTraceBuffer',
	'StatusLogger',
	'DDTracer',
	'CoreTracer',
	'RateByServiceTraceSampler',
	'RateByServiceSampler',
	'ProfileUploader',
	'DDAgentStatsDConnection',
	'DDAgentFeaturesDiscovery',
	'InstrumenterState',
	'TelemetryClient',
	'TelemetryRouter',
	'ConfigurationPoller'
]);

/** Loggers that talk to the Agent on something other than the trace endpoint (R5). */
const AGENT_CLASSES = new Set([
	'ProfileUploader',
	'DDAgentStatsDConnection',
	'DDAgentStatsDClient',
	'StatsDClient',
	'NonBlockingStatsDClient',
	'TelemetryClient',
	'TelemetryRouter',
	'TelemetryService',
	'TelemetryRunnable',
	'HttpClient',
	'ConfigurationPoller',
	'DDAgentFeaturesDiscovery',
	'OkHttpSink',
	'ClientStatsAggregator',
	'ConflatingMetricsAggregator',
	'Aggregator',
	'DefaultDataStreamsMonitoring',
	'DataStreamsWritingQueue',
	'BatchUploader',
	'DebuggerSink',
	'ProbeStatusSink',
	'SymbolSink',
	'SnapshotSink',
	'EvpProxyApi',
	'IntakeApi',
	'DDIntakeApi',
	'DDEvpProxyApi',
	'DDAgentApi',
	'DDApi'
]);
const AGENT_PACKAGE =
	/\.(?:telemetry|remoteconfig|communication|uploader|statsd|datastreams|metrics)\./i;

function isDatadogLogger(logger: string): boolean {
	return (
		logger.startsWith('datadog.') ||
		logger.startsWith('com.datadog.') ||
		logger.startsWith('ddtrot.') ||
		logger.startsWith('org.datadog.jmxfetch')
	);
}

/** A Datadog logger, or a known tracer class printed alone (showShortLogName=true). */
function isTracerLogger(logger: string): boolean {
	return isDatadogLogger(logger) || (!logger.includes('.') && KNOWN_CLASSES.has(logger));
}

function shortName(logger: string): string {
	const i = logger.lastIndexOf('.');
	return i >= 0 ? logger.slice(i + 1) : logger;
}

/** Markdown and quoting users wrap pasted lines in: `**[dd.trace …]**`, backticks, `> `. */
function stripMarkup(text: string): string {
	let s = 0;
	let e = text.length;
	while (s < e) {
		const c = text.charCodeAt(s);
		if (c === 42 /* * */ || c === 96 /* ` */ || c === 62 /* > */ || c === 32 || c === 9) s++;
		else break;
	}
	while (e > s) {
		const c = text.charCodeAt(e - 1);
		if (c === 42 || c === 96 || c === 13 || c === 32) e--;
		else break;
	}
	return s === 0 && e === text.length ? text : text.slice(s, e);
}

function levelOf(token: string): { level?: Level; text: string } | undefined {
	let t = token;
	if (t.length > 2 && t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1); // levelInBrackets
	const level = LEVELS[t];
	if (level) return { level, text: t };
	if (MARKERS.has(t)) return { text: t };
	return undefined;
}

/** `LEVEL logger - message` (the logger part may be absent for unnamed loggers). */
function parseLevelLogger(
	rest: string,
	anyCaps: boolean
): Omit<JavaLine, 'shape' | 'tracer'> | undefined {
	const sp = rest.indexOf(' ');
	if (sp < 0) {
		// the level ends the line: a record the user wrapped by hand (its message follows)
		const lv = levelOf(rest);
		return lv ? { level: lv.level, levelText: lv.text, msg: '' } : undefined;
	}
	if (sp === 0 || sp > 40) return undefined;
	const token = rest.slice(0, sp);
	let lv = levelOf(token);
	if (!lv && anyCaps && /^[A-Z][A-Z_]{2,30}$/.test(token)) lv = { text: token }; // warnLevelString
	if (!lv) return undefined;
	const after = rest.slice(sp + 1);
	const dash = after.indexOf(' - ');
	const sp2 = after.indexOf(' ');
	if (dash > 0 && dash === sp2) {
		const logger = after.slice(0, dash);
		return {
			level: lv.level,
			levelText: lv.text,
			logger,
			cls: shortName(logger),
			msg: after.slice(dash + 3)
		};
	}
	return { level: lv.level, levelText: lv.text, msg: after };
}

/** After the date block: optional `[thread] ` then `LEVEL logger - message`. */
function parseAfterDate(
	rest: string,
	anyCaps: boolean
): Omit<JavaLine, 'shape' | 'tracer'> | undefined {
	if (rest.startsWith('[')) {
		// thread names hold spaces, '/', '...': take the first "] " followed by a level token
		const head = rest.length > 500 ? rest.slice(0, 500) : rest;
		let from = 1;
		for (let tries = 0; tries < 8; tries++) {
			const close = head.indexOf('] ', from);
			if (close < 0 || close > 400) break;
			const r = parseLevelLogger(rest.slice(close + 2), anyCaps);
			if (r) return { ...r, thread: rest.slice(1, close) };
			from = close + 1;
		}
	}
	return parseLevelLogger(rest, anyCaps);
}

// logback `%logger{36}` shortens packages to one letter (d.t.a.c.w.d.DDAgentApi), Quarkus'
// `[%c{3.}] (%t) ` to three (dat.tra.com.wri.dda.DDAgentApi) and puts the thread after it
const LOGGER_IN_LINE =
	/(?:^|[\s[(])((?:datadog|ddtrot|com\.datadog)\.[\w$]+(?:\.[\w$]+)+|(?:[a-z]{1,3}\.){2,8}[A-Z][\w$]+)(?:\]?\s{1,8}[-:]\s|\] \([^()]{0,120}\) )/;
const LEVEL_IN_PREFIX = /\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\b/;

/** `d.t.…Cls` / `dat.tra.…Cls` / `c.d.…` / `com.dat.…`: a shortened datadog or com.datadog package. */
function isAbbreviatedDatadog(logger: string): boolean {
	const parts = logger.split('.');
	if (!/^[A-Z]/.test(parts[parts.length - 1])) return false;
	const packages = parts.slice(0, -1);
	if (packages.some((seg) => !/^[a-z]{1,3}$/.test(seg))) return false;
	const first = packages[0] === 'c' || packages[0] === 'com' ? packages[1] : packages[0];
	return first !== undefined && 'datadog'.startsWith(first);
}

/** Message starts distinctive enough to be the Java tracer's even with no prefix at all. */
function isBareTemplate(msg: string): boolean {
	return (msg.startsWith('Started span: DDSpan [') ||
		msg.startsWith('Finished span') ||
		msg.startsWith('Finished: DDSpan [') ||
		msg.startsWith('Enqueued for serialization: [')) &&
		msg.includes('DDSpan [')
		? true
		: /^(?:Error|Success) while sending \d+ (?:of \d+ )?\(size=/.test(msg) ||
				msg.startsWith('Update service sampler rates: ') ||
				msg.startsWith('Using config: Config(');
}

/** Where `needle` first occurs if that is before `end`, else -1, without scanning the whole line. */
function indexBefore(text: string, needle: string, end: number): number {
	return text.length < end + needle.length
		? text.indexOf(needle)
		: text.slice(0, end + needle.length - 1).indexOf(needle);
}

/** `app_1  | …`: the service column docker compose puts in front of every line. */
const CONTAINER_PREFIX = /^[A-Za-z0-9][\w.-]{0,62} +\| ?/;

export function stripContainerPrefix(text: string): string {
	// '|' is rare: most lines have none in reach, and then no ' |' either
	const pipe = text.indexOf('|');
	if (pipe < 0 || pipe > 101) return text;
	const bar = indexBefore(text, ' |', 101);
	if (bar < 1) return text;
	const m = CONTAINER_PREFIX.exec(text);
	return m ? text.slice(m[0].length) : text;
}

/** Splits one line into its prefix parts; undefined when it has no Java tracer shape. */
export function parseJavaLine(text: string): JavaLine | undefined {
	if (text.length === 0) return undefined;
	const t = stripMarkup(text);
	if (t.length === 0) return undefined;
	const c0 = t.charCodeAt(0);

	// [dd.trace <date>] / [dd.tracing.agent - <date>]
	if (c0 === 91 /* [ */ && t.startsWith('[dd.tra')) {
		let start = -1;
		if (t.startsWith('[dd.trace ')) start = 10;
		else if (t.startsWith('[dd.tracing.agent - ')) start = 20;
		if (start > 0) {
			const close = t.indexOf(']', start);
			if (close > 0 && close < 80) {
				const date = t.slice(start, close);
				const ts = parseTimestamp(date);
				const rest = t.slice(close + 1).replace(/^ +/, '');
				const r = parseAfterDate(rest, true) ?? { msg: rest };
				const out: JavaLine = { ...r, shape: 'dd', tracer: true };
				if (ts) {
					out.time = ts.time;
					out.zone = ts.zone;
				}
				return out;
			}
		}
	}

	// [dd.trace …] behind a timestamp or a container column (kubectl/docker --timestamps, CloudWatch)
	if (c0 !== 91 || !t.startsWith('[dd.tra')) {
		const at = t.indexOf('[dd.tra');
		if (at > 0 && at < 200) {
			const inner = parseJavaLine(t.slice(at));
			// only a real prefix: the logging settings in the config JSON quote the date format
			if (inner && inner.shape === 'dd' && inner.time !== undefined) return inner;
		}
	}

	// JSON mode
	if (c0 === 123 /* { */ && t.startsWith('{"origin":"dd.trace"')) {
		try {
			const o = JSON.parse(t) as Record<string, unknown>;
			const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
			const logger = str('logger.name');
			const lv = levelOf(str('level') ?? '');
			const out: JavaLine = {
				shape: 'json',
				tracer: true,
				msg: str('message') ?? '',
				thread: str('logger.thread_name'),
				logger,
				cls: logger ? shortName(logger) : undefined,
				level: lv?.level,
				levelText: lv?.text ?? str('level')
			};
			const date = str('date');
			const ts = date ? parseTimestamp(date) : undefined;
			if (ts) {
				out.time = ts.time;
				out.zone = ts.zone;
			}
			const ex = o['exception'];
			if (ex && typeof ex === 'object') {
				const m = (ex as Record<string, unknown>)['message'];
				out.exception = typeof m === 'string' ? m : 'exception';
			}
			return out;
		} catch {
			// a broken JSON line: fall through to the other shapes
		}
	}

	// [thread] LEVEL logger - msg (no date), or elapsed millis first when the date format is null
	let rest = t;
	if (c0 >= 48 && c0 <= 57) {
		const m = /^\d{1,12} \[/.exec(t);
		if (m) rest = t.slice(m[0].length - 1);
	}
	if (rest.startsWith('[')) {
		const r = parseAfterDate(rest, false);
		if (r && r.logger && r.thread !== undefined) {
			return { ...r, shape: 'thread', tracer: isTracerLogger(r.logger) };
		}
	}

	// LEVEL logger - msg
	if (c0 >= 65 && c0 <= 91) {
		const r = parseLevelLogger(t, false);
		if (r && r.logger) return { ...r, shape: 'level', tracer: isTracerLogger(r.logger) };
	}
	// ShortClass - msg / datadog.full.Name - msg
	if ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) {
		const dash = t.indexOf(' - ');
		if (dash > 0 && dash < 200) {
			const logger = t.slice(0, dash);
			if (!logger.includes(' ')) {
				const cls = shortName(logger);
				if (isDatadogLogger(logger) || (logger === cls && KNOWN_CLASSES.has(cls))) {
					return { shape: 'short', tracer: true, logger, cls, msg: t.slice(dash + 3) };
				}
			}
		}
	}

	// another logging framework around a Datadog logger (logback, Spring Boot, log4j…)
	const head = t.length > 400 ? t.slice(0, 400) : t;
	const m = LOGGER_IN_LINE.exec(head);
	if (m) {
		const logger = m[1];
		const cls = shortName(logger);
		if (
			(isDatadogLogger(logger) && logger.split('.').length > 2) ||
			(isAbbreviatedDatadog(logger) && KNOWN_CLASSES.has(cls))
		) {
			const before = head.slice(0, m.index);
			const lv = LEVEL_IN_PREFIX.exec(before);
			const out: JavaLine = {
				shape: 'embedded',
				tracer: true,
				logger,
				cls,
				msg: t.slice(m.index + m[0].length),
				level: lv ? LEVELS[lv[1]] : undefined,
				levelText: lv?.[1]
			};
			const ts = parseTimestamp(t) ?? (c0 === 91 ? parseTimestamp(t.slice(1)) : undefined);
			if (ts) {
				out.time = ts.time;
				out.zone = ts.zone;
			}
			return out;
		}
	}

	// a message pasted with no prefix at all
	if (isBareTemplate(t)) return { shape: 'bare', tracer: true, msg: t };
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Span toString: DDSpan [ t_id=…, s_id=…, p_id=… ] trace=svc/op/res[ *errored*] tags={…}, duration_ns=…

export interface JavaSpan {
	traceId: string;
	spanId: string;
	parentId: string;
	service?: string;
	operation?: string;
	resource?: string;
	error: boolean;
	durationNs?: string;
	tags?: string;
}

export function parseSpanText(text: string, from = 0): JavaSpan | undefined {
	const a = text.indexOf('DDSpan [ t_id=', from);
	if (a < 0) return undefined;
	const tStart = a + 14;
	const sIdx = text.indexOf(', s_id=', tStart);
	if (sIdx < 0 || sIdx - tStart > 80) return undefined;
	const pIdx = text.indexOf(', p_id=', sIdx);
	if (pIdx < 0 || pIdx - sIdx > 80) return undefined;
	const close = text.indexOf(']', pIdx);
	if (close < 0 || close - pIdx > 80) return undefined;
	const span: JavaSpan = {
		traceId: text.slice(tStart, sIdx).trim(),
		spanId: text.slice(sIdx + 7, pIdx).trim(),
		parentId: text.slice(pIdx + 7, close).trim(),
		error: false
	};
	const tr = text.indexOf(' trace=', close);
	const tagsAt = text.indexOf(' tags={', close);
	if (tr === close + 1 || tr === close) {
		const nameStart = tr + 7;
		// the resource ends at the first marker that follows it (values are unescaped)
		let end = text.length;
		for (const marker of [' metrics={', ' *errored*', ' *measured*', ' tags={', ', duration_ns=']) {
			const i = text.indexOf(marker, nameStart);
			if (i >= 0 && i < end) end = i;
		}
		const triple = text.slice(nameStart, end);
		const s1 = triple.indexOf('/');
		const s2 = s1 >= 0 ? triple.indexOf('/', s1 + 1) : -1;
		if (s1 >= 0) {
			span.service = triple.slice(0, s1);
			if (s2 >= 0) {
				span.operation = triple.slice(s1 + 1, s2);
				span.resource = triple.slice(s2 + 1);
			} else span.operation = triple.slice(s1 + 1);
		} else span.service = triple;
		const errAt = text.indexOf(' *errored*', nameStart);
		if (errAt >= 0 && (tagsAt < 0 || errAt < tagsAt)) span.error = true;
	}
	const dur = text.lastIndexOf(', duration_ns=');
	if (dur > close) {
		const m = /^-?\d{1,20}/.exec(text.slice(dur + 14, dur + 40));
		if (m) span.durationNs = m[0];
		if (tagsAt >= 0 && tagsAt < dur) span.tags = text.slice(tagsAt + 7, dur);
	}
	return span;
}

/** A tag value from a Java map toString `{a=b, c=d}` (values may hold ", "; good enough for ids). */
function tagValue(tags: string | undefined, key: string): string | undefined {
	if (!tags) return undefined;
	let i = tags.startsWith(key + '=') ? 0 : tags.indexOf(', ' + key + '=');
	if (i < 0) return undefined;
	if (i > 0) i += 2;
	const start = i + key.length + 1;
	const end = tags.indexOf(', ', start);
	return tags.slice(start, end < 0 ? tags.length : end);
}

// ---------------------------------------------------------------------------------------------
// Configuration dumps

/** Java toString `Config(k=v, k=[…], k={…})` / `Config{k='v', …}` → key/values. */
export function parseJavaToString(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	let open = -1;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '(' || c === '{') {
			open = i;
			break;
		}
	}
	if (open < 0) return out;
	const parts: string[] = [];
	let depth = 0;
	let segStart = open + 1;
	let i = open;
	for (; i < text.length; i++) {
		const c = text[i];
		if (c === '(' || c === '{' || c === '[') depth++;
		else if (c === ')' || c === '}' || c === ']') {
			depth--;
			if (depth === 0) break;
		} else if (c === ',' && depth === 1) {
			parts.push(text.slice(segStart, i));
			segStart = i + 1;
		}
	}
	parts.push(text.slice(segStart, i));
	let lastKey: string | undefined;
	for (const raw of parts) {
		const part = raw.trim();
		const eq = part.indexOf('=');
		const key = eq > 0 ? part.slice(0, eq).trim() : '';
		if (eq > 0 && /^[A-Za-z_$][\w$.-]{0,100}$/.test(key)) {
			out[key] = unquote(part.slice(eq + 1).trim());
			lastKey = key;
		} else if (lastKey !== undefined && part.length) {
			// a ", " inside a quoted value: glue it back on
			out[lastKey] = unquote(out[lastKey] + ', ' + part);
		}
	}
	return out;
}

function unquote(v: string): string {
	let s = v;
	if (s.startsWith("'")) s = s.slice(1);
	if (s.endsWith("'")) s = s.slice(0, -1);
	return s.includes('\n') ? s.replace(/\s+/g, ' ') : s;
}

/** Top-level entries of a JSON object, tolerant of a truncated or re-wrapped paste. */
export function parseJsonTop(text: string): Record<string, string> | undefined {
	const start = text.indexOf('{');
	if (start < 0) return undefined;
	const body = text.slice(start);
	try {
		const o = JSON.parse(body) as unknown;
		if (o && typeof o === 'object' && !Array.isArray(o)) {
			const out: Record<string, string> = {};
			for (const [k, v] of Object.entries(o as Record<string, unknown>)) out[k] = flat(v);
			return out;
		}
	} catch {
		// not whole JSON: scan it below
	}
	return scanJsonTop(body);
}

function flat(v: unknown): string {
	if (v === null) return 'null';
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

/** Reads a JSON string starting at s[i] === '"'; returns [value, index after]. */
function readString(s: string, i: number): [string, number] {
	let j = i + 1;
	while (j < s.length) {
		const c = s.charCodeAt(j);
		if (c === 92) j += 2;
		else if (c === 34) break;
		else j++;
	}
	const raw = s.slice(i, Math.min(j + 1, s.length));
	let value: string;
	try {
		value = JSON.parse(raw.endsWith('"') && raw.length > 1 ? raw : raw + '"') as string;
	} catch {
		value = raw.slice(1, raw.endsWith('"') ? -1 : undefined);
	}
	return [value, j + 1];
}

/** Index just past the value that opens at s[i] ('{' or '['), strings respected; s.length if cut. */
function skipNested(s: string, i: number): number {
	let depth = 0;
	let j = i;
	while (j < s.length) {
		const c = s.charCodeAt(j);
		if (c === 34) {
			j = readString(s, j)[1];
			continue;
		}
		if (c === 123 || c === 91) depth++;
		else if (c === 125 || c === 93) {
			depth--;
			if (depth === 0) return j + 1;
		}
		j++;
	}
	return s.length;
}

function scanJsonTop(s: string): Record<string, string> {
	const out: Record<string, string> = {};
	let i = 1;
	const n = s.length;
	while (i < n) {
		const c = s.charCodeAt(i);
		if (c === 125) break; // closing brace
		if (c !== 34) {
			i++;
			continue;
		}
		const [key, afterKey] = readString(s, i);
		i = afterKey;
		while (i < n && (s[i] === ' ' || s[i] === '\n' || s[i] === '\t' || s[i] === '\r')) i++;
		if (s[i] !== ':') continue;
		i++;
		while (i < n && (s[i] === ' ' || s[i] === '\n' || s[i] === '\t' || s[i] === '\r')) i++;
		if (i >= n) break;
		const v = s.charCodeAt(i);
		if (v === 34) {
			const [value, after] = readString(s, i);
			out[key] = value;
			i = after;
		} else if (v === 123 || v === 91) {
			const end = skipNested(s, i);
			const raw = s.slice(i, end);
			try {
				out[key] = JSON.stringify(JSON.parse(raw));
			} catch {
				out[key] = raw.replace(/\s+/g, ' ');
			}
			i = end;
		} else {
			let j = i;
			while (j < n && s[j] !== ',' && s[j] !== '}' && s[j] !== '\n') j++;
			const value = s.slice(i, j).trim();
			// a scalar cut by the end of the paste ("fal") is not a value
			if (j < n && value) out[key] = value;
			i = j;
		}
	}
	return out;
}

const CONFIG_HEAD = 'DATADOG TRACER CONFIGURATION';

/** The start of the configuration message, cut short by whoever pasted it ('DATADOG ', 'DATADOG TRAC'). */
function isConfigHeadCut(msg: string): boolean {
	const head = msg.trim();
	return head.length >= 7 && CONFIG_HEAD.startsWith(head);
}

const JVM_JSON = /"lang"\s*:\s*"jvm"|"jvm_version"\s*:|"java_class_version"\s*:/;

// ---------------------------------------------------------------------------------------------
// Send lines

const API_SEND =
	/^(\d+)(?: of (\d+))?(?: \(size=(\d+(?:\.\d+)?)(B|KB|MB)\))? traces(?: to the DD agent)?\.(?: Total: (\d+), Received: (\d+), Sent: (\d+), Failed: (\d+)\.)?/;
const OLD_API_OK = /^Succe(?:ss)?fully sent (\d+) of (\d+) traces to the DD agent\./;
const DISPATCH_OK =
	/^Successfully sent (\d+) traces(?: (\S+))?(?: of size (\d+) bytes)? to the API(?: (\S+))?/;
const DISPATCH_FAIL =
	/^Failed to send (\d+) traces(?: \(representing (\d+)\))?(?: of size (\d+) bytes)? to the API(?: (\S+))?(?: status (\S+))?(?: response ([\s\S]*))?$/;
// starts with a literal and is anchored at the end: no backtracking over long whitespace runs
const RATE_LIMIT = /\((?:Will not log (?:errors|warnings) for|going silent for) ([^)]{1,40})\)$/;
const TRACE_API_NAME = /^v\d+\.\d+$/;

const FAILURE =
	/fail|error|exception|unable|could not|couldn't|cannot|can't|refused|timed? ?out|unreachable|not reachable|no connectivity|bad response|problem|denied|reset by peer|broken pipe|Got (?!SUCCESS)[A-Z_]+ sending/i;
const AGENT_HINT =
	/:812[56]\b|\/v0\.\d\/(?:stats|config|traces)|\/info\b|\/telemetry\/|\/profiling\/|\/evp_proxy\/|\/debugger\/|dsd\.socket|apm\.socket|statsd|datadog agent|trace agent|agent (?:url|host|endpoint)/i;

function sizeBytes(num: string | undefined, unit: string | undefined): number | undefined {
	if (!num) return undefined;
	const n = Number(num);
	if (unit === 'KB') return Math.round(n * 1024);
	if (unit === 'MB') return Math.round(n * 1048576);
	return n;
}

/** The Agent address in an exception message (`Failed to connect to localhost/127.0.0.1:8126`). */
function endpointFromText(full: string): string | undefined {
	const text = full.length > 2000 ? full.slice(0, 2000) : full;
	const url = /\b(https?:\/\/[^\s"'<>,)]+|unix:\/\/[^\s"'<>,)]+)/.exec(text);
	if (url) return url[1].replace(/[.:;]+$/, '');
	// okhttp: "localhost/127.0.0.1:8126", "localhost/[0:0:0:0:0:0:0:1]:8126", "host/1.2.3.4 (port 8126)"
	const m =
		/[Ff]ailed to connect to ([\w.-]{1,253})(?:\/(?:\[[\da-fA-F:.]{1,60}\]|[\d.]{1,40}))?(?::(\d{1,5})| \(port (\d{1,5})\))/.exec(
			text
		);
	if (m) return `http://${m[1]}:${m[2] ?? m[3]}`;
	const sock = /(\/[\w./-]{0,200}\.socket)\b/.exec(text);
	if (sock) return `unix://${sock[1]}`;
	return undefined;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clip(s: string, n = 160): string {
	const one = (s.length > n * 4 ? s.slice(0, n * 4) : s).replace(/\s+/g, ' ').trim();
	return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** The cause printed on the lines under a record (debug mode prints the stack trace). */
function causeOf(lines: string[]): string | undefined {
	for (let i = 1; i < lines.length && i < 6; i++) {
		const l = lines[i].trim();
		if (!l || l.startsWith('at ') || l.startsWith('...')) continue;
		return l.startsWith('Caused by: ') ? l.slice(11) : l;
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Session

interface RecordState {
	line?: JavaLine;
	/** Open JSON or toString structure: lines are continuation until it closes. */
	struct?: 'json' | 'paren';
	depth: number;
	/** "DATADOG TRACER CONFIGURATION" with the JSON on the next line (pretty-printed paste). */
	awaitJson: boolean;
	lines: number;
}

interface PendingSend {
	thread?: string;
	traces?: number;
	/** The event the API logged (none for an intake success, which is no event). */
	event?: LogEvent;
	ok: boolean;
	record: number;
	time?: number;
}

const STACK_LINE = /^(?:Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted))/;
const EXCEPTION_HEAD = /^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?::\s|:$|$)/;
const MAX_STRUCT_LINES = 2000;
/** Prefix shapes that always start a new record. */
const STRONG_SHAPES = new Set<JavaLine['shape']>(['dd', 'json', 'thread', 'level', 'embedded']);

class JavaSession implements ParserSession {
	private readonly grouper: RecordGrouper;
	private state: RecordState = JavaSession.blank();
	private closing: RecordState = this.state;
	private decision = false;
	private started = false;
	private recordNo = 0;
	private pending: PendingSend | undefined;
	/** Trace ids recently handed to the writer, so a later `Finished span (WRITTEN)` is not counted twice. */
	private written = new Map<string, number>();
	private lastTrace: { event: LogEvent; thread?: string; record: number } | undefined;

	constructor(private readonly out: Emitter) {
		this.grouper = new RecordGrouper(
			() => this.decision,
			(rec) => this.onRecord(rec)
		);
	}

	private static blank(): RecordState {
		return { depth: 0, awaitJson: false, lines: 1 };
	}

	line(raw: string, lineNo: number, truncated: boolean): void {
		const text = stripContainerPrefix(raw);
		this.decision = this.started && this.continues(text);
		if (this.decision) this.state.lines++;
		else {
			// the grouper closes the previous record inside line(): it reads `closing`
			this.closing = this.state;
			this.begin(text);
		}
		this.started = true;
		this.grouper.line(text, lineNo, truncated);
	}

	end(): void {
		this.closing = this.state;
		this.grouper.end();
	}

	// --- grouping ---------------------------------------------------------------------------

	private begin(text: string): void {
		const st = JavaSession.blank();
		const line = parseJavaLine(text);
		st.line = line;
		if (line) {
			const msg = line.msg;
			const cfg = msg.indexOf('DATADOG TRACER CONFIGURATION');
			if (cfg >= 0) {
				const brace = msg.indexOf('{', cfg);
				if (brace >= 0) this.feedJson(st, msg.slice(brace));
				else st.awaitJson = true;
			} else if (
				msg.startsWith('Using config: ') ||
				/^New instance: (?:Config|DDTracer|CoreTracer)/.test(msg)
			) {
				this.feedParen(st, msg);
			}
		} else {
			const trimmed = text.trim();
			if (trimmed.startsWith('{')) this.feedJson(st, trimmed);
		}
		this.state = st;
	}

	private continues(text: string): boolean {
		const st = this.state;
		if (st.awaitJson) {
			st.awaitJson = false;
			const t = text.trimStart();
			if (t.startsWith('{')) {
				this.feedJson(st, t);
				return true;
			}
		}
		if (st.struct && st.depth > 0 && st.lines < MAX_STRUCT_LINES) {
			const p = text.length ? parseJavaLine(text) : undefined;
			if (!p || !STRONG_SHAPES.has(p.shape)) {
				if (st.struct === 'json') this.feedJson(st, text);
				else this.feedParen(st, text);
				return true;
			}
			return false;
		}
		if (text.length === 0) return false;
		const c = text.charCodeAt(0);
		if (c === 9 || c === 32) {
			// stack frames and wrapped text; but an indented paste of tracer lines is not one record
			if (text.trim().length === 0) return false;
			const p = parseJavaLine(text);
			return !(p && p.tracer && STRONG_SHAPES.has(p.shape));
		}
		if (STACK_LINE.test(text)) return true;
		return EXCEPTION_HEAD.test(text.length > 300 ? text.slice(0, 300) : text);
	}

	/** Tracks JSON nesting (strings respected) across the lines of a record. */
	private feedJson(st: RecordState, text: string): void {
		st.struct = 'json';
		st.depth += jsonBalance(text);
	}

	/** Tracks ( { [ nesting of a Java toString across lines (its quotes are not reliable). */
	private feedParen(st: RecordState, text: string): void {
		st.struct = 'paren';
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c === 40 || c === 123 || c === 91) st.depth++;
			else if (c === 41 || c === 125 || c === 93) st.depth--;
		}
	}

	// --- records ----------------------------------------------------------------------------

	private onRecord(rec: LogRecord): void {
		const st = this.closing;
		this.recordNo++;
		try {
			this.handle(rec, st);
		} catch {
			// a record we cannot read is skipped, never fatal
		}
	}

	private emit(
		rec: LogRecord,
		p: JavaLine | undefined,
		kind: NewEvent['kind'],
		summary: string,
		fields: EventFields,
		level?: Level
	): LogEvent {
		const e: NewEvent = {
			kind,
			line: rec.start,
			endLine: rec.end,
			summary,
			fields
		};
		if (p?.time !== undefined) {
			e.time = p.time;
			e.zone = p.zone;
		}
		const lv = level ?? p?.level;
		if (lv) e.level = lv;
		if (p?.thread) fields.thread = p.thread;
		if (p?.logger) fields.logger = p.logger;
		const m = p?.msg ?? '';
		// the suffix sits at the end of the message: look only there
		const skipped = /(\d{1,9}) additional messages? skipped/.exec(
			m.length > 120 ? m.slice(-120) : m
		);
		if (skipped) e.repeat = Number(skipped[1]) + 1;
		return this.out.event(e);
	}

	private handle(rec: LogRecord, st: RecordState): void {
		let p = st.line;
		// a head line cut after its level or logger (issue 5314): the message is on the next lines
		if (
			p?.shape === 'dd' &&
			p.logger === undefined &&
			rec.lines.length > 1 &&
			/^(?:[\w$.]+ -)?$/.test(p.msg)
		) {
			p = parseJavaLine(rec.lines.map((l) => l.trim()).join(' ')) ?? p;
		}
		if (!p) {
			// a bare JSON object: the start-up configuration pasted without its prefix
			if (st.struct === 'json') {
				const text = rec.lines.join('\n');
				if (JVM_JSON.test(text)) this.startupConfig(rec, undefined, text);
			}
			return;
		}
		if (!p.tracer) return;
		const msg = p.msg;

		if (msg.includes('DATADOG TRACER CONFIGURATION')) {
			// from the message (JSON mode escapes it inside the line), plus any wrapped lines
			const text = rec.lines.length > 1 ? msg + '\n' + rec.lines.slice(1).join('\n') : msg;
			const brace = text.indexOf('{', text.indexOf('DATADOG TRACER CONFIGURATION'));
			const json = brace >= 0 ? text.slice(brace) : '';
			// another tracer's dump quoted in a Java log names its own lang; keep only the JVM's
			if (!/"lang"\s*:\s*"(?!jvm)/.test(json)) this.startupConfig(rec, p, json);
			return;
		}
		// StatusLogger's only INFO record is the configuration: users cut it ('… - DATADOG ' then '...')
		if (p.cls === 'StatusLogger' && p.level === 'info' && isConfigHeadCut(msg)) {
			this.startupConfig(rec, p, '');
			return;
		}
		// Config(…) / Config{…} dumps, and the 0.x tracer instance summary (FORMAT-java §1 rows 2–3)
		if (
			msg.startsWith('Using config: ') ||
			/^New instance: (?:Config|DDTracer|CoreTracer)/.test(msg)
		) {
			this.javaConfig(
				rec,
				p,
				rec.lines.length > 1 ? msg + '\n' + rec.lines.slice(1).join('\n') : msg
			);
			return;
		}
		const ver = /^dd-(?:trace|java-agent)(?:-ot)? - version: (\S+)/.exec(msg);
		if (ver) {
			this.out.info({ tracerVersion: ver[1], lang: 'jvm' });
			return;
		}
		// users re-wrap long span and writer lines: read the record as one line
		const whole =
			rec.lines.length > 1 &&
			!msg.includes('DDSpan [') &&
			/^(?:Started|Starting|Finished|Published|Enqueued|Dropped)\b/.test(msg)
				? (msg + ' ' + rec.lines.slice(1).join(' ')).replace(/\s+/g, ' ')
				: msg;
		if (this.spanLine(rec, p, whole)) return;
		if (whole !== msg && this.traceLine(rec, p, whole)) return;
		if (this.traceLine(rec, p, msg)) return;
		if (this.sendLine(rec, p, msg)) return;
		if (this.otherLine(rec, p, msg)) return;

		const level = this.levelOf(p);
		if (level === 'warn' || level === 'error' || level === 'fatal') {
			this.emit(rec, p, 'log.other', clip(msg) || 'Tracer warning', {}, level);
		}
	}

	/** The level; markers in place of the level (IOLogger) are read from the message. */
	private levelOf(p: JavaLine): Level | undefined {
		if (p.level) return p.level;
		if (p.msg.endsWith(')') && RATE_LIMIT.test(p.msg)) return 'warn';
		return undefined;
	}

	// --- configuration ----------------------------------------------------------------------

	private startupConfig(rec: LogRecord, p: JavaLine | undefined, json: string): void {
		const kv = parseJsonTop(json) ?? {};
		const get = (k: string) => {
			const v = kv[k];
			return v === undefined || v === '' || v === 'null' ? undefined : v;
		};
		this.out.config(kv);
		this.out.info({
			tracerVersion: get('version'),
			agentUrl: get('agent_url'),
			service: get('service'),
			env: get('env'),
			// 0.90 printed the tracer version as dd_version (issue #3686): not the app's version
			version: get('dd_version') !== get('version') ? get('dd_version') : undefined,
			sampleRate: get('sample_rate') ?? get('sampling_rate'),
			debug: get('debug'),
			lang: get('lang') ?? 'jvm',
			langVersion: get('lang_version') ?? get('jvm_version')
		});
		const fields: EventFields = {};
		for (const k of [
			'version',
			'service',
			'env',
			'agent_url',
			'agent_error',
			'dd_version',
			'debug'
		]) {
			if (kv[k] !== undefined) fields[k] = kv[k];
		}
		if (!json.trim()) fields.incomplete = true;
		const version = get('version');
		this.emit(
			rec,
			p,
			'tracer.config',
			`Tracer configuration${version ? ` (dd-trace-java ${version})` : ''}${get('service') ? ` for service ${get('service')}` : ''}`,
			fields
		);
	}

	private javaConfig(rec: LogRecord, p: JavaLine, text: string): void {
		const kv = parseJavaToString(text);
		const get = (k: string) => {
			const v = kv[k];
			return v === undefined || v === '' || v === 'null' ? undefined : v;
		};
		let agentUrl = get('agentUrl');
		if (!agentUrl && get('agentUnixDomainSocket'))
			agentUrl = `unix://${get('agentUnixDomainSocket')}`;
		if (!agentUrl && get('agentHost')) {
			agentUrl = `http://${get('agentHost')}:${get('agentPort') ?? get('traceAgentPort') ?? '8126'}`;
		}
		if (!agentUrl) {
			// DDTracer{ writer=DDAgentWriter { api=DDApi { tracesUrl=http://host:8126/v0.3/traces } } }
			const traces = /tracesUrl=(https?:\/\/[^/\s}]{1,300})/.exec(text);
			if (traces) agentUrl = traces[1];
		}
		const tags = get('tags') ?? get('globalTags') ?? get('mergedSpanTags');
		const env = get('env') ?? tagValue(tags?.replace(/^\{|\}$/g, ''), 'env');
		const version = get('version') ?? tagValue(tags?.replace(/^\{|\}$/g, ''), 'version');
		this.out.config(kv);
		this.out.info({
			agentUrl,
			service: get('serviceName'),
			env,
			version,
			sampleRate: get('traceSampleRate') ?? get('defaultSampleRate'),
			debug: get('debugEnabled'),
			lang: 'jvm',
			langVersion: get('runtimeVersion')
		});
		const fields: EventFields = {};
		if (get('serviceName')) fields.service = get('serviceName')!;
		if (agentUrl) fields.agentUrl = agentUrl;
		if (get('writerType')) fields.writerType = get('writerType')!;
		if (get('prioritySamplingEnabled'))
			fields.prioritySamplingEnabled = get('prioritySamplingEnabled')!;
		this.emit(
			rec,
			p,
			'tracer.config',
			`Tracer configuration${get('serviceName') ? ` for service ${get('serviceName')}` : ''}${agentUrl ? `, Agent at ${agentUrl}` : ''}`,
			fields
		);
	}

	// --- spans and traces -------------------------------------------------------------------

	private spanLine(rec: LogRecord, p: JavaLine, msg: string): boolean {
		if (
			msg.startsWith('Started span: ') ||
			msg.startsWith('Starting a new span: ') ||
			msg.startsWith('Starting a new active span: ')
		) {
			const s = parseSpanText(msg);
			if (!s) return false;
			this.emit(rec, p, 'span.start', `Span started: ${spanTitle(s)}`, spanFields(s));
			return true;
		}
		let state: string | undefined;
		let finished: boolean;
		if (msg.startsWith('Finished span (') || msg.startsWith('Published span (')) {
			const close = msg.indexOf('):', 15);
			if (close < 0) return false;
			state = msg.slice(msg.indexOf('(') + 1, close);
			finished = msg.startsWith('Finished');
		} else if (msg.startsWith('Finished span: ') || msg.startsWith('Finished: ')) {
			finished = true;
		} else return false;
		const s = parseSpanText(msg);
		if (!s) return this.elidedFinish(rec, p, msg, finished, state);
		if (finished) {
			const fields = spanFields(s);
			if (state) fields.state = state;
			const durMs = nanosToMs(s.durationNs);
			const ev = this.emit(
				rec,
				p,
				'span.finish',
				`Span finished: ${spanTitle(s)}${durMs !== undefined ? ` (${fmtMs(durMs)})` : ''}${s.error ? ', errored' : ''}`,
				fields
			);
			this.out.span({
				traceId: s.traceId,
				spanId: s.spanId,
				parentId: s.parentId,
				name: s.operation,
				service: s.service,
				resource: s.resource,
				error: s.error,
				start: p.time !== undefined && durMs !== undefined ? p.time - durMs : undefined,
				duration: durMs,
				line: rec.start,
				event: ev.id
			});
		}
		// WRITTEN: this finish completed the trace and handed it to the writer (0.82+)
		if (state === 'WRITTEN' || state === 'PARTIAL_FLUSH') {
			if (this.written.has(s.traceId)) this.written.delete(s.traceId);
			else {
				this.traceComplete(rec, p, s.traceId, {
					inferred: true,
					partial: state === 'PARTIAL_FLUSH'
				});
			}
		}
		return true;
	}

	/** A finish line whose span the user cut (`Finished span (WRITTEN): DDSpan [...]`) still happened (R13). */
	private elidedFinish(
		rec: LogRecord,
		p: JavaLine,
		msg: string,
		finished: boolean,
		state: string | undefined
	): boolean {
		if (msg.indexOf(': DDSpan [') < 0) return false;
		if (finished) {
			const fields: EventFields = { elided: true };
			if (state) fields.state = state;
			this.emit(rec, p, 'span.finish', 'Span finished (details cut from the log)', fields);
		}
		// without a trace id, the writer's own line just before on this thread is the same trace
		const last = this.lastTrace;
		const announced =
			last !== undefined &&
			!last.event.fields.inferred &&
			last.thread === p.thread &&
			this.recordNo - last.record <= 2;
		if ((state === 'WRITTEN' || state === 'PARTIAL_FLUSH') && !announced) {
			this.traceComplete(rec, p, undefined, {
				inferred: true,
				partial: state === 'PARTIAL_FLUSH'
			});
		}
		return true;
	}

	private traceComplete(
		rec: LogRecord,
		p: JavaLine,
		traceId: string | undefined,
		extra: EventFields,
		spans?: number
	): void {
		const fields: EventFields = { ...extra };
		if (traceId) fields.traceId = traceId;
		if (spans !== undefined) fields.spans = spans;
		for (const k of Object.keys(fields)) if (fields[k] === false) delete fields[k];
		const what = extra.partial ? 'Partial trace' : 'Trace';
		const summary = extra.dropped
			? `${what}${traceId ? ` ${traceId}` : ''} dropped by the writer (${extra.dropped})`
			: `${what}${traceId ? ` ${traceId}` : ''} handed to the writer${spans !== undefined ? ` (${plural(spans, 'span')})` : ''}`;
		const ev = this.emit(rec, p, 'trace.complete', summary, fields);
		this.lastTrace = { event: ev, thread: p.thread, record: this.recordNo };
		if (traceId && !extra.inferred) {
			this.written.set(traceId, this.recordNo);
			if (this.written.size > 1024) {
				const oldest = this.written.keys().next().value;
				if (oldest !== undefined) this.written.delete(oldest);
			}
		}
	}

	private traceLine(rec: LogRecord, p: JavaLine, msg: string): boolean {
		// PendingTrace ≤0.64: Writing N spans to DDAgentWriter { api=DDApi { tracesUrl=… } }.
		let m = /^Writing (\d+) spans to (.*)$/.exec(msg);
		if (m) {
			const at = m[2].indexOf('tracesUrl=');
			const end = at >= 0 ? m[2].indexOf(' }', at) : -1;
			const url = at >= 0 ? m[2].slice(at + 10, end > at ? end : undefined).trim() : '';
			this.traceComplete(rec, p, undefined, url ? { endpoint: url } : {}, Number(m[1]));
			return true;
		}
		m = /^Writing partial trace (\S+) of size (\d+)/.exec(msg);
		if (m) {
			this.traceComplete(rec, p, m[1], { partial: true }, Number(m[2]));
			return true;
		}
		// 0.65–0.84: t_id=… -> writing|wrote N spans to …; t_id=… -> wrote partial trace of size N
		m = /^t_id=(\S+) -> (?:writing|wrote) (?:(\d+) spans to |(partial) trace of size (\d+))/.exec(
			msg
		);
		if (m) {
			const partial = m[3] === 'partial';
			if (partial && this.written.has(m[1])) return true; // already counted as Enqueued
			this.traceComplete(rec, p, m[1], { partial }, Number(m[2] ?? m[4]));
			return true;
		}
		// RemoteWriter 1.11+
		const enq =
			/^(Enqueued for serialization|Enqueued for single span sampling|Dropped by the policy|Dropped due to a buffer overflow|Dropped due to shutdown): /.exec(
				msg
			);
		if (enq) {
			const rest = msg.slice(enq[0].length);
			const first = parseSpanText(rest);
			let spans = countOf(rest, 'DDSpan [');
			const sized = /^\[(\d+) spans\]/.exec(rest);
			if (sized) spans = Number(sized[1]);
			const extra: EventFields = {};
			if (enq[1].startsWith('Dropped')) extra.dropped = enq[1].slice(8);
			if (enq[1] === 'Enqueued for single span sampling') extra.singleSpanSampling = true;
			this.traceComplete(rec, p, first?.traceId, extra, spans || undefined);
			return true;
		}
		// 0.5x–1.10 writer drops restate the trace PendingTrace just wrote: a field, not an event
		if (/Counted but dropping trace: |^Trace written after shutdown\. Ignoring trace: /.test(msg)) {
			const last = this.lastTrace;
			if (last && last.thread === p.thread && this.recordNo - last.record <= 3) {
				last.event.fields.dropped = clip(msg.slice(0, msg.indexOf(':')), 80);
			}
			return true;
		}
		return false;
	}

	// --- flushes ----------------------------------------------------------------------------

	private sendLine(rec: LogRecord, p: JavaLine, msg: string): boolean {
		const cls = p.cls ?? '';
		// DDAgentApi / DDApi (RemoteApi.createSendLogMessage): "<Error|Success|body> while sending N (size=…) traces…"
		const ws = msg.indexOf(' while sending ');
		if (ws > 0) {
			const m = API_SEND.exec(msg.slice(ws + 15));
			if (m) {
				this.apiSend(rec, p, msg.slice(0, ws), m, msg.slice(ws + 15 + m[0].length));
				return true;
			}
		}
		let m = OLD_API_OK.exec(msg);
		if (m) {
			const traces = Number(m[1]);
			const ev = this.emit(
				rec,
				p,
				'flush.ok',
				`Agent accepted ${plural(traces, 'trace')} (of ${m[2]})`,
				{ traces, total: Number(m[2]) }
			);
			this.setPending(p, traces, ev, true);
			return true;
		}
		m = DISPATCH_OK.exec(msg);
		if (m && cls !== 'DDApi') {
			this.dispatch(rec, p, true, Number(m[1]), {
				bytes: m[3] ? Number(m[3]) : undefined,
				api: m[4]
			});
			return true;
		}
		m = DISPATCH_FAIL.exec(msg);
		if (m) {
			const status = /(\d{3})/.exec(m[5] ?? '');
			const response = m[6]?.trim();
			this.dispatch(rec, p, false, Number(m[1]), {
				bytes: m[3] ? Number(m[3]) : undefined,
				api: m[4],
				status: status ? Number(status[1]) : undefined,
				reason: response && response !== 'null' ? response : undefined
			});
			return true;
		}
		m = /^Failing to send (\d+) traces to the API/.exec(msg);
		if (m) {
			this.dispatch(rec, p, false, Number(m[1]), {});
			return true;
		}
		m = /^(Timeout! )?Failed to send traces to the API: ?(.*)$/.exec(msg);
		if (m) {
			const reason = m[1] ? `Timeout: ${m[2]}` : m[2] || causeOf(rec.lines);
			this.dispatch(rec, p, false, undefined, { reason });
			return true;
		}
		// 0.x DDAgentWriter: one attempt per payload
		m = /^Sending (\d+) traces \((\d+) spans\) to the API/.exec(msg);
		if (m) {
			const traces = Number(m[1]);
			const spans = Number(m[2]);
			this.emit(
				rec,
				p,
				'flush.attempt',
				`Sending ${plural(traces, 'trace')} (${plural(spans, 'span')}) to the Agent`,
				{
					traces,
					spans
				}
			);
			return true;
		}
		return false;
	}

	private apiSend(
		rec: LogRecord,
		p: JavaLine,
		head: string,
		m: RegExpExecArray,
		tailRaw: string
	): void {
		const cls = p.cls ?? '';
		const ok = head === 'Success';
		const traces = Number(m[1]);
		const fields: EventFields = { traces };
		if (m[2]) fields.of = Number(m[2]);
		const bytes = sizeBytes(m[3], m[4]);
		if (bytes !== undefined) {
			fields.bytes = bytes;
			fields.size = m[3] + m[4];
		}
		if (m[5]) {
			fields.totalTraces = Number(m[5]);
			fields.receivedTraces = Number(m[6]);
			fields.sentTraces = Number(m[7]);
			fields.failedTraces = Number(m[8]);
		}
		let tail = tailRaw.trimEnd();
		let level = this.levelOf(p);
		const rl = RATE_LIMIT.exec(tail);
		if (rl) {
			fields.rateLimited = true;
			fields.silentFor = rl[1];
			tail = tail.slice(0, rl.index);
			level ??= 'warn';
		}
		tail = tail.trim();
		let status: number | undefined;
		let reason: string | undefined;
		let sm = /^Status: (\d{3}), Response: ([\s\S]*?), Body: ([\s\S]*)$/.exec(tail);
		if (sm) {
			status = Number(sm[1]);
			reason = [sm[2], sm[3]].filter((x) => x && x !== 'null').join(': ');
		} else if ((sm = /^Status: (\d{3})(?:,? ?(?:ResponseMessage: )?([\s\S]*))?$/.exec(tail))) {
			status = Number(sm[1]);
			reason = sm[2]?.trim();
		} else if (tail) {
			reason = tail;
		}
		if (!ok) {
			// the Agent's reply replaces "Error": it says more than the HTTP reason phrase
			if (head !== 'Error') {
				fields.body = clip(head, 300);
				if (!reason?.includes(head)) reason = reason ? `${reason}: ${head}` : head;
			}
			reason ||= causeOf(rec.lines) || p.exception;
			if (status !== undefined) fields.status = status;
			if (reason) fields.reason = clip(reason, 300);
			const endpoint =
				endpointFromText(reason ?? '') ?? endpointFromText(rec.lines.slice(1, 6).join(' '));
			if (endpoint) fields.endpoint = endpoint;
		}
		// RemoteApi subclasses for CI Visibility / LLM Observability intakes are not the trace endpoint
		const traceApi = !/Intake|Evp|LLMObs/i.test(cls);
		let ev: LogEvent | undefined;
		if (!traceApi) {
			// CI Visibility / LLM Observability intake: not the trace endpoint (R5)
			if (!ok) {
				fields.component = cls;
				ev = this.emit(
					rec,
					p,
					'agent.error',
					`${cls} failed to send ${plural(traces, 'payload item')}${reason ? `: ${clip(reason, 100)}` : ''}`,
					fields,
					level
				);
			}
		} else if (ok) {
			ev = this.emit(
				rec,
				p,
				'flush.ok',
				`Agent accepted ${plural(traces, 'trace')}${fields.size ? ` (${fields.size})` : ''}`,
				fields,
				level
			);
		} else {
			const why =
				status !== undefined
					? `HTTP ${status}${reason ? ` ${clip(reason, 80)}` : ''}`
					: reason
						? clip(reason, 120)
						: 'error';
			ev = this.emit(
				rec,
				p,
				'flush.error',
				`Failed to send ${plural(traces, 'trace')} to the Agent: ${why}`,
				fields,
				level
			);
		}
		this.setPending(p, traces, ev, ok);
	}

	private setPending(
		p: JavaLine,
		traces: number | undefined,
		event: LogEvent | undefined,
		ok: boolean
	): void {
		this.pending = { thread: p.thread, traces, event, ok, record: this.recordNo, time: p.time };
	}

	/** PayloadDispatcher / DDAgentWriter outcome: the same payload the API line just reported (R1). */
	private dispatch(
		rec: LogRecord,
		p: JavaLine,
		ok: boolean,
		traces: number | undefined,
		info: { bytes?: number; api?: string; status?: number; reason?: string }
	): void {
		const pend = this.pending;
		if (
			pend &&
			pend.ok === ok &&
			this.recordNo - pend.record <= 50 &&
			(pend.thread === undefined || p.thread === undefined || pend.thread === p.thread) &&
			(pend.traces === undefined || traces === undefined || pend.traces === traces) &&
			(pend.time === undefined || p.time === undefined || Math.abs(p.time - pend.time) < 60_000)
		) {
			this.pending = undefined;
			const ev = pend.event;
			if (ev) {
				const f = ev.fields;
				if (info.api) f.api = info.api;
				if (info.bytes !== undefined) f.bytes = info.bytes;
				if (info.status !== undefined && f.status === undefined) f.status = info.status;
				if (info.reason && f.reason === undefined) f.reason = clip(info.reason, 300);
				f.restatedAt = rec.start;
			}
			return;
		}
		const fields: EventFields = {};
		if (traces !== undefined) fields.traces = traces;
		if (info.bytes !== undefined) fields.bytes = info.bytes;
		if (info.api) fields.api = info.api;
		if (info.status !== undefined) fields.status = info.status;
		if (info.reason) fields.reason = clip(info.reason, 300);
		const endpoint = info.reason ? endpointFromText(info.reason) : undefined;
		if (endpoint) fields.endpoint = endpoint;
		const n = traces !== undefined ? plural(traces, 'trace') : 'traces';
		// mapper endpoints other than v0.x/v1.x are CI Visibility / LLM Observability intakes (R5)
		if (info.api && !TRACE_API_NAME.test(info.api)) {
			if (!ok) {
				fields.component = info.api;
				this.emit(rec, p, 'agent.error', `Failed to send ${n} to the ${info.api} intake`, fields);
			}
			return;
		}
		if (ok) {
			this.emit(
				rec,
				p,
				'flush.ok',
				`Agent accepted ${n}${info.api ? ` (API ${info.api})` : ''}`,
				fields
			);
		} else {
			const why =
				info.status !== undefined
					? `HTTP ${info.status}${info.reason ? ` ${clip(info.reason, 80)}` : ''}`
					: info.reason
						? clip(info.reason, 120)
						: 'error';
			this.emit(rec, p, 'flush.error', `Failed to send ${n} to the Agent: ${why}`, fields);
		}
	}

	// --- agent errors, sampling, integrations -------------------------------------------------

	private otherLine(rec: LogRecord, p: JavaLine, msg: string): boolean {
		const cls = p.cls ?? '';
		if (msg.startsWith('Update service sampler rates: ')) {
			const body = msg.slice(30);
			const arrow = body.indexOf(' -> ');
			const fields: EventFields = {};
			if (arrow >= 0) {
				fields.endpoint = body.slice(0, arrow);
				fields.rates = clip(body.slice(arrow + 4), 500);
			} else fields.rates = clip(body, 500);
			this.emit(rec, p, 'sampling', 'Agent sampling rates updated', fields);
			return true;
		}
		// before 1.0 (Instrumenter$Default): 'Applying instrumentation: {name} -- {class} on {loader}'
		if (
			msg.startsWith('Instrumentation applied - ') ||
			msg.startsWith('Applying instrumentation: ')
		) {
			const before1 = /^Applying instrumentation: (\S+) -- (\S+)/.exec(msg);
			const names = before1?.[1] ?? /instrumentation\.names=\[([^\]]*)\]/.exec(msg)?.[1] ?? '';
			const list = names
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			const fields: EventFields = { names: list };
			const cl = before1?.[2] ?? /instrumentation\.class=(\S+)/.exec(msg)?.[1];
			if (cl) fields.class = cl;
			this.emit(
				rec,
				p,
				'integration.loaded',
				`Integration applied: ${list.join(', ') || 'unnamed'}`,
				fields
			);
			return true;
		}
		// connectivity diagnostics (R8)
		if (
			/^(?:No datadog agent detected|no compatible agent detected|No connectivity to datadog agent|No agent connectivity)/i.test(
				msg
			) ||
			/no connectivity to datadog agent$/.test(msg)
		) {
			this.emit(rec, p, 'agent.error', clip(msg), { reason: clip(msg, 300) });
			return true;
		}
		const level = this.levelOf(p);
		const agentLogger =
			AGENT_CLASSES.has(cls) || (p.logger !== undefined && AGENT_PACKAGE.test(p.logger));
		const loud = level === 'warn' || level === 'error' || level === 'fatal';
		if (
			FAILURE.test(msg) &&
			!/^Success|successfully/i.test(msg) &&
			(agentLogger || (loud && AGENT_HINT.test(msg)))
		) {
			const fields: EventFields = {};
			let text = msg.trimEnd();
			const rl = RATE_LIMIT.exec(text);
			if (rl) {
				fields.rateLimited = true;
				fields.silentFor = rl[1];
				text = text.slice(0, rl.index);
			}
			const status = /\bStatus: (\d{3})\b|\bstatus (?:code )?(\d{3})\b|\bHTTP (\d{3})\b/i.exec(
				text
			);
			if (status) fields.status = Number(status[1] ?? status[2] ?? status[3]);
			const cause = causeOf(rec.lines) ?? p.exception;
			fields.reason = clip(cause ? `${text} ${cause}` : text, 300);
			const endpoint = endpointFromText(text) ?? (cause ? endpointFromText(cause) : undefined);
			if (endpoint) fields.endpoint = endpoint;
			if (cls) fields.component = cls;
			this.emit(rec, p, 'agent.error', clip(text), fields, level ?? (rl ? 'warn' : undefined));
			return true;
		}
		return false;
	}
}

/** duration_ns as printed; a phased finish prints it with the sign bit set (DDSpan.phasedFinish). */
function nanosToMs(ns: string | undefined): number | undefined {
	if (ns === undefined) return undefined;
	if (!ns.startsWith('-')) return Number(ns) / 1e6;
	try {
		return Number(BigInt(ns) + (BigInt(1) << BigInt(63))) / 1e6;
	} catch {
		return undefined;
	}
}

function countOf(s: string, needle: string): number {
	let n = 0;
	for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length)) n++;
	return n;
}

function fmtMs(ms: number): string {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function spanTitle(s: JavaSpan): string {
	const name = [s.service, s.operation, s.resource].filter(Boolean).join(' / ');
	return name || `span ${s.spanId}`;
}

function spanFields(s: JavaSpan): EventFields {
	const f: EventFields = { traceId: s.traceId, spanId: s.spanId, parentId: s.parentId };
	if (s.service !== undefined) f.service = s.service;
	if (s.operation !== undefined) f.operation = s.operation;
	if (s.resource !== undefined) f.resource = s.resource;
	if (s.error) f.error = true;
	if (s.durationNs !== undefined) f.durationNs = s.durationNs;
	const status = tagValue(s.tags, 'http.status_code');
	if (status) f.httpStatus = status;
	return f;
}

// ---------------------------------------------------------------------------------------------
// Detection

const DD_PREFIX = /^\[dd\.trac(?:e|ing\.agent -) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
const DD_LOGGER_LINE =
	/^(?:\d{1,12} )?(?:\[[^\]]{0,200}\] )?\[?(?:TRACE|DEBUG|INFO|WARN|ERROR|EXCLUDE_TELEMETRY|SEND_TELEMETRY)\]? (?:datadog|com\.datadog|ddtrot)\.[\w$]+\.[\w.$]+ - /;

const SEND_REPORT = / while sending \d+ (?:of \d+ )?\(size=\d+(?:\.\d+)?[KM]?B\) traces\b/;

/** JVM_JSON, tried only on lines with its words: its `"` alternatives stop at every quote of a JSON line. */
function isJvmJson(t: string): boolean {
	return (t.includes('jvm') || t.includes('java_class_version')) && JVM_JSON.test(t);
}

function detect(text: string): number {
	const t = stripMarkup(stripContainerPrefix(text));
	if (t.length < 8) return 0;
	const c0 = t.charCodeAt(0);
	if (c0 === 91 && DD_PREFIX.test(t)) return 20;
	const at = t.indexOf('[dd.tra');
	if (at > 0 && at < 200 && DD_PREFIX.test(t.slice(at))) return 15;
	if (c0 === 123) {
		if (t.startsWith('{"origin":"dd.trace"')) return 20;
		if (isJvmJson(t)) return 12;
	}
	if (t.includes('DDSpan [ t_id=')) return 15;
	if (DD_LOGGER_LINE.test(t.length > 600 ? t.slice(0, 600) : t)) return 12;
	// RemoteApi's send report, whatever layout carries it (Quarkus, log4j, a stripped prefix)
	if (t.includes(' while sending ') && SEND_REPORT.test(t)) return 12;
	const dash = indexBefore(t, ' - ', 40);
	if (dash > 0 && KNOWN_CLASSES.has(t.slice(0, dash))) {
		const rest = t.slice(dash + 3);
		if (
			/^(?:Failed to send|Successfully sent|Error while sending|Success while sending|Started span|Finished span|Enqueued for)/.test(
				rest
			)
		) {
			return 12;
		}
	}
	if (t.includes('DATADOG TRACER CONFIGURATION') && isJvmJson(t)) return 15;
	if (t.includes(' datadog.trace.agent.')) return 3;
	return 0;
}

export const javaParser: TracerParser = {
	id: 'java',
	name: 'Java',
	logsSuccess: true,
	fileNameHint: /dd[-_.]?java|java[-_]?agent|dd-trace-java/i,
	detect,
	createSession(out: Emitter): ParserSession {
		return new JavaSession(out);
	}
};
