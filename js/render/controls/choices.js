// The Choices control. Rule: options keep config order — digit i picks option i (1..9, then 0), a `hotkey`
// attribute picks its option from anywhere; `choice="single"` (and "single-radio") has radio semantics (a pick
// replaces, re-picking keeps it), `choice="multiple"` toggles like checkboxes. A digit selects, never submits.
// The result value uses a Choice's `alias` when it has one, like the Label Studio editor.
// Options that come with the task (`value="$options"`) are untrusted: their `style` loads nothing, their `background`
// must be a colour, and their `hotkey` never takes one of the widget's own keys (Enter, the skip key, digits…).
// Nested `<Choice>`s count only with `allowNested="true"` (the editor skips them otherwise): they are drawn indented
// under their parent, every value is the path from the top choice down (`[["Animal", "Cat"]]`), and a parent is
// selected exactly when all its children are (picking it picks or clears them all), as in the editor.
// A low-scored suggestion (Python's `hint_below`) is a hint: "model suggests: X (52%)" beside the options and a
// dotted mark on X, never a selection — picking X is what accepts it.
// In review mode each option also names who chose it (`voters`: chips the review panel builds, as DOM nodes).

import { digitLabel, matches, parseBinding } from "../../keys.js";
import { sanitize } from "../html.js";
import { cssColor } from "../remote.js";
import { applyStyle, attr, boolAttr, descendants, firstToName, h, resolve } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../../types.js").ResultItem} ResultItem */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildChoices(node, ctx) {
	const name = attr(node, "name") ?? "";
	const multiple = (attr(node, "choice") ?? "single").toLowerCase() === "multiple";
	const layout = (attr(node, "layout") ?? "").toLowerCase();
	const inline = boolAttr(node, "showInline") || layout === "inline";
	const nested = boolAttr(node, "allowNested");
	const role = multiple || nested ? "checkbox" : "radio";

	const el = h("div", { class: "nblabel-control nblabel-choices", "data-name": name });
	applyStyle(el, attr(node, "style"), ctx.remote);
	for (const child of node.children ?? []) {
		if (child.tag === "Choice") continue;
		const built = ctx.build(child); // headers / views placed inside Choices in the config
		if (built) el.append(built.el);
	}
	const list = h("div", {
		class: `nblabel-options${inline ? " is-inline" : ""}`,
		role: multiple ? "group" : "radiogroup",
		"aria-label": name,
	});
	el.append(list);
	const hintLine = h("div", { class: "nblabel-model-hint", role: "note", hidden: true });
	el.append(hintLine);

	/** @param {{value: string, alias?: string, hotkey?: string, hint?: string, html?: string, style?: string, background?: string, selected?: boolean, path?: string[], parent?: number, depth?: number, fromTask?: boolean}} o @param {number} i */
	const makeOption = (o, i) => {
		const { value, alias } = o;
		const hotkey = typeof o.hotkey === "string" && o.hotkey ? o.hotkey : undefined;
		const binding = !hotkey ? null : o.fromTask ? ctx.taskHotkey(hotkey, `option "${value}" of ${name}`) : parseBinding(hotkey);
		const label = h("span", { class: "nblabel-option-label" });
		if (o.html !== undefined) label.append(sanitize(String(o.html), ctx.remote));
		else label.textContent = value;
		const item = h(
			"div",
			{ class: "nblabel-option", role, "aria-checked": "false", "data-option": i, title: o.hint },
			h("span", { class: "nblabel-mark", "aria-hidden": "true" }),
			label,
			h("span", { class: "nblabel-suggested-mark", title: "suggested" }, "suggested"),
			binding ? h("kbd", { class: "nblabel-hotkey", title: "hotkey" }, hotkey) : null,
			h("span", { class: "nblabel-voters", hidden: true }),
			digitLabel(i) ? h("kbd", { class: "nblabel-key", "aria-hidden": "true" }, digitLabel(i)) : null,
		);
		applyStyle(item, typeof o.style === "string" ? o.style : undefined, o.fromTask ? "none" : ctx.remote);
		const background = cssColor(o.background);
		if (background) item.style.setProperty("--nblabel-option-color", background);
		if (o.depth) item.style.setProperty("--nbl-depth", String(o.depth));
		item.addEventListener("click", () => pick(i));
		list.append(item);
		/** @type {string|string[]} */
		const out = o.path ?? alias ?? value;
		return { value, out, el: item, preset: Boolean(o.selected), binding, parent: o.parent ?? -1, kids: /** @type {number[]} */ ([]) };
	};
	/** @param {ConfigNode} opt */
	const spec = (opt) => ({
		value: attr(opt, "value") ?? opt.text ?? "", alias: attr(opt, "alias"), hotkey: attr(opt, "hotkey"), hint: attr(opt, "hint"),
		html: attr(opt, "html"), style: attr(opt, "style"), background: attr(opt, "background"), selected: boolAttr(opt, "selected"),
	});
	/** @type {(ReturnType<typeof spec> & {path?: string[], parent?: number, depth?: number})[]} */
	const specs = [];
	/** Choices depth-first; below a Choice only with allowNested. @param {ConfigNode} at @param {string[]} path @param {number} parent */
	const walk = (at, path, parent) => {
		for (const opt of descendants(at, "Choice")) {
			const s = spec(opt);
			const here = [...path, s.alias ?? s.value];
			const i = specs.length;
			specs.push(nested ? { ...s, path: here, parent, depth: path.length } : s);
			if (nested) walk(opt, here, i);
		}
	};
	walk(node, [], -1);
	let options = specs.map(makeOption);
	options.forEach((o, i) => (o.parent >= 0 ? options[o.parent].kids.push(i) : null));
	const dynamic = attr(node, "value");
	if (dynamic?.trim().startsWith("$")) {
		// options from the task (`value="$options"`): strings or {value, html?, hint?}, rebuilt for every task
		ctx.onTask((task) => {
			const got = resolve(dynamic, task.data);
			list.replaceChildren();
			options = specs.concat((Array.isArray(got) ? got : []).map((o) => (o && typeof o === "object" ? { ...o, value: String(o.value ?? o.title ?? ""), fromTask: true } : { value: String(o), fromTask: true }))).map(makeOption);
			control.optionCount = options.length;
		});
	}

	/** @type {Set<number>} selected options (with allowNested: selected leaves; a parent follows its children) */
	let selected = new Set();

	/** @param {number} i @returns {number[]} the leaves at or below option i */
	const leaves = (i) => (options[i].kids.length ? options[i].kids.flatMap(leaves) : [i]);
	/** @param {number} i */
	const isSel = (i) => (options[i].kids.length ? leaves(i).every((j) => selected.has(j)) : selected.has(i));

	function paint() {
		options.forEach((o, i) => {
			const on = isSel(i);
			o.el.classList.toggle("is-selected", on);
			o.el.setAttribute("aria-checked", on ? "true" : o.kids.length && leaves(i).some((j) => selected.has(j)) ? "mixed" : "false");
		});
	}

	/** @param {number} i */
	function pick(i) {
		if (i < 0 || i >= options.length) return false;
		if (nested) {
			const on = !isSel(i);
			if (!multiple) selected = new Set();
			for (const j of leaves(i)) on ? selected.add(j) : selected.delete(j);
		} else if (multiple) {
			if (selected.has(i)) selected.delete(i);
			else selected.add(i);
		} else {
			selected = new Set([i]);
		}
		paint();
		ctx.changed(control);
		return true;
	}

	/** @param {ResultItem|null} item */
	const indicesOf = (item) => {
		const vals = item?.value?.choices;
		if (nested) {
			const paths = new Set((Array.isArray(vals) ? vals : []).map((v) => JSON.stringify(Array.isArray(v) ? v.map(String) : [String(v)])));
			return new Set(options.flatMap((o, i) => (paths.has(JSON.stringify(o.out)) ? leaves(i) : [])));
		}
		const wanted = new Set(Array.isArray(vals) ? vals.map(String) : []);
		return new Set(options.flatMap((o, i) => (wanted.has(String(o.out)) || wanted.has(o.value) ? [i] : [])));
	};

	/** @type {Control} */
	const control = {
		name,
		tag: "Choices",
		type: "choices",
		toName: firstToName(node),
		el,
		required: boolAttr(node, "required"),
		field: null,
		optionCount: options.length,
		load(prefill, draft, suggested) {
			const source = draft ?? prefill;
			selected = source ? indicesOf(source) : new Set(options.flatMap((o, i) => (o.preset ? [i] : [])));
			if (!multiple && !nested && selected.size > 1) selected = new Set([Math.min(...selected)]);
			const hint = suggested ? indicesOf(prefill) : new Set();
			options.forEach((o, i) => o.el.classList.toggle("is-suggested", hint.has(i)));
			paint();
		},
		value() {
			if (!selected.size) return null;
			if (nested) return { choices: options.flatMap((o, i) => (isSel(i) ? [o.out] : [])) };
			return { choices: [...new Set(options.flatMap((o, i) => (selected.has(i) ? [o.out] : [])))] };
		},
		hint(item, score) {
			const on = item ? indicesOf(item) : new Set();
			options.forEach((o, i) => o.el.classList.toggle("is-hinted", on.has(i)));
			const names = options.flatMap((o, i) => (on.has(i) ? [o.value] : []));
			hintLine.hidden = !names.length;
			hintLine.textContent = names.length
				? `model suggests: ${names.join(", ")}${score === null ? "" : ` (${Math.round(score * 100)}%)`} — not selected; pick it to agree`
				: "";
		},
		pick,
		voters(who) {
			for (const o of options) {
				const slot = /** @type {HTMLElement} */ (o.el.querySelector(".nblabel-voters"));
				const chips = who ? who(o.out, o.value) : [];
				slot.replaceChildren(...chips);
				slot.hidden = !chips.length;
			}
		},
		hotkey(e) {
			const i = options.findIndex((o) => o.binding && matches(o.binding, e));
			return i >= 0 && pick(i);
		},
		selected() {
			return options.flatMap((o, i) => (isSel(i) ? [o.value, ...(Array.isArray(o.out) ? o.out.slice(-1) : [o.out])] : []));
		},
	};
	return control;
}
