// .NET parser: every prefix generation, multi-line records, the one-send rule, retries, fields.
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type EventKind } from '../../src/lib/core/index';
import { dotnetParser } from '../../src/lib/core/tracers/dotnet';

const PROPS =
	'{ MachineName: ".", Process: "[1 dotnet]", AppDomain: "[1 TestApp]", AssemblyLoadContext: "\\"\\" Datadog.Trace.ClrProfiler.Managed.Loader.ManagedProfilerAssemblyLoadContext #1", TracerVersion: "2.40.0.0" }';
const T = '2023-10-26 15:57:57.667 +00:00';

/** A 2.x managed line: message, two spaces, the properties block. */
const m2 = (level: string, msg: string, time = T) => `${time} [${level}] ${msg}  ${PROPS}`;

async function run(lines: string[], named = false): Promise<Analysis> {
	return analyze(
		{ name: named ? 'dotnet-tracer-managed-dotnet-1.log' : 'pasted.txt', data: lines.join('\n') },
		named ? {} : { tracer: 'dotnet' }
	);
}

const kinds = (a: Analysis) => a.events.map((e) => e.kind);
const only = (a: Analysis, kind: EventKind) => a.events.filter((e) => e.kind === kind);

const ERR_2X = (ep: string) =>
	`An error occurred while sending data to the agent at ${ep}. If the error isn't transient, please check https://docs.datadoghq.com/tracing/troubleshooting/connection_errors/?code-lang=dotnet for guidance.`;

describe('dotnet detection', () => {
	it('decides on distinctive markers and only on them', () => {
		expect(
			dotnetParser.detect(m2('INF', 'Using HttpClientRequestFactory for rcm transport.'))
		).toBe(10);
		expect(
			dotnetParser.detect(
				'09/07/23 11:06:54.492 AM [19984|13416] [info] Datadog CLR Profiler 2.38.0 on Windows (amd64)'
			)
		).toBe(10);
		expect(
			dotnetParser.detect('[w3wp.exe] 6288: [debug] JITCompilationStarted: function_id=1')
		).toBe(10);
		expect(
			dotnetParser.detect(
				'[2018-09-18 14:25:41] [Error] An error occured while sending traces to the agent at http://localhost:8126/v0.3/traces'
			)
		).toBe(10);
		// a plain Serilog application line is only a hint
		expect(dotnetParser.detect(`${T} [INF] Application started`)).toBeLessThan(10);
		// other tracers' lines
		expect(
			dotnetParser.detect(
				'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDApi - Successfully sent 1 of 2 traces to the DD agent.'
			)
		).toBe(0);
		expect(dotnetParser.detect('[ddtrace] [debug] Loaded integration web')).toBe(0);
		expect(
			dotnetParser.detect('2026-11-26 09:52:53,839 DEBUG [ddtrace] [_logger.py:72] - ddtrace logs')
		).toBe(0);
		expect(dotnetParser.detect('DATADOG TRACER CONFIGURATION - {"lang":"nodejs"}')).toBe(0);
	});

	it('takes the native loader and the CLR event naming our CLSID as hints', async () => {
		// issue #6433 (3.6.1 native loader) and #824 (Windows event log copy, 1.8.3)
		const loader =
			"[2024-12-12 15:31:00.962 | warning | PId: 8996 | TId: 9124] Load: Error loading dynamic library 'C:\\Program Files\\Datadog\\.NET Tracer\\win-x64\\.\\Datadog.Profiler.Native.dll': The specified procedure could not be found.";
		const clrEvent =
			".NET Runtime version 4.0.30319.0 - Loading profiler failed.  The profiler COM object was instantiated, but the profiler failed during its initialization callback.  Profiler CLSID: '{846F5F1C-F9AE-4B07-969E-05C26BC060D8}'.  HRESULT: 0x80004005.  Process ID (decimal): 19028.  Message ID: [0x2505].";
		expect(dotnetParser.detect(loader)).toBe(6);
		expect(dotnetParser.detect(clrEvent)).toBe(6);
		// another program's loader-like line, another profiler's CLSID
		expect(dotnetParser.detect('[2024-12-12 15:31:00.962 | info | PId: 1 | TId: 2] Started')).toBe(
			2
		);
		expect(dotnetParser.detect(clrEvent.replace('846F5F1C', '918728DD'))).toBe(0);
		for (const data of [loader, clrEvent]) {
			const a = await analyze({ name: 'x.txt', data });
			expect(a.tracer).toBe('dotnet');
			expect(a.events.length).toBe(0); // neither is a managed tracer record (R9)
		}
	});

	it('is chosen from content alone', async () => {
		const a = await analyze({
			name: 'x.txt',
			data: m2('DBG', 'Sending 1 traces to the Datadog Agent.')
		});
		expect(a.tracer).toBe('dotnet');
		expect(a.tracerVersion).toBe('2.40.0.0');
	});
});

