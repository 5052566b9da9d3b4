// Go parser: every prefix generation, flush pairing (R1/R2), spans, config, abandoned spans, agent
// errors, foreign lines and robustness. Logs are built from the templates in dd-trace-go's source.
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type EventKind } from '../../src/lib/core/index';
import { goParser } from '../../src/lib/core/tracers/go';

async function run(text: string): Promise<Analysis> {
	return analyze({ name: 'pasted.txt', data: text });
}

function kinds(a: Analysis): EventKind[] {
	return a.events.map((e) => e.kind);
}

function only(a: Analysis, kind: EventKind) {
	const list = a.events.filter((e) => e.kind === kind);
	expect(list).toHaveLength(1);
	return list[0];
}

const V = 'Datadog Tracer v1.60.0';
const REFUSED =
	'Post "http://localhost:8126/v0.4/traces": dial tcp 127.0.0.1:8126: connect: connection refused';

describe('go: detection', () => {
	it('decides on the tracer prefix of every generation', () => {
		expect(
			goParser.detect(`2024/01/02 15:04:05 ${V} DEBUG: Started Span: x`)
		).toBeGreaterThanOrEqual(10);
		expect(
			goParser.detect('Datadog Tracer v2.11.0-rc.1 ERROR: lost 1 traces: EOF')
		).toBeGreaterThanOrEqual(10);
		expect(
			goParser.detect('Datadog Tracer <version> DEBUG: Sending payload: size: 1 traces: 1')
		).toBeGreaterThanOrEqual(10);
		expect(
			goParser.detect('Datadog Tracer Error (v1.10.0): lost traces (count: 1), error: EOF')
		).toBeGreaterThanOrEqual(10);
		expect(
			goParser.detect('Datadog Tracer Error: unable to flush traces, lost 2 traces')
		).toBeGreaterThanOrEqual(10);
		expect(
			goParser.detect(
				'2017/02/24 20:57:56 cannot flush traces: Post http://localhost:7777/v0.3/traces: EOF'
			)
		).toBeGreaterThanOrEqual(10);
	});

	it('gives nothing to other tracers and hosts with the same timestamp shape', () => {
		for (const line of [
			'2025/01/30 14:59:33 [error] 170#176: nginx-datadog: Unexpected telemetry response status 429',
			'2024/01/02 15:04:05 "GET http://localhost:8181/welcome HTTP/1.1" from [::1]:53546 - 200 7B',
			'DATADOG TRACER CONFIGURATION - {"lang":"nodejs","version":"5.0.0"}',
			'2023-12-06 11:29:18.051 +00:00 [INF] DATADOG TRACER CONFIGURATION - {"version":"2.43.0.0"}',
			'INFO:ddtrace.tracer:- DATADOG TRACER CONFIGURATION - {"lang": "python"}',
			'2024/01/02 15:04:05 lost 3 spans somewhere',
			''
		]) {
			expect(goParser.detect(line)).toBe(0);
		}
	});

	it('detects a name-less paste from content', async () => {
		const a = await run(`Error: ${V} WARN: DIAGNOSTICS Unable to reach agent intake: ${REFUSED}\n`);
		expect(a.tracer).toBe('go');
		expect(a.tracerVersion).toBe('v1.60.0');
	});
});

