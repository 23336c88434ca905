// Headless Chromium (Debian's `chromium`) renders a file to PNG, as a person opening it in a browser would see it:
// a fresh profile each time, no network, no GPU, nothing kept afterwards. CI installs it (.ci/run); a missing
// browser fails the test with what to install.
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Renders file (SVG, HTML) at width x height into pngPath.
export async function screenshot(file: string, pngPath: string, size: {width: number; height: number}): Promise<void> {
	const profile = await mkdtemp(path.join(tmpdir(), 'rc-chromium-'));
	try {
		await run(
			CHROMIUM,
			[
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--hide-scrollbars',
				`--user-data-dir=${profile}`,
				`--window-size=${size.width},${size.height}`,
				`--screenshot=${pngPath}`,
				`file://${path.resolve(file)}`,
			],
			{timeout: 60_000},
		).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT')
				throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to render the SVG`);
			throw error;
		});
	} finally {
		await rm(profile, {recursive: true, force: true});
	}
}
