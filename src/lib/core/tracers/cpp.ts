// C++ tracer parser: dd-trace-cpp (nginx-datadog, Envoy/Istio, httpd, CerrLogger) and the older
// dd-opentracing-cpp (ingress-nginx, old Envoy driver). dd-trace-cpp logs only start-up and errors, through
// the host's logger, so the line prefix is the host's: nginx error log, Envoy/Istio spdlog, or nothing.
// See shared/formats/FORMAT-cpp.md.
import type { EventFields, EventKind, FieldValue, Level, LogEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { parseTimestamp } from '../time';
import { flattenConfig, urlIn } from './common';
import type { Emitter, ParserSession, TracerParser } from './types';

// 2024/01/02 15:04:05 [error] 123#456: *7 message
const NGINX = /^(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}) \[([a-z]+)\] (\d+)#(\d+): (?:\*\d+ )?/;
// [2024-01-02 15:04:05.123][12][error][tracing] [source/…/logger.cc:23] message
const ENVOY =
	/^\[(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)\]\[(\d+)\]\[([a-z]+)\](?:\[([\w.-]{1,40})\])? ?(?:\[([^\]\s]{1,300}:\d{1,6})\] )?/;
// 2024-01-02T15:04:05.123456Z\terror\tenvoy tracing external/…/logger.cc:23\tmessage\tthread=21
const ISTIO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)\t([a-z]+)\t([^\t]{0,400})\t/;
// the same pasted from a terminal, tabs turned into spaces: only Envoy's `envoy <scope> <file>:<line>` is safe to split
const ISTIO_SPACED =
	/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) +([a-z]+) +(envoy [\w.-]{1,40} [^\s]{1,300}:\d{1,6}) +/;
// an Envoy line with its `[time][thread][level][scope]` cut off by the user: `[source/…/logger.cc:23] message`
const ENVOY_SOURCE_ONLY = /^\[([^\]\s]{1,300}\.(?:cc|cpp|h):\d{1,6})\] /;
// dd-opentracing-cpp's default log function writes `error: …` / `info: …` / `debug: …` to stderr
const OT_CERR = /^(error|info|debug): /;
const CODE =
	/^(?:\[dd-trace-cpp error code (\d+)\] |\[error code (\d+)\] |Datadog \[error (\d+)\]: )/;

const HOST_LEVELS: Record<string, Level> = {
	trace: 'trace',
	debug: 'debug',
	info: 'info',
	notice: 'info',
	warn: 'warn',
	warning: 'warn',
	error: 'error',
	err: 'error',
	crit: 'fatal',
	critical: 'fatal',
	alert: 'fatal',
	emerg: 'fatal'
};

type Host = 'nginx' | 'envoy' | 'istio' | 'cerr' | 'none';

interface Line {
	host: Host;
	time?: number;
	zone?: string;
	level?: Level;
	/** nginx pid or Envoy thread: one tracer instance. */
	proc?: string;
	/** Envoy source location, e.g. `source/extensions/tracers/datadog/logger.cc:23`. */
	source?: string;
	msg: string;
}

// Istio ends a record with `\tthread=N` (a space once pasted), after the last line of a multi-line message
const THREAD_SUFFIX = /[\t ]thread=(\d{1,10})$/;

const ISO_START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

function cutThread(text: string): { msg: string; thread?: string } {
	const m = THREAD_SUFFIX.exec(text);
	return m ? { msg: text.slice(0, m.index), thread: m[1] } : { msg: text };
}

