// Bundles the CLI into minified ESM: start-up drops from ~1.4 s (unbundled imports) to ~0.25 s.
// With code splitting, what the CLI imports dynamically (client-node, the embedded cluster, the app)
// goes into chunks that are compiled only when loaded: V8 compiling one 4.6 MB module cost ~150-250 ms
// before anything could be drawn; the first frame now needs only Ink and React.
import {build} from 'esbuild';
import {chmodSync, rmSync} from 'node:fs';

// BUILD_MINIFY=0 keeps names readable, for profiles (node --cpu-prof, scripts/profile-summary.mjs).
const minify = process.env.BUILD_MINIFY !== '0';

// Chunk names carry content hashes: clear out the previous build's.
rmSync('dist/chunks', {recursive: true, force: true});

await build({
	entryPoints: {cli: 'source/cli.tsx'},
	outdir: 'dist',
	splitting: true,
	chunkNames: 'chunks/[name]-[hash]',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	minify,
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
					contents:
						"export default {initialize() {}, connectToDevTools() { throw new Error('DEV=true needs react-devtools-core, which this build leaves out'); }};",
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
