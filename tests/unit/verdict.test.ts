// The verdict against what the fake Agent really saw in the generated corpus runs
// (expected.json: agentListening, agentReceived, agentAccepted).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type VerdictStatus } from '../../src/lib/core/index';
import { corpusSamples } from './corpus-files';

interface Truth {
	agentListening?: boolean | string;
	agentReceived?: { payloads: number };
	agentAccepted?: { payloads: number };
}

/** The verdicts that match what the Agent saw. */
function allowed(t: Truth): VerdictStatus[] | undefined {
	if (t.agentListening === undefined || !t.agentReceived || !t.agentAccepted) return undefined;
	if (typeof t.agentListening === 'string') return ['recovered']; // "partly (down between …)"
	if (!t.agentListening) return ['unreachable', 'unconfirmed'];
	if (t.agentAccepted.payloads === 0) return ['rejected', 'unconfirmed'];
	return ['ok', 'recovered'];
}

describe('verdict matches what the Agent saw', () => {
	for (const log of corpusSamples()) {
		const truth: Truth = JSON.parse(
			fs.readFileSync(log.replace(/\.log$/, '.expected.json'), 'utf8')
		);
		const want = allowed(truth);
		if (!want) continue;
		it(path.basename(log), async () => {
			const a = await analyze({
				name: path.basename(log),
				data: new Uint8Array(fs.readFileSync(log))
			});
			expect(want).toContain(a.verdict.status);
			expect(a.verdict.evidence.length).toBeGreaterThan(0);
			if (a.verdict.status !== 'ok') expect(a.verdict.summary).toMatch(/127\.0\.0\.1:8126/);
		});
	}
});

