// Bundles the CLI into minified ESM: start-up drops from ~1.4 s (unbundled imports) to ~0.25 s.
// With code splitting, what the CLI imports dynamically (client-node, the embedded cluster, the app)
// goes into chunks that are compiled only when loaded: V8 compiling one 4.6 MB module cost ~150-250 ms
// before anything could be drawn; the first frame now needs only Ink and React.
import {build} from 'esbuild';
import {chmodSync, rmSync} from 'node:fs';
import path from 'node:path';

// BUILD_MINIFY=0 keeps names readable, for profiles (node --cpu-prof, scripts/profile-summary.mjs).
const minify = process.env.BUILD_MINIFY !== '0';

// Chunk names carry content hashes: clear out the previous build's.
rmSync('dist/chunks', {recursive: true, force: true});

const result = await build({
	// The list worker's thread (source/kube/list-worker.ts) is an entry of its own, beside the chunks.
	entryPoints: {cli: 'source/cli.tsx', 'chunks/list-worker': 'source/kube/list-worker.ts'},
	metafile: true,
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
		// string-width builds an Intl.Segmenter and compiles Unicode property regular expressions (RGI_Emoji among them)
		// when it is loaded: ~35 ms of CPU before the first frame, for text the cockpit mostly measures itself
		// (source/app/text.ts simple()). Every import of it, Ink's too, gets a stand-in that loads it on first call.
		{
			name: 'lazy-string-width',
			setup(b) {
				b.onResolve({filter: /^string-width$/}, (args) =>
					args.namespace === 'lazy-string-width' ? undefined : {path: 'string-width', namespace: 'lazy-string-width'},
				);
				b.onLoad({filter: /.*/, namespace: 'lazy-string-width'}, () => ({
					contents:
						"let real; export default function stringWidth(text, options) { real ??= require('string-width').default; return real(text, options); }",
					resolveDir: process.cwd(),
					loader: 'js',
				}));
			},
		},
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

// list-off-thread.ts starts its worker as ./list-worker.js beside its own module: that module must be in a chunk.
const spawner = 'source/kube/list-off-thread.ts';
const home = Object.entries(result.metafile.outputs).find(([, out]) => spawner in out.inputs)?.[0];
if (!home || path.dirname(home) !== 'dist/chunks')
	throw new Error(`${spawner} was bundled into ${home ?? 'nothing'}, not dist/chunks/: its worker would not be found`);
