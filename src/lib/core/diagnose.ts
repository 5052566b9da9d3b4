// The verdict: the plain answer to "did my traces reach the Agent?", time-aware and with evidence.
import type { Analysis, Evidence, Flush, LogEvent, Verdict } from './model';

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

const CONNECTIVITY =
	/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|[Cc]onnection refused|[Cc]onnection reset|[Tt]imed? ?out|[Nn]o route to host|[Nn]ame or service not known|[Nn]o such host|[Uu]nreachable|[Cc]ould not resolve|[Cc]ouldn't connect|[Ff]ailed to connect|Connection aborted|[Bb]roken pipe|socket hang up/;

function fmtTime(time: number, zone?: string): string {
	let shift = 0;
	if (zone && zone !== 'local' && zone !== 'Z' && zone !== 'UTC') {
		const sign = zone[0] === '-' ? -1 : 1;
		const d = zone.slice(1).replace(':', '');
		shift = sign * (+d.slice(0, 2) * 60 + +d.slice(2, 4)) * 60000;
	}
	return new Date(time + shift).toISOString().slice(11, 19);
}

/** "at 10:02:11" when the log has times, else "on line 212". */
function when(a: Analysis, f: { time?: number; line: number; file: number }): string {
	if (f.time !== undefined) {
		const zone = a.events.find((e) => e.time !== undefined)?.zone;
		return fmtTime(f.time, zone);
	}
	return (a.files.length > 1 ? `${a.files[f.file].name}:` : 'line ') + f.line;
}

