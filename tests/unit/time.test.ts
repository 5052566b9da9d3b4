// parseTimestamp reads by hand what its grammar regex (the reference below) reads, with the same
// arithmetic: the same time, zone and length for any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp, type ParsedTime } from '../../src/lib/core/time';

const ISO_LIKE =
	/^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,:](\d{1,9}))?( ?(?:Z|UTC|[+-]\d{2}:?\d{2}))?/;

function reference(text: string): ParsedTime | undefined {
	const m = ISO_LIKE.exec(text);
	if (!m) return undefined;
	const frac = m[7] ? Number(('0.' + m[7]).slice(0, 6)) * 1000 : 0;
	let time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + frac;
	if (Number.isNaN(time)) return undefined;
	let zone = 'local';
	const z = m[8]?.trim();
	if (z) {
		zone = z;
		if (z !== 'Z' && z !== 'UTC') {
			const sign = z[0] === '-' ? -1 : 1;
			const digits = z.slice(1).replace(':', '');
			time -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4)) * 60000;
		}
	}
	return { time, zone, length: m[0].length };
}

const SAMPLES = [
	'2024-01-02 10:11:12,345 DEBUG x',
	'2024-01-02T10:11:12.345678Z',
	'2024-01-02 10:11:12.345 +00:00 [INF]',
	'2024/01/02 10:11:12 UTC',
	'2024-01-02 10:11:12.123456789012 -0730',
	'2024-01-02 10:11:12 -07:3',
	'2024-01-02 10:11:12. Z',
	'0099-13-45T25:61:61:5+1'
];

describe('parseTimestamp', () => {
	it('reads the samples as the grammar does', () => {
		for (const s of SAMPLES) expect(parseTimestamp(s), s).toEqual(reference(s));
		expect(parseTimestamp('2024-01-02 10:11:12,345')?.time).toBe(
			Date.UTC(2024, 0, 2, 10, 11, 12, 345)
		);
	});

	it('agrees with the grammar on mutated timestamps', () => {
		const chars = fc.constantFrom(...'0123456789-/T :.,ZUTC+x'.split(''));
		const edit = fc.tuple(fc.nat(), fc.nat(2), chars);
		fc.assert(
			fc.property(fc.constantFrom(...SAMPLES), fc.array(edit, { maxLength: 4 }), (seed, edits) => {
				let s = seed;
				for (const [at, op, c] of edits) {
					const p = at % (s.length + 1);
					if (op === 0) s = s.slice(0, p) + c + s.slice(p + 1);
					else if (op === 1) s = s.slice(0, p) + c + s.slice(p);
					else s = s.slice(0, p) + s.slice(p + 1);
				}
				expect(parseTimestamp(s)).toEqual(reference(s));
			}),
			{ numRuns: 20000 }
		);
	});

	it('reads every fraction as Number("0." + its first 4 digits) does', () => {
		for (let len = 1; len <= 6; len++) {
			for (let v = 0; v < 10 ** Math.min(len, 4); v += len > 4 ? 7 : 1) {
				const s = `2024-03-01 10:20:59.${String(v).padStart(len, '0')}`;
				expect(parseTimestamp(s)?.time).toBe(reference(s)?.time);
			}
		}
	});
});
