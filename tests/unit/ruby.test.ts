// Ruby parser: every prefix and message-template generation of FORMAT-ruby.md, multi-line records,
// attempt folding (R3), transport errors and their fields, pastes, foreign lines, robustness.
import { describe, expect, it } from 'vitest';
import { analyze, type LogEvent, type Span, type TracerInfo } from '../../src/lib/core/index';
import { rubyParser } from '../../src/lib/core/tracers/ruby';
import type { Emitter } from '../../src/lib/core/tracers/types';

interface Run {
	events: LogEvent[];
	spans: Omit<Span, 'file'>[];
	info: TracerInfo;
	config: Record<string, string>;
	kinds: string[];
}

/** Feeds lines straight into a session and collects what it emits. */
function run(text: string | string[]): Run {
	const lines = Array.isArray(text) ? text : text.split('\n');
	const r: Run = { events: [], spans: [], info: {}, config: {}, kinds: [] };
	const out: Emitter = {
		event(e) {
			const ev: LogEvent = {
				...e,
				id: r.events.length,
				file: 0,
				endLine: e.endLine ?? e.line,
				fields: e.fields ?? {}
			};
			r.events.push(ev);
			return ev;
		},
		span(s) {
			r.spans.push(s);
		},
		info(v) {
			for (const [k, val] of Object.entries(v)) {
				if (val !== undefined) (r.info as Record<string, string>)[k] = val;
			}
		},
		config(v) {
			Object.assign(r.config, v);
		}
	};
	const session = rubyParser.createSession(out);
	lines.forEach((l, i) => session.line(l, i + 1, false));
	session.end();
	r.kinds = r.events.map((e) => e.kind);
	return r;
}

function count(r: Run, kind: string): number {
	return r.kinds.filter((k) => k === kind).length;
}

const P0 = (l: string, ts = '2024-05-01T10:00:00.000100', pid = 42) =>
	`${l}, [${ts} #${pid}] ${{ D: 'DEBUG', I: ' INFO', W: ' WARN', E: 'ERROR' }[l]} -- ddtrace: [ddtrace] `;
const P2 = (l: string, ts = '2024-05-01T10:00:00.000100', pid = 42) =>
	P0(l, ts, pid).replaceAll('ddtrace', 'datadog');
const CALLER0 = "(/usr/local/bundle/gems/ddtrace-0.54.2/lib/ddtrace/tracer.rb:363:in `write') ";
const CALLER1 =
	"(/app/vendor/bundle/gems/ddtrace-1.23.0/lib/datadog/tracing/tracer.rb:516:in `write') ";
const CALLER2 =
	"(/usr/local/bundle/gems/datadog-2.41.0/lib/datadog/tracing/tracer.rb:600:in `write') ";
const CALLER34 =
	"(/usr/local/bundle/gems/datadog-2.45.0/lib/datadog/tracing/tracer.rb:600:in 'Datadog::Tracing::Tracer#write') ";
const BIG_TRACE = '142268824588990007340348790004696128343';
const BIG_SPAN = '18446744073709551557'; // > 2^64 - 64: would be rounded by Number()

function dumpSpan(o: {
	name: string;
	spanId: string;
	parentId: string;
	traceId: string;
	error?: number;
	duration?: string;
	last?: boolean;
	gen2?: boolean;
	resource?: string[];
}): string[] {
	const resource = o.resource ?? ['GET /items'];
	const lines = [
		` Name: ${o.name}`,
		`Span ID: ${o.spanId}`,
		`Parent ID: ${o.parentId}`,
		`Trace ID: ${o.traceId}`,
		'Type: ',
		'Service: demo-app',
		`Resource: ${resource[0]}`,
		...resource.slice(1),
		`Error: ${o.error ?? 0}`,
		'Start: 1714557600000000000',
		'End: 1714557600012500000',
		`Duration: ${o.duration ?? '0.0125'}`,
		'Tags: [',
		'   runtime-id => 919715e7-57dc-45a6-be73-08f3015b11a0,',
		"   error.stack => /app/x.rb:1:in `a'",
		"/app/y.rb:2:in `b']",
		o.gen2 ? 'Metrics: [ _dd.top_level => 1.0]' : 'Metrics: [ _dd.top_level => 1.0]'
	];
	if (o.gen2) lines.push(o.last ? 'Metastruct: []]' : 'Metastruct: [],');
	else lines[lines.length - 1] += o.last ? ']' : ',';
	if (!o.last) lines.push(' ');
	return lines;
}

