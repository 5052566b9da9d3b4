// Java tracer parser: every prefix and message-template generation of FORMAT-java.md, grouping,
// counting rules (R1, R4, R5, R8, R14), fields the verdict reads, and hostile input.
import { describe, expect, it } from 'vitest';
import { analyze, type LogEvent, type Span, type TracerInfo } from '../../src/lib/core/index';
import {
	javaParser,
	parseJavaLine,
	parseJavaToString,
	parseJsonTop,
	parseSpanText
} from '../../src/lib/core/tracers/java';
import type { NewEvent } from '../../src/lib/core/model';

interface Run {
	events: LogEvent[];
	spans: Omit<Span, 'file'>[];
	info: TracerInfo;
	config: Record<string, string>;
	kinds: string[];
	count: (kind: string) => number;
}

function run(text: string | string[]): Run {
	const lines = Array.isArray(text) ? text : text.split('\n');
	const events: LogEvent[] = [];
	const spans: Omit<Span, 'file'>[] = [];
	const info: TracerInfo = {};
	const config: Record<string, string> = {};
	const session = javaParser.createSession({
		event(e: NewEvent) {
			const ev: LogEvent = {
				...e,
				id: events.length,
				file: 0,
				endLine: e.endLine ?? e.line,
				fields: e.fields ?? {}
			};
			events.push(ev);
			return ev;
		},
		span(s) {
			spans.push(s);
		},
		info(v) {
			for (const [k, val] of Object.entries(v)) {
				if (val !== undefined && val !== '') (info as Record<string, string>)[k] = val;
			}
		},
		config(v) {
			Object.assign(config, v);
		}
	});
	lines.forEach((l, i) => session.line(l, i + 1, false));
	session.end();
	const kinds = events.map((e) => e.kind);
	return { events, spans, info, config, kinds, count: (k) => kinds.filter((x) => x === k).length };
}

const P = '[dd.trace 2024-03-01 10:00:00:100 +0000]';
const BIG_TRACE = '12345678901234567891'; // > 2^64 / 2: must survive as text
const SPAN = `DDSpan [ t_id=${BIG_TRACE}, s_id=9007199254740993, p_id=0 ] trace=shop/servlet.request/GET /cart/{id} tags={component=tomcat-server, http.status_code=200, span.kind=server}, duration_ns=1500000, forceKeep=false, links=[]`;

