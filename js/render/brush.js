// The brush (BrushLabels / Brush) on an Image: paint and erase a mask in natural image pixels. Rules:
// - a region is a mask of the page's natural size, one alpha byte per pixel (0 or 255); Label Studio stores it as
//   `{"format": "rle", "rle": [...]}` (js/render/rle.js) beside `original_width/height` and `image_rotation`;
// - the stamp rule (tests mirror it in Python): a stroke is the pointer's natural pixels p0, p1, … (A's Image snaps
//   them to whole pixels; a point on the right / bottom edge is the last pixel); pixel (x, y) is painted when its
//   distance to a segment p(i)p(i+1) (or to p0 for a click) is at most size / 2 — a union of capsules;
// - a stroke extends the selected brush region; otherwise it joins the stroke group of its label (one region per
//   label and control, like Label Studio's semantic segmentation) until `n` starts a new group; unlabelled strokes
//   add up to one grey pending mask that waits for a digit like any pending shape; a stroke shows in the armed
//   label's colour while drawn; erasing works on the selected region, else on the region last painted, and a region
//   erased to nothing is removed;
// - the RLE is encoded once per stroke (`geom.rle`); a prefilled region keeps its original bytes until it is
//   painted on, so an untouched prefill submits the identical RLE (also one that cannot be decoded: it is kept as
//   it came, not painted, and a hint says why).

import { registerKeys } from "../legend.js";
import { encodeMask, rleToAlpha } from "./rle.js";
import { registerTool, s } from "./shapes/registry.js";
import { h } from "./util.js";

/** @typedef {import("./shapes/registry.js").Geom} Geom */
/** @typedef {import("./shapes/registry.js").Pt} Pt */
/** @typedef {import("./shapes/registry.js").ImageView} ImageView */
/** @typedef {import("./regions.js").Region} Region */

const MIN_SIZE = 1;
const MAX_SIZE = 256;
const DRAFT_COLOR = "#8a8a8a";

