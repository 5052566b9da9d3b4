// Re-sharing a shared excerpt: the page holds the excerpt's lines (editor numbering, 1..n), but a
// link must keep the ORIGINAL numbers. These functions turn files built from editor text back into
// files numbered as the original log, through the EditorFile of each one.
import type { Segment, ShareFile } from './envelope';
import type { EditorFile } from './excerpt';
import { splitLines } from './lines';

/** What the way back needs of an EditorFile. */
export type LineMap = Pick<
	EditorFile,
	'whole' | 'lines' | 'origin' | 'times' | 'clippedFrom' | 'originalLines' | 'originalBytes'
>;

interface Entry {
	line: number;
	times: number;
	text: string;
	clipped: number;
}

/**
 * `files[i]` was built from the editor text of a shared file laid out as `maps[i]`; returns it in
 * the original numbering (a whole text becomes segments when the shared file was an excerpt).
 * A file with no map, or a whole one, keeps its numbering.
 */
export function toOriginalFiles(files: ShareFile[], maps: (LineMap | undefined)[]): ShareFile[] {
	return files.map((f, i) => {
		const map = maps[i];
		if (!map) return f;
		if (map.whole) return { ...f, lines: map.originalLines, bytes: map.originalBytes };
		const segments: Segment[] =
			f.segments ?? (f.text !== undefined ? [{ start: 1, lines: splitLines(f.text) }] : []);
		const entries: Entry[] = [];
		for (const s of segments) {
			const rep = new Map(s.repeats ?? []);
			const clip = new Map(s.clipped ?? []);
			let editorLine = s.start;
			s.lines.forEach((text, k) => {
				const run = rep.get(k) ?? 1;
				// a run of identical editor lines may cross a gap of the original: one entry per line
				for (let j = 0; j < run; j++) {
					const e = editorLine + j;
					if (e < 1 || e > map.lines) continue;
					entries.push({
						line: map.origin[e - 1],
						times: map.times[e - 1],
						text,
						clipped: map.clippedFrom[e - 1] || clip.get(k) || 0
					});
				}
				editorLine += run;
			});
		}
		const out: ShareFile = { name: f.name, bytes: map.originalBytes, lines: map.originalLines };
		out.segments = regroup(entries);
		return out;
	});
}

function regroup(entries: Entry[]): Segment[] {
	const segments: Segment[] = [];
	let seg: Segment | undefined;
	let next = 0; // original line after the last entry
	let last: Entry | undefined;
	for (const e of entries) {
		if (seg && last && e.line === next && e.text === last.text && !e.clipped && !last.clipped) {
			// the same line again, right after: one longer run
			const index = seg.lines.length - 1;
			const repeats = (seg.repeats ??= []);
			const r = repeats[repeats.length - 1];
			if (r && r[0] === index) r[1] += e.times;
			else repeats.push([index, last.times + e.times]);
			next += e.times;
			continue;
		}
		if (!seg || e.line !== next) {
			if (seg && e.line < next) continue; // out of order: never in a valid map
			seg = { start: e.line, lines: [] };
			segments.push(seg);
		}
		if (e.times > 1) (seg.repeats ??= []).push([seg.lines.length, e.times]);
		if (e.clipped) (seg.clipped ??= []).push([seg.lines.length, e.clipped]);
		seg.lines.push(e.text);
		next = e.line + e.times;
		last = e;
	}
	return segments;
}

/** The original line of an editor line (the identity without a map or for a whole file). */
export function originalLineOf(map: LineMap | undefined, editorLine: number): number {
	if (!map || map.whole) return editorLine;
	if (editorLine < 1) return editorLine;
	if (editorLine > map.lines) {
		return map.lines ? map.origin[map.lines - 1] + map.times[map.lines - 1] : editorLine;
	}
	return map.origin[editorLine - 1];
}
