// Go tracer (dd-trace-go) parser. Every generation of its output is handled here:
// - v1.15+ and v2: `[YYYY/MM/DD HH:MM:SS ]Datadog Tracer vX.Y.Z LEVEL: msg` (internal/log), ERROR lines
//   aggregated for a minute and printed with `, N additional messages skipped (first occurrence: …)`;
// - v1.0–v1.14: `Datadog Tracer Error (vX.Y.Z): msg (repeated N times)` plus plain `Sending payload:` debug;
// - 0.5–0.6: `Datadog Tracer Error: msg`; 0.1–0.4: plain stdlib lines (`cannot flush traces: …`, `lost N spans`,
//   `SPAN:` dumps). See shared/formats/FORMAT-go.md.
import type { EventFields, EventKind, Level, LogEvent } from '../model';
import { RecordGrouper, type LogRecord } from '../records';
import { parseTimestamp } from '../time';
import { flattenConfig, JsonDepth, str, urlIn } from './common';
import type { Emitter, ParserSession, TracerParser } from './types';

const MARKERS = ['Datadog Tracer ', 'Datadog APM SDK '];
const LEVELS: Record<string, Level> = {
	DEBUG: 'debug',
	INFO: 'info',
	WARN: 'warn',
	ERROR: 'error'
};
/** Go's log.LstdFlags prefix (local time, no zone), optionally with Lmicroseconds. */
const GO_TS = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? /;
const YEAR_AT = /\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:/;
/** Longest custom-logger prefix searched for a timestamp before the marker. */
const PREFIX_SCAN = 300;
/** Records this far apart (or two seconds, with times) no longer belong to one flush. */
const NEAR_RECORDS = 3;
const NEAR_MS = 2000;
const MAX_REASON = 600;
const MAX_TRACKED = 100_000;

/** Go's http.StatusText values (plus later renames) back to their codes. */
export const HTTP_STATUS_TEXT: Record<string, number> = {
	'Bad Request': 400,
	Unauthorized: 401,
	'Payment Required': 402,
	Forbidden: 403,
	'Not Found': 404,
	'Method Not Allowed': 405,
	'Not Acceptable': 406,
	'Request Timeout': 408,
	Conflict: 409,
	Gone: 410,
	'Length Required': 411,
	'Request Entity Too Large': 413,
	'Content Too Large': 413,
	'Payload Too Large': 413,
	'Unsupported Media Type': 415,
	'Unprocessable Entity': 422,
	'Too Many Requests': 429,
	'Internal Server Error': 500,
	'Not Implemented': 501,
	'Bad Gateway': 502,
	'Service Unavailable': 503,
	'Gateway Timeout': 504
};

interface Header {
	time?: number;
	zone?: string;
	version?: string;
	level?: Level;
	/** modern: `Datadog Tracer vX LEVEL:`; legacy: `Datadog Tracer Error[ (vX)]:`; plain: no marker. */
	style: 'modern' | 'legacy' | 'plain';
	msg: string;
}

function markerAt(text: string): { at: number; len: number } | undefined {
	for (const m of MARKERS) {
		const at = text.indexOf(m);
		if (at >= 0) return { at, len: m.length };
	}
	return undefined;
}

function timeOfPrefix(prefix: string): { time?: number; zone?: string } {
	if (prefix.length === 0) return {};
	let t = parseTimestamp(prefix);
	if (!t) {
		const head = prefix.length > PREFIX_SCAN ? prefix.slice(0, PREFIX_SCAN) : prefix;
		const m = YEAR_AT.exec(head);
		if (m) t = parseTimestamp(head.slice(m.index));
	}
	return t ? { time: t.time, zone: t.zone } : {};
}

/** Splits one line into its prefix facts and the message; undefined when the line is not Go's. */
function parseHeader(text: string): Header | undefined {
	const mk = markerAt(text);
	if (mk) {
		const after = text.slice(mk.at + mk.len);
		const { time, zone } = timeOfPrefix(text.slice(0, mk.at));
		if (after.startsWith('Error (')) {
			const close = after.indexOf('): ');
			if (close < 0 || close > 60) return undefined;
			return {
				time,
				zone,
				version: after.slice(7, close),
				level: 'error',
				style: 'legacy',
				msg: after.slice(close + 3)
			};
		}
		if (after.startsWith('Error: ')) {
			return { time, zone, level: 'error', style: 'legacy', msg: after.slice(7) };
		}
		const sp = after.indexOf(' ');
		if (sp <= 0 || sp > 60) return undefined;
		const colon = after.indexOf(': ', sp + 1);
		if (colon < 0 || colon - sp > 6) return undefined;
		const level = LEVELS[after.slice(sp + 1, colon)];
		if (!level) return undefined;
		const token = after.slice(0, sp);
		const version = /^v?\d+\.\d+/.test(token) ? token : undefined;
		return { time, zone, version, level, style: 'modern', msg: after.slice(colon + 2) };
	}
	const m = GO_TS.exec(text);
	if (m) {
		const t = parseTimestamp(text);
		return { time: t?.time, zone: t?.zone, style: 'plain', msg: text.slice(m[0].length) };
	}
	return { style: 'plain', msg: text };
}

