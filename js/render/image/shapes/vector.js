// Vector region tools (rectangle, ellipse, polygon, keypoint) share one pattern: a shape is described in natural
// pixels (`toPx` / `fromPx`), painted as one SVG element in the Image's shape layer (viewBox = natural px, so zoom and
// pan cost nothing here), edited by dragging its body or a handle, and drawn in one of three ways: a drag box, a
// click, or a click per point. Rules: pixels are snapped to whole natural pixels by the Image before they get here;
// geometry goes back to percent only in `fromPx`, which keeps every key it does not own (a prefill's `closed`…).

import { clamp, registerTool, s } from "./registry.js";

/** @typedef {import("./registry.js").Geom} Geom */
/** @typedef {import("./registry.js").Pt} Pt */
/** @typedef {import("./registry.js").Size} Size */
/** @typedef {import("./registry.js").ImageView} ImageView */
/** @typedef {import("../../regions.js").Region} Region */

/**
 * @typedef {object} VectorSpec
 * @property {string} kind
 * @property {string[]} tags
 * @property {string[]} types
 * @property {string} icon
 * @property {string} verb
 * @property {"box"|"click"|"points"} mode
 * @property {(value: Record<string, any>) => boolean} valid   LS value has this kind's keys
 * @property {(geom: Geom, size: Size) => any} toPx
 * @property {(p: any, size: Size, old: Geom) => Geom} fromPx
 * @property {(p: any, k: number) => SVGElement} element     `k`: natural px per screen px (for sizes that stay on screen)
 * @property {(p: any, k: number) => {id: string, x: number, y: number, stem?: Pt}[]} handles   `stem`: a line to the shape (rotation)
 * @property {(p: any, id: string, pt: Pt, e: PointerEvent) => any} drag
 * @property {(p: any, dx: number, dy: number) => any} shift
 * @property {(p: any) => [number, number, number, number]} bbox   natural px
 * @property {(a: Pt, b: Pt, k: number) => any} [box]       box / click drawing: the shape from two corners (click: a = b)
 * @property {(p: any, deg: number) => any} [turnBy]
 * @property {(geom: Geom) => string} describe
 * @property {(p: any) => Pt & {dx?: number}} anchor       where the label text goes (`dx`: screen px to the right)
 */

/** @param {VectorSpec} spec */
export function registerVector(spec) {
	registerTool({
		kind: spec.kind,
		tags: spec.tags,
		types: spec.types,
		icon: spec.icon,
		verb: spec.verb,
		describe: spec.describe,
		fromValue: (v) => (spec.valid(v) ? { ...v } : null),
		toValue: ({ shape, page, ...value }) => value,
		move(geom, dx, dy, size) {
			return moveWithin(spec, geom, dx, dy, /** @type {Size} */ (size));
		},
		rotate: spec.turnBy
			? (geom, deg, size) => spec.fromPx(/** @type {NonNullable<VectorSpec["turnBy"]>} */ (spec.turnBy)(spec.toPx(geom, size), deg), size, geom)
			: undefined,
		create: (view) => vectorInstance(spec, view),
		outline: (geom, size, k) => spec.element(spec.toPx(geom, size), k),
	});
}

/** `geom` moved by (dx, dy) natural px, kept inside the image. @param {VectorSpec} spec @param {Geom} geom @param {number} dx @param {number} dy @param {Size} size */
function moveWithin(spec, geom, dx, dy, size) {
	const p = spec.toPx(geom, size);
	const [x0, y0, x1, y1] = spec.bbox(p);
	const mx = clamp(dx, Math.min(0, -x0), Math.max(0, size.width - x1));
	const my = clamp(dy, Math.min(0, -y0), Math.max(0, size.height - y1));
	return spec.fromPx(spec.shift(p, mx, my), size, geom);
}

