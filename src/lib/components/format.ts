// How values are written on screen.
import type { EventKind } from '$lib/core/model';

export const TRACER_NAMES: Record<string, string> = {
	java: 'Java',
	python: 'Python',
	ruby: 'Ruby',
	go: 'Go',
	nodejs: 'Node.js',
	dotnet: '.NET',
	php: 'PHP',
	cpp: 'C++',
	unknown: 'unknown'
};

/** Tracers found in the files besides `main`, in order of first mention (files with several tracers). */
export function otherTracers(files: { tracers: { tracer: string }[] }[], main: string): string[] {
	const seen = new Set<string>();
	for (const f of files) for (const p of f.tracers) if (p.tracer !== main) seen.add(p.tracer);
	return [...seen];
}

export const KIND_HELP: Record<EventKind, string> = {
	'tracer.config': 'start-up configuration dump',
	'span.start': 'a span was started',
	'span.finish': 'a span finished or was written',
	'trace.complete': 'a whole trace was handed to the writer',
	'flush.attempt': 'a payload send to the Agent started',
	'flush.ok': 'the Agent accepted a payload',
	'flush.error': 'a payload send failed',
	'agent.error': 'another failure talking to the Agent (stats, telemetry, remote config, /info)',
	'span.abandoned': 'a span reported as possibly abandoned',
	'integration.loaded': 'an integration was loaded',
	sampling: 'a sampling decision or Agent rate update',
	'log.other': 'another warning or error worth showing'
};

function pad(n: number, w = 2): string {
	return String(n).padStart(w, '0');
}

/** Offset in ms of a zone written "+02:00", "-0700", "Z"; 0 for "local" (shown as written). */
export function zoneOffset(zone: string | undefined): number {
	if (!zone || zone === 'local' || zone === 'Z' || zone === 'UTC') return 0;
	const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone.trim());
	if (!m) return 0;
	return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]) * 60000;
}

/** "10:02:11.123" in the log's own zone (wall clock as written). */
export function formatClock(ms: number, zone?: string, withMs = true): string {
	const d = new Date(ms + zoneOffset(zone));
	const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

export function formatDate(ms: number, zone?: string): string {
	const d = new Date(ms + zoneOffset(zone));
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** How the log's zone is named on screen. */
export function zoneLabel(zone: string | undefined): string {
	if (!zone || zone === 'local') return "the log's own clock (it gives no time zone)";
	if (zone === 'Z' || zone === 'UTC') return 'UTC';
	return `UTC${zone}`;
}

export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return '';
	const abs = Math.abs(ms);
	if (abs < 1) return `${(ms * 1000).toFixed(0)} µs`;
	if (abs < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
	if (abs < 60000) return `${(ms / 1000).toFixed(2)} s`;
	if (abs < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
	return `${Math.floor(ms / 3600000)} h ${Math.round((ms % 3600000) / 60000)} min`;
}

/**
 * 12,345. Not toLocaleString: its first call loads the locale data, a 40 ms pause on the main
 * thread right when an analysis arrives.
 */
export function formatCount(n: number): string {
	const s = String(Math.trunc(Math.abs(n)));
	let out = '';
	for (let i = 0; i < s.length; i++) {
		if (i > 0 && (s.length - i) % 3 === 0) out += ',';
		out += s[i];
	}
	return (n < 0 ? '-' : '') + out;
}

export function plural(n: number, word: string, many = word + 's'): string {
	return `${formatCount(n)} ${n === 1 ? word : many}`;
}
