// PHP tracer (dd-trace-php) parser: four prefix generations (userland `[ISO] [ddtrace] [level] - `,
// untagged C messages, `[ddtrace] [level]`, `[ddtrace] [level] [pid]`) inside PHP's error_log, php-fpm,
// nginx or Apache wrappers. See FORMAT-php.md.
import type { EventFields, EventKind, Level, LogEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { nanosToMillis, parseTimestamp } from '../time';
import { readJsonObject, str, textValues } from './common';
import type { Emitter, SpanFields, TracerParser } from './types';

const TAGS: Record<string, Level> = {
	error: 'error',
	warning: 'warn',
	warn: 'warn',
	info: 'info',
	debug: 'debug',
	trace: 'trace',
	startup: 'info',
	span: 'debug',
	hook: 'trace',
	deprecated: 'info',
	notice: 'info',
	critical: 'fatal',
	alert: 'fatal',
	emergency: 'fatal'
};

const MONTHS: Record<string, number> = {
	Jan: 0,
	Feb: 1,
	Mar: 2,
	Apr: 3,
	May: 4,
	Jun: 5,
	Jul: 6,
	Aug: 7,
	Sep: 8,
	Oct: 9,
	Nov: 10,
	Dec: 11
};

// Zone abbreviations Intl does not know; PHP prints `%Z` (strftime) or an IANA name (error_log)
const ABBREVIATIONS: Record<string, number> = {
	UTC: 0,
	GMT: 0,
	UCT: 0,
	Z: 0,
	CET: 60,
	CEST: 120,
	EET: 120,
	EEST: 180,
	WET: 0,
	WEST: 60,
	BST: 60,
	IST: 330,
	MSK: 180,
	EST: -300,
	EDT: -240,
	CST: -360,
	CDT: -300,
	MST: -420,
	MDT: -360,
	PST: -480,
	PDT: -420,
	AKST: -540,
	AKDT: -480,
	HST: -600,
	JST: 540,
	KST: 540,
	AEST: 600,
	AEDT: 660,
	ACST: 570,
	AWST: 480,
	NZST: 720,
	NZDT: 780
};

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** Minutes east of UTC of an IANA zone at an instant, via Intl; undefined when unknown. */
function ianaOffset(zone: string, at: number): number | undefined {
	let f = offsetFormats.get(zone);
	if (f === undefined) {
		try {
			f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
		} catch {
			f = null;
		}
		if (offsetFormats.size < 100) offsetFormats.set(zone, f);
	}
	if (!f) return undefined;
	try {
		const name = f.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
		if (name === 'GMT') return 0;
		const m = /^GMT([+-])(\d{1,2})(?::(\d\d))?$/.exec(name);
		if (!m) return undefined;
		return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +(m[3] ?? 0));
	} catch {
		return undefined;
	}
}

function offsetLabel(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const a = Math.abs(minutes);
	return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** A wall-clock time (read as UTC) in a named zone: the instant and a zone the core understands. */
function inZone(wall: number, zone: string | undefined): { time: number; zone: string } {
	if (!zone) return { time: wall, zone: 'local' };
	if (zone === 'UTC' || zone === 'GMT' || zone === 'Z' || zone === 'Etc/UTC' || zone === 'UCT')
		return { time: wall, zone: 'UTC' };
	let off: number | undefined = ABBREVIATIONS[zone];
	if (off === undefined && zone.indexOf('/') > 0) {
		const guess = ianaOffset(zone, wall);
		if (guess !== undefined) off = ianaOffset(zone, wall - guess * 60000) ?? guess;
	}
	if (off === undefined) return { time: wall, zone: 'local' };
	return { time: wall - off * 60000, zone: off === 0 ? 'UTC' : offsetLabel(off) };
}

const PHP_DATE =
	/^\[(\d{1,2})-([A-Z][a-z]{2})-(\d{4}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?: ([A-Za-z][\w/+-]{0,63}))?\] /;
const APACHE_DATE =
	/^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\] /;
const NGINX_DATE =
	/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w{1,10}\] \d{1,10}#\d{1,10}: (?:\*\d{1,12} )?/;

