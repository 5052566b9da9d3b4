// The playground in Debian's chromium: every way in (paste, drop, picker, sample), the links between
// timeline, editor and event list, filters, themes and keyboard.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FileChooser } from '@playwright/test';
import {
	analysed,
	corpusText,
	drop,
	expect,
	expectedCounts,
	open,
	paste,
	test,
	timelinePoint,
	windowSpan
} from './fixtures';

const NODE = 'nodejs/nodejs-3.58.0-recovery.log';
const NODE_SAMPLE = 'nodejs-3.58.0-recovery.log';
/** Middle of the "Sends to Agent" lane, from the top of the timeline surface (one file). */
const FLUSH_LANE_Y = 35;

function total(counts: Record<string, number>): number {
	return Object.values(counts).reduce((a, b) => a + b, 0);
}

test('paste a log: the tracer, the counts and the verdict; clearing the text clears them', async ({
	page
}) => {
	await open(page, '/');
	await expect(page.locator('.cm-placeholder')).toContainText('Paste a Datadog tracer debug log');
	await paste(page, corpusText(NODE));
	await analysed(page);
	await expect(page.getByTestId('detected')).toHaveText('Node.js 3.58.0');
	const expected = expectedCounts(NODE);
	for (const kind of ['flush.attempt', 'flush.ok', 'flush.error', 'trace.complete']) {
		await expect(page.getByTestId(`count-${kind}`)).toHaveText(String(expected[kind]));
	}
	await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'recovered');
	await expect(page.getByTestId('file-tab')).toHaveText(/pasted text/);
	// typing (here: deleting everything) analyses again after a pause
	await page.locator('.cm-content').click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('Delete');
	await expect(page.getByTestId('verdict')).toHaveCount(0);
	await expect(page.getByTestId('file-tab')).toHaveCount(0);
});

test('drop one file anywhere: it opens, is analysed in the worker, and is not pasted twice', async ({
	page
}) => {
	await open(page, '/');
	const text = corpusText(NODE);
	await drop(page, [{ name: 'tracer.log', text }]);
	await analysed(page);
	await expect(page.getByTestId('file-tab')).toHaveText(/tracer\.log/);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');
	await expect(page.getByTestId('summary')).toContainText(
		`${text.split('\n').length - (text.endsWith('\n') ? 1 : 0)} lines`
	);
	await expect(page.getByTestId('file-tab')).not.toContainText('edited');
	await expect(page.locator('.cm-line').first()).toContainText('Encoding payload');
});

test('drop two files: both analysed on one axis, events labelled by file', async ({ page }) => {
	await open(page, '/');
	const a = 'nodejs/nodejs-4.55.0-noagent.log';
	const b = 'nodejs/nodejs-4.55.0-ok.log';
	await drop(
		page,
		[
			{ name: 'app.log.1', text: corpusText(a) },
			{ name: 'app.log', text: corpusText(b) }
		],
		'main'
	);
	await analysed(page);
	await expect(page.getByTestId('file-tab')).toHaveCount(2);
	const ea = expectedCounts(a);
	const eb = expectedCounts(b);
	await expect(page.getByTestId('count-flush.error')).toHaveText(
		String(ea['flush.error'] + eb['flush.error'])
	);
	await expect(page.getByTestId('count-flush.ok')).toHaveText(
		String(ea['flush.ok'] + eb['flush.ok'])
	);
	await page.getByTestId('tab-events').click();
	await expect(page.getByTestId('event-count')).toHaveText(`${total(ea) + total(eb)} events`);
	const rows = page.getByTestId('event-list').locator('[role=option]');
	await expect(rows.first().locator('.where')).toHaveText(/^1:\d+$/);
	// the last row belongs to the second file
	await page.getByTestId('event-list').focus();
	await page.keyboard.press('End');
	await expect(page.locator('[role=option][aria-selected=true] .where')).toHaveText(/^2:\d+$/);
	await expect(page.getByTestId('file-tab').nth(1)).toHaveAttribute('aria-selected', 'true');
	await expect(page.getByTestId('event-detail')).toContainText('app.log:');
});

