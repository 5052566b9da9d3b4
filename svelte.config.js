import adapter from '@sveltejs/adapter-static';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The inline script of src/app.html (the saved theme before the first paint) is allowed by its
// hash; SvelteKit hashes its own inline start-up script (csp mode 'hash', right for prerendered pages).
const appHtml = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const inlineScripts = [...appHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
	(m) =>
		/** @type {`sha256-${string}`} */ (
			`sha256-${createHash('sha256').update(m[1]).digest('base64')}`
		)
);

/** @type {import('@sveltejs/kit').Config} */
const config = {
	compilerOptions: {
		// runes mode for our own files (as the sv template does)
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: undefined, // every route is prerendered; no SPA fallback page needed
			precompress: false,
			strict: true
		}),
		typescript: {
			// let svelte-check also type-check the e2e tests and playwright config
			config: (tsconfig) => {
				tsconfig.include.push('../tests/**/*.ts', '../scripts/**/*.ts', '../playwright.config.ts');
			}
		},
		// Privacy you can check: the page may connect to its own origin only (its files, the samples);
		// nothing can be sent anywhere else. Written into the prerendered HTML as a <meta> tag, so it
		// holds on any static host. Styles may be inline: CodeMirror and Svelte set them at run time.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', ...inlineScripts],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'media-src': ['none'],
				'object-src': ['none'],
				'frame-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['none']
			}
		},
		paths: {
			// e.g. BASE_PATH=/my-repo for GitHub Pages project sites; '' for root hosting
			base: /** @type {'' | `/${string}`} */ (process.env.BASE_PATH ?? ''),
			relative: true // default; asset URLs in the HTML are relative (./_app/...)
		}
	}
};

export default config;
