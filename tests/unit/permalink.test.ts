// The link codec: round trips of every corpus sample (whole and excerpt), tolerant decoding, and
// the typed errors of broken links (garbage, truncation, zip bombs, newer versions).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import {
	createShareLink,
	decodePermalink,
	editorFile,
	encodePermalink,
	linkFit,
	looksLikePermalink,
	PermalinkError,
	permalinkUrl,
	splitLines,
	tryDecodePermalink,
	type ShareEnvelope,
	type ShareFile
} from '../../src/lib/permalink/index';
import { decodeBase64url, encodeBase64url } from '../../src/lib/permalink/base64url';
import { deflateRaw } from '../../src/lib/permalink/deflate';
import { parsePartialJson } from '../../src/lib/permalink/partial-json';
import { CORPUS, corpusSamples } from './corpus-files';

const ORIGIN = 'https://tracelens.example/';

function whole(text: string, name = 'app.log'): ShareEnvelope {
	return {
		title: 'a title',
		tracer: 'nodejs',
		files: [{ name, bytes: Buffer.byteLength(text), lines: splitLines(text).length, text }]
	};
}

async function codeOf(hash: string): Promise<string> {
	const r = await tryDecodePermalink(hash);
	return r.ok ? 'ok' : r.error.code;
}

/** Every excerpt line is the original line of the number it claims (cut lines: a prefix). */
function expectOriginalNumbers(file: ShareFile, original: string[]) {
	const ef = editorFile(file);
	const lines = ef.text.split('\n');
	expect(lines.length).toBe(ef.lines);
	for (let i = 0; i < ef.lines; i++) {
		const n = ef.origin[i];
		for (let k = 0; k < ef.times[i]; k++) {
			const want = original[n - 1 + k];
			if (ef.clippedFrom[i]) {
				expect(want.length).toBe(ef.clippedFrom[i]);
				expect(want.startsWith(lines[i])).toBe(true);
			} else expect(lines[i]).toBe(want);
		}
	}
}

describe('base64url', () => {
	it('round-trips every length, without padding or +/', () => {
		for (let n = 0; n < 70; n++) {
			const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 255);
			const text = encodeBase64url(bytes);
			expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
			expect(text).toBe(Buffer.from(bytes).toString('base64url'));
			expect(decodeBase64url(text)).toEqual({ bytes, cut: false });
		}
	});
	it('takes the standard alphabet, padding and whitespace', () => {
		const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 151) & 255);
		const std = Buffer.from(bytes).toString('base64');
		expect(std).toMatch(/[+/]/);
		const wrapped = std.replace(/.{20}/g, '$&\n  \t');
		expect(decodeBase64url(wrapped)?.bytes).toEqual(bytes);
	});
	it('flags a dangling character or chat-app junk as cut, other characters as invalid', () => {
		expect(decodeBase64url('QUJD' + 'R')?.cut).toBe(true);
		expect(decodeBase64url('QUJDRA…')?.cut).toBe(true);
		expect(decodeBase64url('QUJDRA...')?.cut).toBe(true);
		expect(decodeBase64url('QU!JD')).toBeNull();
		expect(decodeBase64url('QU==JD')).toBeNull();
	});
});

describe('partial JSON', () => {
	it('closes a string cut in the middle and keeps its complete characters', () => {
		const json = JSON.stringify({ a: 1, files: [{ name: 'x', text: 'héllo \\ "w" 😀 end' }] });
		for (let cut = 1; cut < json.length; cut++) {
			const p = parsePartialJson(json.slice(0, cut));
			expect(p, `cut ${cut}`).not.toBeNull();
			expect(p!.complete).toBe(false);
			const text = (p!.value as { files?: { text?: string }[] }).files?.[0]?.text;
			if (text !== undefined) expect('héllo \\ "w" 😀 end'.startsWith(text)).toBe(true);
		}
		expect(parsePartialJson(json)).toEqual({ value: JSON.parse(json), complete: true });
	});
	it('drops a key with no value yet, and a number that may be cut', () => {
		expect(parsePartialJson('{"title":"x","files"')?.value).toEqual({ title: 'x' });
		expect(parsePartialJson('{"title":"x","files":')?.value).toEqual({ title: 'x' });
		expect(parsePartialJson('{"a":[1,2,')?.value).toEqual({ a: [1, 2] });
		expect(parsePartialJson('{"a":[1,23')?.value).toEqual({ a: [1] });
		expect(parsePartialJson('{"a":[1,{"b":tr')?.value).toEqual({ a: [1, {}] });
	});
	it('refuses text that is not the start of JSON', () => {
		expect(parsePartialJson('hello')).toBeNull();
		expect(parsePartialJson('{"a":1}}')).toBeNull();
		expect(parsePartialJson('{"a" 1')).toBeNull();
	});
});