interface Parsed {
	/** The message after every prefix. */
	msg: string;
	/** `[ddtrace] [tag]` seen: a line of the tracer for certain. */
	tagged: boolean;
	tag?: string;
	level?: Level;
	pid?: string;
	time?: number;
	zone?: string;
}

/** Strips web-server and PHP wrappers from the start of a line; keeps their time and process. */
function unwrap(text: string): {
	core: string;
	time?: number;
	zone?: string;
	pid?: string;
	quoted: boolean;
} {
	let core = text;
	let time: number | undefined;
	let zone: string | undefined;
	let pid: string | undefined;
	let quoted = false;
	for (let guard = 0; guard < 8; guard++) {
		const c = core.charCodeAt(0);
		let m: RegExpExecArray | null;
		if (c === 91 /* [ */) {
			if ((m = PHP_DATE.exec(core))) {
				const month = MONTHS[m[2]];
				if (time === undefined && month !== undefined) {
					const frac = m[7] ? Number('0.' + m[7]) * 1000 : 0;
					const z = inZone(Date.UTC(+m[3], month, +m[1], +m[4], +m[5], +m[6]) + frac, m[8]);
					time = z.time;
					zone = z.zone;
				}
				core = core.slice(m[0].length);
				continue;
			}
			if ((m = APACHE_DATE.exec(core))) {
				const month = MONTHS[m[1]];
				if (time === undefined && month !== undefined) {
					const frac = m[6] ? Number('0.' + m[6]) * 1000 : 0;
					time = Date.UTC(+m[7], month, +m[2], +m[3], +m[4], +m[5]) + frac;
					zone = 'local';
				}
				core = core.slice(m[0].length);
				// Apache's `[module:level] [pid N:tid M] [client …] `
				for (let k = 0; k < 4 && core.charCodeAt(0) === 91; k++) {
					const close = core.indexOf('] ');
					if (close < 0 || close > 80) break;
					const group = core.slice(1, close);
					if (group === 'ddtrace' || /^\d{4}-\d\d-\d\dT/.test(group)) break;
					const p = /^pid (\d{1,10})/.exec(group);
					if (p) pid = p[1];
					core = core.slice(close + 2);
				}
				continue;
			}
			break;
		}
		if (c >= 48 && c <= 57 && (m = NGINX_DATE.exec(core))) {
			const ts = parseTimestamp(core);
			if (time === undefined && ts) {
				time = ts.time;
				zone = ts.zone;
			}
			core = core.slice(m[0].length);
			continue;
		}
		const stderr = core.indexOf('sent in stderr: "');
		if (stderr >= 0 && stderr < 200) {
			core = core.slice(stderr + 17);
			quoted = true;
			continue;
		}
		const fpm =
			/^(?:[A-Z]{4,7}: )?\[pool [^\]]{1,100}\] child (\d{1,10}) said into std(?:err|out): "/.exec(
				core
			);
		if (fpm) {
			pid = fpm[1];
			core = core.slice(fpm[0].length);
			quoted = true;
			continue;
		}
		if (core.startsWith('PHP message: ')) {
			// later lines of an nginx FastCGI record: the closing quote comes on the last one
			core = core.slice(13);
			quoted = true;
			continue;
		}
		const level = /^(?:NOTICE|WARNING|ERROR|DEBUG|ALERT): (?=PHP message: |\[)/.exec(core);
		if (level) {
			core = core.slice(level[0].length);
			continue;
		}
		const apacheFcgi = core.indexOf("Got error '");
		if (apacheFcgi >= 0 && apacheFcgi < 40) {
			core = core.slice(apacheFcgi + 11);
			quoted = true;
			continue;
		}
		break;
	}
	return { core, time, zone, pid, quoted };
}

