// Controls that draw on an Image. Rules:
// - `RectangleLabels`, `PolygonLabels`, `KeyPointLabels`, `EllipseLabels`, `OcrLabels` (and B's `BrushLabels`) are the
//   Labels palette (labels.js: digits, hotkeys, arm / relabel, maxUsages, colours) — arming one of their labels makes
//   its shape the Image's current tool, and the hint says what to draw;
// - `Rectangle`, `Polygon`, `KeyPoint`, `Ellipse` (and `Brush`) are plain tools: one button that makes them current
//   (digit 1 while the control is active); their regions carry no label key, or Label Studio's split format when a
//   generic `<Labels>` labels the same image (`labels` item + tool item under one id);
// - both hand keys to their Images first (arrows nudge the selected region, [ ] rotate it, Enter / ⌫ while drawing a
//   polygon), because those keys are also key-map actions (← is "back") that must not fire while editing a shape.

import { buildLabels } from "../../controls/labels.js";
import { imageHandle } from "../image.js";
import { attr, boolAttr, h } from "../../util.js";
import { kindOfTag, TOOLS } from "./registry.js";

/** @typedef {import("../../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../../tree.js").BuildContext} BuildContext */
/** @typedef {import("../../tree.js").Control} Control */

/** @type {WeakMap<import("../../regions.js").RegionStore, Control[]>} shape label controls of a form */
const SHAPE_LABELS = new WeakMap();

/** @param {ConfigNode} node */
function toNames(node) {
	return (attr(node, "toName") ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}

/** Keys for the Images a control draws on. @param {BuildContext} ctx @param {string[]} targets @param {KeyboardEvent} e */
function imageKeys(ctx, targets, e) {
	return targets.some((t) => ctx.regions.objects.get(t)?.key?.(e) ?? false);
}

/**
 * RectangleLabels & co.: the Labels palette, wired to the Image's tools.
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildShapeLabels(node, ctx) {
	const c = buildLabels(node, ctx);
	const targets = toNames(node);
	const verb = TOOLS.get(kindOfTag(node.tag) ?? "")?.verb ?? "draw on the image";
	const mine = SHAPE_LABELS.get(ctx.regions) ?? [];
	SHAPE_LABELS.set(ctx.regions, [...mine, c]);
	const follow = () => {
		const armed = c.armed?.();
		if (armed) {
			// one armed shape label per image: arming Polygon's "Roof" disarms Keypoint's "Nose"
			for (const o of SHAPE_LABELS.get(ctx.regions) ?? []) if (o !== c && o.armed?.() && targets.includes(o.toName)) o.load(null, null, false);
		}
		for (const t of targets) imageHandle(ctx.regions, t)?.sync();
		const label = c.el.querySelector(".nblabel-label.is-selected .nblabel-option-label")?.textContent;
		if (armed && label) ctx.hint(`${label}: now ${verb}.`);
	};
	c.el.addEventListener("click", follow);
	const pick = c.pick;
	c.pick = (i) => {
		const done = pick(i);
		follow();
		return done;
	};
	const hotkey = c.hotkey;
	c.hotkey = (e) => {
		if (hotkey?.(e)) {
			follow();
			return true;
		}
		return imageKeys(ctx, targets, e);
	};
	return c;
}

/**
 * Rectangle, Polygon, KeyPoint, Ellipse (Brush): a tool button; regions come from drawing on the Image.
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildShapeTool(node, ctx) {
	const name = attr(node, "name") ?? "";
	const type = node.tag.toLowerCase();
	const targets = toNames(node);
	const store = ctx.regions;
	store.makers.set(name, type);
	store.targets.set(name, targets);
	const def = TOOLS.get(kindOfTag(node.tag) ?? "");
	const el = h("div", { class: "nblabel-control nblabel-shape-tool", "data-name": name });
	const button = h("div", { class: "nblabel-option nblabel-tool-button", role: "button", "data-option": "0", title: def?.verb ?? "" },
		h("span", { class: "nblabel-image-tool-icon", "aria-hidden": "true" }, def?.icon ?? "?"),
		h("span", { class: "nblabel-option-label" }, `${node.tag} (${name})`),
		h("kbd", { class: "nblabel-key", "aria-hidden": "true" }, "1"));
	el.append(button);
	const use = () => {
		for (const t of targets) imageHandle(store, t)?.setTool(name);
		return true;
	};
	button.addEventListener("click", use);
	/** @type {Control} */
	const control = {
		name,
		tag: node.tag,
		type,
		toName: targets[0] ?? "",
		el,
		required: boolAttr(node, "required"),
		field: null,
		optionCount: 1,
		load() {},
		value: () => null, // regions come out of the store
		pick: (i) => i === 0 && use(),
		hotkey: (e) => imageKeys(ctx, targets, e),
		selected: () => [],
		armed: () => null,
		empty: () => !store.items.some((r) => r.from_name === name || r.per.has(name)),
	};
	return control;
}