describe('line prefixes', () => {
	it('reads [dd.trace date] [thread] LEVEL logger - message with its zone', () => {
		const p = parseJavaLine(
			'[dd.trace 2021-04-15 04:27:00:159 +0200] [OkHttp http://localhost:8126/...] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - boom'
		)!;
		expect(p.shape).toBe('dd');
		expect(p.thread).toBe('OkHttp http://localhost:8126/...');
		expect(p.level).toBe('warn');
		expect(p.cls).toBe('DDAgentApi');
		expect(p.msg).toBe('boom');
		expect(p.zone).toBe('+0200');
		expect(p.time).toBe(Date.UTC(2021, 3, 15, 2, 27, 0, 159));
	});

	it('reads the older [dd.tracing.agent - date] prefix', () => {
		const p = parseJavaLine(
			'[dd.tracing.agent - 2019-10-01 12:00:00:000 -0500] [main] INFO datadog.trace.agent.ot.DDTracer - hello'
		)!;
		expect(p.shape).toBe('dd');
		expect(p.time).toBe(Date.UTC(2019, 9, 1, 17, 0, 0));
		expect(p.msg).toBe('hello');
	});

	it('reads a marker printed in place of the level (IOLogger, 1.29+)', () => {
		const p = parseJavaLine(
			`${P} [dd-trace-processor] EXCLUDE_TELEMETRY datadog.trace.agent.common.writer.ddagent.DDAgentApi - Success while sending 1 (size=300B) traces. Total: 1, Received: 1, Sent: 1, Failed: 0.`
		)!;
		expect(p.levelText).toBe('EXCLUDE_TELEMETRY');
		expect(p.level).toBeUndefined();
		expect(p.cls).toBe('DDAgentApi');
	});

	it('reads bare [thread] LEVEL logger lines, LEVEL logger lines and Cls - lines', () => {
		expect(parseJavaLine('[main] DEBUG datadog.trace.agent.ot.DDSpan - x')).toMatchObject({
			shape: 'thread',
			tracer: true
		});
		expect(parseJavaLine('INFO datadog.trace.agent.core.StatusLogger - x')).toMatchObject({
			shape: 'level',
			tracer: true
		});
		expect(parseJavaLine('PayloadDispatcherImpl - Failed to send')).toMatchObject({
			shape: 'short',
			tracer: true
		});
		expect(parseJavaLine('[main] DEBUG DDSpan - Started span: x')).toMatchObject({
			shape: 'thread',
			tracer: true
		});
		expect(parseJavaLine('ddtrot.dd.trace.core.DDSpan - Started span')).toMatchObject({
			shape: 'short',
			tracer: true
		});
	});

	it('does not take application loggers for tracer lines', () => {
		expect(parseJavaLine('[main] INFO com.example.App - Started App in 3.2 seconds')?.tracer).toBe(
			false
		);
		expect(parseJavaLine('OpenJDK 64-Bit Server VM warning: Sharing is only supported')).toBe(
			undefined
		);
		expect(parseJavaLine('Main - started')).toBe(undefined);
	});

	it('reads JSON-mode lines (dd.log.format.json)', () => {
		const p = parseJavaLine(
			'{"origin":"dd.trace","date":"2024-05-01T10:00:00.123+0000","logger.thread_name":"main","level":"DEBUG","logger.name":"datadog.trace.agent.core.DDSpan","message":"Started span: x"}'
		)!;
		expect(p).toMatchObject({ shape: 'json', level: 'debug', cls: 'DDSpan', thread: 'main' });
		expect(p.time).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 123));
	});

	it('finds a Datadog logger inside another framework layout', () => {
		const p = parseJavaLine(
			'2024-01-02 10:11:12.345 DEBUG 4242 --- [main] d.t.a.c.DDSpan : Started span: DDSpan [ t_id=1, s_id=2, p_id=0 ] trace=a/b/c tags={}, duration_ns=0'
		)!;
		expect(p).toMatchObject({ shape: 'embedded', level: 'debug', cls: 'DDSpan' });
		expect(p.time).toBe(Date.UTC(2024, 0, 2, 10, 11, 12, 345));
		expect(p.msg.startsWith('Started span: ')).toBe(true);
	});

	it('counts a finish whose span the user cut out (PR 6670), and its trace once', () => {
		const D = '[dd.trace 2024-02-09 14:12:48:023]';
		const r = run([
			`${D} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): DDSpan [...]`,
			`${D} [main] DEBUG datadog.trace.agent.common.writer.RemoteWriter - Enqueued for serialization: [DDSpan [...]]`,
			`${D} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): DDSpan [...]`,
			`${D} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (PENDING): DDSpan [...]`,
			`${D} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): something else`
		]);
		expect(r.kinds).toEqual([
			'span.finish',
			'trace.complete',
			'trace.complete',
			'span.finish',
			'span.finish'
		]);
		expect(r.events[0].fields).toMatchObject({ elided: true, state: 'WRITTEN' });
		expect(r.events[0].time).toBe(Date.UTC(2024, 1, 9, 14, 12, 48, 23));
	});

	it("reads Quarkus' `[%c{3.}] (%t)` layout (issue 3805) and keeps other shortened loggers out", () => {
		const line =
			'WARN  [dat.tra.com.wri.dda.DDAgentApi] (dd-trace-processor) msgp: too few bytes left to read object while sending 2 (size=1KB) traces to the DD agent. Total: 63244, Received: 63244, Sent: 56667, Failed: 6577. Status: 400 Bad Request (Will not log errors for 5 minutes)';
		expect(javaParser.detect(line)).toBeGreaterThanOrEqual(10);
		expect(parseJavaLine(line)).toMatchObject({
			shape: 'embedded',
			level: 'warn',
			cls: 'DDAgentApi',
			msg: expect.stringMatching(/^msgp: too few bytes/)
		});
		const r = run([line]);
		expect(r.kinds).toEqual(['flush.error']);
		expect(r.events[0].fields).toMatchObject({
			status: 400,
			traces: 2,
			body: 'msgp: too few bytes left to read object',
			reason: 'Bad Request: msgp: too few bytes left to read object'
		});
		expect(
			parseJavaLine(
				'2024-01-02 10:11:12,345 INFO  [io.qua.dep.QuarkusAugmentor] (main) Quarkus augmentation completed'
			)
		).toBe(undefined);
		expect(
			parseJavaLine('12:00:01,000 INFO  [org.jbo.as.ser.WildFly] (MSC service thread 1-2) started')
		).toBe(undefined);
		expect(
			parseJavaLine('10:00:00,000 WARN  [com.dat.pro.upl.ProfileUploader] (OkHttp x) failed')
		).toMatchObject({ shape: 'embedded', cls: 'ProfileUploader' });
	});

	it('reads lines behind a docker compose column or a container timestamp', () => {
		const r = run([
			`app_1  | ${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 (size=1B) traces. Total: 1, Received: 1, Sent: 0, Failed: 1.`,
			'app_1  | java.net.ConnectException: Failed to connect to agent/10.0.0.9:8126',
			'app_1  | \tat okhttp3.internal.connection.RealConnection.connectSocket(RealConnection.java:249)',
			`2024-03-01T10:00:01.000000000Z ${P} [main] WARN datadog.trace.agent.core.CoreTracer - odd`
		]);
		expect(r.kinds).toEqual(['flush.error', 'log.other']);
		expect(r.events[0]).toMatchObject({ line: 1, endLine: 3 });
		expect(r.events[0].fields.endpoint).toBe('http://agent:8126');
		expect(r.events[1].time).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 100));
		expect(
			javaParser.detect(`web-1 | ${P} [main] INFO datadog.trace.agent.core.StatusLogger - x`)
		).toBeGreaterThanOrEqual(10);
	});

	it('strips the markdown users wrap pasted lines in', () => {
		const p = parseJavaLine(
			'**[dd.trace 2022-04-20 07:30:53:776 +0000] [main] WARN datadog.x.Y - hi**'
		)!;
		expect(p.shape).toBe('dd');
		expect(p.msg).toBe('hi');
	});
});

