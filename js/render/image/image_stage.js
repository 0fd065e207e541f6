// The picture part of an Image: fit, zoom, pan and the pointer. Rules:
// - the image is fitted once per load (and when the cell's width changes) into the available width and 60% of the
//   window height, and never drawn larger than its natural size unless the config asks (Image `width`), so the
//   labels, the region list and Submit stay on screen beside a small picture; zoom and pan are one CSS transform on the stage (`translate · scale`), never a re-layout, and
//   panning stays inside the image;
// - everything stacked on the stage (the `<img>`, canvas layers, the SVG shape layer) is in natural pixels of the
//   image, so `toNatural` is the only conversion a tool needs (snapped to whole pixels and clamped to the image);
// - Ctrl/⌘+wheel zooms at the pointer, the wheel pans once zoomed (otherwise it scrolls the notebook), the middle
//   button or Alt+drag pans; a left press goes to the Image (`onPointer`), which keeps the pointer until release.

import { clamp, s } from "./shapes/registry.js";
import { h } from "../util.js";

const MAX_ZOOM = 16;

export class ImageStage {
	/** @param {string} name @param {string} alt @param {{upscale?: boolean}} [opts]  upscale: fill the width even past natural size */
	constructor(name, alt, opts = {}) {
		this.upscale = Boolean(opts.upscale);
		this.img = h("img", { class: "nblabel-image-img", alt, draggable: "false", decoding: "async" }); // never block a frame on decode
		this.layers = h("div", { class: "nblabel-image-layers" });
		this.svg = s("svg", { class: "nblabel-image-svg", preserveAspectRatio: "none", "aria-hidden": "true" });
		this.stage = h("div", { class: "nblabel-image-stage" }, this.img, this.layers, this.svg);
		this.status = h("div", { class: "nblabel-image-status" }, "loading image…");
		this.level = h("span", { class: "nblabel-image-zoom-level", title: "zoom" }, "100%");
		const out = button("−", "zoom out (-)", () => this.zoomBy(0.8));
		const inn = button("+", "zoom in (+)", () => this.zoomBy(1.25));
		const fit = button("⤢", "fit to view (f)", () => this.fit());
		this.zoomBar = h("span", { class: "nblabel-image-zoom" }, out, this.level, inn, fit);
		// zoom buttons float in the top-right corner of the image's row (shown on hover / when zoomed): no row of
		// chrome per image, and a picture narrower than the row (never upscaled) keeps its own corner free to draw in
		this.view = h("div", { class: "nblabel-image-view", "data-name": name }, this.stage, this.status);
		this.frame = h("div", { class: "nblabel-image-frame" }, this.view, this.zoomBar);
		this.size = { width: 0, height: 0 };
		this.fitScale = 1;
		this.z = 1;
		this.tx = 0;
		this.ty = 0;
		/** @type {() => void} */
		this.onLayout = () => {};
		/** @type {{down: (e: PointerEvent, pt: {x: number, y: number}) => boolean, move: (e: PointerEvent, pt: {x: number, y: number}) => void, up: (e: PointerEvent, pt: {x: number, y: number}) => void}|null} */
		this.onPointer = null;
		/** @type {ResizeObserver|null} */
		this.observer = null;
		/** the parent's width as the ResizeObserver last reported it (0: not yet) */
		this.avail = 0;
		/** the fitted CSS size last written */
		this.fitted = "";
		this.#listen();
	}

