// npm run bench:browser [-- --mb 1024 --dir build]
// A gigabyte log dropped on the built page in Debian's chromium: the time to the verdict, the
// longest main-thread task (Long Tasks API), the worker's peak memory (CDP Runtime.getHeapUsage on
// the worker target, sampled every 100 ms), the tab's peak resident memory, timeline frame costs on
// the result and the time for an evidence link to move the editor's window to its line.
// The log is the bench log repeated with fresh ids (cached in the temp folder). It is given to the
// file input by path: Playwright hands the page a File backed by the file on disk, not a copy.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { chromium, type CDPSession } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/launch.mjs';
import { freshId, ID } from './mixed-file';

const ROOT = path.resolve(import.meta.dirname, '..');
const BENCH_GZ = path.resolve(ROOT, '../shared/bench/nodejs-200mb.log.gz');

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const TARGET_MB = Number(arg('mb', '1024'));
const DIR = path.resolve(ROOT, arg('dir', 'build'));

/** The bench log, decompressed once (the same cache file as `npm run bench`). */
async function benchLog(): Promise<string> {
	const gzSize = fs.statSync(BENCH_GZ).size;
	const file = path.join(os.tmpdir(), `tracelens-bench-nodejs-${gzSize}.log`);
	if (fs.existsSync(file)) return file;
	console.log(`decompressing ${BENCH_GZ} …`);
	await pipeline(
		fs.createReadStream(BENCH_GZ),
		zlib.createGunzip(),
		fs.createWriteStream(file + '.part')
	);
	fs.renameSync(file + '.part', file);
	return file;
}

// 16/32-hex ids and 15–20 digit decimal ids (bounded runs: no backtracking), as scripts/mixed-file.ts

/** The bench log repeated (fresh ids each round) up to `mb` MiB, cut at a line end. */
async function bigLog(mb: number): Promise<string> {
	const target = mb * 1024 * 1024;
	const file = path.join(os.tmpdir(), `tracelens-browser-${mb}mb.log`);
	if (fs.existsSync(file) && fs.statSync(file).size >= target * 0.98) return file;
	const source = await benchLog();
	console.log(`writing ${file} (${mb} MiB) …`);
	const fd = fs.openSync(file + '.part', 'w');
	let written = 0;
	for (let round = 0; written < target; round++) {
		// line by line in 64 MiB slices, so the strings stay small
		const input = fs.openSync(source, 'r');
		const buf = Buffer.alloc(64 * 1024 * 1024);
		let carry = '';
		for (;;) {
			const n = fs.readSync(input, buf, 0, buf.length, null);
			if (n === 0) break;
			const text = carry + buf.toString('utf8', 0, n);
			const cut = text.lastIndexOf('\n') + 1;
			carry = text.slice(cut);
			let part = text.slice(0, cut);
			if (round > 0) part = part.replace(ID, (id) => freshId(id, round));
			const out = Buffer.from(part);
			const room = target - written;
			if (out.length >= room) {
				const end = out.lastIndexOf(10, room) + 1;
				fs.writeSync(fd, out, 0, end > 0 ? end : out.length);
				written = target;
				break;
			}
			fs.writeSync(fd, out);
			written += out.length;
		}
		fs.closeSync(input);
	}
	fs.closeSync(fd);
	fs.renameSync(file + '.part', file);
	return file;
}

