// Archives and flares: every log inside is analysed; begin/end pairs carry a gap marker; bombs stop.
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lib/core/index';
import { expandArchives, unzipLogs } from '../../src/lib/core/input/archive';

describe('zip archives', () => {
	const flare = zipSync({
		'tracer/tracer_end.log': strToU8('end line 1\nend line 2\n'),
		'tracer/tracer_begin.log': strToU8('begin line 1\n'),
		'tracer/config.yaml': strToU8('a: 1\n'),
		'other.txt': strToU8('x\n')
	});

	it('lists and orders the logs inside, begin before end, with a gap marker', async () => {
		const { sources, notes } = await unzipLogs('flare.zip', flare);
		expect(sources.map((s) => s.name)).toEqual([
			'flare.zip/other.txt',
			'flare.zip/tracer/tracer_begin.log',
			'flare.zip/tracer/tracer_end.log'
		]);
		expect(sources[2].gapBefore).toMatch(/gap/);
		expect(sources[1].gapBefore).toBeUndefined();
		expect(notes.join(' ')).toMatch(/3 log file\(s\) inside.*1 other file\(s\) skipped/);
	});

	it('analyses each log of a zip given as a Blob', async () => {
		const a = await analyze({ name: 'flare.zip', data: new Blob([flare]) });
		expect(a.files.map((f) => f.name)).toHaveLength(3);
		expect(a.files[2].gapBefore).toBeTruthy();
		expect(a.files[1].lines).toBe(1);
		expect(a.notes.join(' ')).toMatch(/flare\.zip/);
	});

	it('stops a zip bomb at the cap and says so', async () => {
		const bomb = zipSync({ 'big.log': new Uint8Array(8 * 1024 * 1024).fill(0x61) }, { level: 9 });
		expect(bomb.length).toBeLessThan(100_000);
		const { sources, notes } = await expandArchives(
			[{ name: 'bomb.zip', data: bomb }],
			1024 * 1024
		);
		expect(notes.join(' ')).toMatch(/zip bomb/);
		expect(sources.reduce((n, s) => n + (s.data as Uint8Array).length, 0)).toBeLessThanOrEqual(
			1024 * 1024
		);
	});

	it('says a damaged archive is damaged', async () => {
		const cut = flare.slice(0, Math.floor(flare.length / 2));
		const { notes } = await unzipLogs('cut.zip', cut);
		expect(notes.join(' ')).toMatch(/cut\.zip: the archive is damaged/);
		const { notes: tiny } = await unzipLogs('tiny.zip', flare.slice(0, 10));
		expect(tiny.join(' ')).toMatch(/tiny\.zip: the archive is damaged \(it ends before/);
	});
});
