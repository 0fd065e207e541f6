// The Image object (also multipage: `valueList="$pages"`, and the page images of a Pdf). Rules:
// - the DOM is built once per config; a task only swaps the `<img>` source, resets zoom and repaints regions;
// - media comes through `ctx.media(value, "image")` (safe URLs, local bytes from Python); a rejected or failed load is
//   a `.nblabel-media-error` in place and labeling goes on (other controls still answer; prefilled regions are kept);
// - images are only ever drawn by `<img>` (SVG cannot run scripts there); shapes are an SVG layer whose viewBox is the
//   natural pixel size, so a region is painted in natural px and zoom / pan is one CSS transform on the stage;
// - regions keep Label Studio's units (percent, degrees; see shapes/registry.js); `original_width/height`,
//   `image_rotation` and `item_index` (valueList) are written beside `value` through the store's `topLevel`;
// - the current tool is the label control whose label is armed, else the tool last picked (toolbar / tool control).
//   A finished drawing becomes a region at once when a label is armed (or the tool has no labels), else it waits,
//   dashed, for a digit / label click — the same select-then-label flow as text spans.

import { registerKeys } from "../../legend.js";
import { mediaError, safeMediaUrl } from "../media.js";
import { ImageStage } from "./image_stage.js";
import { imageValues, scriptedSvg, shortUrl } from "./image_values.js";
import { kindOfItem, s, TOOLS } from "./shapes/registry.js";
import { attr, h, isEmptyValue, regionId, resolve } from "../util.js";
import "./shapes/rect.js";
import "./shapes/polygon.js";
import "./shapes/keypoint.js";
import "./shapes/ellipse.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */
/** @typedef {import("../regions.js").RegionStore} RegionStore */
/** @typedef {import("../regions.js").OverlayLayer} OverlayLayer */
/** @typedef {import("./shapes/registry.js").Geom} Geom */
/** @typedef {import("./shapes/registry.js").ToolInstance} ToolInstance */
/** @typedef {import("./shapes/registry.js").ImageView} ImageView */

/**
 * @typedef {object} ImageOptions
 * @property {(task: import("../../types.js").Task) => unknown[]|null} [pages]   media values, one per page (Pdf)
 * @property {"item_index"|"pageIndex"} [pageKey]   where a region's page is written: top-level `item_index` (Image
 *   valueList, the default) or `value.pageIndex` (OcrLabels on Pdf)
 */

/**
 * What tool controls reach of an Image (js/render/shapes/tools.js).
 * @typedef {object} ImageHandle
 * @property {(control: string) => void} setTool
 * @property {() => void} sync    a label was armed / disarmed: follow it with the current tool
 */

/** @type {WeakMap<RegionStore, Map<string, ImageHandle>>} */
const HANDLES = new WeakMap();

/** The Image named `name` in this form, if it is one. @param {RegionStore} store @param {string} name */
export function imageHandle(store, name) {
	return HANDLES.get(store)?.get(name) ?? null;
}

registerKeys("Image", [
	["Drag / click", "Draw with the current tool (pick a label first, or label the dashed shape after)"],
	["← → ↑ ↓", "Move the selected image region one pixel (⇧: ten)"],
	["[ / ]", "Rotate the selected box or ellipse (⇧: 15°)"],
	["⏎ / ⌫", "Polygon: close it / remove the last point"],
	["+ / − / f", "Zoom in / out / fit (Ctrl+wheel zooms at the pointer; wheel, Alt+drag or middle-drag pans)"],
	["⇧+drag", "Draw over an existing region (a plain drag on a region moves it)"],
	["PgUp / PgDn", "Previous / next page of a multipage image"],
]);

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @param {ImageOptions} [opts]
 * @returns {Built}
 */
