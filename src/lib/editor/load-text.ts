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
}

const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

function sniffEncoding(head: Uint8Array): string {
	if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
	if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
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
			const { done, value } = await reader.read();
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
		if (partial || !alive()) void reader.cancel().catch(() => {});
		else reader.releaseLock();
	}
	return { bytes, partial };
}