function span(a: Analysis, first: Flush | LogEvent, last: Flush | LogEvent): string {
	if (first === last) return `at ${when(a, first)}`;
	return `from ${when(a, first)} to ${when(a, last)}`;
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function agentWhere(a: Analysis, failures: Flush[]): string {
	const url = a.info.agentUrl ?? failures.find((f) => f.endpoint)?.endpoint;
	if (!url) return 'the Agent';
	const hostPort = /^[a-z+]+:\/\/([^/\s]+)/i.exec(url)?.[1] ?? url;
	return `the Agent at ${hostPort}`;
}

function evidenceOf(a: Analysis, items: (Flush | LogEvent)[], label: string): Evidence[] {
	return items.map((f) => {
		if ('kind' in f) return { file: f.file, line: f.line, label, event: f.id };
		// a flush points at its outcome line (the failure, the acceptance) when there is one
		const id = f.outcome ?? f.attempt;
		const line = id !== undefined ? a.events[id].line : f.line;
		return { file: f.file, line, label, event: id };
	});
}

function failureKind(a: Analysis, failures: Flush[]): 'unreachable' | 'rejected' {
	const rejected = failures.filter((f) => f.httpStatus !== undefined && f.httpStatus >= 400);
	const unreachable = failures.filter((f) => {
		const reason = f.reason ?? (f.outcome !== undefined ? a.events[f.outcome].summary : '');
		return CONNECTIVITY.test(reason);
	});
	return rejected.length > unreachable.length ? 'rejected' : 'unreachable';
}

function statuses(failures: Flush[]): string {
	const set = [...new Set(failures.map((f) => f.httpStatus).filter((s) => s !== undefined))];
	return set.length ? ` (HTTP ${set.join(', ')})` : '';
}

export function diagnose(a: Analysis): Verdict {
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
	const flushes = [...a.flushes.list].sort((x, y) => x.file - y.file || x.line - y.line);
	const ok = flushes.filter((f) => f.status === 'ok');
	const failed = flushes.filter((f) => f.status === 'failed');
	const unconfirmed = flushes.filter((f) => f.status === 'unconfirmed');
	const presumed = flushes.filter((f) => f.status === 'presumed');
	const agentErrors = a.events.filter((e) => e.kind === 'agent.error');
	const connErrors = agentErrors.filter((e) =>
		CONNECTIVITY.test(e.summary + ' ' + (e.fields.reason ?? ''))
	);
	const details: string[] = [];
	if (unconfirmed.length && (ok.length || failed.length)) {
		details.push(
			`${plural(unconfirmed.length, 'payload')} had no logged outcome (the tracer may have retried silently).`
		);
	}
	if (agentErrors.length) {
		details.push(
			`${plural(agentErrors.length, 'other error')} talking to the Agent (stats, telemetry, remote configuration or diagnostics).`
		);
	}

	if (failed.length) {
		const where = agentWhere(a, failed);
		const kind = failureKind(a, failed);
		const verb =
			kind === 'rejected'
				? `rejected ${plural(failed.length, 'payload')}${statuses(failed)}`
				: `could not be reached for ${plural(failed.length, 'payload')}`;
		const lastFail = failed[failed.length - 1];
		const okAfter = ok.filter(
			(f) => f.file > lastFail.file || (f.file === lastFail.file && f.line > lastFail.line)
		);
		const evidence = [
			...evidenceOf(a, [failed[0]], 'first failure'),
			...(failed.length > 1 ? evidenceOf(a, [lastFail], 'last failure') : [])
		];
		if (okAfter.length) {
			evidence.push(...evidenceOf(a, [okAfter[0]], 'accepted after'));
			return {
				status: 'recovered',
				summary: `Recovered: ${where} ${verb} ${span(a, failed[0], lastFail)}, then accepted ${plural(okAfter.length, 'payload')} from ${when(a, okAfter[0])}.`,
				details,
				evidence
			};
		}
		const before = ok.length
			? ` It had accepted ${plural(ok.length, 'payload')} before; nothing reached it after.`
			: ' Nothing reached it.';
		return {
			status: kind,
			summary: `${capital(where)} ${verb} ${span(a, failed[0], lastFail)}.${before}`,
			details,
			evidence
		};
	}
	if (ok.length) {
		return {
			status: 'ok',
			summary: `Traces reached the Agent: ${plural(ok.length, 'payload')} accepted${ok[0].time !== undefined || ok.length > 1 ? ` ${span(a, ok[0], ok[ok.length - 1])}` : ''}.`,
			details,
			evidence: evidenceOf(a, [ok[0], ...(ok.length > 1 ? [ok[ok.length - 1]] : [])], 'accepted')
		};
	}
	if (connErrors.length) {
		const where = agentWhere(a, []);
		return {
			status: 'unreachable',
			summary: `${capital(where)} was unreachable ${span(a, connErrors[0], connErrors[connErrors.length - 1])} (${plural(connErrors.length, 'error')}); no payload is logged as accepted.`,
			details,
			evidence: evidenceOf(
				a,
				[connErrors[0], ...(connErrors.length > 1 ? [connErrors[connErrors.length - 1]] : [])],
				'agent error'
			)
		};
	}
	if (presumed.length) {
		return {
			status: 'ok',
			summary: `Traces were sent: ${plural(presumed.length, 'payload')} and no send error (this tracer logs failures only, not successes).`,
			details,
			evidence: evidenceOf(a, [presumed[0]], 'sent')
		};
	}
	if (unconfirmed.length) {
		return {
			status: 'unconfirmed',
			summary: `The tracer sent ${plural(unconfirmed.length, 'payload')} but the log never says whether the Agent accepted them.`,
			details: [
				'A request with no response is not a success: this tracer version retries silently, so a missing Agent may leave no error line.',
				...details
			],
			evidence: evidenceOf(
				a,
				[unconfirmed[0], unconfirmed[unconfirmed.length - 1]],
				'sent, no answer'
			)
		};
	}
	const spans = a.counts['span.finish'] + a.counts['trace.complete'];
	if (spans > 0) {
		const first = a.events.find((e) => e.kind === 'span.finish' || e.kind === 'trace.complete')!;
		return {
			status: 'not-sent',
			summary: `Spans were created (${plural(a.counts['span.finish'], 'span')}) but the log shows nothing sent to the Agent.`,
			details: [
				'The log may end before the first flush, or the tracer may not log its sends at this level.',
				...details
			],
			evidence: evidenceOf(a, [first], 'first span')
		};
	}
	const config = a.events.find((e) => e.kind === 'tracer.config');
	const firstErr = agentErrors[0] ?? a.events.find((e) => e.kind === 'log.other');
	return {
		status: 'no-flush-info',
		summary: 'The tracer wrote debug lines, but none about sending traces to the Agent.',
		details,
		evidence: [
			...(config ? evidenceOf(a, [config], 'configuration') : []),
			...(firstErr ? evidenceOf(a, [firstErr], 'first error') : [])
		]
	};
}

function capital(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}