describe('ruby detect', () => {
	it('decides on the Logger progname, the caller marker and the distinctive templates', () => {
		expect(
			rubyParser.detect(P0('D') + CALLER0 + 'Writing 1 spans (enabled: true)')
		).toBeGreaterThanOrEqual(10);
		expect(rubyParser.detect(P2('I') + 'DATADOG CONFIGURATION - CORE - {}')).toBeGreaterThanOrEqual(
			10
		);
		expect(rubyParser.detect('[ddtrace] ' + CALLER0 + 'hello')).toBeGreaterThanOrEqual(10);
		expect(
			rubyParser.detect('Internal error during HTTP transport request. Cause: x Location: y')
		).toBeGreaterThanOrEqual(10);
		expect(
			rubyParser.detect(
				'ERROR -- : Internal error during Datadog::Tracing::Transport::HTTP::Client request. Cause: x'
			)
		).toBeGreaterThanOrEqual(10);
		expect(rubyParser.detect('Flushing trace: [{"error":0,"span_id":1}]')).toBeGreaterThanOrEqual(
			10
		);
		expect(
			rubyParser.detect('> DATADOG TRACER CONFIGURATION - {"version":"0.45.0","lang":"ruby"}')
		).toBeGreaterThanOrEqual(10);
		expect(
			rubyParser.detect('457 | I, [2021-03-30T17:59:00.783870 #248]  INFO -- ddtrace: [ddtrace] x')
		).toBeGreaterThanOrEqual(10);
	});

	it('gives a plain Ruby Logger line only a hint', () => {
		const s = rubyParser.detect('I, [2024-05-01T10:00:00.000100 #1]  INFO -- : Started GET "/"');
		expect(s).toBeGreaterThan(0);
		expect(s).toBeLessThan(10);
	});

	it('returns 0 for other tracers and plain text', () => {
		for (const line of [
			'2026-11-26 09:52:53,839 DEBUG [ddtrace] [_logger.py:72] - ddtrace logs will be routed',
			'DATADOG TRACER CONFIGURATION - {"date":"2026-11-26T09:26:59.728Z","lang":"nodejs"}',
			'- DATADOG TRACER DIAGNOSTIC - Agent not reachable at http://127.0.0.1:8126.',
			'[dd.trace 2024-01-01] DEBUG datadog.trace.agent.ot.PendingTrace - Writing 2 spans to DDAgentWriter',
			'2022/02/26 11:53:02 Datadog Tracer v1.34.0 INFO: DATADOG TRACER CONFIGURATION {"lang":"Go"}',
			' Name: web.request',
			'',
			'hello world'
		]) {
			expect(rubyParser.detect(line)).toBe(0);
		}
	});
});

describe('ruby line prefixes', () => {
	it('reads time (local, microseconds), level, pid from the Logger head of both prognames', () => {
		const r = run([
			P0('E', '2021-03-30T17:59:00.780056', 248) +
				'(/app/gems/ddtrace-0.45.0/lib/ddtrace/transport/http/client.rb:35:in `rescue in send_request\') Internal error during HTTP transport request. Cause: Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for "127.0.0.1" port 8126) Location: /usr/lib/ruby/net/http.rb:949',
			P2('W', '2024-05-01T10:00:01.500000', 7) +
				'DATADOG ERROR - TRACING - Agent Error: {"agent_error":"x error_type:Errno::ECONNREFUSED error:Failed to open TCP connection to localhost:8126 (refused)"}'
		]);
		expect(r.kinds).toEqual(['flush.error', 'agent.error']);
		const [a, b] = r.events;
		expect(a.time).toBeCloseTo(Date.UTC(2021, 2, 30, 17, 59, 0, 780), 0);
		expect(a.zone).toBe('local');
		expect(a.level).toBe('error');
		expect(b.level).toBe('warn');
		expect(b.time).toBe(Date.UTC(2024, 4, 1, 10, 0, 1, 500));
		expect(r.info.tracerVersion).toBe('0.45.0');
	});

	it('accepts the Ruby 3.4 caller format and takes the version from the gem path', () => {
		const r = run([P2('D') + CALLER34 + 'Writing 3 spans (enabled: true)']);
		expect(r.kinds).toEqual(['trace.complete']);
		expect(r.events[0].fields.spans).toBe(3);
		expect(r.info.tracerVersion).toBe('2.45.0');
	});

	it('reads pastes: markdown quote, row numbers, viewer heads without "L, [ts #pid]", bare messages', () => {
		const r = run([
			"> ERROR -- ddtrace: [ddtrace] (/x/client.rb:35:in `send_request') Internal error during HTTP transport request. Cause: execution expired Location: /x.rb:1",
			'-- | --',
			'457 | W, [2021-03-30T17:59:00.783870 #248]  WARN -- ddtrace: [ddtrace] DATADOG TRACER DIAGNOSTIC - Agent Error: Datadog::Transport::InternalErrorResponse ok?: internal_error?:true, payload:, error_type:Net::OpenTimeout error:execution expired',
			"[ddtrace] (***/bundle/gems/ddtrace-0.48.0/lib/ddtrace/transport/http/client.rb:35:in `rescue in send_request') Internal error during HTTP transport request. Cause: Empty input at line 1",
			'Flushing trace: [{"error":0,"span_id":1472066385686673140,"trace_id":3514006046188043380}]'
		]);
		expect(r.kinds).toEqual(['flush.error', 'agent.error', 'flush.error', 'flush.attempt']);
		expect(r.events[0].level).toBe('error');
		expect(r.events[0].fields.reason).toBe('execution expired (timed out)');
		expect(r.events[1].time).toBeCloseTo(Date.UTC(2021, 2, 30, 17, 59, 0, 784), 0);
		expect(r.events[1].fields.errorClass).toBe('Net::OpenTimeout');
		expect(r.events[3].fields.traceIds).toEqual(['3514006046188043380']);
	});

	it('finds the Logger head behind a log collector prefix', () => {
		const r = run([
			"2024-05-01T10:00:00.000Z app[web.1]: E, [2024-05-01T10:00:00.000100 #9] ERROR -- ddtrace: [ddtrace] (/a.rb:1:in `x') Internal error during HTTP transport request. Cause: boom Location: /b.rb:2"
		]);
		expect(r.kinds).toEqual(['flush.error']);
		expect(r.events[0].level).toBe('error');
		expect(r.events[0].time).toBeCloseTo(Date.UTC(2024, 4, 1, 10, 0, 0, 0), 0);
	});

	it('counts known templates written through an app logger (no [ddtrace] marker), not app lines', () => {
		const r = run([
			'I, [2024-05-01T10:00:00.000100 #1]  INFO -- : Started GET "/" for 127.0.0.1',
			'E, [2024-05-01T10:00:00.000200 #1] ERROR -- : ActionController::RoutingError (No route)',
			'W, [2024-05-01T10:00:00.000300 #1]  WARN -- : Cache read: deprecated',
			'E, [2024-05-01T10:00:00.000400 #1] ERROR -- : Internal error during HTTP transport request. Cause: Failed to open TCP connection to agent:8126 (getaddrinfo: Name or service not known) Location: x',
			'Cache read: views/foo'
		]);
		expect(r.kinds).toEqual(['flush.error']);
		expect(r.events[0].fields.endpoint).toBe('http://agent:8126');
	});

	it('makes WARN/ERROR tracer lines log.other and never DEBUG/INFO ones', () => {
		const r = run([
			P0('W') + 'Unable to patch Datadog::Contrib::Rails::Integration (Available?: false)',
			P0('E') + "(/a.rb:1:in `x') Failed to apply rails patch. Cause: boom Location: /b.rb:1",
			P0('D') + 'Profiling is disabled',
			P0('I') + 'Reporting remaining data... Press ctrl+c to exit immediately.',
			P0('D') + "Dropping trace. Payload too large: '[...]'"
		]);
		expect(r.kinds).toEqual(['log.other', 'log.other']);
		expect(r.events[0].summary).toMatch(/Unable to patch/);
	});
});