describe('detection', () => {
	it('is distinctive on the prefix, span text, loggers and the JVM config JSON', () => {
		expect(
			javaParser.detect(`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - x`)
		).toBeGreaterThanOrEqual(10);
		expect(
			javaParser.detect('[main] DEBUG datadog.trace.agent.ot.DDSpan - Finished: DDSpan [ t_id=1')
		).toBeGreaterThanOrEqual(10);
		expect(
			javaParser.detect(
				'INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION '
			)
		).toBeGreaterThanOrEqual(10);
		expect(
			javaParser.detect('{"os_name":"Linux","lang":"jvm","lang_version":"17"}')
		).toBeGreaterThanOrEqual(10);
		expect(
			javaParser.detect(
				'PayloadDispatcherImpl - Failed to send 6 traces of size 868 bytes to the API v1.0 status OptionalInt[400] response x'
			)
		).toBeGreaterThanOrEqual(10);
	});

	it('returns 0 for other tracers and applications', () => {
		for (const line of [
			'2021/08/17 17:47:42 Datadog Tracer v1.32.0 ERROR: lost 1 traces: Post http://localhost:8126/v0.4/traces',
			'2020-06-29 12:26:39.572 +02:00 [INF] DATADOG TRACER CONFIGURATION - {"lang":".NET"}',
			'DATADOG TRACER CONFIGURATION - {"lang":"nodejs","version":"6.21.0"}',
			'[ddtrace] [debug] Loaded integration web',
			'2019-04-24 13:59:00,814 ERROR writer._flush:201 cannot send spans to host:8126',
			'[main] INFO com.example.App - Started',
			'DEBUG:ddtrace.sampler:initialized RateSampler'
		]) {
			expect(javaParser.detect(line)).toBe(0);
		}
	});

	it('is recognised from content alone by analyze()', async () => {
		const a = await analyze({
			name: 'pasted.txt',
			data: `${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Started span: ${SPAN}\n`
		});
		expect(a.tracer).toBe('java');
	});
});

describe('configuration', () => {
	it('parses the 0.x Using config: Config(…) dump with nested values', () => {
		const r = run(
			'[main] DEBUG datadog.trace.agent.ot.DDTracer - Using config: Config(runtimeId=abc, serviceName=shop, writerType=DDAgentWriter, agentHost=agent.local, agentPort=8127, globalTags={env=prod, team=a}, httpServerErrorStatuses=[500, 501], propagationStylesToExtract=[DATADOG], reportHostName=false)'
		);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.config).toMatchObject({
			serviceName: 'shop',
			agentHost: 'agent.local',
			agentPort: '8127',
			globalTags: '{env=prod, team=a}',
			httpServerErrorStatuses: '[500, 501]',
			reportHostName: 'false'
		});
		expect(r.info).toMatchObject({
			agentUrl: 'http://agent.local:8127',
			service: 'shop',
			env: 'prod'
		});
	});

	it('parses a Config dump pretty-printed over several lines as one record', () => {
		const r = run([
			'[main] DEBUG datadog.trace.agent.ot.DDTracer - Using config: Config(',
			'    serviceName=shop,',
			'    agentHost=localhost,',
			'    agentPort=8126,',
			'    spanTags={a=b}',
			')',
			'[main] INFO com.example.App - started'
		]);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.events[0].endLine).toBe(6);
		expect(r.config.serviceName).toBe('shop');
		expect(r.config.spanTags).toBe('{a=b}');
		expect(r.info.agentUrl).toBe('http://localhost:8126');
	});

	it("parses a modern Config{k='v'} dump, tolerating its unclosed quote", () => {
		const kv = parseJavaToString(
			"New instance: Config{instrumenterConfig=InstrumenterConfig{a=1, b=[x, y]}, runtimeId='r1', runtimeVersion='17.0.2, apiKey=****, serviceName='svc', agentUrl='http://10.0.0.1:8126', tags={env=staging}}"
		);
		expect(kv.serviceName).toBe('svc');
		expect(kv.agentUrl).toBe('http://10.0.0.1:8126');
		expect(kv.instrumenterConfig).toBe('InstrumenterConfig{a=1, b=[x, y]}');
		expect(kv.apiKey).toBe('****');
	});

	it('reads the start-up JSON into config and info', () => {
		const r = run(
			`${P} [dd-task-scheduler] INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION {"version":"1.44.1~13a9a2d011","os_name":"Linux","lang":"jvm","lang_version":"17.0.9","service":"shop","env":"prod","agent_url":"http://localhost:8126","agent_error":true,"debug":true,"sampling_rules":[{},{}],"dd_version":"2.3","logging_settings":{"levelInBrackets":false}}`
		);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.info).toMatchObject({
			tracerVersion: '1.44.1~13a9a2d011',
			agentUrl: 'http://localhost:8126',
			service: 'shop',
			env: 'prod',
			version: '2.3',
			lang: 'jvm',
			langVersion: '17.0.9'
		});
		expect(r.config.sampling_rules).toBe('[{},{}]');
		expect(r.config.logging_settings).toBe('{"levelInBrackets":false}');
		expect(r.events[0].fields.agent_error).toBe('true');
		expect(r.events[0].time).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 100));
	});

	it('reads the start-up JSON carried inside a JSON-mode line', () => {
		const inner = JSON.stringify({ version: '1.50.0~abc', lang: 'jvm', service: 'api' });
		const line = JSON.stringify({
			origin: 'dd.trace',
			date: '2025-01-01T00:00:00.000+0000',
			'logger.thread_name': 'dd-task-scheduler',
			level: 'INFO',
			'logger.name': 'datadog.trace.agent.core.StatusLogger',
			message: `DATADOG TRACER CONFIGURATION ${inner}`
		});
		const r = run(line);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.info).toMatchObject({ tracerVersion: '1.50.0~abc', service: 'api' });
	});

	it('reads a pretty-printed, truncated JSON paste without throwing', () => {
		const r = run([
			'INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION ',
			'{',
			'    "version": "0.90.0~32708e53ec",',
			'    "lang": "jvm",',
			'    "service": "usage-service",',
			'    "logging_settings": {',
			'        "showShortLogName": fal'
		]);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.events[0].endLine).toBe(7);
		expect(r.info.tracerVersion).toBe('0.90.0~32708e53ec');
		expect(r.info.service).toBe('usage-service');
	});

	it('does not take dd_version for the app version when it is the tracer version (0.90 bug)', () => {
		const kv = parseJsonTop('{"version":"0.90.0~1","dd_version":"0.90.0~1","lang":"jvm"}');
		expect(kv).toMatchObject({ version: '0.90.0~1', dd_version: '0.90.0~1' });
		const r = run('{"version":"0.90.0~1","dd_version":"0.90.0~1","lang":"jvm"}');
		expect(r.count('tracer.config')).toBe(1);
		expect(r.info.version).toBeUndefined();
	});

	it('reads a StatusLogger configuration record cut after its first word as one record', () => {
		const r = run([
			'[dd.trace 2024-03-09 23:03:09:968 +0000] [dd-task-scheduler] INFO datadog.trace.agent.core.StatusLogger - DATADOG ',
			'...',
			'2024-03-09T23:03:13.656Z  INFO 3598988 --- [           main] o.s.b.w.e.TomcatWebServer  : Tomcat started'
		]);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.events[0].fields.incomplete).toBe(true);
		// StatusLogger's DEBUG class path and other words are not the configuration
		expect(
			run([
				'[dd.trace 2024-03-09 23:03:09:968 +0000] [dd-task-scheduler] DEBUG datadog.trace.agent.core.StatusLogger - class path: /app.jar',
				'[dd.trace 2024-03-09 23:03:09:968 +0000] [main] INFO datadog.trace.agent.core.StatusLogger - DATA'
			]).events
		).toEqual([]);
	});

	it('ignores a bare JSON object that is not the JVM configuration', () => {
		expect(run('{"name":"app","msg":"hello"}').events).toEqual([]);
	});
});

