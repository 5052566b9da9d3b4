// The CLI contract (DESIGN.md): one JSON document on stdout with --json; clear messages, no stack.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../src/lib/core/index';
import { corpusSamples } from './corpus-files';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const cli = path.join(root, 'src/cli/main.ts');
const run = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: 'utf8' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-cli-'));

describe('CLI', () => {
	const sample = corpusSamples('nodejs')[0];

	it.skipIf(!sample)('prints exactly one JSON document with the documented shape', () => {
		const out = execFileSync(tsx, [cli, '--json', sample], { encoding: 'utf8' });
		const doc = JSON.parse(out); // throws if anything else is on stdout
		expect(Object.keys(doc)).toEqual(
			expect.arrayContaining([
				'tracer',
				'files',
				'counts',
				'events',
				'spans',
				'traces',
				'flushes',
				'verdict'
			])
		);
		expect(Object.keys(doc.counts)).toEqual([...EVENT_KINDS]);
		expect(doc.files[0]).toMatchObject({
			name: path.basename(sample),
			bytes: fs.statSync(sample).size
		});
		expect(Object.keys(doc.flushes)).toEqual(expect.arrayContaining(['attempts', 'ok', 'failed']));
		expect(Object.keys(doc.verdict)).toEqual(
			expect.arrayContaining(['status', 'summary', 'evidence'])
		);
	});

	it('prints a human summary without --json', () => {
		const f = path.join(tmp, 'plain.log');
		fs.writeFileSync(f, 'just an application line\n');
		const r = run(f);
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/No tracer debug lines found/);
		expect(r.stdout).toMatch(/flush\.error\s+0/);
	});

	it('fails clearly on a missing, empty or binary file', () => {
		const missing = run('--json', path.join(tmp, 'nope.log'));
		expect(missing.status).not.toBe(0);
		expect(missing.stderr).toMatch(/cannot read .*nope\.log: ENOENT/);
		expect(missing.stdout).toBe('');

		const empty = path.join(tmp, 'empty.log');
		fs.writeFileSync(empty, '');
		const e = run('--json', empty);
		expect(e.status).not.toBe(0);
		expect(e.stderr).toMatch(/empty/);

		const bin = path.join(tmp, 'core.bin');
		fs.writeFileSync(bin, Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256)));
		const b = run('--json', bin);
		expect(b.status).not.toBe(0);
		expect(b.stderr).toMatch(/binary/);
		for (const r of [missing, e, b]) expect(r.stderr).not.toMatch(/\n\s+at /);
	});

	it('analyses every corpus sample on its own with --each, named and with the names withheld', () => {
		const samples = corpusSamples();
		if (!samples.length) return;
		const anonymous = samples.map((f, i) => {
			const copy = path.join(tmp, `sample-${i}.txt`);
			fs.copyFileSync(f, copy);
			return copy;
		});
		for (const files of [samples, anonymous]) {
			const docs = JSON.parse(
				execFileSync(tsx, [cli, '--json', '--each', ...files], {
					encoding: 'utf8',
					maxBuffer: 512 * 1024 * 1024
				})
			);
			expect(docs).toHaveLength(samples.length);
			samples.forEach((f, i) => {
				const want = JSON.parse(fs.readFileSync(f.replace(/\.log$/, '.expected.json'), 'utf8'));
				const doc = docs[i];
				if (files === anonymous && want.detectableWithoutName === false) return;
				expect(doc.tracer, f).toBe(want.language);
				for (const kind of EVENT_KINDS)
					expect(doc.counts[kind], `${f} ${kind}`).toBe(want.events[kind] ?? 0);
			});
		}
	});

	it('fails clearly on a directory and on an unknown option', () => {
		expect(run(tmp).stderr).toMatch(/not a regular file/);
		const u = run('--bogus');
		expect(u.status).not.toBe(0);
		expect(u.stderr).toMatch(/unknown option --bogus/);
		expect(run('--tracer', 'cobol', tmp).stderr).toMatch(/unknown tracer cobol/);
	});

	it('gives the same result where resizable ArrayBuffers are missing (older browsers)', () => {
		const files = ['nodejs', 'python', 'java'].flatMap((t) => corpusSamples(t).slice(0, 3));
		const args = ['--import', 'tsx', cli, '--json', '--each', ...files];
		const normal = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
		const without = spawnSync(process.execPath, ['--no-harmony-rab-gsab', ...args], {
			encoding: 'utf8',
			cwd: root
		});
		expect(without.stderr).toBe('');
		expect(JSON.parse(without.stdout)).toEqual(JSON.parse(normal.stdout));
		expect(JSON.parse(normal.stdout)).toHaveLength(files.length);
	});
});
