// Regions of one task (spans on Text / HyperText / Paragraphs) and the relations between them. Rule: one store per
// form owns every region; objects only paint what the store tells them and report selections, label controls only
// create / relabel through it. A region is kept in the object's own coordinates (UTF-16 for text, what the DOM
// gives) and converted to Label Studio's value by the object that owns it (`toValue` / `fromValue`), so offsets are
// converted in exactly one place per object. Per-region controls (`perRegion="true"`) keep one value per region,
// written under the region's id like the Label Studio editor does.

import { h } from "./util.js";

/** @typedef {import("../types.js").ResultItem} ResultItem */

/**
 * @typedef {object} Region
 * @property {string} id
 * @property {string} from_name     the labels control
 * @property {string} to_name       the object
 * @property {string} type          e.g. "labels", "hypertextlabels", "paragraphlabels"
 * @property {string[]} labels
 * @property {Record<string, any>} geom   object coordinates (e.g. {start, end} in UTF-16 units)
 * @property {string} text          the covered text, for lists and the `text` key
 * @property {Map<string, {type: string, value: Record<string, any>}>} per   per-region control values by control name
 * @property {number} [score]    a suggested region's own score (shown in the region list; not submitted)
 */

/**
 * @typedef {object} Relation
 * @property {string} from_id
 * @property {string} to_id
 * @property {"left"|"right"|"bi"} direction
 * @property {string[]} labels
 */

/**
 * What the store needs from an object tag that holds regions.
 * @typedef {object} RegionObject
 * @property {string} name
 * @property {(regions: Region[], selected: string|null) => void} paint
 * @property {(geom: Record<string, any>) => Record<string, any>} toValue     geometry → LS value keys (+ text)
 * @property {(value: Record<string, any>, item?: ResultItem) => {geom: Record<string, any>, text: string, as?: Partial<Region>}|null} fromValue   `item`: the whole result item (top-level keys such as `original_length`); `as`: fields of the region that differ from the item's (Video: a `videorectangle` item is kept under its Labels control)
 * @property {(region: Region, item: ResultItem) => ResultItem} [asResult]   the item Label Studio writes for a region, given the default one (Video: Labels merged into the VideoRectangle result)
 * @property {(geom: Record<string, any>) => Record<string, any>} [topLevel]   keys written beside `value` on every item of the region (e.g. `original_length`)
 * @property {(control?: string) => {object: string, geom: Record<string, any>, text: string}|null} [takePending]   `control`: the label control asking (an Image refuses a shape of another tool)
 * @property {(region: Region) => void} [adopt]   adjust a region a label control is adding on this object (Image: split format)
 * @property {(e: KeyboardEvent) => boolean} [key]   keys taken before the key map (Image: arrows nudge the selected region)
 * @property {string} [verb]   what the user does to make a region here, for hints ("draw on the image"; default "select text")
 * @property {(e: KeyboardEvent) => boolean} [nav]   keyboard selection keys
 * @property {() => boolean} [ready]   false while the object is still preparing its content (a big page): its
 *   regions wait in the store until it calls `resume`
 * @property {(layers: OverlayLayer[]) => void} [overlay]   review mode: draw other annotators' regions read-only, under
 *   the editable ones, never hit by the pointer (an empty list clears them)
 */

/**
 * One annotator's regions on one object, as review mode overlays them.
 * @typedef {{slot: number, who: string, color: string, regions: Region[]}} OverlayLayer
 */

/**
 * One annotator's whole answer for the overlays: `slot` is the annotator's fixed place (colour, underline lane).
 * @typedef {{slot: number, who: string, color: string, result: ResultItem[]}} OverlaySource
 */

export class RegionStore {
	constructor() {
		/** @type {Region[]} */
		this.items = [];
		/** @type {Relation[]} */
		this.relations = [];
		/** @type {string|null} */
		this.selected = null;
		/** @type {Map<string, RegionObject>} */
		this.objects = new Map();
		/** @type {Set<() => void>} */
		this.listeners = new Set();
		/** @type {Map<string, string>} control name → LS type, for controls that make regions */
		this.makers = new Map();
		/** @type {Map<string, string[]>} control name → object names it labels */
		this.targets = new Map();
		/** @type {Map<string, {el: HTMLElement, items: () => any[], title: string}>} List objects, for Rankers */
		this.lists = new Map();
		/** @type {Map<string, string>} label value → colour */
		this.colors = new Map();
		/** @type {ResultItem[]} region items of objects not ready yet: kept as they came, submitted unchanged */
		this.deferred = [];
		/** @type {OverlaySource[]} review mode: the answers overlaid (never part of `result`) */
		this.overlays = [];
	}