describe('documentation pages', () => {
	it('reads the Java block of the APM connection-errors page', () => {
		const r = run([
			'[dd.trace 2021-08-24 18:38:01:501 +0000] [dd-task-scheduler] INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION {"version":"0.83.2~6bb3e09b2a","lang":"jvm","service":"dd-java-agent","agent_url":"http://localhost:8126","agent_error":true,"dd_version":"0.83.2~6bb3e09b2a"}',
			'[dd.trace 2021-08-24 18:38:02:164 +0000] [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 (size=316B) traces to the DD agent. Total: 1, Received: 1, Sent: 0, Failed: 1. java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8126 (Will not log errors for 5 minutes)',
			'[dd.trace 2021-08-17 18:04:50:282 +0000] [dd-trace-processor] DEBUG datadog.communication.ddagent.DDAgentFeaturesDiscovery - Error querying info at http://localhost:8126/',
			'java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8126',
			'\tat okhttp3.internal.connection.RealConnection.connectSocket(RealConnection.java:249)',
			'[info] welcome to sbt 1.9.0 (Amazon.com Inc. Java 17.0.7)',
			'[dd.trace 2023-07-13 15:43:43:221 -0400] [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 5 (size=2KB) traces. Total: 5, Received: 5, Sent: 0, Failed: 5. java.net.ConnectException: Failed to connect to localhost/[0:0:0:0:0:0:0:1]:8126 (Will not log errors for 5 minutes)'
		]);
		expect(r.kinds).toEqual(['tracer.config', 'flush.error', 'agent.error', 'flush.error']);
		expect(r.events[1].fields.endpoint).toBe('http://localhost:8126');
		expect(r.events[2]).toMatchObject({ line: 3, endLine: 5 });
		expect(r.events[3].fields.endpoint).toBe('http://localhost:8126');
		expect(r.events[3].time).toBe(Date.UTC(2023, 6, 13, 19, 43, 43, 221));
	});

	it('reads a span line the user re-wrapped over several lines', () => {
		const r = run([
			'[dd.trace 2026-02-24 20:04:58:110 +0000] [scheduling-1] DEBUG datadog.trace.agent.core.DDSpan - Finished span (PENDING):',
			'  DDSpan [ t_id=2512113318700459080, s_id=2876541410531293108, p_id=4984798654273901988 ]',
			'  trace=mysql/mysql.query/SELECT * FROM users LIMIT ? *measured*',
			'  tags={',
			'    component=java-jdbc-statement,',
			'    version=1.0.0',
			'  }, duration_ns=3534589'
		]);
		expect(r.kinds).toEqual(['span.finish']);
		expect(r.spans[0]).toMatchObject({
			traceId: '2512113318700459080',
			resource: 'SELECT * FROM users LIMIT ?',
			service: 'mysql'
		});
		expect(r.spans[0].duration).toBeCloseTo(3.534589);
	});

	it('counts the 0.x DDTracer instance summary as a configuration record', () => {
		const r = run(
			'[main] INFO datadog.trace.agent.ot.DDTracer - New instance: DDTracer-5c5a1b69{ serviceName=billing, writer=DDAgentWriter { api=DDApi { tracesUrl=http://10.1.2.3:8126/v0.3/traces } }, sampler=datadog.trace.common.sampling.RateByServiceSampler@1, defaultSpanTags={}}'
		);
		expect(r.count('tracer.config')).toBe(1);
		expect(r.info).toMatchObject({ service: 'billing', agentUrl: 'http://10.1.2.3:8126' });
	});
});

