// deflate-raw through the platform's CompressionStream / DecompressionStream (Node 18+, every
// current browser): no library. Inflation is streamed, capped, and keeps what it produced before an
// error, so a link cut by a chat app still gives back its beginning.

export type InflateProblem = 'truncated' | 'corrupt' | 'too-large';

export interface Inflated {
	/** Everything inflated, or everything inflated before the problem. */
	bytes: Uint8Array;
	problem?: InflateProblem;
	/** The platform's error text, for the console. */
	detail?: string;
}

/** Input is fed in slices this big, so output before a damaged spot is flushed before the error. */
const WRITE_SLICE = 4096;

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
	return compress(bytes, 'deflate-raw');
}

/** The same bytes as a `.log.gz` file (for logs too large for a link). */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
	return compress(bytes, 'gzip');
}

async function compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array> {
	const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream(format));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Inflates `input`, stopping once the output passes `maxBytes` (a zip-bomb guard: a few kilobytes
 * of deflate can expand to gigabytes). An input that ends before the deflate stream does is
 * reported as 'truncated'; a write rejected mid-stream as 'corrupt'.
 */
export async function inflateRaw(input: Uint8Array, maxBytes: number): Promise<Inflated> {
	const ds = new DecompressionStream('deflate-raw');
	const writer = ds.writable.getWriter();
	const reader = ds.readable.getReader();
	let writeFailed = false;
	let closeFailed = false;
	let stopped = false;
	const writing = (async () => {
		try {
			for (let at = 0; at < input.length && !stopped; at += WRITE_SLICE) {
				await writer.write(
					input.subarray(at, Math.min(input.length, at + WRITE_SLICE)) as Uint8Array<ArrayBuffer>
				);
			}
		} catch {
			writeFailed = true;
			return;
		}
		if (stopped) return;
		try {
			await writer.close();
		} catch {
			closeFailed = true;
		}
	})();

	const chunks: Uint8Array[] = [];
	let total = 0;
	let problem: InflateProblem | undefined;
	let detail: string | undefined;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.length;
			if (total > maxBytes) {
				problem = 'too-large';
				stopped = true;
				await reader.cancel().catch(() => {});
				break;
			}
			chunks.push(value);
		}
	} catch (e) {
		detail = e instanceof Error ? e.message : String(e);
		problem = 'corrupt'; // refined below, once we know which side failed
	}
	if (problem === 'too-large') writer.abort().catch(() => {});
	await writing;
	if (problem === 'corrupt') problem = classify(detail, writeFailed, closeFailed);
	return { bytes: concat(chunks), problem, detail };
}

/**
 * A stream that just stops and one that holds invalid data fail differently. Chromium rejects the
 * close with "Compressed input was truncated" and a write with "The compressed data was not
 * valid"; Node says "unexpected end of file" (Z_BUF_ERROR) or "invalid …" (Z_DATA_ERROR).
 */
function classify(detail: string | undefined, writeFailed: boolean, closeFailed: boolean) {
	if (detail && /truncat|unexpected end|incomplete/i.test(detail)) return 'truncated';
	if (detail && /invalid|not valid|incorrect|corrupt/i.test(detail)) return 'corrupt';
	return closeFailed && !writeFailed ? 'truncated' : 'corrupt';
}

function concat(chunks: Uint8Array[]): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	let n = 0;
	for (const c of chunks) n += c.length;
	const out = new Uint8Array(n);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
