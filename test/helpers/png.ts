// Reads the PNG files a headless browser writes (8-bit RGB or RGBA, not interlaced) into pixels, so a test can
// look at what was drawn: the chunks, the zlib stream of IDAT, and the five scanline filters of the PNG spec.
import {inflateSync} from 'node:zlib';

export type Image = {width: number; height: number; pixel(x: number, y: number): [number, number, number]};

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(file: Buffer): Image {
	if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
	let offset = 8;
	let width = 0;
	let height = 0;
	let channels = 0;
	const idat: Buffer[] = [];
	while (offset < file.length) {
		const length = file.readUInt32BE(offset);
		const type = file.toString('latin1', offset + 4, offset + 8);
		const data = file.subarray(offset + 8, offset + 8 + length);
		offset += 12 + length;
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
			const depth = data[8];
			const color = data[9];
			const interlace = data[12];
			if (depth !== 8 || interlace !== 0 || (color !== 2 && color !== 6))
				throw new Error(`unsupported PNG: depth ${depth}, colour type ${color}, interlace ${interlace}`);
			channels = color === 2 ? 3 : 4;
		} else if (type === 'IDAT') idat.push(data);
		else if (type === 'IEND') break;
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const out = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let i = 0; i < stride; i++) {
			const a = i >= channels ? (out[y * stride + i - channels] as number) : 0;
			const b = y > 0 ? (out[(y - 1) * stride + i] as number) : 0;
			const c = y > 0 && i >= channels ? (out[(y - 1) * stride + i - channels] as number) : 0;
			const xb = line[i] as number;
			let v: number;
			if (filter === 0) v = xb;
			else if (filter === 1) v = xb + a;
			else if (filter === 2) v = xb + b;
			else if (filter === 3) v = xb + Math.floor((a + b) / 2);
			else if (filter === 4) {
				const p = a + b - c;
				const pa = Math.abs(p - a);
				const pb = Math.abs(p - b);
				const pc = Math.abs(p - c);
				v = xb + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
			} else throw new Error(`bad PNG filter ${filter}`);
			out[y * stride + i] = v & 0xff;
		}
	}
	return {
		width,
		height,
		pixel(x, y) {
			const o = y * stride + x * channels;
			return [out[o] as number, out[o + 1] as number, out[o + 2] as number];
		},
	};
}

// "#2e9e44" as [r, g, b].
export function rgb(hex: string): [number, number, number] {
	const n = Number.parseInt(hex.slice(1), 16);
	return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

// How many pixels of a rectangle are within `tolerance` of a colour.
export function count(
	img: Image,
	color: [number, number, number],
	box: {x0: number; x1: number; y0: number; y1: number},
	tolerance = 10,
): number {
	let n = 0;
	for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(img.height, box.y1); y++)
		for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(img.width, box.x1); x++) {
			const p = img.pixel(x, y);
			if (Math.abs(p[0] - color[0]) <= tolerance && Math.abs(p[1] - color[1]) <= tolerance && Math.abs(p[2] - color[2]) <= tolerance) n++;
		}
	return n;
}
