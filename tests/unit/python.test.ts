// Focused tests of the Python (dd-trace-py) parser: every prefix and message-template generation of
// shared/formats/FORMAT-python.md, multi-line records, fields, repeats, foreign lines, garbage.
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type LogEvent } from '../../src/lib/core/index';
import {
	classify,
	parsePprint,
	parsePrefix,
	parsePyLiteral,
	parseRepr,
	parseShort,
	plainLine,
	pythonParser,
	toMillis3,
	splitRepeat,
	stripContainer
} from '../../src/lib/core/tracers/python';

import { corpusSamples } from './corpus-files';

/** Parses `lines` as a Python log (parser forced). */
async function run(lines: string[]): Promise<Analysis> {
	return analyze({ name: 'x.log', data: lines.join('\n') + '\n' }, { tracer: 'python' });
}

/** Same, but the tracer must be detected from content. */
async function detected(lines: string[]): Promise<Analysis> {
	return analyze({ name: 'pasted.txt', data: lines.join('\n') + '\n' });
}

function kinds(a: Analysis): string[] {
	return a.events.map((e) => e.kind);
}

function only(a: Analysis, kind: string): LogEvent[] {
	return a.events.filter((e) => e.kind === kind);
}

const SENDING_V05 =
	"Sending request: PUT v0.5/traces {'Datadog-Meta-Lang': 'python', 'Datadog-Meta-Lang-Version': '3.11.2', 'Datadog-Meta-Tracer-Version': '2.8.7', 'Content-Type': 'application/msgpack', 'X-Datadog-Trace-Count': '5'}";
const CONN = 'creating new intake connection to http://127.0.0.1:8126 with timeout 2';
const BIG_TRACE = '142268965694347445242139922007494947841';
const BIG_SPAN = '18446744073709551557';

describe('python: line prefixes', () => {
	it('reads a bare message (2.x+ default handler)', () => {
		const p = parsePrefix('sent 16B in 0.00226s to http://127.0.0.1:8126/v0.5/traces');
		expect(p.prefixed).toBe(false);
		expect(p.logger).toBeUndefined();
		expect(p.msg.startsWith('sent 16B')).toBe(true);
	});

	it('reads basicConfig `LEVEL:logger:message`', () => {
		const p = parsePrefix(
			'WARNING:ddtrace.tracer:- DATADOG TRACER DIAGNOSTIC - Agent not reachable'
		);
		expect(p.level).toBe('warn');
		expect(p.logger).toBe('ddtrace.tracer');
		expect(p.msg).toBe('- DATADOG TRACER DIAGNOSTIC - Agent not reachable');
	});

	it('reads the full formatter with [file:line] (DD_TRACE_LOG_FILE)', () => {
		const p = parsePrefix(
			"2026-11-26 09:56:48,665 INFO [ddtrace._trace.tracer] [tracer.py:1038] - - DATADOG TRACER CONFIGURATION - {'a': 1}"
		);
		expect(p.level).toBe('info');
		expect(p.logger).toBe('ddtrace._trace.tracer');
		expect(p.fileField).toBe(true);
		expect(p.time).toBe(Date.UTC(2026, 10, 26, 9, 56, 48, 665));
		expect(p.zone).toBe('local');
		expect(p.msg).toBe("- DATADOG TRACER CONFIGURATION - {'a': 1}");
	});

	it('reads the logs-injection prefix', () => {
		const p = parsePrefix(
			'2021-03-30 17:59:00,780 DEBUG [ddtrace.internal.writer] [writer.py:279] [dd.service=x dd.env=y dd.version=z dd.trace_id=0 dd.span_id=0] - sent 1.57KB in 0.02605s to http://localhost:8126/v0.4/traces'
		);
		expect(p.logger).toBe('ddtrace.internal.writer');
		expect(p.msg).toBe('sent 1.57KB in 0.02605s to http://localhost:8126/v0.4/traces');
	});

	it('reads user pipeline formats', () => {
		expect(parsePrefix('ddtrace.writer - ERROR - failed to send').logger).toBe('ddtrace.writer');
		expect(parsePrefix('ddtrace.writer - ERROR - failed to send').level).toBe('error');
		expect(parsePrefix('ddtrace.internal.writer.writer: sent 1B').msg).toBe('sent 1B');
		const custom = parsePrefix(
			'2019-04-24 13:59:00,814 ERROR writer._flush:201 cannot send spans to h:8126: boom'
		);
		expect(custom.level).toBe('error');
		expect(custom.msg).toBe('cannot send spans to h:8126: boom');
	});

	it('reads other common application formats', () => {
		const a = parsePrefix('2024-01-01 10:00:00,123 DEBUG ddtrace.internal.writer.writer: sent 1B');
		expect([a.level, a.logger, a.msg]).toEqual([
			'debug',
			'ddtrace.internal.writer.writer',
			'sent 1B'
		]);
		const b = parsePrefix('2024-01-01 10:00:00,123 [WARNING] ddtrace.tracer - x');
		expect([b.level, b.logger, b.msg]).toEqual(['warn', 'ddtrace.tracer', 'x']);
		const c = parsePrefix('2024-01-01 10:00:00,123:ERROR:ddtrace.writer:x');
		expect([c.level, c.logger, c.msg, c.time]).toEqual([
			'error',
			'ddtrace.writer',
			'x',
			Date.UTC(2024, 0, 1, 10, 0, 0, 123)
		]);
		const d = parsePrefix('2024-01-01 10:00:00,123 INFO myapp.views: hello');
		expect(d.logger).toBe('myapp.views');
		const flask = parsePrefix('[2026-11-26 09:56:21,910] ERROR in app: Exception on /task/5 [GET]');
		expect(flask.logger).toBeUndefined();
		expect(flask.msg).toBe('in app: Exception on /task/5 [GET]');
	});

	it('strips docker-compose and kubectl prefixes only', () => {
		expect(stripContainer('app_1                  | failed to send')).toBe('failed to send');
		expect(stripContainer('web-1  | sent 1B')).toBe('sent 1B');
		expect(stripContainer('[pod/api-7d/app] sent 1B')).toBe('sent 1B');
		expect(stripContainer('sent 1B | x')).toBe('sent 1B | x');
	});

	it('strips a syslog prefix (`Mmm dd hh:mm:ss host program[pid]: `) only before a month', () => {
		expect(
			stripContainer(
				'Sep  6 08:58:12 ip-10-0-0-1 ddtrace-run[30841]: WARNING:ddtrace.internal.writer:x'
			)
		).toBe('WARNING:ddtrace.internal.writer:x');
		expect(stripContainer('Dec 16 10:00:00 web gunicorn: sent 1B')).toBe('sent 1B');
		expect(stripContainer('Abc  6 08:58:12 host prog[1]: sent 1B')).toBe(
			'Abc  6 08:58:12 host prog[1]: sent 1B'
		);
	});

	it("reads AWS Lambda's Python runtime prefix (`[LEVEL]\\t<time>Z\\t<request id>\\t`) with its time", async () => {
		const id = 'c0ffee00-1234-4567-89ab-def012345678';
		expect(stripContainer(`[ERROR]\t2024-01-30T10:00:02.150Z\t${id}\tfailed to send`)).toBe(
			'2024-01-30T10:00:02.150Z ERROR failed to send'
		);
		expect(stripContainer('[ERROR]\tnot a time\tfailed to send')).toBe(
			'[ERROR]\tnot a time\tfailed to send'
		);
		const a = await detected([
			`START RequestId: ${id} Version: $LATEST`,
			`[ERROR]\t2024-01-30T10:00:02.150Z\t${id}\tfailed to send, dropping 1 traces to intake at http://localhost:8126/v0.4/traces after 3 retries ([Errno 111] Connection refused)`,
			`END RequestId: ${id}`
		]);
		expect(a.tracer).toBe('python');
		const [failed] = only(a, 'flush.error');
		expect(kinds(a)).toEqual(['flush.error']);
		expect(failed.time).toBe(Date.parse('2024-01-30T10:00:02.150Z'));
		expect(failed.level).toBe('error');
	});

	it('splits both rate-limit suffixes', () => {
		expect(splitRepeat('failed to send, 195 additional messages skipped')).toEqual({
			msg: 'failed to send',
			repeat: 196
		});
		expect(splitRepeat('failed to send [3 skipped]')).toEqual({ msg: 'failed to send', repeat: 4 });
		expect(splitRepeat('no suffix')).toEqual({ msg: 'no suffix' });
	});
});

