// Sharing on the page: opening a shared link (text, analysis, selected event, filters, zoom),
// building links through the worker, writing the hash (replaceState only), and the last session
// kept in IndexedDB and offered back on the next visit. Nothing here sends anything anywhere.
import { tick } from 'svelte';
import { TRACER_IDS, type TracerId } from '$lib/core/model';
import {
	editorFile,
	looksLikePermalink,
	originalLineOf,
	toEditorLine,
	type EditorFile,
	type LineMap,
	type ShareFile,
	type ShareView
} from '$lib/permalink/index';
import type { AnalysisView, ShareAnswer, ShareAsk } from '$lib/worker/api';
import { errorText, formatBytes, type AppState } from '../app-state.svelte';
import {
	loadSession,
	saveContent,
	saveView,
	SESSION_MAX_BYTES,
	type SavedContent,
	type SavedFile
} from './session-store';

/** Pause after a change before the session is written (typing never waits for it). */
export const SAVE_PAUSE = 1200;

/** The page shows a shared link (until the user changes the text or opens other files). */
export interface LinkSession {
	hash: string;
	title?: string;
	files: EditorFile[];
	/** The link was damaged or newer: what is shown is what could be recovered. */
	partial: boolean;
}

interface PendingView {
	view: ShareView;
	/** Apply only to an analysis of files with these names (a restored big file opened again). */
	names?: string[];
}

export type SaveStatus =
	| { state: 'idle' }
	| { state: 'saved'; at: number; dropped: string[] }
	| { state: 'off'; why: string };

export class Sharing {
	dialogOpen = $state(false);
	link = $state.raw<LinkSession | null>(null);
	saveStatus = $state.raw<SaveStatus>({ state: 'idle' });

	private pending: PendingView | null = null;
	private offerNotice: number | null = null;
	private loading = false;
	private sessionId = newId();
	private contentTimer: ReturnType<typeof setTimeout> | undefined;
	private viewTimer: ReturnType<typeof setTimeout> | undefined;
	private contentDirty = false;
	private storageOff = false;

	constructor(private readonly app: AppState) {
		app.onView = () => this.viewShown();
		app.onChange = (what) => this.changed(what);
	}

	// ── start-up ───────────────────────────────────────────────────────────────────────────────

	/**
	 * Opens the link in the address bar, if any, and offers the last session back. Returns true
	 * when the page now shows a link (the caller then skips ?sample=).
	 */
	async start(): Promise<boolean> {
		const hash = location.hash;
		const isLink = looksLikePermalink(hash);
		if (isLink) await this.openHash(hash);
		let saved: Awaited<ReturnType<typeof loadSession>> = null;
		try {
			saved = await loadSession();
		} catch (e) {
			this.storageOff = true;
			this.saveStatus = { state: 'off', why: errorText(e) };
		}
		if (saved && !(isLink && saved.content.link === hash) && !this.contentDirty) {
			this.offer(saved.content, saved.view);
		}
		return isLink;
	}

	destroy(): void {
		clearTimeout(this.contentTimer);
		clearTimeout(this.viewTimer);
	}

	private offer(content: SavedContent, view: ShareView | undefined): void {
		const kept = content.files.filter((f) => !f.dropped);
		const when = timeAgo(content.savedAt);
		let text: string;
		if (content.link) text = `Restore your last session? A shared link, opened ${when}.`;
		else if (kept.length === 0) {
			text = `Your last session (${describe(content.files)}, ${when}) was too big to keep in this browser: open the file again to continue.`;
		} else text = `Restore your last session? ${describe(content.files)}, ${when}.`;
		this.offerNotice = this.app.notify(
			'info',
			text,
			kept.length || content.link
				? { label: 'Restore', run: () => void this.restore(content, view) }
				: undefined
		);
		if (!kept.length && !content.link && view) {
			// the file opened again with the same name gets its view back
			this.pending = { view, names: content.files.map((f) => f.name) };
		}
	}

