// Sharing in Debian's chromium: a link made by the Share dialog opens in a fresh page with the same
// text, selected event, filters and zoom; damaged and newer links say what went wrong and open what
// they can; redaction is previewed and applied; the last session comes back after a reload.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Page } from '@playwright/test';
import { analysed, corpusText, drop, expect, open, paste, test } from './fixtures';

const SMALL = 'ruby/gen-rb-0.54.2-agent-ok.log'; // its whole text fits a Discord-sized link
const NODE = 'nodejs/nodejs-3.58.0-recovery.log'; // 73 KB: shared as an excerpt
const NODE_SAMPLE = 'nodejs-3.58.0-recovery.log';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** The whole editor text, through the clipboard (the editor only renders what is on screen). */
async function editorText(page: Page): Promise<string> {
	await page.locator('.cm-content').click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('ControlOrMeta+C');
	return page.evaluate(() => navigator.clipboard.readText());
}

/** Opens the Share dialog and waits for its link. */
async function shareLink(page: Page): Promise<string> {
	await page.getByTestId('share-button').click();
	const url = page.getByTestId('share-url');
	await expect(url).toHaveValue(/#L1\./);
	await expect(page.getByTestId('share-meter').locator('.busy')).toHaveCount(0);
	return url.inputValue();
}

async function timelineWindow(page: Page): Promise<[number, number]> {
	const s = page.getByTestId('timeline');
	return [Number(await s.getAttribute('data-v0')), Number(await s.getAttribute('data-v1'))];
}

/** Loads a link as a new document (not as a hash change of the page it was made in). */
async function load(page: Page, url: string): Promise<void> {
	await page.goto('about:blank');
	await page.goto(url);
	await expect(page.locator('.app[data-ready]')).toBeVisible();
}

function selectedRow(page: Page) {
	return page.locator('[role=option][aria-selected=true]');
}

test('share → a fresh page: same text, selected event, filters and zoom; the link stays', async ({
	page,
	browser
}) => {
	const text = corpusText(SMALL);
	await open(page, '/');
	await paste(page, text);
	await analysed(page);
	await page.getByTestId('tab-events').click();
	await page.getByLabel('Filter by kind').selectOption('span.finish');
	await expect(page.getByTestId('filter-chip')).toHaveText(/kind is span\.finish/);
	await page.getByTestId('event-list').locator('[role=option]').nth(1).click();
	const row = (await selectedRow(page).textContent())!;
	const detail = (await page.getByTestId('event-detail').locator('.head').textContent())!;
	await page.getByTestId('timeline').focus();
	await page.keyboard.press('+');
	await page.keyboard.press('+');
	const zoom = await timelineWindow(page);

	const historyBefore = await page.evaluate(() => history.length);
	await shareLink(page);
	// the text byte for byte: nothing redacted
	for (const k of ['apiKeys', 'credentials', 'ips', 'hosts', 'queries']) {
		await page.getByTestId(`redact-${k}`).uncheck();
	}
	await expect(page.getByTestId('share-copy')).toHaveText('Copy the link');
	await expect(page.getByTestId('share-meter').locator('.busy')).toHaveCount(0);
	const url = await page.getByTestId('share-url').inputValue();
	await expect(page.getByTestId('share-summary')).toContainText('The whole log is shared');
	await expect(page.getByTestId('share-meter')).toHaveAttribute('data-level', 'discord');
	await page.getByTestId('share-copy').click();
	await expect(page.getByTestId('share-copied')).toContainText('Copied');
	// copied, and written to the address bar without a new history entry
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
	expect(page.url()).toBe(url);
	expect(await page.evaluate(() => history.length)).toBe(historyBefore);

	const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
	const fresh = await context.newPage();
	const errors: string[] = [];
	fresh.on('pageerror', (e) => errors.push(e.message));
	await fresh.goto(url);
	await analysed(fresh);
	await expect(fresh.getByTestId('filter-chip')).toHaveText(/kind is span\.finish/);
	await expect(selectedRow(fresh)).toHaveText(row);
	await expect(fresh.getByTestId('event-detail').locator('.head')).toHaveText(detail);
	await expect.poll(() => timelineWindow(fresh)).toEqual(zoom);
	expect(await editorText(fresh)).toBe(text);
	// the link stays in the address bar, to be shared again
	expect(fresh.url()).toBe(url);
	expect(errors).toEqual([]);
	await context.close();
});

test('an excerpt keeps the original line numbers, marks the gaps, and survives a re-share', async ({
	page
}) => {
	const original = corpusText(NODE).split('\n');
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	await page.getByTestId('tab-events').click();
	// an event in the middle of the log (the list is virtual: move there with the keyboard)
	await page.getByTestId('event-list').focus();
	await page.keyboard.press('End');
	for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowUp');
	await expect(page.getByTestId('event-detail')).toBeVisible();
	const where = Number(await selectedRow(page).locator('.where').textContent());
	expect(where).toBeGreaterThan(40); // past the first lines, which every excerpt keeps
	const url = await shareLink(page);
	await expect(page.getByTestId('share-summary')).toContainText(/of [\d,]+ lines are shared/);
	await page.getByTestId('share-dialog').getByRole('button', { name: 'Close' }).click();

	await load(page, url);
	await analysed(page);
	await expect(page.getByTestId('notice-info')).toContainText('A shared excerpt');
	// the selected event, under its original number, in the list, the editor and its gutter
	await expect(selectedRow(page).locator('.where')).toHaveText(String(where));
	const selected = page.locator('.cm-line.tl-selected-first');
	await expect(selected).toBeInViewport();
	expect(original[where - 1].startsWith((await selected.textContent())!.slice(0, 60))).toBe(true);
	await expect(
		page.locator('.tl-origin-numbers .cm-gutterElement', { hasText: new RegExp(`^${where}$`) })
	).toBeInViewport();
	await expect(page.locator('.cm-lineNumbers')).toBeHidden();
	const gap = page.locator('.tl-gap').first();
	await expect(gap).toHaveText(/lines? not in this shared excerpt \(lines? [\d,–]+\)/);
	// the verdict's evidence keeps the original numbers too
	const evidence = await page.getByTestId('evidence').allTextContents();
	for (const e of evidence) {
		const n = Number(e.replace(/\D/g, ''));
		expect(original[n - 1]).toMatch(/ECONNREFUSED|Request to the agent|agent/i);
	}

	// shared again from the excerpt: the same original numbers
	const again = await shareLink(page);
	expect(again).not.toBe(url);
	await load(page, again);
	await analysed(page);
	await expect(selectedRow(page).locator('.where')).toHaveText(String(where));
	await expect(page.locator('.tl-gap').first()).toHaveText(await gap.textContent().then(String));
});

test('a link cut by a chat app says so and opens the beginning of the log', async ({ page }) => {
	const text = corpusText(NODE);
	await open(page, '/');
	await drop(page, [{ name: 'tracer.log', text }]);
	await analysed(page);
	await page.getByTestId('share-button').click();
	await page.getByTestId('share-mode-whole').check();
	await expect(page.getByTestId('share-summary')).toContainText('The whole log is shared');
	await expect(page.getByTestId('share-meter')).toHaveAttribute('data-level', 'none');
	await expect(page.getByTestId('share-meter')).toContainText('too long for Discord and Slack');
	const url = await page.getByTestId('share-url').inputValue();
	expect(url.length).toBeGreaterThan(4000);

	await load(page, url.slice(0, 4000)); // where Slack cuts
	await expect(page.getByTestId('notice-error')).toContainText('probably cut off by a chat app');
	await analysed(page);
	const first = text.split('\n')[0];
	await expect(page.locator('.cm-line').first()).toHaveText(first);
	await expect(page.getByTestId('file-tab')).toHaveText(/tracer\.log/);
});

test('a link from a newer version says so and still shows its text; garbage says it is damaged', async ({
	page
}) => {
	const text = corpusText(SMALL);
	await open(page, '/');
	await paste(page, text);
	await analysed(page);
	const url = await shareLink(page);
	const future = url.replace('#L1.', '#L9.');
	await load(page, future);
	await expect(page.getByTestId('notice-error')).toContainText(
		'made by a newer version of tracelens (format 9)'
	);
	await analysed(page);
	await expect(page.locator('.cm-line').first()).toHaveText(text.split('\n')[0]);

	await load(page, url.slice(0, url.indexOf('#')) + '#L1.@@not~a~link@@');
	await expect(page.getByTestId('notice-error')).toContainText('This link is damaged');
	await expect(page.getByTestId('verdict')).toHaveCount(0);
});

test('redaction: previewed, custom patterns checked as typed, applied to the link', async ({
	page
}) => {
	const key = '0123456789abcdef0123456789abcdef';
	const text =
		corpusText(SMALL) +
		`D, [2026-11-26T09:24:05.000000 #28348] DEBUG -- ddtrace: DD_API_KEY=${key} agent at 10.20.30.40:8126 for acme-corp\n`;
	await open(page, '/');
	await paste(page, text);
	await analysed(page);
	await shareLink(page);
	const rows = page.getByTestId('replacement');
	await expect(rows.filter({ hasText: key })).toContainText('apikey-1');
	await expect(rows.filter({ hasText: '10.20.30.40' })).toContainText('ip-1');

	const pattern = page.getByTestId('custom-pattern');
	await page.getByTestId('custom-regex').check();
	await pattern.fill('(a+)+');
	await expect(page.getByTestId('custom-help')).toHaveClass(/bad/);
	await expect(page.getByTestId('custom-add')).toBeDisabled();
	await pattern.fill('acme-\\w+');
	await expect(page.getByTestId('custom-help')).toContainText('A valid pattern');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('custom-chip')).toHaveText(/acme-\\w\+/);
	await expect(rows.filter({ hasText: 'acme-corp' })).toContainText('redacted-1');

	// without the IP box the address is shared as it is
	await page.getByTestId('redact-ips').uncheck();
	await expect(rows.filter({ hasText: '10.20.30.40' })).toHaveCount(0);
	await page.getByTestId('share-copy').click();
	await expect(page.getByTestId('share-copied')).toContainText('Copied');
	const url = await page.evaluate(() => navigator.clipboard.readText());
	await load(page, url);
	await analysed(page);
	const shared = await editorText(page);
	expect(shared).toContain('DD_API_KEY=apikey-1');
	expect(shared).toContain('redacted-1');
	expect(shared).toContain('10.20.30.40');
	expect(shared).not.toContain(key);
	expect(shared).not.toContain('acme-corp');
});

