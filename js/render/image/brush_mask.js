// The pixels of a brush mask: the stamp that paints a stroke, the tinted canvas that shows a mask, and the geometry
// that carries a mask as Label Studio's RLE. Rules:
// - a mask is one alpha byte per natural pixel of the page (0 or 255), `w × h`, row by row;
// - the stamp rule (tests mirror it in Python): a stroke is the pointer's natural pixels p0, p1, … (the Image snaps
//   them to whole pixels; a point on the right / bottom edge is the last pixel, `pixelOf`); pixel (x, y) is painted
//   when its distance to a segment p(i)p(i+1) (or to p0 for a click) is at most size / 2 — a union of capsules;
// - the RLE is encoded once per stroke (`maskGeom`); a prefilled region is decoded once for the page size it is shown
//   on and keeps its original bytes, so an untouched prefill submits the identical RLE (an RLE that is not a mask of
//   that size is remembered as bad with the reason, never decoded again).

import { encodeMask, rleToAlpha } from "./rle.js";

/** @typedef {import("./shapes/registry.js").Geom} Geom */
/** @typedef {import("./shapes/registry.js").Pt} Pt */
/** @typedef {import("./shapes/registry.js").Size} Size */

/** A stroke point as a pixel index (a point on the right / bottom edge is the last pixel). @param {Pt} pt @param {Size} size */
export function pixelOf(pt, size) {
	return { x: Math.min(pt.x, size.width - 1), y: Math.min(pt.y, size.height - 1) };
}

/**
 * Paint the capsule of segment a→b with radius `r` into `alpha` (w × h) with `value`; returns the touched box
 * [x0, y0, x1, y1] (inclusive) or null when it is outside. Pixel (x, y) is inside when its distance to the segment
 * is ≤ r (coordinates are pixel indices).
 * @param {Uint8Array} alpha @param {number} w @param {number} h
 * @param {Pt} a @param {Pt} b @param {number} r @param {number} value
 * @returns {[number, number, number, number]|null}
 */
export function stamp(alpha, w, h, a, b, r, value) {
	const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
	const x1 = Math.min(w - 1, Math.ceil(Math.max(a.x, b.x) + r));
	const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r));
	const y1 = Math.min(h - 1, Math.ceil(Math.max(a.y, b.y) + r));
	if (x0 > x1 || y0 > y1) return null;
	const dx = b.x - a.x;
	const dy = b.y - a.y;
	const len2 = dx * dx + dy * dy;
	const r2 = r * r;
	for (let y = y0; y <= y1; y++) {
		for (let x = x0; x <= x1; x++) {
			let t = len2 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			const qx = x - (a.x + t * dx);
			const qy = y - (a.y + t * dy);
			if (qx * qx + qy * qy <= r2) alpha[y * w + x] = value;
		}
	}
	return [x0, y0, x1, y1];
}

/** CSS colour → [r, g, b, a 0..1] through a 1×1 canvas (any CSS colour a Label's `background` may hold). */
const RGBA = new Map();
/** @param {string} color @returns {[number, number, number, number]} */
function rgba(color) {
	let v = RGBA.get(color);
	if (!v) {
		const c = document.createElement("canvas");
		c.width = c.height = 1;
		const g = /** @type {CanvasRenderingContext2D} */ (c.getContext("2d", { willReadFrequently: true }));
		g.fillStyle = "#888";
		g.fillStyle = color;
		g.fillRect(0, 0, 1, 1);
		const d = g.getImageData(0, 0, 1, 1).data;
		v = [d[0], d[1], d[2], d[3] / 255];
		RGBA.set(color, v);
	}
	return v;
}

/**
 * Copy box `[x0, y0, x1, y1]` of `alpha` into `canvas` in `color` (the mask's opacity × the colour's alpha).
 * @param {HTMLCanvasElement} canvas @param {Uint8Array} alpha @param {number} w
 * @param {[number, number, number, number]} box @param {string} color
 */
export function tint(canvas, alpha, w, box, color) {
	const [x0, y0, x1, y1] = box;
	const bw = x1 - x0 + 1;
	const bh = y1 - y0 + 1;
	if (bw <= 0 || bh <= 0) return;
	const [r, g, b, a] = rgba(color);
	const img = new ImageData(bw, bh);
	const d = img.data;
	for (let y = 0, k = 0; y < bh; y++) {
		let i = (y0 + y) * w + x0;
		for (let x = 0; x < bw; x++, i++, k += 4) {
			const m = alpha[i];
			if (!m) continue;
			d[k] = r;
			d[k + 1] = g;
			d[k + 2] = b;
			d[k + 3] = Math.round(m * a);
		}
	}
	/** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).putImageData(img, x0, y0);
}

/** A mask's painted pixel count. @param {Uint8Array} alpha */
function painted(alpha) {
	let n = 0;
	for (let i = 0; i < alpha.length; i++) if (alpha[i]) n++;
	return n;
}

/** A brush geometry for `alpha` (encoded now: toValue is then free). @param {Uint8Array} alpha @param {number} w @param {number} h @param {number} page */
export function maskGeom(alpha, w, h, page) {
	return { shape: "brush", page, rle: encodeMask(alpha), _alpha: alpha, _w: w, _h: h, _px: painted(alpha) };
}

/**
 * The decoded mask of `geom` for a page of `w` × `h`, decoded once and kept on the geometry; null when the RLE is
 * not a mask of that size (kept as it came).
 * @param {Geom} geom @param {number} w @param {number} h
 * @returns {Uint8Array|null}
 */
export function maskOf(geom, w, h) {
	if (!w || !h) return null;
	if (geom._alpha && geom._w === w && geom._h === h) return geom._alpha;
	if (geom._bad === `${w}x${h}`) return null;
	try {
		geom._alpha = rleToAlpha(geom.rle, w, h);
		geom._w = w;
		geom._h = h;
		geom._px = painted(geom._alpha);
		return geom._alpha;
	} catch (err) {
		geom._bad = `${w}x${h}`;
		geom._why = String(/** @type {any} */ (err)?.message ?? err);
		return null;
	}
}
