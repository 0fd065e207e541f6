// The timeline of an Audio object: waveform canvas, segments, pending selection, `[` mark, playhead, zoom. Rules:
// - the timeline is a track of `zoom × 100%` width in a horizontally scrolling view: regions, the pending selection and
//   the playhead are placed in % of the duration, so zooming never recomputes them; the canvas covers only the view
//   (waveform.js draws the visible time window);
// - a region's fill goes under the waveform, which draws its part of the region in the region's colour; its box
//   (border, label, edges, hit area) goes over it;
// - mouse: drag selects [start, end], a click seeks (or hits a region), the edges of the selected region resize it,
//   Ctrl+wheel zooms at the pointer; the timeline only reports these gestures through hooks, the Audio object owns
//   the state (what is pending, what is selected, the <audio>).

import { h } from "../util.js";
import { AXIS_PX, drawTimeline, formatTime } from "./waveform.js";

/** @typedef {import("../regions.js").Region} Region */

/**
 * @typedef {object} AudioTimelineHooks
 * @property {() => number} duration       seconds (NaN or 0: nothing loaded)
 * @property {() => number} time           the playhead, seconds
 * @property {() => Region|null} selectedRegion  the selected region of this audio (its edges can be dragged)
 * @property {(region: Region, start: number, end: number, done: boolean) => void} resize   an edge drag (done: released)
 * @property {(range: [number, number]) => void} dragging   a drag in progress
 * @property {(range: [number, number]) => void} dragged    a drag ended on [start, end]
 * @property {(t: number, region: string|null) => void} click   a click at time t, on a region or not
 * @property {(r: Region) => string} color
 */

const MAX_ZOOM = 64;

/** @param {number} x @param {number} lo @param {number} hi */
export const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** @param {number} s @param {number} e */
export const rangeText = (s, e) => `${formatTime(s)} – ${formatTime(e)}`;

