// Redaction before sharing: what is replaced, that replacement is consistent, that it leaves
// tracer lines readable (the analysis of every redacted corpus log equals the original's), and
// that it stays linear on hostile input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import {
	checkCustomPattern,
	createShareLink,
	decodePermalink,
	redactFiles,
	redactText,
	Redactor,
	splitLines,
	type RedactOptions
} from '../../src/lib/permalink/index';
import { CORPUS, corpusSamples } from './corpus-files';

const r = (text: string, options?: RedactOptions) => redactText(text, options).text;

describe('what is redacted', () => {
	it('API and application keys', () => {
		expect(r('DD_API_KEY=0123456789abcdef0123456789abcdef ok')).toBe('DD_API_KEY=apikey-1 ok');
		expect(r('{"api_key":"s3cr3t","app_key":"k2"}')).toBe(
			'{"api_key":"apikey-1","app_key":"apikey-2"}'
		);
		expect(r('headers: {"DD-API-KEY": "abc"}')).toBe('headers: {"DD-API-KEY": "apikey-1"}');
		expect(r("dd.apiKey = 'abc'")).toBe("dd.apiKey = 'apikey-1'");
		expect(r('key 0123456789abcdef0123456789abcdef.')).toBe('key apikey-1.');
		expect(r('{\\"api_key\\":\\"zz\\"}')).toBe('{\\"api_key\\":\\"apikey-1\\"}');
	});

	it('but not key-file settings, empty values or 32-hex ids', () => {
		for (const line of [
			'DD_API_KEY_FILE=/run/secrets/key api_key: None apiKey=null',
			"'runtime-id': 'fc66e6f947a84f168c590fa794022b9f'",
			'traceparent 00-6b07fbe70000000070d7832aa666b096-70d7832aa666b096-01',
			'trace_id=6b07fbe70000000070d7832aa666b096 dd.trace_id: 6b07fbe70000000070d7832aa666b096',
			'the API key is missing; set an api key'
		]) {
			expect(r(line)).toBe(line);
		}
	});

	it('IPv4 and IPv6 addresses, keeping loopback unless asked', () => {
		expect(r('connect ECONNREFUSED 10.0.0.5:8126, then 10.0.0.6 and 10.0.0.5.')).toBe(
			'connect ECONNREFUSED ip-1:8126, then ip-2 and ip-1.'
		);
		expect(r('agent http://[fd00:1::5]:8126/v0.4 from fe80::1ff:fe23:4567:890a')).toBe(
			'agent http://[ipv6-1]:8126/v0.4 from ipv6-2'
		);
		expect(r('127.0.0.1:8126 ::1 0.0.0.0 localhost')).toBe('127.0.0.1:8126 ::1 0.0.0.0 localhost');
		expect(r('127.0.0.1:8126 ::1 http://localhost:8126', { keepLoopback: false })).toBe(
			'ip-1:8126 ipv6-1 http://host-1:8126'
		);
	});

	it('not versions, times or Ruby/C++ names', () => {
		for (const line of [
			'TracerVersion: "2.13.0.0" "lang_version": "11.0.14.1" v1.2.3.4',
			'2024-01-01T10:02:11.123Z 10:02:11 12:34:56.789',
			'Datadog::Tracing::Writer std::string aa:bb:cc:dd:ee:ff 1.2.3.4.5',
			'ddtrace.internal.writer System.Net.Http datadog.trace.agent.core.DDSpan index.js app.py'
		]) {
			expect(r(line)).toBe(line);
		}
	});

	it('host names: URL hosts, host keys, DNS errors, dotted names', () => {
		expect(r('http://datadog-agent:8126/v0.4/traces')).toBe('http://host-1:8126/v0.4/traces');
		expect(r('DD_AGENT_HOST=agent-7 "hostname":"vm12" out.host: db.local')).toBe(
			'DD_AGENT_HOST=host-1 "hostname":"host-2" out.host: host-3'
		);
		expect(r('dial tcp: lookup datadog-agent on 10.96.0.10:53: no such host')).toBe(
			'dial tcp: lookup host-1 on ip-1:53: no such host'
		);
		expect(r('getaddrinfo ENOTFOUND agent.prod.internal')).toBe('getaddrinfo ENOTFOUND host-1');
		expect(r('sent to db-1.prod.example.net and api.acme.io')).toBe('sent to host-1 and host-2');
		// public Datadog and documentation names stay
		expect(r('see https://docs.datadoghq.com/tracing/?tab=java trace.agent.datadoghq.eu')).toBe(
			'see https://docs.datadoghq.com/tracing/?tab=java trace.agent.datadoghq.eu'
		);
		// prose is not a host
		expect(r('connect: no route to host: retrying; DNS lookup failed')).toBe(
			'connect: no route to host: retrying; DNS lookup failed'
		);
	});

	it('URL query strings and credentials', () => {
		expect(r('"http.url":"http://127.0.0.1:5055/task?id=42&token=abc"')).toBe(
			'"http.url":"http://127.0.0.1:5055/task?query-1"'
		);
		expect(r('GET https://bob:hunter2@api.acme.io/x?a=1#frag).')).toBe(
			'GET https://user-1@host-1/x?query-1).'
		);
		expect(r('http://10.0.0.1:8126?timeout=2000 http://10.0.0.1:8126?timeout=2000')).toBe(
			'http://ip-1:8126?query-1 http://ip-1:8126?query-1'
		);
	});

	it('custom strings and regexes, first', () => {
		const options: RedactOptions = {
			custom: [
				{ pattern: 'acme-corp' },
				{ pattern: 'cust-\\d+', regex: true },
				{ pattern: 'SECRET', ignoreCase: true }
			]
		};
		expect(r('service acme-corp for cust-123 and cust-9, Secret and cust-123', options)).toBe(
			'service redacted-1 for redacted-2 and redacted-3, redacted-4 and redacted-2'
		);
	});

	it('each kind can be turned off', () => {
		const line = 'DD_API_KEY=abc http://10.0.0.1:8126/?q=1 db.acme.io';
		expect(r(line, { apiKeys: false, ips: false, hosts: false, queries: false })).toBe(line);
		expect(r(line, { ips: false, hosts: false, queries: false })).toBe(
			'DD_API_KEY=apikey-1 http://10.0.0.1:8126/?q=1 db.acme.io'
		);
	});
});

