// Every keyboard shortcut, declared once: the key handler and the help dialog both read this table.

export type ShortcutId =
	| 'open'
	| 'help'
	| 'zoomIn'
	| 'zoomOut'
	| 'fit'
	| 'panLeft'
	| 'panRight'
	| 'next'
	| 'prev'
	| 'nextProblem'
	| 'filter'
	| 'editor'
	| 'timeline'
	| 'theme'
	| 'wrap'
	| 'escape';

export interface Shortcut {
	id: ShortcutId;
	/** Key names as in KeyboardEvent.key; "Mod" is Ctrl, or Cmd on a Mac. */
	keys: string[];
	label: string;
	/** Where it works: everywhere, or only when focus is not in a text field or the editor. */
	scope: 'always' | 'outside-text';
}

export const SHORTCUTS: Shortcut[] = [
	{ id: 'open', keys: ['Mod+o'], label: 'Open log files', scope: 'always' },
	{ id: 'help', keys: ['?'], label: 'Show this list of shortcuts', scope: 'outside-text' },
	{ id: 'zoomIn', keys: ['+', '='], label: 'Zoom the timeline in', scope: 'outside-text' },
	{ id: 'zoomOut', keys: ['-'], label: 'Zoom the timeline out', scope: 'outside-text' },
	{ id: 'fit', keys: ['0'], label: 'Show the whole log on the timeline', scope: 'outside-text' },
	{
		id: 'panLeft',
		keys: ['ArrowLeft', 'a'],
		label: 'Pan the timeline left (Shift: a whole screen)',
		scope: 'outside-text'
	},
	{
		id: 'panRight',
		keys: ['ArrowRight', 'd'],
		label: 'Pan the timeline right (Shift: a whole screen)',
		scope: 'outside-text'
	},
	{ id: 'next', keys: ['j'], label: 'Select the next event', scope: 'outside-text' },
	{ id: 'prev', keys: ['k'], label: 'Select the previous event', scope: 'outside-text' },
	{
		id: 'nextProblem',
		keys: ['e'],
		label: 'Select the next failure (failed send, Agent error, warning)',
		scope: 'outside-text'
	},
	{ id: 'filter', keys: ['/'], label: 'Filter the event list', scope: 'outside-text' },
	{ id: 'editor', keys: ['Mod+e'], label: 'Move focus to the log editor', scope: 'always' },
	{ id: 'timeline', keys: ['g'], label: 'Move focus to the timeline', scope: 'outside-text' },
	{ id: 'theme', keys: ['t'], label: 'Switch between light and dark', scope: 'outside-text' },
	{ id: 'wrap', keys: ['w'], label: 'Wrap long lines in the editor', scope: 'outside-text' },
	{
		id: 'escape',
		keys: ['Escape'],
		label: 'Close a dialog or menu, or cancel the analysis',
		scope: 'always'
	}
];

export const isMac = () =>
	typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || '');

const NAMES: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc' };

/** "Mod+o" shown as "Ctrl+O" (or "⌘O" on a Mac). */
export function keyLabel(key: string): string {
	const mod = key.startsWith('Mod+');
	const name = mod ? key.slice(4) : key;
	const shown = NAMES[name] ?? (name.length === 1 ? name.toUpperCase() : name);
	if (!mod) return shown;
	return isMac() ? '⌘' + shown : 'Ctrl+' + shown;
}

function matches(e: KeyboardEvent, key: string): boolean {
	const mod = key.startsWith('Mod+');
	const name = mod ? key.slice(4) : key;
	const modDown = isMac() ? e.metaKey : e.ctrlKey;
	if (mod !== modDown) return false;
	if (!mod && (e.ctrlKey || e.metaKey || e.altKey)) return false;
	return e.key === name || e.key.toLowerCase() === name;
}

function inText(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.closest('.cm-editor')) return true;
	const tag = target.tagName;
	return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** The shortcut a key press means here, if any. */
export function shortcutFor(e: KeyboardEvent): Shortcut | undefined {
	const editing = inText(e.target);
	return SHORTCUTS.find(
		(s) => (s.scope === 'always' || !editing) && s.keys.some((k) => matches(e, k))
	);
}
