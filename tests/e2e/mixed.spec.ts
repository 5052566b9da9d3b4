// A pasted log holding two tracers' output: the page names both and counts both.
import { analysed, corpusText, expect, expectedCounts, open, paste, test } from './fixtures';

const NODE = 'nodejs/nodejs-3.58.0-recovery.log';
const PYTHON = 'python/py-0.60.6-ok.log';

test("a pasted two-tracer log shows both tracers, the sum of their counts, and each one's events", async ({
	page
}) => {
	await open(page, '/');
	await paste(page, corpusText(NODE) + corpusText(PYTHON));
	await analysed(page);
	const detected = page.getByTestId('detected');
	await expect(detected).toContainText(/Python|Node\.js/);
	await expect(page.getByTestId('detected-others')).toHaveText(/^ \+ (Python|Node\.js)$/);
	await expect(detected).toContainText('Node.js');
	await expect(detected).toContainText('Python');
	await expect(page.getByTestId('tracer-others')).toBeVisible();
	const parts = page.getByTestId('file-tracers');
	await expect(parts).toContainText('2 tracers in this file, in 2 stretches');
	await expect(parts.locator('th')).toHaveText([/Node\.js|Python/, /Node\.js|Python/]);
	const node = expectedCounts(NODE);
	const python = expectedCounts(PYTHON);
	for (const kind of ['flush.attempt', 'flush.ok', 'flush.error', 'span.finish']) {
		await expect(page.getByTestId(`count-${kind}`)).toHaveText(
			String((node[kind] ?? 0) + (python[kind] ?? 0))
		);
	}
	const verdict = page.getByTestId('verdict');
	await expect(verdict).toContainText('Node.js payloads');
	await verdict.getByRole('button', { name: /more/ }).click();
	await expect(verdict).toContainText('holds the logs of 2 tracers');

	// one tracer's events: from its row in the summary, then from the list's own tracer menu
	const pythonRow = parts.locator('tr', { hasText: 'Python' });
	const pythonEvents = (await pythonRow.getByTestId('tracer-events').textContent())!.trim();
	const nodeEvents = (await parts
		.locator('tr', { hasText: 'Node.js' })
		.getByTestId('tracer-events')
		.textContent())!.trim();
	await pythonRow.getByTestId('tracer-events').click();
	await expect(page.getByTestId('filter-chip')).toHaveText([/tracer is Python/]);
	await expect(page.getByTestId('event-count')).toContainText(`${pythonEvents} of `);
	await page.getByRole('button', { name: /Remove filter: tracer is Python/ }).click();
	await page.getByLabel('Filter by tracer').selectOption('nodejs');
	await expect(page.getByTestId('filter-chip')).toHaveText([/tracer is Node\.js/]);
	await expect(page.getByTestId('event-count')).toContainText(`${nodeEvents} of `);
});