describe('spans', () => {
	it('parses the span toString, keeping 64-bit ids exact', () => {
		const s = parseSpanText(SPAN)!;
		expect(s).toMatchObject({
			traceId: BIG_TRACE,
			spanId: '9007199254740993',
			parentId: '0',
			service: 'shop',
			operation: 'servlet.request',
			resource: 'GET /cart/{id}',
			error: false,
			durationNs: '1500000'
		});
	});

	it('reads the error flag and 0.x metrics={} layout', () => {
		const s = parseSpanText(
			'DDSpan [ t_id=<trace id>, s_id=<span id>, p_id=0] trace=svc/op/GET /a b metrics={_sampling_priority_v1=1} *errored* tags={error.msg=x}, duration_ns=5'
		)!;
		expect(s).toMatchObject({ traceId: '<trace id>', resource: 'GET /a b', error: true });
	});

	it('counts one span.finish per span for every finish template (R14)', () => {
		const r = run([
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Started span: ${SPAN}`,
			`[main] DEBUG datadog.trace.agent.ot.DDSpan - Finished: ${SPAN}`,
			`[main] DEBUG datadog.trace.agent.core.DDSpan - Finished span: ${SPAN}`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (BUFFERED): ${SPAN}`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (PHASED): ${SPAN}`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Already finished: ${SPAN}`
		]);
		expect(r.count('span.start')).toBe(1);
		expect(r.count('span.finish')).toBe(4);
		expect(r.spans).toHaveLength(4);
		expect(r.spans[0].traceId).toBe(BIG_TRACE);
		expect(r.spans[3].duration).toBeCloseTo(1.5);
		expect(r.spans[3].start).toBeCloseTo(Date.UTC(2024, 2, 1, 10, 0, 0, 100) - 1.5);
	});
});