/** @param {VectorSpec} spec @param {ImageView} view @returns {import("./registry.js").ToolInstance} */
function vectorInstance(spec, view) {
	const g = s("g", { class: `nblabel-shapes nblabel-shapes-${spec.kind}` });
	view.svg.append(g);
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {Geom|null} */
	let pending = null;
	/** @type {{a: Pt, b: Pt}|null} box being dragged */
	let boxing = null;
	/** @type {Pt[]|null} polygon being clicked */
	let points = null;
	/** @type {Pt|null} */
	let hover = null;
	/** @type {{id: string, handle: string|null, start: Pt, geom: Geom, moved: boolean}|null} */
	let edit = null;

	const size = () => view.natural();
	const k = () => 1 / Math.max(view.scale(), 1e-6);

	function paint() {
		const kk = k();
		/** @type {SVGElement[]} */
		const out = [];
		// label text on the picture: for every region while they are few, else for the selected one (SVG text is the
		// costly part of a repaint; the region list names them all)
		const named = shown.length <= 12;
		for (const r of shown) {
			const p = spec.toPx(r.geom, size());
			const el = spec.element(p, kk);
			el.setAttribute("data-region", r.id);
			el.setAttribute("class", `nblabel-shape${r.id === selected ? " is-selected" : ""}`);
			el.style.setProperty("--nbl-region", view.store.colors.get(r.labels[0]) ?? "var(--nbl-accent)");
			out.push(el);
			if (r.labels.length && (named || r.id === selected)) {
				const a = spec.anchor(p);
				const t = s("text", { x: a.x + (a.dx ?? 0) * kk, y: a.y - 4 * kk, class: "nblabel-shape-label", "font-size": 11 * kk });
				t.textContent = r.labels.join(", ");
				t.style.setProperty("--nbl-region", view.store.colors.get(r.labels[0]) ?? "var(--nbl-accent)");
				out.push(t);
			}
		}
		const sel = shown.find((r) => r.id === selected);
		if (sel) {
			for (const hd of spec.handles(spec.toPx(sel.geom, size()), kk)) {
				if (hd.stem) out.push(s("line", { x1: hd.stem.x, y1: hd.stem.y, x2: hd.x, y2: hd.y, class: "nblabel-handle-stem" }));
				const c = s("circle", { cx: hd.x, cy: hd.y, r: 5 * kk, class: `nblabel-handle${hd.id === "rot" ? " is-rotate" : ""}`, "data-region": sel.id, "data-handle": hd.id });
				out.push(c);
			}
		}
		const draft = boxing && spec.box ? spec.box(boxing.a, boxing.b, kk) : null;
		if (draft) out.push(withClass(spec.element(draft, kk), "nblabel-shape is-draft"));
		if (pending) out.push(withClass(spec.element(spec.toPx(pending, size()), kk), "nblabel-shape is-pending"));
		if (points) {
			const pts = hover ? [...points, hover] : points;
			out.push(s("polyline", { points: pts.map((p) => `${p.x},${p.y}`).join(" "), class: "nblabel-shape is-draft" }));
			out.push(...points.map((p, i) => s("circle", { cx: p.x, cy: p.y, r: (i === 0 ? 5 : 3) * kk, class: "nblabel-handle is-vertex" })));
		}
		g.replaceChildren(...out);
	}

	function finishPolygon() {
		if (!points || points.length < 3) return false;
		const p = { pts: points.map((q) => [q.x, q.y]) };
		points = null;
		hover = null;
		view.propose({ ...spec.fromPx(p, size(), { closed: true }), shape: spec.kind, page: view.page() });
		return true;
	}

	return {
		paint(regions, sel, pend) {
			shown = regions;
			selected = sel;
			pending = pend;
			paint();
		},
		down(pt, e) {
			if (spec.mode === "click") {
				view.propose({ ...spec.fromPx(/** @type {any} */ (spec.box)(pt, pt, k()), size(), {}), shape: spec.kind, page: view.page() });
				return false;
			}
			if (spec.mode === "box") {
				boxing = { a: pt, b: pt };
				paint();
				return true;
			}
			if (!points) points = [pt];
			else {
				const first = points[0];
				if (points.length >= 3 && Math.hypot(first.x - pt.x, first.y - pt.y) <= 8 * k()) finishPolygon();
				else points.push(pt);
			}
			if (!e.shiftKey) view.hint("Click to add points; click the first point or press Enter to close (⌫ removes the last point).");
			paint();
			return false;
		},
		move(pt, e) {
			if (edit) {
				const region = view.store.byId(edit.id);
				if (!region) return;
				const p0 = spec.toPx(edit.geom, size());
				const p = edit.handle ? spec.drag(p0, edit.handle, pt, e) : null;
				const geom = p ? spec.fromPx(p, size(), edit.geom) : moveWithin(spec, edit.geom, pt.x - edit.start.x, pt.y - edit.start.y, size());
				edit.moved = true;
				view.update(edit.id, geom, false);
			} else if (boxing) {
				boxing.b = pt;
				paint();
			} else if (points) {
				hover = pt;
				paint();
			}
		},
		up(pt) {
			if (edit) {
				const done = edit;
				edit = null;
				const region = view.store.byId(done.id);
				if (region && done.moved) view.update(done.id, region.geom, true);
				return;
			}
			if (!boxing) return;
			const { a } = boxing;
			boxing = null;
			const kk = k();
			if (Math.abs(pt.x - a.x) < 3 * kk || Math.abs(pt.y - a.y) < 3 * kk || !spec.box) {
				paint();
				if (view.store.selected) view.store.select(null); // a click on the empty image clears the selection
				return;
			}
			view.propose({ ...spec.fromPx(spec.box(a, pt, kk), size(), {}), shape: spec.kind, page: view.page() });
		},
		busy: () => Boolean(points),
		grab(region, handle, pt) {
			edit = { id: region.id, handle, start: pt, geom: region.geom, moved: false };
			return true;
		},
		key(e) {
			if (!points) return false;
			if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) return finishPolygon() || true;
			if (e.key === "Backspace" || e.key === "Delete") {
				points.pop();
				if (!points.length) points = null;
				paint();
				return true;
			}
			return false;
		},
		cancel() {
			boxing = null;
			points = null;
			hover = null;
			edit = null;
		},
	};
}

/** @template {SVGElement} T @param {T} el @param {string} cls @returns {T} */
function withClass(el, cls) {
	el.setAttribute("class", cls);
	return el;
}