test('a gzip log opens through the file picker: unpacked for the editor and the worker', async ({
	page
}, info) => {
	const file = path.join(info.outputDir, 'tracer.log.gz');
	fs.mkdirSync(info.outputDir, { recursive: true });
	fs.writeFileSync(file, zlib.gzipSync(corpusText(NODE)));
	await open(page, '/');
	await page.getByTestId('file-input').setInputFiles(file);
	await analysed(page);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');
	await expect(page.getByTestId('summary')).toContainText('Decompressed from gzip');
	await expect(page.locator('.cm-line').first()).toContainText('Encoding payload');
});

test('the sample menu loads a real log of another tracer; ?sample= loads one at start', async ({
	page
}) => {
	await open(page, '/');
	await page.getByTestId('samples-button').click();
	const items = page.getByRole('menuitem');
	await expect(items).toHaveCount(8);
	await items.filter({ hasText: 'Python' }).click();
	await analysed(page);
	await expect(page.getByTestId('detected')).toHaveText(/^Python/);
	await expect(page.getByTestId('file-tab')).toHaveText(/py-2\.8\.7-killed\.log/);
	await expect(page.locator('.cm-line').first()).toContainText('debug mode');

	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	await expect(page.getByTestId('detected')).toHaveText(/^Node\.js/);
});

test('a large file shows progress and can be cancelled; a newer input supersedes it', async ({
	page
}) => {
	await open(page, '/');
	const text = corpusText(NODE);
	// about 110 MB, made in the page from one corpus log
	const dt = await page.evaluateHandle((t) => {
		const d = new DataTransfer();
		d.items.add(new File(Array(1500).fill(t), 'huge.log', { type: 'text/plain' }));
		return d;
	}, text);
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await expect(page.getByTestId('progress')).toBeVisible();
	await expect(page.getByTestId('progress-percent')).toHaveText(/^([1-9]|[1-9]\d)%$/, {
		timeout: 20_000
	});
	await expect(page.getByTestId('partial-note')).toBeVisible();
	await page.getByTestId('cancel').click();
	await expect(page.getByTestId('progress')).toHaveCount(0);
	await expect(
		page.getByTestId('notice-info').filter({ hasText: 'Analysis cancelled' })
	).toBeVisible();
	await expect(page.getByTestId('verdict')).toHaveCount(0);

	// again, then a small drop before it ends: only the small one paints
	await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
	await expect(page.getByTestId('progress')).toBeVisible();
	await drop(page, [{ name: 'small.log', text }], 'main');
	await analysed(page);
	await expect(page.getByTestId('file-tab')).toHaveText(/small\.log/);
	await expect(page.getByTestId('count-flush.error')).toHaveText('2');
});

test('a click on a timeline mark selects its event and the editor shows that line', async ({
	page
}) => {
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	const first = page.getByTestId('evidence').first();
	const line = Number((await first.textContent())!.replace(/\D/g, ''));
	expect(line).toBeGreaterThan(1);
	const p = await timelinePoint(page, line, FLUSH_LANE_Y);
	await page.mouse.move(p.x, p.y);
	await expect(page.getByRole('tooltip')).toContainText('flush.error');
	await page.mouse.click(p.x, p.y);
	await expect(page.getByTestId('event-detail')).toContainText('flush.error');
	await expect(page.getByTestId('event-detail')).toContainText(`:${line}`);
	const selected = page.locator('.cm-line.tl-selected-first');
	await expect(selected).toBeInViewport();
	await expect(selected).toContainText('ECONNREFUSED');
	await expect(
		page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: new RegExp(`^${line}$`) })
	).toBeInViewport();
});

test('moving the cursor onto an event line selects that event', async ({ page }) => {
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	await page.getByTestId('tab-events').click();
	await page.locator('.cm-line', { hasText: 'Request to the agent' }).first().click();
	await expect(page.getByTestId('event-detail')).toContainText('flush.attempt');
	await expect(page.locator('[role=option][aria-selected=true]')).toContainText('flush.attempt');
	// the keyboard moves the cursor too: the next line is the Agent's answer
	await page.keyboard.press('ArrowDown');
	await expect(page.getByTestId('event-detail')).toContainText(/flush\.(ok|error)/);
});

