// Streams a file's text into an editor document a chunk at a time, giving the page a turn between
// chunks, so that showing a 20 MB log never blocks the main thread for long. The analysis does not
// use this text: the worker reads the File itself.

/** Characters appended to the document per turn. */
const CHUNK_CHARS = 512 * 1024;

export interface LoadResult {
	/** Bytes of (decompressed) input that went into the editor. */
	bytes: number;
	/** True when only the first `limit` bytes were loaded. */
	partial: boolean;
	/** Set when the content is not shown at all (binary). */
	skipped?: string;
	/** Set when the text stops early because the file is damaged (a cut gzip file). */
	broken?: string;
}

const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

function sniffEncoding(head: Uint8Array): string {
	if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
	if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
	// UTF-16 without a byte-order mark: one byte of every pair is zero in ASCII text (as the core
	// decides, so that the editor shows the same text the analysis reads)
	const n = Math.min(head.length & ~1, 4096);
	if (n >= 8) {
		let evenZero = 0;
		let oddZero = 0;
		for (let i = 0; i < n; i += 2) {
			if (head[i] === 0) evenZero++;
			if (head[i + 1] === 0) oddZero++;
		}
		const pairs = n / 2;
		if (oddZero > pairs * 0.9 && evenZero < pairs * 0.05) return 'utf-16le';
		if (evenZero > pairs * 0.9 && oddZero < pairs * 0.05) return 'utf-16be';
	}
	return 'utf-8';
}

/**
 * Reads `blob` (gzip is decompressed) and calls `append` with text pieces that never end in the
 * middle of a CRLF. Stops after about `limit` bytes, at a line end. `alive` false stops it early.
 */
export async function loadText(
	blob: Blob,
	append: (text: string) => void,
	limit: number,
	alive: () => boolean
): Promise<LoadResult> {
	const head = new Uint8Array(await blob.slice(0, 4096).arrayBuffer());
	let stream: ReadableStream<Uint8Array> = blob.stream();
	let encoding = sniffEncoding(head);
	if (head[0] === 0x1f && head[1] === 0x8b) {
		stream = stream.pipeThrough(
			new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>
		);
		encoding = 'utf-8';
	} else if (encoding === 'utf-8' && head.includes(0)) {
		return {
			bytes: 0,
			partial: true,
			skipped: 'This file holds NUL bytes: it is not shown as text.'
		};
	}
	const decoder = new TextDecoder(encoding);
	const reader = stream.getReader();
	let bytes = 0;
	let partial = false;
	let broken: string | undefined;
	let pending = '';
	let carry = '';
	const flush = async (final: boolean) => {
		let text = carry + pending;
		pending = '';
		carry = '';
		if (!final && text.endsWith('\r')) {
			carry = '\r';
			text = text.slice(0, -1);
		}
		// big reads are handed over in pieces, with a turn for the page between them
		let at = 0;
		while (at < text.length) {
			let end = Math.min(text.length, at + CHUNK_CHARS);
			if (end < text.length && text.charCodeAt(end - 1) === 13) end--; // keep CRLF whole
			append(text.slice(at, end));
			at = end;
			await yieldToPage();
		}
	};
	try {
		for (;;) {
			if (!alive()) return { bytes, partial: true };
			let next: ReadableStreamReadResult<Uint8Array>;
			try {
				next = await reader.read();
			} catch (e) {
				// a cut gzip file: keep what could be unpacked, and say why it stops there
				broken = e instanceof Error ? e.message : String(e);
				break;
			}
			const { done, value } = next;
			if (done) break;
			let chunk = value;
			if (bytes + chunk.length > limit) {
				chunk = chunk.subarray(0, Math.max(0, limit - bytes));
				partial = true;
			}
			bytes += chunk.length;
			const text = decoder.decode(chunk, { stream: !partial });
			if (partial) {
				// end at a line end so the last line shown is a whole one
				const all = carry + pending + text;
				const cut = all.lastIndexOf('\n');
				carry = '';
				pending = cut >= 0 ? all.slice(0, cut + 1) : all;
				await flush(true);
				break;
			}
			pending += text;
			if (pending.length >= CHUNK_CHARS) await flush(false);
		}
		if (!partial) {
			pending += decoder.decode();
			await flush(true);
		}
	} finally {
		if (broken) {
			// the reader is errored: nothing to cancel or release
		} else if (partial || !alive()) void reader.cancel().catch(() => {});
		else reader.releaseLock();
	}
	return broken ? { bytes, partial: false, broken } : { bytes, partial };
}
