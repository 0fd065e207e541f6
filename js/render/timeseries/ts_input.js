// Mouse and keys of the TimeSeries object. Rules:
// - every selection snaps to the nearest data point (a row index), so what becomes a region is a pair of values of
//   the time column, never a pixel guess;
// - mouse: a drag over the plot selects a range (with a label armed it becomes a region at once); a click on a region
//   selects it (repeated clicks cycle through overlapping ones); a click elsewhere moves the cursor and, with a label
//   armed, makes an instant; Ctrl/Cmd+wheel zooms around the pointer; Shift+wheel or a horizontal wheel pans; the
//   overview strip pans (drag the window, or click to centre it);
// - keys (passed in by the form while a TimeSeriesLabels control is active): Alt+←/→ move the cursor (a 50th of the
//   view; Alt+Shift: one data point), Shift+←/→ extend the selection from where it started, `[` marks the start (an
//   instant until `]` marks the end), + / − zoom around the cursor, , / . pan half a view. A keyboard selection only
//   becomes a region when a label is picked, so growing it step by step never creates half-made regions;
// - a selected region is corrected in place (e.g. a suggestion): drag its edges (an instant: drag it), or put the
//   cursor somewhere and press `[` / `]` to move its start / end there.

import { lowerBound } from "./ts_data.js";

/** @typedef {{start: number, end: number}} Selection */
/** @typedef {"start"|"end"|"both"} Edge   "both": an instant moves as a whole */

/**
 * @typedef {object} TsHost
 * @property {import("./ts_data.js").Series|null} series
 * @property {() => [number, number]} view
 * @property {{top: number, bottom: number, x: ((t: number) => number) & {invert: (px: number) => number}}} geo
 * @property {(a: number, b: number) => void} setView
 * @property {(factor: number, at?: number) => void} zoom
 * @property {(sel: Selection|null, label: boolean) => void} propose   label: let an armed label turn it into a region
 * @property {(px: number) => {id: string}[]} hitRegion
 * @property {(id: string) => void} clickRegion
 * @property {(px: number) => Edge|null} edgeAt   an edge of the selected region under pixel `px`
 * @property {(edge: Edge, t: number) => boolean} setEdge   move an edge of the selected region (false: none selected)
 * @property {() => void} paint
 * @property {(px: number|null) => void} hover
 */

export class TsInput {
	/** @param {TsHost} host */
	constructor(host) {
		this.host = host;
		/** @type {Selection|null} */
		this.pending = null;
		/** @type {number|null} row index of the keyboard cursor */
		this.cursor = null;
		/** @type {number|null} row index where the keyboard selection started */
		this.anchor = null;
		/** @type {(((t: number) => number) & {invert: (px: number) => number})|null} */
		this.overviewScale = null;
		this.frame = 0;
	}

	reset() {
		this.pending = null;
		this.cursor = null;
		this.anchor = null;
	}

	/** Repaint at most once per frame (pointer moves, wheel). */
	schedule() {
		if (this.frame) return;
		this.frame = requestAnimationFrame(() => {
			this.frame = 0;
			this.host.paint();
		});
	}

	/** @param {SVGSVGElement} main @param {SVGSVGElement} over */
	attach(main, over) {
		const host = this.host;
		/** @param {PointerEvent|WheelEvent} e */
		const localX = (e) => e.clientX - main.getBoundingClientRect().left;
		/** @type {{x0: number, moved: boolean, edge: Edge|null}|null} */
		let drag = null;
		const inPlot = (/** @type {number} */ px) => {
			const [a, b] = host.view();
			return px >= host.geo.x(a) - 2 && px <= host.geo.x(b) + 2;
		};
		main.addEventListener("pointerdown", (e) => {
			if (e.button !== 0 || !host.series || !inPlot(localX(e))) return;
			e.preventDefault(); // no text selection / drag image; so keys keep working, the widget takes the focus
			focusRoot(main);
			main.setPointerCapture?.(e.pointerId);
			drag = { x0: localX(e), moved: false, edge: host.edgeAt(localX(e)) };
		});
		main.addEventListener("pointermove", (e) => {
			const px = localX(e);
			if (!drag) {
				host.hover(inPlot(px) ? px : null);
				main.style.cursor = host.series && host.edgeAt(px) ? "ew-resize" : "";
				return;
			}
			if (Math.abs(px - drag.x0) > 3) drag.moved = true;
			if (!drag.moved) return;
			if (drag.edge) {
				const s = host.series;
				if (s) host.setEdge(drag.edge, s.times[s.nearest(host.geo.x.invert(px))]);
				return;
			}
			this.pending = this.#range(drag.x0, px);
			this.schedule();
		});
		const end = (/** @type {PointerEvent} */ e) => {
			if (!drag) return;
			const d = drag;
			drag = null;
			const px = localX(e);
			if (d.edge && d.moved) return; // an edge drag ends where it was last painted
			if (d.moved) {
				const sel = this.#range(d.x0, px);
				if (!sel || !host.series) return;
				this.anchor = host.series.nearest(sel.start);
				this.cursor = host.series.nearest(sel.end);
				host.propose(sel, true);
			} else this.#click(px);
		};
		main.addEventListener("pointerup", end);
		main.addEventListener("pointercancel", () => {
			drag = null;
		});
		main.addEventListener("pointerleave", () => {
			if (!drag) host.hover(null);
		});
		main.addEventListener("wheel", (e) => {
			if (!host.series) return;
			const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
			const [a, b] = host.view();
			if (e.ctrlKey || e.metaKey) {
				e.preventDefault();
				host.zoom(Math.exp(Math.max(-1, Math.min(1, e.deltaY * unit * 0.002))), host.geo.x.invert(localX(e)));
			} else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
				e.preventDefault();
				const px = (e.shiftKey && !e.deltaX ? e.deltaY : e.deltaX) * unit;
				const dt = host.geo.x.invert(host.geo.x(a) + px) - a;
				host.setView(a + dt, b + dt);
			}
		}, { passive: false });