	private async restore(content: SavedContent, view: ShareView | undefined): Promise<void> {
		this.offerNotice = null;
		if (content.link) {
			await this.openHash(content.link);
			this.writeHash(content.link);
			return;
		}
		const files: File[] = [];
		const dropped: SavedFile[] = [];
		for (const f of content.files) {
			if (f.dropped) dropped.push(f);
			else files.push(new File([f.blob ?? f.text ?? ''], f.name, { type: 'text/plain' }));
		}
		if (dropped.length) {
			this.app.notify(
				'warn',
				`${describe(dropped)} ${dropped.length === 1 ? 'was' : 'were'} too big to keep in this browser: open ${dropped.length === 1 ? 'it' : 'them'} again.`
			);
		}
		const tracer = TRACER_IDS.find((t) => t === content.tracer);
		this.loading = true;
		try {
			this.app.forcedTracer = tracer;
			this.pending = view ? { view } : null;
			this.sessionId = content.id;
			await this.app.openFiles(files);
		} finally {
			this.loading = false;
		}
		void this.applyPending();
	}

	// ── opening a link ─────────────────────────────────────────────────────────────────────────

	/** Opens a shared link (`#L1.…`): its text, analysed as its tracer, with its view. */
	async openHash(hash: string): Promise<void> {
		const app = this.app;
		if (!app.analyzer || !app.editor) return;
		const r = await app.analyzer.openLink(hash);
		let files: ShareFile[];
		let view: ShareView | undefined;
		let tracer: string | undefined;
		let title: string | undefined;
		let partial = false;
		if (r.ok) {
			({ files, view, tracer, title } = r.envelope);
			for (const w of r.warnings) app.notify('warn', w);
		} else if (r.recovered) {
			({ files, view, tracer, title } = r.recovered);
			partial = true;
			app.notify('error', r.message);
		} else {
			app.notify('error', r.message);
			return;
		}
		const editorFiles = files.map(editorFile);
		this.loading = true;
		try {
			app.forcedTracer = TRACER_IDS.find((t) => t === tracer);
			this.pending = view ? { view } : null;
			this.link = {
				hash: hash.startsWith('#') ? hash : `#${hash}`,
				title,
				files: editorFiles,
				partial
			};
			app.lineLabel = (f, l) => originalLineOf(editorFiles[f], l);
			this.sessionId = newId();
			this.contentDirty = true;
			await app.openFiles(
				editorFiles.map((ef) => new File([ef.text], ef.name, { type: 'text/plain' }))
			);
		} finally {
			this.loading = false;
		}
		// the excerpt's numbers and gaps, once its text is in the editor
		editorFiles.forEach((ef, i) => {
			if (!ef.whole) app.editor?.setExcerpt(i, ef);
		});
		void this.applyPending();
		const shown = editorFiles.reduce((n, f) => n + f.originalLines, 0);
		if (editorFiles.some((f) => !f.whole)) {
			const kept = editorFiles.reduce((n, f) => n + f.lines, 0);
			app.notify(
				'info',
				`${title ? `“${title}”: a` : 'A'} shared excerpt: ${kept.toLocaleString('en-US')} of ${shown.toLocaleString('en-US')} lines, numbered as in the original log. Counts and the verdict cover these lines only.`
			);
		}
		this.scheduleSave();
	}

	// ── the view, in the original numbering ─────────────────────────────────────────────────────

	/** The view to share: selected event, filters, zoom, in the ORIGINAL numbering. */
	currentView(): ShareView {
		const app = this.app;
		const v = app.view;
		const out: ShareView = {};
		if (!v) return out;
		if (app.selected >= 0 && app.selected < v.events.count) {
			const file = v.events.file[app.selected];
			out.selected = { file, line: app.lineLabel(file, v.events.line[app.selected]) };
		}
		if (app.chips.length) {
			out.filters = app.chips.map((c) =>
				c.not ? { ...c, not: true } : { field: c.field, value: c.value }
			);
		}
		const w = app.timeline?.window();
		if (w && !w.fitted && Number.isFinite(w.x0) && Number.isFinite(w.x1)) {
			out.zoom = { axis: v.axis, x0: this.toOriginalX(v, w.x0), x1: this.toOriginalX(v, w.x1) };
		}
		return out;
	}

	private maps(): (LineMap | undefined)[] | undefined {
		const link = this.link;
		if (!link || link.files.every((f) => f.whole)) return undefined;
		return link.files.map(
			({ whole, lines, origin, times, clippedFrom, originalLines, originalBytes }) => ({
				whole,
				lines,
				origin,
				times,
				clippedFrom,
				originalLines,
				originalBytes
			})
		);
	}

