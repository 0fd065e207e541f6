// The Number control. Rule: a native number input honouring `min`, `max`, `step`; a digit typed while the widget
// (not the field) has focus starts the entry in the field. Only a finite number inside [min, max] is a value
// (`{"number": x}`); anything else is "not answered" and the field is marked invalid.

import { applyStyle, attr, boolAttr, firstToName, h } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildNumber(node, ctx) {
	const name = attr(node, "name") ?? "";
	const el = h("div", { class: "nblabel-control nblabel-number", "data-name": name });
	applyStyle(el, attr(node, "style"), ctx.remote);
	const field = h("input", { type: "number", class: "nblabel-field nblabel-number-field", inputmode: "decimal" });
	field.setAttribute("aria-label", name);
	const min = attr(node, "min");
	const max = attr(node, "max");
	const step = attr(node, "step");
	if (min !== undefined) field.min = min;
	if (max !== undefined) field.max = max;
	field.step = step ?? "any";
	const range =
		min !== undefined || max !== undefined ? h("span", { class: "nblabel-range" }, `${min ?? "…"} – ${max ?? "…"}`) : null;
	el.append(h("div", { class: "nblabel-field-row" }, field, range));
	const preset = attr(node, "defaultValue");

	const parse = () => {
		if (field.value.trim() === "") return null;
		const x = Number(field.value);
		if (!Number.isFinite(x)) return null;
		if (min !== undefined && x < Number(min)) return null;
		if (max !== undefined && x > Number(max)) return null;
		return x;
	};
	field.addEventListener("input", () => {
		field.classList.toggle("is-invalid", field.value.trim() !== "" && parse() === null);
		ctx.changed(control);
	});

	/** @type {Control} */
	const control = {
		name,
		tag: "Number",
		type: "number",
		toName: firstToName(node),
		el,
		required: boolAttr(node, "required"),
		field,
		optionCount: 0,
		load(prefill, draft) {
			const source = draft ?? prefill;
			const n = source?.value?.number;
			field.value = typeof n === "number" && Number.isFinite(n) ? String(n) : source ? "" : preset ?? "";
			field.classList.remove("is-invalid");
			el.classList.toggle("is-suggested", Boolean(prefill) && !draft);
		},
		value() {
			const x = parse();
			return x === null ? null : { number: x };
		},
		pick(i) {
			// the digit that was typed on the widget starts the number
			field.value = String(i === 9 ? 0 : i + 1);
			field.focus();
			ctx.changed(control);
			return true;
		},
	};
	return control;
}
