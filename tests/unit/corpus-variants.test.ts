// The same real logs as users often hand them over: Windows line endings, a byte-order mark,
// gzip-compressed, UTF-16 from a Windows editor, coloured by a terminal, inside an app's output. Counts and tracer must not change.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import { corpusSamples } from './corpus-files';

// what an application prints around the tracer's lines (never tracer events)
const APP_LINES = [
	'2026-11-26 10:00:01,123 INFO [main] app.server - listening on :8080',
	'Starting application...',
	'{"level":"info","msg":"request handled","status":200,"path":"/health"}',
	'127.0.0.1 - - [26/Nov/2026:10:00:02 +0000] "GET /health HTTP/1.1" 200 2',
	'WARNING: something unrelated happened in the app',
	'  at com.example.App.main(App.java:10)'
].join('\n');

const variants: Record<string, (text: string) => Uint8Array> = {
	// 120 application lines before the log, 30 after
	'app lines around': (t) =>
		new TextEncoder().encode(
			(APP_LINES + '\n').repeat(20) +
				t +
				(t.endsWith('\n') ? '' : '\n') +
				(APP_LINES + '\n').repeat(5)
		),
	crlf: (t) => new TextEncoder().encode(t.replace(/\r?\n/g, '\r\n')),
	bom: (t) => new TextEncoder().encode('\ufeff' + t),
	gzip: (t) => new Uint8Array(gzipSync(Buffer.from(t))),
	utf16: (t) => new Uint8Array(Buffer.from('\ufeff' + t, 'utf16le')),
	// a terminal capture with coloured levels
	ansi: (t) =>
		new TextEncoder().encode(
			t.replace(/\b(DEBUG|INFO|WARN|WARNING|ERROR)\b/g, '\x1b[1;32m$1\x1b[0m')
		)
};

describe('corpus samples in the shapes users send them', () => {
	for (const log of corpusSamples()) {
		const text = fs.readFileSync(log, 'utf8');
		it(path.relative(path.dirname(path.dirname(log)), log), async () => {
			const base = await analyze({ name: 'x.log', data: new TextEncoder().encode(text) });
			for (const [name, make] of Object.entries(variants)) {
				const a = await analyze({ name: 'x.log', data: make(text) });
				expect(a.tracer, name).toBe(base.tracer);
				expect(a.counts, name).toEqual(base.counts);
				expect(a.verdict.status, name).toBe(base.verdict.status);
			}
		});
	}
});