describe('verdict wording', () => {
	it('names the time span of failures when the log has times', async () => {
		const log = corpusSamples('ruby').find((f) => f.includes('2.41.0-agent-refused'));
		if (!log) return;
		const a = await analyze({ name: 'x', data: new Uint8Array(fs.readFileSync(log)) });
		expect(a.verdict.summary).toMatch(/from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d/);
	});

	it('a refusal says the payloads reached the Agent but none was accepted', async () => {
		const log = corpusSamples('nodejs').find((f) => f.includes('5.132.0-http500'));
		if (!log) return;
		const a = await analyze({ name: 'x', data: new Uint8Array(fs.readFileSync(log)) });
		expect(a.verdict.status).toBe('rejected');
		expect(a.verdict.summary).toMatch(/rejected 2 payloads \(HTTP 500\).* None was accepted\.$/);
	});

	it('an Agent that took the connection but never answered is not called unreachable', async () => {
		const go =
			'2021/08/17 17:47:42 Datadog Tracer v1.32.0 ERROR: lost 3 traces: Post "http://localhost:8126/v0.4/traces": EOF (occurred: 17 Aug 21 17:46 UTC)\n';
		const python =
			"failed to send, dropping 23 traces to intake at http://10.154.0.10:8126/v0.5/traces after 3 retries (RemoteDisconnected('Remote end closed connection without response'))\n";
		const lab = path.resolve(
			import.meta.dirname,
			'../fixtures/nodejs-lab/nodejs-4.1.0-hang-many.log' // a fake Agent that never answers
		);
		for (const data of [go, python, new Uint8Array(fs.readFileSync(lab))]) {
			const a = await analyze({ name: 'x', data });
			expect(a.verdict.status).toBe('failed');
			expect(a.verdict.summary).toMatch(/Agent at [\w.:]+ did not answer \d+ payloads?\b/);
			expect(a.verdict.summary).not.toMatch(/reached/);
			expect(a.verdict.details.join(' ')).toMatch(/overloaded or stuck/);
		}
	});

	it('an https:// Agent URL whose handshake fails is named with its scheme and explained', async () => {
		const lab = path.resolve(import.meta.dirname, '../fixtures/nodejs-lab/nodejs-4.1.0-https.log');
		const a = await analyze({ name: 'x', data: new Uint8Array(fs.readFileSync(lab)) });
		expect(a.verdict.summary).toContain('the Agent at https://127.0.0.1:8126 ');
		expect(a.verdict.details.join(' ')).toContain('use http:// in DD_TRACE_AGENT_URL');
	});

	it('counts the traces a tracer dropped before sending, not the ones its sampler dropped', async () => {
		const span =
			'DDSpan [ t_id=1, s_id=1, p_id=0 ] trace=shop/servlet.request/GET /cart tags={}, duration_ns=1500000, forceKeep=false, links=[]';
		const line = (what: string) =>
			`[dd.trace 2024-03-01 10:00:00:100 +0000] [main] DEBUG datadog.trace.agent.common.writer.RemoteWriter - ${what}: [${span}]`;
		const a = await analyze({
			name: 'x',
			data: [
				line('Dropped due to a buffer overflow'),
				line('Dropped due to a buffer overflow'),
				line('Dropped by the policy')
			].join('\n')
		});
		expect(a.tracer).toBe('java');
		const lost = a.verdict.details.filter((d) => d.includes('dropped by the tracer'));
		expect(lost).toEqual([
			'2 traces were dropped by the tracer before sending (due to a buffer overflow), first 10:00:00.'
		]);
	});

	it("the start-up configuration's failed Agent check is the verdict when nothing else is logged", async () => {
		const java = (agentError: string) =>
			`[dd.trace 2024-03-01 10:00:00:100 +0000] [main] INFO datadog.trace.agent.core.StatusLogger - DATADOG TRACER CONFIGURATION {"version":"1.30.0~abc","os_name":"Linux","lang":"jvm","agent_url":"http://dd-agent:8126","agent_error":${agentError},"debug":false,"service":"shop"}`;
		const failed = await analyze({ name: 'x', data: java('true') });
		expect(failed.tracer).toBe('java');
		expect(failed.verdict.status).toBe('unreachable');
		expect(failed.verdict.summary).toBe(
			"The Agent at dd-agent:8126 could not be reached by the tracer's start-up check, and no send is logged after it."
		);
		expect(failed.verdict.details).toContain('At start-up the tracer could not reach the Agent.');
		const sent = await analyze({
			name: 'x',
			data: [
				java('true'),
				'[dd.trace 2024-03-01 10:00:05:100 +0000] [dd-trace-writer] DEBUG datadog.trace.agent.common.writer.DDAgentWriter - Sending 2 traces (5 spans) to the API (async)'
			].join('\n')
		});
		expect(sent.counts['flush.attempt']).toBe(1);
		expect(sent.verdict.summary).toMatch(
			/start-up check, and the 1 payload sent after it has no logged answer\.$/
		);
		const fine = await analyze({ name: 'x', data: java('false') });
		expect(fine.verdict.status).toBe('no-flush-info');
		const python = await analyze({
			name: 'x',
			data: new Uint8Array(
				fs.readFileSync(corpusSamples('python').find((f) => f.includes('0.60.6-refused'))!)
			)
		});
		expect(python.verdict.status).toBe('unreachable'); // its failed sends decide
		expect(python.verdict.details.join(' ')).toContain(
			'At start-up the tracer could not reach the Agent: Agent not reachable at http://127.0.0.1:8126.'
		);
	});

	it('gives the period in lines when the times run backwards (runs pasted together)', async () => {
		const log = path.resolve(
			import.meta.dirname,
			'../fixtures/found-java/docs-connection-errors.log'
		);
		const a = await analyze({ name: 'x', data: new Uint8Array(fs.readFileSync(log)) });
		expect(a.verdict.summary).toMatch(/ from line \d+ to line \d+\./);
	});

	it("an Agent URL on DogStatsD's socket is named as the mistake", async () => {
		const log = path.resolve(
			import.meta.dirname,
			'../fixtures/found-ruby/rb-0.45.0-issue1413-uds-dogstatsd-socket-debug.log'
		);
		const a = await analyze({ name: 'x', data: new Uint8Array(fs.readFileSync(log)) });
		expect(a.verdict.status).toBe('unreachable');
		expect(a.verdict.details.join(' ')).toContain('traces go to the APM socket');
	});
});