	/** x of the timeline on a line axis, from editor to original numbering (times stay). */
	private toOriginalX(v: AnalysisView, x: number): number {
		const link = this.link;
		if (v.axis !== 'line' || !link) return x;
		const f = fileAt(v.fileStart, x);
		const line = x - v.fileStart[f];
		const whole = Math.floor(line);
		const orig = originalLineOf(link.files[f], Math.max(1, whole)) + (line - whole);
		return originalStarts(link.files)[f] + orig;
	}

	private fromOriginalX(v: AnalysisView, x: number): number {
		const link = this.link;
		if (v.axis !== 'line' || !link) return x;
		const starts = originalStarts(link.files);
		const f = fileAt(starts, x);
		const line = x - starts[f];
		const whole = Math.floor(line);
		const ef = link.files[f];
		const editor = ef ? (toEditorLine(ef, Math.max(1, whole), true) ?? whole) : whole;
		return (v.fileStart[f] ?? 0) + editor + (line - whole);
	}

	private viewShown(): void {
		if (this.contentDirty) this.scheduleSave();
		void this.applyPending();
	}

	/** Applies a shared or saved view once its analysis is on screen and its text in the editor. */
	private async applyPending(): Promise<void> {
		const app = this.app;
		const p = this.pending;
		const view = app.view;
		if (!p || !view || app.analyzing || app.files.some((f) => f.loading)) return;
		if (p.names && p.names.join('\n') !== view.files.map((f) => f.name).join('\n')) return;
		this.pending = null;
		await tick(); // the timeline fits the new analysis first
		if (app.view !== view) return;
		for (const c of p.view.filters ?? []) app.addChip(c);
		const sel = p.view.selected;
		if (sel && sel.file < view.files.length) {
			const ef = this.link?.files[sel.file];
			const line = ef ? (toEditorLine(ef, sel.line, true) ?? sel.line) : sel.line;
			const id = view.lineEvent[sel.file]?.[line] ?? -1;
			if (id >= 0) {
				app.tab = 'events';
				await tick();
				app.select(id, 'summary');
			} else app.gotoLine(sel.file, line);
		}
		const z = p.view.zoom;
		if (z && z.axis === view.axis) {
			await tick();
			app.timeline?.setWindow(this.fromOriginalX(view, z.x0), this.fromOriginalX(view, z.x1));
		}
	}

	// ── building and writing links ──────────────────────────────────────────────────────────────

	/** The share link for these options, built in the worker; null when nothing is analysed. */
	async build(
		options: Omit<ShareAsk, 'origin' | 'view' | 'excerptSelected' | 'maps'>
	): Promise<ShareAnswer | null> {
		const app = this.app;
		const v = app.view;
		if (!app.analyzer || !v) return null;
		const view = this.currentView();
		const ask: ShareAsk = {
			...options,
			// ?sample= and the like are not part of what is shared
			origin: location.origin + location.pathname,
			view,
			maps: this.maps()
		};
		if (this.link && app.selected >= 0) {
			ask.excerptSelected = {
				file: v.events.file[app.selected],
				line: v.events.line[app.selected]
			};
		}
		return app.analyzer.share($state.snapshot(ask) as ShareAsk);
	}

	/** Puts the link in the address bar without a new history entry. */
	writeHash(url: string): void {
		const hash = url.slice(url.indexOf('#'));
		// keep SvelteKit's own history state; never a new entry (pushState)
		history.replaceState(history.state, '', hash);
	}

	private clearHash(): void {
		if (!location.hash) return;
		history.replaceState(history.state, '', location.pathname + location.search);
	}

	/** After a share: the page shows what the link holds only when it was opened from one. */
	shared(url: string): void {
		this.writeHash(url);
	}

	// ── the last session ───────────────────────────────────────────────────────────────────────

	private changed(what: 'content' | 'view'): void {
		if (what === 'content') {
			if (this.loading) return;
			this.contentDirty = true;
			this.sessionId = newId();
			if (this.offerNotice !== null) {
				this.app.dismiss(this.offerNotice);
				this.offerNotice = null;
			}
			if (this.link) {
				// the page no longer shows the link: take it out of the address bar
				this.link = null;
				this.app.lineLabel = (_f, l) => l;
				this.clearHash();
			}
			// new files (not an edit of the shown text) are detected again
			if (!this.app.files.some((f) => f.edited)) this.app.forcedTracer = undefined;
			this.pending = null;
			if (this.pastedLink()) return;
			this.scheduleSave();
		} else {
			clearTimeout(this.viewTimer);
			this.viewTimer = setTimeout(() => idle(() => void this.writeView()), SAVE_PAUSE);
		}
	}

