// PHP parser: the four prefix generations, web-server wrappers, zones, flush rules, sidecar (R6).
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../src/lib/core/index';
import { phpParser } from '../../src/lib/core/tracers/php';

async function run(lines: string[]): Promise<Analysis> {
	return analyze({ name: 'pasted.txt', data: lines.join('\n') }, { tracer: 'php' });
}

const kinds = (a: Analysis) => a.events.map((e) => e.kind);

describe('php detection', () => {
	it('decides on the tracer tag and known templates only', () => {
		expect(phpParser.detect('[ddtrace] [debug] Loaded integration web')).toBe(10);
		expect(
			phpParser.detect(
				'[26-Nov-2025 09:19:04 UTC] [ddtrace] [info] [4242] Flushing trace of size 1 to send-queue for http://localhost:8126'
			)
		).toBe(10);
		expect(phpParser.detect('Successfully triggered flush with trace of size 3')).toBe(10);
		expect(phpParser.detect('Reporting of spans failed: 7 / Failed to connect')).toBe(10);
		expect(phpParser.detect('DATADOG TRACER CONFIGURATION - {"date":"x","lang":"php"}')).toBe(10);
		// Ruby, Python and Node lines that mention ddtrace
		expect(
			phpParser.detect(
				"D, [2026-11-26T09:24:03.599351 #28348] DEBUG -- ddtrace: [ddtrace] (/usr/lib/ddtrace/tracer.rb:363:in `write') Writing 2 spans"
			)
		).toBe(0);
		expect(
			phpParser.detect(
				'2026-11-26 09:52:53,839 DEBUG [ddtrace] [_logger.py:72] - ddtrace logs will be routed'
			)
		).toBe(0);
		expect(phpParser.detect('DATADOG TRACER CONFIGURATION - {"date":"x","lang":"nodejs"}')).toBe(0);
		expect(
			phpParser.detect(
				'2023-10-26 15:57:57.667 +00:00 [INF] DATADOG TRACER DIAGNOSTICS - Partial flush'
			)
		).toBe(0);
	});

	it('is chosen from content alone', async () => {
		const a = await analyze({
			name: 'x.txt',
			data: '[ddtrace] [error] [12] Failed connecting to the sidecar: x\n'
		});
		expect(a.tracer).toBe('php');
	});
});

