// Reads the beginning of a JSON text that was cut off: the longest prefix that can be closed into
// valid JSON is closed and parsed. A string value cut in the middle keeps its complete characters,
// so a truncated link gives back the log up to where it stops. One linear pass, no recursion.

const MAX_DEPTH = 64;

export interface PartialJson {
	value: unknown;
	/** True when the text was complete JSON. */
	complete: boolean;
}

/** null when the text is not the beginning of a JSON value at all (a syntax error before the end). */
export function parsePartialJson(text: string): PartialJson | null {
	const stack: string[] = []; // '}' or ']': what closes each open container
	let keyNext = false; // inside an object, the next string is a key
	let safe = -1; // prefix end where closing the open containers gives valid JSON
	let safeClosers = '';
	const closers = () => stack.slice().reverse().join('');
	const n = text.length;
	let i = 0;
	let rootDone = false;
	while (i < n) {
		const c = text[i];
		if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
			i++;
			continue;
		}
		if (rootDone) return null; // something after the root value
		if (c === '"') {
			const isKey = keyNext;
			let j = i + 1;
			let good = j; // end of the last complete character
			let closed = false;
			while (j < n) {
				const ch = text.charCodeAt(j);
				if (ch === 0x22) {
					closed = true;
					break;
				}
				if (ch === 0x5c) {
					if (j + 1 >= n) break;
					j += text[j + 1] === 'u' ? 6 : 2;
					if (j > n) break;
				} else if (ch < 0x20) return null;
				else j++;
				good = j;
			}
			if (!closed) {
				if (isKey) break;
				// a high surrogate whose low half was cut would be a lone surrogate: drop it
				let end = good;
				const last = text.charCodeAt(end - 1);
				if (end > i + 1 && last >= 0xd800 && last <= 0xdbff) end--;
				if (/\\ud[89ab][0-9a-f]{2}$/i.test(text.slice(Math.max(i + 1, end - 6), end))) end -= 6;
				return finish(text.slice(0, end) + '"' + closers(), false);
			}
			i = j + 1;
			if (isKey) keyNext = false;
			else if (stack.length === 0) rootDone = true;
			else {
				safe = i;
				safeClosers = closers();
			}
			continue;
		}
		if (c === '{' || c === '[') {
			if (stack.length >= MAX_DEPTH) return null;
			stack.push(c === '{' ? '}' : ']');
			keyNext = c === '{';
			i++;
			safe = i;
			safeClosers = closers();
			continue;
		}
		if (c === '}' || c === ']') {
			if (stack.pop() !== c) return null;
			i++;
			keyNext = false;
			if (stack.length === 0) {
				rootDone = true;
				continue;
			}
			safe = i;
			safeClosers = closers();
			continue;
		}
		if (c === ',') {
			if (stack.length === 0) return null;
			keyNext = stack[stack.length - 1] === '}';
			i++;
			continue;
		}
		if (c === ':') {
			i++;
			continue;
		}
		// a number or a literal: it is complete only if something follows it
		let j = i;
		while (j < n && !' \n\r\t,]}'.includes(text[j])) j++;
		if (!/^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)$/.test(text.slice(i, j))) {
			if (j >= n) break;
			return null;
		}
		if (j >= n) break;
		i = j;
		if (stack.length === 0) rootDone = true;
		else {
			safe = i;
			safeClosers = closers();
		}
	}
	if (rootDone) return finish(text, true);
	if (safe < 0) return null;
	return finish(text.slice(0, safe).replace(/,\s*$/, '') + safeClosers, false);
}

function finish(json: string, complete: boolean): PartialJson | null {
	try {
		return { value: JSON.parse(json), complete };
	} catch {
		return null;
	}
}
