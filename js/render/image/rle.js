// Label Studio's brush RLE in the browser (the same codec as nblabel/_rle.py). Rules:
// - a brush region is the run-length encoding of an RGBA image of the ORIGINAL image size, flattened (H × W × 4
//   bytes, row-major), alpha = the mask; like the editor, every pixel is written as four equal bytes (R = G = B = A);
// - the bit stream is thi.ng rle-pack: 32-bit count, 5-bit word size − 1, four 4-bit rle sizes − 1 ([3, 4, 8, 16]),
//   then blocks (flag bit: 1 = run, 0 = literal words; 2-bit size index; length − 1; the word(s)), MSB first;
// - encoding writes exactly what label_studio_sdk's `encode_rle` / `mask2rle` write (and nblabel/_rle.py), byte
//   for byte, so an RLE made here equals the one Python makes for the same mask; decoding reads any rle-pack stream
//   (also the literal blocks and other word sizes other writers use).

const RLE_SIZES = [3, 4, 8, 16];
const MAX_RUN = 65536;

/** MSB-first bit writer into a growing byte array. */
class BitWriter {
	constructor(capacity = 64) {
		this.bytes = new Uint8Array(capacity);
		this.pos = 0; // bits written
	}

	/** @param {number} value  non-negative, < 2^n @param {number} n  bits, at most 32 */
	write(value, n) {
		if (n > 24) {
			this.write(Math.floor(value / 65536), n - 16);
			this.write(value % 65536, 16);
			return;
		}
		const need = (this.pos + n + 7) >> 3;
		if (need > this.bytes.length) {
			const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
			grown.set(this.bytes);
			this.bytes = grown;
		}
		// n ≤ 24: shift the value into place across at most 4 bytes
		let left = n;
		while (left > 0) {
			const byte = this.pos >> 3;
			const free = 8 - (this.pos & 7);
			const take = Math.min(free, left);
			const bits = (value >>> (left - take)) & ((1 << take) - 1);
			this.bytes[byte] |= bits << (free - take);
			this.pos += take;
			left -= take;
		}
	}

	/** The bytes, padded like label_studio_sdk: 1..8 zero bits (a whole zero byte when already aligned). */
	done() {
		this.write(0, 8 - (this.pos % 8));
		return Array.from(this.bytes.subarray(0, this.pos >> 3));
	}
}

/**
 * Write the blocks of a run list the way label_studio_sdk's `encode_rle` does.
 * @param {BitWriter} out
 * @param {number} length  the run's length in words (≥ 1)
 * @param {number} value   the 8-bit word
 */
function writeRun(out, length, value) {
	if (length === 1) {
		out.write(0b000000, 6); // literal block, size index 0, length − 1 = 0 (3 bits)
		out.write(value, 8);
	} else if (length <= 8) {
		out.write(0b100, 3);
		out.write(length - 1, 3);
		out.write(value, 8);
	} else if (length <= 16) {
		out.write(0b101, 3);
		out.write(length - 1, 4);
		out.write(value, 8);
	} else if (length <= 256) {
		out.write(0b110, 3);
		out.write(length - 1, 8);
		out.write(value, 8);
	} else {
		// longer runs: 65536-pieces, then the remainder (1..65536), all as 16-bit run blocks
		let left = length;
		while (left > MAX_RUN) {
			out.write(0b111, 3);
			out.write(MAX_RUN - 1, 16);
			out.write(value, 8);
			left -= MAX_RUN;
		}
		out.write(0b111, 3);
		out.write(left - 1, 16);
		out.write(value, 8);
	}
}

/** @param {BitWriter} out @param {number} count */
function writeHeader(out, count) {
	out.write(count, 32);
	out.write(8 - 1, 5);
	for (const s of RLE_SIZES) out.write(s - 1, 4);
}

/**
 * RLE of a flat array of 8-bit words (label_studio_sdk `encode_rle`).
 * @param {ArrayLike<number>} values
 * @returns {number[]}
 */
export function encodeRLE(values) {
	const n = values.length;
	const out = new BitWriter(64 + (n >> 6));
	writeHeader(out, n);
	let i = 0;
	while (i < n) {
		const v = values[i];
		let j = i + 1;
		while (j < n && values[j] === v) j++;
		writeRun(out, j - i, v);
		i = j;
	}
	return out.done();
}

/**
 * Label Studio `value.rle` of a mask: one alpha byte per pixel (0..255, row-major, natural image size), written as
 * an RGBA image with R = G = B = A. Equals nblabel/_rle.py `mask_to_rle` and the SDK's `mask2rle`.
 * @param {ArrayLike<number>} alpha
 * @returns {number[]}
 */