	#listen() {
		const v = this.view;
		/** @type {{x: number, y: number}|null} */
		let pan = null;
		let holding = false;
		this.img.addEventListener("dragstart", (e) => e.preventDefault());
		v.addEventListener("pointerdown", (e) => {
			if (!this.size.width || (e.target instanceof Element && e.target.closest(".nblabel-image-zoom"))) return;
			/** @type {HTMLElement|null} */ (v.closest(".nblabel"))?.focus({ preventScroll: true }); // keys follow the pointer
			const zoomedNoTool = e.button === 0 && !v.classList.contains("has-tool") && this.z > 1;
			if (e.button === 1 || (e.button === 0 && e.altKey) || zoomedNoTool) {
				e.preventDefault();
				pan = { x: e.clientX, y: e.clientY };
				v.setPointerCapture(e.pointerId);
				return;
			}
			if (e.button !== 0 || !this.onPointer) return;
			if (this.onPointer.down(e, this.toNatural(e.clientX, e.clientY, true))) {
				holding = true;
				v.setPointerCapture(e.pointerId);
			}
		});
		v.addEventListener("pointermove", (e) => {
			if (pan) {
				this.panBy(e.clientX - pan.x, e.clientY - pan.y);
				pan = { x: e.clientX, y: e.clientY };
			} else if (this.size.width && this.onPointer) this.onPointer.move(e, this.toNatural(e.clientX, e.clientY, true));
		});
		const end = (/** @type {PointerEvent} */ e) => {
			if (pan) pan = null;
			else if (holding) {
				holding = false;
				this.onPointer?.up(e, this.toNatural(e.clientX, e.clientY, true));
			}
			if (v.hasPointerCapture(e.pointerId)) v.releasePointerCapture(e.pointerId);
		};
		v.addEventListener("pointerup", end);
		v.addEventListener("pointercancel", end);
		v.addEventListener(
			"wheel",
			(e) => {
				if (!this.size.width) return;
				if (e.ctrlKey || e.metaKey) {
					e.preventDefault();
					const r = v.getBoundingClientRect();
					this.zoomBy(Math.exp(-e.deltaY * 0.002), e.clientX - r.left, e.clientY - r.top);
				} else if (this.z > 1) {
					e.preventDefault();
					this.panBy(-e.deltaX, -e.deltaY);
				}
			},
			{ passive: false },
		);
	}

	/**
	 * Show `url` now if the browser holds the picture already (prefetched and decoded by image_cache.js, or the same
	 * URL again): `src` is set and, complete at once, the picture is shown in this same task — the next frame has it
	 * with its regions, and no load task follows. Else null, the load has begun and `show(url)` waits for it.
	 * @param {string} url
	 * @returns {{width: number, height: number}|null}
	 */
	showNow(url) {
		const img = this.img;
		img.onload = img.onerror = null;
		if (img.getAttribute("src") !== url) img.src = url;
		if (!img.complete || !img.naturalWidth) return null;
		this.#shown();
		return this.size;
	}

	/** Load `url`; resolves with the natural size. @param {string} url @returns {Promise<{width: number, height: number}>} */
	show(url) {
		return new Promise((resolve, reject) => {
			const img = this.img;
			const settle = () => {
				img.onload = img.onerror = null;
				if (!img.naturalWidth) return reject(new Error("empty image"));
				this.#shown();
				resolve(this.size);
			};
			img.onload = settle;
			img.onerror = () => {
				img.onload = img.onerror = null;
				reject(new Error("load failed"));
			};
			// a load of this URL under way is waited for; a failed one is tried again
			if (img.getAttribute("src") !== url || (img.complete && !img.naturalWidth)) img.src = url;
			if (img.complete && img.naturalWidth) settle(); // in memory already: no wait for the load task
		});
	}

	/** The picture in `img` is complete: take its size, fit it, show the stage. */
	#shown() {
		const W = this.img.naturalWidth;
		const H = this.img.naturalHeight;
		const box = `0 0 ${W} ${H}`;
		if (this.svg.getAttribute("viewBox") !== box) this.svg.setAttribute("viewBox", box);
		this.size = { width: W, height: H };
		for (const c of this.layers.querySelectorAll("canvas")) if (c.width !== W || c.height !== H) Object.assign(c, this.size);
		if (this.view.hidden) this.view.hidden = false;
		if (!this.status.hidden) this.status.hidden = true;
		if (this.stage.style.visibility) this.stage.style.visibility = "";
		this.observe();
		this.layout();
	}

	loading() {
		this.size = { width: 0, height: 0 };
		this.view.hidden = false;
		this.status.hidden = false;
		this.stage.style.visibility = "hidden";
		this.observe();
	}

	hide() {
		this.size = { width: 0, height: 0 };
		this.img.removeAttribute("src");
		this.view.hidden = true;
	}

	reset() {
		this.z = 1;
		this.tx = 0;
		this.ty = 0;
		this.apply();
	}

	observe() {
		const parent = this.view.parentElement;
		if (this.observer || !parent || typeof ResizeObserver === "undefined") return;
		this.observer = new ResizeObserver(() => {
			// read here, where layout is clean: `layout()` on a task switch then measures nothing (no forced layout)
			const width = parent.clientWidth;
			if (width === this.avail) return;
			this.avail = width;
			if (this.size.width) this.layout();
		});
		this.observer.observe(parent);
	}

	/** Fit the natural size into the available width and 60% of the window height (natural size at most). */
	layout() {
		const { width: W, height: H } = this.size;
		if (!W || !H) return;
		// the width the observer last saw (no measuring on a task switch); measured once before it has reported
		const avail = this.avail || this.view.parentElement?.clientWidth || 900;
		const maxH = Math.max(240, viewportHeight() * 0.6);
		this.fitScale = Math.min(avail / W, maxH / H, this.upscale ? Infinity : 1);
		const w = `${W * this.fitScale}px`;
		const hgt = `${H * this.fitScale}px`;
		if (this.fitted !== `${w} ${hgt}`) {
			this.fitted = `${w} ${hgt}`; // the same size as the last picture: no style write, no re-layout
			Object.assign(this.view.style, { width: w, height: hgt });
			Object.assign(this.stage.style, { width: w, height: hgt });
		}
		this.#clampPan();
		this.apply();
		this.onLayout();
	}

	/** Screen px per natural px. */
	scale() {
		return this.fitScale * this.z;
	}

	/** Client coordinates → natural px of the image (snapped to whole pixels, clamped). @param {number} cx @param {number} cy @param {boolean} snap */
	toNatural(cx, cy, snap) {
		const r = this.stage.getBoundingClientRect();
		const { width: W, height: H } = this.size;
		let x = clamp(((cx - r.left) / (r.width || 1)) * W, 0, W);
		let y = clamp(((cy - r.top) / (r.height || 1)) * H, 0, H);
		if (snap) [x, y] = [Math.round(x), Math.round(y)];
		return { x, y };
	}

	/** @param {number} factor @param {number} [cx] @param {number} [cy]  view px the zoom keeps still (default: centre) */
	zoomBy(factor, cx, cy) {
		const w = this.size.width * this.fitScale;
		const hh = this.size.height * this.fitScale;
		const px = cx ?? w / 2;
		const py = cy ?? hh / 2;
		const z = clamp(this.z * factor, 1, MAX_ZOOM);
		this.tx = px - ((px - this.tx) * z) / this.z;
		this.ty = py - ((py - this.ty) * z) / this.z;
		this.z = z;
		this.#clampPan();
		this.apply();
		this.onLayout();
	}

	fit() {
		this.reset();
		this.onLayout();
	}

	/** @param {number} dx @param {number} dy */
	panBy(dx, dy) {
		this.tx += dx;
		this.ty += dy;
		this.#clampPan();
		this.apply();
	}

	#clampPan() {
		const w = this.size.width * this.fitScale;
		const hh = this.size.height * this.fitScale;
		this.tx = clamp(this.tx, w - w * this.z, 0);
		this.ty = clamp(this.ty, hh - hh * this.z, 0);
	}

	apply() {
		// written only when changed: a task switch (zoom reset at 100%) then touches no style and no text
		const transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.z})`;
		if (this.stage.style.transform !== transform) this.stage.style.transform = transform;
		const level = `${Math.round(this.z * 100)}%`;
		if (this.level.textContent !== level) this.level.textContent = level;
		this.view.classList.toggle("is-zoomed", this.z > 1);
	}

	/** A canvas layer of natural size over the image, under the shapes (brush masks). @param {string} cls */
	layer(cls) {
		let c = /** @type {HTMLCanvasElement|null} */ (this.layers.querySelector(`canvas.${CSS.escape(cls)}`));
		if (!c) {
			c = h("canvas", { class: cls });
			this.layers.append(c);
		}
		if (c.width !== this.size.width || c.height !== this.size.height) Object.assign(c, this.size);
		return c;
	}
}

/** `innerHeight`, read again only after a resize (reading it may lay the page out). */
let viewport = 0;
function viewportHeight() {
	if (!viewport) {
		viewport = globalThis.innerHeight || 800;
		globalThis.addEventListener?.("resize", () => (viewport = 0), { once: true });
	}
	return viewport;
}

/** @param {string} text @param {string} title @param {() => void} fn */
function button(text, title, fn) {
	const b = h("button", { type: "button", class: "nblabel-button nblabel-image-zoom-button", tabindex: "-1", title, "aria-label": title }, text);
	b.addEventListener("click", fn);
	return b;
}