function parseLine(text: string): Parsed {
	const w = unwrap(text);
	let msg = w.core;
	let time = w.time;
	let zone = w.zone;
	let pid = w.pid;
	let tagged = false;
	let tag: string | undefined;
	let level: Level | undefined;
	const at = msg.indexOf('[ddtrace] [');
	if (at >= 0) {
		const close = msg.indexOf(']', at + 11);
		const word = close > 0 && close - at < 24 ? msg.slice(at + 11, close).toLowerCase() : '';
		if (TAGS[word]) {
			tagged = true;
			tag = word;
			level = TAGS[word];
			// generation A: userland `[2020-03-26T16:35:28+00:00] [ddtrace] [debug] - msg`
			if (at >= 3 && msg.charCodeAt(at - 2) === 93) {
				const open = msg.lastIndexOf('[', at - 2);
				if (open >= 0 && at - open < 48) {
					const ts = parseTimestamp(msg.slice(open + 1, at - 2));
					if (ts) {
						time = ts.time;
						zone = ts.zone;
					}
				}
			}
			let rest = msg.slice(close + 1);
			const p = /^ \[(\d{1,10})\]/.exec(rest); // generation D: `[ddtrace] [info] [12345] msg`
			if (p) {
				pid = p[1];
				rest = rest.slice(p[0].length);
			}
			if (rest.startsWith(' - ')) rest = rest.slice(3);
			else if (rest.startsWith(' ')) rest = rest.slice(1);
			msg = rest;
		}
	}
	if (w.quoted) {
		// the wrapper quotes the message: `…"` or `…" while reading response header from upstream, …`
		const tail = msg.indexOf('" while ');
		if (tail >= 0) msg = msg.slice(0, tail);
		else if (msg.endsWith('"')) msg = msg.slice(0, -1);
	}
	const once = msg.indexOf('; This message is only displayed once.');
	if (once >= 0) msg = msg.slice(0, once);
	return { msg, tagged, tag, level, pid, time, zone };
}

/** The text between `key` and the next `stop` (or the end), searching from `from`. */
function between(text: string, key: string, stop: string, from = 0): [string | undefined, number] {
	const a = text.indexOf(key, from);
	if (a < 0) return [undefined, from];
	const b = stop ? text.indexOf(stop, a + key.length) : -1;
	return b < 0 ? [text.slice(a + key.length), text.length] : [text.slice(a + key.length, b), b];
}

const digits = (s: string | undefined): string | undefined => /^\d{1,40}/.exec(s ?? '')?.[0];

/** `Encoding span: Span { service: …, name: …, … }` (1.11+, Rust Debug text). */
function newSpan(msg: string): SpanFields {
	const s: SpanFields = {};
	let pos = 0;
	let v: string | undefined;
	[v, pos] = between(msg, 'Span { service: ', ', name: ', pos);
	s.service = v;
	[v, pos] = between(msg, ', name: ', ', resource: ', pos);
	s.name = v;
	[v, pos] = between(msg, ', resource: ', ', type: ', pos);
	s.resource = v;
	[v, pos] = between(msg, ', type: ', ', trace_id: ', pos);
	s.type = v || undefined;
	s.traceId = digits(between(msg, ', trace_id: ', '', pos)[0]);
	s.spanId = digits(between(msg, ', span_id: ', '', pos)[0]);
	const parent = digits(between(msg, ', parent_id: ', '', pos)[0]);
	s.parentId = parent && parent !== '0' ? parent : undefined;
	const start = digits(between(msg, ', start: ', '', pos)[0]);
	if (start) s.start = nanosToMillis(start);
	const duration = digits(between(msg, ', duration: ', '', pos)[0]);
	if (duration) s.duration = nanosToMillis(duration);
	const error = digits(between(msg, ', error: ', '', pos)[0]);
	if (error !== undefined) s.error = error !== '0';
	return s;
}

