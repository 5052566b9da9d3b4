// The ordered tracer registry: the one place where detection precedence lives.
// Earlier entries win ties, so tracers with the most distinctive markers come first.
import type { TracerId } from '../model';
import type { TracerParser } from './types';
import { javaParser } from './java';
import { dotnetParser } from './dotnet';
import { goParser } from './go';
import { rubyParser } from './ruby';
import { phpParser } from './php';
import { cppParser } from './cpp';
import { nodejsParser } from './nodejs';
import { pythonParser } from './python';

export const TRACERS: readonly TracerParser[] = [
	javaParser,
	dotnetParser,
	goParser,
	rubyParser,
	phpParser,
	cppParser,
	nodejsParser,
	pythonParser
];

export function tracerById(id: TracerId): TracerParser | undefined {
	return TRACERS.find((t) => t.id === id);
}