// Plain (pre-v1.15) lines that are the tracer's own; anything else without a marker is the app's.
const PLAIN_PAYLOAD = /^Sending payload: size: (\d+) traces: (\d+)/;
const PLAIN_SENDING = /^Sending (\d+) (spans|traces)$/;
const PLAIN_LOST_SPANS = /^lost (\d+) spans$/;
const SPAN_DUMP_FIELD =
	/^(?:Name|Service|Resource|TraceID|TraceID128|SpanID|ParentID|Start|Duration|Error|Type|Tags):/;

function isPlainTracerMessage(msg: string, timed: boolean): boolean {
	if (
		msg.startsWith('Sending payload: size: ') ||
		msg.startsWith('cannot flush traces: ') ||
		msg.startsWith('[WORKER] flush failed') ||
		PLAIN_LOST_SPANS.test(msg)
	) {
		return true;
	}
	if (!timed) return false;
	return (
		msg === 'SPAN:' ||
		PLAIN_SENDING.test(msg) ||
		msg.startsWith('cannot flush services: ') ||
		msg.startsWith('TRACE: ') ||
		msg.startsWith('calling the endpoint ')
	);
}

/** Evidence that a line is Go's: the `Datadog Tracer vX LEVEL:` prefix decides alone. */
function detect(text: string): number {
	const mk = markerAt(text);
	if (mk) {
		const h = parseHeader(text);
		if (h && h.style !== 'plain') return 10;
	}
	if (text.includes('DATADOG TRACER CONFIGURATION {') && text.includes('"lang":"Go"')) return 10;
	// the needle with the rarest first character first: fewer false starts to check
	if (
		text.includes('Tags: map[') &&
		text.includes('", Operation: ') &&
		text.includes('dd.trace_id="')
	)
		return 10;
	const ts = GO_TS.exec(text);
	if (ts) {
		const msg = text.slice(ts[0].length);
		if (msg.startsWith('cannot flush traces: ') || msg.startsWith('cannot flush services: '))
			return 10;
		if (PLAIN_PAYLOAD.test(msg)) return 5;
		if (PLAIN_LOST_SPANS.test(msg) || PLAIN_SENDING.test(msg)) return 3;
		if (msg === 'SPAN:' || /^TRACE: \d+$/.test(msg)) return 3;
	}
	return 0;
}

/** `, N additional messages skipped (first occurrence: …)`, ` (occurred: …)`, ` (repeated N times)`. */
function stripRepeat(msg: string): { msg: string; repeat?: number; first?: string } {
	const s = msg.trimEnd();
	const skipped = s.lastIndexOf(' additional messages skipped (first occurrence: ');
	if (skipped > 0) {
		const comma = s.lastIndexOf(', ', skipped);
		const n = comma >= 0 ? /^(\d+)\+?$/.exec(s.slice(comma + 2, skipped)) : null;
		if (n && comma >= 0) {
			const first = s.slice(skipped + 48, s.endsWith(')') ? -1 : undefined);
			return { msg: s.slice(0, comma), repeat: Number(n[1]) + 1, first };
		}
	}
	const occurred = s.lastIndexOf(' (occurred: ');
	if (occurred > 0 && s.endsWith(')')) {
		return { msg: s.slice(0, occurred), first: s.slice(occurred + 12, -1) };
	}
	const rep = / \(repeated (\d+) times\)$/.exec(s.length > 40 ? s.slice(-40) : s);
	if (rep) return { msg: s.slice(0, s.length - rep[0].length), repeat: Number(rep[1]) };
	return { msg: s };
}

function oneLine(s: string): string {
	// cut first: the text may be a 10 MB line
	const cut = s.length > MAX_REASON ? s.slice(0, MAX_REASON) : s;
	const flat = cut.includes('\n')
		? cut
				.split('\n')
				.map((l) => l.trim())
				.join(' ')
		: cut;
	return cut.length < s.length ? flat + '…' : flat;
}

/** The text of a Go `error` printed with %v; a nil error prints `<nil>`, which says nothing. */
function errorText(text: string): string | undefined {
	const t = oneLine(text);
	return t && t !== '<nil>' ? t : undefined;
}

/** HTTP status in a Go error text: `{body} (Status: Not Found)`, a bare status text, `… but Not Found`. */
function statusIn(text: string): number | undefined {
	const err = text.length > 4000 ? text.slice(0, 4000) : text;
	const i = err.lastIndexOf('(Status: ');
	if (i >= 0) {
		const close = err.indexOf(')', i);
		const code = HTTP_STATUS_TEXT[err.slice(i + 9, close < 0 ? undefined : close)];
		if (code) return code;
	}
	const bare = HTTP_STATUS_TEXT[err.trim()];
	if (bare) return bare;
	const but = / but ([A-Z][A-Za-z ]{2,40})$/.exec(err.length > 60 ? err.slice(-60) : err);
	if (but) return HTTP_STATUS_TEXT[but[1]];
	const num = /\b(?:status(?: code)?|HTTP) ?:? ?([1-5]\d\d)\b/i.exec(err);
	return num ? Number(num[1]) : undefined;
}

