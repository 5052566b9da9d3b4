// The last session, kept in this browser's IndexedDB (never sent anywhere) so that a reload or a
// closed tab loses nothing: the logs (as the Files they were, or the edited text) up to a size
// cap, else just their names, and the view (selected event, filters, timeline window).
import type { ShareView } from '$lib/permalink/index';

/** Most bytes of logs kept; past it only the names are kept (a 300 MB log is not copied). */
export const SESSION_MAX_BYTES = 32 * 1024 * 1024;

export interface SavedFile {
	name: string;
	/** Bytes of the file, or characters of the text. */
	size: number;
	/** The file as it was opened (kept when it was not edited). */
	blob?: Blob;
	/** The editor text (kept when it was edited or pasted). */
	text?: string;
	/** Neither kept: the file was too big. */
	dropped?: boolean;
}

export interface SavedContent {
	/** Changes with every new content; the saved view belongs to the content with its id. */
	id: string;
	savedAt: number;
	/** The session was a shared link, unchanged: the link is enough. */
	link?: string;
	files: SavedFile[];
	/** Parse as this tracer (an edited shared excerpt). */
	tracer?: string;
}

export interface SavedView {
	id: string;
	view: ShareView;
}

const DB = 'tracelens';
const STORE = 'session';

function openDb(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		if (typeof indexedDB === 'undefined') {
			reject(new Error('IndexedDB is not available'));
			return;
		}
		const req = indexedDB.open(DB, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
		req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
	});
}

let db: Promise<IDBDatabase> | undefined;

function database(): Promise<IDBDatabase> {
	db ??= openDb().catch((e) => {
		db = undefined;
		throw e;
	});
	return db;
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) {
	const d = await database();
	return new Promise<T>((resolve, reject) => {
		const tx = d.transaction(STORE, mode);
		const req = fn(tx.objectStore(STORE));
		tx.oncomplete = () => resolve(req.result);
		tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB failed'));
		tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
	});
}

export async function saveContent(content: SavedContent): Promise<void> {
	await run('readwrite', (s) => s.put(content, 'content'));
}

export async function saveView(view: SavedView): Promise<void> {
	await run('readwrite', (s) => s.put(view, 'view'));
}

/** The last session, or null; its view only when it belongs to that content. */
export async function loadSession(): Promise<{
	content: SavedContent;
	view?: ShareView;
} | null> {
	const content = (await run('readonly', (s) => s.get('content'))) as SavedContent | undefined;
	if (!content || !Array.isArray(content.files)) return null;
	const view = (await run('readonly', (s) => s.get('view'))) as SavedView | undefined;
	return { content, view: view && view.id === content.id ? view.view : undefined };
}

export async function clearSession(): Promise<void> {
	await run('readwrite', (s) => s.clear());
}
