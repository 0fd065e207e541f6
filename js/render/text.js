// The Text object. Rule: task text is data, never markup — it is set with `textContent` only, whitespace is kept
// (`white-space: pre-wrap`), a long text scrolls inside its own max-height box (the card never grows without
// bound), and a missing value (null / NaN / "") shows a muted "(empty)" instead of a blank box.

import { attr, displayText, h, isEmptyValue, resolve } from "./util.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildText(node, ctx) {
	const name = attr(node, "name") ?? "";
	const el = h("div", { class: "nblabel-text", "data-name": name, role: "article", "aria-label": name || "text" });
	const value = attr(node, "value");
	ctx.watchVisibility(node, el);
	return {
		el,
		update(task) {
			const v = resolve(value, task.data);
			const empty = isEmptyValue(v);
			el.classList.toggle("is-empty", empty);
			el.textContent = empty ? "(empty)" : displayText(v);
			el.scrollTop = 0;
		},
	};
}
