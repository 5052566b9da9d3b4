// base64url (RFC 4648 §5) without padding. Decoding also takes the standard alphabet (`+/`), padding
// and whitespace, since people "fix" links by hand and chat apps wrap them.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
VALUE['+'.charCodeAt(0)] = 62;
VALUE['/'.charCodeAt(0)] = 63;

export function encodeBase64url(bytes: Uint8Array): string {
	const parts: string[] = [];
	let chunk = '';
	const n = bytes.length;
	let i = 0;
	for (; i + 2 < n; i += 3) {
		const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		chunk +=
			ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
		if (chunk.length >= 8192) {
			parts.push(chunk);
			chunk = '';
		}
	}
	if (i < n) {
		const v = (bytes[i] << 16) | ((i + 1 < n ? bytes[i + 1] : 0) << 8);
		chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
		if (i + 1 < n) chunk += ALPHABET[(v >> 6) & 63];
	}
	parts.push(chunk);
	return parts.join('');
}

export interface Base64Decoded {
	bytes: Uint8Array;
	/** The text ended where no complete encoding can end (a dangling sixth of a byte), or with
	 *  characters chat apps add when they cut a link ("…"). */
	cut: boolean;
}

/** Decodes base64url or base64; returns null when a character outside both alphabets appears
 *  before the end (a character such as "…" at the very end only marks the text as cut). */
export function decodeBase64url(text: string): Base64Decoded | null {
	const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
	let acc = 0;
	let bits = 0;
	let o = 0;
	let cut = false;
	let padding = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) continue;
		if (c === 61 /* = */) {
			padding = true;
			continue;
		}
		const v = c < 128 ? VALUE[c] : -1;
		if (v < 0 || padding) {
			if (trailingJunk(text, i)) {
				cut = true;
				break;
			}
			return null;
		}
		acc = ((acc << 6) | v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 0xff;
		}
	}
	// 6 leftover bits can't come from whole bytes: the text lost its last character(s).
	if (bits === 6) cut = true;
	return { bytes: out.subarray(0, o), cut };
}

/** What chat apps and editors append to a link they shorten: ellipses, dots, quotes, brackets. */
function trailingJunk(text: string, from: number): boolean {
	for (let i = from; i < text.length; i++) {
		if (!'….)]>"\'` \t\r\n'.includes(text[i])) return false;
	}
	return true;
}