describe('consistency', () => {
	it('replaces a name found on a later line where it stands alone earlier', () => {
		const res = redactText(
			'retrying (datadog-agent:8126)\nPOST http://datadog-agent:8126/v0.4/traces'
		);
		expect(res.text).toBe('retrying (host-1:8126)\nPOST http://host-1:8126/v0.4/traces');
		expect(res.replacements).toEqual([
			{ kind: 'host', original: 'datadog-agent', token: 'host-1', count: 2 }
		]);
		// but not a short plain word: "web" may be a span type as well as a host
		expect(redactText('"type":"web"\nhttp://web:80/').text).toBe('"type":"web"\nhttp://host-1:80/');
	});

	it('gives the same value the same token everywhere, and reports the preview', () => {
		const text = [
			'agent at http://10.1.2.3:8126 unreachable',
			'retry 10.1.2.3 failed; DD_API_KEY=k1',
			'Agent host DB.Acme.IO vs db.acme.io, other 10.9.9.9',
			'again 10.1.2.3 and DD_API_KEY=k1'
		].join('\r\n');
		const res = redactText(text);
		expect(res.text).toBe(
			[
				'agent at http://ip-1:8126 unreachable',
				'retry ip-1 failed; DD_API_KEY=apikey-1',
				'Agent host host-1 vs host-1, other ip-2',
				'again ip-1 and DD_API_KEY=apikey-1'
			].join('\r\n')
		);
		// by kind, then token; a name is one host whatever its case
		expect(res.replacements).toEqual([
			{ kind: 'api-key', original: 'k1', token: 'apikey-1', count: 2 },
			{ kind: 'ip', original: '10.1.2.3', token: 'ip-1', count: 3 },
			{ kind: 'ip', original: '10.9.9.9', token: 'ip-2', count: 1 },
			{ kind: 'host', original: 'db.acme.io', token: 'host-1', count: 2 }
		]);
		expect(res.notes).toEqual([
			{ kind: 'api-key', values: 1, count: 2 },
			{ kind: 'ip', values: 2, count: 4 },
			{ kind: 'host', values: 1, count: 2 }
		]);
		expect(res.complete).toBe(true);
	});

	it('is consistent across files and file names, and keeps line counts', () => {
		const out = redactFiles([
			{ name: 'agent-10.0.0.7.log', bytes: 1, lines: 2, text: 'to 10.0.0.7\nto 10.0.0.8\n' },
			{ name: 'b.log', bytes: 1, lines: 9, segments: [{ start: 5, lines: ['from 10.0.0.8', 'x'] }] }
		]);
		expect(out.files[0]).toMatchObject({ name: 'agent-ip-1.log', text: 'to ip-1\nto ip-2\n' });
		expect(out.files[1].segments).toEqual([{ start: 5, lines: ['from ip-2', 'x'] }]);
	});

	it('redacts what a share link carries, and records only kinds and counts', async () => {
		const a = await analyze({ name: 'x.log', data: 'hello' });
		const link = await createShareLink({
			texts: ['agent 10.0.0.7 DD_API_KEY=topsecret\nline two'],
			source: a,
			origin: 'https://tracelens.example/',
			redact: {}
		});
		const d = await decodePermalink(link.hash);
		expect(d.envelope.files[0].text).toBe('agent ip-1 DD_API_KEY=apikey-1\nline two');
		expect(d.envelope.redactions).toEqual([
			{ kind: 'api-key', values: 1, count: 1 },
			{ kind: 'ip', values: 1, count: 1 }
		]);
		expect(link.hash).not.toContain('topsecret');
		expect(JSON.stringify(d.envelope)).not.toMatch(/topsecret|10\.0\.0\.7/);
		expect(link.replacements.map((x) => x.original)).toEqual(['topsecret', '10.0.0.7']);
	});
});

