// Line splitting that agrees with the core's LineSplitter: LF, CRLF or a lone CR end a line, and a
// final line break does not start an extra empty line. Line n of a text is `splitLines(text)[n - 1]`.

export function splitLines(text: string): string[] {
	const lines: string[] = [];
	let start = 0;
	const n = text.length;
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 13) {
			lines.push(text.slice(start, i));
			if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
			start = i + 1;
		}
	}
	if (start < n) lines.push(text.slice(start));
	return lines;
}

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				bytes += 4;
				i++;
			} else bytes += 3;
		} else bytes += 3;
	}
	return bytes;
}