describe('python: detection', () => {
	const strong = [
		'sent 16B in 0.00226s to http://127.0.0.1:8126/v0.5/traces',
		'DEBUG:ddtrace.internal.writer:sent 2B in 0.00241s to http://127.0.0.1:8126/v0.4/traces',
		'2026-11-26 09:52:54,288 DEBUG [ddtrace.sampler] [sampler.py:97] - initialized RateSampler, sample 100% of traces',
		'- DATADOG TRACER CONFIGURATION - {"lang": "python"}',
		'- DATADOG TRACER DIAGNOSTIC - Agent not reachable at http://localhost:8126',
		'failed to send, dropping 1 traces to intake at http://localhost:8126/v0.5/traces after 3 retries',
		'failed to send traces to Datadog Agent at http://my_ip:8126',
		"finishing span name='x' id=1 trace_id=2 parent_id=None (enabled:True)",
		'trace 17050207443106909417 has 2 spans, 1 finished',
		'Encoding 3 spans. Spans processed: 3. Spans dropped by trace processors: 0.',
		'Configured ddtrace instrumentation for 64 integration(s). The following modules have been patched: flask',
		'app_1    |   File "/usr/local/lib/python3.7/site-packages/ddtrace/internal/writer.py", line 200, in _send_payload'
	];
	for (const line of strong) {
		it(`decides on: ${line.slice(0, 60)}`, () => {
			expect(pythonParser.detect(line)).toBeGreaterThanOrEqual(10);
		});
	}

	const foreign = [
		'2020/07/09 15:57:07 Datadog Tracer v1.26.0 INFO: DATADOG TRACER CONFIGURATION {"date":"2020-07-09","lang":"Go"}',
		'2023-12-06 11:29:18.051 +00:00 [INF] DATADOG TRACER CONFIGURATION - {"date":"2023-12-06"}',
		'DATADOG TRACER CONFIGURATION - {"date":"2026-11-26T09:22:36.105Z","lang":"nodejs"}',
		'I, [2021-03-30T17:59:00.783870 #248]  INFO -- ddtrace: [ddtrace] DATADOG TRACER CONFIGURATION - {"lang":"ruby"}',
		'[ddtrace] [error] - Failed to flush trace',
		'[dd.trace 2024-01-01 10:00:00:123 +0000] [dd-trace-processor] DEBUG datadog.trace.agent.core.DDSpan - Finished span',
		'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDApi - Successfully sent 1 of 2 traces to the DD agent.',
		'DATADOG TRACER DIAGNOSTIC - Agent Error: connect ECONNREFUSED 127.0.0.1:8126',
		'127.0.0.1 - - [26/Nov/2026 09:54:43] "GET /task/1 HTTP/1.1" 200 -',
		'INFO:werkzeug:127.0.0.1 - - [26/Nov/2026 09:52:32] "GET /task/1 HTTP/1.1" 200 -',
		'[app] request 1 -> 200',
		'Traceback (most recent call last):',
		''
	];
	for (const line of foreign) {
		it(`ignores: ${line.slice(0, 60) || '(empty)'}`, () => {
			expect(pythonParser.detect(line)).toBe(0);
		});
	}

	it('gives a foreign tracer suffix only a hint', () => {
		expect(pythonParser.detect('x, 5 additional messages skipped')).toBeGreaterThan(0);
		expect(pythonParser.detect('x, 5 additional messages skipped')).toBeLessThan(10);
	});

	it('detects a bare paste from its templates', async () => {
		const a = await detected([
			'failed to send, dropping 1 traces to intake at http://localhost:8126/v0.5/traces after 3 retries'
		]);
		expect(a.tracer).toBe('python');
	});

	it('classifies templates by their first word only when the whole template matches', () => {
		expect(classify('sent some things')).toBeUndefined();
		expect(classify('finishing span without the flag')).toBeUndefined();
		expect(classify('Got response: 200 OK')?.t).toBe('got');
	});
});

describe('python: start-up configuration', () => {
	it('parses the JSON form (≤ 2.1.7) into config and info', async () => {
		const a = await run([
			'INFO:ddtrace.tracer:- DATADOG TRACER CONFIGURATION - {"date": "2026-11-26T09:54:27", "version": "0.60.6", "lang": "python", "lang_version": "3.11.2", "agent_url": "http://127.0.0.1:8126", "agent_error": null, "env": "research", "service": "pyrun-app", "debug": true, "dd_version": "1.0.0", "integrations": {"flask": {"enabled": true}}}'
		]);
		expect(kinds(a)).toEqual(['tracer.config']);
		expect(a.info).toMatchObject({
			tracerVersion: '0.60.6',
			agentUrl: 'http://127.0.0.1:8126',
			service: 'pyrun-app',
			env: 'research',
			version: '1.0.0',
			debug: 'true',
			lang: 'python',
			langVersion: '3.11.2'
		});
		expect(a.config.agent_error).toBe('null');
		expect(JSON.parse(a.config.integrations)).toEqual({ flask: { enabled: true } });
		expect(a.events.get(0).level).toBe('info');
	});

	it('parses the Python dict form (1.20.14+, 2.2+)', async () => {
		const a = await run([
			"- DATADOG TRACER CONFIGURATION - {'date': '2026-11-26T09:53:21', 'is_64_bit': True, 'version': '2.8.7', 'lang_version': '3.11.2', 'agent_url': 'http://127.0.0.1:8126', 'agent_error': None, 'service': 'pyrun-app', 'sampler_rules': [], 'waf_timeout': 5.0, 'it': \"it's\"}"
		]);
		expect(kinds(a)).toEqual(['tracer.config']);
		expect(a.config).toMatchObject({
			is_64_bit: 'true',
			agent_error: 'null',
			sampler_rules: '[]',
			waf_timeout: '5',
			it: "it's"
		});
		expect(a.info.tracerVersion).toBe('2.8.7');
	});

	it('keeps a pretty-printed or truncated config as one record', async () => {
		const a = await run([
			'- DATADOG TRACER CONFIGURATION - {',
			'    "version": "1.5.0",',
			'    "service": "svc"',
			'}',
			"- DATADOG TRACER CONFIGURATION - {'version': '2.5.0', 'service': 'cut",
			'sent 1B in 0.1s to http://a:8126/v0.4/traces'
		]);
		expect(only(a, 'tracer.config').map((e) => [e.line, e.endLine])).toEqual([
			[1, 4],
			[5, 5]
		]);
		expect(a.info.tracerVersion).toBe('2.5.0');
	});

	it('reads a Python literal without throwing on broken input', () => {
		expect(parsePyLiteral("{'a': [1, (2, 3)], 'b': {'c': None}, 'd': <object at 0x1>}")).toEqual({
			a: [1, [2, 3]],
			b: { c: null },
			d: '<object at 0x1>'
		});
		expect(parsePyLiteral('{"id": 142268965694347445242139922007494947841}')).toEqual({
			id: '142268965694347445242139922007494947841'
		});
		for (const bad of ['{', "{'a': ", '{{{{]]]', "{'a' 'b' : }", ')', '{"a": "\\u12"}']) {
			expect(() => parsePyLiteral(bad)).not.toThrow();
		}
	});
});