describe('ruby span dumps', () => {
	it('1.x+: Writing and the dump are one record; one span.finish per span, ids kept exact', () => {
		const lines = [
			P2('D') + CALLER2 + 'Writing 2 spans (enabled: true)',
			'[',
			...dumpSpan({
				name: 'db.query',
				spanId: BIG_SPAN,
				parentId: '2',
				traceId: BIG_TRACE,
				gen2: true
			}),
			...dumpSpan({
				name: 'web.request',
				spanId: '2',
				parentId: '0',
				traceId: BIG_TRACE,
				error: 1,
				gen2: true,
				last: true
			}),
			'',
			P2('D') +
				'Starting thread for: #<Datadog::Tracing::Workers::AsyncTransport:0x00007efe08a75c58>'
		];
		const r = run(lines);
		expect(r.kinds).toEqual(['trace.complete', 'span.finish', 'span.finish']);
		const [complete, first, second] = r.events;
		expect(complete.line).toBe(1);
		expect(complete.endLine).toBe(lines.length - 2); // not the empty line after the dump
		expect(first.line).toBe(3);
		expect(r.spans[0]).toMatchObject({
			traceId: BIG_TRACE,
			spanId: BIG_SPAN,
			parentId: '2',
			name: 'db.query',
			service: 'demo-app',
			resource: 'GET /items',
			error: false,
			event: first.id
		});
		expect(r.spans[0].start).toBeCloseTo(1714557600000, 3);
		expect(r.spans[0].duration).toBeCloseTo(12.5, 6);
		expect(r.spans[1]).toMatchObject({ spanId: '2', parentId: '0', error: true, event: second.id });
		expect(second.fields.error).toBe(true);
		expect(r.spans[0].type).toBeUndefined();
	});

	it('0.x: the dump is its own `[` record after Writing', () => {
		const r = run([
			P0('D') + CALLER0 + 'Writing 1 spans (enabled: true)',
			P0('D') + "(/gems/ddtrace-0.54.2/lib/ddtrace/tracer.rb:366:in `write') [",
			...dumpSpan({ name: 'web.request', spanId: '11', parentId: '0', traceId: '22', last: true }),
			'',
			P0('D') + 'Writing 1 spans (enabled: false)'
		]);
		expect(r.kinds).toEqual(['trace.complete', 'span.finish', 'trace.complete']);
		expect(r.spans[0]).toMatchObject({ spanId: '11', traceId: '22', name: 'web.request' });
		expect(r.events[2].fields.enabled).toBe(false);
	});

	it('reads integer-nanosecond durations (<= 0.3x) and multi-line resources', () => {
		const r = run([
			P0('D') + 'Writing 1 spans (enabled: true)',
			P0('D') + '[',
			...dumpSpan({
				name: 'sql',
				spanId: '5',
				parentId: '0',
				traceId: '6',
				duration: '12500000',
				resource: ['SELECT *', '  FROM users', '  WHERE id = 1'],
				last: true
			})
		]);
		expect(r.spans[0].duration).toBeCloseTo(12.5, 6);
		expect(r.spans[0].resource).toBe('SELECT *');
	});

	it('keeps every span of a dump longer than the record line cap', () => {
		const n = 60;
		const lines = [P2('D') + 'Writing 60 spans (enabled: true)', '['];
		for (let i = 0; i < n; i++) {
			lines.push(
				...dumpSpan({
					name: `s${i}`,
					spanId: String(1000 + i),
					parentId: '0',
					traceId: '77',
					gen2: true,
					last: i === n - 1
				})
			);
		}
		lines.push('');
		expect(lines.length).toBeGreaterThan(400);
		const r = run(lines);
		expect(count(r, 'span.finish')).toBe(n);
		expect(count(r, 'trace.complete')).toBe(1);
		expect(r.spans[n - 1].spanId).toBe(String(1000 + n - 1));
	});

	it('stops the dump at the empty line: app output after it is not part of the record', () => {
		const r = run([
			P0('D') + 'Writing 1 spans (enabled: true)',
			'[',
			...dumpSpan({ name: 'a', spanId: '1', parentId: '0', traceId: '9', last: true }),
			'',
			' Name: not-a-span',
			'Span ID: 999'
		]);
		expect(count(r, 'span.finish')).toBe(1);
	});

	it('counts the span records of a truncated dump that carry an id', () => {
		const r = run([
			P0('D') + 'Writing 1 spans (enabled: true)',
			P0('D') + '[',
			' Name: operation_name',
			'Span ID: 2361826171763954817',
			'Parent ID: 0',
			'Trace ID: 3477994216835371584',
			'Type:'
		]);
		expect(r.kinds).toEqual(['trace.complete', 'span.finish']);
		expect(r.spans[0].spanId).toBe('2361826171763954817');
	});
});

