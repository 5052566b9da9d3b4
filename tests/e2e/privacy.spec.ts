// Privacy you can check, in Debian's chromium: the built page carries a Content-Security-Policy that
// lets it connect to its own origin only (and everything still works under it), and using every
// feature sends not one request anywhere but for the app's own static files.
import { test as plain, type Page, type Request } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import zlib from 'node:zlib';
import { analysed, corpusText, drop, expect, open, paste, test, timelinePoint } from './fixtures';

const NODE = 'nodejs/nodejs-3.58.0-recovery.log';

declare global {
	interface Window {
		__violations: string[];
	}
}

async function watchViolations(page: Page): Promise<void> {
	await page.addInitScript(() => {
		window.__violations = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`)
		);
	});
}

plain(
	'the page allows connections to its own origin only, and works under that policy',
	async ({ page }) => {
		await watchViolations(page);
		const failed: string[] = [];
		page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
		const answered: string[] = [];
		page.on('response', (r) => answered.push(r.url()));
		await page.goto('/');
		await expect(page.locator('.app[data-ready]')).toBeVisible();
		const csp = await page
			.locator('meta[http-equiv="content-security-policy"]')
			.getAttribute('content');
		const directives = new Map(
			csp!.split(';').map((d) => {
				const [name, ...values] = d.trim().split(/\s+/);
				return [name, values] as const;
			})
		);
		expect(directives.get('default-src')).toEqual(["'self'"]);
		expect(directives.get('connect-src')).toEqual(["'self'"]);
		expect(directives.get('object-src')).toEqual(["'none'"]);
		// no host, scheme or wildcard anywhere, and no eval
		expect(csp).not.toMatch(/https?:|wss?:|\*|unsafe-eval/);

		// what the app needs still works: the module worker, CodeMirror's injected styles, gzip, blobs
		await paste(page, corpusText(NODE));
		await analysed(page);
		const display = await page.locator('.cm-editor').evaluate((e) => getComputedStyle(e).display);
		expect(display).toBe('flex');
		await page.getByTestId('file-input').setInputFiles({
			name: 'tracer.log.gz',
			mimeType: 'application/gzip',
			buffer: zlib.gzipSync(corpusText(NODE))
		});
		await analysed(page);
		await expect(page.getByTestId('summary')).toContainText('Decompressed from gzip');
		expect(await page.evaluate(() => window.__violations)).toEqual([]);

		// and anything else is refused before it reaches the network
		const refused = await page.evaluate(async () => {
			const out: string[] = [];
			await fetch('https://example.com/collect', { method: 'POST', body: 'log' }).catch(() =>
				out.push('fetch refused')
			);
			const img = new Image();
			img.src = 'https://example.com/pixel.png';
			await new Promise((r) => (img.onerror = r));
			out.push('image refused');
			await new Promise<void>((resolve) => {
				try {
					const ws = new WebSocket('wss://example.com/');
					ws.onerror = () => resolve();
					ws.onopen = () => {
						out.push('websocket OPEN');
						resolve();
					};
				} catch {
					resolve();
				}
			});
			out.push('websocket refused');
			return out;
		});
		expect(refused).toEqual(['fetch refused', 'image refused', 'websocket refused']);
		await expect
			.poll(() => page.evaluate(() => window.__violations.map((v) => v.split(' ')[0]).sort()))
			.toEqual(['connect-src', 'connect-src', 'img-src']);
		// the browser stopped each one itself: none got an answer
		expect(answered.filter((u) => u.includes('example.com'))).toEqual([]);
		expect(failed.filter((u) => u.includes('example.com'))).toEqual([
			'https://example.com/pixel.png csp'
		]);
	}
);

test('every feature, and not a single request leaves the page', async ({ page }, info) => {
	test.setTimeout(120_000);
	const origin = new URL(info.project.use.baseURL!).origin;
	const seen: Request[] = [];
	// the page's requests and its worker's (Playwright reports both here)
	page.on('request', (r) => seen.push(r));
	await open(page, '/');
	const text = corpusText(NODE);

	// paste, timeline, editor, event list, filters
	await paste(page, text);
	await analysed(page);
	const first = page.getByTestId('evidence').first();
	const line = Number((await first.textContent())!.replace(/\D/g, ''));
	const p = await timelinePoint(page, line, 35);
	await page.mouse.click(p.x, p.y);
	await expect(page.getByTestId('event-detail')).toContainText('flush.error');
	const surface = page.getByTestId('timeline');
	await surface.focus();
	for (const key of ['+', '+', 'ArrowRight', '-', '0']) await page.keyboard.press(key);
	await page.getByTestId('tab-events').click();
	await page.getByLabel('Filter by kind').selectOption('flush.error');
	await expect(page.getByTestId('event-count')).toHaveText(/^2 events of/);
	await page.getByTestId('event-list').locator('[role=option]').last().click();
	await page.getByRole('button', { name: /^Remove filter/ }).click();

	// drop, samples, a zip flare, a gzip log, a file big enough for windows
	await drop(page, [{ name: 'dropped.log', text }], 'main');
	await analysed(page);
	await page.getByTestId('samples-button').click();
	await page.getByRole('menuitem').filter({ hasText: 'Python' }).click();
	await analysed(page);
	await expect(page.getByTestId('detected')).toHaveText(/^Python/);
	await page.getByTestId('file-input').setInputFiles({
		name: 'flare.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from(
			zipSync({ 'tracer_begin.log': strToU8(text), 'tracer_end.log': strToU8(text) })
		)
	});
	await analysed(page);
	await page.getByTestId('tab-summary').click();
	await expect(page.getByTestId('summary-gap')).toBeVisible();
	await page.getByTestId('file-input').setInputFiles({
		name: 'tracer.log.gz',
		mimeType: 'application/gzip',
		buffer: zlib.gzipSync(text)
	});
	await analysed(page);
	const dt = await page.evaluateHandle((t) => {
		const d = new DataTransfer();
		d.items.add(new File(Array(400).fill(t), 'big.log'));
		return d;
	}, text);
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await analysed(page);
	await expect(page.getByTestId('window-note')).toBeVisible();
	await page.getByTestId('evidence').last().click();
	await page.getByTestId('window-earlier').click();

	// share: the dialog makes a link (written to this page's address, never sent)
	await paste(page, text);
	await analysed(page);
	await page.getByTestId('share-button').click();
	await expect(page.getByTestId('share-url')).toHaveValue(/#L1\./);
	await page.keyboard.press('Escape');
	await page.getByTestId('theme-button').click();
	await page.keyboard.press('?');
	await page.keyboard.press('Escape');

	const allowed = (r: Request) => {
		const u = new URL(r.url());
		if (u.protocol === 'blob:' || u.protocol === 'data:') return true; // never leaves the page
		return u.origin === origin && r.method() === 'GET' && !u.search;
	};
	const bad = seen.filter((r) => !allowed(r)).map((r) => `${r.method()} ${r.url()}`);
	expect(bad, 'requests other than the app fetching its own files').toEqual([]);
	// and those were the app's own static files: each one answered from the build
	for (const r of seen.filter((q) => q.url().startsWith(origin))) {
		const res = await r.response();
		expect(res?.status(), r.url()).toBe(200);
	}
	expect(seen.some((r) => /\/samples\/py-[^/]+\.log$/.test(r.url()))).toBe(true);

	// the check sees the worker's requests too: one made there is caught
	const worker = page.workers().find((w) => /analysis\.worker/.test(w.url()))!;
	await worker.evaluate(() => fetch('/?probe=from-the-worker').catch(() => {}));
	await expect.poll(() => seen.some((r) => r.url().includes('probe=from-the-worker'))).toBe(true);
});