describe('phased finish', () => {
	it('reads the duration of a phased finish printed with the sign bit set', () => {
		const r = run(
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (PHASED): DDSpan [ t_id=1, s_id=2, p_id=0 ] trace=a/b/c tags={}, duration_ns=-9223372036852775808, forceKeep=false, links=[]`
		);
		expect(r.spans[0].duration).toBeCloseTo(2);
	});
});

describe('trace hand-off (R4)', () => {
	it('counts Writing N spans / t_id -> writing / wrote lines', () => {
		const r = run([
			'[w] DEBUG datadog.trace.agent.ot.PendingTrace - Writing 2 spans to DDAgentWriter { api=DDApi { tracesUrl=http://host:8126/v0.4/traces } }.',
			'[w] DEBUG datadog.trace.agent.core.PendingTrace - t_id=77 -> writing 3 spans to DDAgentWriter.',
			'[w] DEBUG datadog.trace.agent.core.PendingTrace - t_id=78 -> wrote 4 spans to DDAgentWriter.',
			'[w] DEBUG datadog.trace.agent.core.PendingTrace - t_id=79 -> wrote partial trace of size 5',
			'[w] DEBUG datadog.trace.agent.ot.PendingTrace - traceId: 1 -- Expired reference. count = 0'
		]);
		expect(r.kinds).toEqual(Array(4).fill('trace.complete'));
		expect(r.events[0].fields).toMatchObject({
			spans: 2,
			endpoint: 'http://host:8126/v0.4/traces'
		});
		expect(r.events[3].fields).toMatchObject({ traceId: '79', partial: true, spans: 5 });
	});

	it('counts Enqueued for serialization once, not again for Finished span (WRITTEN)', () => {
		const r = run([
			`${P} [main] DEBUG datadog.trace.agent.common.writer.RemoteWriter - Enqueued for serialization: [${SPAN}, ${SPAN}]`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): ${SPAN}`
		]);
		expect(r.count('trace.complete')).toBe(1);
		expect(r.count('span.finish')).toBe(1);
		expect(r.events[0].fields).toMatchObject({ traceId: BIG_TRACE, spans: 2 });
	});

	it('infers the hand-off from Finished span (WRITTEN) when no writer line exists (0.85–1.10)', () => {
		const r = run([
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): ${SPAN}`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (ROOT_BUFFERED): ${SPAN.replace(BIG_TRACE, '5')}`
		]);
		expect(r.kinds).toEqual(['span.finish', 'trace.complete', 'span.finish']);
		expect(r.events[1].fields.inferred).toBe(true);
	});

	it('marks dropped traces (RemoteWriter 1.11+) and does not double-count the finish', () => {
		const r = run([
			`${P} [main] DEBUG datadog.trace.agent.common.writer.RemoteWriter - Dropped by the policy: [${SPAN}]`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): ${SPAN}`
		]);
		expect(r.count('trace.complete')).toBe(1);
		expect(r.events[0].fields.dropped).toBe('by the policy');
	});
});

describe('flushes', () => {
	it('turns a debug-mode failure logged by DDAgentApi and PayloadDispatcher into ONE flush.error (R1)', () => {
		const r = run([
			`${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 2 (size=1KB) traces. Total: 2, Received: 2, Sent: 0, Failed: 2.`,
			'java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8126',
			'\tat okhttp3.internal.connection.RealConnection.connectSocket(RealConnection.java:249)',
			'Caused by: java.net.ConnectException: Connection refused (Connection refused)',
			'\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
			'\t... 20 more',
			`${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.PayloadDispatcherImpl - Failed to send 2 traces of size 1100 bytes to the API v0.4 status OptionalInt.empty response null`
		]);
		expect(r.kinds).toEqual(['flush.error']);
		const e = r.events[0];
		expect(e.endLine).toBe(6);
		expect(e.fields).toMatchObject({
			traces: 2,
			reason: 'java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8126',
			endpoint: 'http://localhost:8126',
			api: 'v0.4',
			failedTraces: 2
		});
	});

	it('keeps two failed payloads as two events even with the same text', () => {
		const line = `PayloadDispatcherImpl - Failed to send 6 traces of size 868 bytes to the API v1.0 status OptionalInt[400] response msgp: null`;
		const r = run([line, line]);
		expect(r.kinds).toEqual(['flush.error', 'flush.error']);
		expect(r.events[0].fields).toMatchObject({ status: 400, api: 'v1.0', traces: 6, bytes: 868 });
	});

	it('pairs each API line with its dispatcher line across several payloads', () => {
		const api = (n: number) =>
			`${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - Success while sending ${n} (size=300B) traces. Total: 9, Received: 9, Sent: 9, Failed: 0.`;
		const disp = (n: number) =>
			`${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.writer.PayloadDispatcherImpl - Successfully sent ${n} traces of size 300 bytes to the API v0.5`;
		const r = run([
			api(1),
			`${P} [dd-trace-processor] DEBUG datadog.trace.agent.common.sampling.RateByServiceTraceSampler - Update service sampler rates: http://localhost:8126/v0.5/traces -> {"rate_by_service":{"service:,env:":1.0}}`,
			disp(1),
			api(3),
			disp(3)
		]);
		expect(r.kinds).toEqual(['flush.ok', 'sampling', 'flush.ok']);
		expect(r.events[0].fields).toMatchObject({ traces: 1, api: 'v0.5', sentTraces: 9 });
		expect(r.events[1].fields.endpoint).toBe('http://localhost:8126/v0.5/traces');
	});

	it('reads the rate-limited WARN variants with status or exception', () => {
		const r = run([
			`${P} [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 3 (size=2KB) traces. Total: 10, Received: 10, Sent: 7, Failed: 3. Status: 413 Request Entity Too Large (Will not log warnings for 5 minutes)`,
			`${P} [dd-trace-writer] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 of 1 (size=1015B) traces to the DD agent. Total: 2043, Received: 2043, Sent: 0, Failed: 2043. java.net.SocketException: Connection reset (Will not log errors for 5 minutes)`,
			`${P} [dd-trace-processor] EXCLUDE_TELEMETRY datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 4 (size=9KB) traces. Total: 14, Received: 14, Sent: 7, Failed: 7. Status: 503 Service Unavailable (Will not log warnings for 5 minutes)`
		]);
		expect(r.kinds).toEqual(['flush.error', 'flush.error', 'flush.error']);
		expect(r.events[0].fields).toMatchObject({
			status: 413,
			reason: 'Request Entity Too Large',
			traces: 3,
			bytes: 2048,
			rateLimited: true,
			silentFor: '5 minutes'
		});
		expect(r.events[1].fields).toMatchObject({
			reason: 'java.net.SocketException: Connection reset',
			of: 1
		});
		expect(r.events[2].level).toBe('warn');
		expect(r.events[2].fields.status).toBe(503);
		expect(r.count('log.other')).toBe(0);
	});

	it('reads the debug Status/Response/Body form and an Agent body replacing "Error"', () => {
		const r = run([
			`${P} [p] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 (size=10B) traces. Total: 1, Received: 1, Sent: 0, Failed: 1. Status: 400, Response: Bad Request, Body: invalid payload`,
			`${P} [p] DEBUG datadog.trace.agent.common.writer.ddagent.DDAgentApi - {"error":"quota"} while sending 1 (size=10B) traces. Total: 2, Received: 2, Sent: 0, Failed: 2. Status: 429, Response: Too Many Requests, Body: {"error":"quota"}`
		]);
		expect(r.events[0].fields).toMatchObject({
			status: 400,
			reason: 'Bad Request: invalid payload'
		});
		expect(r.events[1].fields).toMatchObject({
			status: 429,
			body: '{"error":"quota"}',
			reason: 'Too Many Requests: {"error":"quota"}'
		});
	});

	it('reads the 0.x DDApi and DDAgentWriter generations', () => {
		const r = run([
			'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDAgentWriter - Sending 2 traces (5 spans) to the API (async)',
			'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDApi - Successfully sent 2 of 2 traces to the DD agent.',
			'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDAgentWriter - Successfully sent 2 traces to the API',
			'[dd-trace-writer] WARN datadog.trace.agent.common.writer.DDApi - Error while sending 1 of 1 traces to the DD agent. java.net.ConnectException: Connection refused (going silent for 5 minutes)',
			'[dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDAgentWriter - Failing to send 1 traces to the API'
		]);
		expect(r.kinds).toEqual(['flush.attempt', 'flush.ok', 'flush.error']);
		expect(r.events[0].fields).toMatchObject({ traces: 2, spans: 5 });
		expect(r.events[2].fields.reason).toBe('java.net.ConnectException: Connection refused');
	});

	it('gives the no-agent diagnostic its own agent.error beside the failed payload (R8)', () => {
		const r = run([
			`${P} [dd-trace-processor] ERROR datadog.trace.agent.common.writer.ddagent.DDAgentApi - No datadog agent detected`,
			`${P} [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 (size=1B) traces. Total: 1, Received: 0, Sent: 0, Failed: 1. (Will not log warnings for 5 minutes)`
		]);
		expect(r.kinds).toEqual(['agent.error', 'flush.error']);
	});

	it('joins a record the user wrapped after its level and logger (issue 5314)', () => {
		const r = run([
			'[dd.trace 2023-06-02 13:15:54:800 +0000] [dd-trace-processor] WARN ',
			'  datadog.trace.agent.common.writer.ddagent.DDAgentApi - ',
			'  msgp: attempted to decode type "map" with method for "str" while sending 1 (size=1KB) traces. ',
			'  Total: 8401, Received: 8401, Sent: 1, Failed: 8400. Status: 400 Bad Request (Will not log errors for 5 minutes)',
			'[dd.trace 2023-06-01 16:16:20:158 +0000] [dd-trace-processor] INFO',
			'  datadog.trace.agent.common.writer.ddagent.DDAgentApi - ',
			'  Success while sending 25 (size=15KB) traces. ',
			'  Total: 26, Received: 26, Sent: 25, Failed: 1.',
			// a message-less WARN with no wrapped text after it stays a plain warning
			'[dd.trace 2023-06-02 13:16:00:000 +0000] [main] WARN'
		]);
		expect(r.kinds).toEqual(['flush.error', 'flush.ok', 'log.other']);
		expect(r.events[0]).toMatchObject({ line: 1, endLine: 4, level: 'warn' });
		expect(r.events[0].fields).toMatchObject({ status: 400, traces: 1, failedTraces: 8400 });
		expect(r.events[1].fields).toMatchObject({ traces: 25, sentTraces: 25 });
	});

	it('feeds the verdict: status, endpoint and agent URL reach the diagnosis', async () => {
		const a = await analyze({
			name: 'x.log',
			data: [
				`${P} [dd-task-scheduler] INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION {"version":"1.44.1","lang":"jvm","agent_url":"http://dd-agent:8126"}`,
				`${P} [dd-trace-processor] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 3 (size=2KB) traces. Total: 3, Received: 3, Sent: 0, Failed: 3. Status: 400 Bad Request (Will not log warnings for 5 minutes)`
			].join('\n')
		});
		expect(a.flushes.list[0]).toMatchObject({ status: 'failed', httpStatus: 400, traces: 3 });
		expect(a.verdict.status).toBe('rejected');
		expect(a.verdict.summary).toContain('dd-agent:8126');
	});
});

describe('agent errors on other endpoints (R5)', () => {
	it('classifies profiling, DogStatsD, telemetry and intake failures as agent.error', () => {
		const r = run([
			`${P} [OkHttp http://localhost:8126/...] WARN com.datadog.profiling.uploader.ProfileUploader - Failed to upload profile to http://localhost:8126/profiling/v1/input java.io.IOException: Permission denied`,
			`${P} [StatsD-Processor-1] WARN datadog.communication.monitor.DDAgentStatsDConnection - BufferOverflowException in StatsD client - /var/run/datadog/dsd.socket java.nio.BufferOverflowException: null (Will not log errors for 5 minutes)`,
			`${P} [dd-telemetry] WARN datadog.telemetry.TelemetryRouter - Got FAILURE sending telemetry request to http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry.`,
			`${P} [dd-telemetry] DEBUG datadog.telemetry.TelemetryClient - Telemetry message app-heartbeat sent successfully to http://localhost:8126/telemetry/proxy/api/v2/apmtelemetry.`,
			`${P} [p] DEBUG datadog.trace.agent.common.writer.PayloadDispatcherImpl - Failed to send 4 traces of size 100 bytes to the API llmobs/v2 status OptionalInt[500] response oops`
		]);
		expect(r.kinds).toEqual(['agent.error', 'agent.error', 'agent.error', 'agent.error']);
		expect(r.events[0].fields).toMatchObject({
			endpoint: 'http://localhost:8126/profiling/v1/input',
			component: 'ProfileUploader'
		});
		expect(r.events[1].fields).toMatchObject({
			endpoint: 'unix:///var/run/datadog/dsd.socket',
			rateLimited: true
		});
		expect(r.events[3].fields).toMatchObject({ status: 500, component: 'llmobs/v2' });
	});
});

describe('other kinds', () => {
	it('reads integrations and log.other, never from DEBUG/INFO lines', () => {
		const r = run([
			`${P} [main] DEBUG datadog.trace.agent.tooling.InstrumenterState - Instrumentation applied - instrumentation.names=[servlet,servlet-3] instrumentation.class=datadog.trace.instrumentation.servlet3.Servlet3Advice instrumentation.target.classloader=app`,
			`${P} [main] WARN datadog.trace.agent.tooling.AgentInstaller - Something odd happened`,
			`${P} [main] DEBUG datadog.trace.agent.tooling.AgentInstaller - Something odd happened`,
			`${P} [main] INFO datadog.trace.agent.tooling.AgentInstaller - Something odd happened`,
			`${P} [main] ERROR datadog.trace.agent.core.CoreTracer - Could not load interceptor`,
			'[main] ERROR com.example.App - application failure'
		]);
		expect(r.kinds).toEqual(['integration.loaded', 'log.other', 'log.other']);
		expect(r.events[0].fields.names).toEqual(['servlet', 'servlet-3']);
	});

	it('reads the pre-1.0 "Applying instrumentation" line as an integration (issues 575, 1004)', () => {
		const r = run([
			'[dd.tracing.agent - 2019-09-19 10:48:44:306 +0900] [main] DEBUG datadog.trace.agent.tooling.Instrumenter$Default - Applying instrumentation: java_concurrent -- datadog.trace.instrumentation.java.concurrent.FutureInstrumentation on null',
			'[main] DEBUG datadog.trace.agent.tooling.Instrumenter$Default - Instrumentation muzzled: [jdbc] -- datadog.trace.instrumentation.jdbc.ConnectionInstrumentation on app',
			'[PostgreSQL JDBC driver connection thread] DEBUG datadog.trace.agent.tooling.Instrumenter$Default - Applying instrumentation: jdbc -- datadog.trace.instrumentation.jdbc.ConnectionInstrumentation on ParallelWebappClassLoader'
		]);
		expect(r.kinds).toEqual(['integration.loaded', 'integration.loaded']);
		expect(r.events[0].fields).toMatchObject({
			names: ['java_concurrent'],
			class: 'datadog.trace.instrumentation.java.concurrent.FutureInstrumentation'
		});
		expect(r.events[1].fields.names).toEqual(['jdbc']);
	});

	it('sets repeat for an "N additional messages skipped" suffix', () => {
		const r = run(
			`${P} [main] WARN datadog.trace.agent.Foo - dropped spans, 4 additional messages skipped`
		);
		expect(r.events[0].repeat).toBe(5);
	});

	it('groups stack traces with their line and starts a new record at the next tracer line', () => {
		const r = run([
			`${P} [main] ERROR datadog.trace.agent.core.CoreTracer - Failed to init`,
			'java.lang.IllegalStateException: boom',
			'\tat a.b.C.d(C.java:1)',
			'    at a.b.C.e(C.java:2)',
			'Caused by: java.lang.NullPointerException',
			'\t... 3 more',
			`    ${P} [main] WARN datadog.trace.agent.core.CoreTracer - indented paste of a second line`
		]);
		expect(r.kinds).toEqual(['log.other', 'log.other']);
		expect([r.events[0].line, r.events[0].endLine]).toEqual([1, 6]);
		expect(r.events[1].line).toBe(7);
	});
});

describe('hostile input', () => {
	it('never throws on garbage and stays quiet', () => {
		const junk = [
			'',
			'\u0000\u0001\u0002',
			'[dd.trace ',
			'[dd.trace 9999-99-99 99:99:99:999 +9999] [',
			'{"origin":"dd.trace",',
			'Using config: Config(((((((',
			'DATADOG TRACER CONFIGURATION {"lang":"jvm",',
			'Error while sending x (size=) traces',
			'Finished span (WRITTEN): DDSpan [ t_id=',
			'PayloadDispatcherImpl - Failed to send',
			'{',
			']]]]',
			'\t'
		];
		expect(() => run(junk)).not.toThrow();
		expect(() => javaParser.detect('\u0000')).not.toThrow();
	});

	it('handles a 10 MB line in linear time', () => {
		const big = 'x'.repeat(10_000_000);
		const spaces = ' '.repeat(5_000_000);
		const lines = [
			`${P} [main] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 (size=1B) traces. Total: 1, Received: 1, Sent: 0, Failed: 1. ${spaces}x`,
			`${P} [main] DEBUG datadog.trace.agent.core.DDSpan - Finished span (WRITTEN): DDSpan [ t_id=1, s_id=2, p_id=0 ] trace=a/b/${big} tags={}, duration_ns=1`,
			`${P} [main] WARN com.datadog.profiling.uploader.ProfileUploader - Failed ${'/a'.repeat(2_000_000)}`,
			`Using config: Config(${'a=b, '.repeat(1_000_000)})`,
			big
		];
		const t0 = Date.now();
		const r = run(lines);
		expect(Date.now() - t0).toBeLessThan(5000);
		expect(r.count('span.finish')).toBe(1);
		expect(r.count('flush.error')).toBe(1);
		for (const l of lines) javaParser.detect(l);
		expect(Date.now() - t0).toBeLessThan(8000);
	});
});