function parseLine(text: string): Line {
	let m = NGINX.exec(text);
	if (m) {
		const t = parseTimestamp(m[1]);
		return {
			host: 'nginx',
			time: t?.time,
			zone: t?.zone,
			level: HOST_LEVELS[m[2]],
			proc: m[3],
			msg: text.slice(m[0].length)
		};
	}
	if (text.startsWith('[')) {
		m = ENVOY_SOURCE_ONLY.exec(text);
		if (m) return { host: 'envoy', source: m[1], msg: text.slice(m[0].length) };
		m = ENVOY.exec(text);
		if (m) {
			const t = parseTimestamp(m[1]);
			return {
				host: 'envoy',
				time: t?.time,
				zone: t?.zone,
				level: HOST_LEVELS[m[3]],
				proc: m[2],
				source: m[5],
				msg: text.slice(m[0].length)
			};
		}
	}
	m = ISTIO.exec(text) ?? ISTIO_SPACED.exec(text);
	if (m) {
		const t = parseTimestamp(m[1]);
		const { msg, thread } = cutThread(text.slice(m[0].length));
		const src = m[3].split(' ');
		return {
			host: 'istio',
			time: t?.time,
			zone: t?.zone,
			level: HOST_LEVELS[m[2]],
			proc: thread,
			source: src[src.length - 1],
			msg
		};
	}
	m = OT_CERR.exec(text);
	if (m) return { host: 'cerr', level: HOST_LEVELS[m[1]], msg: text.slice(m[0].length) };
	return { host: 'none', msg: text };
}

/** The message with the host module's own label removed. */
function stripLabel(msg: string): string {
	if (msg.startsWith('nginx-datadog: ')) return msg.slice(15);
	if (msg.startsWith('datadog: ')) return msg.slice(9);
	return msg;
}

/** Message starts that only the C++ tracers write (used for detection and record boundaries). */
const KNOWN_STARTS = [
	'DATADOG TRACER CONFIGURATION - ',
	'[dd-trace-cpp error code ',
	'[error code ',
	'Datadog [error ',
	'Error occurred during HTTP request',
	'Unexpected error submitting traces',
	'Unexpected error submitting telemetry',
	'Unexpected error while requesting Remote Configuration',
	'Unexpected response status ',
	'Unexpected Remote Configuration status ',
	'Unexpected telemetry response status ',
	'Could not parse Remote Configuration response body',
	'Datadog Agent returned response',
	"Parsing the Datadog Agent's response to traces",
	'Datadog Agent response to traces',
	'Datadog Agent response trace traces',
	'Error sending traces to agent: ',
	'Error setting agent request ',
	'Request deadline exceeded before request'
];

/** nginx-datadog's own error lines, written without its `nginx-datadog: ` label (src/*.cpp, v1.x). */
const MODULE_STARTS = [
	'failed to extract a Datadog span request ',
	'Datadog instrumentation failed ',
	'Executing invalid Datadog script',
	'Failed to construct tracer: ',
	'failed to initialize tracer: ',
	'Unable to find Datadog cleanup handler',
	'Datadog-wrapped configuration directive '
];

function isModuleMessage(msg: string): boolean {
	for (const s of MODULE_STARTS) if (msg.startsWith(s)) return true;
	return false;
}

/** The Envoy Datadog driver's own request lines (debug). */
const ENVOY_DRIVER =
	/^(?:submitting \d+ trace\(s\) to |submitting data to |traces successfully submitted to datadog agent|failure submitting traces to datadog agent|unexpected HTTP response code from datadog agent)/;
const ERROR_CODE_ANYWHERE = /\[(?:dd-trace-cpp )?error code (\d+)\]/;

function afterColon(msg: string): string {
	const i = msg.indexOf(': ');
	return i >= 0 ? msg.slice(i + 2) : msg;
}

function isKnownStart(msg: string): boolean {
	for (const s of KNOWN_STARTS) if (msg.startsWith(s)) return true;
	return false;
}

function isTracerSource(source: string | undefined): boolean {
	return source !== undefined && source.includes('tracers/datadog/');
}

