// A 20 MB real log (the first 20 MB of the bench file): read, analysed in the worker and painted,
// then explored with the keyboard. The longest main-thread task (Long Tasks API) and the timeline's
// frame cost are measured and reported, not asserted: a test must not fail because a shared machine
// is busy. The goals (no task over 100 ms, frames within 16 ms) are checked by `npm run bench:browser`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SHARED, analysed, expect, open, test } from './fixtures';

const BENCH = path.join(SHARED, 'bench', 'nodejs-200mb.log.gz');
const SIZE = 20 * 1000 * 1000;

/** The first `size` bytes of the bench log, cut at a line end (made once per output dir). */
async function firstBytes(out: string, size: number): Promise<string> {
	if (fs.existsSync(out) && fs.statSync(out).size > size * 0.9) return out;
	fs.mkdirSync(path.dirname(out), { recursive: true });
	const chunks: Buffer[] = [];
	let total = 0;
	await new Promise<void>((resolve, reject) => {
		const input = fs.createReadStream(BENCH);
		const gunzip = zlib.createGunzip();
		gunzip.on('data', (c: Buffer) => {
			chunks.push(c);
			total += c.length;
			if (total >= size) {
				input.destroy();
				gunzip.destroy();
				resolve();
			}
		});
		gunzip.on('end', resolve);
		gunzip.on('error', reject);
		input.pipe(gunzip);
	});
	const all = Buffer.concat(chunks).subarray(0, size);
	fs.writeFileSync(out, all.subarray(0, all.lastIndexOf(10) + 1));
	return out;
}

declare global {
	interface Window {
		__longTasks: number[];
	}
}

test('a 20 MB log is analysed and explored; long tasks and frame times are reported', async ({
	page
}, info) => {
	test.skip(!fs.existsSync(BENCH), `${BENCH} is not on this machine`);
	test.setTimeout(120_000);
	const file = await firstBytes(path.join(info.project.outputDir, 'nodejs-20mb.log'), SIZE);
	await page.addInitScript(() => {
		window.__longTasks = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) window.__longTasks.push(e.duration);
		}).observe({ type: 'longtask', buffered: true });
	});
	await open(page, '/');
	await expect(page.locator('.cm-content')).toBeVisible();
	await page.waitForTimeout(300);
	await page.evaluate(() => (window.__longTasks.length = 0)); // page start-up is not the analysis

	const started = Date.now();
	await page.getByTestId('file-input').setInputFiles(file);
	await analysed(page);
	await expect(page.getByTestId('file-tab')).not.toContainText('loading', { timeout: 60_000 });
	const seconds = (Date.now() - started) / 1000;
	await expect(page.getByTestId('count-span.finish')).not.toHaveText('0');
	const events = Number(
		(await page.getByTestId('analysis-done').textContent())!.split(' ')[0].replace(/,/g, '')
	);

	// move around the result: zoom in and out, pan, select the next failure
	const surface = page.getByTestId('timeline');
	await surface.focus();
	const frames: number[] = [];
	for (const key of ['+', '+', '+', 'ArrowRight', 'ArrowRight', '-', '-', '0', 'j', 'e']) {
		await page.keyboard.press(key);
		await page.waitForTimeout(50);
		frames.push(Number(await surface.getAttribute('data-draw-ms')));
	}
	await page.getByTestId('tab-events').click();
	await page.getByTestId('event-list').focus();
	await page.keyboard.press('End');
	await page.keyboard.press('Home');
	await page.waitForTimeout(200);

	const tasks = await page.evaluate(() => window.__longTasks);
	const longest = Math.max(0, ...tasks);
	const frame = Math.max(...frames);
	const median = [...frames].sort((a, b) => a - b)[frames.length >> 1];
	const report = `20 MB (${fs.statSync(file).size} bytes, ${events} events) in ${seconds.toFixed(1)} s; longest main-thread task ${longest.toFixed(0)} ms (${tasks.length} tasks over 50 ms); timeline frames: median ${median.toFixed(1)} ms, slowest ${frame.toFixed(1)} ms`;
	console.log(report);
	info.annotations.push({ type: 'performance', description: report });
	// the reported figure means something: a 150 ms busy loop on the main thread is seen
	await page.evaluate(() => {
		setTimeout(() => {
			const end = performance.now() + 150;
			while (performance.now() < end);
		});
	});
	await expect
		.poll(() => page.evaluate(() => Math.max(0, ...window.__longTasks)))
		.toBeGreaterThan(140);
});
