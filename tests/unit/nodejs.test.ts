// Node.js tracer (dd-trace-js 1.x–6.x) parser: every message-template generation of
// FORMAT-nodejs.md, multi-line grouping, the fields the verdict reads, and foreign lines.
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type EventKind, type LogEvent } from '../../src/lib/core/index';
import { nodejsParser } from '../../src/lib/core/tracers/nodejs';
import { nanosToMillis } from '../../src/lib/core/time';

async function run(lines: string[], forced = true): Promise<Analysis> {
	return analyze(
		{ name: 'pasted.txt', data: lines.join('\n') + '\n' },
		forced ? { tracer: 'nodejs' } : {}
	);
}

function counts(a: Analysis): Partial<Record<EventKind, number>> {
	return Object.fromEntries(Object.entries(a.counts).filter(([, n]) => n > 0));
}

function only(a: Analysis, kind: EventKind): LogEvent {
	const found = a.events.filter((e) => e.kind === kind);
	expect(found).toHaveLength(1);
	return found[0];
}

const REQUEST = (count: number, version = '5.132.0', path = '/v0.4/traces') =>
	`Request to the agent: {"path":"${path}","method":"PUT","headers":{"Content-Type":"application/msgpack","Datadog-Meta-Tracer-Version":"${version}","X-Datadog-Trace-Count":"${count}","Datadog-Meta-Lang":"nodejs","Datadog-Meta-Lang-Version":"v20.20.2","Datadog-Meta-Lang-Interpreter":"v8"},"url":"http://127.0.0.1:8126/"}`;
const REQUEST_1X = `Request to the agent: {"path":"/v0.4/traces","method":"PUT","headers":{"Content-Type":"application/msgpack","Datadog-Meta-Tracer-Version":"1.7.1","X-Datadog-Trace-Count":"10","Datadog-Meta-Lang":"nodejs"},"protocol":"http:","hostname":"agent.local","port":"8126"}`;
const RESPONSE = 'Response from the agent: {"rate_by_service":{"service:,env:":1}}';
const ECONNREFUSED = [
	'Error: connect ECONNREFUSED 127.0.0.1:8126',
	'    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
	'    at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17) {',
	'  errno: -111,',
	"  code: 'ECONNREFUSED',",
	"  syscall: 'connect',",
	"  address: '127.0.0.1',",
	'  port: 8126',
	'}'
];

// two spans of one chunk (5.x field order), the first carrying the 128-bit trace id's high bits
const START = '1795684988574105123'; // > 2^53: a Number would round it
const PAYLOAD_5X =
	'Encoding payload: [' +
	'{"trace_id":"346e582b797733e3","span_id":"27ba35f6cfb88c85","parent_id":"0000000000000000","name":"web.request","resource":"GET /users/:id","service":"shop","type":"web","error":1,' +
	'"meta":{"_dd.p.tid":"6b07fa7c00000000","_dd.p.dm":"-0","service":"shop","http.url":"http://x/y?a={\\"b\\":1}","name":"not-the-span-name"},' +
	`"metrics":{"_dd.measured":1,"start":5},"start":${START},"duration":1222656},` +
	'{"trace_id":"346e582b797733e3","span_id":"4033d4d2fd99071a","parent_id":"27ba35f6cfb88c85","name":"custom.work","resource":"compute-fail","service":"shop","error":1,' +
	'"meta":{"error.message":"simulated \\"failure\\"","error.stack":"Error: x\\n    at y (/app/a.js:1:1)\\"}"},' +
	'"metrics":{},"start":1795684988574105000,"duration":638428}]';

describe('detection', () => {
	it('decides on distinctive markers of every generation', () => {
		for (const line of [
			PAYLOAD_5X,
			'Encoding trace: [{"trace_id":"3ccac0382f0414a3","span_id":"1"}]',
			REQUEST(3),
			RESPONSE,
			'DATADOG TRACER CONFIGURATION - {"version":"6.21.0","lang":"nodejs"}',
			'DATADOG TRACER INTEGRATIONS LOADED - ["fs","net"]',
			'Error sending payload to the agent (status code: 500)',
			'Error: Network error trying to reach the agent: connect ECONNREFUSED 127.0.0.1:8126',
			'    at Writer._sendPayload (/srv/app/node_modules/dd-trace/packages/dd-trace/src/exporters/agent/writer.js:44:13)',
			'{"name":"dd-trace","level":10,"msg":"Encoding payload: [{\\"trace_id\\":\\"2260376189d8f114\\"}]"}'
		]) {
			expect(nodejsParser.detect(line), line).toBeGreaterThanOrEqual(10);
		}
	});

	it('gives nothing for other tracers and applications', () => {
		for (const line of [
			'DATADOG TRACER CONFIGURATION - {"date":"2024-01-02","lang":"python","version":"2.1.0"}',
			'2024-01-02 10:11:12,345 DEBUG [ddtrace.internal.writer] [writer.py:200] - sent 1.2KB in 0.1s',
			'[dd.trace 2024-01-02 10:11:12:345 +0000] [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - Successfully sent 1 traces',
			'Error: something in the app',
			'[app] server listening on 127.0.0.1:3000',
			''
		]) {
			expect(nodejsParser.detect(line), line).toBe(0);
		}
	});

	it('detects a pasted log without a file name', async () => {
		const a = await run([RESPONSE], false);
		expect(a.tracer).toBe('nodejs');
	});
});

