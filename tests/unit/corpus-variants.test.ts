// The same real logs as users often hand them over: Windows line endings, a byte-order mark,
// gzip-compressed, UTF-16 from a Windows editor, coloured by a terminal. Counts and tracer must not change.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import { corpusSamples } from './corpus-files';

const variants: Record<string, (text: string) => Uint8Array> = {
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
