// Lines kept free below the screen: Ink writes a newline after a frame shorter than the terminal,
// and redraws a frame as tall as the terminal from scratch every time; one spare line avoids both.
export const SPARE_ROWS = 1;
