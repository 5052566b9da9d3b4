// Reads the beginning of a JSON text that was cut off: the longest prefix that can be closed into
// valid JSON is closed and parsed. A string value cut in the middle keeps its complete characters,
// so a truncated link gives back the log up to where it stops. One linear pass, no recursion.

const MAX_DEPTH = 64;

export interface PartialJson {
	value: unknown;
	/** True when the text was complete JSON. */
	complete: boolean;
}

type Expect = 'value' | 'key' | 'colon' | 'comma';

/** null when the text is not the beginning of a JSON value (a syntax error before the end). */
export function parsePartialJson(text: string): PartialJson | null {
	const stack: string[] = []; // what closes each open container: '}' or ']'
	let expect: Expect = 'value';
	let empty = false; // the container just opened (it may close at once)
	let safe = -1; // a prefix end where closing the open containers gives valid JSON
	let safeClosers = '';
	const closers = () => stack.slice().reverse().join('');
	/** After a complete value (the caller sets `expect` to 'comma'): true when it was the root. */
	const valueDone = (at: number): boolean => {
		empty = false;
		if (stack.length === 0) return true;
		safe = at;
		safeClosers = closers();
		return false;
	};
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
			if (expect !== 'key' && expect !== 'value') return null;
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
					if (text[j + 1] === 'u') {
						if (j + 6 > n) break;
						if (!/^[0-9a-f]{4}$/i.test(text.slice(j + 2, j + 6))) return null;
						j += 6;
					} else if ('"\\/bfnrt'.includes(text[j + 1])) j += 2;
					else return null;
				} else if (ch < 0x20) return null;
				else j++;
				good = j;
			}
			if (!closed) {
				if (expect === 'key') break;
				// a high surrogate whose low half was cut would be a lone surrogate: drop it
				let end = good;
				const last = text.charCodeAt(end - 1);
				if (end > i + 1 && last >= 0xd800 && last <= 0xdbff) end--;
				if (/\\ud[89ab][0-9a-f]{2}$/i.test(text.slice(Math.max(i + 1, end - 6), end))) end -= 6;
				return finish(text.slice(0, end) + '"' + closers(), false);
			}
			i = j + 1;
			if (expect === 'key') {
				expect = 'colon';
				empty = false;
			} else {
				expect = 'comma';
				rootDone = valueDone(i);
			}
			continue;
		}
		if (c === '{' || c === '[') {
			if (expect !== 'value') return null;
			if (stack.length >= MAX_DEPTH) return null;
			stack.push(c === '{' ? '}' : ']');
			expect = c === '{' ? 'key' : 'value';
			empty = true;
			i++;
			safe = i;
			safeClosers = closers();
			continue;
		}
		if (c === '}' || c === ']') {
			if (stack[stack.length - 1] !== c) return null;
			if (!(expect === 'comma' || (empty && (expect === 'key' || expect === 'value')))) return null;
			stack.pop();
			i++;
			expect = 'comma';
			rootDone = valueDone(i);
			continue;
		}
		if (c === ',') {
			if (expect !== 'comma' || stack.length === 0) return null;
			expect = stack[stack.length - 1] === '}' ? 'key' : 'value';
			i++;
			continue;
		}
		if (c === ':') {
			if (expect !== 'colon') return null;
			expect = 'value';
			i++;
			continue;
		}
		// a number or a literal: it is complete only if something follows it
		if (expect !== 'value') return null;
		let j = i;
		while (j < n && !' \n\r\t,]}:'.includes(text[j])) j++;
		const token = text.slice(i, j);
		if (j >= n) {
			// cut: keep it only if it can still become a literal or a number
			if (
				!/^(?:-?\d*(?:\.\d*)?(?:[eE][-+]?\d*)?|t(?:r(?:ue?)?)?|f(?:a(?:l(?:se?)?)?)?|n(?:u(?:ll?)?)?)$/.test(
					token
				)
			) {
				return null;
			}
			break;
		}
		if (!/^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)$/.test(token))
			return null;
		i = j;
		expect = 'comma';
		rootDone = valueDone(i);
	}
	if (rootDone) return finish(text, true);
	if (safe < 0) return null;
	return finish(text.slice(0, safe) + safeClosers, false);
}

function finish(json: string, complete: boolean): PartialJson | null {
	try {
		return { value: JSON.parse(json), complete };
	} catch {
		return null;
	}
}