	/** A tracelens link pasted into the empty editor opens as a link. */
	private pastedLink(): boolean {
		const app = this.app;
		const editor = app.editor;
		if (!editor || app.files.length !== 1 || !app.files[0].edited) return false;
		if (editor.length(0) > 200_000) return false;
		const text = editor.text(0).trim();
		const at = text.search(/#L\d{1,6}\./);
		if (at < 0 || /\s/.test(text) || !looksLikePermalink(text)) return false;
		const hash = text.slice(at);
		queueMicrotask(async () => {
			// the link itself is not text worth bringing back
			if (app.files[0]) app.files[0].edited = false;
			await this.openHash(hash);
			this.writeHash(hash);
		});
		return true;
	}

	private scheduleSave(): void {
		this.contentDirty = true;
		clearTimeout(this.contentTimer);
		this.contentTimer = setTimeout(() => idle(() => void this.writeContent()), SAVE_PAUSE);
	}

	private async writeContent(): Promise<void> {
		const app = this.app;
		if (this.storageOff || !app.editor) return;
		if (app.files.some((f) => f.loading) || app.analyzing) {
			this.scheduleSave(); // try again once the files are in
			return;
		}
		const editor = app.editor;
		const id = this.sessionId;
		const content: SavedContent = { id, savedAt: Date.now(), files: [] };
		const dropped: string[] = [];
		if (this.link && !app.files.some((f) => f.edited)) {
			content.link = this.link.hash;
		} else {
			let budget = SESSION_MAX_BYTES;
			app.files.forEach((f, i) => {
				const saved: SavedFile = { name: f.name, size: f.size };
				if (!f.edited && f.blob) {
					if (f.blob.size <= budget) {
						saved.blob = f.blob;
						budget -= f.blob.size;
					} else saved.dropped = true;
				} else {
					const n = editor.length(i);
					if (n <= budget) {
						saved.text = editor.text(i);
						budget -= n;
					} else saved.dropped = true;
				}
				if (saved.dropped) dropped.push(`${f.name} (${formatBytes(f.size)})`);
				content.files.push(saved);
			});
			// an emptied editor is not a session: the last one stays
			if (content.files.every((f) => !f.dropped && !f.blob?.size && !f.text)) return;
			if (app.forcedTracer) content.tracer = app.forcedTracer;
		}
		try {
			await saveContent(content);
			if (id === this.sessionId) this.contentDirty = false;
			this.saveStatus = { state: 'saved', at: content.savedAt, dropped };
			await this.writeView();
		} catch (e) {
			this.storageOff = true;
			this.saveStatus = { state: 'off', why: errorText(e) };
		}
	}

	private async writeView(): Promise<void> {
		if (this.storageOff || !this.app.view || this.contentDirty) return;
		try {
			await saveView({
				id: this.sessionId,
				view: $state.snapshot(this.currentView()) as ShareView
			});
		} catch {
			// the content is saved; a lost view is not worth a message
		}
	}
}

function newId(): string {
	return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function idle(fn: () => void): void {
	if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 2000 });
	else setTimeout(fn, 0);
}

function describe(files: { name: string; size: number }[]): string {
	if (files.length === 1) return `${files[0].name} (${formatBytes(files[0].size)})`;
	const total = files.reduce((n, f) => n + f.size, 0);
	return `${files.length} files (${files
		.slice(0, 3)
		.map((f) => f.name)
		.join(', ')}${files.length > 3 ? '…' : ''}; ${formatBytes(total)})`;
}

function timeAgo(t: number): string {
	const s = Math.max(0, (Date.now() - t) / 1000);
	if (s < 90) return 'a moment ago';
	if (s < 3600) return `${Math.round(s / 60)} minutes ago`;
	if (s < 86400 * 2) return `${Math.round(s / 3600)} hours ago`;
	return `on ${new Date(t).toLocaleDateString()}`;
}

function fileAt(starts: number[], x: number): number {
	let f = 0;
	while (f + 1 < starts.length && starts[f + 1] <= x) f++;
	return f;
}

function originalStarts(files: EditorFile[]): number[] {
	const out: number[] = [];
	let at = 0;
	for (const f of files) {
		out.push(at);
		at += f.originalLines + 1;
	}
	return out;
}

export type { TracerId };