test('a whole log too long for a link is offered as a .log.gz download', async ({ page }) => {
	const names = [
		'python/py-2.8.7-killed.log',
		'python/py-2.21.12-ok-logfile.log',
		'nodejs/nodejs-5.132.0-bunyan-noagent-long.log'
	];
	const text = names.map(corpusText).join('');
	await open(page, '/');
	await drop(page, [{ name: 'big run.log', text }]);
	await analysed(page);
	await page.getByTestId('share-button').click();
	await page.getByTestId('share-mode-whole').check();
	await expect(page.getByTestId('share-meter')).toContainText('longer than the 32,000');
	await expect(page.getByTestId('share-url')).toHaveCount(0);
	await expect(page.getByTestId('share-copy')).toHaveCount(0);
	const download = page.waitForEvent('download');
	await page.getByTestId('share-download').click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('big-run.log.gz');
	const got = zlib.gunzipSync(fs.readFileSync(await file.path())).toString('utf8');
	// every line, redacted as the dialog says (the first line has nothing to redact)
	expect(got.split('\n').length).toBe(text.split('\n').length);
	expect(got.split('\n')[0]).toBe(text.split('\n')[0]);
});

test('the last session comes back after a reload', async ({ page }) => {
	const text = corpusText(SMALL);
	await open(page, '/');
	await paste(page, text);
	await analysed(page);
	await page.getByTestId('tab-events').click();
	await page.getByLabel('Filter by kind').selectOption('span.finish');
	await page.getByTestId('event-list').locator('[role=option]').nth(2).click();
	const row = (await selectedRow(page).textContent())!;
	await expect(page.getByTestId('session-saved')).toBeVisible();
	// the view is written after a pause too
	await page.waitForFunction(
		() =>
			new Promise((resolve) => {
				const req = indexedDB.open('tracelens');
				req.onsuccess = () => {
					const get = req.result.transaction('session').objectStore('session').get('view');
					get.onsuccess = () => resolve(!!get.result?.view?.selected);
				};
			})
	);

	await page.reload();
	await expect(page.locator('.app[data-ready]')).toBeVisible();
	const offer = page.getByTestId('notice-info').filter({ hasText: 'Restore your last session?' });
	await expect(offer).toContainText('pasted text');
	await offer.getByRole('button', { name: 'Restore' }).click();
	await analysed(page);
	await expect(page.getByTestId('filter-chip')).toHaveText(/kind is span\.finish/);
	await expect(selectedRow(page)).toHaveText(row);
	expect(await editorText(page)).toBe(text);
	await expect(offer).toHaveCount(0);
});