describe('php prefix generations', () => {
	it('A: userland `[ISO] [ddtrace] [level] - ` inside nginx FastCGI wrappers', async () => {
		const a = await run([
			'2019/11/11 12:30:20 [error] 1607#0: *3 FastCGI sent in stderr: "PHP message: [2019-11-11T12:30:20+01:00] [ddtrace] [debug] - Flushing 2 traces, 5 spans',
			'PHP message: [2019-11-11T12:30:20+01:00] [ddtrace] [debug] - About to send trace(s) to the agent',
			'PHP message: [2019-11-11T12:30:21+01:00] [ddtrace] [error] - Reporting of spans failed: 7 / Failed to connect to localhost port 8126: Connection refused" while reading response header from upstream, client: 10.0.0.1'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		expect(a.events.get(0)).toMatchObject({
			time: Date.UTC(2019, 10, 11, 11, 30, 20),
			zone: '+01:00',
			level: 'debug'
		});
		expect(a.events.get(0).fields).toMatchObject({ traces: 2, spans: 5 });
		expect(a.events.get(1).fields).toMatchObject({
			curlErrno: 7,
			reason: 'Failed to connect to localhost port 8126: Connection refused',
			attemptEvent: a.events.get(0).id,
			traces: 2
		});
		expect(a.verdict.status).toBe('unreachable');
	});

	it('A: userland success and the HTTP status failure', async () => {
		const a = await run([
			'[2020-03-26T16:35:28+00:00] [ddtrace] [debug] - Flushing 1 traces, 1 spans',
			'[2020-03-26T16:35:28+00:00] [ddtrace] [debug] - Traces successfully sent to the agent',
			'[2020-03-26T16:35:38+00:00] [ddtrace] [debug] - Flushing 1 traces, 2 spans',
			'[2020-03-26T16:35:38+00:00] [ddtrace] [error] - Reporting of spans failed, status code 400: bad request'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok', 'flush.attempt', 'flush.error']);
		expect(a.events.get(3).fields).toMatchObject({ status: 400 });
		expect(a.verdict.status).toBe('rejected');
	});

	it('B: untagged C messages (≤0.96) count only for known templates', async () => {
		const a = await run([
			'PHP message: Successfully triggered flush with trace of size 3',
			'PHP message: Some application text',
			'PHP Fatal error:  Uncaught Exception: boom in /app/index.php:3',
			'Stack trace:',
			'#0 {main}'
		]);
		expect(kinds(a)).toEqual(['flush.attempt']);
		expect(a.events.get(0).fields).toMatchObject({ spans: 3, traces: 1 });
		// 1.x logs no acceptance: an attempt with no error is presumed sent
		expect(a.flushes.list[0].status).toBe('presumed');
		expect(a.verdict.status).toBe('ok');
	});

	it('C: `[ddtrace] [level] msg`, one integration.loaded per line, not-available lines ignored', async () => {
		const a = await run([
			'[ddtrace] [debug] Loaded integration DDTrace\\Integrations\\Laravel\\LaravelIntegration',
			'[ddtrace] [debug] Integration DDTrace\\Integrations\\Swoole\\SwooleIntegration not available. New attempts WILL NOT be performed.',
			'[ddtrace] [debug] Loaded integration DDTrace\\Integrations\\Guzzle\\GuzzleIntegration'
		]);
		expect(kinds(a)).toEqual(['integration.loaded', 'integration.loaded']);
		expect(a.events.get(0).fields).toMatchObject({
			name: 'Laravel',
			integration: 'DDTrace\\Integrations\\Laravel\\LaravelIntegration'
		});
		expect(a.events.get(0).time).toBeUndefined();
	});

	it('D: `[ddtrace] [level] [pid] msg` in DD_TRACE_LOG_FILE with a zone name', async () => {
		const a = await run([
			'[26-Nov-2025 09:19:04 UTC] [ddtrace] [info] [4242] Flushing trace of size 4 to send-queue for http://agent:8126',
			'[26-Nov-2025 10:19:04 Europe/Paris] [ddtrace] [debug] [4242] Evaluated agent sampling rules for root span for trace 1234 (service: web, env: prod) and found a sample_rate of 0.500000',
			'[26-Jul-2025 10:19:04 Europe/Paris] [ddtrace] [debug] [4242] Evaluated agent sampling rules for root span for trace 99 and applied a default sample_rate of 1.000000',
			'[26-Nov-2025 09:19:04 CEST] [ddtrace] [warning] [4242] Something odd; This message is only displayed once. Specify DD_TRACE_ONCE_LOGS=0 to show all messages.'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'sampling', 'sampling', 'log.other']);
		expect(a.events.get(0)).toMatchObject({ time: Date.UTC(2025, 10, 26, 9, 19, 4), zone: 'UTC' });
		expect(a.events.get(0).fields).toMatchObject({
			spans: 4,
			traces: 1,
			endpoint: 'http://agent:8126'
		});
		// Paris is +01:00 in November, +02:00 in July
		expect(a.events.get(1)).toMatchObject({
			time: Date.UTC(2025, 10, 26, 9, 19, 4),
			zone: '+01:00'
		});
		expect(a.events.get(1).fields).toMatchObject({
			traceId: '1234',
			service: 'web',
			env: 'prod',
			rate: '0.500000'
		});
		expect(a.events.get(2)).toMatchObject({
			time: Date.UTC(2025, 6, 26, 8, 19, 4),
			zone: '+02:00'
		});
		expect(a.events.get(2).fields.default).toBe(true);
		expect(a.events.get(3)).toMatchObject({
			zone: '+02:00',
			level: 'warn',
			summary: 'Something odd'
		});
	});

	it('php-fpm and Apache wrappers', async () => {
		const a = await run([
			'[26-Nov-2025 09:19:04] WARNING: [pool www] child 25657 said into stderr: "[ddtrace] [error] [25657] Failed sending traces to the sidecar: Broken pipe (os error 32)"',
			'[Mon Jan 01 19:56:23.123456 2024] [php:notice] [pid 77] [client 10.0.0.1:5555] [ddtrace] [debug] [77] Loaded integration DDTrace\\Integrations\\Curl\\CurlIntegration'
		]);
		expect(kinds(a)).toEqual(['log.other', 'integration.loaded']);
		expect(a.events.get(0).fields.message).toBe(
			'Failed sending traces to the sidecar: Broken pipe (os error 32)'
		);
		expect(a.events.get(0).zone).toBe('local');
		expect(a.events.get(1).time).toBeCloseTo(Date.UTC(2024, 0, 1, 19, 56, 23, 123) + 0.456, 3);
	});
});

describe('php spans', () => {
	it('reads the Rust Debug span (1.11+) with exact 64-bit ids, start and duration', async () => {
		const a = await run([
			'[ddtrace] [span] [123] Encoding span: Span { service: web, name: laravel.request, resource: GET /users, type: web, trace_id: 13866129896350127602, span_id: 18446744073709551615, parent_id: 0, start: 1700000000123456789, duration: 2500000, error: 1, meta: {"http.method": "GET"}, metrics: {}, meta_struct: {}, span_links: [], span_events: [] }',
			'[ddtrace] [span] [123] Encoding span: Span { service: web, name: pdo, resource: SELECT 1, type: sql, trace_id: 13866129896350127602, span_id: 9007199254740993, parent_id: 18446744073709551615, start: 1700000000124000000, duration: 1000, error: 0, meta: {}, metrics: {}, meta_struct: {}, span_links: [], span_events: [] }'
		]);
		expect(kinds(a)).toEqual(['span.finish', 'span.finish']);
		expect(a.spans.get(0)).toMatchObject({
			traceId: '13866129896350127602',
			spanId: '18446744073709551615',
			name: 'laravel.request',
			service: 'web',
			resource: 'GET /users',
			type: 'web',
			error: true,
			duration: 2.5
		});
		expect(a.spans.get(0).parentId).toBeUndefined();
		expect(a.spans.get(0).start).toBeCloseTo(1700000000123.4568, 3);
		expect(a.spans.get(1)).toMatchObject({
			spanId: '9007199254740993',
			parentId: '18446744073709551615',
			error: false
		});
		expect(a.traces).toHaveLength(1);
		expect(a.traces.get(0).rootSpan).toBe(0);
	});

	it('reads the old quoted span format (0.98–1.10), values with commas', async () => {
		const a = await run([
			"[ddtrace] [span] Encoding span 6821975779994328093: trace_id=67b4116a00000000c42f6a51cd6ebc57, name='curl_exec', service='curl', resource: 'GET /a, b', type 'http' with tags: component='curl', error.message='x, y'; and metrics: -"
		]);
		expect(a.spans.get(0)).toMatchObject({
			spanId: '6821975779994328093',
			traceId: '67b4116a00000000c42f6a51cd6ebc57',
			resource: 'GET /a, b',
			type: 'http',
			error: true
		});
	});

	it('reads span starts (trace level, userland)', async () => {
		const a = await run([
			'[ddtrace] [span] [9] Starting new root span: trace_id=67b4116a00000000c42f6a51cd6ebc57, span_id=13866129896350127602, parent_id=0, SpanStack=1, parent_SpanStack=0',
			'[2020-03-26T16:35:28+00:00] [ddtrace] [debug] - New span web.request GET / recorded.'
		]);
		expect(kinds(a)).toEqual(['span.start', 'span.start']);
		expect(a.events.get(0).fields).toMatchObject({ spanId: '13866129896350127602' });
		expect(a.events.get(1).fields).toMatchObject({ name: 'web.request', resource: 'GET /' });
	});
});

describe('php configuration, diagnostics and failures', () => {
	it('one config record; agent_error diagnostic is an agent.error, the JSON field is not (R8)', async () => {
		const a = await run([
			"[ddtrace] [startup] [1] DATADOG TRACER DIAGNOSTICS - agent_error: Couldn't connect to server",
			'[ddtrace] [startup] [1] DATADOG TRACER DIAGNOSTICS - datadog.trace.sources_path_reachable: false',
			'[ddtrace] [startup] [1] DATADOG TRACER DIAGNOSTICS - env: prod',
			'[ddtrace] [startup] [1] DATADOG TRACER CONFIGURATION - {"agent_error":"Couldn\'t connect to server","version":"1.2.0","lang":"php","lang_version":"8.2.1","service":"shop","agent_url":"http://agent:8126","sample_rate":1.000000}'
		]);
		expect(kinds(a)).toEqual(['agent.error', 'log.other', 'tracer.config']);
		expect(a.events.get(2).fields).toMatchObject({
			complete: true,
			agentError: "Couldn't connect to server"
		});
		expect(a.info).toMatchObject({
			tracerVersion: '1.2.0',
			agentUrl: 'http://agent:8126',
			service: 'shop',
			lang: 'PHP'
		});
		expect(a.verdict.status).toBe('unreachable');
	});

	it('a sidecar failure is log.other and never "Agent unreachable" (R6)', async () => {
		const a = await run([
			'[ddtrace] [error] Failed connecting to the sidecar: Connection refused (os error 111)',
			'Failed sending traces to the sidecar: Os { code: 32, kind: BrokenPipe, message: "Broken pipe" }',
			// other sidecar IPC calls of 1.4–1.6 name no sidecar (dd-trace-php#2915)
			'NOTICE: PHP message: [ddtrace] [error] Failed flushing telemetry buffer: Os { code: 32, kind: BrokenPipe, message: "Broken pipe" }'
		]);
		expect(kinds(a)).toEqual(['log.other', 'log.other', 'log.other']);
		expect([0, 1, 2].map((i) => a.events.get(i).fields.channel)).toEqual([
			'local',
			'local',
			'local'
		]);
		expect(a.counts['agent.error']).toBe(0);
		expect(a.verdict.status).not.toBe('unreachable');
	});

	it('folds the curl verbose dump into the failure it explains (R1)', async () => {
		const a = await run([
			'Reporting of spans failed: 28 / Operation timed out after 500 milliseconds (TIMEOUT_MS=500, CONNECTTIMEOUT_MS=100)',
			'[2020-03-26T16:35:28+00:00] [ddtrace] [error] - * Trying 127.0.0.1:8126...',
			'* connect to 127.0.0.1 port 8126 failed: Connection timed out',
			'* Closing connection 0'
		]);
		expect(kinds(a)).toEqual(['flush.error']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 4 });
		expect(a.events.get(0).fields.curlErrno).toBe(28);
	});

	it('background sender lines with DD_TRACE_DEBUG_CURL_OUTPUT', async () => {
		const a = await run([
			'[ddtrace] [info] Flushing trace of size 2 to send-queue for http://localhost:8126',
			"[bgs] curl_easy_perform() failed: Couldn't connect to server",
			'',
			'[ddtrace] [info] Flushing trace of size 2 to send-queue for http://localhost:8126',
			'[bgs] uploaded 512 bytes',
			''
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error', 'flush.attempt', 'flush.ok']);
		expect(a.events.get(1)).toMatchObject({ line: 2, endLine: 3 });
		// the failure line names no URL: the one the log gave for the send-queue is used
		expect(a.events.get(1).fields).toMatchObject({
			endpoint: 'http://localhost:8126',
			reason: "Couldn't connect to server"
		});
		expect(a.verdict.status).toBe('recovered');
	});

	it('a crash backtrace is one record', async () => {
		const a = await run([
			'[26-Nov-2025 09:19:04 UTC] [crash] Segmentation fault encountered',
			'[26-Nov-2025 09:19:04 UTC] Datadog PHP Trace extension (DEBUG MODE)',
			'[26-Nov-2025 09:19:04 UTC] Received Signal 11',
			'[26-Nov-2025 09:19:04 UTC] Backtrace:',
			'[26-Nov-2025 09:19:04 UTC] /usr/lib/php/ddtrace.so(+0x1234) [0x7f00]',
			'[26-Nov-2025 09:19:05 UTC] [ddtrace] [debug] Loaded integration web'
		]);
		expect(kinds(a)).toEqual(['log.other', 'integration.loaded']);
		expect(a.events.get(0)).toMatchObject({ endLine: 5, level: 'fatal' });
	});

	it('a crash of the 0.x backtrace handler (no [crash] line yet) is one record too', async () => {
		const a = await analyze({
			name: 'pasted.txt',
			data: [
				'2019/02/19 08:41:39 [error] 3687#3687: *9913 FastCGI sent in stderr: "PHP message: Datadog PHP Trace extension (DEBUG MODE)',
				'PHP message: Received Signal 11',
				'PHP message: Note: Backtrace below might be incomplete and have wrong entries due to optimized runtime',
				'PHP message: Backtrace:',
				'PHP message: /opt/datadog-php/extensions/ddtrace-20170718-debug.so(ddtrace_backtrace_handler+0x4f) [0x7f27b885df17]',
				'PHP message: php-fpm: pool www(_emalloc+0x74) [0x555a569625e4]',
				'PHP message: PHP Fatal error:  Uncaught Exception: boom'
			].join('\n')
		});
		expect(a.tracer).toBe('php');
		expect(kinds(a)).toEqual(['log.other']);
		expect(a.events.get(0)).toMatchObject({
			endLine: 6,
			level: 'fatal',
			summary: 'PHP crashed: signal 11'
		});
	});

	it('never makes INFO/DEBUG lines log.other, and never throws on garbage', async () => {
		const a = await run([
			'[ddtrace] [info] No finished traces to be sent to the agent',
			'[ddtrace] [info] Skipping flushing trace as connection to sidecar failed',
			'[ddtrace] [debug] circuit breaker status: closed',
			'[ddtrace] [',
			'[ddtrace] [span] Encoding span: Span { service: ',
			'[ddtrace] [span] Encoding span 1',
			'DATADOG TRACER CONFIGURATION - {"a":"\\',
			'[99-Foo-2025 99:99:99 Nowhere/Zone] [ddtrace] [error] x',
			'\uFFFD'.repeat(100)
		]);
		expect(a.counts['log.other']).toBe(1);
		expect(a.counts['tracer.config']).toBe(1);
		expect(a.counts['span.finish']).toBe(2);
	});
});
