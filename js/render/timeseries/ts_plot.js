// Drawing of the TimeSeries object: SVG line paths, axes and the overview strip. Rules:
// - a path never holds more than ~4 points per pixel column whatever the row count: the visible rows are folded per
//   pixel column into first / min / max / last (M4 decimation), so 100k rows draw as fast as 1k and the envelope
//   (every spike) stays visible; a NaN value breaks the line;
// - the y scale fits the values in view (Label Studio's default `fixedScale=false`);
// - SVG is built with createElementNS and text nodes only: channel names and units from the config are data.

import { lowerBound } from "./ts_data.js";
import { numberTicks, timeTicks } from "./ts_format.js";

const NS = "http://www.w3.org/2000/svg";

/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string|number|null|undefined>} [attrs]
 * @param {string} [text]
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs = {}, text) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
	if (text !== undefined) el.textContent = text;
	return el;
}

/**
 * A linear map [d0, d1] → [r0, r1] with its inverse.
 * @param {number} d0 @param {number} d1 @param {number} r0 @param {number} r1
 */
export function scale(d0, d1, r0, r1) {
	const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
	const f = /** @param {number} v */ (v) => (d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * k);
	f.invert = /** @param {number} px */ (px) => (k === 0 ? d0 : d0 + (px - r0) / k);
	return f;
}

/**
 * Min and max of `values` over rows [i0, i1) (NaN skipped); [0, 1] when nothing is finite.
 * @param {Float64Array} values @param {number} i0 @param {number} i1
 * @returns {[number, number]}
 */
export function extent(values, i0, i1) {
	let lo = Infinity;
	let hi = -Infinity;
	for (let i = i0; i < i1; i++) {
		const v = values[i];
		if (v < lo) lo = v;
		if (v > hi) hi = v;
	}
	if (lo === Infinity) return [0, 1];
	if (lo === hi) return [lo - 1, hi + 1];
	return [lo, hi];
}

/**
 * The visible rows of a time range, one row of margin on each side so lines reach the plot edges.
 * @param {Float64Array} times @param {number} v0 @param {number} v1
 * @returns {[number, number]}
 */
export function visibleRows(times, v0, v1) {
	return [Math.max(0, lowerBound(times, v0) - 1), Math.min(times.length, lowerBound(times, v1 + 1e-9 * Math.abs(v1)) + 1)];
}

/**
 * SVG path data for rows [i0, i1), folded per pixel column (M4). Hot loop: plain locals and inlined linear maps (no
 * closures over mutable state, which V8 would context-allocate), so 100k rows fold in about a millisecond.
 * @param {Float64Array} times @param {Float64Array} values @param {number} i0 @param {number} i1
 * @param {((t: number) => number)} x @param {((v: number) => number)} y   linear maps (from `scale`)
 */
export function linePath(times, values, i0, i1, x, y) {
	const bx = x(0);
	const kx = x(1) - bx;
	const by = y(0);
	const ky = y(1) - by;
	/** @type {string[]} */
	const out = [];
	let pen = false;
	let col = NaN;
	let first = 0;
	let last = 0;
	let lo = 0;
	let hi = 0;
	for (let i = i0; i <= i1; i++) {
		const v = i < i1 ? values[i] : NaN; // one step past the end flushes the last column
		const c = v === v ? Math.round(times[i] * kx + bx) : NaN;
		if (c === col) {
			last = v;
			if (v < lo) lo = v;
			else if (v > hi) hi = v;
			continue;
		}
		if (col === col) {
			// the column ends: first, min, max, last (consecutive equal values once)
			out.push(`${pen ? "L" : "M"}${col},${(first * ky + by).toFixed(1)}`);
			if (lo !== first) out.push(`L${col},${(lo * ky + by).toFixed(1)}`);
			if (hi !== lo) out.push(`L${col},${(hi * ky + by).toFixed(1)}`);
			if (last !== hi) out.push(`L${col},${(last * ky + by).toFixed(1)}`);
			pen = true;
		}
		if (c !== c) pen = false; // a gap (NaN) breaks the line
		col = c;
		first = last = lo = hi = v;
	}
	return out.join("");
}

/**
 * The x axis (ticks, grid lines through the channel bands, labels) into `g`.
 * @param {SVGGElement} g
 * @param {{v0: number, v1: number, left: number, width: number, top: number, bottom: number, isDate: boolean,
 *   format: (t: number) => string}} o
 */
export function drawXAxis(g, o) {
	const count = Math.max(2, Math.floor(o.width / 110));
	const ticks = o.isDate
		? timeTicks(o.v0, o.v1, count)
		: numberTicks(o.v0, o.v1, count).map((t) => ({ at: t, label: o.format(t) }));
	const x = scale(o.v0, o.v1, o.left, o.left + o.width);
	for (const t of ticks) {
		const px = Math.round(x(t.at)) + 0.5;
		if (px < o.left - 0.5 || px > o.left + o.width + 0.5) continue;
		g.append(svg("line", { class: "nblabel-ts-grid", x1: px, x2: px, y1: o.top, y2: o.bottom }));
		g.append(svg("line", { class: "nblabel-ts-tick", x1: px, x2: px, y1: o.bottom, y2: o.bottom + 4 }));
		g.append(svg("text", { class: "nblabel-ts-xlabel", x: px, y: o.bottom + 15, "text-anchor": "middle" }, t.label));
	}
}

/**
 * Y tick labels of one channel band into `g`.
 * @param {SVGGElement} g
 * @param {{lo: number, hi: number, left: number, width: number, top: number, height: number,
 *   format: (v: number) => string}} o
 * @param {(v: number) => number} y
 */
export function drawYAxis(g, o, y) {
	const ticks = numberTicks(o.lo, o.hi, Math.max(2, Math.floor(o.height / 36)));
	for (const v of ticks) {
		const py = Math.round(y(v)) + 0.5;
		if (py < o.top - 0.5 || py > o.top + o.height + 0.5) continue;
		g.append(svg("line", { class: "nblabel-ts-grid", x1: o.left, x2: o.left + o.width, y1: py, y2: py }));
		g.append(svg("text", { class: "nblabel-ts-ylabel", x: o.left - 6, y: py + 3.5, "text-anchor": "end" }, o.format(v)));
	}
}