test('a log too big to keep is remembered by name only, and says so', async ({ page }) => {
	test.setTimeout(120_000);
	const text = corpusText(NODE);
	await open(page, '/');
	// about 33 MB, made in the page: over the 32 MB the session keeps
	const dt = await page.evaluateHandle((t) => {
		const d = new DataTransfer();
		d.items.add(new File(Array(470).fill(t), 'huge.log', { type: 'text/plain' }));
		return d;
	}, text);
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await analysed(page);
	await expect(page.getByTestId('session-saved')).toHaveText('Saved here, without the big file', {
		timeout: 30_000
	});
	await expect(page.getByTestId('session-saved')).toHaveAttribute('title', /huge\.log \(33 MB\)/);
	await page.reload();
	await expect(page.locator('.app[data-ready]')).toBeVisible();
	await expect(page.getByTestId('notice-info')).toContainText(
		'Your last session (huge.log (33 MB), a moment ago) was too big to keep in this browser'
	);
	await expect(
		page.getByTestId('notice-info').getByRole('button', { name: 'Restore' })
	).toHaveCount(0);
});

test('a Slack-sized excerpt keeps more; a link pasted into the editor opens as a link', async ({
	page
}) => {
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	const discord = await shareLink(page);
	const kept = async () =>
		Number((await page.getByTestId('share-summary').textContent())!.match(/([\d,]+) of/)![1]);
	const discordLines = await kept();
	await page.getByTestId('share-budget').selectOption('4000');
	await expect(page.getByTestId('share-url')).not.toHaveValue(discord);
	await expect(page.getByTestId('share-meter').locator('.busy')).toHaveCount(0);
	const slack = await page.getByTestId('share-url').inputValue();
	expect(slack).not.toContain('?sample='); // the page's own query is not shared
	expect(slack.length).toBeGreaterThan(2000);
	expect(slack.length).toBeLessThanOrEqual(4000);
	await expect(page.getByTestId('share-meter')).toHaveAttribute('data-level', 'slack');
	expect(await kept()).toBeGreaterThan(discordLines);
	await page.keyboard.press('Escape');

	await load(page, '/');
	await paste(page, slack);
	await expect(page.getByTestId('notice-info')).toHaveText(/A shared excerpt/);
	await analysed(page);
	await expect(page.locator('.tl-gap').first()).toBeVisible();
	expect(new URL(page.url()).hash).toBe(new URL(slack).hash);
});
