// The brush (BrushLabels / Brush) on an Image: paint and erase a mask in natural image pixels. Rules:
// - a region is a mask of the page's natural size, one alpha byte per pixel (0 or 255); Label Studio stores it as
//   `{"format": "rle", "rle": [...]}` (js/render/image/rle.js) beside `original_width/height` and `image_rotation`; the
//   pixels, the stamp rule and the RLE kept per stroke are brush_mask.js, the size and mode brush_bar.js;
// - a stroke extends the selected brush region; otherwise it joins the stroke group of its label (one region per
//   label and control, like Label Studio's semantic segmentation) until `n` starts a new group; unlabelled strokes
//   add up to one grey pending mask that waits for a digit like any pending shape; a stroke shows in the armed
//   label's colour while drawn; erasing works on the selected region, else on the region last painted, and a region
//   erased to nothing is removed;
// - a prefilled region keeps its original bytes until it is painted on (also one that cannot be decoded: it is kept
//   as it came, not painted, and a hint says why).

import { registerKeys } from "../../legend.js";
import { BrushBar } from "./brush_bar.js";
import { maskGeom, maskOf, pixelOf, stamp, tint } from "./brush_mask.js";
import { registerTool } from "./shapes/registry.js";

/** @typedef {import("./shapes/registry.js").Geom} Geom */
/** @typedef {import("./shapes/registry.js").Pt} Pt */
/** @typedef {import("./shapes/registry.js").ImageView} ImageView */
/** @typedef {import("../regions.js").Region} Region */

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
	const bar = new BrushBar(view); // the brush's size and mode, in the Image's bar
	const natural = () => view.natural();

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
		return bar.erase ? (shown.find((r) => r.id === last) ?? null) : null;
	}

	/** @param {Pt} pt  a stroke point: a pixel index (the right / bottom edge is the last pixel) */
	const pixel = (pt) => pixelOf(pt, natural());

	/** @param {Pt} a @param {Pt} b */
	function extend(a, b) {
		if (!stroke) return;
		const { width: w, height: hh } = natural();
		const box = stamp(stroke.alpha, w, hh, a, b, bar.current() / 2, stroke.erase ? 0 : 255);
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
			bar.paint();
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
			if (bar.erase && !t) {
				view.hint("Nothing to erase: select a brush region first.");
				return false;
			}
			const alpha = base ? Uint8Array.from(base) : new Uint8Array(w * hh);
			stroke = { alpha, target: t, erase: bar.erase, at: pixel(pt), color: t ? colorOf(t) : armedColor() };
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
				bar.resize(e.code === "BracketLeft" ? -1 : 1);
				return true;
			}
			if (e.key === "e" || e.key === "E") {
				bar.setErase(!bar.erase);
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
