// Hostile and broken input in Debian's chromium: each gives a clear message in the page, the page
// keeps working, and nothing the user typed is lost. Big inputs are made inside the page.
import type { Page } from '@playwright/test';
import { zipSync } from 'fflate';
import zlib from 'node:zlib';
import { analysed, corpusText, drop, expect, open, paste, test } from './fixtures';

const NODE = 'nodejs/nodejs-3.58.0-recovery.log';

async function openBuffer(page: Page, name: string, buffer: Buffer | Uint8Array): Promise<void> {
	await page.getByTestId('file-input').setInputFiles({
		name,
		mimeType: 'application/octet-stream',
		buffer: Buffer.from(buffer)
	});
}

/** The page still analyses a log after whatever happened. */
async function stillWorks(page: Page): Promise<void> {
	await drop(page, [{ name: 'after.log', text: corpusText(NODE) }], 'main');
	await analysed(page);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');
}

test('a binary file says it is binary, and the text typed before comes back on request', async ({
	page
}) => {
	await open(page, '/');
	const typed = 'my notes about the incident\nline two of what I typed\n';
	await paste(page, typed);
	await analysed(page);
	const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256);
	await openBuffer(page, 'core.dump', bytes);
	await analysed(page);
	await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'input-error');
	await expect(page.getByTestId('verdict-summary')).toContainText(
		'core.dump: This looks like a binary file, not a text log'
	);
	await expect(page.getByTestId('skipped-note')).toHaveText(
		'This file holds NUL bytes: it is not shown as text.'
	);
	// what was pasted is not lost
	const notice = page.getByTestId('notice-info').filter({ hasText: 'replaced the text you had' });
	await expect(notice).toBeVisible();
	await notice.getByRole('button', { name: 'Bring that text back' }).click();
	await expect(page.locator('.cm-content')).toContainText('line two of what I typed');
	await expect(page.getByTestId('file-tab')).toHaveText(/pasted text/);
	await analysed(page);
	await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'no-tracer-lines');
});

test('UTF-16 logs (with and without a byte-order mark) are read as text', async ({ page }) => {
	await open(page, '/');
	const text = corpusText(NODE);
	const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
	const be = Buffer.from(text, 'utf16le').swap16(); // UTF-16BE, no mark
	for (const [name, buffer, encoding] of [
		['win.log', le, 'UTF-16LE'],
		['be.log', be, 'UTF-16BE']
	] as const) {
		await openBuffer(page, name, buffer);
		await analysed(page);
		await expect(page.getByTestId('file-tab')).toHaveText(new RegExp(name.replace('.', '\\.')));
		await expect(page.getByTestId('count-flush.error')).toHaveText('2');
		await expect(page.getByTestId('summary')).toContainText(`Read as ${encoding} text`);
		await expect(page.locator('.cm-line').first()).toContainText('Encoding payload');
	}
});

test('an empty file and a file that is not a log say so', async ({ page }) => {
	await open(page, '/');
	await openBuffer(page, 'empty.log', new Uint8Array(0));
	await analysed(page);
	await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'input-error');
	await expect(page.getByTestId('verdict-summary')).toHaveText('empty.log: The file is empty.');

	const readme = '# My service\n\nBuild with `make`.\n\n- step one\n- step two\n';
	await openBuffer(page, 'README.md', Buffer.from(readme));
	await analysed(page);
	await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'no-tracer-lines');
	await expect(page.getByTestId('verdict-summary')).toContainText(
		'this does not look like a Datadog tracer debug log'
	);
	await expect(page.getByTestId('tracer')).toHaveText(
		'Not recognised as a Datadog tracer debug log.'
	);
	await expect(page.getByTestId('howto')).toBeVisible();
	await expect(page.locator('.cm-line').first()).toHaveText('# My service');
});

test('a single 50 MB line: cut for parsing and for the editor, and said so', async ({ page }) => {
	test.setTimeout(90_000);
	await open(page, '/');
	const dt = await page.evaluateHandle(() => {
		const d = new DataTransfer();
		const line = 'Encoding payload: [' + 'x'.repeat(50 * 1024 * 1024) + ']\n';
		d.items.add(new File([line], 'one-line.log'));
		return d;
	});
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await analysed(page);
	await expect(page.getByTestId('summary')).toContainText(
		'1 line(s) longer than 8 MB were cut to their first 8 MB for parsing (longest: 50.0 MB)'
	);
	const note = page.getByTestId('window-note');
	await expect(note).toContainText('Showing lines 1–1 of 1');
	await expect(note).toContainText('Line 1 is 50 MB long: only its first 256 KB are shown.');
	await expect(page.locator('.cm-line').first()).toContainText('Encoding payload: [xxxx');
	await stillWorks(page);
});

