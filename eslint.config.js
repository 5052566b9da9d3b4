import prettier from 'eslint-config-prettier';
import path from 'node:path';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import { defineConfig, includeIgnoreFile } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const gitignorePath = path.resolve(import.meta.dirname, '.gitignore');

export default defineConfig(
	includeIgnoreFile(gitignorePath),
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	prettier,
	svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// typescript-eslint strongly recommend that you do not use the no-undef lint rule on TypeScript projects.
			// see: https://typescript-eslint.io/troubleshooting/faqs/eslint/#i-get-errors-from-the-no-undef-rule-about-global-variables-not-being-defined-even-though-there-are-no-typescript-errors
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		// The analysis core runs in the worker, in vitest and in the CLI: no DOM, no UI, no Comlink.
		files: ['src/lib/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['svelte', 'svelte/*', 'comlink', '$app/*', 'codemirror', '@codemirror/*'],
							message: 'src/lib/core is plain TypeScript: no Svelte, Comlink or editor imports.'
						},
						{
							group: ['$lib/components/*', '$lib/worker/*', '$lib/editor/*', '**/components/**'],
							message: 'src/lib/core must not depend on the UI.'
						}
					]
				}
			],
			'no-restricted-globals': [
				'error',
				...['window', 'document', 'navigator', 'localStorage', 'location', 'HTMLElement'].map(
					(name) => ({ name, message: 'src/lib/core has no DOM.' })
				)
			]
		}
	}
);
