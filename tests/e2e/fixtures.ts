// Shared e2e helpers: a page that fails the test on any page error or console error, and the
// ways a user puts a log into the app (paste, drop).
import { test as base, expect as baseExpect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(import.meta.dirname, '../../../shared');
export const CORPUS = path.join(SHARED, 'corpus');

export function corpusText(rel: string): string {
	return fs.readFileSync(path.join(CORPUS, rel), 'utf8');
}

export function expectedCounts(rel: string): Record<string, number> {
	const json = JSON.parse(
		fs.readFileSync(path.join(CORPUS, rel.replace(/\.log$/, '.expected.json')), 'utf8')
	);
	return json.events;
}

export const test = base.extend<{ problems: string[] }>({
	problems: [
		async ({ page }, use) => {
			const problems: string[] = [];
			page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
			page.on('console', (m) => {
				if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
			});
			await use(problems);
			expect(problems, 'no errors in the page').toEqual([]);
		},
		{ auto: true }
	]
});
/** The machine is shared (two cores, several test runs at once): allow slow steps. */
export const expect = baseExpect.configure({ timeout: 10_000 });

/** Opens the app (a path such as "/?sample=x.log") and waits until it handles input. */
export async function open(page: Page, url = '/'): Promise<void> {
	await page.goto(url);
	await expect(page.locator('.app[data-ready]')).toBeVisible();
}

/** Pastes text into the editor, replacing what is there (as Ctrl+A, Ctrl+V would). */
export async function paste(page: Page, text: string): Promise<void> {
	const content = page.locator('.cm-content');
	await content.click();
	await page.keyboard.press('ControlOrMeta+A');
	await content.evaluate((el, t) => {
		const dt = new DataTransfer();
		dt.setData('text/plain', t);
		el.dispatchEvent(
			new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
		);
	}, text);
}

/** Drops files on the page (anywhere: here, on the editor, which must not insert them). */
export async function drop(
	page: Page,
	files: { name: string; text: string }[],
	target = '.cm-content'
): Promise<void> {
	const dt = await page.evaluateHandle((list) => {
		const d = new DataTransfer();
		for (const f of list) d.items.add(new File([f.text], f.name, { type: 'text/plain' }));
		return d;
	}, files);
	await page.dispatchEvent(target, 'dragenter', { dataTransfer: dt });
	await page.dispatchEvent(target, 'dragover', { dataTransfer: dt });
	await page.dispatchEvent(target, 'drop', { dataTransfer: dt });
}

/** Waits until an analysis is on screen (and none is running). */
export async function analysed(page: Page): Promise<void> {
	await expect(page.getByTestId('analysis-done')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('progress')).toHaveCount(0);
}

/** Where on the page a timeline position x of a lane is (the layout of timeline/render.ts). */
export async function timelinePoint(
	page: Page,
	x: number,
	laneY: number
): Promise<{ x: number; y: number }> {
	const surface = page.getByTestId('timeline');
	const box = (await surface.boundingBox())!;
	const v0 = Number(await surface.getAttribute('data-v0'));
	const v1 = Number(await surface.getAttribute('data-v1'));
	const plotX = 118;
	const plotW = box.width - plotX - 8;
	return { x: box.x + plotX + ((x - v0) / (v1 - v0)) * plotW, y: box.y + laneY };
}

export async function windowSpan(page: Page): Promise<number> {
	const surface = page.getByTestId('timeline');
	return (
		Number(await surface.getAttribute('data-v1')) - Number(await surface.getAttribute('data-v0'))
	);
}