test('a truncated .gz says it is damaged and shows what could be unpacked', async ({ page }) => {
	await open(page, '/');
	const whole = zlib.gzipSync(corpusText(NODE));
	await openBuffer(page, 'cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
	await analysed(page);
	// the analysis keeps what was unpacked and says where the file ends
	await expect(page.getByTestId('summary')).toContainText(
		'The gzip file is damaged or cut short (Compressed input was truncated)'
	);
	await expect(page.getByTestId('summary')).toContainText(
		'lines unpacked before that are analysed'
	);
	await expect(page.getByTestId('notice-warn')).toContainText(
		'cut.log.gz ends early (Compressed input was truncated): the editor shows the'
	);
	await expect(page.locator('.cm-line').first()).toContainText('Encoding payload');
	await expect(page.getByTestId('progress')).toHaveCount(0);
	await stillWorks(page);
	// the damaged file's messages go once another file is open
	await expect(page.getByTestId('notice-warn')).toHaveCount(0);
});

test('a zip bomb is stopped and said so', async ({ page }) => {
	await open(page, '/');
	// 100 MB of zeros in a 100 KB zip: far past what a log archive inflates to
	const bomb = zipSync({ 'big.log': new Uint8Array(100 * 1024 * 1024) }, { level: 9 });
	expect(bomb.length).toBeLessThan(200_000);
	await openBuffer(page, 'bomb.zip', bomb);
	await analysed(page);
	await expect(page.getByTestId('archive-notes')).toContainText(
		'bomb.zip: stopped unzipping past 64 MB of inflated data (a zip bomb?)'
	);
	await stillWorks(page);
});

test('a garbage link says it is damaged and the page keeps working', async ({ page }) => {
	await open(page, '/#L1.garbage');
	await expect(page.getByTestId('notice-error')).toContainText(/link/i);
	await paste(page, corpusText(NODE));
	await analysed(page);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');
});

test('a worker that crashes, or is ended, is restarted, says so, and the text stays', async ({
	page
}) => {
	await open(page, '/');
	const text = corpusText(NODE);
	await paste(page, text);
	await analysed(page);
	// an uncaught error inside the worker
	const worker = () => page.workers().find((w) => /analysis\.worker/.test(w.url()))!;
	await worker().evaluate(() => {
		setTimeout(() => {
			throw new Error('simulated crash');
		});
	});
	const crashed = page.getByTestId('notice-error').filter({ hasText: 'simulated crash' });
	await expect(crashed).toContainText('was restarted. The editor kept your text.');
	await crashed.getByRole('button', { name: 'Analyse again' }).click();
	await analysed(page);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');

	// a worker that ends without a word in the middle of a long analysis (as when the browser
	// ends it for want of memory): the page notices at once, not after a timeout
	const dt = await page.evaluateHandle((t) => {
		const d = new DataTransfer();
		d.items.add(new File(Array(1200).fill(t), 'big.log'));
		return d;
	}, text);
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await expect(page.getByTestId('progress')).toBeVisible();
	await expect(page.getByTestId('progress-percent')).toHaveText(/^([1-9]|[1-9]\d)%$/, {
		timeout: 20_000
	});
	await expect.poll(() => page.workers().length).toBeGreaterThan(0);
	await worker()
		.evaluate(() => self.close())
		.catch(() => {}); // the worker is gone before it answers
	const ended = page.getByTestId('notice-error').filter({ hasText: 'stopped without a word' });
	await expect(ended).toContainText('ran out of memory');
	await expect(page.getByTestId('progress')).toHaveCount(0);
	await ended.getByRole('button', { name: 'Analyse again' }).click();
	await analysed(page);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2,400');
});

test('HTML and script in log lines and names are shown as text, never run', async ({ page }) => {
	await open(page, '/');
	const hostile = [
		'<script>window.__pwned = "script"</script>',
		'<img src=x onerror="window.__pwned = \'img\'">',
		'<svg onload="window.__pwned = \'svg\'"></svg><iframe src="javascript:parent.__pwned=1"></iframe>'
	];
	const text = corpusText(NODE)
		.split('\n')
		.map((line) =>
			line.startsWith('Response from the agent:')
				? `Response from the agent: ${hostile.join(' ')}`
				: line
		)
		.concat(hostile)
		.join('\n');
	await drop(page, [{ name: '<img src=x onerror="window.__pwned=\'name\'">.log', text }], 'main');
	await analysed(page);
	// the editor shows the markup as characters
	await expect(page.locator('.cm-content')).toContainText(
		'<script>window.__pwned = "script"</script>'
	);
	await expect(page.getByTestId('file-tab')).toContainText('<img src=x onerror=');
	// an event whose fields hold the markup: its detail shows it as text
	await page.getByTestId('tab-events').click();
	await page.getByLabel('Filter by kind').selectOption('flush.ok');
	await page.getByTestId('event-list').locator('[role=option]').first().click();
	await expect(page.getByTestId('event-detail')).toContainText('<img src=x onerror=');
	await page.waitForTimeout(300);
	expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBe(
		undefined
	);
	// no element was made from the log's markup
	const made = await page.evaluate(
		() =>
			document.querySelectorAll('img[src="x"], img[onerror], svg[onload], iframe').length +
			[...document.scripts].filter((s) => s.textContent?.includes('__pwned')).length
	);
	expect(made).toBe(0);
});