		/** @type {number|null} pointer offset inside the overview window */
		let grab = null;
		const overX = (/** @type {PointerEvent} */ e) => e.clientX - over.getBoundingClientRect().left;
		over.addEventListener("pointerdown", (e) => {
			const x = this.overviewScale;
			if (e.button !== 0 || !x || !host.series) return;
			e.preventDefault();
			focusRoot(over);
			over.setPointerCapture?.(e.pointerId);
			const [a, b] = host.view();
			const px = overX(e);
			const xa = x(a);
			const xb = x(b);
			grab = px >= xa && px <= xb ? px - xa : (xb - xa) / 2;
			host.setView(x.invert(px - grab), x.invert(px - grab) + (b - a));
		});
		over.addEventListener("pointermove", (e) => {
			const x = this.overviewScale;
			if (grab === null || !x) return;
			const [a, b] = host.view();
			const t = x.invert(overX(e) - grab);
			host.setView(t, t + (b - a));
		});
		const release = () => {
			grab = null;
		};
		over.addEventListener("pointerup", release);
		over.addEventListener("pointercancel", release);
	}

	/** The snapped range between two pixels. @param {number} p @param {number} q @returns {Selection|null} */
	#range(p, q) {
		const s = this.host.series;
		if (!s) return null;
		const x = this.host.geo.x;
		const a = s.times[s.nearest(x.invert(Math.min(p, q)))];
		const b = s.times[s.nearest(x.invert(Math.max(p, q)))];
		return { start: a, end: b };
	}

	/** @param {number} px */
	#click(px) {
		const host = this.host;
		const s = host.series;
		if (!s) return;
		const hits = host.hitRegion(px);
		if (hits.length) {
			host.clickRegion(hits[0].id);
			return;
		}
		this.cursor = s.nearest(host.geo.x.invert(px));
		this.anchor = this.cursor;
		const t = s.times[this.cursor];
		host.propose({ start: t, end: t }, true);
		if (this.pending) {
			this.pending = null; // no label armed: a click only moves the cursor
			host.paint();
		}
	}

	/** @param {KeyboardEvent} e @returns {boolean} */
	key(e) {
		const host = this.host;
		const s = host.series;
		if (!s || e.ctrlKey || e.metaKey) return false;
		const [a, b] = host.view();
		const k = e.key;
		if (!e.altKey && (k === "+" || k === "=")) host.zoom(0.5);
		else if (!e.altKey && (k === "-" || k === "_")) host.zoom(2);
		else if (!e.altKey && (k === "," || k === ".")) {
			const dt = (b - a) / 2;
			host.setView(a + (k === "," ? -dt : dt), b + (k === "," ? -dt : dt));
		} else if (!e.altKey && (k === "[" || k === "]")) {
			const c = this.#ensureCursor();
			if (host.setEdge(k === "[" ? "start" : "end", s.times[c])) return true; // a selected region: move its edge
			if (k === "[") this.anchor = c;
			const from = this.anchor ?? c;
			this.#select(from, c);
		} else if ((k === "ArrowLeft" || k === "ArrowRight") && (e.altKey || e.shiftKey)) {
			const dir = k === "ArrowRight" ? 1 : -1;
			const visible = lowerBound(s.times, b) - lowerBound(s.times, a);
			const step = e.altKey && e.shiftKey ? 1 : Math.max(1, Math.round(visible / 50));
			const c = this.#ensureCursor();
			const extend = e.shiftKey && !e.altKey;
			if (extend && this.anchor === null) this.anchor = c;
			this.cursor = Math.max(0, Math.min(s.times.length - 1, c + dir * step));
			this.#follow();
			if (extend) this.#select(/** @type {number} */ (this.anchor), this.cursor);
			else host.paint();
		} else return false;
		return true;
	}

	#ensureCursor() {
		const s = /** @type {import("./ts_data.js").Series} */ (this.host.series);
		if (this.cursor === null) this.cursor = Math.min(s.times.length - 1, lowerBound(s.times, this.host.view()[0]));
		return this.cursor;
	}

	/** Pan so the cursor is in view. */
	#follow() {
		const s = this.host.series;
		if (!s || this.cursor === null) return;
		const t = s.times[this.cursor];
		const [a, b] = this.host.view();
		if (t < a) this.host.setView(t, t + (b - a));
		else if (t > b) this.host.setView(t - (b - a), t);
	}

	/** A keyboard selection between two rows (not labeled until a label is picked). @param {number} i @param {number} j */
	#select(i, j) {
		const s = /** @type {import("./ts_data.js").Series} */ (this.host.series);
		this.pending = { start: s.times[Math.min(i, j)], end: s.times[Math.max(i, j)] };
		this.host.propose(this.pending, false);
	}
}

/** Give the keys to the widget after a mouse gesture on the plot (preventDefault keeps the browser from doing it). @param {Element} el */
function focusRoot(el) {
	const root = el.closest(".nblabel");
	if (root instanceof HTMLElement && !root.contains(document.activeElement)) root.focus({ preventScroll: true });
}
