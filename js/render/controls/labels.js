// Labels, HyperTextLabels, ParagraphLabels: the label palette that turns selections into regions. Rules:
// - select, then label: a digit / hotkey / click on a label labels the object's pending selection (mouse or keyboard);
// - label, then select: with no pending selection a label is "armed" (pressed again: disarmed) and the next mouse
//   selection on the object becomes a region with it;
// - with a region selected, picking a label relabels that region (`choice="multiple"`: toggles it);
// - `maxUsages` (on the control or on one Label) refuses a region past the limit with a message;
// - colours: a Label's `background` when it parses as a CSS colour, else a fixed palette, shared with the objects
//   through the store (a `url()` there would reach every swatch and span through `--nbl-region`).

import { digitLabel, matches, parseBinding } from "../../keys.js";
import { PALETTE } from "../regions.js";
import { cssColor } from "../remote.js";
import { applyStyle, attr, boolAttr, descendants, firstToName, h, numAttr, regionId, resolve } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildLabels(node, ctx) {
	const name = attr(node, "name") ?? "";
	const type = node.tag.toLowerCase();
	const toName = firstToName(node);
	const multiple = (attr(node, "choice") ?? "single").toLowerCase() === "multiple";
	const maxUsages = numAttr(node, "maxUsages", 0);
	const store = ctx.regions;
	store.makers.set(name, type);
	store.targets.set(name, (attr(node, "toName") ?? "").split(",").map((t) => t.trim()).filter(Boolean));
	const el = h("div", { class: "nblabel-control nblabel-labels", "data-name": name });
	applyStyle(el, attr(node, "style"), ctx.remote);
	const inline = (attr(node, "showInline") ?? "true").toLowerCase() !== "false"; // Labels default to a row
	const list = h("div", { class: `nblabel-options${inline ? " is-inline" : ""}`, role: "toolbar", "aria-label": name });
	el.append(list);

	/** @param {ConfigNode} opt @param {number} i */
	const makeOption = (opt, i) => {
		const value = attr(opt, "value") ?? opt.text ?? "";
		const out = attr(opt, "alias") ?? value;
		const color = cssColor(attr(opt, "background")) ?? PALETTE[i % PALETTE.length];
		if (!store.colors.has(out)) store.colors.set(out, color);
		const hotkey = attr(opt, "hotkey");
		const item = h("div", { class: "nblabel-option nblabel-label", role: "button", "aria-pressed": "false", "data-option": i, title: attr(opt, "hint") },
			h("span", { class: "nblabel-swatch", "aria-hidden": "true" }),
			h("span", { class: "nblabel-option-label" }, value),
			hotkey ? h("kbd", { class: "nblabel-hotkey", title: "hotkey" }, hotkey) : null,
			digitLabel(i) ? h("kbd", { class: "nblabel-key", "aria-hidden": "true" }, digitLabel(i)) : null);
		item.style.setProperty("--nbl-region", color);
		applyStyle(item, attr(opt, "style"), ctx.remote);
		item.addEventListener("click", () => pick(i));
		list.append(item);
		return { value, out, el: item, max: numAttr(opt, "maxUsages", 0), binding: hotkey ? parseBinding(hotkey) : null };
	};
	const statics = descendants(node, "Label");
	let options = statics.map(makeOption);
	const dynamic = attr(node, "value");
	if (dynamic?.trim().startsWith("$")) {
		// labels from the task (`value="$objects"`): strings or {value, background?, hint?} (an `html` preview is not
		// shown: task HTML never becomes markup here), rebuilt for every task after the config's own <Label>s
		ctx.onTask((task) => {
			const got = resolve(dynamic, task.data);
			const extra = (Array.isArray(got) ? got : []).map((o) => labelNode(o && typeof o === "object" ? o : { value: o }));
			list.replaceChildren();
			armed = null;
			options = statics.concat(extra).map(makeOption);
			control.optionCount = options.length;
		});
	}

	/** @type {number|null} */
	let armed = null;

	function paint() {
		options.forEach((o, i) => {
			o.el.classList.toggle("is-selected", armed === i);
			o.el.setAttribute("aria-pressed", String(armed === i));
		});
	}

	/** @param {number} i */
	function full(i) {
		const o = options[i];
		if (maxUsages && store.usages(name, "") >= maxUsages) return `${name}: at most ${maxUsages} regions.`;
		if (o.max && store.usages(name, o.out) >= o.max) return `${o.value}: at most ${o.max} uses.`;
		return "";
	}

	/** Label a selection now (object callback) or the pending one. @param {number} i @param {any} sel */
	function create(i, sel) {
		const why = full(i);
		if (why) {
			ctx.hint(why);
			return false;
		}
		store.add({ id: regionId(), from_name: name, to_name: sel.object, type, labels: [options[i].out], geom: sel.geom, text: sel.text, per: new Map() });
		ctx.changed(control);
		return true;
	}

	/** @param {number} i */
	function pick(i) {
		if (i < 0 || i >= options.length) return false;
		const sel = ctx.pendingSelection(name);
		if (sel) return create(i, sel) || true;
		const region = store.byId(store.selected);
		if (region && region.from_name === name) {
			const v = options[i].out;
			const has = region.labels.includes(v);
			region.labels = multiple ? (has ? region.labels.filter((l) => l !== v) : [...region.labels, v]) : [v];
			store.changed();
			ctx.changed(control);
			return true;
		}
		armed = armed === i ? null : i;
		paint();
		ctx.hint(armed === null ? "" : `${options[i].value}: now ${store.objects.get(toName)?.verb ?? "select text"} to label it.`);
		return true;
	}

	/** @type {Control} */
	const control = {
		name,
		tag: node.tag,
		type,
		toName,
		el,
		required: boolAttr(node, "required"),
		field: null,
		optionCount: options.length,
		load() {
			armed = null;
			paint();
		},
		value: () => null, // regions come out of the store
		pick,
		hotkey(e) {
			const i = options.findIndex((o) => o.binding && matches(o.binding, e));
			return i >= 0 && pick(i);
		},
		selected: () => [],
		armed: () => (armed === null ? null : (sel) => create(/** @type {number} */ (armed), sel)),
		empty: () => store.usages(name, "") === 0,
	};
	return control;
}

/** A task's dynamic label as a `<Label>` node (only plain attributes are taken). @param {Record<string, any>} o @returns {ConfigNode} */
function labelNode(o) {
	/** @type {Record<string, string>} */
	const attrs = { value: String(o.value ?? o.title ?? "") };
	for (const k of ["background", "hint", "alias"]) if (typeof o[k] === "string") attrs[k] = o[k];
	return { tag: "Label", kind: "option", attrs, text: null, children: [], supported: true };
}
