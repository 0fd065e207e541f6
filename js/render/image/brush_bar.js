// The brush's size and mode: its group in the Image's bar (− size + erase) and the outline under the pointer. Rules:
// - the size is in natural image pixels; until the user picks one it follows the image (1/40 of its short side,
//   4..64 px), so a thumbnail and a satellite tile both start with a usable brush; [ / ] change it by ~20%;
// - the outline is drawn in the shape layer (natural px), so it follows zoom and pan; its stroke width is divided by
//   the scale so it stays thin; it shows only while the brush is the Image's current tool;
// - the bar only holds the size and the mode; strokes read them (brush.js).

import { pixelOf } from "./brush_mask.js";
import { s } from "./shapes/registry.js";
import { h } from "../util.js";

/** @typedef {import("./shapes/registry.js").Pt} Pt */
/** @typedef {import("./shapes/registry.js").ImageView} ImageView */

const MIN_SIZE = 1;
const MAX_SIZE = 256;

export class BrushBar {
	/** @param {ImageView} view */
	constructor(view) {
		this.view = view;
		this.size = 0; // 0: not chosen yet → a default from the image size
		this.erase = false;
		/** @type {Pt|null} */
		this.hoverAt = null;

		this.sizeEl = h("span", { class: "nblabel-brush-size", title: "brush size in image pixels ([ / ])" });
		const smaller = h("button", { type: "button", class: "nblabel-button", tabindex: "-1", title: "smaller brush ([)", "aria-label": "smaller brush" }, "−");
		const larger = h("button", { type: "button", class: "nblabel-button", tabindex: "-1", title: "larger brush (])", "aria-label": "larger brush" }, "+");
		this.eraser = h("button", { type: "button", class: "nblabel-button nblabel-brush-erase", tabindex: "-1", title: "erase mode (e)", "aria-pressed": "false" }, "erase");
		this.el = h("span", { class: "nblabel-brush-bar", role: "group", "aria-label": "brush" }, smaller, this.sizeEl, larger, this.eraser);
		smaller.addEventListener("click", () => this.resize(-1));
		larger.addEventListener("click", () => this.resize(1));
		this.eraser.addEventListener("click", () => this.setErase(!this.erase));
		const toolbar = view.el.querySelector(".nblabel-image-tools");
		if (toolbar) toolbar.after(this.el);
		else view.el.querySelector(".nblabel-image-bar")?.append(this.el);

		this.ring = s("g", { class: "nblabel-brush-cursor" });
		this.ring.append(s("circle", { class: "is-outer" }), s("circle", { class: "is-inner" }));
		this.ring.style.display = "none";
		view.svg.append(this.ring);
		view.el.addEventListener("pointermove", (e) => {
			const t = e.target instanceof Element ? e.target.closest(".nblabel-image-view") : null;
			this.hoverAt = t ? view.toNatural(e.clientX, e.clientY) : null;
			this.showRing(this.hoverAt);
		});
		view.el.addEventListener("pointerleave", () => this.showRing((this.hoverAt = null)));
		this.paint();
	}

	/** The brush's diameter in natural pixels (the chosen one, else the default for this image). */
	current() {
		const n = this.view.natural();
		return this.size || Math.max(4, Math.min(64, Math.round(Math.min(n.width || 400, n.height || 400) / 40)));
	}

	paint() {
		this.sizeEl.textContent = `${this.current()} px`;
		this.sizeEl.setAttribute("data-size", String(this.current()));
		this.eraser.setAttribute("aria-pressed", String(this.erase));
		this.el.classList.toggle("is-erasing", this.erase);
	}

	/** @param {number} dir */
	resize(dir) {
		const cur = this.current();
		this.size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, cur + dir * Math.max(1, Math.round(cur * 0.2))));
		this.paint();
		this.showRing(this.hoverAt);
		this.view.hint(`Brush ${this.size} px.`);
	}

	/** @param {boolean} on */
	setErase(on) {
		this.erase = on;
		this.paint();
		this.showRing(this.hoverAt);
		this.view.hint(on ? "Erase: drag over the selected (or last painted) brush region." : "Paint.");
	}

	/** Is the brush the Image's current tool? (its button in the Image's toolbar is pressed) */
	#mine() {
		const name = this.view.el.querySelector('.nblabel-image-tool[aria-pressed="true"]')?.getAttribute("data-tool");
		const type = name ? this.view.store.makers.get(name) : null;
		return type === "brushlabels" || type === "brush";
	}

	/** @param {Pt|null} pt */
	showRing(pt) {
		const ring = this.ring;
		if (!pt || !this.view.natural().width || !this.#mine()) {
			ring.style.display = "none";
			return;
		}
		const p = pixelOf(pt, this.view.natural());
		const k = 1 / Math.max(this.view.scale(), 1e-6);
		for (const c of ring.children) {
			c.setAttribute("cx", String(p.x + 0.5));
			c.setAttribute("cy", String(p.y + 0.5));
			c.setAttribute("r", String(Math.max(this.current() / 2, 0.5)));
			c.setAttribute("stroke-width", String((c.classList.contains("is-outer") ? 3 : 1.2) * k));
		}
		ring.classList.toggle("is-erasing", this.erase);
		ring.style.display = "";
	}
}