function detect(text: string): number {
	// every marker below holds one of these: a line with none of them is rejected in a few scans
	if (
		!text.includes('atadog') &&
		!text.includes('Error ') &&
		!text.includes('DATADOG') &&
		!text.includes('dd-trace-cpp') &&
		!text.includes('with body (') &&
		!text.includes('This tracer')
	)
		return 0;
	if (text.includes('nginx-datadog: ') || text.includes('nginx-datadog version: ')) return 10;
	// nginx-datadog up to v1.2.x labelled the tracer's messages `datadog: ` (src/ngx_logger.cpp,
	// 0.x src/tracing_library.cpp): too common a word alone, so a C++ template must follow it
	// (or dd-opentracing-cpp's logger's `[trace_id: N] ` before a trace's message, src/logger.cpp)
	const label = text.indexOf(': datadog: ');
	if (label >= 0 && NGINX.test(text)) {
		const msg = text.slice(label + 11);
		if (isKnownStart(msg) || msg.startsWith('[trace_id: ')) return 10;
	}
	if (text.includes('[dd-trace-cpp error code ') || text.includes('[dd-trace-cpp version '))
		return 10;
	if (text.includes('tracers/datadog/') && (text.includes('.cc:') || text.includes('.cpp:')))
		return 10;
	if (text.includes('in Datadog Agent response with body of length ')) return 10;
	if (text.includes('with body (if any, starts on next line):')) return 10;
	if (text.includes('Error sending request with libcurl (')) return 10;
	if (
		text.includes('DATADOG TRACER CONFIGURATION - {') &&
		(text.includes('"lang":"cpp"') ||
			text.includes('"tags_header_size":') ||
			text.includes('"collector":{"config":{'))
	)
		return 10; // dd-trace-cpp v0.1.0 printed "version":"0.0.0", so its own keys decide
	if (
		text.includes('Executing invalid Datadog script') ||
		text.includes('failed to extract a Datadog span request ') ||
		text.includes('Datadog instrumentation failed ') ||
		text.includes('Datadog-wrapped configuration directive ')
	)
		return 10;
	if (/\[error code \d+\] Error occurred during HTTP request/.test(text)) return 10;
	if (/Datadog \[error \d+\]: /.test(text)) return 10;
	if (
		text.includes('Error occurred during HTTP request for submitting traces: ') ||
		text.includes('This tracer might be sending batches of traces too frequently') ||
		text.includes("Parsing the Datadog Agent's response to traces we sent it failed")
	)
		return 10;
	if (text.includes('Error sending traces to agent: ')) return 8;
	if (text.includes('Datadog Agent returned response with unexpected HTTP status ')) return 8;
	return 0;
}