describe('span data', () => {
	it('one trace.complete per line, one span.finish and one span per element, ids exact', async () => {
		const a = await run([PAYLOAD_5X]);
		expect(counts(a)).toEqual({ 'trace.complete': 1, 'span.finish': 2 });
		expect(a.spans).toHaveLength(2);
		const [web, work] = a.spans;
		// the 128-bit id: high bits from meta _dd.p.tid (only on the first span) for the whole chunk
		expect(web.traceId).toBe('6b07fa7c00000000346e582b797733e3');
		expect(work.traceId).toBe('6b07fa7c00000000346e582b797733e3');
		expect(web.spanId).toBe('27ba35f6cfb88c85');
		expect(work.parentId).toBe('27ba35f6cfb88c85');
		// top-level keys only: meta's "name"/"service" and metrics' "start" are not the span's
		expect(web.name).toBe('web.request');
		expect(web.resource).toBe('GET /users/:id');
		expect(web.service).toBe('shop');
		expect(web.type).toBe('web');
		expect(web.error).toBe(true);
		// ns start converted from its digits, never through a rounded Number
		expect(web.start).toBe(nanosToMillis(START));
		expect(web.start).not.toBe(Number(START) / 1e6);
		expect(web.duration).toBeCloseTo(1.222656, 9);
		const finish = a.events.filter((e) => e.kind === 'span.finish');
		expect(finish[1].fields.errorMessage).toBe('simulated "failure"');
		expect(finish[1].fields.error).toBe(true);
		expect(a.traces).toHaveLength(1);
		expect(a.spans.get(a.traces.get(0).rootSpan!).name).toBe('web.request');
	});

	it('reads 1.x `Encoding trace:` with service last and error.msg', async () => {
		const a = await run([
			'Encoding trace: [{"trace_id":"3ccac0382f0414a3","span_id":"321e2881bc4dbe60","parent_id":"78dfe8d767b128cf","name":"custom.work","resource":"compute","error":1,"meta":{"error.msg":"boom","service":"x"},"metrics":{},"start":1795684956000000000,"duration":5000000,"service":"log-gen-app","type":"custom"}]',
			'Adding encoded trace to buffer: dd 00 00 00 02 8b a8 74 72'
		]);
		expect(counts(a)).toEqual({ 'trace.complete': 1, 'span.finish': 1 });
		expect(a.spans.get(0).service).toBe('log-gen-app');
		expect(a.spans.get(0).type).toBe('custom');
		expect(a.spans.get(0).duration).toBe(5);
		expect(a.events.get(1).fields.errorMessage).toBe('boom');
	});

	it('skips nested span links and meta_struct without taking their ids for spans', async () => {
		const a = await run([
			'Encoding payload: [{"trace_id":"00000000000000aa","span_id":"00000000000000bb","parent_id":"0000000000000000","name":"a","resource":"a","error":0,"meta":{},"meta_struct":{"x":{"y":[1,{"z":"}"}]}},"metrics":{},"start":1,"duration":2,"links":[{"trace_id":"ffffffffffffffff","span_id":"eeeeeeeeeeeeeeee","attributes":{"k":"v"}}],"service":"svc"}]'
		]);
		expect(a.spans).toHaveLength(1);
		expect(a.spans.get(0).traceId).toBe('00000000000000aa');
		expect(a.spans.get(0).service).toBe('svc');
	});

	it('groups a pretty-printed payload (DD_TRACE_BEAUTIFUL_LOGS) into one record', async () => {
		const a = await run([
			'Encoding payload: [',
			'  {',
			'    "trace_id": "1111111111111111",',
			'    "span_id": "2222222222222222",',
			'    "parent_id": "0000000000000000",',
			'    "name": "web.request",',
			'    "error": 0,',
			'    "meta": {},',
			'    "metrics": {},',
			'    "start": 1795684988574105000,',
			'    "duration": 1000',
			'  }',
			']'
		]);
		expect(counts(a)).toEqual({ 'trace.complete': 1, 'span.finish': 1 });
		expect(a.events.get(0).endLine).toBe(13);
		expect(a.spans.get(0).spanId).toBe('2222222222222222');
	});

	it('reads span data JSON-escaped inside a bunyan msg', async () => {
		const msg = JSON.stringify({
			name: 'dd-trace',
			level: 10,
			msg: PAYLOAD_5X,
			time: '2026-11-26T09:26:53.775Z',
			v: 0
		});
		const a = await run([msg], false);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'trace.complete': 1, 'span.finish': 2 });
		expect(a.spans.get(0).start).toBe(nanosToMillis(START));
		expect(a.events.get(0).time).toBe(Date.parse('2026-11-26T09:26:53.775Z'));
	});

	it('span events stay lean: the Span holds the detail, the event its ids and a shared summary', async () => {
		const a = await run([PAYLOAD_5X]);
		const [tc, web, work] = a.events;
		const id = '6b07fa7c00000000346e582b797733e3';
		expect(tc.summary).toBe('Trace handed to the writer: 2 spans (web.request)');
		expect(tc.fields).toEqual({ traceId: id, spans: 2, root: 'web.request' });
		expect(web.summary).toBe('web.request GET /users/:id (shop) error');
		expect(web.fields).toEqual({ traceId: id, spanId: '27ba35f6cfb88c85', error: true });
		expect(work.summary).toBe('custom.work compute-fail (shop) error: simulated "failure"');
		expect(a.spans.map((s) => s.event)).toEqual([web.id, work.id]);
		expect(a.spans.get(1)).toMatchObject({
			name: 'custom.work',
			resource: 'compute-fail',
			type: undefined
		});
		expect(a.spans.get(1).duration).toBeCloseTo(0.638428, 9);
	});

	it('keeps every id exact across many payloads (shared id strings are looked up by content)', async () => {
		const hex = (n: number) => n.toString(16).padStart(16, '0');
		const lines: string[] = [];
		for (let i = 1; i <= 40_000; i++) {
			const root = `{"trace_id":"${hex(i)}","span_id":"${hex(i)}","parent_id":"0000000000000000","name":"n${i % 7}","resource":"r","service":"s","error":0,"meta":{"_dd.p.tid":"${hex(i % 3)}"},"metrics":{},"start":${i}000000,"duration":${i}}`;
			const child = `{"trace_id":"${hex(i)}","span_id":"${hex(i + 1e9)}","parent_id":"${hex(i)}","name":"c","resource":"r","service":"s","error":0,"meta":{},"metrics":{},"start":${i}000001,"duration":1}`;
			lines.push(`Encoding payload: [${root},${child}]`);
		}
		const a = await run(lines);
		expect(a.traces).toHaveLength(40_000);
		const want: string[] = [];
		for (let i = 1; i <= 40_000; i++) {
			const traceId = (i % 3 ? hex(i % 3) : '') + hex(i);
			want.push(`${traceId} ${hex(i)} 0000000000000000 n${i % 7} ${i} ${i / 1e6}`);
			want.push(`${traceId} ${hex(i + 1e9)} ${hex(i)} c ${i + 1e-6} ${1e-6}`);
		}
		const got = a.spans.map(
			(s) => `${s.traceId} ${s.spanId} ${s.parentId} ${s.name} ${s.start} ${s.duration}`
		);
		expect(got).toEqual(want);
		expect(a.traces.get(9).rootSpan).toBe(18);
	});

	it('reads escaped values as JSON does, whatever the values before them', async () => {
		const span = (id: string, resource: string) =>
			`{"trace_id":"00000000000000aa","span_id":"${id}","parent_id":"0000000000000000","name":"n","resource":"${resource}","service":"s","error":0,"meta":{},"metrics":{},"start":1,"duration":2}`;
		const a = await run([
			`Encoding payload: [${span('00000000000000b1', 'a\\\\b')},${span('00000000000000b2', 'a\\b')},${span('00000000000000b3', 'a\\b')},${span('00000000000000b4', 'q\\"x')}]`
		]);
		expect(a.spans.map((s) => s.resource)).toEqual(['a\\b', 'a\b', 'a\b', 'q"x']);
	});

	it('reads the usual 5.x span and any other key order or escaping of it alike', async () => {
		// the usual shape has a fast path; another order, escapes or an odd id take the general one
		interface S {
			trace: string;
			span: string;
			parent: string;
			name: string;
			resource: string;
			type?: string;
			error: number;
			meta: string;
		}
		const usual = (s: S) =>
			`{"trace_id":"${s.trace}","span_id":"${s.span}","parent_id":"${s.parent}","name":"${s.name}","resource":"${s.resource}","service":"shop"${s.type ? `,"type":"${s.type}"` : ''},"error":${s.error},"meta":{${s.meta}},"metrics":{"_dd.measured":1},"start":${START},"duration":1222656}`;
		const reordered = (s: S) =>
			`{"span_id":"${s.span}","trace_id":"${s.trace}","parent_id":"${s.parent}","name":"${s.name}","resource":"${s.resource}","error":${s.error},"meta":{${s.meta}},"metrics":{"_dd.measured":1},"start":${START},"duration":1222656,"service":"shop"${s.type ? `,"type":"${s.type}"` : ''}}`;
		// 1.x–4.x: service and type after the numbers (a fast path too)
		const late = (s: S) =>
			`{"trace_id":"${s.trace}","span_id":"${s.span}","parent_id":"${s.parent}","name":"${s.name}","resource":"${s.resource}","error":${s.error},"meta":{${s.meta}},"metrics":{"_dd.measured":1},"start":${START},"duration":1222656,"links":[],"service":"shop"${s.type ? `,"type":"${s.type}"` : ''}}`;
		const spans: S[] = [
			// a short span id read by the general path, then a parent that starts with it
			{
				trace: '00000000000000aa',
				span: '123',
				parent: '0000000000000000',
				name: 'root',
				resource: 'GET',
				error: 0,
				meta: '"_dd.p.tid":"6b07fa7c00000000"'
			},
			{
				trace: '00000000000000aa',
				span: '00000000000000b1',
				parent: '1230000000000000',
				name: 'web.request',
				resource: 'GET /a',
				type: 'web',
				error: 1,
				meta: '"error.message":"boom"'
			},
			// same length and same first, middle and last characters as the names before: not them
			{
				trace: '00000000000000aa',
				span: '00000000000000b2',
				parent: '00000000000000b1',
				name: 'web.rexuest',
				resource: 'GET /a',
				type: 'web',
				error: 0,
				meta: ''
			},
			{
				trace: '00000000000000aa',
				span: '00000000000000b3',
				parent: '00000000000000b1',
				name: 'a\\"b',
				resource: 'q\\nx',
				error: 10,
				meta: '"x_dd.p.tid":"ffffffffffffffff"'
			}
		];
		const read = async (line: string) => {
			const a = await run([line]);
			return {
				spans: a.spans.map((s) => ({ ...s, line: 0 })),
				events: a.events.map((e) => [e.kind, e.summary, e.fields])
			};
		};
		const fast = await read(`Encoding payload: [${spans.map(usual).join(',')}]`);
		expect(fast.spans.map((s) => [s.spanId, s.parentId, s.name, s.error])).toEqual([
			['123', '0000000000000000', 'root', false],
			['00000000000000b1', '1230000000000000', 'web.request', true],
			['00000000000000b2', '00000000000000b1', 'web.rexuest', false],
			['00000000000000b3', '00000000000000b1', 'a"b', true]
		]);
		expect(fast.spans[0].traceId).toBe('6b07fa7c0000000000000000000000aa');
		expect(fast.spans[3].resource).toBe('q\nx');
		expect(await read(`Encoding payload: [${spans.map(reordered).join(',')}]`)).toEqual(fast);
		expect(await read(`Encoding payload: [${spans.map(late).join(',')}]`)).toEqual(fast);
	});

	it('a trace discarded while 8 requests are open is a dropped trace.complete with its spans', async () => {
		const discarded = PAYLOAD_5X.replace(
			'Encoding payload: ',
			'Maximum number of active requests reached. Payload discarded: '
		);
		const a = await run([
			discarded,
			// the data-streams writer's words with its own payload object: not spans
			'Maximum number of active requests reached. Payload discarded: {"Env":"prod","Service":"shop","Stats":[]}',
			'Maximum number of active requests reached: payload is discarded.'
		]);
		expect(counts(a)).toEqual({ 'trace.complete': 1, 'span.finish': 2 });
		const trace = only(a, 'trace.complete');
		expect(trace.fields.dropped).toBe('too many requests to the Agent open');
		expect(trace.fields.spans).toBe(2);
		expect(trace.summary).toBe(
			'Trace discarded by the writer (too many requests to the Agent open): 2 spans (web.request)'
		);
		expect(a.spans.length).toBe(2);
	});

	it('an empty payload hands over no trace', async () => {
		const a = await run(['Encoding payload: []']);
		expect(counts(a)).toEqual({});
	});

	it('keeps the spans read before a line was cut', async () => {
		const a = await run([PAYLOAD_5X.slice(0, PAYLOAD_5X.indexOf('{"trace_id"', 40) + 30)]);
		expect(a.counts['span.finish']).toBe(1);
		expect(a.counts['trace.complete']).toBe(1);
	});
});