	/**
	 * Review mode: overlay these answers' regions on their objects (read-only; `[]` clears). Each item is placed by
	 * its object's own `fromValue`, so an overlay sits exactly where the same region would be drawn editable.
	 * @param {OverlaySource[]} sources
	 */
	overlay(sources) {
		this.overlays = sources;
		for (const o of this.objects.values()) this.#overlayOn(o);
	}

	/** @param {RegionObject} obj */
	#overlayOn(obj) {
		if (!obj.overlay || (obj.ready && !obj.ready())) return;
		/** @type {OverlayLayer[]} */
		const layers = [];
		for (const src of this.overlays) {
			/** @type {Map<string, Region>} split-format items share an id: one shape per region */
			const mine = new Map();
			src.result.forEach((it, i) => {
				const key = it && it.to_name === obj.name ? this.makers.get(it.from_name) : undefined;
				const id = String(it?.id ?? `#${i}`);
				if (!key || it.type !== key || mine.has(id)) return;
				const region = toRegion(obj, { ...it, id }, key);
				if (region) mine.set(id, region);
			});
			if (mine.size) layers.push({ slot: src.slot, who: src.who, color: src.color, regions: [...mine.values()] });
		}
		obj.overlay(layers);
	}

	/** @param {() => void} fn */
	listen(fn) {
		this.listeners.add(fn);
	}

	changed() {
		for (const o of this.objects.values()) o.paint(this.items.filter((r) => r.to_name === o.name), this.selected);
		for (const fn of this.listeners) fn();
	}

	/** Does any label control make regions on object `name`? @param {string} name */
	objectTargeted(name) {
		return [...this.targets.values()].some((t) => t.includes(name));
	}

	/** @param {string|null} id */
	byId(id) {
		return this.items.find((r) => r.id === id) ?? null;
	}

	/** @param {Region} region */
	add(region) {
		this.objects.get(region.to_name)?.adopt?.(region);
		this.items.push(region);
		this.selected = null;
		this.changed();
	}

	/** @param {string} id */
	remove(id) {
		this.items = this.items.filter((r) => r.id !== id);
		this.relations = this.relations.filter((r) => r.from_id !== id && r.to_id !== id);
		if (this.selected === id) this.selected = null;
		this.changed();
	}

	/** @param {string|null} id */
	select(id) {
		this.selected = this.selected === id ? null : id;
		this.changed();
	}

	/** @param {string} from_id @param {string} to_id */
	link(from_id, to_id) {
		if (from_id === to_id || this.relations.some((r) => r.from_id === from_id && r.to_id === to_id)) return false;
		this.relations.push({ from_id, to_id, direction: "right", labels: [] });
		this.changed();
		return true;
	}

	/** @param {string} from_name @param {string} label */
	usages(from_name, label) {
		return this.items.filter((r) => r.from_name === from_name && (!label || r.labels.includes(label))).length;
	}

	/**
	 * Take the region items of `prefill` (region makers, relations, per-region values); return the rest.
	 * @param {ResultItem[]} prefill
	 * @param {Set<string>} perRegion  names of per-region controls
	 * @returns {ResultItem[]}
	 */
	load(prefill, perRegion) {
		this.items = [];
		this.relations = [];
		this.selected = null;
		this.deferred = [];
		/** @type {ResultItem[]} */
		const rest = [];
		const later = [];
		for (const it of prefill) {
			const obj = this.objects.get(it.to_name);
			const key = this.makers.get(it.from_name);
			if (it.type === "relation") this.relations.push(toRelation(it));
			else if (key && obj && it.type === key && it.id && obj.ready && !obj.ready()) this.deferred.push(it);
			else if (key && obj && it.type === key && it.id && this.byId(String(it.id))?.to_name === it.to_name) {
				joinSplit(/** @type {Region} */ (this.byId(String(it.id))), it, key);
			} else if (key && obj && it.type === key && it.id) {
				const region = toRegion(obj, it, key);
				if (!region) rest.push(it);
				else this.items.push(region);
			} else if (perRegion.has(it.from_name) && it.id) later.push(it);
			else rest.push(it);
		}
		for (const it of later) {
			const region = this.byId(String(it.id));
			if (region) region.per.set(it.from_name, { type: it.type, value: it.value ?? {} });
			else rest.push(it);
		}
		this.changed();
		return rest;
	}

	/** Object `name` is ready: its waiting regions join the others. @param {string} name */
	resume(name) {
		const obj = this.objects.get(name);
		const mine = this.deferred.filter((it) => it.to_name === name);
		this.deferred = this.deferred.filter((it) => it.to_name !== name);
		for (const it of mine) {
			const region = obj ? toRegion(obj, it, /** @type {string} */ (this.makers.get(it.from_name))) : null;
			if (region && !this.byId(region.id)) this.items.push(region);
		}
		this.changed();
		if (obj) this.#overlayOn(obj);
	}

	/** @returns {ResultItem[]} regions, their per-region values, then relations (the editor's order) */
	result() {
		/** @type {ResultItem[]} */
		const out = [...this.deferred];
		for (const r of this.items) {
			const obj = this.objects.get(r.to_name);
			if (!obj) continue;
			const geomValue = obj.toValue(r.geom);
			const top = obj.topLevel?.(r.geom) ?? {};
			const item = { ...top, id: r.id, from_name: r.from_name, to_name: r.to_name, type: r.type, value: r.type.endsWith("labels") ? { ...geomValue, [r.type]: r.labels } : geomValue };
			out.push(obj.asResult?.(r, item) ?? item);
			const { text, ...where } = geomValue;
			for (const [name, v] of r.per) out.push({ ...top, id: r.id, from_name: name, to_name: r.to_name, type: v.type, value: { ...where, ...v.value } });
		}
		for (const rel of this.relations) {
			/** @type {ResultItem} */
			const item = /** @type {any} */ ({ from_id: rel.from_id, to_id: rel.to_id, type: "relation", direction: rel.direction });
			if (rel.labels.length) item.labels = rel.labels;
			out.push(item);
		}
		return out;
	}

	/** A swatch + the region's labels and text, for lists. @param {Region} r */
	chip(r) {
		const color = this.colors.get(r.labels[0]) ?? "#888";
		const text = r.text.length > 60 ? `${r.text.slice(0, 57)}…` : r.text;
		const score = r.score === undefined ? null : h("span", { class: "nblabel-chip-score", title: "suggestion score" }, r.score.toFixed(2));
		const chip = h("span", { class: "nblabel-chip" }, h("span", { class: "nblabel-swatch" }), h("b", null, r.labels.join(", ") || "(no label)"), " ", h("span", { class: "nblabel-chip-text" }, text), score);
		chip.style.setProperty("--nbl-region", color);
		return chip;
	}
}

