// `<Repeater on="$images" indexFlag="{{idx}}" mode="pagination">`, as the Label Studio editor expands it. Rules:
// - the tags inside are repeated once per item of the task's list (`on`), every occurrence of the flag (default
//   `{{idx}}`) in an attribute becomes the item's index, so `labels_{{idx}}` answers as `labels_0`, `labels_1`…
//   and `$images[{{idx}}].url` shows item k's picture; nested Repeaters expand with the outer index filled in;
// - the expansion depends on the task (how many items), so the form is built per *shape* (the item counts): tasks
//   with the same counts reuse one form, as every other config does (`shapeOf`);
// - stacked by default; `mode="pagination"` shows one item at a time with previous / next buttons. Items off the
//   page still answer (their regions and choices are part of the result) but take no keys.

import { h, resolve } from "./util.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */

const DEFAULT_FLAG = "{{idx}}";

/** Does the config repeat anything? @param {ConfigNode|null} node @returns {boolean} */
export function hasRepeater(node) {
	return Boolean(node && (node.tag === "Repeater" || (node.children ?? []).some(hasRepeater)));
}

/** How many items a Repeater's `on` list has in `data` (0 when it is not a list). @param {ConfigNode} node @param {Record<string, any>} data */
function count(node, data) {
	const list = resolve(node.attrs?.on ?? "", data);
	return Array.isArray(list) ? list.length : 0;
}

/** @param {ConfigNode} node @param {Record<string, string>} values @returns {ConfigNode} */
function fill(node, values) {
	/** @type {Record<string, string>} */
	const attrs = {};
	for (const [k, v] of Object.entries(node.attrs ?? {})) {
		let out = String(v);
		for (const [flag, index] of Object.entries(values)) out = out.split(flag).join(index);
		attrs[k] = out;
	}
	return { ...node, attrs, children: (node.children ?? []).map((/** @type {ConfigNode} */ c) => fill(c, values)) };
}

/**
 * The config with every Repeater expanded for `data`: a Repeater node keeps its tag and attributes and gets one
 * `View` child per item (the item's tags, flags filled in), plus its shape (the counts, to know when to rebuild).
 * @param {ConfigNode} node
 * @param {Record<string, any>} data
 * @returns {{tree: ConfigNode, shape: string}}
 */
export function expandRepeaters(node, data) {
	/** @type {number[]} */
	const counts = [];
	/** @param {ConfigNode} n @returns {ConfigNode} */
	const walk = (n) => {
		if (n.tag !== "Repeater") return { ...n, children: (n.children ?? []).map(walk) };
		const flag = n.attrs?.indexFlag || DEFAULT_FLAG;
		const items = count(n, data);
		counts.push(items);
		const views = [];
		for (let i = 0; i < items; i++) {
			const kids = (n.children ?? []).map((c) => walk(fill(c, { [flag]: String(i) })));
			views.push({ tag: "View", kind: /** @type {const} */ ("visual"), attrs: {}, text: null, children: kids, supported: true });
		}
		return { ...n, children: views };
	};
	const tree = walk(node);
	return { tree, shape: counts.join(",") };
}

/**
 * A Repeater already expanded (`expandRepeaters`): its items stacked, or one page at a time.
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildRepeater(node, ctx) {
	const paged = node.attrs?.mode === "pagination";
	const items = (node.children ?? []).map((child, i) => {
		const block = h("div", { class: "nblabel-repeat-item", "data-repeat-index": String(i) });
		const built = ctx.build(child);
		if (built) block.append(built.el);
		return block;
	});
	const el = h("div", { class: `nblabel-repeater${paged ? " is-paged" : ""}` });
	if (!items.length) {
		el.append(h("div", { class: "nblabel-repeat-empty" }, `no items in ${node.attrs?.on ?? "the list"}`));
		return { el };
	}
	if (!paged) {
		el.append(...items);
		return { el };
	}
	let page = 0;
	const prev = h("button", { type: "button", class: "nblabel-repeat-prev", "aria-label": "previous item" }, "‹ Prev");
	const next = h("button", { type: "button", class: "nblabel-repeat-next", "aria-label": "next item" }, "Next ›");
	const where = h("span", { class: "nblabel-repeat-where", "aria-live": "polite" });
	const show = (/** @type {number} */ p) => {
		page = Math.max(0, Math.min(items.length - 1, p));
		items.forEach((block, i) => {
			block.hidden = i !== page;
			block.classList.toggle("nblabel-page-off", i !== page);
		});
		where.textContent = `${page + 1} / ${items.length}`;
		/** @type {HTMLButtonElement} */ (prev).disabled = page === 0;
		/** @type {HTMLButtonElement} */ (next).disabled = page === items.length - 1;
	};
	prev.addEventListener("click", () => show(page - 1));
	next.addEventListener("click", () => show(page + 1));
	el.append(h("div", { class: "nblabel-repeat-pager" }, prev, where, next), ...items);
	show(0);
	let key = /** @type {string|null} */ (null);
	return {
		el,
		update(task) {
			if (task.key !== key) show(0); // a new task starts on its first item
			key = task.key;
		},
	};
}
