// Does saving the session (IndexedDB, after a pause) get in the way of typing? Serves a build,
// pastes a big log, types while the session is written, and prints the longest main-thread task
// (Long Tasks API) in each phase. Usage: node scripts/session-save-timing.mjs [BUILD_DIR] [MB]
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/launch.mjs';
import { serveStatic } from '../tests/e2e/static-server.mjs';

const dir = process.argv[2] ?? 'build';
const mb = Number(process.argv[3] ?? 16);
const sample = fs.readFileSync(
	path.resolve(import.meta.dirname, '../../shared/corpus/nodejs/nodejs-3.58.0-recovery.log'),
	'utf8'
);
const text = sample.repeat(Math.ceil((mb * 1048576) / sample.length));
const server = await serveStatic(dir);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.addInitScript(() => {
	window.__tasks = [];
	new PerformanceObserver((l) => {
		for (const e of l.getEntries()) window.__tasks.push([performance.now(), e.duration]);
	}).observe({ type: 'longtask', buffered: true });
});
await page.goto(server.url);
await page.locator('.app[data-ready]').waitFor();
// the text arrives as a paste (an edited document: the session keeps its text, not a File)
await page.locator('.cm-content').click();
await page.locator('.cm-content').evaluate((el, t) => {
	const dt = new DataTransfer();
	dt.setData('text/plain', t);
	el.dispatchEvent(
		new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
	);
}, text);
await page.getByTestId('analysis-done').waitFor({ timeout: 120_000 });
await page.getByTestId('session-saved').waitFor({ timeout: 60_000 });
const mark = () => page.evaluate(() => performance.now());
// type a line, pause so that the session is written, type again
const t0 = await mark();
await page.keyboard.press('ControlOrMeta+End');
await page.keyboard.type('typing while the session is saved ', { delay: 30 });
const t1 = await mark();
await page.waitForTimeout(2500); // the save runs in this pause
const t2 = await mark();
await page.keyboard.type('and typing again', { delay: 30 });
const t3 = await mark();
const tasks = await page.evaluate(() => window.__tasks);
const saved = await page.evaluate(
	() =>
		new Promise((resolve) => {
			const req = indexedDB.open('tracelens');
			req.onsuccess = () => {
				const get = req.result.transaction('session').objectStore('session').get('content');
				get.onsuccess = () =>
					resolve({
						at: get.result.savedAt - performance.timeOrigin,
						chars: get.result.files[0]?.text?.length ?? 0
					});
			};
		})
);
console.log(
	`last save: ${(saved.chars / 1048576).toFixed(1)} MB of text, ${saved.at > t1 && saved.at < t3 ? 'written after the typing (in the pause)' : 'NOT in the measured window'}`
);
const longest = (a, b) => Math.max(0, ...tasks.filter(([t]) => t >= a && t <= b).map(([, d]) => d));
console.log(`pasted ${(text.length / 1048576).toFixed(1)} MB of text`);
console.log(`longest task while typing: ${longest(t0, t1).toFixed(0)} ms`);
console.log(`longest task in the pause (the session is written): ${longest(t1, t2).toFixed(0)} ms`);
console.log(`longest task typing after: ${longest(t2, t3).toFixed(0)} ms`);
await browser.close();
server.close();
