// Image region tools. Rule: a tool is a pure description of one region kind (rectangle, polygon, keypoint, ellipse,
// brush…) registered here once at module load; every Image builds one instance per kind it is targeted by. Geometry
// is kept in Label Studio's own units — percent (0–100) of the page's natural size, degrees — plus `shape` and `page`,
// so a prefilled region goes back byte-identical; only drawing converts natural pixels to percent (`pct`).

/** @typedef {import("../../regions.js").Region} Region */
/** @typedef {import("../../regions.js").RegionStore} RegionStore */

/**
 * Region geometry: the LS value keys (percent, degrees) + `shape` (the tool kind) + `page` (valueList index).
 * @typedef {Record<string, any>} Geom
 */

/** @typedef {{x: number, y: number}} Pt  a point in natural pixels of the shown page */
/** @typedef {{width: number, height: number}} Size */

/**
 * What a tool sees of one Image.
 * @typedef {object} ImageView
 * @property {string} name                  the Image's name
 * @property {HTMLElement} el
 * @property {RegionStore} store
 * @property {() => Size} natural           natural px of the shown page (0 × 0 before it loads)
 * @property {() => number} page            shown page index
 * @property {() => number} scale           screen px per natural px (zoom included)
 * @property {(className: string) => HTMLCanvasElement} layer   a canvas of natural size over the image, under the shapes
 * @property {SVGSVGElement} svg            the shape layer (viewBox = natural px)
 * @property {(clientX: number, clientY: number) => Pt} toNatural
 * @property {(geom: Geom) => void} propose  a finished drawing: a region now (label armed / plain tool) or a pending shape
 * @property {(id: string, geom: Geom, done: boolean) => void} update   new geometry of a region (`done`: end of an edit)
 * @property {(text: string) => void} hint
 * @property {() => void} repaint
 */

/**
 * A tool on one Image.
 * @typedef {object} ToolInstance
 * @property {(regions: Region[], selected: string|null, pending: Geom|null) => void} paint   regions of this kind on the shown page
 * @property {(pt: Pt, e: PointerEvent) => boolean} [down]   pointer down while this tool is current (true: captured)
 * @property {(pt: Pt, e: PointerEvent) => void} [move]
 * @property {(pt: Pt, e: PointerEvent) => void} [up]
 * @property {(e: KeyboardEvent) => boolean} [key]   keys while this tool is current (before region keys)
 * @property {() => void} [cancel]   drop a drawing in progress (tool switched, task or page changed)
 * @property {() => boolean} [busy]   a drawing is in progress (clicks go to the tool, not to the regions under it)
 * @property {(region: Region, handle: string|null, pt: Pt, e: PointerEvent) => boolean} [grab]   start editing a region of this kind (body or handle); move/up follow
 */

/**
 * @typedef {object} ToolDef
 * @property {string} kind
 * @property {string[]} tags       control tags drawing this kind (RectangleLabels, Rectangle, OcrLabels…)
 * @property {string[]} types      LS result types read back as this kind
 * @property {string} icon
 * @property {string} verb         for hints: "draw a box"
 * @property {(value: Record<string, any>) => Geom|null} fromValue   LS value → geometry (without shape/page)
 * @property {(geom: Geom) => Record<string, any>} toValue          geometry → LS value keys (label key added by the store)
 * @property {(geom: Geom) => string} describe                       short text for the region list
 * @property {(view: ImageView) => ToolInstance} create
 * @property {(geom: Geom, size: Size, k: number) => SVGElement} [outline]   the region's shape alone, in natural px
 *   (`k`: natural px per screen px), for read-only overlays
 * @property {(geom: Geom, dx: number, dy: number, size: Size) => Geom} [move]   shifted by dx, dy natural px, kept inside (arrow keys)
 * @property {(geom: Geom, deg: number, size: Size) => Geom} [rotate]   turned by `deg` about its centre ([ and ] keys)
 */

/** @type {Map<string, ToolDef>} kind → tool */
export const TOOLS = new Map();
/** @type {Map<string, string>} control tag → kind */
const BY_TAG = new Map();
/** @type {Map<string, string>} LS result type → kind */
const BY_TYPE = new Map();

/** @param {ToolDef} def */
export function registerTool(def) {
	TOOLS.set(def.kind, def);
	for (const t of def.tags) BY_TAG.set(t, def.kind);
	for (const t of def.types) BY_TYPE.set(t, def.kind);
}

/** @param {string} tag */
export const kindOfTag = (tag) => BY_TAG.get(tag) ?? null;

/** The kind of a result item: by type; the split format's `labels` item by its keys. @param {string} type @param {Record<string, any>} value */
export function kindOfItem(type, value) {
	const k = BY_TYPE.get(type);
	if (k) return k;
	if (type !== "labels") return null;
	if (Array.isArray(value.points)) return "polygon";
	if ("radiusX" in value) return "ellipse";
	if ("height" in value) return "rect";
	if ("rle" in value) return "brush";
	return "x" in value ? "keypoint" : null;
}

/** Natural px → percent of `size` (the one place drawing converts). @param {number} px @param {number} size */
export const pct = (px, size) => (px / size) * 100;

/** @param {number} v @param {number} lo @param {number} hi */
export const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** Degrees in [0, 360). @param {number} deg */
export const normDeg = (deg) => ((deg % 360) + 360) % 360;

/** `p` turned by `deg` about the origin. @param {number} x @param {number} y @param {number} deg @returns {[number, number]} */
export function turn(x, y, deg) {
	const a = (deg * Math.PI) / 180;
	return [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
}

const NS = "http://www.w3.org/2000/svg";

/**
 * An SVG element (attributes are numbers or config colours, never task text).
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag @param {Record<string, string|number|null|undefined>} [attrs]
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attrs = {}) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
	return el;
}