export function buildImage(node, ctx, opts = {}) {
	const name = attr(node, "name") ?? "";
	const valueAttr = attr(node, "value");
	const listAttr = attr(node, "valueList");
	const multipage = Boolean(listAttr || opts.pages);
	const pageKey = opts.pageKey ?? "item_index";
	const store = ctx.regions;

	const toolsEl = h("span", { class: "nblabel-image-tools", role: "toolbar", "aria-label": `${name} tools` });
	const prev = h("button", { type: "button", class: "nblabel-button nblabel-image-prev", tabindex: "-1", title: "previous page (PgUp)" }, "‹");
	const next = h("button", { type: "button", class: "nblabel-button nblabel-image-next", tabindex: "-1", title: "next page (PgDn)" }, "›");
	const pageNo = h("span", { class: "nblabel-image-page" });
	const pager = h("span", { class: "nblabel-image-pager" }, prev, pageNo, next);
	pager.hidden = !multipage;
	const stage = new ImageStage(name, attr(node, "alt") ?? name, { upscale: attr(node, "width") !== undefined });
	const errorSlot = h("div", { class: "nblabel-image-error" });
	const bar = h("div", { class: "nblabel-image-bar" }, toolsEl, pager);
	bar.hidden = !multipage;
	const el = h("div", { class: "nblabel-image", "data-name": name }, bar, stage.frame, errorSlot);
	ctx.watchVisibility(node, el);
	// review mode: other annotators' shapes, outlined in their colour, first in the layer so the editable ones are on top
	const overlayG = s("g", { class: "nblabel-overlays" });
	stage.svg.prepend(overlayG);
	/** @type {OverlayLayer[]} */
	let overlays = [];

	/** @type {unknown[]} */
	let values = [];
	let page = 0;
	/** @type {Map<number, {width: number, height: number}>} natural sizes of the pages loaded for this task */
	let sizes = new Map();
	let token = 0;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {Geom|null} */
	let pending = null;
	/** @type {string|null} tool control that drew `pending` */
	let pendingTool = null;
	/** @type {{name: string, type: string, kind: string}[]} tool controls on this image (config order) */
	let tools = [];
	/** @type {Map<string, ToolInstance>} kind → instance */
	const instances = new Map();
	/** @type {{name: string, type: string, kind: string}|null} */
	let current = null;
	/** @type {ToolInstance|null} the instance holding the pointer (edit or drawing) */
	let captured = null;

	/** @type {ImageView} */
	const view = {
		name,
		el,
		store,
		natural: () => stage.size,
		page: () => page,
		scale: () => stage.scale(),
		layer: (cls) => stage.layer(cls),
		svg: stage.svg,
		toNatural: (x, y) => stage.toNatural(x, y, true),
		propose,
		update(id, geom, done) {
			const r = store.byId(id);
			if (!r) return;
			const { _pre, ...edited } = geom; // an edited region is written like a new one (all top-level keys)
			r.geom = edited;
			r.text = TOOLS.get(geom.shape)?.describe(geom) ?? r.text;
			if (done) store.changed();
			else repaint();
		},
		hint: ctx.hint,
		repaint: () => repaint(),
	};
	stage.onLayout = () => repaint();

	/** Tool controls are known once the whole config is built: the first task builds the toolbar. */
	function ensureTools() {
		if (instances.size || tools.length) return;
		for (const [control, targets] of store.targets) {
			const type = store.makers.get(control) ?? "";
			const kind = kindOfItem(type, {});
			if (!targets.includes(name) || !kind || !TOOLS.has(kind)) continue;
			tools.push({ name: control, type, kind });
			if (!instances.has(kind)) instances.set(kind, /** @type {any} */ (TOOLS.get(kind)).create(view));
		}
		toolsEl.replaceChildren(
			...tools.map((t) => {
				const b = h("button", { type: "button", class: "nblabel-button nblabel-image-tool", tabindex: "-1", "data-tool": t.name, title: `${t.name}: ${TOOLS.get(t.kind)?.verb}` },
					h("span", { class: "nblabel-image-tool-icon", "aria-hidden": "true" }, TOOLS.get(t.kind)?.icon ?? ""), t.name);
				b.addEventListener("click", () => setTool(t.name));
				return b;
			}),
		);
		toolsEl.hidden = tools.length === 0;
		bar.hidden = !tools.length && !multipage;
		current = tools[0] ?? null;
		paintTools();
	}

	function paintTools() {
		for (const b of toolsEl.children) b.setAttribute("aria-pressed", String(b.getAttribute("data-tool") === current?.name));
		stage.view.classList.toggle("has-tool", Boolean(current));
	}

	/** @param {string} control */
	function setTool(control) {
		const t = tools.find((x) => x.name === control);
		if (!t || t === current) return;
		for (const inst of instances.values()) inst.cancel?.();
		current = t;
		paintTools();
		ctx.hint(`${t.name}: ${TOOLS.get(t.kind)?.verb}.`);
	}

	function followArmed() {
		const armed = ctx.armedMaker(name);
		if (armed && tools.some((t) => t.name === armed)) setTool(armed);
	}

	/** A finished drawing on the current tool. @param {Geom} geom */
	function propose(geom) {
		pending = geom;
		pendingTool = current?.name ?? null;
		const before = store.items.length;
		if (ctx.armedMaker(name) && ctx.selectionMade(name)) return created(before);
		const plain = current && !current.type.endsWith("labels");
		const labelled = [...store.targets].some(([c, t]) => t.includes(name) && store.makers.get(c) === "labels");
		if (plain && current && !labelled) {
			store.add({ id: regionId(), from_name: current.name, to_name: name, type: current.type, labels: [], geom, text: TOOLS.get(geom.shape)?.describe(geom) ?? "", per: new Map() });
			pending = null;
			return created(before);
		}
		repaint();
		ctx.hint("Now press a label key (or click a label) to label the dashed shape.");
	}

	/** After a region was made: select it when it has per-region fields to fill (OCR transcription). @param {number} before */
	function created(before) {
		pending = null;
		const r = store.items.length > before ? store.items[store.items.length - 1] : null;
		if (r && el.closest(".nblabel-canvas")?.querySelector(".nblabel-per-region > .nblabel-control")) store.select(r.id);
		else repaint();
	}

	function repaint() {
		// nothing to draw before the page's picture has its size (the load repaints)
		const onPage = stage.size.width ? shown.filter((r) => (r.geom.page ?? 0) === page) : [];
		const pend = pending && pending.page === page ? pending : null;
		for (const [kind, inst] of instances) inst.paint(onPage.filter((r) => r.geom.shape === kind), selected, pend?.shape === kind ? pend : null);
		paintOverlays();
	}

	function paintOverlays() {
		const size = stage.size;
		const k = 1 / Math.max(stage.scale(), 1e-6);
		/** @type {SVGElement[]} */
		const out = [];
		if (size.width) {
			for (const layer of overlays) {
				for (const r of layer.regions) {
					const outline = (r.geom.page ?? 0) === page ? TOOLS.get(r.geom.shape)?.outline : undefined;
					if (!outline) continue;
					const shape = outline(r.geom, size, k);
					shape.setAttribute("class", `nblabel-overlay nblabel-overlay-${r.geom.shape}`);
					shape.setAttribute("data-annotator-slot", String(layer.slot));
					shape.style.setProperty("--nbl-annotator", layer.color);
					out.push(shape);
				}
			}
		}
		overlayG.replaceChildren(...out);
	}

	/** Show page `i` of the task's images. @param {number} i */
	function showPage(i) {
		page = Math.max(0, Math.min(values.length - 1, i));
		for (const inst of instances.values()) inst.cancel?.();
		const label = `${page + 1} / ${values.length}`;
		if (pageNo.textContent !== label) pageNo.textContent = label; // unchanged text: no re-layout of the bar
		prev.disabled = page <= 0;
		next.disabled = page >= values.length - 1;
		if (errorSlot.firstChild) errorSlot.replaceChildren();
		const mine = ++token;
		const v = values[page];
		if (isEmptyValue(v)) return fail("no image in this task");
		// a URL (checked as `ctx.media` checks it) whose picture the browser holds already — prefetched and decoded by
		// media_cache.js — is shown now: the key's frame has the picture, and its regions are painted once, on it
		const direct = typeof v === "string" ? safeMediaUrl(v, "image") : null;
		if (direct && !scriptedSvg(direct)) {
			const size = stage.showNow(direct);
			if (size) {
				sizes.set(page, size);
				return repaint();
			}
		}
		stage.loading();
		ctx.media(v, "image").then(
			(url) => {
				if (mine !== token) return;
				if (scriptedSvg(url)) return fail("refused an SVG image that carries scripts");
				stage.show(url).then(
					(size) => {
						if (mine !== token) return;
						sizes.set(page, size);
						repaint();
					},
					() => mine === token && fail(`could not load the image ${shortUrl(url)}`),
				);
			},
			(err) => mine === token && fail(String(err?.message ?? err)),
		);
	}

	/** @param {string} message */
	function fail(message) {
		stage.hide();
		errorSlot.replaceChildren(mediaError(message));
	}

	prev.addEventListener("click", () => showPage(page - 1));
	next.addEventListener("click", () => showPage(page + 1));

	// pointer: regions (select, move, handles) unless a label is armed or Shift is held; else the current tool
	stage.onPointer = {
		down(e, pt) {
			followArmed();
			const inst = current ? instances.get(current.kind) : null;
			const target = e.target instanceof Element ? e.target.closest("[data-region]") : null;
			const id = target?.getAttribute("data-region") ?? null;
			const region = id ? store.byId(id) : null;
			const handle = target?.getAttribute("data-handle") ?? null;
			// a handle always edits; a region's body selects / moves it unless a label is armed or Shift is held (draw over it)
			if (region && !inst?.busy?.() && (handle || (!e.shiftKey && !ctx.armedMaker(name)))) {
				if (store.selected !== region.id) ctx.regionClicked(region.id);
				const owner = instances.get(region.geom.shape);
				if (owner?.grab?.(region, handle, pt, e)) captured = owner;
				return Boolean(captured);
			}
			if (!inst?.down) {
				if (store.selected) store.select(null);
				return false;
			}
			captured = inst.down(pt, e) ? inst : null;
			return Boolean(captured);
		},
		move(e, pt) {
			(captured ?? (current ? instances.get(current.kind) : null))?.move?.(pt, e);
		},
		up(e, pt) {
			const c = captured;
			captured = null;
			c?.up?.(pt, e);
		},
	};

	store.objects.set(name, {
		name,
		verb: "draw on the image",
		paint(regions, sel) {
			shown = regions;
			const changed = sel !== selected;
			selected = sel;
			const r = changed && sel ? regions.find((x) => x.id === sel) : null;
			if (r && multipage && (r.geom.page ?? 0) !== page) showPage(r.geom.page ?? 0);
			repaint();
		},
		overlay(layers) {
			overlays = layers;
			paintOverlays();
		},
		...imageValues({ multipage, pageKey, size: (page) => sizes.get(page) }),
		takePending(control) {
			if (!pending) return null;
			const kind = control ? kindOfItem(store.makers.get(control) ?? "", {}) : null;
			if (kind && kind !== pending.shape) return null; // another tool's label: it arms instead
			const geom = kind || !pendingTool ? pending : { ...pending, _tool: pendingTool };
			pending = null;
			repaint();
			return { object: name, geom, text: TOOLS.get(geom.shape)?.describe(geom) ?? "" };
		},
		adopt(region) {
			// a generic <Labels> labelled a plain tool's shape: Label Studio's split format, the tool item rides in `per`
			const tool = region.geom._tool;
			if (!tool) return;
			const { _tool, ...geom } = region.geom;
			region.geom = geom;
			region.per.set(tool, { type: store.makers.get(tool) ?? "", value: {} });
		},
		key: (e) => imageKey(e),
	});

	/** Keys the tool controls hand over (before the key map): drawing keys, nudge / rotate the selected region. @param {KeyboardEvent} e */
	function imageKey(e) {
		if (el.closest(".nblabel-hidden")) return false;
		const inst = current ? instances.get(current.kind) : null;
		if (inst?.key?.(e)) return true;
		if (pending && (e.key === "Delete" || e.key === "Backspace")) {
			pending = null;
			repaint();
			return true;
		}
		const r = store.byId(store.selected);
		if (!r || r.to_name !== name || e.ctrlKey || e.metaKey || e.altKey || !sizes.get(r.geom.page ?? 0)) return false;
		const def = TOOLS.get(r.geom.shape);
		const size = /** @type {{width: number, height: number}} */ (sizes.get(r.geom.page ?? 0));
		const step = e.shiftKey ? 10 : 1;
		const arrows = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
		const d = arrows[/** @type {keyof typeof arrows} */ (e.key)];
		if (d && def?.move) {
			view.update(r.id, def.move(r.geom, d[0], d[1], size), true);
			return true;
		}
		const turn = e.code === "BracketLeft" ? -1 : e.code === "BracketRight" ? 1 : 0;
		if (turn && def?.rotate) {
			view.update(r.id, def.rotate(r.geom, turn * (e.shiftKey ? 15 : 1), size), true);
			return true;
		}
		return false;
	}

	ctx.onKey(el, (e) => {
		if (e.ctrlKey || e.metaKey || e.altKey) return false;
		if (e.key === "+" || e.key === "=") return stage.zoomBy(1.25), true;
		if (e.key === "-" || e.key === "_") return stage.zoomBy(0.8), true;
		if (e.key.toLowerCase() === "f" && !e.shiftKey) return stage.fit(), true;
		if (multipage && (e.key === "PageDown" || e.key === "PageUp")) return showPage(page + (e.key === "PageDown" ? 1 : -1)), true;
		return false;
	});

	let handles = HANDLES.get(store);
	if (!handles) HANDLES.set(store, (handles = new Map()));
	handles.set(name, { setTool, sync: followArmed });

	return {
		el,
		update(task) {
			ensureTools();
			const list = opts.pages ? opts.pages(task) : listAttr ? resolve(listAttr, task.data) : null;
			values = multipage ? (Array.isArray(list) ? list : isEmptyValue(list) ? [] : [list]) : [resolve(valueAttr, task.data)];
			if (!values.length) values = [null];
			sizes = new Map();
			pending = null;
			shown = [];
			selected = null;
			overlays = [];
			for (const inst of instances.values()) inst.cancel?.();
			stage.reset();
			showPage(0);
		},
	};
}