describe('python: diagnostics (R8)', () => {
	it('turns every DIAGNOSTIC generation into an agent.error with endpoint and reason', async () => {
		const a = await run([
			'- DATADOG TRACER DIAGNOSTIC - Agent not reachable. Exception raised: [Errno 99] Cannot assign requested address',
			'WARNING:ddtrace.tracer:- DATADOG TRACER DIAGNOSTIC - Agent not reachable at http://127.0.0.1:8126. Exception raised: [Errno 111] Connection refused',
			'- DATADOG TRACER DIAGNOSTIC - Agent not reachable at http://localhost:8126'
		]);
		const errs = only(a, 'agent.error');
		expect(errs).toHaveLength(3);
		expect(errs[0].fields.reason).toBe('[Errno 99] Cannot assign requested address');
		expect(errs[1].fields).toMatchObject({
			endpoint: 'http://127.0.0.1:8126',
			reason: '[Errno 111] Connection refused'
		});
		expect(errs[2].fields.endpoint).toBe('http://localhost:8126');
		expect(errs.every((e) => e.level === 'warn')).toBe(true);
		expect(a.verdict.status).toBe('unreachable');
	});

	it('makes a non-Agent diagnostic a log.other', async () => {
		const a = await run(['- DATADOG TRACER DIAGNOSTIC - Failed to collect start-up logs: boom']);
		expect(kinds(a)).toEqual(['log.other']);
	});

	it('ends the start-up check attempt at its DIAGNOSTIC (no flush.error)', async () => {
		const tries = [CONN, SENDING_V05, CONN, SENDING_V05, CONN, SENDING_V05];
		const a = await run([
			...tries,
			'- DATADOG TRACER DIAGNOSTIC - Agent not reachable at http://127.0.0.1:8126. Exception raised: [Errno 111] Connection refused',
			...tries,
			'failed to send, dropping 5 traces to intake at http://127.0.0.1:8126/v0.5/traces after 3 retries'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'agent.error', 'flush.attempt', 'flush.error']);
		const err = only(a, 'flush.error')[0];
		expect(err.fields.attemptEvent).toBe(a.events.get(2).id);
		expect(err.fields).toMatchObject({ traces: 5, retries: 3, tries: 3 });
		expect(a.flushes.list.map((f) => f.status)).toEqual(['unconfirmed', 'failed']);
	});
});

