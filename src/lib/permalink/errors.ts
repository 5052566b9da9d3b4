// The one error type of the permalink module: a code the UI can switch on and a sentence it can show.
import type { RecoveredShare } from './envelope';

export type PermalinkErrorCode =
	'not-a-permalink' | 'unknown-version' | 'truncated' | 'corrupt' | 'too-large' | 'invalid';

const MESSAGES: Record<PermalinkErrorCode, string> = {
	'not-a-permalink': 'This address does not hold a shared tracelens log.',
	'unknown-version':
		'This link was made by a newer version of tracelens, which this page cannot fully read.',
	truncated:
		'This link is incomplete: it was probably cut off by a chat app. Ask for the whole link, or for the log as a .log.gz file.',
	corrupt:
		'This link is damaged: its data could not be decoded. Ask the sender to copy the link again, or to send the log as a .log.gz file.',
	'too-large': 'This link expands to more data than tracelens accepts from a link.',
	invalid: 'This link decodes, but its content is not a tracelens share.'
};

export class PermalinkError extends Error {
	readonly code: PermalinkErrorCode;
	/** Whatever could be read despite the error (truncated links, newer versions). */
	readonly recovered?: RecoveredShare;
	/** A technical detail for the console; `message` is the sentence for the user. */
	readonly detail?: string;

	constructor(
		code: PermalinkErrorCode,
		options: { message?: string; detail?: string; recovered?: RecoveredShare } = {}
	) {
		super(options.message ?? MESSAGES[code]);
		this.name = 'PermalinkError';
		this.code = code;
		this.detail = options.detail;
		this.recovered = options.recovered;
	}
}

export function isPermalinkError(e: unknown): e is PermalinkError {
	return e instanceof PermalinkError;
}