describe('go: flushes', () => {
	it('pairs v2 attempts with `sent traces after n attempts` and folds same-second retries (R2)', async () => {
		const a = await run(
			[
				'2025/01/02 15:04:05 Datadog Tracer v2.1.0 DEBUG: Attempt to send payload: size: 500 traces: 1',
				'2025/01/02 15:04:05 Datadog Tracer v2.1.0 DEBUG: sent traces after 1 attempts',
				'2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: Attempt to send payload: size: 700 traces: 2',
				'2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: Attempt to send payload: size: 700 traces: 2',
				'2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: sent traces after 2 attempts'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok', 'flush.attempt', 'flush.ok']);
		expect(a.flushes.list.map((f) => f.status)).toEqual(['ok', 'ok']);
		expect(a.flushes.list[1].traces).toBe(2);
		expect(a.events.get(2).fields.retries).toBe(1);
		expect(a.events.get(3).fields.attempts).toBe(2);
		expect(a.verdict.status).toBe('ok');
	});

	it('keeps payloads sent seconds apart as separate attempts', async () => {
		const a = await run(
			[
				`2024/03/01 10:00:02 ${V} DEBUG: Sending payload: size: 1234 traces: 2`,
				`2024/03/01 10:00:04 ${V} DEBUG: Sending payload: size: 1234 traces: 2`
			].join('\n')
		);
		expect(a.counts['flush.attempt']).toBe(2);
		expect(a.verdict.status).toBe('unconfirmed');
	});

	it('makes one flush.error of a failure and its `lost N traces`, with the aggregated repeat (R1, R7)', async () => {
		const a = await run(
			[
				`2024/03/01 10:00:02 ${V} DEBUG: Sending payload: size: 1234 traces: 2`,
				'2024/03/01 10:00:05 app: handled request',
				`2024/03/01 10:01:00 ${V} ERROR: failure sending traces (attempt 1), will retry: ${REFUSED}, 2 additional messages skipped (first occurrence: 01 Mar 24 10:00 UTC)`,
				`2024/03/01 10:01:00 ${V} ERROR: lost 2 traces: ${REFUSED}, 2 additional messages skipped (first occurrence: 01 Mar 24 10:00 UTC)`
			].join('\n')
		);
		const e = only(a, 'flush.error');
		expect(e.line).toBe(3);
		expect(e.endLine).toBe(4);
		expect(e.repeat).toBe(3);
		expect(e.level).toBe('error');
		expect(e.zone).toBe('local');
		expect(e.time).toBe(Date.UTC(2024, 2, 1, 10, 1, 0));
		expect(e.fields).toMatchObject({
			traces: 2,
			reason: REFUSED,
			endpoint: 'http://localhost:8126/v0.4/traces',
			attempts: 1,
			firstOccurrence: '01 Mar 24 10:00 UTC'
		});
		expect(a.counts['log.other']).toBe(0);
		expect(a.verdict.status).toBe('unreachable');
		expect(a.verdict.summary).toContain('localhost:8126');
	});

	it('merges them in either order (aggregated errors print in map order)', async () => {
		const a = await run(
			[
				`${V} ERROR: lost 1 traces: ${REFUSED} (occurred: 01 Mar 24 10:00 UTC)`,
				`${V} ERROR: failure sending traces (attempt 1 of 1): ${REFUSED} (occurred: 01 Mar 24 10:00 UTC)`
			].join('\n')
		);
		expect(a.counts['flush.error']).toBe(1);
		expect(a.events.get(0).repeat).toBeUndefined();
		expect(a.events.get(0).fields.attempts).toBe(1);
	});

	it('counts two failed payloads as two events even with the same text', async () => {
		const line = `${V} ERROR: lost 1 traces: ${REFUSED}`;
		const a = await run([line, line].join('\n'));
		expect(a.counts['flush.error']).toBe(2);
	});

	it('shows a lone retry failure of a non-debug log as log.other, never as a flush', async () => {
		const a = await run(`${V} ERROR: failure sending traces (attempt 1 of 3): ${REFUSED}`);
		expect(kinds(a)).toEqual(['log.other']);
		expect(a.events.get(0).fields.attempt).toBe(1);
	});

	it('drops retry failures whose retry succeeded', async () => {
		const a = await run(
			[
				`2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: Attempt to send payload: size: 700 traces: 2`,
				`2025/01/02 15:04:07 Datadog Tracer v2.1.0 ERROR: failure sending traces (attempt 1 of 2): ${REFUSED}`,
				`2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: Attempt to send payload: size: 700 traces: 2`,
				`2025/01/02 15:04:07 Datadog Tracer v2.1.0 DEBUG: sent traces after 2 attempts`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok']);
	});

	it('reads the HTTP status of an Agent rejection, body on a continuation line', async () => {
		const a = await run(
			[
				`2025/01/02 15:06:01 Datadog Tracer v2.1.0 ERROR: lost 3 traces: {"error":"payload too big"}`,
				' (Status: Request Entity Too Large) (occurred: 02 Jan 25 15:06 UTC)'
			].join('\n')
		);
		const e = only(a, 'flush.error');
		expect(e.endLine).toBe(2);
		expect(e.fields.status).toBe(413);
		expect(a.verdict.status).toBe('rejected');
	});

	it('reads the pre-1.15 `Datadog Tracer Error (vX)` generation with `(repeated N times)`', async () => {
		const a = await run(
			[
				`2018/05/01 12:00:00 Datadog Tracer Error (v1.10.0): lost traces (count: 3), error: Post http://localhost:8126/v0.4/traces: dial tcp 127.0.0.1:8126: connect: connection refused (repeated 5 times)`,
				'2018/05/01 12:00:01 Datadog Tracer Error (v1.10.0): trace span cap (100000) reached, dropping trace',
				'2018/05/01 12:00:02 Sending payload: size: 120 traces: 1'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.error', 'log.other', 'flush.attempt']);
		expect(a.events.get(0).repeat).toBe(5);
		expect(a.events.get(0).fields.traces).toBe(3);
		expect(a.tracerVersion).toBe('v1.10.0');
	});

	it('a pre-1.15 `payload queue full` data loss is a trace dropped before any send, not a flush', async () => {
		// dd-trace-go#465: the queue-full drop shares the dataLossError type of failed sends
		const a = await run(
			'2019/06/25 14:19:19 Datadog Tracer Error (v1.10.0): lost traces (count: 5), error: payload queue full, dropping trace (repeated 201 times)'
		);
		expect(kinds(a)).toEqual(['log.other']);
		expect(a.events.get(0).repeat).toBe(201);
		expect(a.events.get(0).fields.spans).toBe(5);
		expect(a.verdict.status).not.toBe('unreachable');
		expect(a.verdict.status).not.toBe('failed');
	});

	it('`lost N traces: <nil>` (v1.4x shadowed err) takes its cause from the retry failure', async () => {
		// dd-trace-go#2295
		const timeout =
			'Post "http://datadog.datadog.svc.cluster.local:8126/v0.4/traces": context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
		const a = await run(
			[
				`2023/10/24 22:02:03 Datadog Tracer v1.51.0 ERROR: failure sending traces (attempt 1), will retry: ${timeout} (occurred: 24 Oct 23 22:01 UTC)`,
				'2023/10/24 22:02:03 Datadog Tracer v1.51.0 ERROR: lost 2 traces: <nil> (occurred: 24 Oct 23 22:01 UTC)'
			].join('\n')
		);
		const e = only(a, 'flush.error');
		expect(e.fields.reason).toBe(timeout);
		expect(e.fields.endpoint).toBe('http://datadog.datadog.svc.cluster.local:8126/v0.4/traces');
		expect(a.verdict.summary).toContain('Agent at datadog.datadog.svc.cluster.local:8126 ');
		// printed first (map order), the lost line still takes the cause that follows
		const b = await run(
			[
				`${V} ERROR: lost 2 traces: <nil> (occurred: 24 Oct 23 22:01 UTC)`,
				`${V} ERROR: failure sending traces (attempt 1), will retry: ${timeout} (occurred: 24 Oct 23 22:01 UTC)`
			].join('\n')
		);
		expect(only(b, 'flush.error').fields.reason).toBe(timeout);
	});

	it('reads 0.5/0.6 `Datadog Tracer Error:` cause + lost lines as one flush; services as agent.error', async () => {
		const a = await run(
			[
				'2017/09/01 12:00:00 Datadog Tracer Error: unable to flush traces, lost 2 traces',
				'2017/09/01 12:00:00 Datadog Tracer Error: Post http://localhost:8126/v0.3/traces: dial tcp 127.0.0.1:8126: getsockopt: connection refused (repeated 2 times)',
				'2017/09/01 12:00:10 Datadog Tracer Error: Post http://localhost:8126/v0.3/services: dial tcp 127.0.0.1:8126: getsockopt: connection refused',
				'2017/09/01 12:00:10 Datadog Tracer Error: unable to flush services, lost 1 services'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.error', 'agent.error']);
		expect(a.events.get(0).fields.endpoint).toBe('http://localhost:8126/v0.3/traces');
		expect(a.events.get(0).repeat).toBe(2);
		expect(a.events.get(1).fields.endpoint).toBe('http://localhost:8126/v0.3/services');
	});

	it('reads pre-v1 plain lines: `cannot flush traces` + `lost N spans` are one failed flush', async () => {
		const a = await run(
			[
				'2017/02/24 20:57:55 Sending 3 spans',
				'2017/02/24 20:57:56 cannot flush traces: Post http://localhost:7777/v0.3/traces: dial tcp [::1]:7777: getsockopt: connection refused',
				'2017/02/24 20:57:56 lost 3 spans'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		expect(a.events.get(1).fields).toMatchObject({
			spans: 3,
			endpoint: 'http://localhost:7777/v0.3/traces'
		});
		expect(a.flushes.list[0].status).toBe('failed');
	});

	it('a lone pre-v1 `cannot flush traces` is still the final failure', async () => {
		const a = await run(
			'2017/02/24 20:57:56 cannot flush traces: Post http://localhost:7777/v0.3/traces: EOF\n2017/02/24 20:58:30 app line'
		);
		expect(kinds(a)).toEqual(['flush.error']);
	});

	it('rejected v1 protocol payload is a flush.error with its trace count', async () => {
		const a = await run(
			'Datadog Tracer v2.9.0 ERROR: agent rejected a v1 trace payload; dropping 4 traces and downgrading to v0.4'
		);
		expect(only(a, 'flush.error').fields.traces).toBe(4);
	});
});

describe('go: spans, traces, abandoned spans', () => {
	it('keeps 64-bit and 128-bit ids exact and times spans from start to finish', async () => {
		const head =
			'dd.service=api dd.env=prod dd.trace_id="685e628e000000000fd0c5ed899761e9" dd.span_id="18446744073709551615" dd.parent_id="9007199254740993"';
		const a = await run(
			[
				`2025/06/27 11:21:18 Datadog Tracer v2.0.1 DEBUG: Started Span: ${head}, Operation: http.request, Resource: http.request, Tags: map[http.url:http://x/a?b=c, d] env:prod], map[_sampling_priority_v1:1]`,
				`2025/06/27 11:21:20 Datadog Tracer v2.0.1 DEBUG: Finished Span: ${head}, Operation: http.request, Resource: GET /welcome, Tags: map[error.message:boom http.status_code:500], map[_dd.top_level:1]`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['span.start', 'span.finish']);
		expect(a.spans).toHaveLength(1);
		const s = a.spans.get(0);
		expect(s.traceId).toBe('685e628e000000000fd0c5ed899761e9');
		expect(s.spanId).toBe('18446744073709551615');
		expect(s.parentId).toBe('9007199254740993');
		expect(s.resource).toBe('GET /welcome');
		expect(s.name).toBe('http.request');
		expect(s.service).toBe('api');
		expect(s.error).toBe(true);
		expect(s.duration).toBe(2000);
		expect(a.traces).toHaveLength(1);
	});

	it('reads v1.29-style span lines without parent id', async () => {
		const a = await run(
			`${V} DEBUG: Finished Span: dd.trace_id="123" dd.span_id="456", Operation: db, Resource: SELECT 1, Tags: map[], map[]`
		);
		expect(a.spans.get(0)).toMatchObject({ traceId: '123', spanId: '456', resource: 'SELECT 1' });
		expect(a.spans.get(0).parentId).toBeUndefined();
	});

	it('reads the pre-v1 multi-line SPAN dump with start and duration', async () => {
		const a = await run(
			[
				'2017/09/01 12:00:20 TRACE: 9223372036854775807',
				'2017/09/01 12:00:20 SPAN:',
				'Name: http.request',
				'Service: web',
				'Resource: GET /',
				'TraceID: 9223372036854775807',
				'SpanID: 18446744073709551614',
				'ParentID: 0',
				'Start: 2017-09-01 12:00:19.5 +0000 UTC',
				'Duration: 1.5ms',
				'Error: 1',
				'Type: web',
				'Tags:',
				'\thttp.status_code:500'
			].join('\n')
		);
		const e = only(a, 'span.finish');
		expect(e.line).toBe(2);
		expect(e.endLine).toBe(14);
		expect(a.spans.get(0)).toMatchObject({
			spanId: '18446744073709551614',
			start: Date.UTC(2017, 8, 1, 12, 0, 19, 500),
			duration: 1.5,
			error: true,
			type: 'web'
		});
	});

	it('partial flush is a trace.complete (R4)', async () => {
		const a = await run(`${V} DEBUG: Partial flush triggered with 500 finished spans`);
		expect(only(a, 'trace.complete').fields.spans).toBe(500);
	});

	it('one span.abandoned per listed span, not repeated at the next report', async () => {
		const a = await run(
			[
				`${V} WARN: 2 abandoned spans:`,
				`${V} WARN: Too many abandoned spans. Truncating message.`,
				`${V} WARN: [name: http.request, integration: net/http, span_id: 18446744073709551615, trace_id: 9007199254740993, age: 600 sec],[name: db.query, span_id: 12, trace_id: 13, age: 610 sec],...`,
				`${V} WARN: 1 abandoned spans:`,
				`${V} WARN: [name: http.request, integration: net/http, span_id: 18446744073709551615, trace_id: 9007199254740993, age: 660 sec],`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['span.abandoned', 'span.abandoned']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 3 });
		expect(a.events.get(0).fields).toMatchObject({
			spanId: '18446744073709551615',
			traceId: '9007199254740993',
			integration: 'net/http',
			ageSeconds: 600,
			truncated: true
		});
		expect(a.events.get(1).fields.name).toBe('db.query');
		expect(a.counts['log.other']).toBe(0);
	});
});

describe('go: configuration, agent errors, other lines', () => {
	it('reads the start-up JSON into config and info', async () => {
		const a = await run(
			`2020/07/09 15:57:07 Datadog Tracer v1.26.0 INFO: DATADOG TRACER CONFIGURATION {"date":"2020-07-09T15:57:07-05:00","version":"v1.26.0","lang":"Go","lang_version":"go1.14.2","env":"staging","service":"svc","agent_url":"http://127.0.0.1:8126/v0.4/traces","agent_error":"","debug":true,"sample_rate":"NaN","dd_version":"2.0","tags":{"runtime-id":"d2"},"integrations":{"net/http":{"instrumented":true}}}`
		);
		expect(kinds(a)).toEqual(['tracer.config']);
		expect(a.info).toMatchObject({
			tracerVersion: 'v1.26.0',
			agentUrl: 'http://127.0.0.1:8126/v0.4/traces',
			service: 'svc',
			env: 'staging',
			version: '2.0',
			sampleRate: 'NaN',
			lang: 'go',
			langVersion: 'go1.14.2'
		});
		expect(a.config['tags.runtime-id']).toBe('d2');
		expect(a.counts['integration.loaded']).toBe(0);
	});

	it('a truncated or unparsable configuration is still one record', async () => {
		const a = await run(`${V} INFO: DATADOG TRACER CONFIGURATION {"date":"2020-07-09T15:57`);
		expect(only(a, 'tracer.config').fields.parsed).toBe(false);
	});

	it('reads a pretty-printed configuration as one record (R10), then leaves the JSON', async () => {
		// int128/hello-datadog-apm README: the JSON below the line, one key a line
		const pretty = [
			'{',
			'    "version": "v1.48.0",',
			'    "lang": "Go",',
			'    "service": "hello-datadog-apm",',
			'    "agent_url": "http://localhost:8126/v0.4/traces",',
			'    "tags": {',
			'        "runtime-id": "********"',
			'    },',
			'    "agent_features": {',
			'        "StatsdPort": 0',
			'    }',
			'}'
		];
		for (const head of [
			[`2023/04/01 03:11:49 Datadog Tracer v1.48.0 INFO: DATADOG TRACER CONFIGURATION`, ...pretty],
			[
				`2023/04/01 03:11:49 Datadog Tracer v1.48.0 INFO: DATADOG TRACER CONFIGURATION {`,
				...pretty.slice(1)
			]
		]) {
			const a = await run([...head, '{"level":"info","msg":"app started"}', 'app line'].join('\n'));
			const e = only(a, 'tracer.config');
			expect(e.endLine).toBe(head.length);
			expect(e.fields.service).toBe('hello-datadog-apm');
			expect(a.info.agentUrl).toBe('http://localhost:8126/v0.4/traces');
		}
		// a cut one-line configuration does not swallow the application lines after it
		const cut = await run(
			[`${V} INFO: DATADOG TRACER CONFIGURATION {"date":"2020-07`, 'INFO: app started'].join('\n')
		);
		expect(only(cut, 'tracer.config').endLine).toBe(1);
	});

	it('other Agent endpoints are agent.error with their endpoint and status (R5, R8)', async () => {
		const a = await run(
			[
				`${V} WARN: DIAGNOSTICS Unable to reach agent intake: ${REFUSED}`,
				`${V} ERROR: Error sending stats payload: Post "http://192.168.49.2:8126/v0.6/stats": read: connection reset by peer`,
				`${V} DEBUG: remoteconfig: http request error: response status code is not 200 (OK) but Not Found`,
				`${V} DEBUG: telemetry: error while flushing telemetry data: Post "http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry": EOF`,
				`${V} DEBUG: agent info poll failed: Get "http://localhost:8126/info": EOF`,
				`${V} ERROR: Uploading profile failed: 500 Internal Server Error. Trying again in 1s...`
			].join('\n')
		);
		expect(a.counts['agent.error']).toBe(6);
		expect(a.counts['flush.error']).toBe(0);
		expect(a.events.get(1).fields.endpoint).toBe('http://192.168.49.2:8126/v0.6/stats');
		expect(a.events.get(2).fields.status).toBe(404);
		expect(a.events.get(4).fields.endpoint).toBe('http://localhost:8126/info');
	});

	it('joins a hand-wrapped line to the record above', async () => {
		const a = await run(
			[
				'Datadog Tracer v1.74.8 ERROR: lost 9 traces: Post "http://datadog-agent:8126/v0.4/traces":',
				'dial tcp: lookup datadog-agent: no such host',
				'Post "http://localhost:8126/v0.4/traces": dial tcp [::1]:8126: connect: connection refused'
			].join('\n')
		);
		const e = only(a, 'flush.error');
		expect(e.endLine).toBe(2);
		expect(e.fields.reason).toBe(
			'Post "http://datadog-agent:8126/v0.4/traces": dial tcp: lookup datadog-agent: no such host'
		);
	});

	it('sampling rate update rejection is a sampling event (R15)', async () => {
		const a = await run(`${V} WARN: Ignoring trace sample rate 1.500000: value out of range [0,1]`);
		expect(only(a, 'sampling').fields.rate).toBe('1.500000');
	});

	it('DEBUG/INFO chatter is no event; an unknown WARN is log.other; app lines are ignored', async () => {
		const a = await run(
			[
				`2024/01/02 15:04:05 ${V} INFO: FEATURES enabled: discovery`,
				`2024/01/02 15:04:05 ${V} DEBUG: Runtime metrics enabled.`,
				'2024/01/02 15:04:06 "GET /welcome HTTP/1.1" from [::1]:53546 - 200 7B in 2.8µs',
				'2024/01/02 15:04:06 lost 3 spans in my own app',
				`2024/01/02 15:04:07 ${V} WARN: Fail to parse Agent URL: parse "x": invalid`,
				`2024/01/02 15:04:08 ${V} ERROR: payload queue full, dropping 3 traces`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['log.other', 'log.other']);
	});

	it('takes the time from a custom logger prefix', async () => {
		const a = await run(
			`time="2024-01-02T15:04:05.250Z" level=warn msg="${V} WARN: DIAGNOSTICS Unable to reach agent intake: EOF"`
		);
		expect(a.events.get(0).time).toBe(Date.UTC(2024, 0, 2, 15, 4, 5, 250));
		expect(a.events.get(0).zone).toBe('Z');
	});

	it('never throws and stays fast on garbage and huge lines', async () => {
		const huge = [
			`${V} ERROR: lost 1 traces: ` + ' '.repeat(2_000_000),
			`${V} WARN: [name: ` + 'a, '.repeat(500_000),
			`${V} ERROR: ` + '(Status: '.repeat(200_000),
			`${V} INFO: DATADOG TRACER CONFIGURATION {` + '{"a":'.repeat(200_000),
			'2017/02/24 20:57:56 SPAN:',
			'Duration: ' + '1'.repeat(100_000),
			'Datadog Tracer Error (',
			'Datadog Tracer v',
			'\u0000\uffff'
		].join('\n');
		const t = performance.now();
		const a = await run(huge);
		expect(performance.now() - t).toBeLessThan(5000);
		expect(a.tracer).toBe('go');
	});
});