describe('ruby flush attempts (R3)', () => {
	const flushJson = (ids: string[], trace = '3881062186536059454') =>
		'Flushing trace: [' +
		ids
			.map((id) => `{"error":0,"name":"x","span_id":${id},"trace_id":${trace},"parent_id":0}`)
			.join(',') +
		']';
	const flushHash = (ids: string[], trace = '3399069674716961623') =>
		'Flushing trace: [' +
		ids
			.map((id) => `{"start"=>1, "span_id"=>${id}, "parent_id"=>0, "trace_id"=>${trace}}`)
			.join(', ') +
		']';

	it('reads JSON (1.x) and Ruby Hash#inspect (2.x) payloads', () => {
		const r = run([
			P0('D', '2024-05-01T10:00:00.000000') + flushJson(['1', '2']),
			P2('D', '2024-05-01T10:00:02.000000') + flushHash(['3', '4', '5'])
		]);
		expect(r.kinds).toEqual(['flush.attempt', 'flush.attempt']);
		expect(r.events[0].fields).toMatchObject({
			traces: 1,
			spans: 2,
			traceIds: ['3881062186536059454']
		});
		expect(r.events[1].fields).toMatchObject({
			traces: 1,
			spans: 3,
			traceIds: ['3399069674716961623']
		});
	});

	it('folds the Flushing lines of one batch into one attempt', () => {
		const r = run([
			P0('D', '2024-05-01T10:00:00.000000') + flushJson(['1'], '11'),
			P0('D', '2024-05-01T10:00:00.004000') + flushJson(['2', '3'], '12'),
			'app output between',
			P0('D', '2024-05-01T10:00:00.009000') + flushJson(['4'], '13')
		]);
		expect(r.kinds).toEqual(['flush.attempt']);
		expect(r.events[0].fields).toMatchObject({ traces: 3, spans: 4, traceIds: ['11', '12', '13'] });
		expect(r.events[0].endLine).toBe(4);
	});

	it('starts a new attempt after a transport result, after a pause, and per process', () => {
		const r = run([
			P0('D', '2024-05-01T10:00:00.000000', 1) + flushJson(['1']),
			P0('E', '2024-05-01T10:00:00.002000', 1) +
				'Internal error during HTTP transport request. Cause: Failed to open TCP connection to 127.0.0.1:8126 (Connection refused) Location: x',
			P0('D', '2024-05-01T10:00:00.004000', 1) + flushJson(['2']),
			P0('D', '2024-05-01T10:00:01.004000', 1) + flushJson(['3']),
			P0('D', '2024-05-01T10:00:01.005000', 2) + flushJson(['4'])
		]);
		expect(r.kinds).toEqual([
			'flush.attempt',
			'flush.error',
			'flush.attempt',
			'flush.attempt',
			'flush.attempt'
		]);
	});

	it('without times, only directly consecutive Flushing lines fold', () => {
		const r = run([
			flushJson(['1']),
			flushJson(['2']),
			'Writing 1 spans (enabled: true)',
			flushJson(['3'])
		]);
		expect(r.kinds).toEqual(['flush.attempt', 'trace.complete', 'flush.attempt']);
		expect(r.events[0].fields.traces).toBe(2);
	});

	it('names the attempt a failure ends, so another process keeps its presumed success', async () => {
		const text = [
			P0('D', '2024-05-01T10:00:00.000000', 1) + flushJson(['1']),
			P0('D', '2024-05-01T10:00:00.001000', 2) + flushJson(['2']),
			P0('E', '2024-05-01T10:00:00.002000', 2) +
				"(/a.rb:1:in `x') Internal error during HTTP transport request. Cause: Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for 127.0.0.1:8126) Location: x"
		].join('\n');
		const a = await analyze({ name: 'pasted.txt', data: text });
		expect(a.tracer).toBe('ruby');
		const byLine = Object.fromEntries(a.flushes.list.map((f) => [f.line, f.status]));
		expect(byLine).toEqual({ 1: 'presumed', 2: 'failed' });
		const err = a.events.find((e) => e.kind === 'flush.error')!;
		expect(err.fields.attemptEvent).toBe(a.events.find((e) => e.line === 2)!.id);
	});

	it('a silent success is presumed accepted (logsSuccess: false)', async () => {
		expect(rubyParser.logsSuccess).toBe(false);
		const a = await analyze({
			name: 'pasted.txt',
			data: P0('D') + CALLER1 + flushJson(['1'])
		});
		expect(a.flushes.list[0].status).toBe('presumed');
		expect(a.verdict.status).toBe('ok');
	});
});

