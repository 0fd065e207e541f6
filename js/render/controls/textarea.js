// The TextArea control. Rule: the text field owns the keyboard while focused — only Escape (back to the widget),
// Ctrl/Cmd+Enter (submit) and Tab (next control) are widget keys there; everything else types. The value is
// `{"text": [...]}`: the field's text (one entry), plus, when `maxSubmissions` > 1, the entries added with "Add",
// never more than `maxSubmissions`. `rows="1"` is a single-line input.

import { applyStyle, attr, boolAttr, firstToName, h, numAttr } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildTextArea(node, ctx) {
	const name = attr(node, "name") ?? "";
	const rows = Math.max(1, Math.round(numAttr(node, "rows", 3)));
	const max = Math.max(1, Math.round(numAttr(node, "maxSubmissions", 1)));
	const el = h("div", { class: "nblabel-control nblabel-textarea", "data-name": name });
	applyStyle(el, attr(node, "style"), ctx.remote);
	/** @type {HTMLInputElement|HTMLTextAreaElement} */
	const field =
		rows === 1
			? h("input", { type: "text", class: "nblabel-field" })
			: h("textarea", { class: "nblabel-field", rows: String(rows) });
	field.placeholder = attr(node, "placeholder") ?? (max > 1 ? "Type, then Add…" : "Type here…");
	field.setAttribute("aria-label", name);
	field.spellcheck = true;
	const entries = h("ul", { class: "nblabel-entries" });
	const add = h("button", { type: "button", class: "nblabel-button nblabel-add", tabindex: "-1" }, "Add");
	const row = h("div", { class: "nblabel-field-row" }, field, max > 1 ? add : null);
	/** review mode: the other annotators' texts, one column each (text nodes only: other people's words) */
	const others = h("div", { class: "nblabel-beside", role: "list", "aria-label": `${name}: other annotators' answers`, hidden: true });
	el.append(entries, row, others);

	/** @type {string[]} */
	let added = [];

	function paintEntries() {
		entries.replaceChildren(
			...added.map((text, i) => {
				const remove = h("button", { type: "button", class: "nblabel-remove", tabindex: "-1", title: "remove" }, "×");
				remove.addEventListener("click", () => {
					added.splice(i, 1);
					paintEntries();
					ctx.changed(control);
				});
				return h("li", { class: "nblabel-entry" }, h("span", null, text), remove);
			}),
		);
		const full = max > 1 && added.length >= max;
		field.disabled = full;
		add.disabled = full;
	}

	add.addEventListener("click", () => {
		const text = field.value.trim();
		if (!text || added.length >= max) return;
		added.push(field.value);
		field.value = "";
		paintEntries();
		ctx.changed(control);
		field.focus();
	});
	field.addEventListener("input", () => ctx.changed(control));

	/** @type {Control} */
	const control = {
		name,
		tag: "TextArea",
		type: "textarea",
		toName: firstToName(node),
		el,
		required: boolAttr(node, "required"),
		field,
		optionCount: 0,
		load(prefill, draft) {
			const texts = (draft ?? prefill)?.value?.text;
			const list = Array.isArray(texts) ? texts.map(String) : typeof texts === "string" ? [texts] : [];
			if (max > 1 || list.length > 1) {
				added = list.slice(0, Math.max(max, list.length));
				field.value = "";
			} else {
				added = [];
				field.value = list.join("\n");
			}
			el.classList.toggle("is-suggested", Boolean(prefill) && !draft);
			paintEntries();
		},
		value() {
			const all = added.concat(field.value.trim() ? [field.value] : []).slice(0, Math.max(max, added.length));
			return all.length ? { text: all } : null;
		},
		pick() {
			return false; // a digit never moves the caret into the field: text goes there only after a click or Tab
		},
		beside(answers) {
			others.hidden = !answers?.length;
			others.replaceChildren(...(answers ?? []).map((a) => {
				const dot = h("span", { class: "nblabel-review-dot", "aria-hidden": "true" });
				dot.style.setProperty("--nbl-annotator", a.color);
				const body = a.texts.length
					? h("div", { class: "nblabel-beside-text" }, a.texts.join("\n"))
					: h("div", { class: "nblabel-beside-text is-empty" }, "—");
				const item = h("div", { class: "nblabel-beside-item", role: "listitem", "data-annotator": a.who },
					h("div", { class: "nblabel-beside-who", title: a.who }, dot, h("span", null, a.who)), body);
				item.style.setProperty("--nbl-annotator", a.color);
				return item;
			}));
		},
	};
	return control;
}