/** @type {[string, string][]} */
const KEYS = [
	["Drag", "Paint the mask (pick a label first; strokes of one label make one region)"],
	["[ / ]", "Smaller / larger brush"],
	["e", "Erase mode on / off (erases the selected region, else the last painted)"],
	["n", "The next stroke starts a new region (also unselects the selected one)"],
];
registerKeys("BrushLabels", KEYS);
registerKeys("Brush", KEYS);

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
function tint(canvas, alpha, w, box, color) {
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
function maskGeom(alpha, w, h, page) {
	return { shape: "brush", page, rle: encodeMask(alpha), _alpha: alpha, _w: w, _h: h, _px: painted(alpha) };
}

/**
 * The decoded mask of `geom` for a page of `w` × `h`, decoded once and kept on the geometry; null when the RLE is
 * not a mask of that size (kept as it came).
 * @param {Geom} geom @param {number} w @param {number} h
 * @returns {Uint8Array|null}
 */
function maskOf(geom, w, h) {
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

registerTool({
	kind: "brush",
	tags: ["BrushLabels", "Brush"],
	types: ["brushlabels", "brush"],
	icon: "●",
	verb: "paint on the image ([ ] size, e erase)",
	fromValue: (v) => (Array.isArray(v.rle) ? { rle: v.rle.slice() } : null),
	toValue: (geom) => ({ format: "rle", rle: geom.rle }),
	describe: (geom) => (geom._px === undefined ? "brush mask" : `brush ${geom._px} px`),
	create: (view) => brushInstance(view),
});

/** @param {ImageView} view @returns {import("./shapes/registry.js").ToolInstance} */
function brushInstance(view) {
	const store = view.store;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {Geom|null} */
	let pending = null;
	let size = 0; // 0: not chosen yet → a default from the image size
	let erase = false;
	/** @type {Map<string, string>} "control\u0000labels" → region id of the current stroke group */
	const groups = new Map();
	/** @type {string|null} the region painted or erased last */
	let last = null;
	/**
	 * The stroke in progress: the mask it edits (a copy), the region it edits (null: a new one), the last point.
	 * @type {{alpha: Uint8Array, target: Region|null, erase: boolean, at: Pt, color: string}|null}
	 */
	let stroke = null;
	/** @type {WeakMap<Uint8Array, {canvas: HTMLCanvasElement, color: string}>} tinted mask per decoded mask */
	const tinted = new WeakMap();
	/** @type {HTMLCanvasElement|null} the stroke's own canvas while drawing a new region */
	let draft = null;
	let warned = "";
	let frame = 0;

	// the brush's size and mode, in the Image's bar
	const sizeEl = h("span", { class: "nblabel-brush-size", title: "brush size in image pixels ([ / ])" });
	const smaller = h("button", { type: "button", class: "nblabel-button", tabindex: "-1", title: "smaller brush ([)", "aria-label": "smaller brush" }, "−");
	const larger = h("button", { type: "button", class: "nblabel-button", tabindex: "-1", title: "larger brush (])", "aria-label": "larger brush" }, "+");
	const eraser = h("button", { type: "button", class: "nblabel-button nblabel-brush-erase", tabindex: "-1", title: "erase mode (e)", "aria-pressed": "false" }, "erase");
	const bar = h("span", { class: "nblabel-brush-bar", role: "group", "aria-label": "brush" }, smaller, sizeEl, larger, eraser);
	smaller.addEventListener("click", () => resize(-1));
	larger.addEventListener("click", () => resize(1));
	eraser.addEventListener("click", () => setErase(!erase));
	const toolbar = view.el.querySelector(".nblabel-image-tools");
	if (toolbar) toolbar.after(bar);
	else view.el.querySelector(".nblabel-image-bar")?.append(bar);

	// the brush outline under the pointer (natural px in the shape layer, so it follows zoom and pan)
	const ring = s("g", { class: "nblabel-brush-cursor" });
	ring.append(s("circle", { class: "is-outer" }), s("circle", { class: "is-inner" }));
	ring.style.display = "none";
	view.svg.append(ring);
	/** Is the brush the Image's current tool? (its button in the Image's toolbar is pressed) */
	const mine = () => {
		const name = view.el.querySelector('.nblabel-image-tool[aria-pressed="true"]')?.getAttribute("data-tool");
		const type = name ? store.makers.get(name) : null;
		return type === "brushlabels" || type === "brush";
	};
	/** @param {Pt|null} pt */
	function showRing(pt) {
		if (!pt || !natural().width || !mine()) {
			ring.style.display = "none";
			return;
		}
		const p = pixel(pt);
		const k = 1 / Math.max(view.scale(), 1e-6);
		for (const c of ring.children) {
			c.setAttribute("cx", String(p.x + 0.5));
			c.setAttribute("cy", String(p.y + 0.5));
			c.setAttribute("r", String(Math.max(current() / 2, 0.5)));
			c.setAttribute("stroke-width", String((c.classList.contains("is-outer") ? 3 : 1.2) * k));
		}
		ring.classList.toggle("is-erasing", erase);
		ring.style.display = "";
	}
	/** @type {Pt|null} */
	let hoverAt = null;
	view.el.addEventListener("pointermove", (e) => {
		const t = e.target instanceof Element ? e.target.closest(".nblabel-image-view") : null;
		hoverAt = t ? view.toNatural(e.clientX, e.clientY) : null;
		showRing(hoverAt);
	});
	view.el.addEventListener("pointerleave", () => showRing((hoverAt = null)));

	const natural = () => view.natural();
	const current = () => size || Math.max(4, Math.min(64, Math.round(Math.min(natural().width || 400, natural().height || 400) / 40)));

	function paintBar() {
		sizeEl.textContent = `${current()} px`;
		sizeEl.setAttribute("data-size", String(current()));
		eraser.setAttribute("aria-pressed", String(erase));
		bar.classList.toggle("is-erasing", erase);
	}
	paintBar();

	/** @param {number} dir */
	function resize(dir) {
		const cur = current();
		size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, cur + dir * Math.max(1, Math.round(cur * 0.2))));
		paintBar();
		showRing(hoverAt);
		view.hint(`Brush ${size} px.`);
	}

	/** @param {boolean} on */
	function setErase(on) {
		erase = on;
		paintBar();
		showRing(hoverAt);
		view.hint(on ? "Erase: drag over the selected (or last painted) brush region." : "Paint.");
	}

	/** @param {Region} r */
	const colorOf = (r) => store.colors.get(r.labels[0]) ?? DRAFT_COLOR;
	/** The colour of the label armed on the current brush control (a new stroke shows in it), else grey. */
	function armedColor() {
		const tool = view.el.querySelector('.nblabel-image-tool[aria-pressed="true"]')?.getAttribute("data-tool");
		const form = view.el.closest(".nblabel-canvas");
		const opt = tool && form ? form.querySelector(`.nblabel-labels[data-name="${CSS.escape(tool)}"] .nblabel-label.is-selected`) : null;
		return (opt instanceof HTMLElement && opt.style.getPropertyValue("--nbl-region")) || DRAFT_COLOR;
	}

	/** The tinted canvas of a region's mask (rebuilt when its mask or colour changes). @param {Uint8Array} alpha @param {string} color */
	function canvasOf(alpha, color) {
		const { width: w, height: hh } = natural();
		let t = tinted.get(alpha);
		if (!t || t.color !== color || t.canvas.width !== w || t.canvas.height !== hh) {
			const canvas = document.createElement("canvas");
			canvas.width = w;
			canvas.height = hh;
			tint(canvas, alpha, w, [0, 0, w - 1, hh - 1], color);
			t = { canvas, color };
			tinted.set(alpha, t);
		}
		return t.canvas;
	}

	function paint() {
		const { width: w, height: hh } = natural();
		const layer = view.layer("nblabel-brush-layer");
		const g = /** @type {CanvasRenderingContext2D} */ (layer.getContext("2d"));
		g.clearRect(0, 0, layer.width, layer.height);
		if (!w || !hh) return;
		const bad = [];
		for (const r of shown) {
			const editing = stroke?.target?.id === r.id;
			const alpha = editing && stroke ? stroke.alpha : maskOf(r.geom, w, hh);
			if (!alpha) {
				bad.push(r.geom._why);
				continue;
			}
			g.globalAlpha = r.id === selected ? 0.9 : 0.6;
			g.drawImage(canvasOf(alpha, colorOf(r)), 0, 0);
		}
		g.globalAlpha = 0.5;
		const pend = pending ? maskOf(pending, w, hh) : null;
		if (pend) g.drawImage(canvasOf(pend, DRAFT_COLOR), 0, 0);
		g.globalAlpha = 0.6;
		if (draft && stroke && !stroke.target) g.drawImage(draft, 0, 0);
		g.globalAlpha = 1;
		const why = bad.length ? `A brush region does not fit this ${w}×${hh} image (${bad[0]}); it is kept unchanged.` : "";
		if (why && why !== warned) view.hint(why);
		warned = why;
	}

	/** The region a stroke edits: the selected brush region here, else (erasing) the last painted one. */
	function target() {
		const sel = shown.find((r) => r.id === selected);
		if (sel) return sel;
		return erase ? (shown.find((r) => r.id === last) ?? null) : null;
	}

	/** @param {Pt} pt  a stroke point: a pixel index (the right / bottom edge is the last pixel) */
	function pixel(pt) {
		const { width: w, height: hh } = natural();
		return { x: Math.min(pt.x, w - 1), y: Math.min(pt.y, hh - 1) };
	}

	/** @param {Pt} a @param {Pt} b */
	function extend(a, b) {
		if (!stroke) return;
		const { width: w, height: hh } = natural();
		const box = stamp(stroke.alpha, w, hh, a, b, current() / 2, stroke.erase ? 0 : 255);
		if (!box) return;
		if (stroke.target) {
			const canvas = canvasOf(stroke.alpha, stroke.color);
			/** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")).clearRect(box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1);
			tint(canvas, stroke.alpha, w, box, stroke.color);
		} else if (draft) tint(draft, stroke.alpha, w, box, stroke.color);
		// pointer moves come faster than frames: repaint the layer once per frame while drawing
		if (!frame) frame = requestAnimationFrame(() => {
			frame = 0;
			if (stroke) paint();
		});
	}

	/** A finished stroke: the edited region gets the new mask, or a new region is proposed and joins its group. */
	function finish() {
		const st = stroke;
		stroke = null;
		draft = null;
		if (!st) return;
		const { width: w, height: hh } = natural();
		if (st.target) {
			if (!store.byId(st.target.id)) return paint();
			last = st.target.id;
			const geom = maskGeom(st.alpha, w, hh, view.page());
			if (geom._px === 0) {
				store.remove(st.target.id);
				view.hint("The brush region was erased: removed.");
				return;
			}
			view.update(st.target.id, { ...st.target.geom, ...geom }, true);
			return;
		}
		// strokes drawn before a label was picked add up (the pending grey mask grows)
		const pend = pending ? maskOf(pending, w, hh) : null;
		if (pend) for (let i = 0; i < pend.length; i++) if (pend[i]) st.alpha[i] = 255;
		const geom = maskGeom(st.alpha, w, hh, view.page());
		if (geom._px === 0) return paint();
		view.propose(geom);
		const made = store.items.find((r) => r.geom === geom);
		if (!made) return; // pending: waits for a label
		const key = `${made.from_name}\u0000${made.labels.join("\u0000")}`;
		const into = store.byId(groups.get(key) ?? null);
		const same = into && into.from_name === made.from_name && into.labels.join("\u0000") === made.labels.join("\u0000");
		if (into && same && into.to_name === made.to_name && (into.geom.page ?? 0) === view.page() && maskOf(into.geom, w, hh)) {
			const union = Uint8Array.from(/** @type {Uint8Array} */ (maskOf(into.geom, w, hh)));
			for (let i = 0; i < union.length; i++) if (st.alpha[i]) union[i] = 255;
			store.remove(made.id);
			view.update(into.id, { ...into.geom, ...maskGeom(union, w, hh, view.page()) }, true);
			last = into.id;
		} else {
			groups.set(key, made.id);
			last = made.id;
		}
	}

	return {
		paint(regions, sel, pend) {
			shown = regions;
			selected = sel;
			pending = pend;
			paintBar();
			paint();
		},
		down(pt, e) {
			const { width: w, height: hh } = natural();
			if (!w || !hh || e.button !== 0) return false;
			const t = target();
			const base = t ? maskOf(t.geom, w, hh) : null;
			if (t && !base) {
				view.hint(`This brush region cannot be edited: ${t.geom._why}.`);
				return false;
			}
			if (erase && !t) {
				view.hint("Nothing to erase: select a brush region first.");
				return false;
			}
			const alpha = base ? Uint8Array.from(base) : new Uint8Array(w * hh);
			stroke = { alpha, target: t, erase, at: pixel(pt), color: t ? colorOf(t) : armedColor() };
			if (!t) {
				draft = document.createElement("canvas");
				draft.width = w;
				draft.height = hh;
			}
			extend(stroke.at, stroke.at);
			return true;
		},
		move(pt) {
			if (!stroke) return;
			const p = pixel(pt);
			if (p.x === stroke.at.x && p.y === stroke.at.y) return;
			const a = stroke.at;
			stroke.at = p;
			extend(a, p);
		},
		up(pt) {
			if (!stroke) return;
			const p = pixel(pt);
			if (p.x !== stroke.at.x || p.y !== stroke.at.y) extend(stroke.at, p);
			finish();
		},
		key(e) {
			if (e.ctrlKey || e.metaKey || e.altKey) return false;
			if (e.code === "BracketLeft" || e.code === "BracketRight") {
				resize(e.code === "BracketLeft" ? -1 : 1);
				return true;
			}
			if (e.key === "e" || e.key === "E") {
				setErase(!erase);
				return true;
			}
			if (e.key === "n" || e.key === "N") {
				groups.clear();
				if (shown.some((r) => r.id === selected)) store.select(null); // a selected region would take the stroke
				view.hint("The next stroke starts a new region.");
				return true;
			}
			return false;
		},
		busy: () => Boolean(stroke),
		cancel() {
			stroke = null;
			draft = null;
		},
	};
}
