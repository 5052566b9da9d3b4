// The real analysis worker in Chromium, through Comlink: it answers, reads a File there, transfers
// its columns, filters, cancels, and only the latest of two runs is kept.
import { describe, expect, it } from 'vitest';
import { Analyzer, Superseded, createAnalyzer } from '$lib/worker/client';
import sample from '../../static/samples/nodejs-3.58.0-recovery.log?raw';

describe('analysis worker (real module Worker + Comlink)', () => {
	it('answers with a transferable view of a pasted log', async () => {
		const { api, terminate } = createAnalyzer();
		try {
			const view = await api.analyze(1, [{ name: 'pasted', data: sample }]);
			expect(view.tracer).toBe('nodejs');
			expect(view.events.count).toBeGreaterThan(0);
			expect(view.events.kind).toBeInstanceOf(Uint8Array);
			expect(view.events.kind.length).toBe(view.events.count);
			expect(view.counts['flush.error']).toBe(2);
			expect(view.lineEvent[0].length).toBeGreaterThan(100);
			const detail = await api.event(1, view.flushes.event[0]);
			expect(detail?.event.kind).toMatch(/^flush\./);
			const errors = await api.filter(1, [{ field: 'kind', value: 'flush.error' }]);
			expect(errors?.length).toBe(2);
			const rest = await api.filter(1, [{ field: 'kind', value: 'flush.error', not: true }]);
			expect(rest?.length).toBe(view.events.count - 2);
		} finally {
			terminate();
		}
	});

	it('reads a File in the worker, several files on one axis', async () => {
		const { api, terminate } = createAnalyzer();
		try {
			const a = new File([sample], 'a.log');
			const b = new File([sample], 'b.log');
			const view = await api.analyze(2, [a, b]);
			expect(view.files.map((f) => f.name)).toEqual(['a.log', 'b.log']);
			expect(view.counts['flush.error']).toBe(4);
			expect(new Set(view.events.file)).toEqual(new Set([0, 1]));
			// on a line axis the second file follows the first
			expect(view.fileStart[1]).toBeGreaterThan(view.files[0].lines);
		} finally {
			terminate();
		}
	});

	it('keeps only the latest run and can cancel', async () => {
		const analyzer = new Analyzer(() => {});
		try {
			const big = new File(Array(300).fill(sample), 'big.log');
			const first = analyzer.run([big]);
			const second = analyzer.run([{ name: 'small', data: sample }]);
			await expect(first).rejects.toBeInstanceOf(Superseded);
			expect((await second).files[0].name).toBe('small');
			const third = analyzer.run([big]);
			analyzer.cancel();
			await expect(third).rejects.toBeInstanceOf(Superseded);
		} finally {
			analyzer.terminate();
		}
	});

	it('restarts a worker that dies and says so', async () => {
		const crashes: string[] = [];
		const analyzer = new Analyzer((m) => crashes.push(m));
		try {
			analyzer.crashForTest();
			await expect.poll(() => crashes.length).toBe(1);
			const view = await analyzer.run([{ name: 'after', data: sample }]);
			expect(view.tracer).toBe('nodejs');
		} finally {
			analyzer.terminate();
		}
	});

	it('notices a worker that ends without a word (its Web Lock is released) mid-analysis', async () => {
		const crashes: string[] = [];
		const analyzer = new Analyzer((m) => crashes.push(m));
		try {
			await analyzer.run([{ name: 'first', data: sample }]); // the lock is held by now
			const big = new File(Array(400).fill(sample), 'big.log');
			const running = analyzer.run([big]);
			analyzer.exitForTest();
			await expect(running).rejects.toMatchObject({ name: 'WorkerCrashed' });
			expect(crashes).toHaveLength(1);
			expect(crashes[0]).toMatch(/stopped without a word/);
			const view = await analyzer.run([{ name: 'after', data: sample }]);
			expect(view.tracer).toBe('nodejs');
		} finally {
			analyzer.terminate();
		}
	});

	it('reads windows of a big file by line, with the file line numbers', async () => {
		const analyzer = new Analyzer(() => {});
		try {
			const lines = sample.split('\n').length - (sample.endsWith('\n') ? 1 : 0);
			const big = new File(Array(50).fill(sample), 'big.log');
			const view = await analyzer.run([big]);
			expect(view.files[0].lines).toBe(lines * 50);
			const w = await analyzer.window(0, lines * 20 + 1, { before: 1, after: 2 });
			expect(w).toMatchObject({ first: lines * 20, last: lines * 20 + 3, lines: lines * 50 });
			const first = sample.split('\n')[0];
			expect(w!.text.split('\n')[1]).toBe(first.replace(/\r$/, ''));
		} finally {
			analyzer.terminate();
		}
	});
});
