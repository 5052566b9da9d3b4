// Builds the mixed-tracer benchmark file: every corpus log of every tracer, repeated with fresh ids
// until about `targetBytes`. Cached in the temp folder (rebuilt when the target size changes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusSamples } from '../tests/unit/corpus-files';

// 16/32-hex ids and 15–20 digit decimal ids (bounded runs: no backtracking)
export const ID = /\b(?:[0-9a-f]{32}|[0-9a-f]{16}|\d{15,20})\b/g;

/** A different but same-shaped id for repetition `round`: each digit shifted by `round`. */
export function freshId(id: string, round: number): string {
	let out = '';
	for (let i = 0; i < id.length; i++) {
		const c = id.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			const d = (c - 48 + round + i) % 10;
			out += i === 0 && d === 0 && id.length >= 15 && !/[a-f]/.test(id) ? '1' : String(d);
		} else out += String.fromCharCode(97 + ((c - 97 + round + i) % 6));
	}
	return out;
}

/** The pieces of the mixed file in order, each a whole corpus log ending with a newline. */
export function* mixedPieces(targetBytes: number): Generator<Buffer> {
	const logs = corpusSamples().map((f) => fs.readFileSync(f, 'utf8'));
	if (!logs.length) throw new Error('no corpus found beside the repository (../shared/corpus)');
	let written = 0;
	for (let round = 0; written < targetBytes; round++) {
		for (const log of logs) {
			const text = round === 0 ? log : log.replace(ID, (id) => freshId(id, round));
			const buf = Buffer.from(text.endsWith('\n') ? text : text + '\n');
			yield buf;
			written += buf.length;
			if (written >= targetBytes) break;
		}
	}
}

export function mixedFile(targetBytes = 200 * 1024 * 1024): string {
	const file = path.join(os.tmpdir(), `tracelens-mixed-${targetBytes}.log`);
	if (fs.existsSync(file) && fs.statSync(file).size >= targetBytes) return file;
	const fd = fs.openSync(file + '.part', 'w');
	for (const piece of mixedPieces(targetBytes)) fs.writeSync(fd, piece);
	fs.closeSync(fd);
	fs.renameSync(file + '.part', file);
	return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const mb = Number(process.argv[2] ?? 200);
	console.log(mixedFile(mb * 1024 * 1024));
}
