// Taxonomy (a tree of nested Choice) and DateTime. Rules:
// - the tree is drawn expanded with a search box that filters it (a match keeps its ancestors visible); digits pick
//   the visible nodes in order, a click toggles one; `leafsOnly` makes inner nodes unselectable; the value is the
//   list of selected paths `[[root, …, node], …]`, like the Label Studio editor;
// - DateTime is a native date / time / datetime-local input; the value is `{"datetime": …}` in the editor's default
//   formats ("YYYY-MM-DD", "HH:MM", "YYYY-MM-DDTHH:MM").

import { digitLabel } from "../../keys.js";
import { attr, boolAttr, firstToName, h } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Control} */
export function buildTaxonomy(node, ctx) {
	const name = attr(node, "name") ?? "";
	const leafsOnly = boolAttr(node, "leafsOnly");
	const single = attr(node, "maxUsages") === "1";
	/** @type {{path: string[], row: HTMLElement, leaf: boolean}[]} */
	const flat = [];
	/** @param {ConfigNode} n @param {string[]} parent @param {number} depth */
	const walk = (n, parent, depth) => {
		for (const c of n.children ?? []) {
			if (c.tag !== "Choice") continue;
			const path = [...parent, attr(c, "value") ?? attr(c, "alias") ?? ""];
			const leaf = !(c.children ?? []).some((k) => k.tag === "Choice");
			const row = h("div", { class: "nblabel-option nblabel-tax-node", role: "checkbox", "aria-checked": "false" },
				h("span", { class: "nblabel-mark", "aria-hidden": "true" }), h("span", { class: "nblabel-option-label" }, path[path.length - 1]), h("kbd", { class: "nblabel-key", "aria-hidden": "true" }));
			row.style.marginLeft = `${depth * 18}px`;
			if (leafsOnly && !leaf) row.classList.add("is-disabled");
			const i = flat.length;
			row.addEventListener("click", () => toggle(i));
			flat.push({ path, row, leaf });
			walk(c, path, depth + 1);
		}
	};
	walk(node, [], 0);
	const search = h("input", { type: "search", class: "nblabel-field nblabel-tax-search", placeholder: "Search…", "aria-label": `${name} search` });
	const tree = h("div", { class: "nblabel-taxonomy-tree", role: "tree" }, ...flat.map((f) => f.row));
	const el = h("div", { class: "nblabel-control nblabel-taxonomy", "data-name": name }, search, tree);
	/** @type {Set<number>} */
	let selected = new Set();
	const key = (/** @type {string[]} */ p) => JSON.stringify(p);

	const visible = () => flat.map((_, i) => i).filter((i) => !flat[i].row.hidden);
	function paint() {
		const q = search.value.trim().toLowerCase();
		const hit = flat.map((f) => !q || f.path[f.path.length - 1].toLowerCase().includes(q));
		flat.forEach((f, i) => {
			const shown = hit[i] || flat.some((g, j) => hit[j] && g.path.length > f.path.length && key(g.path.slice(0, f.path.length)) === key(f.path));
			f.row.hidden = !shown;
			f.row.classList.toggle("is-selected", selected.has(i));
			f.row.setAttribute("aria-checked", String(selected.has(i)));
		});
		visible().forEach((i, k) => { const kbd = flat[i].row.querySelector("kbd"); if (kbd) kbd.textContent = digitLabel(k) ?? ""; });
	}
	/** @param {number} i */
	function toggle(i) {
		if (leafsOnly && !flat[i].leaf) return false;
		if (selected.has(i)) selected.delete(i);
		else selected = single ? new Set([i]) : new Set([...selected, i]);
		paint();
		ctx.changed(control);
		return true;
	}
	search.addEventListener("input", paint);

	/** @type {Control} */
	const control = {
		name, tag: "Taxonomy", type: "taxonomy", toName: firstToName(node), el, required: boolAttr(node, "required"), field: null,
		get optionCount() { return visible().length; },
		load(prefill, draft) {
			const got = (draft ?? prefill)?.value?.taxonomy;
			const want = new Set(Array.isArray(got) ? got.map((p) => key(Array.isArray(p) ? p.map(String) : [String(p)])) : []);
			selected = new Set(flat.flatMap((f, i) => (want.has(key(f.path)) ? [i] : [])));
			search.value = "";
			paint();
		},
		value: () => (selected.size ? { taxonomy: [...selected].sort((a, b) => a - b).map((i) => flat[i].path) } : null),
		pick: (i) => { const v = visible()[i]; return v !== undefined && toggle(v); },
		selected: () => [...selected].map((i) => flat[i].path[flat[i].path.length - 1]),
	};
	return control;
}

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Control} */
export function buildDateTime(node, ctx) {
	const name = attr(node, "name") ?? "";
	const only = (attr(node, "only") ?? "").toLowerCase();
	const type = only.includes("time") && !only.includes("date") ? "time" : only.includes("date") && !only.includes("time") ? "date" : only === "year" || only === "month" ? "month" : "datetime-local";
	const field = h("input", { type, class: "nblabel-field", "aria-label": name });
	const el = h("div", { class: "nblabel-control nblabel-datetime", "data-name": name }, field);
	field.addEventListener("input", () => ctx.changed(control));
	/** @type {Control} */
	const control = {
		name, tag: "DateTime", type: "datetime", toName: firstToName(node), el, required: boolAttr(node, "required"), field, optionCount: 0,
		load(prefill, draft) {
			const v = (draft ?? prefill)?.value?.datetime;
			field.value = typeof v === "string" ? v : "";
		},
		value: () => (field.value ? { datetime: field.value } : null),
		pick: () => false, // a digit never moves the caret into the field (a click or Tab does)
	};
	return control;
}