const MAX_REASON = 600;
function short(s: string): string {
	const cut = s.length > MAX_REASON ? s.slice(0, MAX_REASON) : s;
	const flat = cut.includes('\n')
		? cut
				.split('\n')
				.map((l) => l.trim())
				.filter((l) => l !== '')
				.join(' ')
		: cut;
	return cut.length < s.length ? flat + '…' : flat;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
	const open = text.indexOf('{');
	const close = text.lastIndexOf('}');
	if (open < 0 || close < open) return undefined;
	try {
		const v: unknown = JSON.parse(text.slice(open, close + 1));
		return v && typeof v === 'object' && !Array.isArray(v)
			? (v as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined; // a cut or hand-edited dump is still a configuration record
	}
}

function get(obj: unknown, ...path: string[]): unknown {
	let cur = obj;
	for (const k of path) {
		if (!cur || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[k];
	}
	return cur;
}

function str(v: unknown): string | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Fields before absent values are dropped. */
type Loose = Record<string, FieldValue | undefined>;

interface Rec {
	record: LogRecord;
	l: Line;
	/** First line's message without host prefix and module label. */
	msg: string;
	/** Continuation lines: an HTTP response body or curl's error buffer. */
	body: string;
}

function createSession(out: Emitter): ParserSession {
	let tracesUrl: string | undefined;
	let rcUrl: string | undefined;
	/** Envoy's own submissions per thread, oldest first: `true` for a trace payload. */
	const submissions = new Map<string, { trace: boolean; ev?: LogEvent }[]>();

	function emit(kind: EventKind, r: Rec, summary: string, fields: Loose, level?: Level) {
		const clean: EventFields = {};
		for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) clean[k] = v;
		if (r.l.proc) clean.process = r.l.proc;
		return out.event({
			kind,
			line: r.record.start,
			endLine: r.record.end,
			time: r.l.time,
			zone: r.l.zone,
			level: level ?? r.l.level ?? 'error',
			summary,
			fields: clean
		});
	}

	function queue(r: Rec) {
		const key = r.l.proc ?? '';
		let q = submissions.get(key);
		if (!q) submissions.set(key, (q = []));
		return q;
	}

	/** The oldest open Envoy submission of this kind (an outcome closes it). */
	function takeSubmission(r: Rec, trace: boolean) {
		const q = submissions.get(r.l.proc ?? '');
		if (!q) return undefined;
		const i = q.findIndex((s) => s.trace === trace);
		return i >= 0 ? q.splice(i, 1)[0] : undefined;
	}

	function onConfig(r: Rec) {
		const json = jsonObject(r.msg + (r.body ? '\n' + r.body : ''));
		const fields: Loose = {};
		if (json) {
			out.config(flattenConfig(json));
			// dd-trace-cpp: "[dd-trace-cpp version v2.2.1]"; dd-opentracing-cpp: "v1.3.7"
			const rawVersion = str(json.version);
			const version = rawVersion
				? (/v?\d+\.\d+[^\s\]]*/.exec(rawVersion)?.[0] ?? rawVersion)
				: undefined;
			// `url` up to v0.1.11, `traces_url` since
			tracesUrl =
				str(get(json, 'collector', 'config', 'traces_url')) ??
				str(get(json, 'collector', 'config', 'url')) ??
				str(json.agent_url) ??
				tracesUrl;
			rcUrl = str(get(json, 'collector', 'config', 'remote_configuration_url')) ?? rcUrl;
			const service = str(get(json, 'defaults', 'service')) ?? str(json.service);
			const env = str(get(json, 'defaults', 'environment')) ?? str(json.env);
			out.info({
				tracerVersion: version,
				agentUrl: tracesUrl,
				service,
				env,
				version: str(get(json, 'defaults', 'version')) ?? str(json.dd_version),
				sampleRate: str(json.analytics_sample_rate),
				lang: 'cpp',
				langVersion: str(json.lang_version)
			});
			fields.tracerVersion = version;
			fields.service = service;
			fields.env = env;
			fields.agentUrl = tracesUrl;
		} else {
			fields.parsed = false;
		}
		emit('tracer.config', r, 'Tracer configuration at start-up', fields, r.l.level ?? 'info');
	}

	function flushError(r: Rec, reason: string, extra: Loose = {}) {
		const sub = takeSubmission(r, true);
		emit('flush.error', r, `Traces could not be sent: ${short(reason)}`, {
			reason: short(reason),
			endpoint: tracesUrl,
			...(sub?.ev ? { attemptEvent: sub.ev.id } : {}),
			...extra
		});
	}

	function agentError(r: Rec, what: string, reason: string, extra: Loose = {}) {
		emit('agent.error', r, `${what}: ${short(reason)}`, { reason: short(reason), ...extra });
	}

	function classify(r: Rec, tracerOwned: boolean): void {
		let msg = r.msg;
		let code: number | undefined;
		const c = CODE.exec(msg);
		if (c) {
			code = Number(c[1] ?? c[2] ?? c[3]);
			msg = msg.slice(c[0].length);
		} else {
			// nginx-datadog puts it mid-line: `failed to extract a Datadog span request 0x…: [error code 11]: …`
			const inner = ERROR_CODE_ANYWHERE.exec(msg);
			if (inner) code = Number(inner[1]);
		}
		const codeField: Loose = code !== undefined ? { code } : {};
		let m: RegExpExecArray | null;

		if (msg.startsWith('DATADOG TRACER CONFIGURATION - ')) return onConfig(r);

		// trace payloads (dd-trace-cpp)
		if (msg.startsWith('Error occurred during HTTP request for submitting traces: '))
			return flushError(r, msg.slice(58), codeField);
		if (msg.startsWith('Unexpected error submitting traces: '))
			return flushError(r, msg.slice(36), codeField);
		if (msg.startsWith('Error occurred during HTTP request: '))
			return flushError(r, msg.slice(35), codeField); // v0.1.x: only traces were sent
		if (
			(m = /^Unexpected response status (\d+) (?:in Datadog Agent response )?with body/.exec(msg))
		) {
			const status = Number(m[1]);
			return flushError(r, `HTTP ${status}${r.body ? ': ' + r.body : ''}`, {
				status,
				body: r.body ? short(r.body) : undefined
			});
		}
		// dd-opentracing-cpp and the Envoy driver built on it
		if (msg.startsWith('Error sending traces to agent: '))
			return flushError(r, msg.slice(31) + (r.body ? ': ' + r.body : ''));
		if ((m = /^Datadog Agent returned response with unexpected HTTP status (\d+)/.exec(msg))) {
			const status = Number(m[1]);
			const body = msg.indexOf(': ', m[0].length);
			return flushError(r, `HTTP ${status}`, {
				status,
				body: body >= 0 ? short(msg.slice(body + 2) + (r.body ? '\n' + r.body : '')) : undefined
			});
		}
		if (msg.startsWith('Datadog Agent returned response without an HTTP status'))
			return flushError(r, 'the Agent answered without an HTTP status');
		if (msg.startsWith('Error setting agent request ')) return flushError(r, msg);
		if (msg.startsWith('failure submitting traces to datadog agent'))
			return flushError(r, 'failure submitting traces to the Datadog Agent');
		if ((m = /^unexpected HTTP response code from datadog agent: (\d+)/.exec(msg)))
			return flushError(r, `HTTP ${m[1]}`, { status: Number(m[1]) });

		// Envoy's own request lines (debug)
		if ((m = /^submitting (\d+) trace\(s\) to (\S+) with payload(?: size)? (\d+)/.exec(msg))) {
			const ev = emit(
				'flush.attempt',
				r,
				`Sending ${m[1]} traces (${m[3]} bytes)`,
				{ traces: Number(m[1]), bytes: Number(m[3]), endpoint: m[2] },
				r.l.level ?? 'debug'
			);
			queue(r).push({ trace: true, ev });
			return;
		}
		if ((m = /^submitting data to (\S+) with payload size (\d+)/.exec(msg))) {
			const trace = /\/v0\.\d\/traces/.test(m[1]);
			const q = queue(r);
			if (q.length > 1000) q.shift();
			if (!trace) {
				q.push({ trace });
				return;
			}
			const ev = emit(
				'flush.attempt',
				r,
				`Sending traces (${m[2]} bytes)`,
				{ bytes: Number(m[2]), endpoint: m[1] },
				r.l.level ?? 'debug'
			);
			q.push({ trace, ev });
			return;
		}
		if (msg.startsWith('traces successfully submitted to datadog agent')) {
			// newer Envoy prints this for every 200 answer (remote configuration too)
			const q = submissions.get(r.l.proc ?? '');
			const sub = q?.shift();
			if (q && sub && !sub.trace) return;
			emit(
				'flush.ok',
				r,
				'Traces accepted by the Agent',
				{ endpoint: tracesUrl, ...(sub?.ev ? { attemptEvent: sub.ev.id } : {}) },
				r.l.level ?? 'debug'
			);
			return;
		}

		// other Agent endpoints (R5)
		if (msg.includes('Remote Configuration')) {
			if ((m = /^Unexpected Remote Configuration status (\d+)/.exec(msg))) {
				takeSubmission(r, false);
				return agentError(
					r,
					'Remote configuration failed',
					`HTTP ${m[1]}${r.body ? ': ' + r.body : ''}`,
					{
						status: Number(m[1]),
						endpoint: rcUrl,
						body: r.body ? short(r.body) : undefined
					}
				);
			}
			if (
				msg.startsWith('Error occurred during HTTP request for Remote Configuration') ||
				msg.startsWith('Unexpected error while requesting Remote Configuration') ||
				msg.startsWith('Could not parse Remote Configuration')
			) {
				takeSubmission(r, false);
				return agentError(r, 'Remote configuration failed', afterColon(msg), {
					...codeField,
					endpoint: rcUrl
				});
			}
		}
		if ((m = /^Unexpected telemetry response status (\d+)/.exec(msg))) {
			takeSubmission(r, false);
			return agentError(r, 'Telemetry failed', `HTTP ${m[1]}${r.body ? ': ' + r.body : ''}`, {
				status: Number(m[1]),
				body: r.body ? short(r.body) : undefined
			});
		}
		if (
			msg.startsWith('Error occurred during HTTP request for telemetry') ||
			msg.startsWith('Unexpected error submitting telemetry')
		) {
			takeSubmission(r, false);
			return agentError(r, 'Telemetry failed', afterColon(msg), codeField);
		}

		// the Agent answered a trace payload oddly: the payload itself got through
		if (
			msg.startsWith('Datadog Agent returned response without a body') ||
			msg.startsWith("Parsing the Datadog Agent's response to traces") ||
			msg.startsWith('Datadog Agent response to traces') ||
			msg.startsWith('Datadog Agent response trace traces')
		) {
			emit('log.other', r, short(msg), {
				...codeField,
				endpoint: tracesUrl,
				body: r.body ? short(r.body) : undefined
			});
			return;
		}

		const level = r.l.level ?? (code !== undefined ? 'error' : undefined);
		if (
			(tracerOwned || code !== undefined) &&
			(level === 'warn' || level === 'error' || level === 'fatal')
		) {
			const url = urlIn(msg);
			emit('log.other', r, short(msg + (r.body ? ' ' + r.body : '')), {
				...codeField,
				endpoint: url
			});
		}
	}

	// each line is parsed once: `current` is the line being fed, `first` the current record's first line
	let current: Line = { host: 'none', msg: '' };
	let first: Line = current;
	let continued = false;
	let bodyChars = 0;

	function onRecord(record: LogRecord): void {
		let l = first;
		const labelled = l.msg.startsWith('nginx-datadog: ') || l.msg.startsWith('datadog: ');
		const msg = stripLabel(l.msg);
		if (msg === '') return;
		// whose line is it: the host module label, Envoy's Datadog source files, or a known template
		const tracerOwned =
			labelled ||
			isTracerSource(l.source) ||
			ERROR_CODE_ANYWHERE.test(msg) ||
			isKnownStart(msg) ||
			ENVOY_DRIVER.test(msg) ||
			(l.host === 'nginx' && isModuleMessage(msg));
		if (!tracerOwned) {
			const v = l.host === 'nginx' ? /^- tracing: dd-trace-cpp@(\S+)/.exec(msg) : null;
			if (v) out.info({ tracerVersion: v[1], lang: 'cpp' });
			return;
		}
		let body = record.lines.slice(1).join('\n');
		if (l.host === 'istio' && body !== '' && l.proc === undefined) {
			const cut = cutThread(body);
			body = cut.msg;
			l = { ...l, proc: cut.thread };
		}
		classify({ record, l, msg, body }, tracerOwned);
	}

	function continues(text: string, rec: LogRecord): boolean {
		if (current.host !== 'none') return false;
		if (isKnownStart(text) || CODE.test(text) || ENVOY_DRIVER.test(text)) return false;
		const msg = first.msg;
		// an Istio record ends with its `thread=N`; its next record starts with a time even when tabs were lost
		if (
			first.host === 'istio' &&
			(THREAD_SUFFIX.test(rec.lines[rec.lines.length - 1]) || ISO_START.test(text))
		)
			return false;
		// the raw HTTP response body follows these templates on the next line(s)
		if (
			msg.endsWith('starts on next line):') ||
			msg.endsWith('starts on next line)') ||
			msg.includes('(begins on next line):')
		) {
			// stop at the declared body length; without a host prefix, also after a few lines
			const len = /with body of length (\d+)/.exec(msg);
			if (len && rec.lines.length > 1 && bodyChars > Number(len[1])) return false;
			return first.host !== 'none' || rec.lines.length <= 50;
		}
		// dd-opentracing-cpp: curl's error buffer is printed on the line after the curl error
		if (stripLabel(msg).startsWith('Error sending traces to agent: '))
			return rec.lines.length === 1;
		return false;
	}

	const isContinuation = (text: string, rec: LogRecord): boolean => {
		if (!continues(text, rec)) return false;
		continued = true;
		bodyChars += text.length + 1;
		return true;
	};

	const grouper = new RecordGrouper(isContinuation, (rec) => {
		try {
			onRecord(rec);
		} catch {
			// one odd record never stops the file
		}
	});

	return {
		line(text, lineNo, truncated) {
			current = parseLine(text);
			continued = false;
			grouper.line(text, lineNo, truncated);
			if (!continued) {
				first = current;
				bodyChars = 0;
			}
		},
		end() {
			grouper.end();
		}
	};
}

export const cppParser: TracerParser = {
	id: 'cpp',
	name: 'C++',
	// dd-trace-cpp never logs an accepted payload (only Envoy's debug lines do)
	logsSuccess: false,
	detect,
	createSession
};