describe('ruby transport errors', () => {
	const cases: [string, string, string | undefined][] = [
		[
			'0.x / 1.0',
			'Internal error during HTTP transport request. Cause: Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for "127.0.0.1" port 8126) Location: /usr/lib/ruby/net/http.rb:949',
			undefined
		],
		[
			'1.1-1.14',
			'Internal error during Datadog::Transport::HTTP::Client request. Cause: Errno::ECONNREFUSED Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for 127.0.0.1:8126) Location: /x.rb:1',
			'Errno::ECONNREFUSED'
		],
		[
			'1.15-2.22',
			'Internal error during Datadog::Tracing::Transport::HTTP::Client request. Cause: Errno::ECONNREFUSED Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for 127.0.0.1:8126) Location: /x.rb:1',
			'Errno::ECONNREFUSED'
		],
		[
			'2.23+',
			'Internal error during Datadog::Tracing::Transport::HTTP::Client request. Cause: Errno::ECONNREFUSED: Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for 127.0.0.1:8126) Location: /x.rb:1',
			'Errno::ECONNREFUSED'
		]
	];
	for (const [gen, msg, cls] of cases) {
		it(`${gen}: one flush.error with reason, endpoint and class`, () => {
			const r = run([P0('E') + "(/gems/x/client.rb:37:in `rescue in send_request') " + msg]);
			expect(r.kinds).toEqual(['flush.error']);
			const f = r.events[0].fields;
			expect(f.endpoint).toBe('http://127.0.0.1:8126');
			expect(f.reason).toMatch(/Failed to open TCP connection to 127\.0\.0\.1:8126/);
			expect(f.reason).not.toMatch(/Location:/);
			expect(f.location).toBe(msg.slice(msg.indexOf('Location: ') + 10));
			expect(f.errorClass).toBe(cls);
		});
	}

	it('the DEBUG repeat of a failure is a failure too; a unix socket is named', () => {
		const r = run([
			P0('E') +
				'Internal error during HTTP transport request. Cause: No such file or directory - connect(2) for /var/run/datadog/apm.socket Location: x',
			P0('D') +
				'Internal error during HTTP transport request. Cause: No such file or directory - connect(2) for /var/run/datadog/apm.socket Location: x'
		]);
		expect(r.kinds).toEqual(['flush.error', 'flush.error']);
		expect(r.events[1].level).toBe('debug');
		expect(r.events[0].fields.endpoint).toBe('unix:///var/run/datadog/apm.socket');
	});

	it('other clients are agent.error (R5): core /info, remote config, OpenFeature', () => {
		const r = run([
			P2('D') +
				'Internal error during Datadog::Core::Transport::HTTP::Client request. Cause: Errno::ECONNREFUSED: Failed to open TCP connection to 127.0.0.1:8126 (x) Location: y',
			P0('D') +
				'Internal error during Datadog::Core::Remote::Transport::HTTP::Client request. Cause: Errno::ECONNREFUSED Failed to open TCP connection to 127.0.0.1:8126 (x) Location: y',
			P2('D') + 'Internal error during request. Cause: SocketError: boom Location: y'
		]);
		expect(r.kinds).toEqual(['agent.error', 'agent.error', 'agent.error']);
		expect(r.events[0].fields.component).toBe('agent');
		expect(r.events[1].fields.component).toBe('remote configuration');
		expect(r.events[0].fields.endpoint).toBe('http://127.0.0.1:8126');
	});

	it('IO transport failures are local (R6): log.other at ERROR, nothing at DEBUG', () => {
		const r = run([
			P0('E') + 'Internal error during IO transport request. Cause: closed stream Location: x',
			P0('D') + 'Internal error during IO transport request. Cause: closed stream Location: x'
		]);
		expect(r.kinds).toEqual(['log.other']);
	});

	it('2.24+ `send_request :traces failed` is a refused payload with its HTTP status', async () => {
		const text = [
			P2('D') + CALLER2 + flushHashLine(),
			P2('D') +
				'send_request :traces failed: Datadog::Core::Transport::HTTP::Adapters::Net::Response ok?:false, code:413, unsupported?:false, not_found?:false, client_error?:true, server_error?:false, internal_error?:false, payload:too big, http_response:#<Net::HTTPPayloadTooLarge 413 Payload Too Large readbody=true>',
			P2('D') +
				'send_request :telemetry failed: Datadog::Core::Transport::HTTP::Adapters::Net::Response ok?:false, code:500, payload:'
		].join('\n');
		const r = run(text);
		expect(r.kinds).toEqual(['flush.attempt', 'flush.error', 'agent.error']);
		expect(r.events[1].fields.status).toBe(413);
		expect(r.events[2].fields.status).toBe(500);
		const a = await analyze({ name: 'pasted.txt', data: text });
		expect(a.verdict.status).toBe('rejected');
		expect(a.verdict.summary).toMatch(/HTTP 413/);
	});

	it('reads the status from a 0.x response inspect (http_response)', () => {
		const r = run([
			P0('W') +
				'DATADOG TRACER DIAGNOSTIC - Agent Error: Datadog::Transport::HTTP::Adapters::Net::Response ok?:false unsupported?:false, not_found?:false, client_error?:true, server_error?:false, internal_error?:false, payload:, http_response:#<Net::HTTPBadRequest 400 Bad Request readbody=true>'
		]);
		expect(r.kinds).toEqual(['agent.error']);
		expect(r.events[0].fields.status).toBe(400);
	});

	it('the writer dropping items is one flush.error with the count', () => {
		const r = run([
			P2('W') +
				"Error during traces flush: dropped 3 items. Cause: NoMethodError: undefined method `x' Location: /a.rb:1",
			P0('E') + 'Error while writing traces: dropped 1 items. Cause: boom Location: /a.rb:1'
		]);
		expect(r.kinds).toEqual(['flush.error', 'flush.error']);
		expect(r.events[0].fields).toMatchObject({ traces: 3, errorClass: 'NoMethodError' });
	});

	it('telemetry, DogStatsD, remote config, profiling failures are agent.error', () => {
		const r = run([
			P2('D') +
				'Failed to send telemetry for event `app-started`: Datadog::Core::Transport::InternalErrorResponse ok?:',
			P0('D') + 'Unable to send telemetry event to agent: Connection refused',
			P0('E') +
				'Failed to send count stat. Cause: Errno::ECONNREFUSED Connection refused Source: x',
			P2('W') + 'agent unreachable: cannot negotiate /v0.7/config',
			P0('E') + 'agent reachable but does not report /v0.7/config',
			P0('E') +
				'Failed to report profiling data (agent: http://127.0.0.1:8126/): server returned unexpected HTTP 503 status code',
			P2('D') + 'agent reachable and reports /v0.7/config',
			P2('D') + 'Telemetry sent for event `app-started`'
		]);
		expect(r.kinds).toEqual(Array(6).fill('agent.error'));
		expect(r.events.map((e) => e.fields.component)).toEqual([
			'telemetry',
			'telemetry',
			'DogStatsD',
			'remote configuration',
			'remote configuration',
			'profiling'
		]);
	});
});