/**
 * Label Studio's split format (`<Rectangle>` + `<Labels>` on an Image): two items share a region id, a tool item
 * (`rectangle`, no label key) and a `labels` item. The region is kept under its labels item (so the Labels control
 * relabels it like any region) and the tool item rides along in `per`, written back beside it unchanged.
 * @param {Region} region  made from the first item of the id @param {ResultItem} it  the second @param {string} key
 */
function joinSplit(region, it, key) {
	const labels = Array.isArray(it.value?.[key]) ? it.value?.[key].map(String) : [];
	if (key.endsWith("labels") && !region.type.endsWith("labels")) {
		region.per.set(region.from_name, { type: region.type, value: {} });
		Object.assign(region, { from_name: it.from_name, type: key, labels });
	} else region.per.set(it.from_name, { type: it.type, value: key.endsWith("labels") ? { [key]: labels } : {} });
}

/** A region from its result item, or null when the object cannot place it.
 * @param {RegionObject} obj @param {ResultItem} it @param {string} key @returns {Region|null} */
function toRegion(obj, it, key) {
	const parsed = obj.fromValue(it.value ?? {}, it);
	if (!parsed) return null;
	const labels = it.value?.[key];
	return { id: String(it.id), from_name: it.from_name, to_name: it.to_name, type: key,
		labels: Array.isArray(labels) ? labels.map(String) : [], geom: parsed.geom, text: parsed.text, per: new Map(),
		score: typeof it.score === "number" && Number.isFinite(it.score) ? it.score : undefined, ...parsed.as };
}

/** @param {ResultItem} it @returns {Relation} */
function toRelation(it) {
	const d = it.direction;
	return { from_id: String(it.from_id), to_id: String(it.to_id), direction: d === "left" || d === "bi" ? d : "right",
		labels: Array.isArray(it.labels) ? it.labels.map(String) : [] };
}

/** Label colours the editor would pick when a Label has no `background`. */
export const PALETTE = ["#f97316", "#22c55e", "#3b82f6", "#a855f7", "#ef4444", "#14b8a6", "#eab308", "#ec4899", "#64748b", "#84cc16"];