/** Samples the JS heap of the page's dedicated worker through the browser's CDP session. */
async function workerHeapSampler(session: CDPSession) {
	const { targetInfos } = (await session.send('Target.getTargets')) as {
		targetInfos: { type: string; targetId: string; url: string }[];
	};
	const worker = targetInfos.find((t) => t.type === 'worker' && /analysis\.worker/.test(t.url));
	if (!worker) throw new Error('the analysis worker target was not found');
	// Playwright's sessions are not flattened: talk to the worker through Target messages
	const { sessionId } = (await session.send('Target.attachToTarget', {
		targetId: worker.targetId,
		flatten: false
	})) as { sessionId: string };
	let id = 0;
	const waiting = new Map<number, (v: Record<string, number>) => void>();
	session.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
		const m = JSON.parse(e.message) as { id?: number; result?: Record<string, number> };
		if (m.id !== undefined) waiting.get(m.id)?.(m.result ?? {});
	});
	const heap = () =>
		new Promise<Record<string, number>>((resolve) => {
			const i = ++id;
			waiting.set(i, resolve);
			void session.send('Target.sendMessageToTarget', {
				sessionId,
				message: JSON.stringify({ id: i, method: 'Runtime.getHeapUsage' })
			});
			setTimeout(() => resolve({}), 5000); // a worker busy in one long task answers late
		});
	const peak = { used: 0, total: 0, backing: 0, usedPlusBacking: 0, samples: 0 };
	let running = true;
	const loop = (async () => {
		while (running) {
			const h = await heap();
			if (h.usedSize !== undefined) {
				// BENCH_SAMPLES=1 prints every sample (MB used, MB off the heap): where the peak is
				if (process.env.BENCH_SAMPLES)
					console.log(
						`sample ${Math.round(h.usedSize / 1e6)} ${Math.round((h.backingStorageSize ?? 0) / 1e6)}`
					);
				peak.samples++;
				peak.used = Math.max(peak.used, h.usedSize);
				peak.total = Math.max(peak.total, h.totalSize ?? 0);
				peak.backing = Math.max(peak.backing, h.backingStorageSize ?? 0);
				peak.usedPlusBacking = Math.max(
					peak.usedPlusBacking,
					h.usedSize + (h.backingStorageSize ?? 0)
				);
			}
			await new Promise((r) => setTimeout(r, 100));
		}
	})();
	return {
		peak,
		now: heap,
		stop: async () => {
			running = false;
			await loop;
		}
	};
}

/** Peak resident memory (VmHWM) of the browser's renderer processes, in bytes. */
async function rendererPeaks(session: CDPSession): Promise<number[]> {
	const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
		processInfo: { type: string; id: number }[];
	};
	const out: number[] = [];
	for (const p of processInfo.filter((q) => q.type === 'renderer')) {
		try {
			const status = fs.readFileSync(`/proc/${p.id}/status`, 'utf8');
			const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
			out.push(kb * 1024);
		} catch {
			// not on Linux, or the process ended
		}
	}
	return out.sort((a, b) => b - a);
}

/** Keys pressed on the timeline once the log is analysed (fit, zoom in and out, pan). */
const KEYS = ['0', '-', '+', '+', '+', 'ArrowRight', 'ArrowLeft', '-', '-', '0'];

const MB = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