describe('ruby 0.1-0.25 HTTPTransport', () => {
	const OLD = "(/gems/ddtrace-0.20.0/lib/ddtrace/transport.rb:214:in `log_error_once') ";

	it('logs each POST, its success, and bare error messages from log_error_once', async () => {
		const text = [
			P0('D', '2019-01-01T10:00:00.000000') + 'Sending data from process: 42',
			P0('D', '2019-01-01T10:00:00.010000') + 'Payload correctly sent to the trace agent.',
			P0('D', '2019-01-01T10:00:01.000000') + 'Sending data from process: 42',
			P0('E', '2019-01-01T10:00:01.010000') +
				OLD +
				'Failed to open TCP connection to localhost:8126 (Connection refused - connect(2) for "localhost" port 8126)',
			P0('D', '2019-01-01T10:00:02.000000') + 'Sending data from process: 42',
			P0('D', '2019-01-01T10:00:02.010000') + OLD + 'Client error: Request Entity Too Large',
			P0('E', '2019-01-01T10:00:03.000000') +
				'Error during services flush: dropped 1 items. Cause: boom'
		].join('\n');
		const r = run(text);
		expect(r.kinds).toEqual([
			'flush.attempt',
			'flush.ok',
			'flush.attempt',
			'flush.error',
			'flush.attempt',
			'flush.error',
			'agent.error'
		]);
		expect(r.events[3].fields.endpoint).toBe('http://localhost:8126');
		expect(r.events[5].fields.status).toBe(413);
		expect(r.events[6].fields.component).toBe('services');
		const a = await analyze({ name: 'pasted.txt', data: text });
		expect(a.flushes.list.map((f) => f.status)).toEqual(['ok', 'failed', 'failed']);
	});

	it('up to 0.15 the rescue of post and handle_response logs the failure itself', () => {
		const at = (line: number, method: string) =>
			`(/bundle/ruby/2.2.0/gems/ddtrace-0.7.2/lib/ddtrace/transport.rb:${line}:in \`${method}') `;
		const r = run([
			P0('D', '2017-09-28T10:00:00.000000') + 'Sending data from process: 42',
			// datadog-trace-agent#317 pasted it without the `E, [ts #pid] ERROR -- ` head
			'ddtrace: [ddtrace] ' + at(73, 'rescue in post') + 'Net::ReadTimeout',
			P0('D', '2017-09-28T10:00:01.000000') + 'Sending data from process: 42',
			P0('D', '2017-09-28T10:00:01.010000') +
				at(129, 'handle_response') +
				'calling the endpoint but received 404; downgrading the API',
			P0('E', '2017-09-28T10:00:01.020000') +
				at(134, 'handle_response') +
				'Server error: Internal Server Error'
		]);
		expect(r.kinds).toEqual(['flush.attempt', 'flush.error', 'flush.attempt', 'flush.error']);
		expect(r.events[1].fields.reason).toBe('Net::ReadTimeout');
		expect(r.events[3].fields.status).toBe(500);
	});

	it('a message from elsewhere that happens to be an exception text is not a flush error', () => {
		const r = run([
			P0('D') + "(/gems/ddtrace-0.20.0/lib/ddtrace/span.rb:9:in `x') Failed to open TCP connection"
		]);
		expect(r.kinds).toEqual([]);
	});
});