describe('codec', () => {
	it('writes #L1. and reads back the envelope', async () => {
		const env: ShareEnvelope = {
			...whole('line one\r\nline two é 😀\n\nlast'),
			redactions: [{ kind: 'ip', values: 2, count: 5 }],
			view: {
				selected: { file: 0, line: 2 },
				filters: [
					{ field: 'kind', value: 'flush.error' },
					{ field: 'level', value: 'debug', not: true }
				],
				zoom: { axis: 'time', x0: 1700000000000, x1: 1700000005000.5 }
			}
		};
		const hash = await encodePermalink(env);
		expect(hash).toMatch(/^#L1\.[A-Za-z0-9_-]+$/);
		const d = await decodePermalink(hash);
		expect(d.envelope).toEqual(env);
		expect(d.version).toBe(1);
		expect(d.warnings).toEqual([]);
	});

	it('accepts a full URL, a hash, or the bare payload; tolerates +/=, whitespace', async () => {
		const env = whole(fs.existsSync(CORPUS) ? 'x'.repeat(3000) + '\n' + 'y?'.repeat(500) : 'abc');
		const hash = await encodePermalink(env);
		const payload = hash.slice(4);
		const standard =
			payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4);
		const inputs = [
			hash,
			hash.slice(1),
			permalinkUrl(ORIGIN, hash),
			permalinkUrl(ORIGIN + '#old', hash),
			`  ${hash}\n`,
			'#L1.' + standard,
			'#L1.' + payload.replace(/.{50}/g, '$&\n  '),
			'#L1.' + payload + '=='
		];
		for (const input of inputs) expect((await decodePermalink(input)).envelope).toEqual(env);
	});

	it('says what is not a permalink', async () => {
		for (const input of [
			'',
			'#',
			'#section-2',
			'https://tracelens.example/',
			'L1',
			'#L.abc',
			'hello'
		]) {
			expect(await codeOf(input), input).toBe('not-a-permalink');
			expect(looksLikePermalink(input)).toBe(false);
		}
		expect(looksLikePermalink('https://x.example/#L1.abc')).toBe(true);
	});

	it('gives typed errors for garbage', async () => {
		expect(await codeOf('#L1.')).toBe('corrupt');
		expect(await codeOf('#L1.!!!!')).toBe('corrupt');
		expect(await codeOf('#L1.' + 'A'.repeat(40))).toBe('corrupt');
		const notJson = encodeBase64url(
			await deflateRaw(new TextEncoder().encode('plain text, not json'))
		);
		expect(await codeOf('#L1.' + notJson)).toBe('corrupt');
		const wrongShape = encodeBase64url(await deflateRaw(new TextEncoder().encode('{"files":"x"}')));
		const r = await tryDecodePermalink('#L1.' + wrongShape);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error).toBeInstanceOf(PermalinkError);
			expect(r.error.code).toBe('invalid');
		}
	});

	it('rejects envelopes whose segments overlap or whose numbers are not line numbers', async () => {
		const bad: unknown[] = [
			{ files: [] },
			{ files: [{ name: 'a', bytes: 1, lines: 1 }] },
			{ files: [{ name: 'a', bytes: 1, lines: 1, text: 'x', segments: [] }] },
			{ files: [{ name: 'a', bytes: -1, lines: 1, text: 'x' }] },
			{ files: [{ name: 'a', bytes: 1, lines: 9, segments: [{ start: 0, lines: ['x'] }] }] },
			{
				files: [
					{
						name: 'a',
						bytes: 1,
						lines: 9,
						segments: [
							{ start: 2, lines: ['x', 'y'] },
							{ start: 3, lines: ['z'] }
						]
					}
				]
			},
			{
				files: [
					{
						name: 'a',
						bytes: 1,
						lines: 9,
						segments: [{ start: 1, lines: ['x'], repeats: [[1, 2]] }]
					}
				]
			},
			{ files: [{ name: 'a', bytes: 1, lines: 9, segments: [{ start: 1, lines: [3] }] }] },
			{ title: 5, files: [{ name: 'a', bytes: 1, lines: 1, text: 'x' }] }
		];
		for (const value of bad) {
			const payload = encodeBase64url(
				await deflateRaw(new TextEncoder().encode(JSON.stringify(value)))
			);
			expect(await codeOf('#L1.' + payload), JSON.stringify(value)).toBe('invalid');
		}
	});

	it('drops an unreadable view part with a warning, and keeps the log', async () => {
		const value = {
			files: [{ name: 'a', bytes: 1, lines: 1, text: 'x' }],
			view: {
				selected: { file: 0, line: 'x' },
				filters: [{ field: 'future', value: 'y' }],
				zoom: { axis: 'time', x0: 5, x1: 1 }
			}
		};
		const payload = encodeBase64url(
			await deflateRaw(new TextEncoder().encode(JSON.stringify(value)))
		);
		const d = await decodePermalink('#L1.' + payload);
		expect(d.envelope.files[0].text).toBe('x');
		expect(d.envelope.view).toEqual({ filters: [] });
		expect(d.warnings.length).toBe(3);
	});

	it('says a newer version is newer, and still shows its text', async () => {
		const env = whole('line 1\nline 2');
		const hash = await encodePermalink(env);
		const r = await tryDecodePermalink('#L9.' + hash.slice(4));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error.code).toBe('unknown-version');
		expect(r.error.message).toMatch(/newer version/);
		expect(r.recovered?.files[0].text).toBe('line 1\nline 2');
		expect(r.recovered?.complete).toBe(true);
		const garbage = await tryDecodePermalink('#L2.!!!');
		expect(!garbage.ok && garbage.error.code).toBe('unknown-version');
		expect(!garbage.ok && garbage.recovered).toBeUndefined();
	});

	it('stops inflating past the size cap (zip-bomb guard)', async () => {
		// 70 MB of JSON deflates to about 70 KB: a small link that would expand past the 64 MB cap
		const json = new Uint8Array(70 * 1024 * 1024).fill(0x20);
		json.set(new TextEncoder().encode('{"files":[{"name":"a","bytes":1,"lines":1,"text":"'), 0);
		const payload = encodeBase64url(await deflateRaw(json));
		expect(payload.length).toBeLessThan(120_000);
		const r = await tryDecodePermalink('#L1.' + payload);
		expect(!r.ok && r.error.code).toBe('too-large');
		expect(!r.ok && r.error.message).toMatch(/64 MB/);

		const small = await encodePermalink(whole('z'.repeat(200_000)));
		expect(await codeOf(small)).toBe('ok');
		const capped = await tryDecodePermalink(small, { maxJsonBytes: 100_000 });
		expect(!capped.ok && capped.error.code).toBe('too-large');
	});

	it('reports a cut link as truncated and recovers the beginning of the log', async () => {
		const text = Array.from(
			{ length: 3000 },
			(_, i) => `line ${i + 1} ${(i * 7919) % 1000003}`
		).join('\n');
		const hash = await encodePermalink(whole(text));
		let recoveredSome = 0;
		for (const keep of [0.02, 0.1, 0.33, 0.5, 0.9, 0.999]) {
			const cut = hash.slice(0, Math.floor(hash.length * keep));
			for (const input of [cut, cut + '…', cut + '...']) {
				const r = await tryDecodePermalink(input);
				expect(r.ok).toBe(false);
				if (r.ok) continue;
				expect(r.error.code, `keep ${keep}`).toBe('truncated');
				expect(r.error.message).toMatch(/cut off by a chat app/);
				const got = r.recovered?.files[0].text;
				if (got !== undefined) {
					recoveredSome++;
					expect(r.recovered!.complete).toBe(false);
					expect(text.startsWith(got)).toBe(true);
					expect(r.recovered!.title).toBe('a title');
				}
			}
		}
		expect(recoveredSome).toBeGreaterThanOrEqual(12);
		// at 90% most of the text comes back
		const r = await tryDecodePermalink(hash.slice(0, Math.floor(hash.length * 0.9)));
		expect(!r.ok && r.recovered!.files[0].text!.length).toBeGreaterThan(text.length * 0.8);
	});

	it('calls a link cut before any text came out truncated, not corrupt', async () => {
		const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${(i * 7919) % 1000003}`).join(
			'\n'
		);
		const hash = await encodePermalink(whole(text));
		for (const n of [8, 16, 24, 40]) {
			const r = await tryDecodePermalink(hash.slice(0, 4 + n));
			expect(!r.ok && r.error.code, `${n} characters`).toBe('truncated');
			expect(!r.ok && r.recovered).toBeUndefined();
		}
	});

	it('recovers the segments of a cut excerpt with their line numbers', async () => {
		const lines = Array.from(
			{ length: 400 },
			(_, i) => `entry ${i + 1}: ${'abcdefghij'.slice(i % 10)} ${i * 31}`
		);
		const file: ShareFile = {
			name: 'a.log',
			bytes: 1,
			lines: 5000,
			segments: [
				{ start: 10, lines: lines.slice(9, 200) },
				{ start: 1000, lines: lines.slice(200) }
			]
		};
		const hash = await encodePermalink({ files: [file] });
		const r = await tryDecodePermalink(hash.slice(0, Math.floor(hash.length * 0.75)));
		expect(!r.ok && r.error.code).toBe('truncated');
		const segs = (!r.ok && r.recovered?.files[0].segments) || [];
		expect(segs.length).toBeGreaterThan(0);
		expect(segs[0].start).toBe(10);
		const all = segs.flatMap((s) => s.lines);
		expect(all.length).toBeGreaterThan(100);
		all.slice(0, -1).forEach((l, i) => expect(l).toBe(file.segments!.flatMap((s) => s.lines)[i]));
	});
});

describe('length meter', () => {
	it('names the chat apps a link fits', () => {
		expect(linkFit(1999)).toMatchObject({ fits: ['discord', 'slack'], level: 'discord' });
		expect(linkFit(2000).level).toBe('discord');
		expect(linkFit(2001)).toMatchObject({
			fits: ['slack'],
			tooLongFor: ['discord'],
			level: 'slack'
		});
		expect(linkFit(4000).level).toBe('slack');
		expect(linkFit(4001)).toMatchObject({ fits: [], level: 'none' });
		expect(linkFit(2500).message).toMatch(/too long for Discord/);
	});
});

describe.skipIf(!fs.existsSync(CORPUS))('corpus round trips', () => {
	for (const sample of corpusSamples()) {
		const name = `${path.basename(path.dirname(sample))}/${path.basename(sample)}`;
		it(name, async () => {
			const bytes = new Uint8Array(fs.readFileSync(sample));
			const text = new TextDecoder().decode(bytes);
			const original = splitLines(text);
			const analysis = await analyze({ name: path.basename(sample), data: bytes });

			// whole: byte-for-byte
			const w = await createShareLink({
				texts: [text],
				source: analysis,
				origin: ORIGIN,
				mode: 'whole',
				title: name
			});
			const dw = await decodePermalink(w.url);
			expect(dw.envelope.files[0].text).toBe(text);
			expect(dw.envelope.files[0].lines).toBe(original.length);
			expect(dw.envelope.files[0].bytes).toBe(bytes.length);
			expect(dw.envelope.tracer).toBe(analysis.tracer);
			expect(dw.envelope.title).toBe(name);

			// default excerpt (level 0, untrimmed) and the share default (trimmed to 2,000)
			const selected =
				analysis.verdict.evidence[0] ??
				(analysis.events.at(0) && { file: 0, line: analysis.events.at(0)!.line });
			const view = selected ? { selected: { file: 0, line: selected.line } } : undefined;
			for (const link of [
				await createShareLink({
					texts: [text],
					source: analysis,
					origin: ORIGIN,
					view,
					excerpt: {}
				}),
				await createShareLink({ texts: [text], source: analysis, origin: ORIGIN, view })
			]) {
				const d = await decodePermalink(link.url);
				expect(d.envelope).toEqual(link.envelope);
				const f = d.envelope.files[0];
				expect(f.lines).toBe(original.length);
				if (f.text !== undefined) {
					expect(f.text).toBe(text);
					continue;
				}
				expectOriginalNumbers(f, original);
				const ef = editorFile(f);
				// first and last lines are always there
				if (original.length) {
					expect(ef.origin[0]).toBe(1);
					expect(ef.origin[ef.lines - 1] + ef.times[ef.lines - 1] - 1).toBe(original.length);
				}
				// every evidence line of the verdict, and the selected line, are in it
				for (const e of analysis.verdict.evidence) {
					expect(ef.origin.some((o, i) => o <= e.line && e.line < o + ef.times[i])).toBe(true);
				}
				if (view)
					expect(
						ef.origin.some(
							(o, i) => o <= view.selected.line && view.selected.line < o + ef.times[i]
						)
					).toBe(true);
			}
		});
	}
});
