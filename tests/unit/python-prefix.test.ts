// The Python line prefixes read by hand read what their regexes (the reference below, as parsePrefix
// used them) read: the same level, logger, [file.py:N] field and message for any `LEVEL …` line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrefix } from '../../src/lib/core/tracers/python';

const LEVEL_WORD = /^\[?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?:\/[\w.-]*\]|\]?)(?: +|$)/;
// `[%(name)s][%(levelname)s] `
const NAME_LEVEL =
	/^\[([\w.-]{1,200})\]\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?:\/[\w.-]*\]|\]?)(?: +|$)/;
const NAME_SEP = /^(ddtrace[\w.]{0,200}|[A-Za-z_]\w{0,100}(?:\.\w{1,100}){1,20})(?::| -) /;
const BRACKET_LOGGER = /^\[([\w.-]{1,200})\] */;
const FILE_FIELD = /^\[[\w.<>-]{1,200}:\d{1,7}\] */;
const NAME_WHERE =
	/^(ddtrace[\w.]{0,200}|[A-Za-z_]\w{0,100}(?:\.\w{1,100}){0,20})[:@][\w.<>-]{1,200}:\d{1,7}(?: -)? /;
const MODULE_FUNC = /^[\w.<>-]{1,200}:\d{1,7} /;
const LEVELS: Record<string, string> = {
	DEBUG: 'debug',
	INFO: 'info',
	WARNING: 'warn',
	WARN: 'warn',
	ERROR: 'error',
	CRITICAL: 'fatal',
	FATAL: 'fatal'
};

/** The `LEVEL …` reading of a line with no timestamp and no `LEVEL:logger:` prefix. */
function reference(line: string) {
	const nl = LEVEL_WORD.test(line) ? null : NAME_LEVEL.exec(line);
	const m = nl ? [nl[0], nl[2]] : LEVEL_WORD.exec(line);
	if (!m) return undefined;
	let s = line.slice(m[0].length);
	if (s.startsWith('| ')) s = s.slice(2);
	let logger: string | undefined = nl?.[1];
	let fileField = false;
	let structured = !!nl;
	const lg = BRACKET_LOGGER.exec(s);
	if (lg) {
		logger = lg[1];
		s = s.slice(lg[0].length);
		structured = true;
	}
	const ff = FILE_FIELD.exec(s);
	if (ff) {
		fileField = true;
		s = s.slice(ff[0].length);
		structured = true;
	}
	if (s.startsWith('[dd.')) {
		const end = s.indexOf(']');
		if (end > 0) {
			s = s.slice(end + 1);
			if (s.charCodeAt(0) === 32) s = s.slice(1);
			structured = true;
		}
	}
	if (s.startsWith('- ')) s = s.slice(2);
	else if (!structured) {
		const ns = NAME_SEP.exec(s);
		const nw = ns ? null : NAME_WHERE.exec(s);
		if (ns) {
			logger = ns[1];
			s = s.slice(ns[0].length);
		} else if (nw) {
			logger = nw[1];
			s = s.slice(nw[0].length);
		} else {
			const mf = MODULE_FUNC.exec(s);
			if (mf) s = s.slice(mf[0].length);
		}
	}
	return { level: LEVELS[m[1]], logger, fileField, msg: s };
}

const PARTS = [
	'DEBUG',
	'WARNING',
	'WARN',
	'[ERROR]',
	'INFO',
	'[',
	']',
	' ',
	'  ',
	'\t',
	'[ddtrace.internal.writer]',
	'[trace.py:59]',
	'[<frozen mod>:1234567]',
	'[x.py:12345678]',
	'[dd.service=a dd.env=b]',
	'- ',
	'ddtrace.x: ',
	'app.mod - ',
	'writer._target:155 ',
	'ddtrace.x:writer.py:12 ',
	'app:handle:158 - ',
	'ddtrace.x@_log:282 ',
	'/Worker-1] ',
	'/a b]',
	'| ',
	'a',
	':',
	'.',
	'S',
	'msg'
];

describe('parsePrefix: LEVEL … prefixes', () => {
	it('reads what the regexes read', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(
					'DEBUG ',
					'[INFO] ',
					'WARNING',
					'WARN ',
					'[CRITICAL]',
					'FATAL  ',
					'ERROR',
					'[ddtrace.x]'
				),
				fc.array(fc.constantFrom(...PARTS), { maxLength: 8 }),
				(head, parts) => {
					const line = head + parts.join('');
					// `LEVEL:logger:` (basicConfig) is read before: those lines are not this reading's
					if (/^(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL):[\w.-]*:/.test(line)) return;
					const want = reference(line);
					const p = parsePrefix(line);
					const got = { level: p.level, logger: p.logger, fileField: p.fileField, msg: p.msg };
					if (want) expect(got).toEqual(want);
					else
						expect(got).toEqual({
							level: undefined,
							logger: undefined,
							fileField: false,
							msg: line
						});
				}
			),
			{ numRuns: 20000 }
		);
	});

	it('gives up on a name or file field the regexes give up on', () => {
		const long = 'a'.repeat(201);
		expect(parsePrefix(`DEBUG [${long}] x`).logger).toBeUndefined();
		expect(parsePrefix(`DEBUG [${'a'.repeat(200)}] x`).logger).toBe('a'.repeat(200));
		expect(parsePrefix('INFO [f.py:12345678] x').fileField).toBe(false);
		expect(parsePrefix(`INFO [${'f'.repeat(200)}:1] x`).fileField).toBe(true);
		expect(parsePrefix(`INFO [${'f'.repeat(201)}:1] x`).fileField).toBe(false);
		expect(parsePrefix('WARNINGS x').level).toBeUndefined();
	});
});
