// .NET tracer (dd-trace-dotnet) parser: managed Serilog logs of 0.x–3.x, the native profiler log
// (three prefix generations) and the start-up configuration JSON. See FORMAT-dotnet.md.
import type { EventFields, EventKind, Level, LogEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { parseTimestamp } from '../time';
import { readJsonObject, str, textValues } from './common';
import type { Emitter, TracerParser } from './types';

const MANAGED_LEVELS: Record<string, Level> = {
	VRB: 'trace',
	DBG: 'debug',
	INF: 'info',
	WRN: 'warn',
	ERR: 'error',
	FTL: 'fatal'
};

// LibLog (0.x) and Serilog JSON level words; spdlog (native) level words
const WORD_LEVELS: Record<string, Level> = {
	trace: 'trace',
	verbose: 'trace',
	debug: 'debug',
	info: 'info',
	information: 'info',
	warn: 'warn',
	warning: 'warn',
	error: 'error',
	err: 'error',
	fatal: 'fatal',
	critical: 'fatal'
};

/** The start of one record: its prefix decoded and the message after it. */
interface Head {
	form: 'managed' | 'legacy' | 'json' | 'native' | 'loader' | 'startup';
	level?: Level;
	/** Tracer version printed in the prefix (console sink). */
	version?: string;
	time?: number;
	zone?: string;
	msg: string;
	/** Rendered exception of a JSON line (0.x JSON sink). */
	exception?: string;
}

const NATIVE =
	/^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) ([AP])M \[[^\]]{1,120}\] \[(\w{1,10})\] /;
const NATIVE_OLD = /^\[[^\]]{1,120}\] \d{1,10}: \[(\w{1,10})\] /;
const LOADER = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| (\w{1,10}) \| PId: /;
const LEGACY = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] \[(\w{1,12})\] /;
// managed loader (StartupLogger, dotnet-tracer-loader-*.log): `[2024-02-11 10:00:03.120 +00:00] msg`,
// with `|domain id|domain name|is default]` in debug mode; 1.x printed DateTime.Now in the
// machine's culture (`[11/13/2020 5:33:42 PM] msg`)
const STARTUP =
	/^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d|\d{1,2}[./-]\d{1,2}[./-]\d{4} \d{1,2}:\d\d:\d\d(?: [AP]M)?)(?:\|[^\]]{0,300})?\] /;

// console sink (3.21+, DD_TRACE_LOG_SINKS=console): `[2025-07-10 15:28:26.278 +00:00 | DD-TRACE-DOTNET
// 3.21.0 | INF] msg | Exception` on one line, the exception's newlines written as a literal `\n`
const CONSOLE =
	/^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d) \| DD-TRACE-DOTNET(?: ([\w.+-]{1,40}))? \| (VRB|DBG|INF|WRN|ERR|FTL)\] /;
