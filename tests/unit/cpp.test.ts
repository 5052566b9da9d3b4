// C++ parser: dd-trace-cpp behind each host prefix (none, nginx, Envoy, Istio), dd-opentracing-cpp,
// response bodies on continuation lines, traces vs other Agent endpoints (R5), robustness.
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis, type EventKind } from '../../src/lib/core/index';
import { cppParser } from '../../src/lib/core/tracers/cpp';

async function run(text: string): Promise<Analysis> {
	return analyze({ name: 'pasted.txt', data: text });
}

function kinds(a: Analysis): EventKind[] {
	return a.events.map((e) => e.kind);
}

const CONFIG =
	'DATADOG TRACER CONFIGURATION - {"collector":{"config":{"flush_interval_milliseconds":2000,"remote_configuration_url":"unix:///var/run/datadog/apm.socket/v0.7/config","traces_url":"unix:///var/run/datadog/apm.socket/v0.4/traces"},"type":"datadog::tracing::DatadogAgent"},"defaults":{"environment":"prod","service":"nginx","version":"1.2"},"environment_variables":{},"injection_styles":["datadog","tracecontext"],"runtime_id":"8c5c","version":"[dd-trace-cpp version v0.2.2]"}';
const CURL_FAIL =
	"Error sending request with libcurl (Couldn't connect to server): Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server";

describe('cpp: detection', () => {
	it('decides on markers only the C++ tracers write', () => {
		for (const line of [
			'2025/02/20 16:08:26 [error] 94#96: nginx-datadog: [error code 4] Error occurred during HTTP request for Remote Configuration: x',
			`[dd-trace-cpp error code 4] Error occurred during HTTP request for submitting traces: ${CURL_FAIL}`,
			'[2024-05-06 11:36:36.123][21][error][tracing] [source/extensions/tracers/datadog/logger.cc:23] Datadog [error 4]: x',
			'Unexpected telemetry response status 429 with body (if any, starts on next line):',
			CONFIG,
			'info: DATADOG TRACER CONFIGURATION - {"agent_url":"http://localhost:8126","lang":"cpp","version":"v1.3.7"}',
			// v0.1.0 printed "version":"0.0.0": only its own keys tell it
			'DATADOG TRACER CONFIGURATION - {"collector":{"config":{"url":"http://localhost:8126/v0.4/traces"},"type":"DatadogAgent"},"tags_header_size":512,"version":"0.0.0"}',
			'2024/07/24 12:48:07 [error] 216792#216792: *120 Executing invalid Datadog script, client: 10.2.3.178',
			'2024/09/23 17:35:50 [error] 19#19: *4862 failed to extract a Datadog span request 000056033FAEA0C0: [error code 11]: x',
			// nginx-datadog ≤ v1.2.x labelled its messages `datadog: `
			'2024/02/23 15:04:46 [error] 14490#14493: datadog: Could not parse Remote Configuration response body',
			`2024/02/23 15:04:46 [error] 7#7: datadog: [error code 4] Error occurred during HTTP request for submitting traces: ${CURL_FAIL}`,
			// dd-opentracing-cpp's logger puts the trace's id before the message (dd-opentracing-cpp#256)
			'2023/03/15 03:12:34 [error] 25#25: datadog: [trace_id: 1146651056954184957] Requested trace_id not found in SpanBuffer::serializeTraceTags'
		]) {
			expect(cppParser.detect(line)).toBeGreaterThanOrEqual(10);
		}
		expect(
			cppParser.detect("Error sending traces to agent: Couldn't connect to server")
		).toBeGreaterThan(0);
	});

	it('gives nothing to other tracers or to plain host lines', () => {
		for (const line of [
			'2024/01/02 15:04:05 Datadog Tracer v1.60.0 ERROR: lost 1 traces: EOF',
			'2025/01/30 14:59:33 [error] 170#176: *5 connect() failed (111: Connection refused) while connecting to upstream',
			'[2021-09-22 18:39:01.268][28][debug][pool] [source/common/conn_pool/conn_pool_base.cc:293] attaching to next stream',
			'[ddtrace] [error] Failed to connect to localhost port 8126: Connection refused',
			'DATADOG TRACER CONFIGURATION - {"lang":"php","version":"0.90.0"}',
			'Failed to connect to localhost port 8126: Connection refused',
			// `datadog: ` alone is any module's word
			'2024/02/23 15:04:46 [error] 14490#14493: datadog: upstream timed out',
			'[trace_id: 1146651056954184957] Requested trace_id not found',
			''
		]) {
			expect(cppParser.detect(line)).toBe(0);
		}
	});
});

