// Draws the screen model on the terminal: paints it (paint.ts) and hands the frame to the output's one frame
// writer, which sends only what changed. A spinner on screen repaints it at the spinner's interval, and only then.
import {useEffect, useLayoutEffect, useMemo, useState} from 'react';
import {useStdout} from 'ink';
import type {Screen} from '../screen/screen.js';
import {frameWriterFor} from './frame-writer.js';
import {paintScreen, spinnerOf} from './paint.js';

/** Paints `screen` after every change of it (and while a spinner turns). */
export function useFrame(screen: Screen): void {
	const {stdout} = useStdout();
	const writer = frameWriterFor(stdout);
	const [spin, setSpin] = useState(0);
	const painted = useMemo(() => paintScreen(screen, spin), [screen, spin]);
	useLayoutEffect(() => writer.draw(painted.canvas), [writer, painted]);
	const {animated} = painted;
	const {interval} = spinnerOf(screen.theme);
	useEffect(() => {
		if (!animated) return;
		const timer = setInterval(() => setSpin((s) => s + 1), interval);
		return () => clearInterval(timer);
	}, [animated, interval]);
}