describe('python: sends and their outcomes', () => {
	it('1.x/2.x: Sending + Got response + sent is one attempt and one ok', async () => {
		const a = await run([
			CONN,
			SENDING_V05,
			'Got response: 200 OK',
			'sent 7.05KB in 0.00172s to http://127.0.0.1:8126/v0.5/traces',
			'initialized RateSampler, sample 100% of traces'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok', 'sampling']);
		expect(a.events.get(0).fields).toMatchObject({
			endpoint: 'http://127.0.0.1:8126/v0.5/traces',
			traces: 5,
			method: 'PUT'
		});
		expect(a.events.get(1).fields).toMatchObject({
			status: 200,
			bytes: '7.05KB',
			traces: 5,
			endpoint: 'http://127.0.0.1:8126/v0.5/traces',
			attemptEvent: a.events.get(0).id
		});
		expect(a.info.tracerVersion).toBe('2.8.7');
		expect(a.verdict.status).toBe('ok');
	});

	it('a `sent` line followed by the HTTP-error line is one flush.error (0.60, 1.x, 2.x)', async () => {
		const a = await run([
			SENDING_V05,
			'Got response: 500 Internal Server Error',
			'sent 16B in 0.00216s to http://127.0.0.1:8126/v0.5/traces',
			'failed to send traces to intake at http://127.0.0.1:8126/v0.5/traces: HTTP error status 500, reason Internal Server Error',
			'DEBUG:ddtrace.internal.writer:sent 3.71KB in 0.00134s to http://127.0.0.1:8126/v0.4/traces',
			'ERROR:ddtrace.internal.writer:failed to send traces to Datadog Agent at http://127.0.0.1:8126/v0.4/traces: HTTP error status 503, reason Service Unavailable'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error', 'flush.error']);
		expect(a.events.get(1).fields).toMatchObject({
			status: 500,
			reason: 'Internal Server Error',
			endpoint: 'http://127.0.0.1:8126/v0.5/traces'
		});
		expect(a.events.get(2).fields).toMatchObject({ status: 503, reason: 'Service Unavailable' });
		expect(a.verdict.status).toBe('rejected');
	});

	it('a 5xx `sent` still counts once when a span line slips in before its error line', async () => {
		const a = await run([
			SENDING_V05,
			'Got response: 500 Internal Server Error',
			'sent 16B in 0.00216s to http://127.0.0.1:8126/v0.5/traces',
			"finishing span name='x' id=1 trace_id=2 parent_id=None service='s' resource='r' type=None start=1.0 end=2.0 duration=1.0 error=0 tags={} metrics={} (enabled:True)",
			'failed to send traces to intake at http://127.0.0.1:8126/v0.5/traces: HTTP error status 500, reason Internal Server Error'
		]);
		expect(only(a, 'flush.error')).toHaveLength(1);
		expect(only(a, 'flush.ok')).toHaveLength(0);
	});

	it('0.60: a `sent` line with nothing after it is accepted (no try line in 0.60)', async () => {
		const a = await run([
			'DEBUG:ddtrace.internal.writer:sent 2B in 0.00241s to http://127.0.0.1:8126/v0.4/traces',
			'DEBUG:ddtrace.sampler:initialized RateSampler, sample 100.0% of traces',
			'DEBUG:ddtrace.sampler:initialized RateSampler, sample 100% of traces',
			'DEBUG:ddtrace.sampler:initialized RateSampler, sample 100.0% of traces',
			'DEBUG:ddtrace.sampler:initialized RateSampler, sample 100% of traces'
		]);
		expect(kinds(a)).toEqual(['flush.ok', 'sampling']);
	});

	it('3.x: `Got response: … sent …` and `Sending request: Method=…`', async () => {
		const a = await run([
			"Sending request: Method=PUT Endpoint=v0.5/traces Headers={'X-Datadog-Trace-Count': '2'} PayloadSize=1.2KB",
			'Got response: 200 OK sent 1.2KB in 0.00200s to http://localhost:8126/v0.5/traces',
			'Updated DatadogSampler with 1 service based sampling rates (provided by the agent)',
			"Sending request: Method=PUT Endpoint=v0.5/traces Headers={'X-Datadog-Trace-Count': '1'} PayloadSize=1KB",
			'WARNING:ddtrace.internal.writer.writer:Got response: 503 Service Unavailable sent 1KB in 2.1s to http://localhost:8126/v0.5/traces'
		]);
		expect(kinds(a)).toEqual([
			'flush.attempt',
			'flush.ok',
			'sampling',
			'flush.attempt',
			'flush.error'
		]);
		expect(a.events.get(0).fields).toMatchObject({
			traces: 2,
			bytes: '1.2KB',
			endpoint: 'v0.5/traces'
		});
		expect(a.events.get(4).fields).toMatchObject({ status: 503, traces: 1 });
	});

	it('a slow `sent` logged at WARNING is still a success', async () => {
		const a = await run([
			'WARNING:ddtrace.internal.writer.writer:sent 1.2MB in 1.50000s to http://localhost:8126/v0.4/traces'
		]);
		expect(kinds(a)).toEqual(['flush.ok']);
		expect(a.events.get(0).level).toBe('warn');
	});

	it('≤ 0.47: `reported N traces` then a failure line', async () => {
		const a = await run([
			'DEBUG:ddtrace.api:reported 3 traces in 0.01000s',
			'ERROR:ddtrace.internal.writer:Failed to send traces to Datadog Agent at http://localhost:8126: HTTP error status 400, reason Bad Request, message x',
			'DEBUG:ddtrace.api:reported 2 traces in 0.01000s'
		]);
		expect(kinds(a)).toEqual(['flush.error', 'flush.ok']);
		expect(a.events.get(0).fields).toMatchObject({ status: 400, reason: 'Bad Request' });
		expect(a.events.get(1).fields.traces).toBe(2);
	});

	it('0.4x/0.60: the failure line takes its traceback and its root cause', async () => {
		const a = await run([
			'app_1  | failed to send traces to Datadog Agent at http://127.0.0.1:8126/v0.4/traces',
			'app_1  | Traceback (most recent call last):',
			'app_1  |   File "/usr/lib/python3/dist-packages/tenacity/__init__.py", line 382, in __call__',
			'app_1  |     result = fn(*args, **kwargs)',
			'app_1  | ConnectionRefusedError: [Errno 111] Connection refused',
			'app_1  | ',
			'app_1  | The above exception was the direct cause of the following exception:',
			'app_1  | ',
			'app_1  | Traceback (most recent call last):',
			'app_1  |   File "/usr/lib/python3/dist-packages/tenacity/__init__.py", line 326, in iter',
			'app_1  |     raise retry_exc from fut.exception()',
			'app_1  | tenacity.RetryError: RetryError[<Future at 0x7f state=finished raised ConnectionRefusedError>]',
			'app_1  | [app] request 9 -> 200'
		]);
		expect(kinds(a)).toEqual(['flush.error']);
		expect(a.events.get(0).line).toBe(1);
		expect(a.events.get(0).endLine).toBe(12);
		expect(a.events.get(0).fields.reason).toBe(
			'ConnectionRefusedError: [Errno 111] Connection refused'
		);
		expect(a.verdict.status).toBe('unreachable');
	});

	it('reads every `failed to send, dropping` generation', async () => {
		const a = await run([
			'failed to send, dropping 4 traces to Datadog Agent at http://localhost:8126/v0.4/traces after 3 retries ([Errno 111] Connection refused)',
			'failed to send, dropping 23 traces to intake at http://10.0.0.1:8126/v0.5/traces after 3 retries (timed out)',
			'failed to send, dropping 1 traces to intake at http://localhost:8126/v0.4/traces after 3 retries',
			'failed to send, dropping 2 traces to intake at http://localhost:8126/v0.5/traces: Error code: 503, Response: busy'
		]);
		const errs = only(a, 'flush.error');
		expect(errs.map((e) => e.fields.traces)).toEqual([4, 23, 1, 2]);
		expect(errs[0].fields).toMatchObject({
			endpoint: 'http://localhost:8126/v0.4/traces',
			retries: 3,
			reason: '[Errno 111] Connection refused'
		});
		expect(errs[1].fields.reason).toBe('timed out');
		expect(errs[2].fields.reason).toBeUndefined();
		expect(errs[3].fields).toMatchObject({
			status: 503,
			endpoint: 'http://localhost:8126/v0.5/traces',
			reason: 'Error code: 503, Response: busy'
		});
		expect(errs.every((e) => e.level === 'error')).toBe(true);
	});

	it('folds the tries of one payload into one attempt (R2) and splits different payloads', async () => {
		const other = SENDING_V05.replace(
			"'X-Datadog-Trace-Count': '5'",
			"'X-Datadog-Trace-Count': '7'"
		);
		const a = await run([
			CONN,
			SENDING_V05,
			CONN,
			SENDING_V05,
			other,
			'Got response: 200 OK',
			'sent 1KB in 0.1s to http://127.0.0.1:8126/v0.5/traces'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.attempt', 'flush.ok']);
		expect(a.events.get(2).fields).toMatchObject({ traces: 7, attemptEvent: a.events.get(1).id });
	});

	it('handles the API downgrade lines', async () => {
		const a = await run([
			'sent 1KB in 0.1s to http://localhost:8126/v0.5/traces',
			"calling endpoint 'v0.5/traces' but received 404; downgrading API",
			'sent 1KB in 0.1s to http://localhost:8126/v0.4/traces',
			'trace 1 has 2 spans, 1 finished',
			"Calling endpoint 'v0.5/traces' but received 415; downgrading API. Dropping trace payload due to the downgrade to an incompatible API version (from v0.5 to v0.4).",
			"unsupported endpoint '/v0.3/traces': received response 404 from Datadog Agent"
		]);
		expect(kinds(a)).toEqual(['flush.ok', 'flush.error', 'flush.error']);
		expect(a.events.get(1).fields.status).toBe(415);
		expect(a.events.get(2).fields).toMatchObject({ status: 404, endpoint: '/v0.3/traces' });
	});

	it('≤ 0.2x: `cannot send spans` and the `PUT … with payload` attempt', async () => {
		const a = await run([
			'2019-04-24 13:59:00,814 ERROR writer._flush:201 cannot send spans to agent:8126: [Errno 32] Broken pipe',
			'2019-04-24 13:59:00,835 DEBUG writer._target:162 Attempting to flush Payload(length=1, size=107507b, full=False), 6 additional messages skipped',
			'2019-04-24 13:59:00,843 DEBUG api._put:187 PUT agent:8126/v0.4/traces with payload 107508b, 6 additional messages skipped',
			'2019-04-24 13:59:00,900 ERROR writer._flush:201 cannot send services to agent:8126: [Errno 32] Broken pipe'
		]);
		expect(kinds(a)).toEqual(['flush.error', 'flush.attempt', 'agent.error']);
		expect(a.events.get(0).fields).toMatchObject({
			endpoint: 'agent:8126',
			reason: '[Errno 32] Broken pipe'
		});
		expect(a.events.get(0).time).toBe(Date.UTC(2019, 3, 24, 13, 59, 0, 814));
		expect(a.events.get(1).repeat).toBe(7);
		expect(a.events.get(1).fields).toMatchObject({
			endpoint: 'agent:8126/v0.4/traces',
			bytes: '107508B'
		});
	});

	it('sets repeat = N + 1 on rate-limited failures (both suffix generations)', async () => {
		const a = await run([
			'failed to send, dropping 1 traces to intake at http://a:8126/v0.5/traces after 3 retries, 12 additional messages skipped',
			'failed to send, dropping 1 traces to intake at http://a:8126/v0.5/traces: timed out [4 skipped]',
			'failed to send, dropping 1 traces to intake at http://a:8126/v0.5/traces: timed out'
		]);
		expect(only(a, 'flush.error').map((e) => e.repeat)).toEqual([13, 5, undefined]);
		expect(only(a, 'flush.error')[1].fields.reason).toBe('timed out');
	});
});

describe('python: other Agent endpoints (R5)', () => {
	it('LLM Observability, telemetry, stats, remote config are agent.error', async () => {
		const a = await run([
			'failed to send, dropping 2 traces to intake at http://localhost:8126/evp_proxy/v2/api/v2/llmobs after 5 retries',
			'failed to send 3 LLMObs span events to http://localhost:8126/evp_proxy/v2/api/v2/llmobs, got response code 500, status: x',
			'Failed to send Instrumentation Telemetry to http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry. response: 503',
			'failed to send telemetry to the Datadog Agent at http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry.',
			'ERROR:ddtrace.internal.processor.stats:failed to submit span stats to the Datadog agent at http://localhost:8126/v0.6/stats',
			'Traceback (most recent call last):',
			'  File "x.py", line 1, in f',
			'ConnectionRefusedError: [Errno 111] Connection refused',
			'ERROR:ddtrace.internal.processor.stats:failed to submit span stats to the Datadog agent at http://localhost:8126/v0.6/stats',
			'ERROR:ddtrace.internal.processor.stats:retry limit exceeded submitting span stats to the Datadog agent at http://localhost:8126/v0.6/stats',
			'Unexpected error: HTTP error status 404, reason Not Found',
			'Unexpected connection error in remote config client request: [Errno 111] Connection refused'
		]);
		const errs = only(a, 'agent.error');
		expect(kinds(a).every((k) => k === 'agent.error')).toBe(true);
		expect(errs).toHaveLength(7);
		expect(errs[0].fields).toMatchObject({
			endpoint: 'http://localhost:8126/evp_proxy/v2/api/v2/llmobs',
			traces: 2
		});
		expect(errs[1].fields.status).toBe(500);
		expect(errs[2].fields).toMatchObject({
			status: 503,
			endpoint: 'http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry'
		});
		expect(errs[4].fields.reason).toBe('ConnectionRefusedError: [Errno 111] Connection refused');
		expect(errs[5].fields.status).toBe(404);
		expect(a.flushes.list).toHaveLength(0);
	});

	it('a stats payload that went through on retry closes its failure', async () => {
		const fail =
			'ERROR:ddtrace.internal.processor.stats:failed to submit span stats to the Datadog agent at http://localhost:8126/v0.6/stats';
		const a = await run([
			fail,
			'INFO:ddtrace.internal.processor.stats:sent 1.2KB to http://localhost:8126/v0.6/stats',
			fail,
			fail
		]);
		expect(only(a, 'agent.error')).toHaveLength(2);
	});
});

describe('python: spans and traces', () => {
	it('reads `finishing span` (_pprint, 0.49–3.11) with exact 64/128-bit ids', async () => {
		const a = await run([
			`trace ${BIG_TRACE} has 2 spans, 1 finished`,
			`finishing span name='custom.work' id=${BIG_SPAN} trace_id=${BIG_TRACE} parent_id=14557599530157178449 service='pyrun-app' resource='work-1' type=None start=1795686801.567044 end=1795686801.57216 duration=0.005116104 error=1 tags={'env': 'research'} metrics={'request.number': 1} links='' events='' (enabled:True)`,
			`finishing span name='flask.request' id=14557599530157178449 trace_id=${BIG_TRACE} parent_id=None service='pyrun-app' resource='GET /task/<i>' type='web' start=1795686801.5 end=1795686801.6 duration=0.1 error=0 tags={} metrics={} (enabled:True)`
		]);
		expect(kinds(a)).toEqual(['span.finish', 'span.finish']);
		expect(a.spans.get(0)).toMatchObject({
			traceId: BIG_TRACE,
			spanId: BIG_SPAN,
			parentId: '14557599530157178449',
			name: 'custom.work',
			service: 'pyrun-app',
			resource: 'work-1',
			error: true,
			event: a.events.get(0).id
		});
		expect(a.spans.get(0).type).toBeUndefined();
		expect(a.spans.get(0).start).toBeCloseTo(1795686801567.044, 2);
		expect(a.spans.get(0).duration).toBeCloseTo(5.116104, 5);
		expect(a.spans.get(1)).toMatchObject({ type: 'web', resource: 'GET /task/<i>', error: false });
		expect(a.traces).toHaveLength(1);
		expect(a.traces.get(0).rootSpan).toBe(1);
		expect(a.events.get(0).fields.spanId).toBe(BIG_SPAN);
	});

	it('reads `finishing span - Span(…)` (3.12+, ns times) and `Starting span:`', async () => {
		const a = await run([
			`Starting span: <Span(id=${BIG_SPAN},trace_id=${BIG_TRACE},parent_id=None,name=web.request)>, trace has 1 spans in the span aggregator`,
			`finishing span - Span(name='web.request', span_id=${BIG_SPAN}, parent_id=None, trace_id=${BIG_TRACE}, service='svc', resource='GET /', type='None', start=1712345678123456789, end=1712345678456456789, duration=333000000, error=0, tags={}, metrics={}, links=[], events=[], context=Context(trace_id=1), service_entry_span_name=web.request) (enabled:True)`,
			`Encoding 1 spans. Spans processed: 1. Spans dropped by trace processors: 0. Unfinished spans remaining in the span aggregator: 0. (trace_id: ${BIG_TRACE}) (top level span: name=web.request) (sampling_priority: 1) (sampling_mechanism: -0) (partial flush triggered: False)`
		]);
		expect(kinds(a)).toEqual(['span.start', 'span.finish', 'trace.complete']);
		expect(a.events.get(0).fields).toMatchObject({
			spanId: BIG_SPAN,
			traceId: BIG_TRACE,
			name: 'web.request'
		});
		expect(a.spans).toHaveLength(1);
		expect(a.spans.get(0)).toMatchObject({ spanId: BIG_SPAN, traceId: BIG_TRACE, service: 'svc' });
		expect(a.spans.get(0).type).toBeUndefined();
		expect(a.spans.get(0).start).toBeCloseTo(1712345678123.4568, 3);
		expect(a.spans.get(0).duration).toBe(333);
		expect(a.events.get(2).fields).toMatchObject({
			spans: 1,
			traceId: BIG_TRACE,
			name: 'web.request',
			partial: false
		});
	});

	it('`Partially flushing` is a trace.complete; `trace X has N spans` is not an event (R4)', async () => {
		const a = await run([
			'trace 123 has 600 spans, 500 finished',
			'DEBUG:ddtrace.internal.processor:Partially flushing 500 spans for trace 123'
		]);
		expect(kinds(a)).toEqual(['trace.complete']);
		expect(a.events.get(0).fields).toMatchObject({ spans: 500, traceId: '123', partial: true });
	});

	it('≤ 0.48: `writing N spans` plus one multi-line pprint record per span', async () => {
		const a = await run([
			'DEBUG:ddtrace.tracer:writing 2 spans (enabled:True)',
			'DEBUG:ddtrace.tracer:',
			'      name flask.request',
			'        id 11',
			'  trace_id 22',
			' parent_id None',
			'   service app',
			'  resource GET /',
			'      type web',
			'     start 1600000000.5',
			'       end 1600000000.75',
			'  duration 0.250000s',
			'     error 0',
			'      tags ',
			'           http.method:GET',
			'',
			'      name child',
			'        id 33',
			'  trace_id 22',
			' parent_id 11',
			'     error 1',
			'      tags '
		]);
		expect(kinds(a)).toEqual(['trace.complete', 'span.finish', 'span.finish']);
		expect(a.events.get(1).line).toBe(2);
		expect(a.events.get(1).endLine).toBe(15);
		expect(a.spans.get(0)).toMatchObject({
			spanId: '11',
			traceId: '22',
			name: 'flask.request',
			resource: 'GET /',
			type: 'web',
			start: 1600000000500,
			duration: 250,
			error: false
		});
		expect(a.spans.get(1)).toMatchObject({ spanId: '33', parentId: '11', error: true });
	});

	it('parses span texts field by field', () => {
		expect(
			parsePprint(
				"name='a b' id=1 trace_id=2 parent_id=3 service=None resource='x=1 y' type=None start=1.5 end=None duration=None error=0 tags={}"
			)
		).toMatchObject({ name: 'a b', spanId: '1', traceId: '2', parentId: '3', resource: 'x=1 y' });
		expect(parseRepr("name='n', span_id=5, parent_id=4, trace_id=3, service='None'")).toMatchObject(
			{
				spanId: '5',
				parentId: '4',
				traceId: '3',
				service: undefined
			}
		);
		expect(parseShort('<Span(id=1,trace_id=2,parent_id=None,name=a.b)>')).toEqual({
			spanId: '1',
			traceId: '2',
			parentId: undefined,
			name: 'a.b'
		});
	});
});

describe('python: sampling and integrations', () => {
	it('counts an Agent rate update after an accepted payload, not sampler construction (R15)', async () => {
		const a = await run([
			'initialized RateSampler, sample 100% of traces',
			'initialized DatadogSampler(agent_rates={}, limiter=RateLimiter(rate_limit=100), rules=[])',
			'sent 16B in 0.00226s to http://127.0.0.1:8126/v0.5/traces',
			'initialized RateSampler, sample 50% of traces',
			'initialized RateSampler, sample 100% of traces',
			'- DATADOG TRACER CONFIGURATION - {}',
			'initialized RateSampler, sample 100% of traces',
			'Sampling decision applied to <Span(id=1,trace_id=2,parent_id=None,name=x)>: sampled=True sample_rate=1.0 sampling_mechanism=0 matched_trace_sampling_rule=None agent_sampled=None rules=[] sampler_id=1'
		]);
		expect(kinds(a)).toEqual(['flush.ok', 'sampling', 'tracer.config', 'sampling']);
		expect(a.events.get(1).fields.rate).toBe(0.5);
		expect(a.events.get(3).fields).toMatchObject({ sampled: true, rate: 1, mechanism: '0' });
	});

	it('reads both integration summary generations (R11)', async () => {
		const a = await run([
			'INFO:ddtrace._monkey:patched 2/48 modules (flask,requests)',
			'Configured ddtrace instrumentation for 3 integration(s). The following modules have been patched: aioredis,flask,requests',
			'integration aioredis not enabled (missing required module: aioredis)'
		]);
		expect(kinds(a)).toEqual(['integration.loaded', 'integration.loaded']);
		expect(a.events.get(0).fields.names).toEqual(['flask', 'requests']);
		expect(a.events.get(1).fields).toMatchObject({
			count: 3,
			names: ['aioredis', 'flask', 'requests']
		});
	});
});

describe('python: what is not an event', () => {
	it('ignores application loggers and their tracebacks', async () => {
		const a = await run([
			'ERROR:pyrun:Exception on /task/5 [GET]',
			'Traceback (most recent call last):',
			'  File "/srv/app.py", line 26, in work',
			'ValueError: simulated failure on request 5',
			'[2026-11-26 09:56:21,910] ERROR in app: Exception on /task/5 [GET]',
			'INFO:werkzeug:127.0.0.1 - - [26/Nov/2026 09:52:32] "GET /task/1 HTTP/1.1" 200 -',
			'DEBUG:sitecustomize:additional sitecustomize found',
			'WARNING:myapp:failed to send, dropping 1 traces to intake at http://x/v0.4/traces after 3 retries',
			'[app] request 5 -> 500'
		]);
		expect(a.events).toHaveLength(0);
	});

	it('WARNING+ of a ddtrace logger is log.other; DEBUG/INFO never is (R9)', async () => {
		const a = await run([
			'WARNING:ddtrace.contrib.flask:something odd',
			'DEBUG:ddtrace._monkey:failed to patch rq',
			'Traceback (most recent call last):',
			'  File "x.py", line 1, in f',
			"ModuleNotFoundError: No module named 'rq'",
			'INFO:ddtrace.tracer:hello',
			'trace buffer (12 traces 1000b/1000b) cannot fit trace of size 5b, dropping (writer status: running)',
			'Shutting down tracer with 3 unfinished spans. Unfinished spans will not be sent to Datadog: x',
			'some bare warning from nowhere'
		]);
		expect(kinds(a)).toEqual(['log.other', 'log.other', 'log.other']);
		expect(a.events.get(0).level).toBe('warn');
	});

	it('counts a record printed twice (bare, then through the root handler) once', async () => {
		const a = await run([
			'failed to send, dropping 5 traces to intake at http://127.0.0.1:8126/v0.5/traces after 3 retries',
			'ERROR:ddtrace.internal.writer.writer:failed to send, dropping 5 traces to intake at http://127.0.0.1:8126/v0.5/traces after 3 retries',
			'failed to send, dropping 5 traces to intake at http://127.0.0.1:8126/v0.5/traces after 3 retries'
		]);
		// two failed payloads with the same text stay two events (R1)
		expect(only(a, 'flush.error')).toHaveLength(2);
	});

	it('follows a whole send printed twice (2.x bare handler + the app root handler)', async () => {
		const twice = (m: string) => [
			m,
			`2024-01-01 10:00:00,123 DEBUG ddtrace.internal.writer.writer: ${m}`
		];
		const a = await run([
			...twice(CONN),
			...twice(SENDING_V05),
			...twice('Got response: 200 OK'),
			...twice('sent 1KB in 0.1s to http://127.0.0.1:8126/v0.5/traces'),
			...twice('initialized RateSampler, sample 100% of traces')
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok', 'sampling']);
		expect(a.events.get(1).fields.tries).toBeUndefined();
	});

	it('never throws and stays silent on garbage', async () => {
		fc.assert(
			fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 30 }), (lines) => {
				for (const l of lines) pythonParser.detect(l);
				const events: unknown[] = [];
				const session = pythonParser.createSession({
					event: (e) => {
						events.push(e);
						return {
							...e,
							id: events.length - 1,
							file: 0,
							endLine: e.line,
							fields: e.fields ?? {}
						};
					},
					span: () => {},
					info: () => {},
					config: () => {}
				});
				lines.forEach((l, i) => session.line(l, i + 1, false));
				session.end();
			}),
			{ numRuns: 300 }
		);
		const weird = [
			'- DATADOG TRACER CONFIGURATION - ' + '{'.repeat(5000),
			"finishing span - Span(name='x (enabled:True)",
			'failed to send, dropping traces to intake at',
			'Sending request: ',
			'sent 1B in 1s to',
			'\u0000\uffff'
		];
		const a = await run(weird);
		expect(a.events.length).toBeLessThanOrEqual(3);
	});
});

describe('python: JSON log pipelines', () => {
	it('reads python-json-logger and GCP structured records, traceback included', async () => {
		const a = await detected([
			'{"asctime": "2024-05-01 10:00:00,123", "name": "ddtrace.internal.writer.writer", "levelname": "ERROR", "message": "failed to send, dropping 3 traces to intake at http://agent:8126/v0.5/traces after 3 retries\\nTraceback (most recent call last):\\n  File \\"x.py\\", line 1, in f\\nConnectionResetError: [Errno 104] Connection reset by peer"}',
			'{"message": "sent 1.2KB in 0.01000s to http://agent:8126/v0.5/traces", "severity": "DEBUG", "timestamp": {"seconds": 1714557600, "nanos": 500000000}, "logging.googleapis.com/sourceLocation": {"file": "/usr/local/lib/python3.11/site-packages/ddtrace/internal/writer/writer.py", "line": "253"}}',
			'{"message": "request done", "severity": "ERROR", "name": "myapp"}',
			'{"name":"dd-trace","level":50,"msg":"failed to send, dropping 1 traces"}'
		]);
		expect(a.tracer).toBe('python');
		expect(kinds(a)).toEqual(['flush.error', 'flush.ok']);
		expect(a.events.get(0).fields).toMatchObject({
			traces: 3,
			reason: 'ConnectionResetError: [Errno 104] Connection reset by peer'
		});
		expect(a.events.get(0).level).toBe('error');
		expect(a.events.get(0).time).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
		expect(a.events.get(1).time).toBe(1714557600500);
		expect(a.events.get(1).zone).toBe('Z');
	});
});

describe('python: lines skipped unread', () => {
	it('opens with neither a prefix nor a template, in every corpus line of every tracer', () => {
		let plain = 0;
		for (const file of corpusSamples()) {
			for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
				const s = stripContainer(line);
				if (!plainLine(s)) continue;
				plain++;
				const p = parsePrefix(s);
				expect(p.logger, s).toBeUndefined();
				expect(p.time, s).toBeUndefined();
				expect(classify(splitRepeat(p.msg).msg), s).toBeUndefined();
			}
		}
		expect(plain).toBeGreaterThan(0);
	});

	it('scores 0 and adds no event; its rate limiter note is still read', async () => {
		expect(pythonParser.detect('no traceparent header')).toBe(0);
		expect(pythonParser.detect('no traceparent header, 3 additional messages skipped')).toBe(3);
		expect(plainLine('finishing span name=x')).toBe(false);
		expect(plainLine('ddtrace.x: message')).toBe(false);
		expect(plainLine('no traceparent header')).toBe(true);
		const a = await run(['no traceparent header', 'writing 1 spans (enabled:True)']);
		expect(kinds(a)).not.toContain('log.other');
	});
});

describe('python: span durations', () => {
	it('rounds to the thousandth exactly as +toFixed(3)', () => {
		const same = (x: number): boolean => Object.is(toMillis3(x), +x.toFixed(3));
		for (const x of [0, -0, -1.5, 0.0005, 1.0005, 2.0005, 999999.9995, 1e9, 1e12, NaN, 5e-324])
			expect(same(x), String(x)).toBe(true);
		for (let i = 0; i < 20000; i++) expect(same((i + 0.5) / 1000), String(i)).toBe(true);
		fc.assert(fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), same));
	});
});

describe('python: prefixes read by hand', () => {
	it.each([
		['2024-01-01 10:00:00,123 no level here', { msg: 'no level here', prefixed: true }],
		['WARN:x.y-z:msg', { msg: 'msg', level: 'warn', logger: 'x.y-z', prefixed: true }],
		['WARNING::msg', { msg: 'msg', level: 'warn', logger: undefined, prefixed: true }],
		['INFO:a b:msg', { msg: 'INFO:a b:msg', prefixed: false }],
		['ERROR:ddtrace.writer', { msg: 'ERROR:ddtrace.writer', prefixed: false }],
		['CRITICAL:_x9:', { msg: '', level: 'fatal', logger: '_x9', prefixed: true }],
		['DEBUGX:a:b', { msg: 'DEBUGX:a:b', prefixed: false }]
	])('%s', (line, expected) => {
		expect(parsePrefix(line)).toMatchObject(expected);
	});
});

describe('python: shapes found in public reports', () => {
	it("reads the native profiler uploader's `Error uploading (…)` stderr line as agent.error (R5)", async () => {
		const a = await detected([
			'Error uploading (ddog_prof_Exporter_send failed: client error (Connect): tcp connect error: Connection refused (os error 61): Connection refused (os error 61))'
		]);
		expect(a.tracer).toBe('python');
		expect(kinds(a)).toEqual(['agent.error']);
		expect(a.events.get(0).fields.reason).toBe(
			'ddog_prof_Exporter_send failed: client error (Connect): tcp connect error: Connection refused (os error 61): Connection refused (os error 61)'
		);
		// the same words from an application are not the tracer's
		expect((await detected(['Error uploading (file too big)'])).events.length).toBe(0);
	});

	it('reads pytest captured-log and loguru prefixes (whole and pasted without time/level)', async () => {
		const pytest = parsePrefix(
			'ERROR    ddtrace.internal.writer:writer.py:567 failed to send traces to Datadog Agent at http://localhost:8126/v0.4/traces'
		);
		expect(pytest).toMatchObject({ level: 'error', logger: 'ddtrace.internal.writer' });
		expect(pytest.msg.startsWith('failed to send traces')).toBe(true);
		const loguru = parsePrefix(
			'2022-09-08 10:00:00.123 | ERROR    | ddtrace.internal.logger:handle:158 - failed to send traces to Datadog Agent at http://localhost:8126/v0.4/traces'
		);
		expect(loguru).toMatchObject({ level: 'error', logger: 'ddtrace.internal.logger' });
		expect(loguru.msg.startsWith('failed to send traces')).toBe(true);
		const tail = parsePrefix('ddtrace.internal.logger:handle:158 - failed to send x');
		expect(tail).toMatchObject({ logger: 'ddtrace.internal.logger', msg: 'failed to send x' });
		// an application logger in the same shape stays the application's
		const app = await detected([
			'INFO     myapp.views:views.py:12 failed to send, dropping 1 traces'
		]);
		expect(app.events.length).toBe(0);
	});

	it('reads structlog JSON (`event`, `exception`) and a record printed after the `>>> ` prompt', async () => {
		const a = await detected([
			'{"event": "failed to send traces to Datadog Agent at http://localhost:8126", "level": "error", "logger": "ddtrace.internal.writer", "exception": "Traceback (most recent call last):\\n  File \\"x.py\\", line 1, in f\\nConnectionRefusedError: [Errno 111] Connection refused"}',
			'>>> failed to send telemetry to http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry.'
		]);
		expect(a.tracer).toBe('python');
		expect(kinds(a)).toEqual(['flush.error', 'agent.error']);
		expect(a.events.get(0).fields).toMatchObject({
			endpoint: 'http://localhost:8126',
			reason: 'ConnectionRefusedError: [Errno 111] Connection refused'
		});
		expect(a.events.get(1).fields.endpoint).toBe(
			'http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry'
		);
	});

	it('reads every telemetry failure generation as agent.error (R5)', async () => {
		const a = await run([
			'failed to send telemetry to the Datadog Agent at http://a:8126/telemetry/proxy/api/v2/apmtelemetry. response: 500',
			'failed to send telemetry to the Datadog endpoint at https://instrumentation-telemetry-intake.datadoghq.com/api/v2/apmtelemetry.',
			'failed to send telemetry to http://a:8126/telemetry/proxy/api/v2/apmtelemetry. response: 503',
			'Failed to send Instrumentation Telemetry to http://a:8126/telemetry/proxy/api/v2/apmtelemetry. Error: timed out'
		]);
		expect(kinds(a)).toEqual(['agent.error', 'agent.error', 'agent.error', 'agent.error']);
		expect(a.events.toArray().map((e) => e.fields.endpoint)).toEqual([
			'http://a:8126/telemetry/proxy/api/v2/apmtelemetry',
			'https://instrumentation-telemetry-intake.datadoghq.com/api/v2/apmtelemetry',
			'http://a:8126/telemetry/proxy/api/v2/apmtelemetry',
			'http://a:8126/telemetry/proxy/api/v2/apmtelemetry'
		]);
		expect(a.events.get(2).fields.status).toBe(503);
	});

	it('reads the 0.x failure generations: `error sending spans`, `cannot send spans: `, the API repr', async () => {
		const a = await run([
			'ERROR:ddtrace.writer:error sending spans',
			'Traceback (most recent call last):',
			'  File "/x/ddtrace/api.py", line 47, in send_traces',
			'    response = self._put(self._traces, data)',
			'error: [Errno 111] Connection refused',
			'ERROR:ddtrace.writer:error sending spans',
			'Traceback (most recent call last):',
			'  File "/x/ddtrace/api.py", line 52, in send_services',
			'    response = self._put(self._services, data)',
			'error: [Errno 111] Connection refused',
			'ERROR:ddtrace.writer:cannot send spans: [Errno 111] Connection refused',
			'ERROR:ddtrace.writer:cannot send services: [Errno 111] Connection refused',
			"ERROR:ddtrace.writer:Failed to send traces to Datadog Agent at <ddtrace.api.API object at 0x7f84922e2908>: ConnectionRefusedError(111, 'Connection refused')"
		]);
		expect(kinds(a)).toEqual([
			'flush.error',
			'agent.error',
			'flush.error',
			'agent.error',
			'flush.error'
		]);
		const [traces, services, spans, , repr] = a.events.toArray();
		expect(traces.fields.reason).toBe('error: [Errno 111] Connection refused');
		expect(services.summary).toBe('Could not send services to the Agent.');
		expect(spans.fields).toMatchObject({ reason: '[Errno 111] Connection refused' });
		expect(spans.fields.endpoint).toBeUndefined();
		expect(repr.fields.endpoint).toBeUndefined();
		expect(repr.fields.reason).toBe("ConnectionRefusedError(111, 'Connection refused')");
		expect(classify('cannot send spansX: y')).toBeUndefined();
	});

	it('a failed profile upload is agent.error (R5)', async () => {
		const a = await run([
			'Unable to export profile: ddtrace.profiling.exporter.ExportError: HTTP upload request failed: [Errno 111] Connection refused. Ignoring.'
		]);
		expect(kinds(a)).toEqual(['agent.error']);
	});

	it('reads celery worker and name-before-level layouts', () => {
		const celery = parsePrefix(
			'[2020-11-11 08:30:20,138: ERROR/ForkPoolWorker-21420] Failed to send traces'
		);
		expect(celery).toMatchObject({ level: 'error', prefixed: true, msg: 'Failed to send traces' });
		expect(celery.time).toBeDefined();
		expect(
			parsePrefix(
				'[2020-11-11 08:30:20,140: ERROR] ddtrace.internal.writer@_log_error_status:282 Failed x'
			)
		).toMatchObject({ level: 'error', logger: 'ddtrace.internal.writer', msg: 'Failed x' });
		expect(
			parsePrefix('[2022-10-28 14:42:48][ddtrace.internal.writer][ERROR] - failed to send x')
		).toMatchObject({ level: 'error', logger: 'ddtrace.internal.writer', msg: 'failed to send x' });
		// a level glued to anything but `/name]` is no level
		expect(parsePrefix('[2020-11-11 08:30:20,138: ERRORS] x').level).toBeUndefined();
		expect(parsePrefix('[2020-11-11 08:30:20,138: ERROR/a b] x').level).toBeUndefined();
	});

	it('≤ 0.2x `failed_to_send traces|services to Agent: HTTP error status`', async () => {
		const a = await run([
			'DEBUG:ddtrace.api:reported 1 traces in 0.00321s',
			'ERROR:ddtrace.writer:failed_to_send traces to Agent: HTTP error status 413, reason Request Entity Too Large, message Content-Type: text/plain; charset=utf-8',
			'X-Content-Type-Options: nosniff',
			'ERROR:ddtrace.writer:failed_to_send services to Agent: HTTP error status 500, reason Internal Server Error, message Content-Length: 0'
		]);
		// the `reported` line was the rejected payload's send, not an accepted one
		expect(kinds(a)).toEqual(['flush.error', 'agent.error']);
		expect(a.events.get(0).fields).toMatchObject({
			status: 413,
			reason: 'Request Entity Too Large'
		});
		expect(a.events.get(1).fields.status).toBe(500);
		expect(classify('failed_to_send traces to Agent: nothing')).toBeUndefined();
	});

	it("0.44–0.50's `trace (Nb) larger than payload limit (Nb), dropping` is log.other", async () => {
		const a = await detected(['trace (14533373b) larger than payload limit (8000000b), dropping']);
		expect(a.tracer).toBe('python');
		expect(kinds(a)).toEqual(['log.other']);
	});

	it("the profiler's `Unexpected error while exporting events` is agent.error only when the upload failed", async () => {
		const head =
			'2023-06-21 14:00:29,230 - ddtrace.profiling.scheduler - ERROR - Unexpected error while exporting events. Please report this bug to https://github.com/DataDog/dd-trace-py/issues';
		const refused = await run([
			head,
			'Traceback (most recent call last):',
			'  File "/x/ddtrace/profiling/scheduler.py", line 53, in flush',
			'    exp.export(events, start, self._last_export)',
			'ConnectionRefusedError: [Errno 111] Connection refused'
		]);
		expect(kinds(refused)).toEqual(['agent.error']);
		const bug = await run([
			head,
			'Traceback (most recent call last):',
			'  File "/x/ddtrace/profiling/exporter/http.py", line 155, in _get_tags',
			'    return ",".join(tag + ":" + value for tag, value in tags.items())',
			'TypeError: can only concatenate str (not "int") to str'
		]);
		expect(kinds(bug)).toEqual(['log.other']);
		const bare = await run([
			'ERROR:ddtrace.profiling.scheduler:Unexpected error while exporting events.'
		]);
		expect(kinds(bare)).toEqual(['log.other']);
	});
});