describe('cpp: dd-trace-cpp', () => {
	it('reads the start-up JSON; a trace send failure is a flush.error with the configured endpoint', async () => {
		const a = await run(
			[
				CONFIG,
				`[dd-trace-cpp error code 4] Error occurred during HTTP request for submitting traces: ${CURL_FAIL}`
			].join('\n')
		);
		expect(a.tracer).toBe('cpp');
		expect(kinds(a)).toEqual(['tracer.config', 'flush.error']);
		expect(a.info).toMatchObject({
			tracerVersion: 'v0.2.2',
			service: 'nginx',
			env: 'prod',
			version: '1.2',
			lang: 'cpp',
			agentUrl: 'unix:///var/run/datadog/apm.socket/v0.4/traces'
		});
		expect(a.config['collector.config.flush_interval_milliseconds']).toBe('2000');
		// the curl dummy host of a unix socket is not the Agent's address
		expect(a.events.get(1).fields).toMatchObject({
			code: 4,
			endpoint: 'unix:///var/run/datadog/apm.socket/v0.4/traces',
			reason: CURL_FAIL
		});
		expect(a.verdict.status).toBe('unreachable');
		expect(a.verdict.summary).not.toContain('localhost:80');
	});

	it('an Agent status on the traces endpoint is a rejected payload with its body (R5)', async () => {
		const a = await run(
			[
				'Unexpected response status 413 in Datadog Agent response with body of length 16 (starts on next line):',
				'payload too big.',
				'[dd-trace-cpp error code 22] malformed x-datadog-tags'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.error', 'log.other']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 2 });
		expect(a.events.get(0).fields).toMatchObject({ status: 413, body: 'payload too big.' });
		expect(a.events.get(1).fields.code).toBe(22);
		expect(a.verdict.status).toBe('rejected');
	});

	it('telemetry and remote configuration failures are agent.error, one per nginx worker (R5, R12)', async () => {
		const a = await run(
			[
				'2025/01/30 14:59:33 [error] 170#176: nginx-datadog: Unexpected telemetry response status 429 with body (if any, starts on next line):',
				'{}',
				'2025/01/30 14:59:33 [error] 175#178: nginx-datadog: Unexpected telemetry response status 429 with body (if any, starts on next line):',
				'{}',
				'2025/05/06 11:36:36 [error] 2494788#2494790: nginx-datadog: Unexpected Remote Configuration status 500 with body (if any, starts on next line):',
				'<html>',
				'<body>oops</body>',
				'</html>',
				'2025/05/06 11:36:37 [error] 12#12: *3 upstream timed out',
				`2025/02/20 16:08:26 [error] 94#96: nginx-datadog: [error code 4] Error occurred during HTTP request for Remote Configuration: ${CURL_FAIL}`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['agent.error', 'agent.error', 'agent.error', 'agent.error']);
		expect(a.events.map((e) => e.fields.process)).toEqual(['170', '175', '2494788', '94']);
		expect(a.events.get(0).fields.status).toBe(429);
		expect(a.events.get(2)).toMatchObject({ line: 5, endLine: 8, zone: 'local', level: 'error' });
		expect(a.events.get(2).time).toBe(Date.UTC(2025, 4, 6, 11, 36, 36));
		expect(a.events.get(2).fields.status).toBe(500);
		expect(a.events.get(3).fields.code).toBe(4);
		expect(a.counts['flush.error']).toBe(0);
	});

	it('v0.1.x names the traces endpoint `url`', async () => {
		const a = await run(
			'DATADOG TRACER CONFIGURATION - {"collector":{"config":{"flush_interval_milliseconds":2000,"url":"http://localhost:8126/v0.4/traces"},"type":"DatadogAgent"},"defaults":{"environment":"dev","service":"svc"},"tags_header_size":512,"version":"0.0.0"}'
		);
		expect(a.tracer).toBe('cpp');
		expect(kinds(a)).toEqual(['tracer.config']);
		expect(a.info).toMatchObject({
			agentUrl: 'http://localhost:8126/v0.4/traces',
			tracerVersion: '0.0.0',
			service: 'svc'
		});
	});

	it("nginx-datadog's own unlabelled errors are log.other; nginx's own are nothing", async () => {
		const a = await run(
			[
				'2024/09/23 17:35:50 [error] 19#19: *4862 failed to extract a Datadog span request 000056033FAEA0C0: [error code 11]: While extracting trace context, an error occurred: x, client: x.x.x.x',
				'2024/07/24 12:48:07 [error] 216792#216792: *120 Executing invalid Datadog script while logging request, client: 10.2.3.178',
				'2024/07/24 12:48:07 [error] 216792#216792: *121 connect() failed (111: Connection refused) while connecting to upstream',
				'2024/07/24 12:48:08 [info] 216792#216792: *122 Executing invalid Datadog script'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['log.other', 'log.other']);
		expect(a.events.get(0).fields).toMatchObject({ code: 11, process: '19' });
	});

	it('an odd but accepted answer to a trace payload is log.other, not a failed flush', async () => {
		const a = await run(
			'Datadog Agent returned response without a body. This tracer might be sending batches of traces too frequently'
		);
		expect(kinds(a)).toEqual(['log.other']);
	});
});

describe('cpp: Envoy and Istio', () => {
	it('reads dd-trace-cpp errors through the Envoy logger and ignores the rest of Envoy', async () => {
		const a = await run(
			[
				'[2024-05-06 11:36:35.001][1][info][tracing] [source/extensions/tracers/datadog/logger.cc:31] ' +
					CONFIG,
				'[2024-05-06 11:36:36.123][21][debug][pool] [source/common/conn_pool/conn_pool_base.cc:293] attaching to next stream',
				'[2024-05-06 11:36:36.123][21][error][tracing] [source/extensions/tracers/datadog/logger.cc:40] Datadog [error 44]: Error occurred during HTTP request for submitting traces: Failed to send request to Datadog Agent: The stream has been reset.'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['tracer.config', 'flush.error']);
		expect(a.events.get(1).fields).toMatchObject({ code: 44, process: '21' });
		expect(a.events.get(1).time).toBe(Date.UTC(2024, 4, 6, 11, 36, 36, 123));
	});

	it('pairs Envoy debug submissions with their answers; a remote-config answer is no flush', async () => {
		const T =
			'[2024-05-06 11:36:36.123][21][debug][tracing] [source/extensions/tracers/datadog/agent_http_client.cc:';
		const a = await run(
			[
				`${T}68] submitting data to /v0.7/config with payload size 300 and 1000 ms timeout`,
				`${T}68] submitting data to /v0.4/traces with payload size 1200 and 1000 ms timeout`,
				`${T}98] traces successfully submitted to datadog agent`,
				`${T}98] traces successfully submitted to datadog agent`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.ok']);
		expect(a.flushes.list[0].status).toBe('ok');
		expect(a.verdict.status).toBe('ok');
	});

	it('reads the old Envoy driver (dd-opentracing-cpp era)', async () => {
		const T =
			'[2020-01-01 10:00:00.000][9][debug][tracing] [source/extensions/tracers/datadog/datadog_tracer_impl.cc:';
		const a = await run(
			[
				`${T}110] flushing traces: 2 traces`,
				`${T}125] submitting 2 trace(s) to /v0.4/traces with payload size 439`,
				`${T}150] unexpected HTTP response code from datadog agent: 503`
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.attempt', 'flush.error']);
		expect(a.events.get(1).fields.status).toBe(503);
		expect(a.flushes.list[0]).toMatchObject({ status: 'failed', traces: 2, httpStatus: 503 });
	});

	it('reads Envoy lines whose time, thread and level the user cut off', async () => {
		const a = await run(
			[
				'[source/extensions/tracers/datadog/logger.cc:23] Unexpected Remote Configuration status 503 with body (if any, starts on next line):',
				'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
				'[source/extensions/tracers/datadog/logger.cc:23] Unexpected telemetry response status 404 with body (if any, starts on next line):',
				'404 page not found'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['agent.error', 'agent.error']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 2, level: 'error' });
		expect(a.events.get(1).fields).toMatchObject({ status: 404, body: '404 page not found' });
	});

	it('reads an Istio record pasted with spaces for tabs; its thread ends the body line', async () => {
		const a = await run(
			[
				'2024-06-05T04:25:18.263562Z error envoy tracing external/envoy/source/extensions/tracers/datadog/logger.cc:23 Unexpected Remote Configuration status 503 with body (if any, starts on next line)',
				'upstream connect error or disconnect/reset before headers. reset reason: connection termination thread=14',
				'2024-06-05T04:25:19.000000Z info ads Push debounce stable[1] 1 for config ServiceEntry',
				'2024-06-05T04:25:20.000000Z\terror\tenvoy tracing external/envoy/source/extensions/tracers/datadog/logger.cc:23\tUnexpected telemetry response status 404 with body (if any, starts on next line):',
				'404 page not found\tthread=15'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['agent.error', 'agent.error']);
		expect(a.events.get(0)).toMatchObject({ line: 1, endLine: 2, level: 'error' });
		expect(a.events.get(0).fields).toMatchObject({
			status: 503,
			process: '14',
			body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'
		});
		expect(a.events.get(1).fields).toMatchObject({ body: '404 page not found', process: '15' });
	});

	it('reads the Istio proxy format', async () => {
		const a = await run(
			`2024-01-02T15:04:05.123456Z\terror\tenvoy tracing external/envoy/source/extensions/tracers/datadog/logger.cc:40\tDatadog [error 4]: Error occurred during HTTP request for telemetry: ${CURL_FAIL}\tthread=21`
		);
		expect(kinds(a)).toEqual(['agent.error']);
		expect(a.events.get(0)).toMatchObject({ zone: 'Z', level: 'error' });
		expect(a.events.get(0).fields.process).toBe('21');
	});
});

describe('cpp: dd-opentracing-cpp', () => {
	it('the curl error buffer on the next line belongs to the send error', async () => {
		const a = await run(
			[
				'info: DATADOG TRACER CONFIGURATION - {"agent_url":"http://dd-agent:8126","analytics_enabled":false,"date":"2021-01-01T00:00:00+0000","enabled":true,"env":"","lang":"cpp","lang_version":"201402","service":"ingress-nginx","version":"v1.2.1"}',
				'error: Error sending traces to agent: Timeout was reached',
				'Operation timed out after 2000 milliseconds with 0 bytes received',
				'error: Datadog Agent returned response with unexpected HTTP status 400 and the following body of length 5: oops!'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['tracer.config', 'flush.error', 'flush.error']);
		expect(a.events.get(1)).toMatchObject({ line: 2, endLine: 3 });
		expect(a.events.get(1).fields.reason).toBe(
			'Timeout was reached: Operation timed out after 2000 milliseconds with 0 bytes received'
		);
		expect(a.events.get(2).fields).toMatchObject({ status: 400, body: 'oops!' });
		expect(a.info).toMatchObject({
			tracerVersion: 'v1.2.1',
			agentUrl: 'http://dd-agent:8126',
			service: 'ingress-nginx'
		});
	});

	it('lines without any tracer template are not events', async () => {
		const a = await run(
			[
				"Error sending traces to agent: Couldn't connect to server",
				'Failed to connect to localhost port 8126: Connection refused',
				'GET /healthz 200',
				'some other application error'
			].join('\n')
		);
		expect(kinds(a)).toEqual(['flush.error']);
	});
});

describe('cpp: robustness', () => {
	it('never throws and stays fast on garbage and huge lines', async () => {
		const text = [
			'[dd-trace-cpp error code 4] Error occurred during HTTP request for submitting traces: ' +
				'x'.repeat(2_000_000),
			'Unexpected response status 500 in Datadog Agent response with body of length 3 (starts on next line):',
			'\n'.repeat(10) + ' '.repeat(100_000),
			'[' + '['.repeat(500_000),
			'[2024-05-06 11:36:36.123][21][error][' + 'a'.repeat(500_000),
			'2024-01-02T15:04:05Z\t' + '\t'.repeat(200_000),
			'DATADOG TRACER CONFIGURATION - {' + '{"a":'.repeat(100_000),
			'\u0000\uffff'
		].join('\n');
		const t = performance.now();
		const a = await run(text);
		expect(performance.now() - t).toBeLessThan(5000);
		expect(a.tracer).toBe('cpp');
		expect(a.counts['flush.error']).toBe(2);
	});
});
