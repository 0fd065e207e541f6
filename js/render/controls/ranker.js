// Ranker (orders a List, optionally into Buckets) and Pairwise (left or right). Rules:
// - Ranker draws the List's items itself (the List's own box is hidden) as columns: one per `<Bucket>` plus "_" for
//   items not in a bucket (unless a bucket is `default`), or one column named after the Ranker;
// - mouse: drag a card, or its ↑ ↓ ← → buttons; keys: a digit picks a card, ↑/↓ move it in its column, ⇧→/⇧← move it
//   to the next / previous column; the result is only written once the ranking was touched (or came prefilled);
// - Pairwise writes `{"selected": "left"|"right"}` with `to_name` = its own name (the Label Studio editor's shape).

import { itemCard } from "../text/structure.js";
import { attr, boolAttr, descendants, firstToName, h } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Control} Control */

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Control} */
export function buildRanker(node, ctx) {
	const name = attr(node, "name") ?? "";
	const toName = firstToName(node);
	const buckets = descendants(node, "Bucket").map((b) => ({ name: attr(b, "name") ?? "", title: attr(b, "title") ?? attr(b, "name") ?? "", isDefault: boolAttr(b, "default") }));
	const columns = buckets.length ? buckets.concat(buckets.some((b) => b.isDefault) ? [] : [{ name: "_", title: "Not sorted", isDefault: true }]) : [{ name, title: "", isDefault: true }];
	const home = columns.find((c) => c.isDefault)?.name ?? columns[0].name;
	const board = h("div", { class: "nblabel-ranker" });
	const el = h("div", { class: "nblabel-control nblabel-ranker-control", "data-name": name }, board);
	/** @type {Record<string, string[]>} */
	let cols = {};
	/** @type {Map<string, any>} */
	let byId = new Map();
	let touched = false;
	/** @type {string|null} */
	let focus = null;
	/** @type {string|null} */
	let dragging = null;

	const order = () => columns.flatMap((c) => cols[c.name] ?? []);

	/** @param {string} id @param {number} dRow @param {number} dCol */
	function move(id, dRow, dCol) {
		const ci = columns.findIndex((c) => cols[c.name]?.includes(id));
		if (ci < 0) return;
		const from = cols[columns[ci].name];
		const at = from.indexOf(id);
		const to = cols[columns[Math.max(0, Math.min(columns.length - 1, ci + dCol))].name];
		from.splice(at, 1);
		to.splice(dCol ? to.length : Math.max(0, Math.min(to.length, at + dRow)), 0, id);
		touched = true;
		focus = id;
		paint();
		ctx.changed(control);
	}

	function paint() {
		const all = order();
		board.replaceChildren(...columns.map((c) => {
			const col = h("div", { class: "nblabel-ranker-column", "data-bucket": c.name }, c.title ? h("div", { class: "nblabel-list-title" }, c.title) : null);
			col.addEventListener("dragover", (e) => e.preventDefault());
			col.addEventListener("drop", (e) => {
				e.preventDefault();
				if (!dragging) return;
				for (const k of Object.keys(cols)) cols[k] = cols[k].filter((x) => x !== dragging);
				cols[c.name].push(dragging);
				touched = true;
				paint();
				ctx.changed(control);
			});
			for (const id of cols[c.name] ?? []) {
				const i = all.indexOf(id);
				const btn = (/** @type {string} */ t, /** @type {number} */ r, /** @type {number} */ k) => {
					const b = h("button", { type: "button", class: "nblabel-move", tabindex: "-1" }, t);
					b.addEventListener("click", () => move(id, r, k));
					return b;
				};
				const card = h("div", { class: "nblabel-ranker-item", draggable: "true", "data-item": id },
					h("kbd", { class: "nblabel-key" }, i < 9 ? String(i + 1) : i === 9 ? "0" : ""), itemCard(byId.get(id), ctx.remote),
					h("span", { class: "nblabel-moves" }, btn("↑", -1, 0), btn("↓", 1, 0), columns.length > 1 ? btn("←", 0, -1) : null, columns.length > 1 ? btn("→", 0, 1) : null));
				card.classList.toggle("is-selected", focus === id);
				card.addEventListener("dragstart", () => (dragging = id));
				card.addEventListener("click", () => { focus = id; paint(); });
				col.append(card);
			}
			return col;
		}));
	}

	/** @type {Control} */
	const control = {
		name, tag: "Ranker", type: "ranker", toName, el, required: boolAttr(node, "required"), field: null,
		get optionCount() { return order().length; },
		load(prefill, draft) {
			const list = ctx.regions.lists.get(toName);
			if (list) list.el.hidden = true;
			const items = list?.items() ?? [];
			byId = new Map(items.map((it) => [String(it.id), it]));
			const got = (draft ?? prefill)?.value?.ranker;
			cols = Object.fromEntries(columns.map((c) => [c.name, []]));
			const placed = new Set();
			if (got && typeof got === "object" && !Array.isArray(got)) {
				for (const [k, ids] of Object.entries(got)) if (cols[k] && Array.isArray(ids)) for (const id of ids) if (byId.has(String(id)) && !placed.has(String(id))) { cols[k].push(String(id)); placed.add(String(id)); }
			}
			for (const id of byId.keys()) if (!placed.has(id)) cols[home].push(id);
			touched = Boolean(got);
			focus = null;
			paint();
		},
		value() {
			return touched ? { ranker: Object.fromEntries(columns.map((c) => [c.name, [...(cols[c.name] ?? [])]])) } : null;
		},
		pick(i) {
			const id = order()[i];
			if (!id) return false;
			focus = id;
			paint();
			return true;
		},
		nav(e) {
			if (!focus || e.ctrlKey || e.metaKey || e.altKey) return false;
			const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1] }[e.key];
			if (!d || (d[1] !== 0 && !e.shiftKey)) return false;
			move(focus, d[0], d[1]);
			return true;
		},
	};
	return control;
}

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Control} */
export function buildPairwise(node, ctx) {
	const name = attr(node, "name") ?? "";
	const [left, right] = (attr(node, "toName") ?? "").split(",").map((s) => s.trim());
	/** @type {"left"|"right"|null} */
	let selected = null;
	const sides = /** @type {const} */ (["left", "right"]).map((side, i) => {
		const b = h("div", { class: "nblabel-option nblabel-pairwise-side", role: "radio", "aria-checked": "false", "data-option": i },
			h("span", { class: "nblabel-mark", "aria-hidden": "true" }), h("span", { class: "nblabel-option-label" }, `${side === "left" ? "◀ Left" : "Right ▶"} (${side === "left" ? left : right})`), h("kbd", { class: "nblabel-key" }, String(i + 1)));
		b.addEventListener("click", () => control.pick(i));
		return b;
	});
	const el = h("div", { class: "nblabel-control nblabel-pairwise", "data-name": name }, h("div", { class: "nblabel-options is-inline", role: "radiogroup" }, ...sides));
	const paint = () => sides.forEach((b, i) => {
		const on = selected === (i ? "right" : "left");
		b.classList.toggle("is-selected", on);
		b.setAttribute("aria-checked", String(on));
	});
	/** @type {Control} */
	const control = {
		name, tag: "Pairwise", type: "pairwise", toName: name, el, required: boolAttr(node, "required"), field: null, optionCount: 2,
		load(prefill, draft) {
			const v = (draft ?? prefill)?.value?.selected;
			selected = v === "left" || v === "right" ? v : null;
			paint();
		},
		value: () => (selected ? { selected } : null),
		pick(i) {
			if (i > 1) return false;
			selected = i ? "right" : "left";
			paint();
			ctx.changed(control);
			return true;
		},
		selected: () => (selected ? [selected] : []),
	};
	return control;
}
