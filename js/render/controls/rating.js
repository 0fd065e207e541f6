// The Rating control. Rule: stars 1..maxRating (default 5) behave like options — digit n sets rating n (0 is 10),
// a click sets the clicked star; radio semantics (picking the shown rating keeps it). Value `{"rating": n}`.

import { applyStyle, attr, boolAttr, firstToName, h, numAttr } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

const ICONS = { star: "★", heart: "♥", fire: "🔥", smile: "☺", thumbs: "👍" };

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Control}
 */
export function buildRating(node, ctx) {
	const name = attr(node, "name") ?? "";
	const max = Math.min(20, Math.max(1, Math.round(numAttr(node, "maxRating", 5))));
	const icon = ICONS[/** @type {keyof typeof ICONS} */ ((attr(node, "icon") ?? "star").toLowerCase())] ?? ICONS.star;
	const el = h("div", { class: "nblabel-control nblabel-rating", "data-name": name });
	applyStyle(el, attr(node, "style"), ctx.remote);
	const stars = h("div", { class: "nblabel-stars", role: "radiogroup", "aria-label": name });
	const readout = h("span", { class: "nblabel-rating-value" });
	el.append(h("div", { class: "nblabel-rating-row" }, stars, readout));
	const items = Array.from({ length: max }, (_, i) => {
		const star = h("span", { class: "nblabel-star", role: "radio", "aria-checked": "false", "data-option": i, title: `${i + 1} of ${max}` }, icon);
		star.addEventListener("click", () => pick(i));
		stars.append(star);
		return star;
	});
	const preset = Math.round(numAttr(node, "defaultValue", 0));
	let rating = 0;
	let suggestedRating = 0;

	function paint() {
		items.forEach((s, i) => {
			s.classList.toggle("is-on", i < rating);
			s.classList.toggle("is-suggested", suggestedRating > 0 && i === suggestedRating - 1);
			s.setAttribute("aria-checked", String(i === rating - 1));
		});
		readout.textContent = rating ? `${rating} / ${max}` : `– / ${max}`;
	}

	/** @param {number} i */
	function pick(i) {
		if (i < 0 || i >= max) return false;
		rating = i + 1;
		paint();
		ctx.changed(control);
		return true;
	}

	/** @param {any} item */
	const ratingOf = (item) => {
		const n = Number(item?.value?.rating);
		return Number.isFinite(n) && n >= 1 ? Math.min(max, Math.round(n)) : 0;
	};

	/** @type {Control} */
	const control = {
		name,
		tag: "Rating",
		type: "rating",
		toName: firstToName(node),
		el,
		required: boolAttr(node, "required"),
		field: null,
		optionCount: max,
		load(prefill, draft, suggested) {
			const source = draft ?? prefill;
			rating = source ? ratingOf(source) : preset > 0 && preset <= max ? preset : 0;
			suggestedRating = suggested ? ratingOf(prefill) : 0;
			paint();
		},
		value() {
			return rating ? { rating } : null;
		},
		pick,
	};
	return control;
}