describe('flushes', () => {
	it('a request is an attempt with traces and endpoint; a response is its ok', async () => {
		const a = await run([REQUEST(11), RESPONSE]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.ok': 1 });
		const attempt = only(a, 'flush.attempt');
		expect(attempt.fields.traces).toBe(11);
		expect(attempt.fields.endpoint).toBe('http://127.0.0.1:8126/v0.4/traces');
		expect(a.flushes.list[0].status).toBe('ok');
		expect(a.info.tracerVersion).toBe('5.132.0');
		expect(a.verdict.status).toBe('ok');
	});

	it('1.x requests name protocol, host and port instead of a url; v0.5 counts too', async () => {
		const a = await run([REQUEST_1X, RESPONSE, REQUEST(2, '5.132.0', '/v0.5/traces')]);
		const attempts = a.events.filter((e) => e.kind === 'flush.attempt');
		expect(attempts.map((e) => e.fields.endpoint)).toEqual([
			'http://agent.local:8126/v0.4/traces',
			'http://127.0.0.1:8126/v0.5/traces'
		]);
	});

	it('requests to other endpoints and data-streams responses are not trace flushes', async () => {
		const a = await run([
			REQUEST(0, '5.132.0', '/v0.6/stats'),
			'Response from the agent: {}',
			REQUEST(1),
			RESPONSE
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.ok': 1 });
	});

	it('a unix socket names the Agent without the path; a missing socket is unreachable', async () => {
		const missing = [
			'Error: Error sending payload to the agent (status code: undefined)',
			'    at /app/node_modules/dd-trace/packages/dd-trace/src/exporters/agent/writer.js:45:13',
			'Error: connect ENOENT /var/run/datadog/apm.socket',
			'    at PipeConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {',
			'  errno: -2,',
			"  code: 'ENOENT',",
			"  syscall: 'connect',",
			"  address: '/var/run/datadog/apm.socket'",
			'}'
		];
		// 5.x+ print the socket as a url, 2.x–4.x as socketPath
		const url = REQUEST(11).replace(
			'"http://127.0.0.1:8126/"',
			'"unix:///var/run/datadog/apm.socket"'
		);
		const socketPath = REQUEST(11, '2.0.0').replace(
			'"url":"http://127.0.0.1:8126/"',
			'"socketPath":"/var/run/datadog/apm.socket"'
		);
		for (const request of [url, socketPath]) {
			const a = await run([request, ...missing]);
			expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
			expect(only(a, 'flush.attempt').fields.endpoint).toBe('unix:///var/run/datadog/apm.socket');
			expect(only(a, 'flush.error').fields.reason).toBe(
				'connect ENOENT /var/run/datadog/apm.socket'
			);
			expect(a.verdict.status).toBe('unreachable');
			expect(a.verdict.summary).toContain('The Agent at unix:///var/run/datadog/apm.socket could');
		}
	});

	it('2.x/3.x: the bare cause after a request is one flush.error', async () => {
		const a = await run([REQUEST(11, '3.58.0'), ...ECONNREFUSED, REQUEST(10, '3.58.0'), RESPONSE]);
		expect(counts(a)).toEqual({ 'flush.attempt': 2, 'flush.error': 1, 'flush.ok': 1 });
		const err = only(a, 'flush.error');
		expect(err.line).toBe(2);
		expect(err.endLine).toBe(10);
		expect(err.fields.reason).toBe('connect ECONNREFUSED 127.0.0.1:8126');
		expect(err.fields.code).toBe('ECONNREFUSED');
		expect(err.fields.endpoint).toBe('http://127.0.0.1:8126/v0.4/traces');
		expect(a.verdict.status).toBe('recovered');
	});

	it('3.x/4.x: a bare TLS error (https:// URL, plain-http Agent) with a blank line is one flush.error', async () => {
		const eproto = [
			'Error: write EPROTO 800CE9359D7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:',
			'',
			'    at WriteWrap.onWriteComplete [as oncomplete] (node:internal/stream_base_commons:95:16)',
			'    at WriteWrap.callbackTrampoline (node:internal/async_hooks:130:17) {',
			'  errno: -71,',
			"  code: 'EPROTO',",
			"  syscall: 'write'",
			'}'
		];
		const request = REQUEST(11, '4.1.0').replace(
			'http://127.0.0.1:8126/',
			'https://127.0.0.1:8126/'
		);
		const a = await run([request, ...eproto, request, ...eproto]);
		expect(counts(a)).toEqual({ 'flush.attempt': 2, 'flush.error': 2 });
		const errs = a.events.filter((e) => e.kind === 'flush.error');
		expect(errs.map((e) => [e.line, e.endLine, e.fields.code])).toEqual([
			[2, 9, 'EPROTO'],
			[11, 18, 'EPROTO']
		]);
		expect(errs[0].fields.endpoint).toBe('https://127.0.0.1:8126/v0.4/traces');
		expect(a.verdict.status).toBe('failed');
	});

	it('2.x: an HTTP error whose body ends in a newline is one record with status and endpoint', async () => {
		const a = await run([
			REQUEST(11, '2.46.0'),
			'Error: Error from http://127.0.0.1:8126/v0.4/traces: 404 Not Found. Response from the endpoint: "404 page not found',
			'"',
			'    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/common/request.js:111:23)',
			'    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {',
			'  status: 404',
			'}'
		]);
		const err = only(a, 'flush.error');
		expect(err.endLine).toBe(7);
		expect(err.fields.status).toBe(404);
		expect(err.fields.endpoint).toBe('http://127.0.0.1:8126/v0.4/traces');
		expect(a.verdict.status).toBe('rejected');
	});

	it('2.x: a socket hang up after a request is a flush.error', async () => {
		const a = await run([
			REQUEST(11, '2.46.0'),
			'Error: socket hang up',
			'    at Socket.socketCloseListener (node:_http_client:477:27) {',
			"  code: 'ECONNRESET'",
			'}'
		]);
		expect(only(a, 'flush.error').fields.reason).toBe('socket hang up');
	});

	it('4.x: `Error: Error sending payload…` with the logger stack plus its cause is ONE flush.error', async () => {
		const a = await run([
			REQUEST(11, '4.55.0'),
			'Error: Error sending payload to the agent (status code: undefined)',
			'    at /app/node_modules/dd-trace/packages/dd-trace/src/log/writer.js:69:46',
			'    at Object.error (/app/node_modules/dd-trace/packages/dd-trace/src/log/index.js:101:20)',
			...ECONNREFUSED
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([2, 13]);
		expect(err.fields.reason).toBe('connect ECONNREFUSED 127.0.0.1:8126');
		expect(err.fields.status).toBeUndefined();
		expect(a.verdict.status).toBe('unreachable');
	});

	it('5.x/6.x: the plain line plus a NoTransmitError cause is ONE flush.error with the status', async () => {
		const a = await run([
			REQUEST(11),
			'Error sending payload to the agent (status code: 413)',
			'NoTransmitError: Error from http://127.0.0.1:8126/v0.4/traces: 413 Payload Too Large. Response from the endpoint: "Request Entity Too Large',
			'"',
			'    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/common/request.js:172:23) {',
			'  status: 413',
			'}',
			REQUEST(10),
			'Error sending payload to the agent (status code: 413)',
			'NoTransmitError: Error from http://127.0.0.1:8126/v0.4/traces: 413 Payload Too Large. Response from the endpoint: "x"',
			'    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/common/request.js:172:23) {',
			'  status: 413',
			'}'
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 2, 'flush.error': 2 });
		const errs = a.events.filter((e) => e.kind === 'flush.error');
		expect(errs.map((e) => [e.line, e.endLine, e.fields.status])).toEqual([
			[2, 7, 413],
			[9, 13, 413]
		]);
		expect(errs[0].fields.endpoint).toBe('http://127.0.0.1:8126/v0.4/traces');
		expect(errs[0].fields.traces).toBe(11);
		expect(errs[0].fields.reason).toBe('HTTP 413 Payload Too Large: Request Entity Too Large');
		expect(a.verdict.summary).toContain('HTTP 413');
	});

	it('1.x: `Network error trying to reach the agent` and `Error from the agent` are flush errors', async () => {
		const a = await run([
			REQUEST_1X,
			'Error: Network error trying to reach the agent: connect ECONNREFUSED 127.0.0.1:8126',
			'    at ClientRequest.firstRequestErrorHandler (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/agent/request.js:64:16)',
			REQUEST_1X,
			'Error: Error from the agent: 500 Internal Server Error',
			'    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/agent/request.js:23:23) {',
			'  status: 500',
			'}'
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 2, 'flush.error': 2 });
		const errs = a.events.filter((e) => e.kind === 'flush.error');
		expect(errs[0].fields.reason).toBe('connect ECONNREFUSED 127.0.0.1:8126');
		expect(errs[1].fields.status).toBe(500);
	});

	it('pino 5.x/6.x: a level-50 msg line and the err line after it are one flush.error with time', async () => {
		const a = await run([
			`{"level":10,"time":1795685229829,"pid":1,"hostname":"vm","name":"dd-trace","msg":${JSON.stringify(REQUEST(11))}}`,
			'{"level":50,"time":1795685229836,"pid":1,"hostname":"vm","name":"dd-trace","msg":"Error sending payload to the agent (status code: 500)"}',
			'{"level":30,"time":1795685229837,"pid":1,"hostname":"vm","name":"app","msg":"GET /"}',
			'{"level":50,"time":1795685229838,"pid":1,"hostname":"vm","name":"dd-trace","err":{"type":"NoTransmitError","message":"Error from http://127.0.0.1:8126/v0.4/traces: 500 Internal Server Error. Response from the endpoint: \\"Internal Server Error\\n\\"","stack":"Error: Error from http://127.0.0.1:8126/v0.4/traces: 500\\n    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/common/request.js:172:23)","status":500},"msg":"Error from http://127.0.0.1:8126/v0.4/traces: 500 Internal Server Error."}'
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([2, 4]);
		expect(err.fields.status).toBe(500);
		expect(err.time).toBe(1795685229836);
		expect(err.level).toBe('error');
	});

	it('bunyan 2.x: a bare err object after a request is a flush.error', async () => {
		const a = await run([
			`{"name":"dd-trace","hostname":"vm","pid":1,"level":10,"msg":${JSON.stringify(REQUEST(11, '2.46.0'))},"time":"2026-11-26T09:27:03.400Z","v":0}`,
			'{"name":"dd-trace","hostname":"vm","pid":1,"level":50,"err":{"message":"connect ECONNREFUSED 127.0.0.1:8126","name":"Error","stack":"Error: connect ECONNREFUSED 127.0.0.1:8126\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)","code":"ECONNREFUSED"},"msg":"connect ECONNREFUSED 127.0.0.1:8126","time":"2026-11-26T09:27:03.402Z","v":0}'
		]);
		const err = only(a, 'flush.error');
		expect(err.fields.reason).toBe('connect ECONNREFUSED 127.0.0.1:8126');
		expect(err.zone).toBe('Z');
	});

	it('the Datadog docs example (pretty-printed bunyan JSON) is one flush.error', async () => {
		const a = await run(
			[
				'{',
				'\t"name": "dd-trace",',
				'\t"level": 50,',
				'\t"err": {',
				'\t\t"message": "Network error trying to reach the agent: connect ECONNREFUSED 127.0.0.1:8126",',
				'\t\t"name": "Error",',
				'\t\t"stack": "Error: Network error trying to reach the agent: connect ECONNREFUSED 127.0.0.1:8126\\n    at ClientRequest.req.on.e (/path/to/dd-trace/src/platform/node/request.js:44:33)"',
				'\t},',
				'\t"msg": "Network error trying to reach the agent: connect ECONNREFUSED 127.0.0.1:8126",',
				'\t"time": "2019-08-06T20:48:27.769Z",',
				'\t"v": 0',
				'}'
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'flush.error': 1 });
		expect(a.events.get(0).endLine).toBe(12);
	});
});

describe('other Agent errors', () => {
	it('DogStatsD: header, stack and cause are ONE agent.error; the metric batch is not an event', async () => {
		const a = await run([
			REQUEST(11),
			'Flushing 3 metrics via HTTP',
			'Error: DogStatsDClient: HTTP error from agent: connect ECONNREFUSED 127.0.0.1:8126',
			'    at /app/node_modules/dd-trace/packages/dd-trace/src/dogstatsd.js:350:13',
			...ECONNREFUSED,
			'Sending to DogStatsD: datadog.dogstatsd.client.metrics:0|c|#service:x|c:in-1',
			'datadog.dogstatsd.client.aggregated_context:0|c|#service:x|c:in-1',
			'',
			RESPONSE
		]);
		// the open trace request is not failed by the DogStatsD error (R5)
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'agent.error': 1, 'flush.ok': 1 });
		const e = only(a, 'agent.error');
		expect([e.line, e.endLine]).toEqual([3, 13]);
		expect(e.fields.reason).toContain('ECONNREFUSED');
		expect(a.flushes.list[0].status).toBe('ok');
	});

	it('[RC] Error in request: 5.x plain line and 4.x Error with stack, each with its cause', async () => {
		const a = await run([
			'[RC] Error in request',
			...ECONNREFUSED,
			'Error: [RC] Error in request',
			'    at /app/node_modules/dd-trace/packages/dd-trace/src/log/writer.js:69:46',
			...ECONNREFUSED
		]);
		expect(counts(a)).toEqual({ 'agent.error': 2 });
	});

	it('DIAGNOSTIC Agent Error is its own agent.error beside the flush.error (R8)', async () => {
		const a = await run([
			REQUEST(11, '3.58.0'),
			'DATADOG TRACER CONFIGURATION - {"version":"3.58.0","lang":"nodejs","agent_url":"http://127.0.0.1:8126/","agent_error":"connect ECONNREFUSED 127.0.0.1:8126"}',
			'DATADOG TRACER DIAGNOSTIC - Agent Error: Error from http://127.0.0.1:8126/v0.4/traces: 500 Internal Server Error. Response from the endpoint: "oops',
			'"',
			...ECONNREFUSED
		]);
		expect(counts(a)).toEqual({
			'flush.attempt': 1,
			'tracer.config': 1,
			'agent.error': 1,
			'flush.error': 1
		});
		const ae = only(a, 'agent.error');
		expect([ae.line, ae.endLine]).toEqual([3, 4]);
		expect(ae.fields.status).toBe(500);
		expect(only(a, 'tracer.config').fields.agent_error).toBe('connect ECONNREFUSED 127.0.0.1:8126');
	});

	it('a lone connection error with no open request is an agent.error', async () => {
		const a = await run(ECONNREFUSED);
		expect(counts(a)).toEqual({ 'agent.error': 1 });
	});

	it('an IPv6 Agent: its bare and bracketed addresses are the Agent, another IPv6 host is not', async () => {
		const request = REQUEST(11, '3.9.0').replace(
			'http://127.0.0.1:8126/',
			'http://[fd00::5]:8126/'
		);
		const refused = (peer: string) => [
			`Error: connect ECONNREFUSED ${peer}`,
			'    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {',
			"  code: 'ECONNREFUSED'",
			'}'
		];
		// 3.x looks the bracketed host up (remote configuration, before any trace request)
		const lookup = ['Error: getaddrinfo ENOTFOUND [fd00::5]', "  code: 'ENOTFOUND'", '}'];
		const a = await run([
			request,
			...refused('fd00::7:5432'),
			...refused('fd00::5:8126'),
			...lookup
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1, 'agent.error': 1 });
		expect(only(a, 'flush.error').line).toBe(6);
		expect(only(a, 'agent.error').line).toBe(10);
	});

	it('a profile upload failure is agent.error, never a failed trace payload (R5)', async () => {
		// the profiler logs what its exporter throws (issue 3190), and 1.x–5.x log a failed upload
		// attempt as `Error from the agent: ${err.message}`, while an open trace request waits
		const a = await run([
			REQUEST(2, '4.2.0'),
			'TypeError [ERR_INVALID_PROTOCOL]: Protocol "https:" not supported. Expected "http:"',
			'    at new NodeError (node:internal/errors:387:5)',
			'    at request (node:http:97:10)',
			'    at sendRequest (/app/node_modules/dd-trace/packages/dd-trace/src/profiling/exporters/agent.js:17:15)',
			'Error from the agent: connect ECONNREFUSED 127.0.0.1:8126',
			RESPONSE
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'agent.error': 2, 'flush.ok': 1 });
		expect(a.events.filter((e) => e.kind === 'agent.error').map((e) => e.line)).toEqual([2, 6]);
		expect(a.flushes.list[0].status).toBe('ok');
	});

	it('1.x `Error from the agent: <status>` stays the failed trace payload', async () => {
		const a = await run([
			REQUEST_1X,
			'Error: Error from the agent: 500 Internal Server Error',
			'    at IncomingMessage.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/agent/request.js:23:23)'
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		expect(only(a, 'flush.error').fields.status).toBe(500);
	});
});

describe('configuration, integrations, warnings', () => {
	it('tracer.config from a nodejs configuration line, with info and raw config', async () => {
		const a = await run([
			'DATADOG TRACER CONFIGURATION - {"date":"2026-11-26T09:23:08.126Z","version":"6.21.0","lang":"nodejs","lang_version":"22.23.3","env":"research","service":"log-gen-app","agent_url":"http://127.0.0.1:8126/","debug":true,"sampling_rules":[],"tags":{"service":"log-gen-app"},"dd_version":"1.0.0"}'
		]);
		expect(counts(a)).toEqual({ 'tracer.config': 1 });
		expect(a.info).toMatchObject({
			tracerVersion: '6.21.0',
			service: 'log-gen-app',
			env: 'research',
			agentUrl: 'http://127.0.0.1:8126/',
			version: '1.0.0',
			lang: 'nodejs',
			langVersion: '22.23.3'
		});
		expect(a.config.tags).toBe('{"service":"log-gen-app"}');
		expect(a.config.debug).toBe('true');
	});

	it('a configuration wrapped over several lines is one record; another language is not ours', async () => {
		const a = await run([
			'DATADOG TRACER CONFIGURATION - {"date":"2026-11-26T09:23:08.126Z","version":"6.21.0",',
			'"lang":"nodejs","service":"wrapped",',
			'"env":"prod"}',
			'DATADOG TRACER CONFIGURATION - {"lang":"python","version":"2.0.0"}'
		]);
		expect(counts(a)).toEqual({ 'tracer.config': 1 });
		expect(a.events.get(0).endLine).toBe(3);
		expect(a.info.service).toBe('wrapped');
	});

	it('a cut configuration still gives its simple fields', async () => {
		const a = await run([
			'DATADOG TRACER CONFIGURATION - {"version":"5.132.0","lang":"nodejs","service":"cut","tags":{"a":'
		]);
		expect(only(a, 'tracer.config').fields.service).toBe('cut');
	});

	it('INTEGRATIONS LOADED is one integration.loaded with the names', async () => {
		const a = await run(['DATADOG TRACER INTEGRATIONS LOADED - ["fs","net","dns","http"]']);
		expect(only(a, 'integration.loaded').fields.integrations).toEqual(['fs', 'net', 'dns', 'http']);
	});

	it('warnings of the tracer are log.other; application warnings and lines are nothing', async () => {
		const a = await run([
			'(node:20193) Warning: The dd-trace@v2.x release line reached end of life on 2023-08-15 and will no longer receive updates. Please upgrade.',
			'(Use `node --trace-warnings ...` to show where the warning was created)',
			'(node:20193) [DEP0005] DeprecationWarning: Buffer() is deprecated due to security and usability issues.',
			"Warning: Package 'express' was loaded before dd-trace! This may break instrumentation.",
			"DATADOG TRACER DIAGNOSTIC - Warning: Package 'pino' was loaded before dd-trace! This may break instrumentation.",
			'[app] server listening on 127.0.0.1:39249',
			'{"name":"app","hostname":"vm","pid":1,"level":50,"msg":"request failed","time":"2026-11-26T09:27:02.954Z","v":0}',
			'Error: the application failed',
			'    at handler (/srv/app/routes/users.js:10:11)',
			'    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
			'Inject into carrier: {"x-datadog-trace-id":"4380524935110726819"}.'
		]);
		expect(counts(a)).toEqual({ 'log.other': 3 });
		expect(a.events.get(0).endLine).toBe(2);
	});

	it('5.x log.error records of the tracer with their cause are one log.other', async () => {
		const a = await run([
			'Error: Error activating plugin http',
			'    at PluginManager._activate (/srv/node_modules/dd-trace/packages/dd-trace/src/plugin_manager.js:120:13)',
			'TypeError: Cannot read properties of undefined',
			'    at HttpPlugin.configure (/srv/node_modules/dd-trace/packages/datadog-plugin-http/src/index.js:9:9)'
		]);
		expect(counts(a)).toEqual({ 'log.other': 1 });
		expect(a.events.get(0).endLine).toBe(4);
	});
});

describe('shipper prefixes and application lines', () => {
	it('reads lines behind docker/kubectl timestamps and CRI tags, with their times', async () => {
		const a = await run(
			[
				`2026-11-26T09:28:30.100000000Z stdout F ${REQUEST(11, '3.58.0')}`,
				...ECONNREFUSED.map((l) => `2026-11-26T09:28:30.200000000Z stderr F ${l}`),
				`2026-11-26T09:28:31.000Z ${PAYLOAD_5X}`
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({
			'flush.attempt': 1,
			'flush.error': 1,
			'trace.complete': 1,
			'span.finish': 2
		});
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([2, 10]);
		expect(err.time).toBe(Date.parse('2026-11-26T09:28:30.200Z'));
		expect(err.zone).toBe('Z');
	});

	it("reads lines behind AWS Lambda's time, request id and level (CloudWatch)", async () => {
		const id = 'c0ffee00-1234-4567-89ab-def012345678';
		const a = await run(
			[
				`2026-11-26T09:28:30.100Z\t${id}\tINFO\t${REQUEST(11, '5.132.0')}`,
				// console.error: the prefix on the first line only, the stack as printed
				`2026-11-26T09:28:30.200Z\t${id}\tERROR\t${ECONNREFUSED[0]}`,
				...ECONNREFUSED.slice(1),
				`2026-11-26T09:28:31.000Z\tundefined\tDEBUG\t${PAYLOAD_5X}`
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({
			'flush.attempt': 1,
			'flush.error': 1,
			'trace.complete': 1,
			'span.finish': 2
		});
		expect(only(a, 'flush.error').time).toBe(Date.parse('2026-11-26T09:28:30.200Z'));
	});

	it('reads lines behind a PM2 column', async () => {
		const a = await run([`0|api  | ${REQUEST(3)}`, `0|api  | ${RESPONSE}`], false);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.ok': 1 });
	});

	it("reads lines behind a runner's [label] (concurrently, npm workspaces; issue 2382)", async () => {
		const a = await run(
			[
				'[api-server] DATADOG TRACER CONFIGURATION - {"version":"3.3.0","lang":"nodejs","agent_url":"http://127.0.0.1:8126"}',
				`[api-server] ${REQUEST(3, '3.3.0')}`,
				...ECONNREFUSED.map((l) => `[api-server] ${l}`),
				// a log4js time is no runner label
				'[2020-07-02 14:51:16.421] [INFO] app - Express server listening on port 9080'
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'tracer.config': 1, 'flush.attempt': 1, 'flush.error': 1 });
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([3, 11]);
		expect(err.fields.code).toBe('ECONNREFUSED');
	});

	it('keeps the indentation of stack lines behind a docker timestamp', async () => {
		// docker --timestamps puts one space before the line: an Error's frames and props follow it
		const a = await run(
			[
				`2026-11-26T09:28:30.100Z ${REQUEST(11, '3.58.0')}`,
				...ECONNREFUSED.map((l) => `2026-11-26T09:28:30.200Z ${l}`)
			],
			false
		);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([2, 10]);
		expect(err.fields.code).toBe('ECONNREFUSED');
	});

	it("reads a custom logger's label and frames whose indentation a viewer trimmed (issue 5111)", async () => {
		const t = '2025-01-13T22:08:19.985Z';
		const a = await run(
			[
				`${t} DD_TRACE-DEBUG: ${REQUEST(2, '5.29.0')}`,
				`${t} DD_TRACE-INFO: Disabling plugin: undefined`,
				`${t} DD_TRACE-ERROR: Error: Error sending payload to the agent (status code: 400)`,
				`${t}    at /app/node_modules/dd-trace/packages/dd-trace/src/log/writer.js:69:46`,
				`${t}    at withNoop (/app/node_modules/dd-trace/packages/dd-trace/src/log/writer.js:21:3)`,
				`${t} DD_TRACE-ERROR: NoTransmitError: Error from http://127.0.0.1:8126/v0.4/traces: 400 Bad Request. Response from the endpoint: "msgp: too few bytes"`,
				`${t}    at ClientRequest.<anonymous> (/app/node_modules/dd-trace/packages/dd-trace/src/exporters/common/request.js:163:18)`
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		const err = only(a, 'flush.error');
		expect([err.line, err.endLine]).toEqual([3, 7]);
		expect(err.fields.status).toBe(400);
		expect(err.fields.reason).toContain('msgp: too few bytes');
		// a label is no message of its own, and `Error: ` is never a label
		expect(
			nodejsParser.detect(
				`${t} DD_TRACE-ERROR: Error: Error sending payload to the agent (status code: 400)`
			)
		).toBe(10);
		expect(nodejsParser.detect('app: server listening on 3000')).toBe(0);
	});

	it('reads the rows of a CSV export, quotes doubled and frames unindented (issue 4987)', async () => {
		const row = (t: string, m: string) => `"${t}","${m.replaceAll('"', '""')}"`;
		const a = await run(
			[
				row('2025-01-10T14:50:37.500Z', REQUEST(1, '5.30.0')),
				row('2025-01-10T14:50:37.503Z', 'Error: Error injecting trace'),
				row(
					'2025-01-10T14:50:37.503Z',
					'at /app/node_modules/dd-trace/packages/dd-trace/src/log/writer.js:69:46'
				),
				row(
					'2025-01-10T14:50:37.503Z',
					'at DatadogTracer.inject (/app/node_modules/dd-trace/packages/dd-trace/src/opentracing/tracer.js:94:11)'
				),
				row('2025-01-10T14:50:37.600Z', RESPONSE)
			],
			false
		);
		expect(a.tracer).toBe('nodejs');
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.ok': 1, 'log.other': 1 });
		const other = only(a, 'log.other');
		expect([other.line, other.endLine]).toEqual([2, 4]);
		expect(other.time).toBe(Date.parse('2025-01-10T14:50:37.503Z'));
		expect(only(a, 'flush.attempt').fields.traces).toBe(1);
	});

	it("2.x–5.28 DogStatsD 'HTTP error from agent' is no trace flush and takes no cause", async () => {
		// the old template carries its cause's stack in the message: the bare Error after it is the
		// open trace request's (2.x/3.x print only the cause of a failed trace send)
		const a = await run([
			REQUEST(11, '3.58.0'),
			'Error: HTTP error from agent: Error: connect ECONNREFUSED 127.0.0.1:8126',
			'    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)',
			'    at Timeout.flush (/srv/node_modules/dd-trace/packages/dd-trace/src/dogstatsd.js:68:19)',
			...ECONNREFUSED
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1, 'agent.error': 1 });
		expect(only(a, 'agent.error').line).toBe(2);
		expect(only(a, 'flush.error').line).toBe(5);
	});

	it("an application's connection error to another host is not a trace flush", async () => {
		const a = await run([
			REQUEST(11, '3.58.0'),
			'Error: connect ECONNREFUSED 10.0.0.5:5432',
			'    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {',
			"  code: 'ECONNREFUSED'",
			'}',
			...ECONNREFUSED
		]);
		expect(counts(a)).toEqual({ 'flush.attempt': 1, 'flush.error': 1 });
		expect(only(a, 'flush.error').line).toBe(6);
	});
});

describe('robustness', () => {
	it('never throws on garbage and half lines', async () => {
		const garbage = [
			'Encoding payload: [',
			'Encoding payload: [{"trace_id":',
			'Encoding payload: [{"trace_id":"a","span_id":"b","meta":{"x":"\\',
			'Encoding payload: {}',
			'Encoding trace: [1,2,3]',
			'Request to the agent: {',
			'Request to the agent: {"path":"/v0.4/traces","headers":{"X-Datadog-Trace-Count":"x"',
			'Response from the agent:',
			'DATADOG TRACER CONFIGURATION - ',
			'DATADOG TRACER CONFIGURATION - {"lang":',
			'DATADOG TRACER INTEGRATIONS LOADED - [',
			'Error sending payload to the agent (status code: ',
			'{"msg":',
			'{"err":null,"level":"oops"}',
			'{"err":{"stack":42},"msg":{}}',
			'Error: ',
			'    at ',
			'}',
			'\u0000\uffff\ud800',
			'Response from the endpoint: "never closed'
		];
		for (const line of garbage) {
			await expect(run([line])).resolves.toBeDefined();
			expect(() => nodejsParser.detect(line)).not.toThrow();
		}
		await expect(run(garbage)).resolves.toBeDefined();
	});

	it('an unclosed response body does not swallow the rest of the log', async () => {
		const body = Array.from({ length: 300 }, (_, i) => `<p>line ${i}</p>`);
		const a = await run([
			REQUEST(1, '2.46.0'),
			'Error: Error from http://127.0.0.1:8126/v0.4/traces: 502 Bad Gateway. Response from the endpoint: "<html>',
			...body,
			REQUEST(2, '2.46.0'),
			RESPONSE
		]);
		expect(a.counts['flush.attempt']).toBe(2);
		expect(a.counts['flush.ok']).toBe(1);
	});
});