test('filter chips remove events and come off again', async ({ page }) => {
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	const all = total(expectedCounts(NODE));
	await page.getByTestId('tab-events').click();
	const count = page.getByTestId('event-count');
	await expect(count).toHaveText(`${all} events`);
	await page.getByLabel('Filter by kind').selectOption('flush.error');
	await expect(page.getByTestId('filter-chip')).toHaveText(/kind is flush\.error/);
	await expect(count).toHaveText(`2 events of ${all}`);
	await expect(page.getByTestId('event-list').locator('[role=option]')).toHaveCount(2);
	// a click on the chip turns it into "is not"
	await page.getByTestId('filter-chip').locator('.chip-label').click();
	await expect(count).toHaveText(`${all - 2} events of ${all}`);
	// a text chip on top
	await page.getByLabel('Filter by text (Enter adds it)').fill('dns.lookup');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('filter-chip')).toHaveCount(2);
	const shown = async () => Number((await count.textContent())!.split(' ')[0]);
	await expect.poll(shown).toBeLessThan(all - 2);
	expect(await shown()).toBeGreaterThan(0);
	for (let i = 0; i < 2; i++) {
		await page
			.getByRole('button', { name: /^Remove filter/ })
			.first()
			.click();
	}
	await expect(page.getByTestId('filter-chip')).toHaveCount(0);
	await expect(count).toHaveText(`${all} events`);
});

test.describe('dark mode', () => {
	test.use({ colorScheme: 'dark' });

	test('follows the system, and the toggle overrides it', async ({ page }) => {
		await open(page, '/?sample=' + NODE_SAMPLE);
		await analysed(page);
		const luminance = () =>
			page.evaluate(() => {
				const m = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
				return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
			});
		expect(await luminance()).toBeLessThan(50);
		// the canvas is drawn in the dark palette too
		const pixel = await page.getByTestId('timeline-canvas').evaluate((c: HTMLCanvasElement) => {
			const d = c.getContext('2d')!.getImageData(4, 4, 1, 1).data;
			return d[0] + d[1] + d[2];
		});
		expect(pixel).toBeLessThan(150);
		await page.getByTestId('theme-button').click(); // system → light
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
		expect(await luminance()).toBeGreaterThan(200);
		await page.reload();
		await expect(page.locator('.app[data-ready]')).toBeVisible();
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	});
});

test('keyboard: zoom and pan the timeline, help dialog, Ctrl+O', async ({ page }) => {
	// listening from the start: Playwright turns the file chooser's interception on asynchronously,
	// and under load a listener added just before Ctrl+O missed the chooser
	const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
	await open(page, '/?sample=' + NODE_SAMPLE);
	await analysed(page);
	const surface = page.getByTestId('timeline');
	await surface.focus();
	const start = await windowSpan(page);
	await page.keyboard.press('+');
	await expect.poll(() => windowSpan(page)).toBeCloseTo(start / 1.5, 3);
	await page.keyboard.press('+');
	const zoomed = await windowSpan(page);
	expect(zoomed).toBeCloseTo(start / 2.25, 3);
	const v0 = Number(await surface.getAttribute('data-v0'));
	await page.keyboard.press('ArrowRight');
	await expect.poll(async () => Number(await surface.getAttribute('data-v0'))).toBeGreaterThan(v0);
	await page.keyboard.press('-');
	await expect.poll(() => windowSpan(page)).toBeCloseTo(zoomed * 1.5, 3);
	await page.keyboard.press('0');
	await expect.poll(() => windowSpan(page)).toBeCloseTo(start, 3);
	// "+" typed in a text field is text, not a zoom
	await page.getByTestId('tab-events').click();
	const field = page.getByLabel('Filter by text (Enter adds it)');
	await field.click();
	await page.keyboard.press('+');
	await expect(field).toHaveValue('+');
	expect(await windowSpan(page)).toBeCloseTo(start, 3);

	await surface.focus();
	await page.keyboard.press('?');
	const help = page.getByTestId('help-dialog');
	await expect(help).toBeVisible();
	await expect(help).toContainText('Zoom the timeline in');
	await page.keyboard.press('Escape');
	await expect(help).toBeHidden();

	await page.keyboard.press('ControlOrMeta+o');
	expect((await chooser).isMultiple()).toBe(true);
});