export class AudioTimeline {
	/** @param {string} name @param {AudioTimelineHooks} hooks */
	constructor(name, hooks) {
		this.hooks = hooks;
		/** @type {Float32Array|null} loudness peaks (null: a plain timeline) */
		this.peaks = null;
		this.zoom = 1;
		/** @type {Region[]} */
		this.regions = [];
		this.canvas = h("canvas", { class: "nblabel-audio-wave", "aria-hidden": "true" });
		this.layer = h("div", { class: "nblabel-audio-regions" });
		this.pendingEl = h("div", { class: "nblabel-audio-pending", hidden: true });
		this.markEl = h("div", { class: "nblabel-audio-mark", hidden: true });
		this.head = h("div", { class: "nblabel-audio-playhead" });
		/** review mode: other annotators' segments, one band per annotator lane (never hit by the pointer) */
		this.bands = h("div", { class: "nblabel-audio-overlays", "aria-hidden": "true" });
		/** @type {import("../regions.js").OverlayLayer[]} */
		this.overlays = [];
		this.track = h("div", { class: "nblabel-audio-track" }, this.bands, this.layer, this.pendingEl, this.markEl, this.head);
		this.fills = h("div", { class: "nblabel-audio-regions" });
		this.under = h("div", { class: "nblabel-audio-under", "aria-hidden": "true" }, this.fills);
		this.view = h("div", { class: "nblabel-audio-view", role: "group", "aria-label": `${name || "audio"} timeline` }, this.under, this.canvas, this.track);
		this.view.style.setProperty("--nbl-axis", `${AXIS_PX}px`);
		const zoomOut = h("button", { type: "button", class: "nblabel-button nblabel-audio-zoom-out", tabindex: "-1", title: "zoom out (−)" }, "−");
		const zoomIn = h("button", { type: "button", class: "nblabel-button nblabel-audio-zoom-in", tabindex: "-1", title: "zoom in (+)" }, "+");
		this.zoomText = h("span", { class: "nblabel-audio-zoom" }, "1×");
		/** the zoom buttons, for the Audio's bar */
		this.zoomBar = [zoomOut, this.zoomText, zoomIn];

		this.view.addEventListener("mousedown", (e) => this.#down(e));
		this.view.addEventListener("wheel", (e) => {
			if (!(e.ctrlKey || e.metaKey) || !this.ready()) return;
			e.preventDefault();
			this.setZoom(e.deltaY < 0 ? this.zoom * 2 : this.zoom / 2, e.clientX);
		}, { passive: false });
		this.view.addEventListener("scroll", () => this.draw());
		new ResizeObserver(() => this.draw()).observe(this.view);
		for (const b of [zoomIn, zoomOut]) b.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on the root
		zoomIn.addEventListener("click", () => this.setZoom(this.zoom * 2));
		zoomOut.addEventListener("click", () => this.setZoom(this.zoom / 2));
	}

	ready() {
		return this.hooks.duration() > 0;
	}

	/** @param {number} t  seconds → CSS left in % of the track */
	pct(t) {
		return `${(clamp(t / this.hooks.duration(), 0, 1) * 100).toFixed(4)}%`;
	}

	/** Seconds under a viewport x (the track's box is the truth: zoom and scroll included). @param {number} clientX */
	timeAt(clientX) {
		const r = this.track.getBoundingClientRect();
		return clamp((clientX - r.left) / r.width, 0, 1) * this.hooks.duration();
	}

	draw() {
		if (!this.ready()) return;
		const duration = this.hooks.duration();
		const w = this.track.offsetWidth || 1;
		const t0 = (this.view.scrollLeft / w) * duration;
		const t1 = ((this.view.scrollLeft + this.view.clientWidth) / w) * duration;
		const spans = this.regions.map((r) => ({ start: r.geom.start, end: r.geom.end, color: this.hooks.color(r) }));
		drawTimeline(this.canvas, { peaks: this.peaks, duration, t0, t1, spans });
	}

	/** Keep the playhead in view while playing (zoomed in). */
	follow() {
		if (!this.ready() || this.zoom === 1) return;
		const view = this.view;
		const x = (this.hooks.time() / this.hooks.duration()) * this.track.offsetWidth;
		if (x < view.scrollLeft || x > view.scrollLeft + view.clientWidth - 8) view.scrollLeft = Math.max(0, x - view.clientWidth * 0.1);
	}

	/** Zoom to `z`, keeping the time under viewport x `anchor` (default: the playhead, else the centre) in place. @param {number} z @param {number} [anchor] */
	setZoom(z, anchor) {
		z = clamp(z, 1, MAX_ZOOM);
		if (z === this.zoom || !this.ready()) return;
		const view = this.view;
		const vr = view.getBoundingClientRect();
		const headX = vr.left + (this.hooks.time() / this.hooks.duration()) * this.track.offsetWidth - view.scrollLeft;
		const x = anchor ?? (headX >= vr.left && headX <= vr.right ? headX : vr.left + vr.width / 2);
		const t = this.timeAt(x);
		this.zoom = z;
		this.track.style.width = this.under.style.width = `${this.zoom * 100}%`;
		this.zoomText.textContent = `${this.zoom}×`;
		view.scrollLeft = (t / this.hooks.duration()) * this.track.offsetWidth - (x - vr.left);
		this.draw();
	}

	/** A new task: no peaks, zoom 1, scrolled to the start, an empty canvas (no layout read on the per-task path). */
	reset() {
		this.peaks = null;
		this.zoom = 1;
		this.track.style.width = this.under.style.width = "100%";
		this.zoomText.textContent = "1×";
		this.view.scrollLeft = 0;
		this.canvas.getContext("2d")?.clearRect(0, 0, this.canvas.width, this.canvas.height);
	}

	/** @param {[number, number]|null} pending @param {number|null} mark */
	paintPending(pending, mark) {
		const ready = this.ready();
		this.pendingEl.hidden = !pending || !ready;
		if (pending && ready) {
			this.pendingEl.style.left = this.pct(pending[0]);
			this.pendingEl.style.width = `calc(${this.pct(pending[1])} - ${this.pct(pending[0])})`;
		}
		this.markEl.hidden = mark === null || !ready;
		if (mark !== null && ready) this.markEl.style.left = this.pct(mark);
	}

	/**
	 * Review mode: each layer's segments as a thin band in the annotator's colour, lane `i` for the i-th layer shown,
	 * above the time axis. @param {import("../regions.js").OverlayLayer[]} layers
	 */
	paintOverlays(layers) {
		this.overlays = layers;
		if (!this.ready()) return this.bands.replaceChildren();
		this.bands.replaceChildren(...layers.flatMap((layer, lane) => layer.regions.map((r) => {
			const band = h("div", { class: "nblabel-audio-overlay", "data-annotator-slot": String(layer.slot) });
			band.style.left = this.pct(r.geom.start);
			band.style.width = `calc(${this.pct(r.geom.end)} - ${this.pct(r.geom.start)})`;
			band.style.setProperty("--nbl-annotator", layer.color);
			band.style.setProperty("--nbl-lane", String(lane));
			return band;
		})));
	}

	/** @param {Region[]} regions @param {string|null} selected */
	paintRegions(regions, selected) {
		this.regions = regions;
		this.paintOverlays(this.overlays);
		if (!this.ready()) {
			this.layer.replaceChildren();
			this.fills.replaceChildren();
			return;
		}
		this.draw();
		/** @param {HTMLElement} e @param {Region} r */
		const place = (e, r) => {
			e.style.left = this.pct(r.geom.start);
			e.style.width = `calc(${this.pct(r.geom.end)} - ${this.pct(r.geom.start)})`;
			e.style.setProperty("--nbl-region", this.hooks.color(r));
			return e;
		};
		this.fills.replaceChildren(...regions.map((r) => place(h("div", { class: `nblabel-audio-fill${r.id === selected ? " is-selected" : ""}` }), r)));
		this.layer.replaceChildren(
			...regions.map((r) => {
				const box = place(h("div", { class: "nblabel-audio-region", "data-region": r.id, title: `${r.labels.join(", ")} ${rangeText(r.geom.start, r.geom.end)}` },
					h("span", { class: "nblabel-audio-region-label" }, r.labels.join(", "))), r);
				if (r.id === selected) {
					box.classList.add("is-selected");
					box.append(h("div", { class: "nblabel-audio-edge is-start", "data-edge": "start" }), h("div", { class: "nblabel-audio-edge is-end", "data-edge": "end" }));
				}
				return box;
			}),
		);
	}

	/** @param {MouseEvent} e */
	#down(e) {
		if (e.button !== 0 || !this.ready() || !(e.target instanceof Element)) return;
		e.preventDefault(); // no text selection, no native drag; focus goes to the widget root instead
		/** @type {HTMLElement|null} */ (this.view.closest(".nblabel"))?.focus({ preventScroll: true });
		const hooks = this.hooks;
		const edge = e.target.closest("[data-edge]")?.getAttribute("data-edge") ?? null;
		const regionEl = e.target.closest("[data-region]");
		const region = edge ? hooks.selectedRegion() : null;
		const x0 = e.clientX;
		const t0 = this.timeAt(x0);
		let moved = false;
		/** @param {MouseEvent} ev */
		const move = (ev) => {
			if (!moved && Math.abs(ev.clientX - x0) < 3) return;
			moved = true;
			const t = this.timeAt(ev.clientX);
			if (region) {
				const other = edge === "start" ? region.geom.end : region.geom.start;
				hooks.resize(region, Math.min(t, other), Math.max(t, other), false);
			} else hooks.dragging([Math.min(t0, t), Math.max(t0, t)]);
		};
		/** @param {MouseEvent} ev */
		const up = (ev) => {
			window.removeEventListener("mousemove", move);
			window.removeEventListener("mouseup", up);
			if (region) {
				if (moved) hooks.resize(region, region.geom.start, region.geom.end, true);
			} else if (!moved) hooks.click(t0, regionEl ? (regionEl.getAttribute("data-region") ?? "") : null);
			else {
				const t = this.timeAt(ev.clientX);
				hooks.dragged([Math.min(t0, t), Math.max(t0, t)]);
			}
		};
		window.addEventListener("mousemove", move);
		window.addEventListener("mouseup", up);
	}
}
