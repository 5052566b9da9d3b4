// The verdict: the plain answer to "did my traces reach the Agent?", time-aware and with evidence.
import type { Analysis, Evidence, Flush, LogEvent, TracerId, Verdict } from './model';
import { tracerById } from './tracers/index';

/** How to turn on debug logs, per tracer (from the "Tracer Debug Logs" documentation). */
export const ENABLE_DEBUG_HELP: Record<string, string> = {
	java: 'Java: start the JVM with -Ddd.trace.debug=true or set DD_TRACE_DEBUG=true; -Ddatadog.slf4j.simpleLogger.logFile=<path> sends the output to a file.',
	python:
		'Python: set DD_TRACE_DEBUG=true; DD_TRACE_LOG_FILE=<file> writes the logs to a file (15 MB by default, one backup).',
	ruby: 'Ruby: set DD_TRACE_DEBUG=true (or c.diagnostics.debug = true); logs go to the Ruby logger, the Rails log under Rails.',
	go: 'Go: set DD_TRACE_DEBUG=true or start the tracer with tracer.WithDebugMode(true); DD_TRACE_DEBUG_ABANDONED_SPANS=true also reports abandoned spans.',
	nodejs:
		'Node.js: set DD_TRACE_DEBUG=true; debug lines go to stdout and errors to stderr unless you pass your own logger to init().',
	dotnet:
		'.NET: set DD_TRACE_DEBUG=true (environment, app.config/web.config or datadog.json); logs are written to files under DD_TRACE_LOG_DIRECTORY (/var/log/datadog/dotnet on Linux, which must exist).',
	php: 'PHP: set DD_TRACE_DEBUG=true; logs go to the PHP error log unless DD_TRACE_LOG_FILE (datadog.trace.log_file) names a file.',
	cpp: "C++ (nginx, Envoy, Istio): set DD_TRACE_DEBUG=true and raise the host's own log level (nginx error_log … debug)."
};

// Causes that mean the Agent could not be reached at all (bounded alternatives: no backtracking).
const CONNECTIVITY =
	/ECONNREFUSED|ECONNRESET|ENOENT|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|[Cc]onnection refused|[Cc]onnection reset|[Tt]imed? ?out|[Nn]o route to host|[Nn]ame or service not known|[Nn]o such host|[Uu]nreachable|[Nn]ot reachable|[Uu]nable to (?:reach|connect)|[Cc]ould not resolve|[Cc]ouldn't connect|[Ff]ailed to connect|[Cc]onnection aborted|[Bb]roken pipe|socket hang up|Connection(?:Refused|Reset|Aborted)Error|RemoteDisconnected|NewConnectionError|[Pp]ermission denied|[Nn]o such file or directory|Temporary failure in name resolution|UnknownHostException|[Pp]rotocol wrong type for socket|[Aa]ddress family not supported|[Cc]annot assign requested address|EADDRNOTAVAIL/;

/**
 * Causes that mean the Agent took the connection but closed it or let it time out without an
 * answer: a stuck or overloaded Agent, not a network problem. Each tracer's own words (dd-trace-js
 * aborts a request after 2 s with "socket hang up"); a connect timeout stays in CONNECTIVITY, as
 * does Go's "request canceled while waiting for connection (… awaiting headers)".
 */
const NO_ANSWER =
	/socket hang up|RemoteDisconnected|[Rr]emote end closed connection|Read timed out|ReadTimeout|while awaiting headers|: EOF\b/;

type Marked = Flush | LogEvent;

/** The zone offset in ms of a printed zone ("+02:00", "-0700"), 0 for UTC or local. */
function zoneOffset(zone?: string): number {
	if (!zone || zone === 'local' || zone === 'Z' || zone === 'UTC') return 0;
	const sign = zone[0] === '-' ? -1 : 1;
	const d = zone.slice(1).replace(':', '');
	return sign * (+d.slice(0, 2) * 60 + +d.slice(2, 4)) * 60000;
}

/** Wall-clock time as the log printed it. */
function clock(a: Analysis, time: number): string {
	const zone = a.events.firstZone();
	return new Date(time + zoneOffset(zone)).toISOString().slice(11, 19);
}

/** "10:02:11" when the log has times, else "line 212" (or "file:212" with several files). */
function when(a: Analysis, m: Marked): string {
	if (m.time !== undefined) return clock(a, m.time);
	return (a.files.length > 1 ? `${a.files[m.file].name}:` : 'line ') + lineOf(a, m);
}