export function encodeMask(alpha) {
	const n = alpha.length;
	const out = new BitWriter(64 + (n >> 4));
	writeHeader(out, n * 4);
	let i = 0;
	while (i < n) {
		const v = alpha[i];
		let j = i + 1;
		while (j < n && alpha[j] === v) j++;
		writeRun(out, (j - i) * 4, v); // equal pixels are equal 4-byte groups
		i = j;
	}
	return out.done();
}

/**
 * The alpha channel of canvas pixels (ImageData.data), one byte per pixel.
 * @param {ImageData} img
 * @returns {Uint8Array}
 */
export function alphaOf(img) {
	const d = img.data;
	const a = new Uint8Array(d.length >> 2);
	for (let i = 0, k = 3; i < a.length; i++, k += 4) a[i] = d[k];
	return a;
}

/**
 * The flat array an RLE stores (label_studio_sdk `decode_rle`; any rle-pack stream). Throws an Error when the data
 * ends before the announced count (e.g. filler bytes that are not an RLE).
 * @param {ArrayLike<number>} rle  bytes 0..255
 * @param {number} [expected]  refuse (before decoding) an RLE that announces another count
 * @returns {Uint8Array|Uint16Array|Uint32Array}
 */
export function decodeRLE(rle, expected) {
	const bytes = Uint8Array.from(rle, (b) => {
		if (!Number.isInteger(b) || b < 0 || b > 255) throw new Error("an RLE is a list of bytes 0..255");
		return b;
	});
	const end = bytes.length * 8;
	let pos = 0;
	/** @param {number} n  bits, at most 32 */
	const read = (n) => {
		if (pos + n > end) throw new Error("RLE data ends early");
		let v = 0;
		for (let k = 0; k < n; k++, pos++) v = v * 2 + ((bytes[pos >> 3] >> (7 - (pos & 7))) & 1);
		return v;
	};
	const num = read(32);
	const word = read(5) + 1;
	const sizes = [0, 0, 0, 0].map(() => read(4) + 1);
	if (expected !== undefined && num !== expected) throw new RangeError(String(num));
	// guard before allocating: every block costs at least 3 bits + one word, and a run covers at most 2^16 values
	const maxBlocks = Math.floor((end - pos) / (3 + sizes[0] + word)) + 1;
	if (num > maxBlocks * 2 ** Math.max(...sizes)) throw new Error("RLE data ends early");
	const out = word < 9 ? new Uint8Array(num) : word < 17 ? new Uint16Array(num) : new Uint32Array(num);
	let i = 0;
	while (i < num) {
		const run = read(1);
		const j = i + 1 + read(sizes[read(2)]);
		if (run) {
			out.fill(read(word), i, j);
			i = j;
		} else {
			for (; i < j; i++) {
				const v = read(word);
				if (i < num) out[i] = v;
			}
		}
	}
	return out;
}

/**
 * The alpha mask (one byte per pixel) of a Label Studio `value.rle` for an image of `width` × `height`.
 * Throws when the RLE is not an RGBA image of that size.
 * @param {ArrayLike<number>} rle
 * @param {number} width
 * @param {number} height
 * @returns {Uint8Array}
 */
export function rleToAlpha(rle, width, height) {
	const n = width * height * 4;
	/** @type {Uint8Array|Uint16Array|Uint32Array} */
	let flat;
	try {
		flat = decodeRLE(rle, n);
	} catch (err) {
		if (!(err instanceof RangeError)) throw err;
		throw new Error(`the RLE holds ${err.message} values, a ${width}×${height} RGBA image has ${n}`);
	}
	const a = new Uint8Array(width * height);
	for (let i = 0, k = 3; i < a.length; i++, k += 4) a[i] = flat[k];
	return a;
}

/**
 * An ImageData of `alpha` painted in one colour (for a canvas layer): RGB = `rgb`, A = alpha × `opacity`.
 * @param {Uint8Array} alpha
 * @param {number} width
 * @param {number} height
 * @param {[number, number, number]} rgb
 * @param {number} [opacity]  0..1
 * @returns {ImageData}
 */
export function alphaToImageData(alpha, width, height, rgb, opacity = 1) {
	const img = new ImageData(width, height);
	const d = img.data;
	const [r, g, b] = rgb;
	for (let i = 0, k = 0; i < alpha.length; i++, k += 4) {
		const a = alpha[i];
		if (!a) continue;
		d[k] = r;
		d[k + 1] = g;
		d[k + 2] = b;
		d[k + 3] = Math.round(a * opacity);
	}
	return img;
}