describe('ruby caller and message split by a log viewer', () => {
	const NEGOTIATION =
		"(/usr/local/bundle/gems/ddtrace-1.22.0/lib/datadog/core/remote/negotiation.rb:50:in `endpoint?')";

	it('takes the message from the next non-blank line (dd-trace-rb#3649)', () => {
		const r = run([
			'ERROR -- ddtrace: [ddtrace] ' + NEGOTIATION,
			'',
			'agent reachable but does not report /v0.7/config'
		]);
		expect(r.kinds).toEqual(['agent.error']);
		expect(r.events[0].fields.component).toBe('remote configuration');
		expect(r.events[0].endLine).toBe(3);
	});

	it('a split Writing line still reads its span dump; a full record after a split head is its own', () => {
		const r = run([
			P0('D') + CALLER1.trimEnd(),
			'Writing 1 spans (enabled: true)',
			...dumpSpan({ name: 'rack.request', spanId: '7', parentId: '0', traceId: '9', last: true }),
			'',
			P0('E') + NEGOTIATION,
			P0('E') + 'agent unreachable: cannot negotiate /v0.7/config'
		]);
		expect(r.kinds).toEqual(['trace.complete', 'span.finish', 'log.other', 'agent.error']);
	});
});

describe('ruby through a JSON log formatter', () => {
	it('reads escaped Flushing payloads and configuration', () => {
		const r = run([
			'{"level":"DEBUG","time":"2024-05-01T10:00:00Z","message":"[ddtrace] Flushing trace: [{\\"span_id\\":1,\\"trace_id\\":99},{\\"span_id\\":2,\\"trace_id\\":99}]"}',
			'{"level":"INFO","message":"[ddtrace] DATADOG CONFIGURATION - CORE - {\\"version\\":\\"1.9.0\\",\\"service\\":\\"svc\\"}"}'
		]);
		expect(r.kinds).toEqual(['flush.attempt', 'tracer.config']);
		expect(r.events[0].fields).toMatchObject({ spans: 2, traceIds: ['99'] });
		expect(r.events[0].level).toBe('debug');
		expect(r.info).toMatchObject({ tracerVersion: '1.9.0', service: 'svc' });
	});
});

function flushHashLine(): string {
	return 'Flushing trace: [{"start"=>1, "span_id"=>7, "parent_id"=>0, "trace_id"=>8}]';
}

