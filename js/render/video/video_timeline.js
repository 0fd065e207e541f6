// The timeline under a Video: a scrub strip, one row per region of the video (a tracked box's lifespans with its
// keyframes as diamonds, a TimelineLabels region's frame ranges), the pending range and the playhead. Rules:
// - frame f (1-based) is the cell [(f-1)/L, f/L] of the track's width, L the video's frame count; ranges and
//   lifespans are inclusive of both end frames;
// - the timeline only paints what it is given and reports the user's gestures (seek, range, region click) through
//   callbacks; the Video object owns the state.

import { h } from "../util.js";
import { lifespans } from "./video_track.js";

/** @typedef {import("../regions.js").Region} Region */

/**
 * @typedef {object} TimelineHooks
 * @property {(frame: number) => void} seek               a click or a drag without ranges
 * @property {((a: number, b: number) => void)|null} range  a drag selected frames a..b (null: no TimelineLabels)
 * @property {(id: string) => void} region                 a region's bar was clicked
 * @property {(id: string, frame: number) => void} keyframe   a keyframe's diamond was clicked
 * @property {(id: string, index: number, start: number, end: number) => void} resize   an edge of a selected range was dragged
 * @property {(r: Region) => string} color
 */

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

export class VideoTimeline {
	/** @param {string} name @param {number} maxHeight  rows area height limit (px) @param {TimelineHooks} hooks */
	constructor(name, maxHeight, hooks) {
		this.hooks = hooks;
		this.length = 1;
		this.rows = h("div", { class: "nblabel-video-rows" });
		this.rows.style.maxHeight = `${Math.max(40, maxHeight)}px`;
		this.pending = h("div", { class: "nblabel-video-pending", hidden: true });
		this.mark = h("div", { class: "nblabel-video-mark", hidden: true });
		this.head = h("div", { class: "nblabel-video-playhead" });
		this.scrub = h("div", { class: "nblabel-video-scrub", title: "click or drag to seek" });
		this.track = h("div", { class: "nblabel-video-track" }, this.scrub, this.rows, this.pending, this.mark, this.head);
		this.el = h("div", { class: "nblabel-video-timeline", role: "group", "aria-label": `${name || "video"} timeline` }, this.track);
		this.track.addEventListener("mousedown", (e) => this.#down(e));
	}

	/** @param {number} clientX */
	frameAt(clientX) {
		const r = this.scrub.getBoundingClientRect(); // the track's inner width (what % positions refer to)
		const fx = r.width > 0 ? (clientX - r.left) / r.width : 0;
		return clamp(Math.floor(fx * this.length) + 1, 1, this.length);
	}

	/** @param {number} f  left edge of frame f, in % of the track */
	#pct(f) {
		return ((f - 1) / this.length) * 100;
	}

