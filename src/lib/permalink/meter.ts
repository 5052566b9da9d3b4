// Which chat apps a link survives. Discord turns a message over 2,000 characters into a
// message.txt attachment; Slack cuts links of about 4,000 (research/PERMALINK.md §2).

export const CHAT_LIMITS = [
	{ id: 'discord', name: 'Discord', max: 2000 },
	{ id: 'slack', name: 'Slack', max: 4000 }
] as const;
export type ChatId = (typeof CHAT_LIMITS)[number]['id'];

/** Longest whole-log link offered; above it the Share dialog offers a .log.gz download instead. */
export const WHOLE_LOG_MAX_LINK = 32_000;

export interface LinkFit {
	length: number;
	/** Chat apps the link fits, tightest first. */
	fits: ChatId[];
	tooLongFor: ChatId[];
	/** The tightest app it fits, or 'none'. */
	level: ChatId | 'none';
	/** One sentence for the meter. */
	message: string;
}

export function linkFit(length: number): LinkFit {
	const fits = CHAT_LIMITS.filter((c) => length <= c.max).map((c) => c.id);
	const tooLongFor = CHAT_LIMITS.filter((c) => length > c.max).map((c) => c.id);
	const n = length.toLocaleString('en-US');
	let message: string;
	if (fits.length === CHAT_LIMITS.length) message = `${n} characters: fits Discord and Slack.`;
	else if (fits.length > 0) {
		message = `${n} characters: fits ${names(fits)}, too long for ${names(tooLongFor)} (it would be cut or turned into a file).`;
	} else {
		message = `${n} characters: too long for ${names(tooLongFor)}; they would cut it. Share it by email or as a .log.gz file.`;
	}
	return { length, fits, tooLongFor, level: fits[0] ?? 'none', message };
}

function names(ids: ChatId[]): string {
	const list = ids.map((id) => CHAT_LIMITS.find((c) => c.id === id)!.name);
	return list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0];
}