describe('dotnet sends (R2, R3)', () => {
	it('folds Flushing + Sending + Successfully sent into one attempt and one ok', async () => {
		const a = await run([
			m2('DBG', 'Flushing 3 spans across 2 traces. CanComputeStats is disabled.'),
			m2('DBG', 'Sending 2 traces to the Datadog Agent.'),
			m2('DBG', 'Successfully sent 2 traces to the Datadog Agent.')
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok']);
		const [attempt, ok] = a.events;
		expect(attempt.fields).toMatchObject({ spans: 3, traces: 2 });
		expect(ok.fields.attemptEvent).toBe(attempt.id);
		expect(a.flushes.list[0].status).toBe('ok');
		expect(a.verdict.status).toBe('ok');
	});

	it('counts Sending alone (1.21–2.10 wording) as one attempt', async () => {
		const a = await run([
			`2021-09-08 11:33:21.218 +00:00 [DBG] Sending 1 traces to the DD agent`,
			'{ MachineName: ".", Process: "[17020 w3wp]", AppDomain: "[3 /LM/W3SVC]", TracerVersion: "1.28.4.0" }',
			`2021-09-08 11:33:21.300 +00:00 [DBG] Successfully sent 1 traces to the DD agent`,
			'{ MachineName: ".", Process: "[17020 w3wp]", AppDomain: "[3 /LM/W3SVC]", TracerVersion: "1.28.4.0" }'
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok']);
		expect(a.events.get(1)).toMatchObject({ line: 3, endLine: 4 });
		expect(a.tracerVersion).toBe('1.28.4.0');
	});

	it('treats Retrying lines as part of the attempt; only the final ERR is a failure', async () => {
		const ep = 'http://localhost:8126/v0.4/traces';
		const retry = [
			m2(
				'DBG',
				`An error occurred while sending data to the agent at ${ep}. Retrying. System.Net.Http.HttpRequestException: Connection refused (localhost:8126)`
			),
			' ---> System.Net.Sockets.SocketException (111): Connection refused',
			'   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error)',
			m2(
				'DBG',
				`Unable to communicate with the trace agent at ${ep} System.Net.Http.HttpRequestException: Connection refused (localhost:8126)`
			)
		];
		const a = await run([
			m2('DBG', 'Flushing 1 spans across 1 traces. CanComputeStats is disabled.'),
			m2('DBG', 'Sending 1 traces to the Datadog Agent.'),
			...retry,
			...retry,
			...retry,
			...retry,
			`${T} [ERR] ${ERR_2X(ep)} System.Net.Http.HttpRequestException: Connection refused (localhost:8126)`,
			' ---> System.Net.Sockets.SocketException (111): Connection refused',
			'   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync()',
			` ${PROPS}`
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		const err = a.events.get(1);
		expect(err.fields).toMatchObject({
			endpoint: ep,
			reason: 'Connection refused (localhost:8126)',
			attempts: 5,
			attemptEvent: a.events.get(0).id
		});
		expect(err.endLine).toBe(a.files[0].lines);
		expect(a.verdict.status).toBe('unreachable');
		expect(a.verdict.summary).toMatch(/localhost:8126/);
	});

	it('counts an HTTP failure once: the status line and the final ERR restating it (R1)', async () => {
		const ep = 'http://agent:8126/v0.4/traces';
		const a = await run([
			m2('DBG', 'Sending 1 traces to the Datadog Agent.'),
			m2('ERR', 'Failed to submit traces with status code 400 and message: bad payload'),
			m2('ERR', ERR_2X(ep))
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		expect(a.events.get(1).fields).toMatchObject({ status: 400, endpoint: ep });
		expect(a.events.get(1).endLine).toBe(3);
		expect(a.verdict.status).toBe('rejected');
		expect(a.verdict.summary).toMatch(/HTTP 400/);
	});

	it('counts a 429 (3.x) with its status', async () => {
		const a = await run([
			m2('DBG', 'Sending 4 traces to the Datadog Agent.'),
			m2(
				'DBG',
				'Failed to submit 4 traces. Agent responded with 429 Too Many Requests, retry after unspecified'
			),
			m2('ERR', ERR_2X('http://agent:8126/v0.4/traces'))
		]);
		expect(only(a, 'flush.error')).toHaveLength(1);
		expect(only(a, 'flush.error')[0].fields).toMatchObject({ status: 429, traces: 4 });
	});

	it('makes a stats or telemetry failure an agent.error, not a flush (R5)', async () => {
		const a = await run([
			m2('DBG', 'Sending stats to the Datadog Agent.'),
			m2('ERR', 'Failed to submit stats. Status code 503, message: unavailable'),
			m2('ERR', ERR_2X('http://agent:8126/v0.6/stats')),
			m2(
				'DBG',
				"Error sending telemetry to 'http://agent:8126/telemetry/proxy/api/v2/apmtelemetry' 503 . CompressionEnabled True"
			),
			m2('WRN', 'Error discovering available agent services')
		]);
		expect(kinds(a)).toEqual(['agent.error', 'agent.error', 'agent.error']);
		expect(a.events.get(0).fields).toMatchObject({
			status: 503,
			endpoint: 'http://agent:8126/v0.6/stats'
		});
		expect(a.events.get(1).fields).toMatchObject({ status: 503 });
		expect(a.counts['flush.error']).toBe(0);
	});

	it('reads older failure wordings (1.23–2.10, 0.x) with count, endpoint and HTTP status', async () => {
		const a = await run([
			`2021-01-01 10:00:00.000 +02:00 [ERR] An error occurred while sending 3 traces to the agent at http://localhost:8126/v0.4/traces`,
			'System.Net.Http.HttpRequestException: Connection refused ---> System.Net.Sockets.SocketException: Connection refused',
			'{ MachineName: ".", Process: "[1 dotnet]", AppDomain: "[1 app]", TracerVersion: "1.28.0.0" }',
			'[2018-09-18 14:25:41] [Error] An error occured while sending traces to the agent at http://localhost:8126/v0.3/traces',
			'System.Net.Http.HttpRequestException: Response status code does not indicate success: 400 (Bad Request).',
			'   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()'
		]);
		const errs = only(a, 'flush.error');
		expect(errs).toHaveLength(2);
		expect(errs[0].fields).toMatchObject({ traces: 3, reason: 'Connection refused' });
		expect(errs[0].zone).toBe('+02:00');
		expect(errs[0].time).toBe(Date.UTC(2021, 0, 1, 8, 0, 0));
		expect(errs[1].fields).toMatchObject({
			status: 400,
			endpoint: 'http://localhost:8126/v0.3/traces'
		});
		expect(errs[1]).toMatchObject({ line: 4, endLine: 6, zone: 'local', level: 'error' });
	});

	it('sets repeat from the rate limiter suffix (R7)', async () => {
		const a = await run([
			`${T} [ERR] ${ERR_2X('http://agent:8126/v0.4/traces')}, 4 additional messages skipped System.Net.Http.HttpRequestException: Connection refused`
		]);
		expect(a.events.get(0)).toMatchObject({ kind: 'flush.error', repeat: 5 });
		expect(a.events.get(0).fields.endpoint).toBe('http://agent:8126/v0.4/traces');
	});

	it('reads lines pasted without their timestamp', async () => {
		const a = await run([
			'[DBG] Sending 1 traces to the Datadog Agent.',
			`[ERR] ${ERR_2X('unix:///var/run/datadog/apm.socket to http://localhost/v0.4/traces')}`
		]);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		expect(a.events.get(1)).toMatchObject({ level: 'error', time: undefined });
		expect(a.events.get(1).fields.endpoint).toBe(
			'unix:///var/run/datadog/apm.socket to http://localhost/v0.4/traces'
		);
	});

	it('reads a failed send shown by the Log Explorer: bare message, its fields under it', async () => {
		// issue #259 (0.7): the record's message without its prefix, then error.message/error.stack
		const a = await run([
			'Log message',
			'An error occurred while sending traces to the agent at http://localhost:8126/v0.3/traces',
			'',
			'ERROR MESSAGE',
			'Response status code does not indicate success: 413 (Request Entity Too Large).',
			'',
			'ERROR STACK',
			'System.Net.Http.HttpRequestException: Response status code does not indicate success: 413 (Request Entity Too Large).',
			'   at Datadog.Trace.Agent.Api.<SendAsync>d__8`1.MoveNext()',
			'An error occured while sending traces to the agent at http://localhost:8126/v0.3/traces',
			'System.Net.Http.HttpRequestException: An error occurred while sending the request.'
		]);
		expect(kinds(a)).toEqual(['flush.error', 'flush.error']);
		expect(a.events.get(0)).toMatchObject({ line: 2, endLine: 9 });
		expect(a.events.get(0).fields).toMatchObject({
			endpoint: 'http://localhost:8126/v0.3/traces',
			status: 413
		});
		expect(a.events.get(1).fields.reason).toBe('An error occurred while sending the request.');
	});

	it('reads the 0.x JSON sink, filling the unrendered template from its properties', async () => {
		const a = await run([
			'{"Timestamp":"2018-11-01T14:24:57.5749038+00:00","Level":"Error","MessageTemplate":"An error occurred while sending traces to the agent at {Endpoint}","Exception":"System.Net.Http.HttpRequestException: No connection could be made","Properties":{"Endpoint":"http://localhost:8126/v0.3/traces"}}'
		]);
		expect(a.events.get(0)).toMatchObject({ kind: 'flush.error', zone: '+00:00' });
		expect(a.events.get(0).fields).toMatchObject({
			endpoint: 'http://localhost:8126/v0.3/traces',
			reason: 'No connection could be made'
		});
	});
});

it('reads the console sink (3.21+): version in the prefix, exception after ` | ` with literal \\n', async () => {
	const C = '[2025-07-10 15:28:27.101 +00:00 | DD-TRACE-DOTNET 3.21.0 |';
	const lines = [
		`${C} INF] PDB file "D:\\source\\app\\net6.0\\Samples.Console.pdb" contained SourceLink information.`,
		`${C} DBG] Sending 1 traces to the Datadog Agent.`,
		`${C} ERR] ${ERR_2X('http://localhost:8126/v0.4/traces')} | System.Net.Http.HttpRequestException: Connection refused (localhost:8126)\\n ---> System.Net.Sockets.SocketException (111): Connection refused\\n   at System.Net.Sockets.Socket.ThrowException()`,
		'Sending 1 spans',
		`${C} INF] DATADOG TRACER CONFIGURATION - "{...}"`
	];
	expect(dotnetParser.detect(lines[1])).toBe(10);
	const a = await run(lines, true);
	expect(a.tracer).toBe('dotnet');
	expect(a.files[0].tracerVersion).toBe('3.21.0');
	expect(kinds(a)).toEqual(['flush.attempt', 'flush.error', 'tracer.config']);
	// the app's own line after a one-line console record is not part of it
	expect(a.events.get(1)).toMatchObject({ line: 3, endLine: 3, zone: '+00:00' });
	expect(a.events.get(1).fields).toMatchObject({
		endpoint: 'http://localhost:8126/v0.4/traces',
		reason: 'Connection refused (localhost:8126)',
		exception: 'System.Net.Http.HttpRequestException'
	});
});

describe('dotnet spans', () => {
	it('reads Span closed with its Details block (2.32+), aligning hex and decimal ids', async () => {
		const a = await run([
			m2(
				'DBG',
				'Span started: [s_id: 5d4e3c2b1a098765, p_id: 1234567890123456789, t_id: 653a8f2b00000000a1b2c3d4e5f60718] with Tags: [], Tags Type: [Datadog.Trace.Tagging.WebTags])'
			),
			`${T} [DBG] Span closed: [s_id: 5d4e3c2b1a098765, p_id: 1234567890123456789, t_id: 653a8f2b00000000a1b2c3d4e5f60718] for (Service: TestApp, Resource: GET /home, Operation: aspnet_core.request, Tags: [env (tag):prod,error.msg (tag):boom,])`,
			'Details:TraceId64: 11651590826498148120',
			'TraceId128: 653a8f2b00000000a1b2c3d4e5f60718',
			'ParentId: 1234567890123456789',
			'SpanId: 6723465735234938725',
			'Type: web',
			'Start: 2023-10-26T15:57:57.5670000+00:00',
			'Duration: 00:00:00.1000000',
			'Error: True',
			'Meta: env (tag):prod,',
			`  ${PROPS}`
		]);
		expect(kinds(a)).toEqual(['span.start', 'span.finish']);
		const span = a.spans.get(0);
		expect(span).toMatchObject({
			traceId: '653a8f2b00000000a1b2c3d4e5f60718',
			spanId: '5d4e3c2b1a098765',
			parentId: '112210f47de98115', // 1234567890123456789 in hex
			name: 'aspnet_core.request',
			service: 'TestApp',
			resource: 'GET /home',
			type: 'web',
			error: true,
			start: Date.UTC(2023, 9, 26, 15, 57, 57, 567),
			duration: 100
		});
		expect(a.events.get(1)).toMatchObject({ line: 2, endLine: 12 });
	});

	it('keeps 64-bit decimal ids exact and times a span from its start line', async () => {
		const a = await run([
			`2021-09-08 11:33:21.100 +00:00 [DBG] Span started: [s_id: 18446744073709551615, p_id: null, t_id: 9007199254740993]`,
			'{ MachineName: ".", Process: "[1 w3wp]", AppDomain: "[3 app]", TracerVersion: "1.28.4.0" }',
			`2021-09-08 11:33:21.207 +00:00 [DBG] Span closed: [s_id: 18446744073709551615, p_id: null, t_id: 9007199254740993] for (Service: svc, Resource: GET /a, b, Operation: aspnet.request, Tags: [cookie (tag):a=1, b=2;,_dd.rule_psr (metric):1env (tag):x,])`,
			'{ MachineName: ".", Process: "[1 w3wp]", AppDomain: "[3 app]", TracerVersion: "1.28.4.0" }'
		]);
		expect(a.spans.get(0)).toMatchObject({
			spanId: '18446744073709551615',
			traceId: '9007199254740993',
			resource: 'GET /a, b',
			duration: 107
		});
		expect(a.spans.get(0).parentId).toBeUndefined();
		expect(a.traces.get(0).rootSpan).toBe(0);
		expect(a.counts['span.start']).toBe(1);
	});

	it('counts a partial flush as trace.complete', async () => {
		const a = await run([
			m2('DBG', 'Closing span 123 triggered a partial flush of trace 456 with 500 pending spans')
		]);
		expect(a.events.get(0)).toMatchObject({
			kind: 'trace.complete',
			fields: { spans: 500, traceId: '456' }
		});
	});
});

describe('dotnet configuration and other records', () => {
	it('cuts the configuration JSON at its closing brace, not at the end of the line', async () => {
		const json =
			'{"date":"2023-12-06T11:29:18.047752+00:00","version":"2.43.0.0","lang":".NET","lang_version":"8.0.0","env":"prod","service":"web","agent_url":"http://127.0.0.1:8126/","agent_reachable":false,"agent_error":"Connection refused","debug":true,"note":"a } in a string"}';
		const a = await run([`${T} [INF] DATADOG TRACER CONFIGURATION - ${json}  ${PROPS}`]);
		expect(kinds(a)).toEqual(['tracer.config']); // agent_error is a field, not an event (R8)
		expect(a.events.get(0).fields).toMatchObject({
			complete: true,
			agentReachable: false,
			agentError: 'Connection refused'
		});
		expect(a.config.note).toBe('a } in a string');
		expect(a.info).toMatchObject({
			agentUrl: 'http://127.0.0.1:8126/',
			service: 'web',
			env: 'prod',
			langVersion: '8.0.0'
		});
	});

	it('still makes one config record of a cut JSON', async () => {
		const a = await run([
			`${T} [INF] DATADOG TRACER CONFIGURATION - {"version":"2.43.0.0","service":"web","agent_url":"http://x:8126`
		]);
		expect(kinds(a)).toEqual(['tracer.config']);
		expect(a.events.get(0).fields.complete).toBe(false);
		expect(a.info.service).toBe('web');
	});

	it("makes the managed loader's exception records log.other, naming the innermost cause", async () => {
		const a = await run([
			'[2024-02-11 10:00:03.120 +00:00] Error when invoking managed method: Datadog.Trace.ClrProfiler.Instrumentation.Initialize',
			'System.Reflection.TargetInvocationException: Exception has been thrown by the target of an invocation.',
			" ---> System.IO.FileNotFoundException: Could not load file or assembly 'X'. The system cannot find the file specified.",
			'   at Datadog.Trace.Configuration.GlobalConfigurationSource..cctor()',
			'[2024-02-11 10:00:04.000 +00:00|1|DefaultDomain|True] Datadog.Trace.ClrProfiler.Managed.Loader.Startup: Invoked by w3wp',
			'[11/13/2020 5:33:42 PM] Error when loading managed assemblies.',
			'System.Reflection.TargetInvocationException: Exception has been thrown by the target of an invocation.',
			"   ---> System.MissingMethodException: Method not found: 'Void Datadog.Trace.Tracer.StartDiagnosticObservers()'."
		]);
		expect(kinds(a)).toEqual(['log.other', 'log.other']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 4, level: 'error' });
		expect(a.events.get(0).time).toBe(Date.UTC(2024, 1, 11, 10, 0, 3, 120));
		expect(a.events.get(0).fields.reason).toBe(
			"System.IO.FileNotFoundException: Could not load file or assembly 'X'. The system cannot find the file specified."
		);
		expect(a.events.get(1).line).toBe(6);
	});

	it('makes WRN/ERR log.other and never DBG/INF', async () => {
		const a = await run([
			m2('INF', 'Using HttpClientRequestFactory for telemetry transport.'),
			m2('DBG', 'Something debug'),
			m2('WRN', 'Could not flush all traces before process exit'),
			m2(
				'WRN',
				'DATADOG TRACER DIAGNOSTICS - Partial flush should only be enabled with agent 7.26.0+ (detected version: 7.20.0)'
			)
		]);
		expect(kinds(a)).toEqual(['log.other', 'log.other']);
	});

	it('reads the native log: spdlog prefix, 12-hour clock, warnings, no config event', async () => {
		const a = await run([
			'09/07/23 11:06:54.492 PM [19984|13416] [info] Datadog CLR Profiler 2.38.0 on Windows (amd64)',
			'09/07/23 11:06:54.493 PM [19984|13416] [info]   DD_ENV=andrew',
			'09/07/23 11:06:54.493 PM [19984|13416] [info] InitializeProfiler: Total integrations in profiler: 72',
			'09/07/23 11:06:54.494 PM [19984|13416] [warning] DATADOG TRACER DIAGNOSTICS - Failed to attach Instrumentation: unable to set event mask.',
			'[w3wp.exe] 3372: [info] *** JITCompilationStarted() replaced calls from A to B with calls to Datadog.Trace.ClrProfiler.Integrations.AdoNetIntegration.X() 1'
		]);
		expect(kinds(a)).toEqual(['integration.loaded', 'log.other']);
		expect(a.events.get(0).time).toBe(Date.UTC(2023, 8, 7, 23, 6, 54, 493));
		expect(a.events.get(0).zone).toBe('local');
		expect(a.info).toMatchObject({ env: 'andrew', tracerVersion: '2.38.0' });
	});

	it('ignores foreign lines and never throws on garbage', async () => {
		const a = await run([
			'[dd.trace 2022-04-20 07:28:22:788 +0000] [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 2 traces',
			'I, [2026-11-26T09:24:03.622616 #28348]  INFO -- ddtrace: [ddtrace] hello',
			'{"Timestamp":"x","MessageTemplate":',
			`${T} [ERR] Span closed: [s_id: `,
			`${T} [INF] DATADOG TRACER CONFIGURATION - {{{{"a`,
			'\uFFFD{ MachineName: '
		]);
		expect(a.counts['flush.error']).toBe(0);
		expect(a.counts['span.finish']).toBe(1);
		expect(a.counts['tracer.config']).toBe(1);
	});
});
