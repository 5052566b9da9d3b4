// Big and packed input in Debian's chromium: a Java flare zip (every log inside listed and analysed,
// the gap between tracer_begin.log and tracer_end.log shown), logs too big for the editor shown as a
// window of lines that every link moves (a plain file read by slices, a .gz one through the decoder).
// Big inputs are made inside the page, so nothing large crosses the test connection.
import type { Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { analysed, expect, open, test, timelinePoint } from './fixtures';

const SAMPLE = fs.readFileSync(
	path.resolve(import.meta.dirname, '../../static/samples/nodejs-3.58.0-recovery.log'),
	'utf8'
);
const SAMPLE_LINES = SAMPLE.split('\n').slice(0, SAMPLE.endsWith('\n') ? -1 : undefined);
/** Middle of the "Sends to Agent" lane, from the top of the timeline surface (one file). */
const FLUSH_LANE_Y = 35;

/** A Java writer failure at `time` (UTC, "HH:MM:SS"). */
function javaFailure(time: string, n: number): string {
	return `[dd.trace 2021-04-15 ${time}:159 +0000] [dd-trace-writer] WARN datadog.trace.agent.common.writer.ddagent.DDAgentApi - Error while sending 1 of 1 (size=1015B) traces to the DD agent. Total: ${n}, Received: ${n}, Sent: 0, Failed: ${n}. java.net.SocketException: Connection reset (Will not log errors for 5 minutes)`;
}

function lines(hour: number, n: number): string {
	const out: string[] = [];
	for (let i = 0; i < n; i++) {
		const m = String(10 + Math.floor(i / 6)).padStart(2, '0');
		const s = String((i * 7) % 60).padStart(2, '0');
		out.push(javaFailure(`${String(hour).padStart(2, '0')}:${m}:${s}`, i));
	}
	return out.join('\n') + '\n';
}

test('a flare zip: every log inside is listed and analysed, with a gap between begin and end', async ({
	page
}) => {
	const zip = zipSync({
		'tracer_end.log': strToU8(lines(5, 30)),
		'tracer_begin.log': strToU8(lines(4, 40)),
		'flare.properties': strToU8('java.version=17\n')
	});
	await open(page, '/');
	await page.getByTestId('file-input').setInputFiles({
		name: 'flare.zip',
		mimeType: 'application/zip',
		buffer: Buffer.from(zip)
	});
	await analysed(page);
	const tabs = page.getByTestId('file-tab');
	await expect(tabs).toHaveCount(2);
	await expect(tabs.nth(0)).toContainText('flare.zip/tracer_begin.log');
	await expect(tabs.nth(1)).toContainText('flare.zip/tracer_end.log');
	// the gap sits between the two tabs
	const order = await page
		.locator('.editor-pane .tabs > *')
		.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
	expect(order).toEqual(['file-tab', 'file-gap', 'file-tab']);
	await expect(page.getByTestId('summary-gap')).toContainText('The middle of this log is not');
	await expect(page.getByTestId('archive-notes')).toContainText(
		'flare.zip: 2 log file(s) inside: tracer_begin.log, tracer_end.log; 1 other file(s) skipped'
	);
	await expect(page.getByTestId('count-flush.error')).toHaveText('70');
	await expect(page.getByTestId('detected')).toHaveText(/^Java/);
	// on the timeline: a hatched band with its legend, and a tooltip that says what it is
	await expect(page.getByTestId('timeline-gap')).toBeVisible();
	const endOfBegin = Date.UTC(2021, 3, 15, 4, 16, 33);
	const startOfEnd = Date.UTC(2021, 3, 15, 5, 10, 0);
	const p = await timelinePoint(page, (endOfBegin + startOfEnd) / 2, 70);
	await page.mouse.move(p.x, p.y);
	await expect(page.getByTestId('gap-tooltip')).toContainText(
		'tracer_end.log continues after a gap'
	);
	// each log is in its own editor document; a link to the end log shows its line there
	await page.getByTestId('evidence').last().click();
	await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
	await expect(page.locator('.cm-line.tl-selected-first')).toContainText('Total: 29,');
	// they stay two files of one flare, with the gap, when analysed again (here: after an edit)
	await page.locator('.cm-content').click();
	await page.keyboard.press('ControlOrMeta+End');
	await page.keyboard.type('\n');
	await expect(page.getByTestId('file-tab').nth(1)).toContainText('edited');
	await analysed(page);
	await expect(page.getByTestId('summary-gap')).toBeVisible();
	await expect(page.getByTestId('timeline-gap')).toBeVisible();
});

/** Drops a File made in the page: `copies` times the sample log, gzipped when asked. */
async function dropBig(page: Page, name: string, copies: number, gzip: boolean): Promise<void> {
	const dt = await page.evaluateHandle(
		async ({ text, name, copies, gzip }) => {
			let blob = new Blob(Array(copies).fill(text), { type: 'text/plain' });
			if (gzip) {
				const packed = blob.stream().pipeThrough(new CompressionStream('gzip'));
				blob = await new Response(packed).blob();
			}
			const d = new DataTransfer();
			d.items.add(new File([blob], name));
			return d;
		},
		{ text: SAMPLE, name, copies, gzip }
	);
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
}

/** The first and last line of the editor's window, and of how many. */
async function windowRange(page: Page): Promise<[number, number, number]> {
	const text = (await page.getByTestId('window-range').textContent())!;
	const m = /lines ([\d,]+)–([\d,]+) of ([\d,]+)/.exec(text)!;
	return [m[1], m[2], m[3]].map((s) => Number(s.replace(/,/g, ''))) as [number, number, number];
}

/** The selected line in the editor: its number in the gutter and its text. */
async function selectedLine(page: Page): Promise<{ number: number; text: string }> {
	const line = page.locator('.cm-line.tl-selected-first');
	await expect(line).toBeInViewport();
	const text = (await line.textContent())!;
	const number = await line.evaluate((el) => {
		const top = el.getBoundingClientRect().top;
		const gutter = [...document.querySelectorAll('.cm-lineNumbers .cm-gutterElement')];
		const cell = gutter.find((g) => Math.abs(g.getBoundingClientRect().top - top) < 3);
		return Number(cell?.textContent ?? NaN);
	});
	return { number, text };
}

/** Line n (1-based) of `copies` times the sample. */
function expectedLine(n: number): string {
	return SAMPLE_LINES[(n - 1) % SAMPLE_LINES.length];
}

const COPIES = 420; // about 31 MB: above the editor's 24 MB

test('a log too big for the editor: a window of lines with their real numbers, moved by every link', async ({
	page
}) => {
	test.setTimeout(120_000);
	await open(page, '/');
	await dropBig(page, 'big.log', COPIES, false);
	await analysed(page);
	const total = COPIES * SAMPLE_LINES.length;
	await expect(page.getByTestId('window-note')).toBeVisible();
	const [first, last, all] = await windowRange(page);
	expect([first, all]).toEqual([1, total]);
	expect(last).toBeGreaterThan(100);
	expect(last).toBeLessThan(5000);
	await expect(page.getByTestId('file-tab')).toContainText('window');

	// a timeline mark near the end of the log: its event, at its line, in the moved window
	const surface = page.getByTestId('timeline');
	await surface.focus();
	for (let i = 0; i < 4; i++) await page.keyboard.press('+');
	for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
	const v0 = Number(await surface.getAttribute('data-v0'));
	const v1 = Number(await surface.getAttribute('data-v1'));
	const x = v0 + (v1 - v0) * 0.6;
	expect(x).toBeGreaterThan(total / 2);
	const p = await timelinePoint(page, x, FLUSH_LANE_Y);
	await page.mouse.move(p.x, p.y);
	await expect(page.getByRole('tooltip')).toContainText('flush.');
	await page.mouse.click(p.x, p.y);
	const detail = page.getByTestId('event-detail');
	await expect(detail).toContainText(/big\.log:\d+/);
	const line = Number(/big\.log:(\d+)/.exec((await detail.textContent())!)![1]);
	expect(line).toBeGreaterThan(total / 2);
	await expect.poll(async () => (await windowRange(page))[0]).toBeGreaterThan(total / 2);
	const shown = await selectedLine(page);
	expect(shown.number).toBe(line);
	expect(shown.text).toBe(expectedLine(line));

	// the event list's first event (Home) goes back to the top of the file
	await page.getByTestId('tab-events').click();
	await page.getByTestId('event-list').focus();
	await page.keyboard.press('Home');
	await expect.poll(async () => (await windowRange(page))[0]).toBe(1);
	const top = await selectedLine(page);
	expect(top.text).toBe(expectedLine(top.number));

	// "Later lines" moves on; the cursor on a line still selects that line's event
	const before = await windowRange(page);
	await page.getByTestId('window-later').click();
	await expect.poll(async () => (await windowRange(page))[0]).toBeGreaterThan(before[0]);
	const [a, b] = await windowRange(page);
	expect(a).toBeLessThanOrEqual(before[1]);
	expect(b).toBeGreaterThan(before[1]);
	await page.locator('.cm-line', { hasText: 'Request to the agent' }).first().click();
	await expect(detail).toContainText('flush.attempt');
	const clicked = Number(/big\.log:(\d+)/.exec((await detail.textContent())!)![1]);
	expect(clicked).toBeGreaterThanOrEqual(a);
	expect(expectedLine(clicked)).toContain('Request to the agent');
});

test('a .gz log: analysed, and too big unpacked, windows read through the decoder', async ({
	page
}) => {
	test.setTimeout(120_000);
	await open(page, '/');
	await dropBig(page, 'big.log.gz', COPIES, true);
	await analysed(page);
	const total = COPIES * SAMPLE_LINES.length;
	await expect(page.getByTestId('summary')).toContainText('Decompressed from gzip');
	await expect(page.getByTestId('count-flush.error')).toHaveText(String(2 * COPIES));
	await expect.poll(async () => (await windowRange(page))[2]).toBe(total);
	await expect(page.getByTestId('window-note')).toContainText('compressed');

	// the verdict's last evidence is in the last copy: the window moves there
	const evidence = page.getByTestId('evidence').last();
	const line = Number((await evidence.textContent())!.replace(/\D/g, ''));
	expect(line).toBeGreaterThan(total - SAMPLE_LINES.length);
	await evidence.click();
	await expect.poll(async () => (await windowRange(page))[1]).toBeGreaterThanOrEqual(line);
	const shown = await selectedLine(page);
	expect(shown.number).toBe(line);
	expect(shown.text).toBe(expectedLine(line));

	// "Go to line" anywhere in the file
	const target = Math.floor(total / 3);
	await page.getByTestId('window-goto').fill(String(target));
	await page.getByTestId('window-goto').press('Enter');
	await expect.poll(async () => (await windowRange(page))[0]).toBeLessThanOrEqual(target);
	const [a, b] = await windowRange(page);
	expect(b).toBeGreaterThanOrEqual(target);
	expect(a).toBeGreaterThan(1);
	// the line is highlighted (as part of its event) in the window
	await expect(
		page.locator('.cm-line.tl-selected').filter({ hasText: expectedLine(target) })
	).toBeVisible();
});