describe('ruby configuration and diagnostics', () => {
	it('0.x DATADOG TRACER CONFIGURATION: one record, raw keys, normalised info', () => {
		const r = run([
			P0('I') +
				'DATADOG TRACER CONFIGURATION - {"date":"2026-11-26T09:24:03+00:00","version":"0.54.2","lang":"ruby","lang_version":"3.1.2","service":"demo-app","env":"prod","dd_version":"1.2","agent_url":"http://127.0.0.1:8126?timeout=30","agent_error":"boom","debug":true,"sample_rate":0.5}'
		]);
		expect(r.kinds).toEqual(['tracer.config']); // agent_error inside the JSON is a field (R8)
		expect(r.config.agent_url).toBe('http://127.0.0.1:8126?timeout=30');
		expect(r.config.debug).toBe('true');
		expect(r.info).toMatchObject({
			tracerVersion: '0.54.2',
			agentUrl: 'http://127.0.0.1:8126',
			service: 'demo-app',
			env: 'prod',
			version: '1.2',
			lang: 'ruby',
			langVersion: '3.1.2',
			sampleRate: '0.5'
		});
		expect(r.events[0].fields.agentError).toBe('boom');
	});

	it('1.0-1.13 DATADOG CONFIGURATION, 1.14+ CORE and TRACING (two records), 2.x INTEGRATIONS', () => {
		const r = run([
			P0('I') + 'DATADOG CONFIGURATION - {"version":"1.5.0","service":"a"}',
			P0('I') + 'DATADOG CONFIGURATION - CORE - {"version":"1.23.0","env":null,"service":"b"}',
			P0('I') +
				'DATADOG CONFIGURATION - TRACING - {"enabled":true,"agent_url":"http://h:8126?timeout=30"}',
			P2('D') + 'DATADOG CONFIGURATION - TRACING INTEGRATIONS - {"rails":{"enabled":true}}'
		]);
		expect(r.kinds).toEqual(Array(4).fill('tracer.config'));
		expect(r.events.map((e) => e.fields.part)).toEqual([
			undefined,
			'CORE',
			'TRACING',
			'TRACING INTEGRATIONS'
		]);
		expect(r.events[3].fields.integrations).toEqual(['rails']);
		expect(r.config['integrations.rails']).toBe('{"enabled":true}');
		expect(r.info.tracerVersion).toBe('1.23.0');
		expect(r.info.env).toBeUndefined(); // null is not a value
		expect(r.info.agentUrl).toBe('http://h:8126');
	});

	it('a pretty-printed JSON over many lines is one record', () => {
		const r = run([
			P0('I') + 'DATADOG TRACER CONFIGURATION - ',
			'{',
			'    "version": "0.45.0",',
			'    "service": "dg_app",',
			'    "nested": { "a": "}" }',
			'}',
			'app line after the config',
			P0('E') + 'Internal error during HTTP transport request. Cause: x Location: y'
		]);
		expect(r.kinds).toEqual(['tracer.config', 'flush.error']);
		expect(r.events[0].endLine).toBe(6);
		expect(r.config.service).toBe('dg_app');
	});

	it('a cut JSON still gives the keys it holds', () => {
		const r = run([
			P0('I') +
				'DATADOG TRACER CONFIGURATION - {"date":"2021-03-30T17:59:00+00:00","version":"0.45.0","lang":"r'
		]);
		expect(r.kinds).toEqual(['tracer.config']);
		expect(r.info.tracerVersion).toBe('0.45.0');
	});

	it('Agent Error summaries of every generation are agent.error; other diagnostics log.other', () => {
		const r = run([
			P0('W') +
				'DATADOG TRACER DIAGNOSTIC - Agent Error: Datadog::Transport::InternalErrorResponse ok?: internal_error?:true, payload:, error_type:Errno::ECONNREFUSED error:Failed to open TCP connection to 127.0.0.1:8126 (Connection refused)',
			P0('W') + 'DATADOG DIAGNOSTIC - Agent Error: Datadog::Transport::InternalErrorResponse ok?:',
			P0('W') +
				'DATADOG ERROR - TRACING - Agent Error: {"agent_error":"Datadog::Core::Transport::InternalErrorResponse ok?:, error_type:Errno::ECONNREFUSED error:Failed to open TCP connection to 127.0.0.1:8126 (Connection refused)"}',
			P0('W') + 'DATADOG TRACER DIAGNOSTIC - Integration Error: rails: boom'
		]);
		expect(r.kinds).toEqual(['agent.error', 'agent.error', 'agent.error', 'log.other']);
		expect(r.events[2].fields.reason).toMatch(/^Datadog::Core::Transport::InternalErrorResponse/);
		expect(r.events[2].fields.errorClass).toBe('Errno::ECONNREFUSED');
		expect(r.events[2].fields.endpoint).toBe('http://127.0.0.1:8126');
	});

	it('the docs example renamed to APM SDK DIAGNOSTIC is still the Agent diagnostic (R8)', () => {
		// DataDog/documentation connection_errors.md, Ruby tab: no tracer prints this, users copy it
		const r = run([
			P0('W') +
				'DATADOG APM SDK DIAGNOSTIC - Agent Error: Datadog::Transport::InternalErrorResponse ok?: unsupported?:, not_found?:, client_error?:, server_error?:, internal_error?:true, payload:, error_type:Errno::ECONNREFUSED error:Failed to open TCP connection to 127.0.0.1:8126 (Connection refused - connect(2) for "127.0.0.1" port 8126)'
		]);
		expect(r.kinds).toEqual(['agent.error']);
		expect(r.events[0].fields.errorClass).toBe('Errno::ECONNREFUSED');
	});
});

describe('ruby robustness', () => {
	it('never throws on garbage and odd fragments', () => {
		const junk = [
			'\u0000\u0001binary',
			'[ddtrace]',
			'[ddtrace] (',
			"[ddtrace] (no close') ",
			'E, [',
			'E, [x #] ERROR -- ',
			'DATADOG CONFIGURATION - ',
			'DATADOG ERROR - ',
			'Flushing trace: ',
			'Flushing trace: [{"span_id"=>',
			'Writing 99999999999 spans (enabled: true)',
			'Internal error during ',
			'send_request :traces failed: ',
			'{'.repeat(1000),
			'"'.repeat(1000),
			' Name:',
			'Span ID:',
			'Duration: NaN',
			'Start: 99999999999999999999999999999'
		];
		expect(() => run(junk)).not.toThrow();
		expect(() => run([P0('D') + '[', ...junk, ''])).not.toThrow();
		expect(() => run([P0('I') + 'DATADOG TRACER CONFIGURATION - ', ...junk])).not.toThrow();
		for (const j of junk) expect(() => rubyParser.detect(j)).not.toThrow();
	});

	it('stays linear on a 10 MB line', () => {
		const huge = [
			P0('D') + 'Flushing trace: [' + '{"span_id"=>1, '.repeat(600_000) + ']',
			P0('I') + 'DATADOG TRACER CONFIGURATION - {"a":"' + 'x'.repeat(10_000_000),
			'[ddtrace] ' + '(' + ':in '.repeat(2_000_000),
			'E, [' + ' #1'.repeat(3_000_000),
			'Internal error during HTTP transport request. Cause: ' + 'TCP connection to '.repeat(500_000)
		];
		const t0 = performance.now();
		const r = run(huge);
		for (const line of huge) rubyParser.detect(line);
		expect(performance.now() - t0).toBeLessThan(5000);
		expect(r.events[0].fields.spans).toBe(600_000);
	});
});
