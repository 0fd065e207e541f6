// What one annotator answered, in a line per control, for the review panel. Rule: everything shown here comes from
// other people's answers (untrusted): it is built with `h` and reaches the page as text only, clamped so one long
// answer cannot push the task off the screen; a control the annotator left empty says so ("—").

import { displayText, h } from "./render/util.js";

/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./render/tree.js").Control} Control */

/** One colour per annotator: the Okabe–Ito colours told apart with every common colour-vision deficiency (their
 * yellow left out: unreadable on white), all mid-tones that hold as lines on light and dark backgrounds. */
export const PALETTE = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
/** Longest text shown of one value (the full text is in the element's title). */
const CLAMP = 160;

/** Annotator name → colour, the same for a name on every task of the page. */
export class Colors {
	constructor() {
		/** @type {Map<string, number>} */
		this.slots = new Map();
	}

	/** @param {string} name */
	of(name) {
		return PALETTE[this.slotOf(name) % PALETTE.length];
	}

	/** The annotator's fixed place on the page (colour, and the lane their underlines take). @param {string} name */
	slotOf(name) {
		let slot = this.slots.get(name);
		if (slot === undefined) this.slots.set(name, (slot = this.slots.size));
		return slot;
	}
}

/** An annotator's name where space is short (a prompt, the badge). @param {string} name */
export function shortName(name) {
	return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

/** A round colour mark. @param {string} color */
export function dot(color) {
	const el = h("span", { class: "nblabel-review-dot", "aria-hidden": "true" });
	el.style.setProperty("--nbl-annotator", color);
	return el;
}

/** A small chip naming an annotator, in their colour. @param {string} name @param {string} color */
export function nameChip(name, color) {
	const el = h("span", { class: "nblabel-voter", title: `chosen by ${name}` }, dot(color), h("span", { class: "nblabel-voter-name" }, shortName(name)));
	el.style.setProperty("--nbl-annotator", color);
	return el;
}

/** @param {unknown} v @param {number} [n] */
function clamp(v, n = CLAMP) {
	const text = displayText(v);
	return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/** A choice value as shown: a nested path reads "Animal / Cat". @param {unknown} v */
export function choiceText(v) {
	return Array.isArray(v) ? v.map((x) => displayText(x)).join(" / ") : displayText(v);
}

/** @param {string} text @param {string} [cls] */
const chip = (text, cls = "") => h("span", { class: `nblabel-review-chip ${cls}`.trim(), title: text }, clamp(text, 60));

/**
 * The summary of one control's items: choices as chips, text clamped, numbers / ratings as their value, regions as a
 * count and their labels. @param {Control} control @param {ResultItem[]} items  the annotator's items of that control
 * @returns {HTMLElement}
 */
function summaryOf(control, items) {
	const out = h("span", { class: "nblabel-review-value" });
	if (!items.length) {
		out.append(h("span", { class: "nblabel-review-empty" }, "—"));
		return out;
	}
	if (control.armed) {
		const ids = new Set(items.map((it, i) => String(it.id ?? `#${i}`)));
		/** @type {Map<string, number>} */
		const labels = new Map();
		for (const it of items) {
			const v = it.value ?? {};
			const key = Object.keys(v).find((k) => k.endsWith("labels") && Array.isArray(v[k]));
			for (const l of key ? v[key] : []) labels.set(choiceText(l), (labels.get(choiceText(l)) ?? 0) + 1);
		}
		out.append(h("span", { class: "nblabel-review-count" }, `${ids.size} region${ids.size === 1 ? "" : "s"}`));
		for (const [l, n] of labels) out.append(chip(n > 1 ? `${l} ×${n}` : l));
		return out;
	}
	for (const it of items) {
		const v = it.value ?? {};
		if (Array.isArray(v.choices)) out.append(...v.choices.map((c) => chip(choiceText(c))));
		else if (Array.isArray(v.taxonomy)) out.append(...v.taxonomy.map((c) => chip(choiceText(c))));
		else if (Array.isArray(v.text) || typeof v.text === "string") {
			const text = (Array.isArray(v.text) ? v.text : [v.text]).map((t) => displayText(t)).join(" · ");
			out.append(h("span", { class: "nblabel-review-text", title: text.slice(0, 2000) }, clamp(text)));
		} else if (typeof v.rating === "number") out.append(h("span", { class: "nblabel-review-number" }, `★ ${v.rating}`));
		else if ("number" in v) out.append(h("span", { class: "nblabel-review-number" }, clamp(v.number, 40)));
		else {
			const [key] = Object.keys(v);
			out.append(h("span", { class: "nblabel-review-text" }, key === undefined ? "—" : clamp(v[key])));
		}
	}
	return out;
}

/**
 * One line per control the annotator answered or could have answered (top-level controls always, per-region ones
 * when they hold something): the control's name, then its summary.
 * @param {Control[]} controls  the form's controls, in config order
 * @param {ResultItem[]} result  one annotator's answer
 * @returns {HTMLElement[]}
 */
export function summarize(controls, result) {
	const items = Array.isArray(result) ? result : [];
	return controls.flatMap((c) => {
		const mine = items.filter((it) => it && it.from_name === c.name);
		if (c.perRegion && !mine.length) return [];
		return [h("span", { class: "nblabel-review-field" }, h("span", { class: "nblabel-review-control" }, c.name), summaryOf(c, mine))];
	});
}

/**
 * Did this answer choose option `out` (its result value; `value`, the shown text, also counts) of control `name`?
 * @param {ResultItem[]} result @param {string} name @param {string|string[]} out @param {string} value
 */
export function chose(result, name, out, value) {
	const want = JSON.stringify(out);
	return (Array.isArray(result) ? result : []).some((it) => it?.from_name === name && Array.isArray(it.value?.choices)
		&& it.value.choices.some((/** @type {unknown} */ c) => (Array.isArray(c) ? JSON.stringify(c.map(String)) === want : String(c) === out || String(c) === value)));
}