	/** @param {HTMLElement} el @param {number} a @param {number} b  inclusive frames */
	#place(el, a, b) {
		const lo = clamp(Math.min(a, b), 1, this.length);
		const hi = clamp(Math.max(a, b), 1, this.length);
		el.style.left = `${this.#pct(lo)}%`;
		el.style.width = `${((hi - lo + 1) / this.length) * 100}%`;
	}

	/** @param {MouseEvent} e */
	#down(e) {
		if (e.button !== 0) return;
		const t = e.target instanceof Element ? e.target.closest("[data-region]") : null;
		e.preventDefault(); // keep the keyboard focus on the widget root, no text selection
		const edge = e.target instanceof Element ? e.target.closest("[data-edge]") : null;
		if (edge && t) {
			this.#resize(t.getAttribute("data-region") ?? "", Number(edge.getAttribute("data-index")), edge.getAttribute("data-edge") === "start", t);
			return;
		}
		const kf = e.target instanceof Element ? e.target.closest("[data-frame]") : null;
		if (kf && t) {
			this.hooks.keyframe(t.getAttribute("data-region") ?? "", Number(kf.getAttribute("data-frame")));
			return;
		}
		if (t) {
			this.hooks.region(t.getAttribute("data-region") ?? "");
			return;
		}
		const x0 = e.clientX;
		const f0 = this.frameAt(x0);
		let dragged = false;
		const ranged = this.hooks.range;
		if (!ranged) this.hooks.seek(f0);
		const move = (/** @type {MouseEvent} */ m) => {
			if (Math.abs(m.clientX - x0) > 3) dragged = true;
			if (!dragged) return;
			const f = this.frameAt(m.clientX);
			if (ranged) this.showPending([f0, f]);
			else this.hooks.seek(f);
		};
		const up = (/** @type {MouseEvent} */ m) => {
			window.removeEventListener("mousemove", move);
			window.removeEventListener("mouseup", up);
			if (!ranged) return;
			if (dragged) {
				const f = this.frameAt(m.clientX);
				ranged(Math.min(f0, f), Math.max(f0, f));
			} else this.hooks.seek(f0);
		};
		window.addEventListener("mousemove", move);
		window.addEventListener("mouseup", up);
	}

	/**
	 * Drag one edge of range `index` of region `id` (its bar is `bar`); the other edge stays.
	 * @param {string} id @param {number} index @param {boolean} start @param {Element} bar
	 */
	#resize(id, index, start, bar) {
		const from = Number(bar.getAttribute("data-start"));
		const to = Number(bar.getAttribute("data-end"));
		let a = from;
		let b = to;
		const move = (/** @type {MouseEvent} */ m) => {
			const f = this.frameAt(m.clientX);
			[a, b] = start ? [Math.min(f, to), Math.max(f, to)] : [Math.min(from, f), Math.max(from, f)];
			this.#place(/** @type {HTMLElement} */ (bar), a, b);
		};
		const up = () => {
			window.removeEventListener("mousemove", move);
			window.removeEventListener("mouseup", up);
			if (a !== from || b !== to) this.hooks.resize(id, index, a, b);
		};
		window.addEventListener("mousemove", move);
		window.addEventListener("mouseup", up);
	}

	/** @param {[number, number]|null} range */
	showPending(range) {
		this.pending.hidden = !range;
		if (range) this.#place(this.pending, range[0], range[1]);
	}

	/** @param {number|null} frame  a range start marked with `[` */
	showMark(frame) {
		this.mark.hidden = frame === null;
		if (frame !== null) this.#place(this.mark, frame, frame);
	}

	/**
	 * @param {number} length  frames
	 * @param {number} frame   current frame
	 * @param {Region[]} regions  this video's regions
	 * @param {string|null} selected
	 */
	paint(length, frame, regions, selected) {
		this.length = Math.max(1, length);
		this.#place(this.head, frame, frame);
		this.rows.replaceChildren(
			...regions.map((r) => {
				const row = h("div", { class: "nblabel-video-row", "data-row": r.id });
				row.classList.toggle("is-selected", r.id === selected);
				row.style.setProperty("--nbl-region", this.hooks.color(r));
				if (r.geom.kind === "box") {
					for (const [a, b] of lifespans(r.geom.sequence, this.length)) {
						const bar = h("div", { class: "nblabel-video-span", "data-region": r.id, title: `${r.labels.join(", ") || "box"}: frames ${a}–${b}` });
						this.#place(bar, a, b);
						row.append(bar);
					}
					for (const kf of r.geom.sequence) {
						const dot = h("div", { class: `nblabel-video-kf${kf.enabled === false ? " is-off" : ""}`, "data-region": r.id, "data-frame": kf.frame, title: `keyframe ${kf.frame}${kf.enabled === false ? " (hidden after it)" : ""}: click to go there` });
						dot.style.left = `${this.#pct(kf.frame + 0.5)}%`;
						row.append(dot);
					}
				} else if (r.geom.kind === "range") {
					r.geom.ranges.forEach((/** @type {any} */ rg, /** @type {number} */ i) => {
						const s = Number(rg.start) || 1;
						const e = Number(rg.end) || 1;
						const bar = h("div", { class: "nblabel-video-span is-range", "data-region": r.id, "data-start": s, "data-end": e, title: `${r.labels.join(", ")}: frames ${rg.start}–${rg.end}` });
						this.#place(bar, s, e);
						if (r.id === selected) {
							for (const edge of ["start", "end"]) bar.append(h("span", { class: "nblabel-video-edge", "data-edge": edge, "data-index": i, title: `drag to move the ${edge} frame` }));
						}
						row.append(bar);
					});
				}
				return row;
			}),
		);
	}
}
