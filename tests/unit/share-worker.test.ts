// The worker's side of sharing: a link built from a File read in part (byte ranges, or streamed
// for gzip) equals the link built from the whole text; the .log.gz download holds the log.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze, type Source } from '../../src/lib/core/index';
import { createShareLink, decodePermalink } from '../../src/lib/permalink/index';
import { buildShare, gzipFile, openLink, WHOLE_TRY_MAX } from '../../src/lib/worker/share';
import { CORPUS } from './corpus-files';

const ORIGIN = 'https://tracelens.example/';
const SAMPLE = path.join(CORPUS, 'python/py-2.8.7-killed.log');

async function shareable(inputs: Source[]) {
	return { analysis: await analyze(inputs), inputs };
}

describe.skipIf(!fs.existsSync(SAMPLE))('sharing in the worker', () => {
	const bytes = new Uint8Array(fs.readFileSync(SAMPLE));
	const text = new TextDecoder().decode(bytes);
	const crlf = text.replace(/\n/g, '\r\n');
	const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(crlf)]);

	it.each([
		['a File', new Blob([bytes]), text],
		['a gzip File', new Blob([zlib.gzipSync(bytes)]), text],
		['bytes with a BOM and CRLF', bom, crlf],
		['the editor text', text, text]
	])('an excerpt of %s equals the excerpt of the whole text', async (_what, data, expected) => {
		const s = await shareable([{ name: 'tracer.log', data }]);
		const ev = s.analysis.events.get(Math.floor(s.analysis.events.length / 3));
		const view = {
			selected: { file: 0, line: ev.line },
			filters: [{ field: 'kind' as const, value: 'flush.error' }]
		};
		const answer = await buildShare(s, { mode: 'excerpt', origin: ORIGIN, view, redact: {} });
		const reference = await createShareLink({
			texts: [expected],
			source: s.analysis,
			origin: ORIGIN,
			view,
			redact: {}
		});
		expect(answer.url).toBe(reference.url);
		expect(answer.length).toBeLessThanOrEqual(2000);
		expect(answer.files[0]).toMatchObject({ name: 'tracer.log', lines: s.analysis.files[0].lines });
		expect(answer.files[0].keptLines).toBeLessThan(answer.files[0].lines);
		// the preview is the shared text, with original numbers and the gaps
		expect(answer.preview.some((p) => p.line === 0 && p.times > 0)).toBe(true);
		const first = answer.preview.find((p) => p.line === ev.line)!;
		expect(first.text).toBe(
			reference.envelope.files[0].segments!.flatMap((g) => g.lines).find((l) => l === first.text)
		);
	});

	it('a whole log far above a link is not read, and says so', async () => {
		const big = new Blob(Array(Math.ceil((WHOLE_TRY_MAX + 1) / bytes.length)).fill(bytes));
		const s = await shareable([{ name: 'big.log', data: big }]);
		const answer = await buildShare(s, { mode: 'whole', origin: ORIGIN, redact: false });
		expect(answer).toMatchObject({ notBuilt: true, tooLongForLink: true, url: '' });
	});

	it('a whole small log makes a link of the whole text', async () => {
		const small = text.split('\n').slice(0, 60).join('\n') + '\n';
		const s = await shareable([{ name: 'small.log', data: new Blob([small]) }]);
		const answer = await buildShare(s, { mode: 'whole', origin: ORIGIN, redact: false });
		const d = await decodePermalink(answer.url);
		expect(d.envelope.files[0].text).toBe(small);
		expect(answer.complete).toBe(true);
	});

	it('the .log.gz holds every line, redacted with the same tokens throughout', async () => {
		const s = await shareable([{ name: 'tracer.log', data: new Blob([zlib.gzipSync(bytes)]) }]);
		const plain = await gzipFile(s, 0, false);
		const back = zlib.gunzipSync(Buffer.from(await plain.blob.arrayBuffer())).toString('utf8');
		expect(back).toBe(text.endsWith('\n') ? text : text + '\n');
		const red = await gzipFile(s, 0, { custom: [{ pattern: 'ddtrace' }] });
		const redacted = zlib.gunzipSync(Buffer.from(await red.blob.arrayBuffer())).toString('utf8');
		expect(red.replacements).toBeGreaterThan(0);
		expect(redacted.split('\n').length).toBe(back.split('\n').length);
		expect(redacted).not.toContain('ddtrace');
		expect(redacted).toBe(back.replaceAll('ddtrace', 'redacted-1'));
	});

	it('opens links in plain objects: the error code and sentence, and what was recovered', async () => {
		const s = await shareable([{ name: 'tracer.log', data: text }]);
		const answer = await buildShare(s, { mode: 'excerpt', origin: ORIGIN, redact: false });
		const ok = await openLink(answer.url);
		expect(ok.ok).toBe(true);
		const cut = await openLink(answer.url.slice(0, Math.floor(answer.url.length * 0.7)));
		expect(cut).toMatchObject({ ok: false, code: 'truncated' });
		if (!cut.ok) {
			expect(cut.message).toMatch(/cut off by a chat app/);
			expect(cut.recovered?.files[0].segments?.length).toBeGreaterThan(0);
		}
		const future = await openLink(answer.url.replace('#L1.', '#L7.'));
		expect(future).toMatchObject({ ok: false, code: 'unknown-version' });
	});
});