describe('custom pattern guard', () => {
	it('refuses patterns that can backtrack catastrophically or match nothing', () => {
		for (const pattern of [
			'(a+)+b',
			'(a|aa)*c',
			'(\\w+\\s?)*$',
			'(x+x+)+y',
			'(a)\\1',
			'a*b*c*d*e',
			'',
			'x*',
			'('
		]) {
			expect(checkCustomPattern({ pattern, regex: true }), pattern).not.toBeNull();
		}
		for (const pattern of [
			'cust-\\d+',
			'token=[^&\\s]+',
			'[a-f0-9]{40}',
			'(?:foo|bar)-\\d{2,4}',
			'a+b+c+'
		]) {
			expect(checkCustomPattern({ pattern, regex: true }), pattern).toBeNull();
		}
		expect(checkCustomPattern({ pattern: '(a+)+b' })).toBeNull(); // a plain string is just text
	});

	it('reports a refused pattern and marks the result incomplete', () => {
		const res = redactText('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', {
			custom: [{ pattern: '(a+)+b', regex: true }]
		});
		expect(res.complete).toBe(false);
		expect(res.problems[0].pattern).toBe('(a+)+b');
		expect(res.text).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');
	});

	it('finds matches across the slices a long line is cut into', () => {
		const line = Array.from({ length: 400 }, (_, i) => `cust-${i}`).join(' ');
		expect(line.length).toBeGreaterThan(2000);
		const res = redactText(line, { custom: [{ pattern: 'cust-\\d+', regex: true }] });
		expect(res.text).toBe(Array.from({ length: 400 }, (_, i) => `redacted-${i + 1}`).join(' '));
	});

	it('stops a slow pattern at its time budget', () => {
		const text = Array(2000).fill('a'.repeat(500)).join('\n');
		const res = redactText(text, {
			custom: [{ pattern: 'a*a*a*b', regex: true }],
			customBudgetMs: 20
		});
		expect(res.complete).toBe(false);
		expect(res.problems[0].message).toMatch(/stopped/);
	});
});

describe('linear time', () => {
	it('handles a long line with no separators, many dots, colons and hex quickly', () => {
		const hostile = [
			'a'.repeat(1_000_000),
			'a.'.repeat(500_000),
			'1.'.repeat(500_000),
			':'.repeat(1_000_000),
			'f'.repeat(1_000_000),
			'http://'.repeat(150_000),
			'host=' + 'x'.repeat(1_000_000),
			'api_key'.repeat(150_000),
			'api_key:'.repeat(150_000),
			'host:'.repeat(200_000),
			'"hostname":"'.repeat(100_000),
			'lookup '.repeat(150_000),
			'[::'.repeat(300_000),
			'http://x/?'.repeat(100_000),
			'x@'.repeat(500_000)
		];
		for (const line of hostile) {
			const started = performance.now();
			new Redactor().line(line);
			expect(performance.now() - started, line.slice(0, 20)).toBeLessThan(1500);
		}
	});
});

describe.skipIf(!fs.existsSync(CORPUS))('redacted corpus logs analyse the same', () => {
	const strict: RedactOptions = { keepLoopback: false, custom: [{ pattern: 'log-gen-app' }] };
	for (const sample of corpusSamples()) {
		const name = `${path.basename(path.dirname(sample))}/${path.basename(sample)}`;
		it(name, async () => {
			const text = fs.readFileSync(sample, 'utf8');
			const before = await analyze({ name: path.basename(sample), data: text });
			for (const options of [{}, strict]) {
				const res = redactText(text, options);
				expect(splitLines(res.text).length).toBe(splitLines(text).length);
				const after = await analyze({ name: path.basename(sample), data: res.text });
				expect(after.tracer).toBe(before.tracer);
				expect(after.verdict.status).toBe(before.verdict.status);
				expect(after.counts).toEqual(before.counts);
				expect(after.verdict.evidence.map((e) => e.line)).toEqual(
					before.verdict.evidence.map((e) => e.line)
				);
				// nothing replaced survives (values long enough not to occur inside other words)
				for (const rep of res.replacements) {
					if (rep.original.length >= 6)
						expect(res.text.includes(rep.original), rep.original).toBe(false);
				}
				// and a second pass finds nothing new: tokens are not redacted again
				expect(
					redactText(res.text, options).replacements.filter((x) => x.kind !== 'custom')
				).toEqual([]);
			}
		});
	}
});