async function main() {
	const file = await bigLog(TARGET_MB);
	const size = fs.statSync(file).size;
	if (!fs.existsSync(path.join(DIR, 'index.html'))) {
		console.log('building the site …');
		execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
	}
	// the e2e tests' static server (a plain .mjs, loaded at run time)
	const serverModule = pathToFileURL(path.join(ROOT, 'tests/e2e/static-server.mjs')).href;
	const { serveStatic } = (await import(serverModule)) as {
		serveStatic: (dir: string) => Promise<{ url: string; close: () => void }>;
	};
	const server = await serveStatic(DIR);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	try {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		const problems: string[] = [];
		page.on('pageerror', (e) => problems.push(e.message));
		page.on('crash', () => problems.push('the tab crashed'));
		await page.addInitScript(() => {
			const w = window as unknown as { __longTasks: [number, number][] };
			w.__longTasks = [];
			new PerformanceObserver((list) => {
				for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
			}).observe({ type: 'longtask', buffered: true });
		});
		await page.goto(server.url);
		await page.locator('.app[data-ready]').waitFor();
		await page.waitForTimeout(500);
		await page.evaluate(
			() => ((window as unknown as { __longTasks: [number, number][] }).__longTasks = [])
		);
		const now = () => page.evaluate(() => performance.now());
		const marks: [string, number][] = [];
		const cdp = await browser.newBrowserCDPSession();
		const sampler = await workerHeapSampler(cdp);
		const idle = await sampler.now();

		console.log(`dropping ${file} (${MB(size)}) on ${server.url} …`);
		marks.push(['reading the log', await now()]);
		const started = Date.now();
		await page.getByTestId('file-input').setInputFiles(file);
		await page.getByTestId('verdict').waitFor({ timeout: 30 * 60_000 });
		const seconds = (Date.now() - started) / 1000;
		marks.push(['showing the result', await now()]);
		await page.getByTestId('analysis-done').waitFor();
		const verdict = (await page.getByTestId('verdict-summary').textContent())?.trim();
		const events = (await page.getByTestId('analysis-done').textContent())?.trim();
		await page.getByTestId('window-note').waitFor({ timeout: 60_000 });
		await sampler.stop();
		marks.push(['timeline keys', await now()]);
		const afterAnalysis = await sampler.now();

		// the result: timeline frames, zoomed out and in
		const surface = page.getByTestId('timeline');
		await surface.focus();
		const frames: number[] = [];
		for (const key of KEYS) {
			await page.keyboard.press(key);
			await page.waitForTimeout(80);
			frames.push(Number(await surface.getAttribute('data-draw-ms')));
		}
		// an evidence link far into the file moves the window there
		const evidence = page.getByTestId('evidence').last();
		const line = Number((await evidence.textContent())?.replace(/\D/g, ''));
		marks.push(['moving the window', await now()]);
		const jumped = Date.now();
		await evidence.click();
		await page.waitForFunction(
			(n) => {
				const t = document.querySelector('[data-testid=window-range]')?.textContent ?? '';
				const m = /lines ([\d,]+)–([\d,]+)/.exec(t);
				if (!m) return false;
				const [a, b] = [m[1], m[2]].map((s) => Number(s.replace(/,/g, '')));
				return a <= n && n <= b && !!document.querySelector('.cm-line.tl-selected-first');
			},
			line,
			{ timeout: 120_000 }
		);
		const jumpMs = Date.now() - jumped;
		const windowText = (await page.getByTestId('window-range').textContent())?.trim();

		await page.waitForTimeout(300);
		const entries = await page.evaluate(
			() => (window as unknown as { __longTasks: [number, number][] }).__longTasks
		);
		const tasks = entries.map((e) => e[1]);
		// the longest task of each phase
		const phases = marks.map(([name, t], i) => {
			const end = i + 1 < marks.length ? marks[i + 1][1] : Infinity;
			const inside = entries.filter(([at]) => at >= t && at < end).map((e) => e[1]);
			return `${name} ${Math.max(0, ...inside).toFixed(0)} ms`;
		});
		const renderers = await rendererPeaks(cdp);
		const sorted = [...frames].sort((a, b) => a - b);
		const p = sampler.peak;
		console.log('');
		console.log(`bench:browser — ${MB(size)} log (${path.basename(file)}), chromium, 1280×800`);
		console.log(
			`  verdict after ${seconds.toFixed(1)} s (${(size / 1048576 / seconds).toFixed(0)} MB/s): ${verdict}`
		);
		console.log(`  ${events}`);
		console.log(
			`  longest main-thread task: ${Math.max(0, ...tasks).toFixed(0)} ms (goal ≤ 100 ms; ${tasks.length} tasks over 50 ms; longest while ${phases.join(', ')})`
		);
		console.log(
			`  worker peak (CDP Runtime.getHeapUsage every 100 ms, ${p.samples} samples): JS heap ${MB(p.used)} used (${MB(p.total)} reserved), off the heap ${MB(p.backing)} (ArrayBuffers, and the text Chrome's TextDecoder gave as external strings, freed at a full GC), heap + off-heap ${MB(p.usedPlusBacking)} = ${(p.usedPlusBacking / size).toFixed(2)}× the file (goal < 0.5×)`
		);
		console.log(
			`  worker before: ${MB((idle.usedSize ?? 0) + (idle.backingStorageSize ?? 0))}; holding the analysis after: ${MB((afterAnalysis.usedSize ?? 0) + (afterAnalysis.backingStorageSize ?? 0))}`
		);
		if (renderers.length)
			console.log(`  tab (largest renderer process) peak resident memory: ${MB(renderers[0])}`);
		console.log(
			`  timeline frames (goal: median within a 60 Hz frame, 16 ms): median ${sorted[sorted.length >> 1].toFixed(1)} ms, slowest ${sorted[sorted.length - 1].toFixed(1)} ms (${KEYS.map((k, i) => `${k} ${frames[i].toFixed(1)}`).join(', ')})`
		);
		console.log(`  evidence link to line ${line}: window moved in ${jumpMs} ms (${windowText})`);
		if (problems.length) {
			console.log(`  problems: ${problems.join('; ')}`);
			process.exitCode = 1;
		}
	} finally {
		await browser.close();
		server.close();
	}
}

await main();
