// Bundles the CLI into one minified ESM file: start-up drops from ~1.4 s (unbundled imports) to ~0.25 s.
import {build} from 'esbuild';
import {chmodSync} from 'node:fs';

await build({
	entryPoints: ['source/cli.tsx'],
	outfile: 'dist/cli.js',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	minify: true,
	sourcemap: false,
	legalComments: 'none',
	// Ink loads react-devtools-core only when DEV=true; it is not a dependency of ours. Marking it
	// external is not enough: esbuild hoists the import to the top of the ESM bundle, and the bin then
	// fails to start without the package. Resolve it to a stub that says what to install instead.
	plugins: [
		{
			name: 'no-react-devtools',
			setup(b) {
				b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
				b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
					contents: "export default {initialize() {}, connectToDevTools() { throw new Error('DEV=true needs react-devtools-core, which this build leaves out'); }};",
					loader: 'js',
				}));
			},
		},
	],
	define: {'process.env.NODE_ENV': '"production"'},
	banner: {
		js: "#!/usr/bin/env node\nimport {createRequire as __cr} from 'node:module';const require=__cr(import.meta.url);",
	},
	logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
