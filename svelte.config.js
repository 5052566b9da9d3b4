import adapter from '@sveltejs/adapter-static';

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
		paths: {
			// e.g. BASE_PATH=/my-repo for GitHub Pages project sites; '' for root hosting
			base: /** @type {'' | `/${string}`} */ (process.env.BASE_PATH ?? ''),
			relative: true // default; asset URLs in the HTML are relative (./_app/...)
		}
	}
};

export default config;