/** Go's time.Duration text (`1.5ms`, `2m3.4s`, `350µs`) in milliseconds. */
export function parseGoDuration(text: string): number | undefined {
	const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g;
	const unit: Record<string, number> = {
		ns: 1e-6,
		us: 1e-3,
		µs: 1e-3,
		μs: 1e-3,
		ms: 1,
		s: 1000,
		m: 60000,
		h: 3600000
	};
	let total = 0;
	let any = false;
	let m: RegExpExecArray | null;
	while ((m = re.exec(text)) !== null) {
		total += Number(m[1]) * unit[m[2]];
		any = true;
	}
	return any ? total : undefined;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
	const open = text.indexOf('{');
	if (open < 0) return undefined;
	const body = text.slice(open, text.lastIndexOf('}') + 1);
	for (const candidate of [body, body.includes('\\"') ? body.replace(/\\"/g, '"') : '']) {
		if (!candidate) continue;
		try {
			const v: unknown = JSON.parse(candidate);
			if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
		} catch {
			// a hand-truncated or escaped dump is still a configuration record
		}
	}
	return undefined;
}

function between(text: string, start: string, end: string, from = 0): string | undefined {
	const i = text.indexOf(start, from);
	if (i < 0) return undefined;
	const j = text.indexOf(end, i + start.length);
	return text.slice(i + start.length, j < 0 ? undefined : j);
}

interface SpanLine {
	traceId?: string;
	spanId?: string;
	parentId?: string;
	service?: string;
	env?: string;
	name?: string;
	resource?: string;
	error: boolean;
}

/** `dd.service=S dd.trace_id="T" dd.span_id="N" dd.parent_id="P", Operation: O, Resource: R, Tags: map[…], map[…]` */
function parseSpanLine(msg: string): SpanLine {
	const ops = msg.indexOf(', Operation: ');
	const head = ops >= 0 ? msg.slice(0, ops) : msg;
	const res = ops >= 0 ? msg.indexOf(', Resource: ', ops) : -1;
	const tags = res >= 0 ? msg.indexOf(', Tags: map[', res) : -1;
	const meta = tags >= 0 ? msg.slice(tags + 12, msg.lastIndexOf('], map[')) : '';
	const word = (key: string) => {
		const v = between(head, key, ' ');
		return v === undefined ? undefined : v.replace(/,$/, '');
	};
	return {
		traceId: between(head, 'dd.trace_id="', '"'),
		spanId: between(head, 'dd.span_id="', '"'),
		parentId: between(head, 'dd.parent_id="', '"'),
		service: word('dd.service='),
		env: word('dd.env='),
		name: ops >= 0 ? msg.slice(ops + 13, res >= 0 ? res : undefined) : undefined,
		resource: res >= 0 ? msg.slice(res + 12, tags >= 0 ? tags : undefined) : undefined,
		error:
			meta.includes('error.message:') || meta.includes('error.msg:') || meta.includes('error.type:')
	};
}

interface Rec {
	record: LogRecord;
	h: Header;
	/** The whole message: first line's message plus its continuation lines. */
	msg: string;
	repeat?: number;
	first?: string;
	seq: number;
}

type Channel = 'agent' | 'otlp';

interface Attempt {
	ev: LogEvent;
	channel: Channel;
	size?: number;
	traces?: number;
	seq: number;
	time?: number;
	closed: boolean;
}

/** A retry failure or a pre-v1 cause line waiting for its `lost N` line. */
interface Cause {
	rec: Rec;
	channel: Channel;
	reason: string;
	attempt?: number;
	/** A pre-v1 cause is the final outcome by itself; a v1.48+ retry failure is not. */
	final: boolean;
}

interface LostRef {
	ev: LogEvent;
	channel: Channel;
	seq: number;
	time?: number;
	hasCause: boolean;
}

function createSession(out: Emitter): ParserSession {
	let seq = 0;
	let agentUrl: string | undefined;
	let lastVersion: string | undefined;
	let sawAttempt = false;
	const attempts: Record<Channel, Attempt | undefined> = { agent: undefined, otlp: undefined };
	let causes: Cause[] = [];
	let lastLost: LostRef | undefined;
	let lastServices: { ev: LogEvent; seq: number; time?: number } | undefined;
	let abandonHeader: { rec: Rec; claimed: number; truncated: boolean } | undefined;
	const abandoned = new Set<string>();
	const started = new Map<string, number>();

	const near = (a: { seq: number; time?: number }, b: { seq: number; time?: number }) =>
		a.time !== undefined && b.time !== undefined
			? Math.abs(b.time - a.time) <= NEAR_MS
			: b.seq - a.seq <= NEAR_RECORDS;
	const at = (r: Rec) => ({ seq: r.seq, time: r.h.time });

	function emit(
		kind: EventKind,
		r: Rec,
		summary: string,
		fields: EventFields = {},
		extra: { line?: number; endLine?: number; level?: Level; repeat?: number } = {}
	): LogEvent {
		if (r.first) fields.firstOccurrence = r.first;
		// absent facts are left out rather than written as null
		for (const k of Object.keys(fields))
			if (fields[k] === null || fields[k] === '') delete fields[k];
		return out.event({
			kind,
			line: extra.line ?? r.record.start,
			endLine: extra.endLine ?? r.record.end,
			time: r.h.time,
			zone: r.h.zone,
			level: extra.level ?? r.h.level,
			repeat: extra.repeat ?? r.repeat,
			summary,
			fields
		});
	}

	function endpointOf(text: string, fallback?: string): string | undefined {
		return urlIn(text) ?? fallback;
	}

	// --- flushes ---------------------------------------------------------------------------------

	function resolveCause(c: Cause): void {
		const r = c.rec;
		if (c.final) {
			const endpoint = endpointOf(c.reason, agentUrl);
			emit(
				'flush.error',
				r,
				`Traces could not be sent: ${c.reason}`,
				{ reason: c.reason, endpoint: endpoint ?? null, status: statusIn(c.reason) ?? null },
				{ level: 'error' }
			);
		} else if (!sawAttempt) {
			// debug is off, so the retry's outcome may be silent; still show the failure
			emit(
				'log.other',
				r,
				`Sending traces failed (attempt ${c.attempt ?? '?'}); no final outcome is logged.`,
				{ reason: c.reason, attempt: c.attempt ?? null, endpoint: endpointOf(c.reason) ?? null }
			);
		}
	}

	/** Causes that are no longer near the current record resolve on their own. */
	function expire(now: { seq: number; time?: number }): void {
		if (causes.length === 0) return;
		const keep: Cause[] = [];
		for (const c of causes) {
			if (near(at(c.rec), now)) keep.push(c);
			else resolveCause(c);
		}
		causes = keep;
	}

	function onCause(r: Rec, channel: Channel, reason: string, final: boolean, attempt?: number) {
		const ll = lastLost;
		if (ll && !ll.hasCause && ll.channel === channel && near(ll, at(r))) {
			// aggregated ERROR lines print in map order: the `lost` line may come first
			ll.hasCause = true;
			if (ll.ev.repeat === undefined && r.repeat !== undefined) ll.ev.repeat = r.repeat;
			const f = ll.ev.fields;
			if (attempt !== undefined) f.attempts ??= attempt;
			if (f.reason === undefined) {
				f.reason = reason;
				const endpoint = endpointOf(reason, channel === 'agent' ? agentUrl : undefined);
				if (endpoint) f.endpoint = endpoint;
				const status = statusIn(reason);
				if (status) f.status = status;
			}
			return;
		}
		causes.push({ rec: r, channel, reason, attempt, final });
	}

	function onLost(
		r: Rec,
		channel: Channel,
		counts: { traces?: number; spans?: number },
		reason: string | undefined
	) {
		const mine = causes.filter((c) => c.channel === channel);
		causes = causes.filter((c) => c.channel !== channel);
		let line = r.record.start;
		let attemptNo: number | undefined;
		for (const c of mine) {
			line = Math.min(line, c.rec.record.start);
			if (c.attempt !== undefined) attemptNo = Math.max(attemptNo ?? 0, c.attempt);
		}
		const why = reason ?? mine[mine.length - 1]?.reason;
		const repeat = r.repeat ?? mine.find((c) => c.rec.repeat !== undefined)?.rec.repeat;
		const endpoint = endpointOf(why ?? '', channel === 'agent' ? agentUrl : undefined);
		const n = counts.traces ?? counts.spans;
		const what = counts.traces !== undefined ? 'traces' : 'spans';
		const ev = emit(
			'flush.error',
			r,
			`Lost ${n ?? 'some'} ${what}${why ? `: ${why}` : ''}`,
			{
				traces: counts.traces ?? null,
				spans: counts.spans ?? null,
				reason: why ?? null,
				endpoint: endpoint ?? null,
				status: why ? (statusIn(why) ?? null) : null,
				attempts: attemptNo ?? null,
				channel
			},
			{ line, level: 'error', repeat }
		);
		const a = attempts[channel];
		if (a) a.closed = true;
		lastLost = { ev, channel, seq: r.seq, time: r.h.time, hasCause: mine.length > 0 };
	}

	function onAttempt(
		r: Rec,
		channel: Channel,
		size: number | undefined,
		traces: number | undefined
	) {
		sawAttempt = true;
		const prev = attempts[channel];
		const retryNote = causes.some((c) => c.channel === channel && prev && c.rec.seq > prev.seq);
		const sameSecond =
			prev?.time !== undefined && r.h.time !== undefined && Math.abs(r.h.time - prev.time) <= 500;
		if (
			prev &&
			!prev.closed &&
			prev.size === size &&
			prev.traces === traces &&
			(retryNote || (sameSecond && r.seq - prev.seq <= NEAR_RECORDS * 2))
		) {
			// a retry of the payload above, not a new payload (R2)
			prev.ev.fields.retries = ((prev.ev.fields.retries as number) ?? 0) + 1;
			prev.seq = r.seq;
			return;
		}
		const ev = emit(
			'flush.attempt',
			r,
			`Sending ${traces ?? '?'} traces${size !== undefined ? ` (${size} bytes)` : ''}`,
			{
				traces: traces ?? null,
				bytes: size ?? null,
				endpoint: channel === 'agent' ? (agentUrl ?? null) : null,
				channel
			}
		);
		attempts[channel] = { ev, channel, size, traces, seq: r.seq, time: r.h.time, closed: false };
	}

	function onSent(r: Rec, channel: Channel, n: number) {
		// the retry failures logged for this payload were not final
		causes = causes.filter((c) => c.channel !== channel || c.final);
		const a = attempts[channel];
		const open = a && !a.closed ? a : undefined;
		if (open) open.closed = true;
		emit(
			'flush.ok',
			r,
			`Traces sent after ${n} attempt${n === 1 ? '' : 's'}`,
			{
				attempts: n,
				traces: open?.traces ?? null,
				bytes: open?.size ?? null,
				endpoint: channel === 'agent' ? (agentUrl ?? null) : null,
				...(open ? { attemptEvent: open.ev.id } : {}),
				channel
			},
			{ level: r.h.level ?? 'debug' }
		);
	}

	// --- other records ---------------------------------------------------------------------------

	function onConfig(r: Rec) {
		const rest = r.msg.slice('DATADOG TRACER CONFIGURATION'.length).trim();
		const json = parseJsonObject(rest);
		const fields: EventFields = {};
		if (json) {
			const url = str(json.agent_url);
			if (url) agentUrl = url;
			out.config(flattenConfig(json));
			out.info({
				tracerVersion: str(json.version),
				agentUrl: url,
				service: str(json.service),
				env: str(json.env),
				version: str(json.dd_version),
				sampleRate: str(json.sample_rate),
				debug: str(json.debug),
				lang: 'go',
				langVersion: str(json.lang_version)
			});
			fields.service = str(json.service) ?? null;
			fields.env = str(json.env) ?? null;
			fields.agentUrl = url ?? null;
			const agentError = str(json.agent_error);
			if (agentError) fields.agentError = agentError;
		} else {
			fields.parsed = false;
		}
		emit('tracer.config', r, 'Tracer configuration at start-up', fields);
	}

	function onSpan(r: Rec, finished: boolean) {
		const s = parseSpanLine(r.msg);
		const fields: EventFields = {
			traceId: s.traceId ?? null,
			spanId: s.spanId ?? null,
			parentId: s.parentId ?? null,
			name: s.name ?? null,
			resource: s.resource ?? null,
			service: s.service ?? null
		};
		if (!finished) {
			emit('span.start', r, `Started span ${s.name ?? ''} ${s.resource ?? ''}`.trim(), fields);
			if (s.spanId && r.h.time !== undefined && started.size < MAX_TRACKED)
				started.set(s.spanId, r.h.time);
			return;
		}
		if (s.error) fields.error = true;
		const ev = emit(
			'span.finish',
			r,
			`Finished span ${s.name ?? ''} ${s.resource ?? ''}`.trim(),
			fields
		);
		if (!s.traceId || !s.spanId) return;
		const start = started.get(s.spanId);
		started.delete(s.spanId);
		out.span({
			traceId: s.traceId,
			spanId: s.spanId,
			parentId: s.parentId,
			name: s.name,
			service: s.service,
			resource: s.resource,
			error: s.error,
			start: start ?? r.h.time,
			duration: start !== undefined && r.h.time !== undefined ? r.h.time - start : undefined,
			line: r.record.start,
			event: ev.id
		});
	}

	/** Pre-v1 `SPAN:` dump: one field per line, tags indented with a tab. */
	function onSpanDump(r: Rec) {
		const f: Record<string, string> = {};
		for (const l of r.record.lines.slice(1)) {
			const c = l.indexOf(': ');
			if (c > 0 && !l.startsWith('\t')) f[l.slice(0, c)] = l.slice(c + 2);
		}
		const traceId = f.TraceID;
		const spanId = f.SpanID;
		const error = f.Error !== undefined && f.Error !== '0';
		const ev = emit(
			'span.finish',
			r,
			`Span ${f.Name ?? ''} ${f.Resource ?? ''}`.trim(),
			{
				traceId: traceId ?? null,
				spanId: spanId ?? null,
				parentId: f.ParentID ?? null,
				name: f.Name ?? null,
				service: f.Service ?? null,
				resource: f.Resource ?? null,
				...(error ? { error: true } : {})
			},
			{ level: 'debug' }
		);
		if (!traceId || !spanId) return;
		out.span({
			traceId,
			spanId,
			parentId: f.ParentID,
			name: f.Name,
			service: f.Service,
			resource: f.Resource,
			type: f.Type,
			error,
			start: f.Start ? parseTimestamp(f.Start)?.time : undefined,
			duration: f.Duration ? parseGoDuration(f.Duration) : undefined,
			line: r.record.start,
			event: ev.id
		});
	}

	function onAbandonedList(r: Rec) {
		const head = abandonHeader;
		abandonHeader = undefined;
		const re =
			/\[name: ([^,\]]*), (?:integration: ([^,\]]*), )?span_id: (\d+), trace_id: (\d+), age: (\d+) sec\]/g;
		let m: RegExpExecArray | null;
		let found = 0;
		while ((m = re.exec(r.msg)) !== null) {
			found++;
			if (abandoned.has(m[3])) continue; // still open at the next report
			if (abandoned.size < MAX_TRACKED) abandoned.add(m[3]);
			emit(
				'span.abandoned',
				r,
				`Span ${m[1]} open for ${m[5]} s (possibly abandoned)`,
				{
					name: m[1],
					integration: m[2] ?? null,
					spanId: m[3],
					traceId: m[4],
					ageSeconds: Number(m[5]),
					...(head?.truncated || r.msg.endsWith('...') ? { truncated: true } : {})
				},
				{ line: head?.rec.record.start ?? r.record.start }
			);
		}
		if (found === 0 && head) flushAbandonHeader(head);
	}

	function flushAbandonHeader(head: { rec: Rec; claimed: number; truncated: boolean }) {
		emit('span.abandoned', head.rec, `${head.claimed} spans reported as possibly abandoned`, {
			claimed: head.claimed
		});
	}

	/** Any other agent failure (R5): the endpoint decides, the record becomes agent.error. */
	function agentError(r: Rec, what: string, reason: string, endpointFallback?: string): LogEvent {
		const endpoint = endpointOf(reason, endpointFallback);
		return emit('agent.error', r, `${what}: ${oneLine(reason)}`, {
			reason: oneLine(reason),
			endpoint: endpoint ?? null,
			status: statusIn(reason) ?? null
		});
	}

	function agentBase(): string | undefined {
		if (!agentUrl) return undefined;
		const m = /^([a-z+]+:\/\/[^/]+)/i.exec(agentUrl);
		return m ? m[1] : agentUrl;
	}

	function classifyModern(r: Rec): void {
		const msg = r.msg;
		const level = r.h.level;
		let m: RegExpExecArray | null;

		if (msg.startsWith('DATADOG TRACER CONFIGURATION')) return onConfig(r);
		if (msg.startsWith('Started Span: ')) return onSpan(r, false);
		if (msg.startsWith('Finished Span: ')) return onSpan(r, true);

		// trace payloads (R1–R3)
		if ((m = /^(?:Sending|Attempt to send) payload: size: (\d+) traces: (\d+)/.exec(msg)))
			return onAttempt(r, 'agent', Number(m[1]), Number(m[2]));
		if ((m = /^sent traces after (\d+) attempts?/.exec(msg)))
			return onSent(r, 'agent', Number(m[1]));
		if ((m = /^failure sending traces \(attempt (\d+)(?: of \d+)?\)(?:, will retry)?: /.exec(msg)))
			return onCause(r, 'agent', oneLine(msg.slice(m[0].length)), false, Number(m[1]));
		if ((m = /^lost (\d+) traces(?:: |$)/.exec(msg)))
			return onLost(r, 'agent', { traces: Number(m[1]) }, errorText(msg.slice(m[0].length)));
		if ((m = /^agent rejected a v1 trace payload; dropping (\d+) traces/.exec(msg))) {
			return void emit(
				'flush.error',
				r,
				`The Agent rejected a v1 payload; ${m[1]} traces dropped`,
				{
					traces: Number(m[1]),
					reason: 'agent rejected the v1 trace protocol',
					endpoint: agentUrl ?? null
				}
			);
		}
		// OTLP export of traces: the same flush shape on another channel
		if ((m = /^OTLP: attempt (\d+) to send payload: (\d+) bytes, (\d+) spans/.exec(msg))) {
			if (Number(m[1]) > 1 && attempts.otlp && !attempts.otlp.closed) return;
			return onAttempt(r, 'otlp', Number(m[2]), undefined);
		}
		if ((m = /^OTLP: sent traces after (\d+) attempts?/.exec(msg)))
			return onSent(r, 'otlp', Number(m[1]));
		if ((m = /^OTLP: failure sending traces \(attempt (\d+)(?: of \d+)?\): /.exec(msg)))
			return onCause(r, 'otlp', oneLine(msg.slice(m[0].length)), false, Number(m[1]));
		if ((m = /^OTLP: lost (\d+) spans(?:: |$)/.exec(msg)))
			return onLost(
				r,
				'otlp',
				{ spans: Number(m[1]) },
				oneLine(msg.slice(m[0].length)) || undefined
			);

		if ((m = /^Partial flush triggered with (\d+) finished spans/.exec(msg))) {
			return void emit('trace.complete', r, `Partial flush of ${m[1]} finished spans`, {
				spans: Number(m[1]),
				partial: true
			});
		}

		// abandoned spans: a count line, maybe a truncation note, then the list line
		if ((m = /^(\d+) abandoned spans:$/.exec(msg.trimEnd()))) {
			if (abandonHeader) flushAbandonHeader(abandonHeader);
			abandonHeader = { rec: r, claimed: Number(m[1]), truncated: false };
			return;
		}
		if (msg.startsWith('Too many abandoned spans')) {
			if (abandonHeader) abandonHeader.truncated = true;
			return;
		}
		if (msg.startsWith('[name: ')) return onAbandonedList(r);

		// connectivity and other Agent endpoints (R5, R8)
		if (msg.startsWith('DIAGNOSTICS Unable to reach agent'))
			return void agentError(
				r,
				'Agent unreachable at start-up',
				msg.slice(msg.indexOf(': ') + 2),
				agentUrl
			);
		if (msg.startsWith('Error sending stats payload: '))
			return void agentError(
				r,
				'Stats payload failed',
				msg.slice(29),
				agentBase() && agentBase() + '/v0.6/stats'
			);
		if (msg.startsWith('loading features: '))
			return void agentError(
				r,
				'Agent /info failed',
				msg.slice(18),
				agentBase() && agentBase() + '/info'
			);
		if (msg.startsWith('agent info poll failed: '))
			return void agentError(
				r,
				'Agent /info poll failed',
				msg.slice(24),
				agentBase() && agentBase() + '/info'
			);
		if (msg.startsWith('remoteconfig: http request error'))
			return void agentError(
				r,
				'Remote configuration request failed',
				msg.slice(msg.indexOf('error') + 5).replace(/^: /, ''),
				agentBase() && agentBase() + '/v0.7/config'
			);
		if (msg.startsWith('telemetry: ') && msg.includes('error') && msg.includes('flushing'))
			return void agentError(r, 'Telemetry send failed', msg.slice(msg.indexOf(': ', 11) + 2));
		if (msg.startsWith('Uploading profile failed: '))
			return void agentError(r, 'Profile upload failed', msg.slice(26));
		if (msg.startsWith('llmobs: failed to push') || msg.startsWith('llmobs: request failed'))
			return void agentError(
				r,
				'LLM Observability send failed',
				msg.slice(msg.indexOf(': ', 8) + 2)
			);
		if ((m = /^ciVisibilityTraceWriter: lost (\d+) events: /.exec(msg)))
			return void agentError(r, `CI Visibility lost ${m[1]} events`, msg.slice(m[0].length));
		if (msg.startsWith('otlp_metrics_exporter: export to '))
			return void agentError(r, 'OTLP metrics export failed', msg.slice(33));
		if (msg.startsWith('ciVisibilityTraceWriter: failure sending events')) return;

		if (msg.startsWith('Ignoring trace sample rate ')) {
			return void emit('sampling', r, oneLine(msg), { rate: msg.slice(27).split(':')[0] });
		}

		if (level === 'warn' || level === 'error') {
			// a request error names its endpoint: that is an Agent failure, anything else is log.other
			if (/\b(?:Post|Get|Put) "?(?:https?|unix):\/\//.test(msg))
				return void agentError(r, 'Agent request failed', msg);
			emit('log.other', r, oneLine(msg), {});
		}
	}

	function classifyLegacy(r: Rec): void {
		const msg = r.msg;
		let m: RegExpExecArray | null;
		// v1.0–v1.14: `lost traces (count: N), error: {err}` carries its cause; the same error type
		// also reports a trace dropped before any send (N is then its spans)
		if ((m = /^lost traces \(count: (\d+)\), error: payload queue full/.exec(msg)))
			return void emit('log.other', r, oneLine(msg), { spans: Number(m[1]) });
		if ((m = /^lost traces \(count: (\d+)\)(?:, error: )?/.exec(msg)))
			return onLost(
				r,
				'agent',
				{ traces: Number(m[1]) },
				oneLine(msg.slice(m[0].length)) || undefined
			);
		// 0.5–0.6: the cause and `unable to flush traces, lost N traces` are separate lines
		if ((m = /^unable to flush traces, lost (\d+) traces/.exec(msg)))
			return onLost(r, 'agent', { traces: Number(m[1]) }, undefined);
		if ((m = /^unable to flush services, lost (\d+) services/.exec(msg))) {
			const ls = lastServices;
			if (ls && near(ls, at(r))) return;
			return void agentError(r, `Lost ${m[1]} services`, msg);
		}
		const url = urlIn(msg);
		if (url && /\/v0\.\d\/traces/.test(url)) return onCause(r, 'agent', oneLine(msg), true);
		if (url && url.includes('/services')) {
			const ev = agentError(r, 'Services payload failed', msg);
			lastServices = { ev, seq: r.seq, time: r.h.time };
			return;
		}
		if (url) return void agentError(r, 'Agent request failed', msg);
		emit('log.other', r, oneLine(msg), {});
	}

	function classifyPlain(r: Rec): void {
		const msg = r.msg;
		let m: RegExpExecArray | null;
		if (msg === 'SPAN:' || msg.startsWith('SPAN:\n')) return onSpanDump(r);
		if ((m = PLAIN_PAYLOAD.exec(msg))) return onAttempt(r, 'agent', Number(m[1]), Number(m[2]));
		if ((m = PLAIN_SENDING.exec(msg))) {
			const n = Number(m[1]);
			return onAttempt(r, 'agent', undefined, m[2] === 'traces' ? n : undefined);
		}
		if (msg.startsWith('cannot flush traces: '))
			return onCause(r, 'agent', oneLine(msg.slice(21)), true);
		if ((m = PLAIN_LOST_SPANS.exec(msg)))
			return onLost(r, 'agent', { spans: Number(m[1]) }, undefined);
		if (msg.startsWith('[WORKER] flush failed'))
			return onLost(r, 'agent', {}, oneLine(msg.slice(msg.indexOf(': ') + 2)));
		if (msg.startsWith('cannot flush services: ')) {
			const ev = emit(
				'agent.error',
				r,
				`Services payload failed: ${oneLine(msg.slice(23))}`,
				{
					reason: oneLine(msg.slice(23)),
					endpoint: urlIn(msg) ?? null,
					status: statusIn(msg) ?? null
				},
				{ level: 'error' }
			);
			lastServices = { ev, seq: r.seq, time: r.h.time };
			return;
		}
		if ((m = /^calling the endpoint '([^']*)' but received (\d+); downgrading the API/.exec(msg))) {
			return void emit(
				'log.other',
				r,
				oneLine(msg),
				{
					endpoint: m[1],
					status: Number(m[2])
				},
				{ level: 'warn' }
			);
		}
	}

	function onRecord(record: LogRecord): void {
		const h = parseHeader(record.lines[0]);
		if (!h) return;
		if (h.style === 'plain') {
			if (!isPlainTracerMessage(h.msg, h.time !== undefined)) return;
			h.level = 'debug'; // failures among them say so explicitly
		}
		let msg = h.msg;
		for (let i = 1; i < record.lines.length; i++) msg += '\n' + record.lines[i];
		const stripped = h.style === 'plain' ? { msg } : stripRepeat(msg);
		const r: Rec = {
			record,
			h,
			msg: stripped.msg,
			repeat: stripped.repeat,
			first: stripped.first,
			seq: ++seq
		};
		if (h.version && h.version !== lastVersion) {
			lastVersion = h.version;
			out.info({ tracerVersion: h.version, lang: 'go' });
		}
		expire(at(r));
		if (abandonHeader && !r.msg.startsWith('[name: ') && !r.msg.startsWith('Too many abandoned')) {
			flushAbandonHeader(abandonHeader);
			abandonHeader = undefined;
		}
		if (h.style === 'modern') classifyModern(r);
		else if (h.style === 'legacy') classifyLegacy(r);
		else classifyPlain(r);
	}

	// the configuration record being grouped, and how deep its JSON is open
	let configRec: LogRecord | undefined;
	let configJson: JsonDepth | undefined;

	/** A pretty-printed configuration (R10): its JSON lines, `{` and `}` included, are one record. */
	const continuesConfig = (text: string, rec: LogRecord): boolean => {
		if (configRec !== rec) {
			configRec = rec;
			const at = rec.lines[0].indexOf('DATADOG TRACER CONFIGURATION');
			configJson = at >= 0 ? new JsonDepth() : undefined;
			configJson?.feed(rec.lines[0].slice(at + 28));
		}
		const json = configJson;
		if (!json || (json.started && json.depth <= 0)) return false;
		// pretty-printed JSON lines are indented or open/close a block; anything else is not JSON
		const c = text.trimStart().charCodeAt(0);
		const indented = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9;
		if (c !== 123 && (!json.started || (!indented && c !== 125 && c !== 93))) return false;
		json.feed(text);
		return true;
	};

	const isContinuation = (text: string, rec: LogRecord): boolean => {
		if (text.length === 0) return false;
		if (markerAt(text) || GO_TS.test(text)) return false;
		const first = rec.lines[0];
		if (first.endsWith('SPAN:')) return text.startsWith('\t') || SPAN_DUMP_FIELD.test(text);
		if (!markerAt(first)) return false;
		if (continuesConfig(text, rec)) return true;
		const c = text.charCodeAt(0);
		if (c === 32 || c === 9) return true;
		if (parseTimestamp(text)) return false;
		const last = rec.lines[rec.lines.length - 1];
		// hand-wrapped after `Post "…":`, or an Agent response body split over lines
		return (
			last.endsWith(':') ||
			text.includes('(Status: ') ||
			text.includes(' additional messages skipped (')
		);
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
			grouper.line(text, lineNo, truncated);
		},
		end() {
			grouper.end();
			for (const c of causes) resolveCause(c);
			causes = [];
			if (abandonHeader) flushAbandonHeader(abandonHeader);
			abandonHeader = undefined;
		}
	};
}

export const goParser: TracerParser = {
	id: 'go',
	name: 'Go',
	logsSuccess: true,
	fileNameHint: /(?:^|[/\\])ddtrace\.log$/,
	detect,
	createSession
};