/** `Encoding span 123: trace_id=hex, name='…', service='…', resource: '…', type '…' with tags: …` (0.98–1.10). */
function oldSpan(msg: string): SpanFields & { tags?: string } {
	const s: SpanFields & { tags?: string } = {};
	s.spanId = digits(msg.slice(14));
	let pos = 0;
	let v: string | undefined;
	[v, pos] = between(msg, 'trace_id=', ', name=', pos);
	s.traceId = v;
	[v, pos] = between(msg, "name='", "', service='", pos);
	s.name = v;
	[v, pos] = between(msg, "service='", "', resource: '", pos);
	s.service = v;
	[v, pos] = between(msg, "resource: '", "', type '", pos);
	s.resource = v;
	[v, pos] = between(msg, "type '", "' with tags: ", pos);
	s.type = v || undefined;
	const [tags] = between(msg, "' with tags: ", '; and metrics: ', pos);
	if (tags && tags !== '-') {
		s.tags = tags.length > 1000 ? tags.slice(0, 1000) + '…' : tags;
		if (/(?:^|, )error\.(?:message|msg|type)='/.test(tags)) s.error = true;
	}
	return s;
}

interface FlushState {
	/** Userland transport: the attempt of `Flushing N traces` until `About to send` folds into it. */
	attempt?: LogEvent;
	announced: boolean;
}

/**
 * Failures of the local channels (background sender, sidecar IPC via `datadog_ffi_try`, 1.x), e.g.
 * `Failed flushing telemetry buffer: Os { code: 32, kind: BrokenPipe, … }`: the Agent is not involved (R6).
 */
const LOCAL_FAILURE =
	/^(?:Unable to send payload to background sender|Traces are dropped by PID|Background sender expected|Unable to (?:auto )?flush the tracer|Failed (?:connecting to|sending traces to|signaling|sending remote config|flushing)[^:]{0,80}: )/;

/**
 * The segfault handler's first line before 0.9x added `[crash] Segmentation fault encountered` above it
 * (`src/ext/backtrace.c` @0.13.2; still printed after it in `ext/signals.c`).
 */
const CRASH_BANNER = 'Datadog PHP Trace extension (DEBUG MODE)';

/** `Received Signal 11` from the crash record's second line, when it has one. */
function crashSignal(record: LogRecord): string {
	const second = record.lines.length > 1 ? record.lines[1] : '';
	const m = /Received Signal (\d{1,3})/.exec(second);
	return m ? `signal ${m[1]}` : 'signal';
}

/** Lines that belong to a curl verbose dump (`DD_TRACE_DEBUG_CURL_OUTPUT`, userland debug). */
const isCurlVerbose = (core: string) =>
	core.startsWith('* ') || core.startsWith('> ') || core.startsWith('< ');

class PhpSession {
	private readonly grouper: RecordGrouper;
	private readonly flush = new Map<string, FlushState>();
	/** The last failed payload, so a curl dump printed after it folds into it (R1). */
	private lastFailure?: LogEvent;
	/** The Agent URL the log names (configuration, send-queue lines), for failures that do not. */
	private agentUrl?: string;
	constructor(private readonly out: Emitter) {
		this.grouper = new RecordGrouper(
			(text, record) => this.continues(text, record),
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

	private continues(text: string, record: LogRecord): boolean {
		const first = record.lines[0];
		if (text.indexOf('[ddtrace] [') >= 0) return false;
		const core = unwrap(text).core;
		if (core === '' || core === '"') return first.indexOf('[bgs] ') >= 0 && record.lines.length < 3;
		if (isCurlVerbose(core)) {
			return (
				first.indexOf('[bgs] ') >= 0 ||
				first.indexOf('Reporting of spans failed') >= 0 ||
				isCurlVerbose(parseLine(first).msg)
			);
		}
		if (first.indexOf('[crash] ') >= 0 || first.indexOf(CRASH_BANNER) >= 0) {
			return (
				core.startsWith('[crash] ') ||
				core.startsWith('Datadog PHP Trace extension') ||
				core.startsWith('Received Signal') ||
				core.startsWith('Note: ') ||
				core.startsWith('Backtrace:') ||
				core.indexOf(' [0x') > 0 ||
				core.indexOf('(+0x') > 0
			);
		}
		return false;
	}

	private state(key: string): FlushState {
		let s = this.flush.get(key);
		if (!s) this.flush.set(key, (s = { announced: false }));
		return s;
	}

	private emit(
		kind: EventKind,
		record: LogRecord,
		p: Parsed,
		summary: string,
		fields: EventFields
	): LogEvent {
		return this.out.event({
			kind,
			line: record.start,
			endLine: record.end,
			time: p.time,
			zone: p.time !== undefined ? p.zone : undefined,
			level: p.level,
			summary,
			fields
		});
	}

	private record(record: LogRecord): void {
		const p = parseLine(record.lines[0]);
		const msg = p.msg;
		const key = p.pid ?? '';

		if (msg.startsWith('DATADOG TRACER CONFIGURATION - ')) return this.configuration(record, p);
		if (msg.startsWith('DATADOG TRACER DIAGNOSTICS - ')) return this.diagnostic(record, p);

		// the tracer's own messages, recognised with or without the `[ddtrace]` tag
		if (msg.startsWith('Flushing trace of size ')) {
			const m = /^Flushing trace of size (\d+) to send-queue for (\S+)/.exec(msg);
			if (m) this.agentUrl = m[2];
			this.emit(
				'flush.attempt',
				record,
				p,
				m
					? `Handed a trace of ${m[1]} spans to the sender for ${m[2]}.`
					: 'Handed a trace to the sender.',
				m ? { spans: +m[1], traces: 1, endpoint: m[2] } : { traces: 1 }
			);
			return;
		}
		if (msg.startsWith('Successfully triggered flush with trace of size ')) {
			const n = digits(msg.slice('Successfully triggered flush with trace of size '.length));
			this.emit(
				'flush.attempt',
				record,
				p,
				`Handed a trace of ${n ?? 'some'} spans to the background sender.`,
				n ? { spans: +n, traces: 1 } : { traces: 1 }
			);
			return;
		}
		// also pasted without any prefix (R9 exception)
		const failedAt = msg.indexOf('Reporting of spans ');
		if (
			failedAt >= 0 &&
			/^Reporting of spans (?:failed|skipped)/.test(msg.slice(failedAt, failedAt + 30))
		)
			return this.reportingFailed(record, p, msg.slice(failedAt), key);
		if (msg.startsWith('[bgs] ')) return this.backgroundSender(record, p, msg);
		if (msg.startsWith('Agent request payload of ') && msg.indexOf('dropping request') > 0) {
			const m = /^Agent request payload of (\d+) bytes/.exec(msg);
			this.lastFailure = this.emit(
				'flush.error',
				record,
				p,
				'A trace payload was too large and was dropped.',
				m
					? { bytes: +m[1], reason: 'payload exceeds the size limit' }
					: { reason: 'payload exceeds the size limit' }
			);
			return;
		}
		if (msg.startsWith('[crash] ') || msg.startsWith(CRASH_BANNER)) {
			// the backtrace lines that follow are continuation lines of this one record
			const what = msg.startsWith('[crash] ') ? msg.slice(8, 150) : crashSignal(record);
			this.emit('log.other', record, { ...p, level: 'fatal' }, `PHP crashed: ${what}`, {
				message: msg.slice(0, 500)
			});
			return;
		}

		if (!p.tagged) return this.untagged(record, p, msg);

		if (msg.startsWith('Loaded integration ')) {
			const name = msg.slice(19).trim();
			const short = name.slice(name.lastIndexOf('\\') + 1).replace(/Integration$/, '') || name;
			this.emit('integration.loaded', record, p, `Loaded integration ${short}.`, {
				integration: name,
				name: short
			});
			return;
		}
		if (msg.startsWith('Encoding span')) return this.encodingSpan(record, p, msg);
		if (msg.startsWith('Starting new root span: ') || msg.startsWith('Starting new span: ')) {
			const fields: EventFields = {};
			const t = /trace_id=([0-9a-fA-F]{1,40})/.exec(msg);
			const s = /span_id=(\d{1,20})/.exec(msg);
			const par = /parent_id=(\d{1,20})/.exec(msg);
			if (t) fields.traceId = t[1];
			if (s) fields.spanId = s[1];
			if (par && par[1] !== '0') fields.parentId = par[1];
			this.emit('span.start', record, p, s ? `Span ${s[1]} started.` : 'Span started.', fields);
			return;
		}
		if (msg.startsWith('New span ') && msg.endsWith(' recorded.')) {
			const what = msg.slice(9, -10);
			const sp = what.indexOf(' ');
			const fields: EventFields =
				sp > 0 ? { name: what.slice(0, sp), resource: what.slice(sp + 1) } : { name: what };
			this.emit('span.start', record, p, `Span ${what} started.`, fields);
			return;
		}
		if (msg.startsWith('Flushing ') && / traces, \d+ spans/.test(msg)) {
			const m = /^Flushing (\d+) traces, (\d+) spans/.exec(msg);
			const st = this.state(key);
			st.attempt = this.emit(
				'flush.attempt',
				record,
				p,
				m
					? `Flushing ${m[1]} traces (${m[2]} spans) to the Agent.`
					: 'Flushing traces to the Agent.',
				m ? { traces: +m[1], spans: +m[2] } : {}
			);
			st.announced = false;
			return;
		}
		if (msg.startsWith('About to send trace(s) to the agent')) {
			const st = this.state(key);
			if (st.attempt && !st.announced) {
				st.attempt.fields.sendLine = record.start;
			} else {
				st.attempt = this.emit('flush.attempt', record, p, 'Sending traces to the Agent.', {});
			}
			st.announced = true;
			return;
		}
		if (msg.startsWith('Traces successfully sent to the agent')) {
			const st = this.state(key);
			const fields: EventFields = {};
			if (st.attempt) {
				fields.attemptEvent = st.attempt.id;
				if (typeof st.attempt.fields.traces === 'number') fields.traces = st.attempt.fields.traces;
			}
			this.emit('flush.ok', record, p, 'The Agent accepted the traces.', fields);
			st.attempt = undefined;
			return;
		}
		if (msg.startsWith('Evaluated agent sampling rules')) {
			const fields: EventFields = {};
			const t = /for trace (\S+?)(?: \(|$| and)/.exec(msg);
			if (t) fields.traceId = t[1];
			const svc = /\(service: ([^,]{0,200}), env: ([^)]{0,200})\)/.exec(msg);
			if (svc) {
				fields.service = svc[1];
				fields.env = svc[2];
			}
			const rate = /sample_rate of (\S+)/.exec(msg);
			if (rate) fields.rate = rate[1];
			const dflt = msg.indexOf('applied a default sample_rate') > 0;
			if (dflt) fields.default = true;
			this.emit(
				'sampling',
				record,
				p,
				`Agent sampling rate ${rate ? rate[1] : '?'}${dflt ? ' (default)' : ''} applied to the trace.`,
				fields
			);
			return;
		}
		if (msg.startsWith('Dogstatsd client failed')) {
			this.emit('agent.error', record, p, `DogStatsD: ${msg.slice(0, 200)}`, {
				reason: msg.slice(0, 300)
			});
			return;
		}
		const warnOrWorse = p.level === 'warn' || p.level === 'error' || p.level === 'fatal';
		if (!warnOrWorse) return;
		const recent = this.lastFailure && record.start - this.lastFailure.endLine <= 5;
		if (recent && (isCurlVerbose(msg) || msg.startsWith('Error while retrieving curl error log'))) {
			// the curl dump printed right after a failed payload restates it (R1)
			this.lastFailure!.endLine = record.end;
			return;
		}
		// sidecar and shared-memory failures are local: never "Agent unreachable" (R6)
		const local = /sidecar|shared memory|background sender/i.test(msg) || LOCAL_FAILURE.test(msg);
		this.emit('log.other', record, p, msg.slice(0, 200) || 'Tracer error.', {
			message: msg.slice(0, 500),
			...(local ? { channel: 'local' } : {})
		});
	}

	/** Untagged lines: generation B (≤0.96) and pastes; only known templates count. */
	private untagged(record: LogRecord, p: Parsed, msg: string): void {
		const known = LOCAL_FAILURE.exec(msg);
		if (known) {
			this.emit('log.other', record, { ...p, level: 'error' }, msg.slice(0, 200), {
				message: msg.slice(0, 500),
				channel: 'local'
			});
		} else if (msg.startsWith('Dogstatsd client failed')) {
			this.emit('agent.error', record, { ...p, level: 'warn' }, `DogStatsD: ${msg.slice(0, 200)}`, {
				reason: msg.slice(0, 300)
			});
		}
	}

	private reportingFailed(record: LogRecord, p: Parsed, msg: string, key: string): void {
		const fields: EventFields = {};
		let summary: string;
		let m: RegExpExecArray | null;
		if ((m = /^Reporting of spans failed: (\d{1,4}) \/ ([^\n]{0,500})/.exec(msg))) {
			fields.curlErrno = +m[1];
			fields.reason = m[2].trim();
			summary = `Sending traces to the Agent failed: ${fields.reason}`;
		} else if ((m = /^Reporting of spans failed, status code (\d{3}): ?([^\n]{0,300})/.exec(msg))) {
			fields.status = +m[1];
			fields.reason = `HTTP ${m[1]}${m[2] ? `: ${m[2].trim()}` : ''}`;
			summary = `The Agent rejected the traces with HTTP ${m[1]}.`;
		} else if (msg.startsWith('Reporting of spans failed, upgrade your client library')) {
			fields.status = 415;
			fields.reason = 'HTTP 415: upgrade the client library';
			summary = 'The Agent rejected the traces (HTTP 415): the tracer is too old for it.';
		} else if (msg.startsWith('Reporting of spans skipped due to open circuit breaker')) {
			fields.reason = 'circuit breaker open after repeated failures';
			summary = 'Traces not sent: the circuit breaker is open after repeated failures.';
		} else {
			fields.reason = msg.slice(0, 300);
			summary = 'Sending traces to the Agent failed.';
		}
		if (this.agentUrl) fields.endpoint = this.agentUrl;
		const st = this.flush.get(key);
		if (st?.attempt) {
			fields.attemptEvent = st.attempt.id;
			if (typeof st.attempt.fields.traces === 'number') fields.traces = st.attempt.fields.traces;
			st.attempt = undefined;
		}
		this.lastFailure = this.emit(
			'flush.error',
			record,
			{ ...p, level: p.level ?? 'error' },
			summary,
			fields
		);
	}

	private backgroundSender(record: LogRecord, p: Parsed, msg: string): void {
		let m: RegExpExecArray | null;
		if ((m = /^\[bgs\] uploaded (\d+) bytes/.exec(msg))) {
			this.emit(
				'flush.ok',
				record,
				{ ...p, level: p.level ?? 'debug' },
				`The background sender uploaded ${m[1]} bytes.`,
				{
					bytes: +m[1]
				}
			);
			return;
		}
		if (msg.startsWith('[bgs] curl_easy_perform() failed: ')) {
			const reason = msg.slice(34).trim();
			this.lastFailure = this.emit(
				'flush.error',
				record,
				{ ...p, level: p.level ?? 'error' },
				`The background sender could not send traces: ${reason}`,
				this.agentUrl ? { reason, endpoint: this.agentUrl } : { reason }
			);
		}
	}

	private encodingSpan(record: LogRecord, p: Parsed, msg: string): void {
		const isNew = msg.startsWith('Encoding span: ');
		const s: SpanFields & { tags?: string } = isNew ? newSpan(msg) : oldSpan(msg);
		const fields: EventFields = {};
		if (s.spanId) fields.spanId = s.spanId;
		if (s.traceId) fields.traceId = s.traceId;
		if (s.parentId) fields.parentId = s.parentId;
		if (s.name !== undefined) fields.name = s.name;
		if (s.service !== undefined) fields.service = s.service;
		if (s.resource !== undefined) fields.resource = s.resource;
		if (s.type) fields.type = s.type;
		if (s.duration !== undefined) fields.duration = s.duration;
		if (s.error) fields.error = true;
		if (s.tags) fields.tags = s.tags;
		const ev = this.emit(
			'span.finish',
			record,
			p,
			`Span ${s.name || '(unnamed)'}${s.resource && s.resource !== s.name ? ` (${s.resource})` : ''} finished${s.service ? ` in ${s.service}` : ''}.`,
			fields
		);
		if (s.spanId && s.traceId) {
			this.out.span({
				traceId: s.traceId,
				spanId: s.spanId,
				parentId: s.parentId,
				name: s.name,
				service: s.service,
				resource: s.resource,
				type: s.type,
				error: s.error,
				start: s.start,
				duration: s.duration,
				line: record.start,
				event: ev.id
			});
		}
	}

	private configuration(record: LogRecord, p: Parsed): void {
		const text = p.msg;
		const { obj, complete } = readJsonObject(text);
		this.out.config(textValues(obj));
		const version = str(obj.version);
		if (typeof obj.agent_url === 'string' && obj.agent_url) this.agentUrl = obj.agent_url;
		this.out.info({
			tracerVersion: version,
			agentUrl: str(obj.agent_url),
			service: str(obj.service),
			env: str(obj.env),
			version: str(obj.dd_version),
			sampleRate: str(obj.sample_rate),
			debug: str(obj.debug),
			lang: str(obj.lang) === 'php' ? 'PHP' : str(obj.lang),
			langVersion: str(obj.lang_version)
		});
		const fields: EventFields = { complete };
		if (obj.agent_url !== undefined) fields.agentUrl = str(obj.agent_url) ?? null;
		const agentError = str(obj.agent_error);
		if (agentError) fields.agentError = agentError; // a field, not an event (R8)
		if (obj.service !== undefined) fields.service = str(obj.service) ?? null;
		if (obj.env !== undefined) fields.env = str(obj.env) ?? null;
		if (version) fields.version = version;
		if (obj.sapi !== undefined) fields.sapi = str(obj.sapi) ?? null;
		this.emit(
			'tracer.config',
			record,
			{ ...p, level: p.level ?? 'info' },
			`Tracer configuration${version ? ` (version ${version})` : ''}${obj.agent_url ? `, Agent at ${str(obj.agent_url)}` : ''}.`,
			fields
		);
	}

	private diagnostic(record: LogRecord, p: Parsed): void {
		const text = p.msg.slice(29);
		const colon = text.indexOf(': ');
		const key = colon > 0 ? text.slice(0, colon) : text;
		const value = colon > 0 ? text.slice(colon + 2).trim() : '';
		if (key === 'agent_error') {
			// an Agent connectivity diagnostic is always its own event (R8)
			this.emit(
				'agent.error',
				record,
				{ ...p, level: p.level ?? 'error' },
				`Agent check failed: ${value}`,
				{
					reason: value,
					diagnostic: key
				}
			);
			return;
		}
		// newer tracers print every value this way: only failed checks are worth a mark
		const failed =
			(value === 'false' && /reachable|allowed|exists?$|_ok$/.test(key)) ||
			(/_error$/.test(key) && value !== '' && value !== 'NULL') ||
			key.endsWith('_set') ||
			value.indexOf(' is deprecated') >= 0 ||
			/incompatible|conflict/i.test(value);
		if (!failed) return;
		this.emit(
			'log.other',
			record,
			{ ...p, level: p.level === 'error' ? 'error' : 'warn' },
			`Tracer diagnostic: ${key}: ${value}`.slice(0, 200),
			{
				diagnostic: key,
				value: value.slice(0, 500)
			}
		);
	}
}

function detect(text: string): number {
	if (text.length < 8) return 0;
	const at = text.indexOf('[ddtrace] [');
	if (at >= 0) {
		const close = text.indexOf(']', at + 11);
		if (close > 0 && close - at < 24 && TAGS[text.slice(at + 11, close).toLowerCase()]) return 10;
	}
	if (
		text.indexOf('Successfully triggered flush with trace of size') >= 0 ||
		text.indexOf(CRASH_BANNER) >= 0 ||
		(text.indexOf('Flushing trace of size ') >= 0 && text.indexOf(' to send-queue for ') > 0) ||
		text.indexOf('Reporting of spans failed') >= 0 ||
		text.indexOf('[bgs] curl_easy_perform() failed') >= 0 ||
		text.indexOf('[bgs] uploaded ') >= 0 ||
		text.indexOf('Loaded integration DDTrace\\Integrations\\') >= 0
	) {
		return 10;
	}
	if (text.indexOf('DATADOG TRACER CONFIGURATION - {') >= 0 && text.indexOf('"lang":"php"') > 0)
		return 10;
	if (
		text.startsWith('DATADOG TRACER DIAGNOSTICS - ') &&
		/^DATADOG TRACER DIAGNOSTICS - [\w.]{1,80}: /.test(text)
	)
		return 6;
	if (text.indexOf('PHP message: ') >= 0 || text.indexOf('said into stderr: "') >= 0) return 1;
	return 0;
}

export const phpParser: TracerParser = {
	id: 'php',
	name: 'PHP',
	// 1.x hands traces to a sender (background thread or sidecar) that logs no acceptance
	logsSuccess: false,
	fileNameHint: /php/i,
	detect,
	createSession: (out: Emitter) => new PhpSession(out)
};