// where the console sink's ` | {Exception}` starts: an exception type name and its message
const CONSOLE_EXCEPTION = /[A-Za-z_][\w.`]{0,200}(?:Exception|Error)(?: \(\d{1,10}\))?: /y;

function consoleHead(m: RegExpExecArray, text: string): Head {
	const ts = parseTimestamp(m[1]);
	let msg = text.slice(m[0].length);
	let exception: string | undefined;
	for (let at = msg.indexOf(' | '); at >= 0; at = msg.indexOf(' | ', at + 3)) {
		CONSOLE_EXCEPTION.lastIndex = at + 3;
		if (!CONSOLE_EXCEPTION.test(msg)) continue;
		exception = msg.slice(at + 3).replace(/\\n/g, '\n');
		msg = msg.slice(0, at);
		break;
	}
	return {
		form: 'managed',
		level: MANAGED_LEVELS[m[3]],
		version: m[2],
		time: ts?.time,
		zone: ts?.zone,
		msg,
		exception
	};
}

function managedHead(text: string): Head | undefined {
	// `2023-10-26 15:57:57.667 +00:00 [INF] msg`; docs write `YYYY-MM-DD HH:MM:SS.<integer> +00:00`
	const c = text.charCodeAt(0);
	if (!((c >= 48 && c <= 57) || c === 89)) return undefined;
	const at = text.indexOf(' [', 10);
	if (at < 0 || at > 48 || text.charCodeAt(at + 5) !== 93) return undefined;
	const level = MANAGED_LEVELS[text.slice(at + 2, at + 5)];
	if (!level) return undefined;
	const prefix = text.slice(0, at);
	if (prefix.indexOf(':') < 0 || prefix.indexOf('[') >= 0) return undefined;
	const ts = parseTimestamp(prefix);
	return {
		form: 'managed',
		level,
		time: ts?.time,
		zone: ts ? ts.zone : undefined,
		msg: text.slice(text.charCodeAt(at + 6) === 32 ? at + 7 : at + 6)
	};
}

function nativeTime(m: RegExpExecArray): number | undefined {
	let hour = +m[4] % 12;
	if (m[8] === 'P') hour += 12;
	const t = Date.UTC(2000 + +m[3], +m[1] - 1, +m[2], hour, +m[5], +m[6], +m[7]);
	return Number.isNaN(t) ? undefined : t;
}

function jsonHead(text: string): Head | undefined {
	let o: Record<string, unknown>;
	try {
		o = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (!o || typeof o !== 'object' || typeof o.MessageTemplate !== 'string') return undefined;
	const props = (o.Properties && typeof o.Properties === 'object' ? o.Properties : {}) as Record<
		string,
		unknown
	>;
	// the 0.x JSON sink does not render the message: fill in the named properties it carries
	const msg = (o.MessageTemplate as string).replace(/\{(\w{1,60})\}/g, (all, name: string) => {
		const v = props[name];
		return v === undefined ? all : typeof v === 'string' ? v : JSON.stringify(v);
	});
	const ts = typeof o.Timestamp === 'string' ? parseTimestamp(o.Timestamp) : undefined;
	return {
		form: 'json',
		level: WORD_LEVELS[String(o.Level ?? '').toLowerCase()] ?? 'info',
		time: ts?.time,
		zone: ts?.zone,
		msg,
		exception: typeof o.Exception === 'string' ? o.Exception : undefined
	};
}

function parseHead(text: string): Head | undefined {
	const c = text.charCodeAt(0);
	if (c === 91) {
		// '['
		const legacy = LEGACY.exec(text);
		if (legacy) {
			const ts = parseTimestamp(legacy[1]);
			return {
				form: 'legacy',
				level: WORD_LEVELS[legacy[2].toLowerCase()] ?? 'info',
				time: ts?.time,
				zone: ts?.zone,
				msg: text.slice(legacy[0].length)
			};
		}
		const console = CONSOLE.exec(text);
		if (console) return consoleHead(console, text);
		const startup = STARTUP.exec(text);
		if (startup) {
			const ts = parseTimestamp(startup[1]);
			return {
				form: 'startup',
				time: ts?.time,
				zone: ts?.zone,
				msg: text.slice(startup[0].length)
			};
		}
		const loader = LOADER.exec(text);
		if (loader) {
			const ts = parseTimestamp(text.slice(1));
			return {
				form: 'loader',
				level: WORD_LEVELS[loader[1]],
				time: ts?.time,
				zone: ts?.zone,
				msg: ''
			};
		}
		// pasted without the timestamp: `[ERR] An error occurred …`
		const bare = MANAGED_LEVELS[text.slice(1, 4)];
		if (bare && text.charCodeAt(4) === 93 && text.charCodeAt(5) === 32) {
			return { form: 'managed', level: bare, msg: text.slice(6) };
		}
		const old = NATIVE_OLD.exec(text);
		if (old) {
			return {
				form: 'native',
				level: WORD_LEVELS[old[1]] ?? 'info',
				msg: text.slice(old[0].length)
			};
		}
		return undefined;
	}
	if (c === 123) return text.startsWith('{"Timestamp":"') ? jsonHead(text) : undefined; // '{'
	if (c >= 48 && c <= 57 && text.charCodeAt(2) === 47) {
		const m = NATIVE.exec(text);
		if (m) {
			return {
				form: 'native',
				level: WORD_LEVELS[m[9]] ?? 'info',
				time: nativeTime(m),
				zone: 'local',
				msg: text.slice(m[0].length)
			};
		}
	}
	return managedHead(text);
}

// the failed-send template of every version (0.x spelt it `occured`), as the Log Explorer shows a
// record's message: without the prefix, the exception under it
const BARE_SEND_FAILURE =
	/^An error occurr?ed while sending (?:traces|data|\d{1,9} traces) to the agent at /;

/** Bare messages users paste without the prefix; they start a record of their own. */
function isBareStart(text: string): boolean {
	return (
		text.startsWith('Span closed: [s_id:') ||
		text.startsWith('Span started: [s_id:') ||
		text.startsWith('DATADOG TRACER CONFIGURATION - {') ||
		BARE_SEND_FAILURE.test(text)
	);
}

/** `hh:mm:ss.fffffff` or `d.hh:mm:ss.fffffff` (a .NET TimeSpan) in milliseconds. */
function timeSpanMs(text: string): number | undefined {
	const m = /^(?:(\d{1,6})\.)?(\d{1,2}):(\d\d):(\d\d)(?:\.(\d{1,7}))?$/.exec(text.trim());
	if (!m) return undefined;
	const frac = m[5] ? Number('0.' + m[5]) * 1000 : 0;
	return ((+(m[1] ?? 0) * 24 + +m[2]) * 60 + +m[3]) * 60000 + +m[4] * 1000 + frac;
}

/** The first `Namespace.SomeException: message` in a record: the failure's cause. */
function exceptionOf(text: string): { type: string; message: string } | undefined {
	let from = 0;
	for (let guard = 0; guard < 20; guard++) {
		const i = text.indexOf('Exception', from);
		if (i < 0) return undefined;
		from = i + 9;
		let j = i + 9;
		if (text.startsWith(' (', j)) {
			const close = text.indexOf(')', j);
			if (close < 0 || close - j > 14) continue;
			j = close + 1;
		}
		if (!text.startsWith(': ', j)) continue;
		let s = i;
		while (s > 0 && s > i - 200) {
			const c = text.charCodeAt(s - 1);
			const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
			if (!word && c !== 46 && c !== 95) break;
			s--;
		}
		const type = text.slice(s, i + 9);
		let end = text.indexOf('\n', j);
		if (end < 0) end = text.length;
		let message = text.slice(j + 2, Math.min(end, j + 2 + 500));
		const inner = message.indexOf(' ---> ');
		if (inner > 0) message = message.slice(0, inner);
		return { type, message: message.trim() };
	}
	return undefined;
}

/** The endpoint named after `agent at ` (a URL, a socket path `X to URL`, or a named pipe). */
function endpointAfter(msg: string, marker: string): string | undefined {
	const at = msg.indexOf(marker);
	if (at < 0) return undefined;
	const rest = msg.slice(at + marker.length, at + marker.length + 600);
	if (/^[A-Z][\w]*\.[\w.]*(?:Exception|Error)\b/.test(rest)) return undefined; // docs: endpoint missing
	let end = rest.indexOf(' ');
	if (end < 0) end = rest.length;
	let ep = rest.slice(0, end);
	if (rest.startsWith(' to ', end)) {
		let e2 = rest.indexOf(' ', end + 4);
		if (e2 < 0) e2 = rest.length;
		ep = rest.slice(0, e2);
	}
	ep = ep.replace(/[.,]+$/, '');
	return ep || undefined;
}

/** R5: only the traces endpoint is a flush; stats, telemetry, config, /info are other Agent traffic. */
function isTraceEndpoint(ep: string | undefined): boolean {
	if (!ep) return true;
	if (ep.indexOf('/traces') >= 0) return true;
	return !/\/(?:v\d\.\d\/stats|stats|telemetry|info|v0\.7\/config|debugger|evp_proxy|dogstatsd|profiling)/.test(
		ep
	);
}

function spanIdsNormalised(
	sId: string,
	pId: string,
	tId: string
): { spanId: string; parentId?: string; traceId: string } {
	const parent = pId === 'null' || pId === '' ? undefined : pId;
	// since 2.31 s_id/t_id are hex (RawSpanId/RawTraceId) while p_id stays decimal: align the parent
	if (
		/^[0-9a-f]{32}$/.test(tId) &&
		/^[0-9a-f]{16}$/.test(sId) &&
		parent &&
		/^\d{1,20}$/.test(parent)
	) {
		try {
			const hex = BigInt(parent).toString(16);
			return {
				spanId: sId,
				traceId: tId,
				parentId: hex === '0' ? undefined : hex.padStart(16, '0')
			};
		} catch {
			/* keep as printed */
		}
	}
	return { spanId: sId, traceId: tId, parentId: parent === '0' ? undefined : parent };
}

interface ProcessState {
	/** The open send: its attempt event, and whether `Sending …` already folded into it. */
	attempt?: LogEvent;
	sent: boolean;
	retries: number;
	retrying?: boolean;
	/** A failure logged first by its status line, waiting for the final ERR line that restates it. */
	failure?: LogEvent;
	statsFailure?: LogEvent;
}

const MAX_OPEN_SPANS = 100_000;

class DotnetSession {
	private readonly grouper: RecordGrouper;
	private readonly processes = new Map<string, ProcessState>();
	private readonly started = new Map<string, number>();
	private tracerVersion = '';
	private managedVersionSeen = false;

	constructor(private readonly out: Emitter) {
		this.grouper = new RecordGrouper(
			// a console-sink record is one line by design: what follows it is the app's output
			(text, record) =>
				parseHead(text) === undefined &&
				!isBareStart(text) &&
				!(record.lines.length === 1 && CONSOLE.test(record.lines[0])),
			(record) => {
				try {
					this.record(record);
				} catch {
					// one malformed record never stops the file
				}
			}
		);
	}

	line(text: string, lineNo: number, truncated: boolean): void {
		this.grouper.line(text, lineNo, truncated);
	}

	end(): void {
		this.grouper.end();
	}

	private state(key: string): ProcessState {
		let s = this.processes.get(key);
		if (!s) this.processes.set(key, (s = { sent: false, retries: 0 }));
		return s;
	}

	private emit(
		kind: EventKind,
		record: LogRecord,
		head: Head | undefined,
		summary: string,
		fields: EventFields,
		repeat?: number
	): LogEvent {
		return this.out.event({
			kind,
			line: record.start,
			endLine: record.end,
			time: head?.time,
			zone: head?.time !== undefined ? head.zone : undefined,
			level: head?.level,
			repeat,
			summary,
			fields
		});
	}

	private record(record: LogRecord): void {
		const first = record.lines[0];
		let head = parseHead(first);
		if (!head) {
			if (!isBareStart(first)) return;
			head = { form: 'managed', msg: first };
		}
		if (head.form === 'loader') return; // native loader / continuous profiler: not tracer events
		if (head.form === 'native') return this.native(record, head);
		if (head.form === 'startup') return this.startup(record, head);

		// Serilog properties block: `  { MachineName: … }` at the end of the record (2.x: same line,
		// 1.x: its own line); it carries TracerVersion and the process, and is not part of the message
		let msg = head.msg;
		let props: string | undefined;
		let body: string[] | undefined;
		const inline = msg.lastIndexOf('{ MachineName: ');
		if (inline >= 0) {
			props = msg.slice(inline);
			msg = msg.slice(0, inline).trimEnd();
		}
		if (record.lines.length > 1) {
			body = [msg];
			for (let i = 1; i < record.lines.length; i++) {
				const l = record.lines[i];
				const p = l.indexOf('{ MachineName: ');
				if (p >= 0 && (p === 0 || l.charCodeAt(p - 1) === 32)) {
					props = l.slice(p);
					if (l.slice(0, p).trim()) body.push(l.slice(0, p).trimEnd());
				} else body.push(l);
			}
		}
		let processKey = '';
		if (head.version) this.version(head.version, true);
		if (props) {
			const v = /TracerVersion: "([^"]{1,40})"/.exec(props);
			if (v) this.version(v[1], true);
			const proc = /Process: "\[([^\]"]{1,200})\]"|PID: (\d{1,10})/.exec(props);
			if (proc) processKey = proc[1] ?? proc[2];
		}
		let repeat: number | undefined;
		const skipped = /,? (\d{1,9}) additional messages skipped/.exec(msg);
		if (skipped) {
			repeat = +skipped[1] + 1;
			msg = msg.slice(0, skipped.index) + msg.slice(skipped.index + skipped[0].length);
			if (body) body[0] = msg;
		}
		this.body = body ? body.join('\n') : msg;
		if (head.exception) this.body += '\n' + head.exception;
		this.managed(record, head, msg, processKey, repeat);
	}

	private version(v: string, managed: boolean): void {
		if (!managed && this.managedVersionSeen) return;
		if (managed) this.managedVersionSeen = true;
		if (v === this.tracerVersion) return;
		this.tracerVersion = v;
		this.out.info({ tracerVersion: v, lang: '.NET' });
	}

	/** The current record's message with its continuation lines, properties block removed. */
	private body = '';

	private managed(
		record: LogRecord,
		head: Head,
		msg: string,
		processKey: string,
		repeat: number | undefined
	): void {
		const level = head.level;
		const warnOrWorse = level === 'warn' || level === 'error' || level === 'fatal';

		if (msg.startsWith('Span started: [')) return this.spanStarted(record, head, msg);
		if (msg.startsWith('Span closed: [')) return this.spanClosed(record, head, msg);
		if (msg.startsWith('DATADOG TRACER CONFIGURATION')) return this.configuration(record, head);
		if (msg.startsWith('DATADOG TRACER DIAGNOSTICS')) {
			const text = msg.slice(msg.indexOf('-') + 1).trim();
			const agent = /\bagent\b/i.test(text) && /reach|connect|refused|unavailable/i.test(text);
			if (agent) {
				this.emit('agent.error', record, head, `Tracer diagnostic: ${text}`, { reason: text });
			} else if (warnOrWorse) {
				this.emit(
					'log.other',
					record,
					head,
					`Tracer diagnostic: ${text}`,
					{ message: text },
					repeat
				);
			}
			return;
		}

		const st = this.state(processKey);

		// one send = `Flushing N spans across M traces` + `Sending M traces` + its outcome (R3)
		if (msg.startsWith('Flushing ') && msg.indexOf(' spans across ') > 0) {
			const m = /^Flushing (\d+) spans across (\d+) traces/.exec(msg);
			const fields: EventFields = {};
			if (m) {
				fields.spans = +m[1];
				fields.traces = +m[2];
			}
			const dropped = /with (\d+) droppedP0Traces and (\d+) droppedP0Spans/.exec(msg);
			if (dropped) {
				fields.droppedP0Traces = +dropped[1];
				fields.droppedP0Spans = +dropped[2];
			}
			st.attempt = this.emit(
				'flush.attempt',
				record,
				head,
				m
					? `Flushing ${m[1]} spans in ${m[2]} traces to the Agent.`
					: 'Flushing spans to the Agent.',
				fields
			);
			st.sent = false;
			st.retries = 0;
			st.failure = undefined;
			return;
		}
		if (
			msg.startsWith('Sending ') &&
			/^Sending \d+ traces to the (?:Datadog Agent|DD agent)/.test(msg)
		) {
			const n = +/^Sending (\d+)/.exec(msg)![1];
			if (st.attempt && !st.sent) {
				st.attempt.fields.traces = n;
				st.attempt.fields.sendLine = record.start;
			} else {
				st.attempt = this.emit('flush.attempt', record, head, `Sending ${n} traces to the Agent.`, {
					traces: n
				});
				st.retries = 0;
				st.failure = undefined;
			}
			st.sent = true;
			return;
		}
		if (msg.startsWith('Successfully sent ') && msg.indexOf(' traces to the ') > 0) {
			const m = /^Successfully sent (\d+) traces/.exec(msg);
			const fields: EventFields = {};
			if (m) fields.traces = +m[1];
			this.attach(st, fields);
			this.emit('flush.ok', record, head, `The Agent accepted ${m ? m[1] : 'the'} traces.`, fields);
			this.close(st);
			return;
		}
		if (
			msg.startsWith('Failed to submit traces with status code') ||
			msg.startsWith('Unable to read response for failed request with status code')
		) {
			const m = /status code (\d{3})(?: and message: ?([\s\S]{0,300}))?/.exec(msg);
			const fields: EventFields = {};
			if (m) {
				fields.status = +m[1];
				fields.reason = m[2] ? `HTTP ${m[1]}: ${m[2].trim()}` : `HTTP ${m[1]}`;
			}
			this.attach(st, fields);
			st.failure = this.emit(
				'flush.error',
				record,
				head,
				m ? `The Agent rejected the traces with HTTP ${m[1]}.` : 'The Agent rejected the traces.',
				fields,
				repeat
			);
			return;
		}
		if (msg.startsWith('Failed to submit ') && msg.indexOf('Agent responded with') > 0) {
			const m = /^Failed to submit (\d+) traces\. Agent responded with (\d{3})/.exec(msg);
			const fields: EventFields = { reason: msg.slice(0, 200) };
			if (m) {
				fields.traces = +m[1];
				fields.status = +m[2];
			}
			this.attach(st, fields);
			st.failure = this.emit(
				'flush.error',
				record,
				head,
				m ? `The Agent refused ${m[1]} traces with HTTP ${m[2]}.` : 'The Agent refused the traces.',
				fields
			);
			return;
		}
		if (msg.startsWith('Failed to submit stats')) {
			const m = /Status code (\d{3})/.exec(msg);
			st.statsFailure = this.emit(
				'agent.error',
				record,
				head,
				m ? `The Agent refused the stats payload with HTTP ${m[1]}.` : 'Sending stats failed.',
				m ? { status: +m[1], reason: msg.slice(0, 300) } : { reason: msg.slice(0, 300) },
				repeat
			);
			return;
		}
		const sending =
			msg.indexOf(' while sending ') > 0 ||
			msg.indexOf('while generating http request to send') >= 0 ||
			msg.startsWith('Unable to communicate with the trace agent');
		if (sending && (msg.indexOf('to the agent at') > 0 || msg.indexOf('trace agent at') > 0)) {
			return this.sendFailure(record, head, msg, st, repeat);
		}
		if (msg.startsWith('Traces sent successfully to the Agent at')) {
			const ep = endpointAfter(msg, 'Agent at ');
			const ex = exceptionOf(this.body);
			this.emit(
				'agent.error',
				record,
				head,
				'Traces were sent, but the Agent response could not be read.',
				{ endpoint: ep ?? null, reason: ex ? ex.message : 'response deserialization failed' }
			);
			return;
		}
		if (msg.startsWith('Closing span ') && msg.indexOf('triggered a partial flush') > 0) {
			const m =
				/^Closing span (\S+) triggered a partial flush of trace (\S+) with (\d+) pending spans/.exec(
					msg
				);
			this.emit(
				'trace.complete',
				record,
				head,
				m ? `Partial flush of ${m[3]} spans of trace ${m[2]}.` : 'Partial flush of a trace.',
				m ? { spanId: m[1], traceId: m[2], spans: +m[3], partial: true } : { partial: true }
			);
			return;
		}
		if (this.sampling(record, head, msg, repeat)) return;
		if (this.agentError(record, head, msg, repeat)) return;
		if (warnOrWorse) {
			const ex = exceptionOf(this.body);
			const fields: EventFields = { message: msg.slice(0, 500) };
			if (ex) fields.reason = ex.message;
			this.emit('log.other', record, head, msg.slice(0, 200) || 'Tracer warning.', fields, repeat);
		}
	}

	/** The outcome names its attempt, and carries the retry count (R2). */
	private attach(st: ProcessState, fields: EventFields): void {
		if (st.attempt) {
			fields.attemptEvent = st.attempt.id;
			if (fields.traces === undefined && typeof st.attempt.fields.traces === 'number')
				fields.traces = st.attempt.fields.traces;
			if (typeof st.attempt.fields.spans === 'number') fields.spans = st.attempt.fields.spans;
		}
		if (st.retries > 0) fields.attempts = st.retries + 1;
	}

	private close(st: ProcessState): void {
		st.attempt = undefined;
		st.sent = false;
		st.retries = 0;
		st.retrying = false;
	}

	private sendFailure(
		record: LogRecord,
		head: Head,
		msg: string,
		st: ProcessState,
		repeat: number | undefined
	): void {
		const ep = endpointAfter(msg, 'agent at ');
		const traces = isTraceEndpoint(ep);
		const retry =
			msg.indexOf('. Retrying.') > 0 ||
			msg.startsWith('Unable to communicate with the trace agent');
		if (retry) {
			// an intermediate try: part of the attempt, not a failure (R2)
			if (traces && st.attempt) {
				// 2.18+ prints `Retrying.` then `Unable to communicate…` for the same try
				if (msg.indexOf('. Retrying.') > 0) {
					st.retrying = true;
					st.retries++;
				} else if (!st.retrying) st.retries++;
				st.attempt.fields.retries = st.retries;
				if (ep) st.attempt.fields.endpoint = ep;
			}
			return;
		}
		const ex = exceptionOf(this.body);
		let reason = ex ? ex.message : undefined;
		const status = /does not indicate success: (\d{3})|status code (\d{3})/.exec(
			reason ?? this.body.slice(0, 4000)
		);
		if (!traces) {
			if (st.statsFailure && ep && ep.indexOf('stats') >= 0) {
				st.statsFailure.fields.endpoint = ep;
				st.statsFailure = undefined;
				return;
			}
			this.emit(
				'agent.error',
				record,
				head,
				`Sending data to the Agent at ${ep} failed${reason ? `: ${reason}` : '.'}`,
				{ endpoint: ep ?? null, reason: reason ?? null },
				repeat
			);
			return;
		}
		if (st.failure) {
			// the final ERR line restates a failure already counted from its status line (R1)
			const f = st.failure;
			if (ep) f.fields.endpoint = ep;
			if (record.start <= f.endLine + 3) f.endLine = record.end;
			st.failure = undefined;
			this.close(st);
			return;
		}
		const count = /sending (\d+) traces/.exec(msg);
		const fields: EventFields = {};
		if (count) fields.traces = +count[1];
		if (ep) fields.endpoint = ep;
		if (status) {
			fields.status = +(status[1] ?? status[2]);
		}
		if (!reason && msg.indexOf('generating http request') >= 0)
			reason = 'could not create the request';
		if (reason) fields.reason = reason;
		if (ex) fields.exception = ex.type;
		this.attach(st, fields);
		const where = ep ? ` at ${ep}` : '';
		this.emit(
			'flush.error',
			record,
			head,
			`Sending traces to the Agent${where} failed${reason ? `: ${reason}` : '.'}`,
			fields,
			repeat
		);
		this.close(st);
	}

	private sampling(
		record: LogRecord,
		head: Head,
		msg: string,
		repeat: number | undefined
	): boolean {
		let m: RegExpExecArray | null;
		if ((m = /^Matched on rule (.{0,200}?)\. Applying rate of (\S+) to trace id (\S+)/.exec(msg))) {
			this.emit('sampling', record, head, `Sampling rule ${m[1]} applied rate ${m[2]}.`, {
				rule: m[1],
				rate: m[2],
				traceId: m[3]
			});
			return true;
		}
		if ((m = /^No (?:sampling )?rules matched for trace (\S+?)\.?(?: |$)/.exec(msg))) {
			this.emit('sampling', record, head, 'No sampling rule matched: default sampling decision.', {
				traceId: m[1]
			});
			return true;
		}
		if ((m = /^Rate limiter dropped a trace \((\S+)\) after reaching (\d+) traces/.exec(msg))) {
			this.emit(
				'sampling',
				record,
				head,
				`The rate limiter dropped trace ${m[1]} (${m[2]} traces reached).`,
				{ traceId: m[1], limit: +m[2] },
				repeat
			);
			return true;
		}
		if (msg.startsWith('Sampling rates received from the agent are empty')) {
			this.emit('sampling', record, head, 'The Agent sent no sampling rates.', {});
			return true;
		}
		return false;
	}

	private agentError(
		record: LogRecord,
		head: Head,
		msg: string,
		repeat: number | undefined
	): boolean {
		const level = head.level;
		const warnOrWorse = level === 'warn' || level === 'error' || level === 'fatal';
		let what: string | undefined;
		if (msg.startsWith('Error discovering available agent services'))
			what = 'Agent discovery (/info) failed';
		else if (msg.startsWith('Error sending request to RCM endpoint') && warnOrWorse)
			what = 'Remote configuration request failed';
		else if (msg.startsWith('Failed to receive remote configurations'))
			what = 'Remote configuration request failed';
		else if (
			(msg.startsWith('Error while polling remote configuration') ||
				msg.startsWith('Remote Configuration management polling failed')) &&
			warnOrWorse
		)
			what = 'Remote configuration polling failed';
		else if (msg.startsWith('Error pushing telemetry') || msg.startsWith('Error sending telemetry'))
			what = 'Sending telemetry failed';
		else if (msg.startsWith('Error sending data streams monitoring data'))
			what = 'Sending data streams data failed';
		if (!what) return false;
		const ex = exceptionOf(this.body);
		const fields: EventFields = {};
		const status = /(?:^|[ :])([45]\d\d)\b/.exec(msg.slice(msg.lastIndexOf("'") + 1, 400));
		if (status) fields.status = +status[1];
		const ep = /'((?:https?|unix):\/\/[^'\s]{1,300})'/.exec(msg);
		if (ep) fields.endpoint = ep[1];
		fields.reason = ex ? ex.message : msg.slice(0, 300);
		this.emit(
			'agent.error',
			record,
			head,
			`${what}${ex ? `: ${ex.message.slice(0, 150)}` : '.'}`,
			fields,
			repeat
		);
		return true;
	}

	private spanStarted(record: LogRecord, head: Head, msg: string): void {
		const m =
			/^Span started: \[s_id: ([^,\]]{0,64}), p_id: ([^,\]]{0,64}), t_id: ([^,\]]{0,64})\]/.exec(
				msg
			);
		const fields: EventFields = {};
		if (m) {
			const ids = spanIdsNormalised(m[1], m[2], m[3]);
			fields.spanId = ids.spanId;
			fields.traceId = ids.traceId;
			if (ids.parentId) fields.parentId = ids.parentId;
			if (head.time !== undefined) {
				if (this.started.size >= MAX_OPEN_SPANS) {
					const oldest = this.started.keys().next().value;
					if (oldest !== undefined) this.started.delete(oldest);
				}
				this.started.set(ids.traceId + '/' + ids.spanId, head.time);
			}
		}
		this.emit('span.start', record, head, m ? `Span ${m[1]} started.` : 'Span started.', fields);
	}

	private spanClosed(record: LogRecord, head: Head, msg: string): void {
		const m =
			/^Span closed: \[s_id: ([^,\]]{0,64}), p_id: ([^,\]]{0,64}), t_id: ([^,\]]{0,64})\]/.exec(
				msg
			);
		const text = this.body;
		const after = (key: string, stop: string, from: number): [string | undefined, number] => {
			const a = text.indexOf(key, from);
			if (a < 0) return [undefined, from];
			const b = text.indexOf(stop, a + key.length);
			return b < 0 ? [text.slice(a + key.length), text.length] : [text.slice(a + key.length, b), b];
		};
		const [service, p1] = after('for (Service: ', ', Resource: ', 0);
		const [resource, p2] = after(', Resource: ', ', Operation: ', p1);
		const [operation, pos] = after(', Operation: ', ', Tags: [', p2);
		const tagsAt = text.indexOf(', Tags: [', pos);
		const detailsAt = text.indexOf('\nDetails:', tagsAt >= 0 ? tagsAt : 0);
		let tags = '';
		if (tagsAt >= 0) {
			const tagsEnd = detailsAt >= 0 ? detailsAt : text.length;
			tags = text.slice(tagsAt + 9, tagsEnd).replace(/\]\)\s*$/, '');
		}
		// the Details block (2.32+) gives type, start, duration and error
		let type: string | undefined;
		let start: number | undefined;
		let duration: number | undefined;
		let error: boolean | undefined;
		if (detailsAt >= 0) {
			for (const raw of text.slice(detailsAt + 9).split('\n')) {
				const l = raw.trim();
				if (l.startsWith('Type: ')) type = l.slice(6) || undefined;
				else if (l.startsWith('Start: ')) start = parseTimestamp(l.slice(7))?.time;
				else if (l.startsWith('Duration: ')) duration = timeSpanMs(l.slice(10));
				else if (l.startsWith('Error: ')) error = l.slice(7).toLowerCase() === 'true';
			}
		}
		if (
			error === undefined &&
			(tags.indexOf('error.msg (tag):') >= 0 || tags.indexOf('error.type (tag):') >= 0)
		)
			error = true;
		const fields: EventFields = {};
		let ids: ReturnType<typeof spanIdsNormalised> | undefined;
		if (m) {
			ids = spanIdsNormalised(m[1], m[2], m[3]);
			fields.spanId = ids.spanId;
			fields.traceId = ids.traceId;
			if (ids.parentId) fields.parentId = ids.parentId;
			const key = ids.traceId + '/' + ids.spanId;
			const t0 = this.started.get(key);
			if (t0 !== undefined) {
				this.started.delete(key);
				if (start === undefined) start = t0;
				if (duration === undefined && head.time !== undefined) duration = head.time - t0;
			}
		}
		if (service !== undefined) fields.service = service;
		if (resource !== undefined) fields.resource = resource;
		if (operation !== undefined) fields.name = operation;
		if (type) fields.type = type;
		if (duration !== undefined) fields.duration = duration;
		if (error) fields.error = true;
		if (tags) fields.tags = tags.length > 1000 ? tags.slice(0, 1000) + '…' : tags;
		const ev = this.emit(
			'span.finish',
			record,
			head,
			`Span ${operation || '(unnamed)'}${resource ? ` (${resource})` : ''} closed${service ? ` in ${service}` : ''}.`,
			fields
		);
		if (ids) {
			this.out.span({
				traceId: ids.traceId,
				spanId: ids.spanId,
				parentId: ids.parentId,
				name: operation,
				service,
				resource,
				type,
				error,
				start,
				duration,
				line: record.start,
				event: ev.id
			});
		}
	}

	private configuration(record: LogRecord, head: Head): void {
		// the JSON may be wrapped over several lines (docs) and is followed by the properties block
		const first = record.lines[0];
		const at = first.indexOf('DATADOG TRACER CONFIGURATION');
		const text = first.slice(at) + (record.lines.length > 1 ? record.lines.slice(1).join('') : '');
		const { obj, complete } = readJsonObject(text);
		this.out.config(textValues(obj));
		const version = str(obj.version);
		if (version) this.version(version, true);
		this.out.info({
			tracerVersion: version,
			agentUrl: str(obj.agent_url),
			service: str(obj.service),
			env: str(obj.env),
			version: str(obj.dd_version ?? obj.service_version),
			sampleRate: str(obj.sample_rate),
			debug: str(obj.debug),
			lang: str(obj.lang),
			langVersion: str(obj.lang_version)
		});
		const fields: EventFields = { complete };
		if (obj.agent_url !== undefined) fields.agentUrl = str(obj.agent_url) ?? null;
		if (typeof obj.agent_reachable === 'boolean') fields.agentReachable = obj.agent_reachable;
		const agentError = str(obj.agent_error);
		if (agentError) fields.agentError = agentError;
		if (obj.service !== undefined) fields.service = str(obj.service) ?? null;
		if (obj.env !== undefined) fields.env = str(obj.env) ?? null;
		if (version) fields.version = version;
		this.emit(
			'tracer.config',
			record,
			head,
			`Tracer configuration${version ? ` (version ${version})` : ''}${obj.agent_url ? `, Agent at ${str(obj.agent_url)}` : ''}.`,
			fields
		);
	}

	/** The managed loader prints no level: it logs its failures with their exception (`Log(ex, …)`). */
	private startup(record: LogRecord, head: Head): void {
		if (record.lines.length < 2) return;
		const trace = record.lines.slice(1).join('\n');
		const ex = exceptionOf(trace);
		if (!ex) return;
		// the innermost exception says why (the outer one is often a TargetInvocationException)
		const inner = trace.lastIndexOf('\n ---> ');
		const cause = (inner >= 0 ? exceptionOf(trace.slice(inner + 6)) : undefined) ?? ex;
		this.emit(
			'log.other',
			record,
			{ ...head, level: 'error' },
			`Tracer loader: ${head.msg.slice(0, 200)}`,
			{ message: head.msg.slice(0, 500), reason: `${cause.type}: ${cause.message}`, loader: true }
		);
	}

	private native(record: LogRecord, head: Head): void {
		const msg = head.msg;
		const warnOrWorse = head.level === 'warn' || head.level === 'error' || head.level === 'fatal';
		let m: RegExpExecArray | null;
		if ((m = /^Datadog CLR Profiler (\S+)/.exec(msg))) {
			this.version(m[1], false);
			return;
		}
		if ((m = /^Runtime Information: (\.NET[\w ]*?) (\d[\w.-]*)$/.exec(msg))) {
			this.out.info({ lang: m[1], langVersion: m[2] });
			return;
		}
		if ((m = /^ {1,4}(DD_[A-Z0-9_]{1,80})=(.{0,500})$/.exec(msg))) {
			const key = m[1];
			const v = m[2];
			if (key === 'DD_ENV') this.out.info({ env: v });
			else if (key === 'DD_SERVICE') this.out.info({ service: v });
			else if (key === 'DD_VERSION') this.out.info({ version: v });
			else if (key === 'DD_TRACE_AGENT_URL') this.out.info({ agentUrl: v });
			return;
		}
		if ((m = /^InitializeProfiler: Total integrations in profiler: (\d+)/.exec(msg))) {
			this.emit(
				'integration.loaded',
				record,
				head,
				`${m[1]} integrations registered in the profiler.`,
				{
					count: +m[1]
				}
			);
			return;
		}
		if (warnOrWorse) {
			const text = msg.startsWith('DATADOG TRACER DIAGNOSTICS - ')
				? msg.slice('DATADOG TRACER DIAGNOSTICS - '.length)
				: msg;
			this.emit('log.other', record, head, text.slice(0, 200), {
				message: msg.slice(0, 500),
				native: true
			});
		}
	}
}

// A line of the managed log: timestamp with offset, then a three-letter level
const MANAGED_PREFIX =
	/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d \[(?:VRB|DBG|INF|WRN|ERR|FTL)\] /;

// Java says `Successfully sent 1 of 2 traces to the DD agent.`: only the .NET sentences count
const DOTNET_SEND =
	/(?:Sending|Successfully sent) \d{1,9} traces to the (?:DD agent(?!\.)|Datadog Agent\.)/;

const DATADOG_PROFILER_CLSID = '846F5F1C-F9AE-4B07-969E-05C26BC060D8';

function detect(text: string): number {
	if (text.length < 8) return 0;
	// Most lines have none of these markers. A search is fast when its needle starts with a rare
	// character (`[`, capitals) and slow when with a common one (space, quote, lower case): the
	// markers are looked for only in lines with a rarer piece of them.
	const datadog = text.indexOf('Datadog') >= 0;
	if (
		(text.indexOf('[s_id:') >= 0 &&
			(text.indexOf('Span closed: [s_id:') >= 0 || text.indexOf('Span started: [s_id:') >= 0)) ||
		((datadog || text.indexOf('DD agent') >= 0) &&
			text.indexOf(' traces to the D') > 0 &&
			DOTNET_SEND.test(text)) ||
		(text.indexOf('while sending ') >= 0 &&
			(text.indexOf('occurred while sending data to the agent at') >= 0 ||
				text.indexOf('occured while sending traces to the agent') >= 0)) ||
		(datadog &&
			(text.indexOf('Datadog CLR Profiler') >= 0 ||
				text.indexOf('Datadog.Trace.ClrProfiler') >= 0 ||
				text.indexOf('Datadog.Trace.Agent') >= 0)) ||
		text.indexOf('JITCompilationStarted') >= 0 ||
		(text.indexOf('NET') >= 0 && text.indexOf('"lang":".NET') >= 0)
	) {
		return 10;
	}
	if (text.charCodeAt(0) === 91 && text.indexOf(' | DD-TRACE-DOTNET') > 0 && CONSOLE.test(text))
		return 10;
	const managed = MANAGED_PREFIX.test(text);
	if (managed) {
		if (text.indexOf('{ MachineName: "') >= 0 && text.indexOf('TracerVersion: "') >= 0) return 10;
		if (text.indexOf('DATADOG TRACER CONFIGURATION') >= 0) return 10;
		if (text.indexOf('An error occurred while sending traces to the agent at') >= 0) return 10;
		return 3;
	}
	if (text.startsWith('{ MachineName: "') && text.indexOf('AppDomain') > 0) return 5;
	if (NATIVE.test(text) || NATIVE_OLD.test(text)) {
		// spdlog's prefix is shared with other native programs: a hint, unless the text is ours
		return text.indexOf('Datadog') >= 0 || text.indexOf('DD_') >= 0 ? 6 : 2;
	}
	if (text.startsWith('{"Timestamp":"') && text.indexOf('"MessageTemplate":"') > 0) {
		return text.indexOf('to the agent at') > 0 || text.indexOf('Datadog') > 0 ? 10 : 2;
	}
	// native loader (`[… | warning | PId: 1 | TId: 2] …`): ours when it names our files
	if (text.charCodeAt(0) === 91 && text.indexOf('| PId: ') > 0 && LOADER.test(text))
		return datadog ? 6 : 2;
	// the CLR's own line (Windows event log) naming the tracer's profiler CLSID
	if (text.indexOf('CLSID') >= 0 && text.indexOf(DATADOG_PROFILER_CLSID) >= 0) return 6;
	return 0;
}

export const dotnetParser: TracerParser = {
	id: 'dotnet',
	name: '.NET',
	logsSuccess: true,
	fileNameHint: /dotnet-tracer-|dotnet-profiler/i,
	detect,
	createSession: (out: Emitter) => new DotnetSession(out)
};
