// Archives: a .zip (or a tracer/Agent flare) becomes one source per log inside. Java flares split a
// log over 15 MB into tracer_begin.log + tracer_end.log; the end part is marked as following a gap.
import { Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';
import { concatBytes } from './bytes';
import { isPositional, rawChunks, type Source, type SourceData } from './source';

/** Inflated bytes allowed per archive: past this it is treated as a zip bomb. */
export const ZIP_MAX_BYTES = 1024 * 1024 * 1024;

const LOG_NAME = /\.(?:log|txt|out|err)(?:\.\d{1,3})?$/i;

export interface ExpandedSource extends Source {
	name: string;
	/** Set on the second half of a begin/end pair: the middle of the log is missing. */
	gapBefore?: string;
}

export interface Expansion {
	sources: ExpandedSource[];
	/** What happened to each archive (shown to the user). */
	notes: string[];
}

async function head(data: SourceData, n: number): Promise<Uint8Array> {
	if (typeof data === 'string') return new Uint8Array(0);
	if (data instanceof Uint8Array) return data.subarray(0, n);
	if (typeof Blob !== 'undefined' && data instanceof Blob) {
		return new Uint8Array(await data.slice(0, n).arrayBuffer());
	}
	if (isPositional(data)) return data.read(0, Math.min(n, data.size));
	return new Uint8Array(0); // a one-shot stream cannot be peeked; it is read as text
}

export async function isZip(data: SourceData): Promise<boolean> {
	const h = await head(data, 4);
	return h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;
}

/** Unzips the log files of one archive, streaming, with a cap on the inflated size. */
export async function unzipLogs(
	name: string,
	data: SourceData,
	maxBytes = ZIP_MAX_BYTES
): Promise<Expansion> {
	const entries: { name: string; parts: Uint8Array[]; bytes: number; complete: boolean }[] = [];
	const skipped: string[] = [];
	const notes: string[] = [];
	let inflated = 0;
	let bomb = false;
	let broken: string | undefined;
	const unzip = new Unzip((file: UnzipFile) => {
		if (file.name.endsWith('/')) return;
		if (!LOG_NAME.test(file.name) || bomb) {
			skipped.push(file.name);
			return;
		}
		const entry = { name: file.name, parts: [] as Uint8Array[], bytes: 0, complete: false };
		entries.push(entry);
		file.ondata = (err, chunk, final) => {
			if (final) entry.complete = true;
			if (err) {
				broken ??= `${file.name}: ${err.message}`;
				return;
			}
			inflated += chunk.length;
			if (inflated > maxBytes) {
				if (!bomb) file.terminate();
				bomb = true;
				return;
			}
			entry.parts.push(chunk);
			entry.bytes += chunk.length;
		};
		try {
			file.start();
		} catch (e) {
			broken ??= `${file.name}: ${(e as Error).message}`;
		}
	});
	unzip.register(UnzipInflate);
	unzip.register(UnzipPassThrough);
	// the end-of-central-directory record sits in the last 64 KiB; without it the zip was cut short
	let tail: Uint8Array = new Uint8Array(0);
	try {
		for await (const chunk of rawChunks(data)) {
			if (bomb) break;
			tail = keepTail(tail, chunk, 65557);
			unzip.push(chunk, false);
		}
		if (!bomb && !hasEndRecord(tail))
			broken ??= 'it ends before its table of contents: probably truncated';
		if (!bomb) unzip.push(new Uint8Array(0), true);
	} catch (e) {
		broken ??= (e as Error).message;
	}
	if (bomb) {
		notes.push(
			`${name}: stopped unzipping past ${Math.round(maxBytes / 1048576)} MB of inflated data (a zip bomb?); only what came before is analysed.`
		);
	}
	if (broken)
		notes.push(`${name}: the archive is damaged (${broken}); what could be read is analysed.`);
	const kept = entries.filter((e) => e.bytes > 0).sort((a, b) => a.name.localeCompare(b.name));
	notes.push(
		`${name}: ${kept.length} log file(s) inside${kept.length ? ': ' + kept.map((e) => e.name).join(', ') : ''}` +
			(skipped.length ? `; ${skipped.length} other file(s) skipped.` : '.')
	);
	const sources: ExpandedSource[] = kept.map((e) => ({
		name: `${name}/${e.name}`,
		data: concatBytes(e.parts, e.bytes)
	}));
	// a flare's tracer_begin.log + tracer_end.log: the end follows a gap
	for (const s of sources) {
		const m = /^(.*)_end(\.log)$/i.exec(s.name);
		if (m && sources.some((o) => o.name.toLowerCase() === `${m[1]}_begin${m[2]}`.toLowerCase())) {
			s.gapBefore = `The middle of this log is not in the archive: ${s.name.split('/').pop()} continues after a gap in ${m[1].split('/').pop()}_begin${m[2]} (flares keep only the beginning and the end of logs over 15 MB).`;
			const begin = sources.findIndex(
				(o) => o.name.toLowerCase() === `${m[1]}_begin${m[2]}`.toLowerCase()
			);
			const end = sources.indexOf(s);
			if (end !== begin + 1) {
				sources.splice(end, 1);
				sources.splice(begin + 1, 0, s);
			}
		}
	}
	return { sources, notes };
}

function keepTail(tail: Uint8Array, chunk: Uint8Array, max: number): Uint8Array {
	// copies: fflate may keep references to pushed chunks
	if (chunk.length >= max) return chunk.slice(chunk.length - max);
	const keep = Math.min(tail.length, max - chunk.length);
	const out = new Uint8Array(keep + chunk.length);
	out.set(tail.subarray(tail.length - keep));
	out.set(chunk, keep);
	return out;
}

function hasEndRecord(tail: Uint8Array): boolean {
	for (let i = tail.length - 22; i >= 0; i--) {
		if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06)
			return true;
	}
	return false;
}

/** Replaces every zip source by the logs inside it; other sources pass through. */
export async function expandArchives(
	sources: Source[],
	maxBytes = ZIP_MAX_BYTES
): Promise<Expansion> {
	const out: ExpandedSource[] = [];
	const notes: string[] = [];
	for (const s of sources) {
		if (await isZip(s.data)) {
			const e = await unzipLogs(s.name ?? 'archive.zip', s.data, maxBytes);
			out.push(...e.sources);
			notes.push(...e.notes);
		} else out.push({ ...s, name: s.name ?? `input-${out.length + 1}` });
	}
	return { sources: out, notes };
}
