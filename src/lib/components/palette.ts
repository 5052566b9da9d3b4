// Colours declared once: the canvas reads them here and the page gets them as CSS variables
// (--k-<kind>, --f-<status>), so a gutter mark, a list badge and a timeline mark always agree.
import { EVENT_KINDS, type EventKind, type FlushStatus } from '$lib/core/model';

type Pair = [light: string, dark: string];

export const KIND_COLORS: Record<EventKind, Pair> = {
	'tracer.config': ['#2f62c9', '#7aa2ff'],
	'span.start': ['#9a72db', '#bba4ff'],
	'span.finish': ['#7442c8', '#a58bff'],
	'trace.complete': ['#5151c6', '#9a9aff'],
	'flush.attempt': ['#66727f', '#9aa7b4'],
	'flush.ok': ['#18864a', '#3ecf7f'],
	'flush.error': ['#d0271d', '#ff6b61'],
	'agent.error': ['#d35f00', '#ff9d47'],
	'span.abandoned': ['#a86c00', '#e0b050'],
	'integration.loaded': ['#3d7f81', '#6cc3c5'],
	sampling: ['#0b7fab', '#4cc3ee'],
	'log.other': ['#9c8400', '#e6cc47']
};

export const FLUSH_COLORS: Record<FlushStatus, Pair> = {
	ok: ['#18864a', '#3ecf7f'],
	failed: ['#d0271d', '#ff6b61'],
	unconfirmed: ['#c28a00', '#f0c040'],
	presumed: ['#6fb08a', '#5f9f7a']
};

/** Colours of the canvas chrome. */
export const CHROME = {
	bg: ['#ffffff', '#16181d'],
	laneBg: ['#f6f7f9', '#1d2026'],
	grid: ['#e3e6ea', '#2c3038'],
	text: ['#1c1f24', '#e6e8eb'],
	muted: ['#5d6670', '#9aa3ad'],
	window: ['rgba(47,98,201,0.16)', 'rgba(122,162,255,0.20)'],
	windowEdge: ['#2f62c9', '#7aa2ff'],
	selected: ['#111111', '#ffffff'],
	span: ['#8b6fd1', '#8f7be0'],
	spanError: ['#d0271d', '#ff6b61'],
	fileBar: ['#c9d3e0', '#3a4250'],
	/** The missing middle of a log (a flare's begin/end pair). */
	gap: ['#9a6700', '#f0c040']
} satisfies Record<string, Pair>;

export function pick<T extends Record<string, Pair>>(
	table: T,
	dark: boolean
): Record<keyof T, string> {
	const out = {} as Record<keyof T, string>;
	for (const key of Object.keys(table) as (keyof T)[]) out[key] = table[key][dark ? 1 : 0];
	return out;
}

/** CSS custom properties for the current theme. */
export function cssVariables(dark: boolean): string {
	const lines: string[] = [];
	for (const kind of EVENT_KINDS)
		lines.push(`--k-${kind.replace(/\./g, '-')}: ${KIND_COLORS[kind][dark ? 1 : 0]};`);
	for (const [status, pair] of Object.entries(FLUSH_COLORS))
		lines.push(`--f-${status}: ${pair[dark ? 1 : 0]};`);
	return lines.join(' ');
}