function lineOf(a: Analysis, m: Marked): number {
	if ('kind' in m) return m.line;
	const id = m.outcome ?? m.attempt;
	return id !== undefined ? a.events.line[id] : m.line;
}

function period(a: Analysis, first: Marked, last: Marked): string {
	// both ends as lines when one has no time (a file holding several tracers' logs) or when the
	// times run backwards (runs pasted together): "from 18:38 to 17:59" reads as a mistake
	const byLine =
		(first.time === undefined) !== (last.time === undefined) ||
		(first.time !== undefined && last.time !== undefined && last.time < first.time);
	const from = when(a, byLine ? { ...first, time: undefined } : first);
	const to = when(a, byLine ? { ...last, time: undefined } : last);
	return from === to ? `at ${from}` : `from ${from} to ${to}`;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function capital(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

function agentWhere(a: Analysis, flushes: Flush[]): string {
	const url = flushes.find((f) => f.endpoint)?.endpoint ?? a.info.agentUrl;
	if (!url) return 'the Agent';
	// a docs paste may hold a placeholder host such as <IP HERE>
	const hostPort =
		/^[a-z+]{2,10}:\/\/(<[^<>]{1,100}>(?::\d{1,5})?|[^/\s]{1,300})/i.exec(url)?.[1] ?? url;
	// the Agent listens for plain HTTP: an https:// URL is itself worth seeing
	return `the Agent at ${/^https:/i.test(url) ? 'https://' : ''}${hostPort}`;
}

/** TLS spoken to the Agent's plain-HTTP port: the handshake fails on its first reply. */
const TLS_MISMATCH = /EPROTO|wrong version number|SSL routines|SSLError|[Hh]andshake/;

/**
 * The `agent_error` of the start-up configuration when it holds one ("false", "" and null do not;
 * Java prints `true`, a failure without its message: then "").
 */
function startupAgentError(a: Analysis): string | undefined {
	const v = a.config.agent_error?.trim();
	if (!v || /^(false|null|none|nil|0)$/i.test(v)) return undefined;
	if (v === 'true') return '';
	return v.length > 160 ? v.slice(0, 160) + '…' : v;
}

/** Drops that lose traces (a full buffer, too many open requests), not a sampler's choice. */
const LOSS = /overflow|too many requests|shutdown|queue full/i;

/** "N traces were dropped by the tracer before they were sent (why)", one sentence per reason. */
function lostTraces(a: Analysis): string[] {
	const byReason = new Map<string, { n: number; first: LogEvent }>();
	const events = a.events;
	// by index: a big log has hundreds of thousands of traces, and few are dropped
	for (let i = 0; i < events.length; i++) {
		if (events.kindOf(i) !== 'trace.complete') continue;
		const why = events.field(i, 'dropped');
		if (typeof why !== 'string' || !LOSS.test(why)) continue;
		const seen = byReason.get(why);
		if (seen) seen.n++;
		else byReason.set(why, { n: 1, first: events.get(i) });
	}
	return [...byReason].map(
		([why, { n, first }]) =>
			`${plural(n, 'trace')} ${n === 1 ? 'was' : 'were'} dropped by the tracer before sending (${why}), first ${when(a, first)}.`
	);
}

function evidence(a: Analysis, items: Marked[], label: string): Evidence[] {
	const out: Evidence[] = [];
	for (const m of items) {
		const event = 'kind' in m ? m.id : (m.outcome ?? m.attempt);
		const line = lineOf(a, m);
		if (!out.some((e) => e.file === m.file && e.line === line))
			out.push({ file: m.file, line, label, event });
	}
	return out;
}

function reasonOf(a: Analysis, f: Flush): string {
	return f.reason ?? (f.outcome !== undefined ? a.events.summary.get(f.outcome) : '');
}

/** Why sends failed: no connection, an HTTP refusal, or something else (encoding, a bug…). */
function failureKind(
	a: Analysis,
	failures: Flush[],
	connErrors: LogEvent[]
): 'unreachable' | 'rejected' | 'no-answer' | 'failed' {
	let rejected = 0;
	let unreachable = 0;
	let unanswered = 0;
	for (const f of failures) {
		const reason = reasonOf(a, f);
		if (f.httpStatus !== undefined && f.httpStatus >= 400) rejected++;
		else if (NO_ANSWER.test(reason) && !reason.includes('waiting for connection')) unanswered++;
		else if (CONNECTIVITY.test(reason)) unreachable++;
	}
	// a send line that gives no cause (Python's "failed to send, dropping N traces") takes the
	// cause of the connectivity errors logged beside it
	if (rejected === 0 && unreachable === 0 && unanswered === 0)
		return connErrors.length ? 'unreachable' : 'failed';
	if (rejected >= unreachable && rejected >= unanswered) return 'rejected';
	return unreachable >= unanswered ? 'unreachable' : 'no-answer';
}

function statuses(failures: Flush[]): string {
	const set = [...new Set(failures.map((f) => f.httpStatus).filter((s) => s !== undefined))];
	return set.length ? ` (HTTP ${set.join(', ')})` : '';
}

function firstReason(a: Analysis, failures: Flush[]): string {
	const r = failures.map((f) => reasonOf(a, f)).find((x) => x);
	return r ? r.slice(0, 160) : '';
}

function connReason(connErrors: LogEvent[]): string {
	const e = connErrors[0];
	if (!e) return '';
	return (typeof e.fields.reason === 'string' ? e.fields.reason : e.summary).slice(0, 160);
}

/**
 * For files that hold several tracers: which ones, and how each one's sends went (the verdict
 * covers them all; this says whose payloads they were).
 */
const nameOf = (t: TracerId) => tracerById(t)?.name ?? t;

/** "Python", "Python and Java", "Go, Python and Java". */
function tracerNames(ids: TracerId[]): string {
	const names = ids.map(nameOf);
	return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "2 Node.js payloads accepted, 1 Go payload accepted" from accepted sends of tagged tracers. */
function acceptedByTracer(ok: Flush[]): string {
	const by = new Map<TracerId, number>();
	for (const f of ok) by.set(f.tracer!, (by.get(f.tracer!) ?? 0) + 1);
	return [...by].map(([t, n]) => `${plural(n, `${nameOf(t)} payload`)} accepted`).join(', ');
}

function severalTracers(a: Analysis, flushes: Flush[]): string[] {
	const out: string[] = [];
	for (let file = 0; file < a.files.length; file++) {
		const f = a.files[file];
		if (f.tracers.length < 2) continue;
		const inFile = flushes.filter((x) => x.file === file);
		const parts = f.tracers.map((p) => {
			const own = inFile.filter((x) => x.tracer === p.tracer);
			const ok = own.filter((x) => x.status === 'ok' || x.status === 'presumed').length;
			const failed = own.filter((x) => x.status === 'failed').length;
			const sends = own.length
				? `: ${[failed && `${failed} failed`, ok && `${ok} accepted`, own.length - ok - failed && `${own.length - ok - failed} unanswered`].filter(Boolean).join(', ')}`
				: ': no sends';
			return `${nameOf(p.tracer)} (${plural(p.lines, 'line')}${sends})`;
		});
		out.push(
			`${a.files.length > 1 ? f.name : 'This file'} holds the logs of ${f.tracers.length} tracers: ${parts.join('; ')}. Each tracer's sends are paired with its own answers.`
		);
	}
	return out;
}

export function diagnose(a: Analysis): Verdict {
	if (a.files.length === 0) {
		// e.g. an archive with no log inside, or a zip bomb stopped before its first log
		return {
			status: 'input-error',
			summary: a.notes.join(' ') || 'Nothing to analyse: no log file was found in the input.',
			details: [],
			evidence: []
		};
	}
	const broken = a.files.filter((f) => f.error);
	if (broken.length === a.files.length && broken.length > 0) {
		return {
			status: 'input-error',
			summary: broken.map((f) => `${f.name}: ${f.error!.message}`).join(' '),
			details: [],
			evidence: []
		};
	}
	if (a.tracer === 'unknown') {
		return {
			status: 'no-tracer-lines',
			summary: 'No tracer debug lines found: this does not look like a Datadog tracer debug log.',
			details: [
				'Turn debug logging on and capture the output again:',
				...Object.values(ENABLE_DEBUG_HELP)
			],
			evidence: []
		};
	}
	const flushes = [...a.flushes.list].sort(
		(x, y) => x.file - y.file || lineOf(a, x) - lineOf(a, y)
	);
	const ok = flushes.filter((f) => f.status === 'ok');
	const failed = flushes.filter((f) => f.status === 'failed');
	const unconfirmed = flushes.filter((f) => f.status === 'unconfirmed');
	const presumed = flushes.filter((f) => f.status === 'presumed');
	const agentErrors = a.events.ofKind('agent.error');
	const connErrors = agentErrors.filter((e) =>
		CONNECTIVITY.test(
			e.summary + ' ' + (typeof e.fields.reason === 'string' ? e.fields.reason : '')
		)
	);
	const onlyFailuresLogged = a.files.some(
		(f) => f.logsSuccess === false || f.tracers.some((p) => p.logsSuccess === false)
	);

	const details: string[] = severalTracers(a, flushes);
	if (unconfirmed.length && (ok.length || failed.length)) {
		details.push(
			`${plural(unconfirmed.length, 'payload')} had no logged answer (the tracer may have retried them silently).`
		);
	}
	if (agentErrors.length) {
		details.push(
			`${plural(agentErrors.length, 'other error')} talking to the Agent (stats, telemetry, profiles, remote configuration or diagnostics), first ${when(a, agentErrors[0])}.`
		);
	}
	details.push(...lostTraces(a));
	// the start-up configuration's own check of the Agent (Java, .NET, Python, Go, Ruby, PHP)
	const startupError = startupAgentError(a);
	if (startupError !== undefined) {
		details.push(
			`At start-up the tracer could not reach the Agent${startupError ? `: ${startupError}` : '.'}`
		);
	}

	if (failed.length) {
		const where = agentWhere(a, failed);
		const kind = failureKind(a, failed, connErrors);
		// several tracers: say whose sends failed
		const failing = new Set(failed.map((f) => f.tracer));
		const n = failing.has(undefined)
			? plural(failed.length, 'payload')
			: plural(failed.length, `${tracerNames([...failing] as TracerId[])} payload`);
		// and whose got through
		const othersOk = ok.filter((f) => f.tracer !== undefined && !failing.has(f.tracer));
		const what =
			kind === 'rejected'
				? `${where} rejected ${n}${statuses(failed)}`
				: kind === 'unreachable'
					? `${where} could not be reached for ${n}`
					: kind === 'no-answer'
						? `${where} did not answer ${n}`
						: `${n} failed to reach ${where}`;
		const lastFail = failed[failed.length - 1];
		// in a file of several tracers, only the failing tracer's own sends show a recovery
		const after = (f: Flush) =>
			f.tracer === lastFail.tracer &&
			(f.file > lastFail.file || (f.file === lastFail.file && lineOf(a, f) > lineOf(a, lastFail)));
		const okAfter = ok.filter(after);
		const okBefore = ok.filter((f) => f.tracer === lastFail.tracer).length;
		const reason = firstReason(a, failed) || connReason(connErrors);
		if (kind === 'no-answer') {
			details.unshift(
				'The Agent took the connection but closed it or let it time out before answering: it is usually overloaded or stuck (see its own log and its CPU and memory limits).'
			);
		}
		if (/dsd\.socket\b/.test(where)) {
			details.unshift(
				"The tracer sends to DogStatsD's socket (dsd.socket): traces go to the APM socket, by default unix:///var/run/datadog/apm.socket."
			);
		}
		if (/^the Agent at https:/.test(where) && TLS_MISMATCH.test(reason)) {
			details.unshift(
				'The tracer speaks TLS (https://) to the Agent, which serves plain HTTP on its trace port: use http:// in DD_TRACE_AGENT_URL.'
			);
		}
		if (reason) details.unshift(`First cause: ${reason}`);
		const ev = evidence(a, [failed[0]], 'first failure');
		if (lastFail !== failed[0]) ev.push(...evidence(a, [lastFail], 'last failure'));
		if (okAfter.length) {
			return {
				status: 'recovered',
				summary: `Recovered: ${what} ${period(a, failed[0], lastFail)}, then it accepted ${plural(okAfter.length, 'payload')} from ${when(a, okAfter[0])}.`,
				details,
				evidence: [...ev, ...evidence(a, [okAfter[0]], 'accepted after')]
			};
		}
		const before = okBefore
			? ` It had accepted ${plural(okBefore, 'payload')} before; ${kind === 'no-answer' ? 'none was answered' : 'nothing reached it'} after.`
			: othersOk.length
				? ` Other tracers' payloads got through: ${acceptedByTracer(othersOk)}.`
				: onlyFailuresLogged
					? ''
					: kind === 'rejected' || kind === 'no-answer'
						? ' None was accepted.'
						: ' Nothing reached it.';
		return {
			status: kind === 'no-answer' ? 'failed' : kind,
			summary: `${capital(what)} ${period(a, failed[0], lastFail)}.${before}`,
			details,
			evidence: ev
		};
	}
	if (ok.length) {
		const range =
			ok.length > 1 || ok[0].time !== undefined ? ` ${period(a, ok[0], ok[ok.length - 1])}` : '';
		return {
			status: 'ok',
			summary: `Traces reached the Agent: ${plural(ok.length, 'payload')} accepted${range}.`,
			details,
			evidence: evidence(a, [ok[0], ok[ok.length - 1]], 'accepted')
		};
	}
	if (connErrors.length) {
		if (unconfirmed.length) {
			details.unshift(`${plural(unconfirmed.length, 'payload')} were sent with no logged answer.`);
		}
		return {
			status: 'unreachable',
			summary: `${capital(agentWhere(a, flushes))} was unreachable ${period(a, connErrors[0], connErrors[connErrors.length - 1])} (${plural(connErrors.length, 'error')}); no payload is logged as accepted.`,
			details,
			evidence: evidence(a, [connErrors[0], connErrors[connErrors.length - 1]], 'agent error')
		};
	}
	if (presumed.length) {
		return {
			status: 'ok',
			summary: `Traces were sent: ${plural(presumed.length, 'payload')} and no send error (this tracer logs failed sends only, not accepted ones).`,
			details,
			evidence: evidence(a, [presumed[0]], 'sent')
		};
	}
	if (startupError !== undefined) {
		const config = a.events.firstOf('tracer.config');
		return {
			status: 'unreachable',
			summary: `${capital(agentWhere(a, flushes))} could not be reached by the tracer's start-up check, and ${unconfirmed.length ? `the ${plural(unconfirmed.length, 'payload')} sent after it ${unconfirmed.length === 1 ? 'has' : 'have'} no logged answer` : 'no send is logged after it'}.`,
			details,
			evidence: config ? evidence(a, [config], 'start-up check') : []
		};
	}
	if (unconfirmed.length) {
		return {
			status: 'unconfirmed',
			summary: `The tracer sent ${plural(unconfirmed.length, 'payload')} to ${agentWhere(a, unconfirmed)} ${period(a, unconfirmed[0], unconfirmed[unconfirmed.length - 1])}, but the log never says whether ${unconfirmed.length === 1 ? 'it was' : 'they were'} accepted.`,
			details: [
				'A request with no answer is not a success: recent tracers retry silently, so a missing or hanging Agent may leave no error line.',
				...details
			],
			evidence: evidence(
				a,
				[unconfirmed[0], unconfirmed[unconfirmed.length - 1]],
				'sent, no answer'
			)
		};
	}
	const written = a.events.firstOf('span.finish', 'trace.complete');
	if (written && onlyFailuresLogged) {
		return {
			status: 'ok',
			summary: `No send failed: spans were written (${plural(a.counts['span.finish'], 'span')}) and this tracer logs only failed sends, so they were probably accepted.`,
			details,
			evidence: evidence(a, [written], 'first span')
		};
	}
	if (written) {
		return {
			status: 'not-sent',
			// a log of writer lines only (Java's rate-limited 'Dropped due to a buffer overflow') has no span finish
			summary: a.counts['span.finish']
				? `Spans were created (${plural(a.counts['span.finish'], 'span')}) but the log shows nothing sent to the Agent.`
				: `Traces were created (${plural(a.counts['trace.complete'], 'trace')}) but the log shows nothing sent to the Agent.`,
			details: [
				'The log may end before the first flush, or the tracer may not log its sends at this level.',
				...details
			],
			evidence: evidence(a, [written], 'first span')
		};
	}
	const config = a.events.firstOf('tracer.config');
	const firstErr = agentErrors[0] ?? a.events.firstOf('log.other');
	// the log may hold only the tracer's start-up, warning or error lines (no debug level)
	const help = ENABLE_DEBUG_HELP[a.tracer];
	return {
		status: 'no-flush-info',
		summary: "The tracer's lines say nothing about sending traces to the Agent.",
		details: help
			? [
					...details,
					`Sends are logged at debug level; if this log was captured without it: ${help}`
				]
			: details,
		evidence: [
			...(config ? evidence(a, [config], 'configuration') : []),
			...(firstErr ? evidence(a, [firstErr], 'first error') : [])
		]
	};
}
