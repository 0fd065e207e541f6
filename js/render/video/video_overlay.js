// The box layer over a Video: the tracked boxes shown on the current frame, and the mouse that draws, moves and
// resizes them. Rules:
// - boxes are % of the video's natural size: the overlay has exactly the video's displayed size, so a box is placed
//   by CSS percentages and never recomputed on resize;
// - while a box is dragged its live shape is painted here only; the region changes once, on release (one undo step,
//   one keyframe on the frame it was dragged on);
// - a drag on the empty video draws a new box (at least 3 × 3 screen px, smaller is a click); a click on nothing
//   unselects; the overlay only reports gestures through hooks, the Video object owns the state.

import { h } from "../util.js";
import { visibleShape } from "./video_track.js";

/** @typedef {import("../regions.js").Region} Region */
/** @typedef {import("./video_track.js").Shape} Shape */

/**
 * @typedef {object} OverlayHooks
 * @property {() => void} pause                      a press on the video stops playback
 * @property {(id: string|null) => Region|null} region   the region of a box element
 * @property {(id: string) => void} grab             a box was pressed (select it)
 * @property {(region: Region, shape: Shape) => void} moved   a box was moved / resized to `shape` on the current frame
 * @property {() => boolean} drawable                 the video has a box tool
 * @property {(shape: Shape) => void} drawn           a new box was drawn on the current frame
 * @property {() => void} missed                      a click on no box (or a drag too small to be a box)
 * @property {() => void} repaint                     a gesture ended without a change
 * @property {(r: Region) => string} color
 */

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** @param {Shape} s @param {string} handle  corner: n/s + w/e @param {number} dx @param {number} dy @returns {Shape} */
function resized(s, handle, dx, dy) {
	let x0 = s.x;
	let y0 = s.y;
	let x1 = s.x + s.width;
	let y1 = s.y + s.height;
	if (handle.includes("w")) x0 = clamp(x0 + dx, 0, 100);
	if (handle.includes("e")) x1 = clamp(x1 + dx, 0, 100);
	if (handle.includes("n")) y0 = clamp(y0 + dy, 0, 100);
	if (handle.includes("s")) y1 = clamp(y1 + dy, 0, 100);
	return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), rotation: s.rotation };
}

/** @param {HTMLElement} e @param {Shape} s */
function place(e, s) {
	e.style.left = `${s.x}%`;
	e.style.top = `${s.y}%`;
	e.style.width = `${s.width}%`;
	e.style.height = `${s.height}%`;
	e.style.transform = s.rotation ? `rotate(${s.rotation}deg)` : "";
}

export class VideoOverlay {
	/** @param {OverlayHooks} hooks */
	constructor(hooks) {
		this.hooks = hooks;
		this.el = h("div", { class: "nblabel-video-overlay" });
		/** while dragging a box: its live shape (id null: a new box) */
		/** @type {{id: string|null, shape: Shape}|null} */
		this.live = null;
		/** what the last paint showed (a drag repaints it with the live shape) */
		/** @type {{regions: Region[], selected: string|null, frame: number, ready: boolean, canDraw: boolean}} */
		this.shown = { regions: [], selected: null, frame: 1, ready: false, canDraw: false };
		this.el.addEventListener("mousedown", (e) => this.#down(e));
	}

	/**
	 * @param {Region[]} regions @param {string|null} selected @param {number} frame
	 * @param {boolean} ready  the video is loaded (frames known) @param {boolean} canDraw  a new box can be drawn
	 */
	paint(regions, selected, frame, ready, canDraw) {
		this.shown = { regions, selected, frame, ready, canDraw };
		this.#paint();
	}

	#paint() {
		const { regions, selected, frame, ready, canDraw } = this.shown;
		const live = this.live;
		const boxes = [];
		for (const r of regions) {
			if (r.geom.kind !== "box") continue;
			const shape = live && live.id === r.id ? live.shape : ready ? visibleShape(r.geom.sequence, frame) : null;
			if (!shape) continue;
			const isKey = r.geom.sequence.some((/** @type {any} */ kf) => kf.frame === frame);
			const box = h("div", { class: `nblabel-video-box${r.id === selected ? " is-selected" : ""}${isKey ? " is-keyframe" : ""}`, "data-region": r.id, title: r.labels.join(", ") || "box" });
			place(box, shape);
			box.style.setProperty("--nbl-region", this.hooks.color(r));
			if (r.labels.length) box.append(h("span", { class: "nblabel-video-box-label" }, r.labels.join(", ")));
			if (r.id === selected) for (const c of ["nw", "ne", "sw", "se"]) box.append(h("span", { class: "nblabel-video-handle", "data-handle": c }));
			boxes.push(box);
		}
		if (live && live.id === null) {
			const draft = h("div", { class: "nblabel-video-box is-draft" });
			place(draft, live.shape);
			boxes.push(draft);
		}
		this.el.replaceChildren(...boxes);
		this.el.classList.toggle("can-draw", canDraw);
	}

	/** Point in % of the video from a mouse event. @param {MouseEvent} e */
	#pct(e) {
		const r = this.el.getBoundingClientRect();
		return { x: clamp(((e.clientX - r.left) / r.width) * 100, 0, 100), y: clamp(((e.clientY - r.top) / r.height) * 100, 0, 100) };
	}

	/** @param {MouseEvent} e */
	#down(e) {
		const hooks = this.hooks;
		if (e.button !== 0 || !this.shown.ready) return;
		e.preventDefault();
		hooks.pause();
		const t = e.target instanceof Element ? e.target : null;
		const handle = t?.closest("[data-handle]")?.getAttribute("data-handle") ?? null;
		const id = t?.closest("[data-region]")?.getAttribute("data-region") ?? null;
		const region = hooks.region(id);
		const p0 = this.#pct(e);
		let moved = false;
		/** @param {(m: MouseEvent) => void} move @param {() => void} up */
		const follow = (move, up) => {
			const end = () => {
				window.removeEventListener("mousemove", move);
				window.removeEventListener("mouseup", end);
				up();
			};
			window.addEventListener("mousemove", move);
			window.addEventListener("mouseup", end);
		};
		if (region && region.geom.kind === "box") {
			hooks.grab(/** @type {string} */ (id));
			const s0 = visibleShape(region.geom.sequence, this.shown.frame); // the frame selecting it may have moved to
			if (!s0) return;
			follow((m) => {
				const p = this.#pct(m);
				const dx = p.x - p0.x;
				const dy = p.y - p0.y;
				if (!moved && Math.abs(dx) + Math.abs(dy) < 0.3) return;
				moved = true;
				this.live = { id, shape: handle ? resized(s0, handle, dx, dy) : { ...s0, x: clamp(s0.x + dx, 0, 100 - s0.width), y: clamp(s0.y + dy, 0, 100 - s0.height) } };
				this.#paint();
			}, () => {
				const shape = this.live?.shape;
				this.live = null;
				if (moved && shape) hooks.moved(region, shape);
				else hooks.repaint();
			});
			return;
		}
		if (!hooks.drawable()) return;
		follow((m) => {
			const p = this.#pct(m);
			moved = true;
			this.live = { id: null, shape: { x: Math.min(p0.x, p.x), y: Math.min(p0.y, p.y), width: Math.abs(p.x - p0.x), height: Math.abs(p.y - p0.y), rotation: 0 } };
			this.#paint();
		}, () => {
			const s = this.live?.shape;
			this.live = null;
			const r = this.el.getBoundingClientRect();
			if (moved && s && (s.width / 100) * r.width >= 3 && (s.height / 100) * r.height >= 3) hooks.drawn(s);
			else hooks.missed();
		});
	}
}
