// A file on disk read by position, for the CLI and the benchmarks: in Node a Blob from
// fs.openAsBlob moves on by 64 KB per event-loop turn, so the parser waited on it; a positional
// read runs in the background while the previous slice is parsed.
import fs from 'node:fs';
import type { PositionalFile } from '../lib/core/index';

export interface OpenFile extends PositionalFile {
	close(): Promise<void>;
}

export async function openFile(file: string): Promise<OpenFile> {
	const handle = await fs.promises.open(file, 'r');
	const { size } = await handle.stat();
	return {
		size,
		async read(position, length) {
			const n = Math.max(0, Math.min(length, size - position));
			const bytes = new Uint8Array(n);
			let done = 0;
			while (done < n) {
				const { bytesRead } = await handle.read(bytes, done, n - done, position + done);
				if (bytesRead === 0) break; // the file got shorter while it was read
				done += bytesRead;
			}
			return done === n ? bytes : bytes.subarray(0, done);
		},
		close: () => handle.close()
	};
}
