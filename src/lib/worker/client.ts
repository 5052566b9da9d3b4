// Main-thread side of the worker boundary: one worker, a job counter so that only the latest
// analysis paints (a newer one cancels the older), and a restart when the worker dies.
import { proxy, wrap, type Remote } from 'comlink';
import type {
	AnalyzeAsk,
	Api,
	AnalysisView,
	EventDetail,
	FilterChip,
	OpenedLink,
	PageInput,
	ShareAnswer,
	ShareAsk
} from './api';
import type { WindowLimits, WindowText } from './window';
import type { RedactOptions } from '../permalink/index';
import type { AnalyzeInput, Progress } from '../core/index';

export function createAnalyzer(): { api: Remote<Api>; worker: Worker; terminate: () => void } {
	const worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
	return { api: wrap<Api>(worker), worker, terminate: () => worker.terminate() };
}

/** The analysis was replaced by a newer one or cancelled; nothing to paint. */
export class Superseded extends Error {
	constructor() {
		super('superseded');
		this.name = 'Superseded';
	}
}

export class WorkerCrashed extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'WorkerCrashed';
	}
}

export class Analyzer {
	private handle!: ReturnType<typeof createAnalyzer>;
	private job = 0;
	/** Job of the view on screen; filters and details are asked about it. */
	private shown = 0;
	private running = 0;
	private crash: ((e: Error) => void) | undefined;
	/** Rejects when the current worker dies: pending requests to it end then. */
	private dead!: Promise<never>;
	private kill: ((e: Error) => void) | undefined;
	private closed = false;

	/** @param onCrash told (after the restart) that the worker died, with what it said */
	constructor(private readonly onCrash: (message: string) => void) {
		this.start();
	}

	private start() {
		const handle = createAnalyzer();
		this.handle = handle;
		this.dead = new Promise<never>((_, reject) => (this.kill = reject));
		this.dead.catch(() => {});
		const died = (message: string) => this.crashed(message);
		// a worker that is ended (by the browser, or itself) fires no event: the Web Lock it holds
		// is released at that moment, and this page, waiting for the same lock, learns it at once
		const lock = `tracelens-worker-${Math.random().toString(36).slice(2)}-${Date.now()}`;
		void handle.api
			.hold(lock)
			.then((held) => {
				if (!held || typeof navigator === 'undefined' || !navigator.locks) return;
				void navigator.locks.request(lock, () => {
					if (this.handle === handle && !this.closed)
						died(
							'it stopped without a word: the browser may have ended it, for example when it ran out of memory'
						);
				});
			})
			.catch(() => {});
		this.handle.worker.addEventListener('error', (e) => {
			e.preventDefault();
			died(e.message || 'the analysis worker stopped with an error');
		});
		this.handle.worker.addEventListener('messageerror', () =>
			died('a message from the analysis worker could not be read')
		);
	}

	private crashed(message: string) {
		this.handle.terminate();
		this.kill?.(new WorkerCrashed(message));
		this.crash?.(new WorkerCrashed(message));
		this.crash = undefined;
		this.running = 0;
		this.shown = 0;
		this.start();
		this.onCrash(message);
	}

	get busy(): boolean {
		return this.running !== 0;
	}

	/**
	 * Analyses the inputs in the worker. Resolves with the view, or rejects with Superseded when a
	 * newer run (or cancel) came first, WorkerCrashed when the worker died, or the analysis error.
	 */
	async run(
		inputs: (AnalyzeInput | PageInput)[],
		onProgress?: (p: Progress) => void,
		ask: AnalyzeAsk = {}
	): Promise<AnalysisView> {
		if (this.running) void this.handle.api.cancel(this.running).catch(() => {});
		const job = ++this.job;
		this.running = job;
		const crashed = new Promise<never>((_, reject) => (this.crash = reject));
		crashed.catch(() => {});
		// progress comes on its own port and may arrive after the result: drop it once the run is over
		const progress = proxy((p: Progress) => {
			if (job === this.job && this.running === job) onProgress?.(p);
		});
		try {
			const view = await Promise.race([
				this.handle.api.analyze(job, inputs, progress, ask),
				crashed
			]);
			if (job !== this.job) throw new Superseded();
			this.shown = job;
			return view;
		} catch (e) {
			if (job !== this.job || (e instanceof Error && e.name === 'AbortError'))
				throw new Superseded();
			throw e;
		} finally {
			if (this.running === job) this.running = 0;
		}
	}

	/** Cancels the running analysis, if any. */
	cancel(): void {
		if (!this.running) return;
		void this.handle.api.cancel(this.running).catch(() => {});
		this.job++; // whatever arrives now is stale
		this.running = 0;
	}

	async filter(chips: FilterChip[]): Promise<Int32Array | null> {
		if (!this.shown) return null;
		return this.handle.api.filter(this.shown, chips);
	}

	async event(id: number): Promise<EventDetail | null> {
		if (!this.shown) return null;
		return this.handle.api.event(this.shown, id);
	}

	/** A share link of the analysis on screen (null when there is none). */
	async share(ask: ShareAsk): Promise<ShareAnswer | null> {
		if (!this.shown) return null;
		return this.handle.api.share(this.shown, ask);
	}

	/** File `file` of the analysis on screen as a .log.gz Blob. */
	async gzip(file: number, redact: RedactOptions | false) {
		if (!this.shown) return null;
		return this.handle.api.gzip(this.shown, file, redact);
	}

	/** Decodes a shared link in the worker. */
	async openLink(hash: string): Promise<OpenedLink> {
		return this.handle.api.openLink(hash);
	}

	/**
	 * Lines of file `file` around line `anchor` of the analysis on screen (null when there is
	 * none); rejects with WorkerCrashed if the worker dies meanwhile.
	 */
	async window(
		file: number,
		anchor: number,
		limits?: Partial<WindowLimits>
	): Promise<WindowText | null> {
		if (!this.shown) return null;
		return Promise.race([this.handle.api.window(this.shown, file, anchor, limits), this.dead]);
	}

	/** Makes the worker throw outside any call (for the restart test). */
	crashForTest(): void {
		void this.handle.api.crashForTest();
	}

	/** Makes the worker end itself without a word (for the restart test). */
	exitForTest(): void {
		void this.handle.api.exitForTest();
	}

	terminate(): void {
		this.closed = true;
		this.handle.terminate();
	}
}
