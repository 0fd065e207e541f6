// Read-only structure objects: Chat (messages), Table (key/value pairs or rows), List (items a Ranker orders).
// Rule: task values are shown as text nodes; only an item's `html` goes through `sanitize` (DOMPurify); an object
// that gets a value of the wrong shape shows what it got as text instead of failing.

import { sanitize } from "./html.js";
import { attr, displayText, h, resolve } from "./util.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Built} */
export function buildChat(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const el = h("div", { class: "nblabel-chat", "data-name": name, role: "log", "aria-label": name });
	ctx.watchVisibility(node, el);
	return {
		el,
		update(task) {
			const v = resolve(value, task.data);
			const msgs = Array.isArray(v) ? v : [];
			el.replaceChildren(
				...msgs.map((m) => {
					const role = displayText(m?.role ?? "");
					const row = h("div", { class: "nblabel-message", "data-role": role }, h("div", { class: "nblabel-author" }, role), h("div", { class: "nblabel-message-text" }, displayText(m?.content ?? m)));
					return row;
				}),
			);
			if (!msgs.length) el.append(h("div", { class: "nblabel-muted" }, Array.isArray(v) ? "(no messages yet)" : displayText(v) || "(no messages)"));
		},
	};
}

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Built} */
export function buildTable(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const el = h("div", { class: "nblabel-table-wrap", "data-name": name });
	ctx.watchVisibility(node, el);
	return {
		el,
		update(task) {
			const v = resolve(value, task.data);
			const table = h("table", { class: "nblabel-table" });
			if (Array.isArray(v) && v.every((r) => r && typeof r === "object")) {
				const cols = [...new Set(v.flatMap((r) => Object.keys(r)))];
				table.append(h("tr", null, ...cols.map((c) => h("th", null, c))));
				for (const r of v) table.append(h("tr", null, ...cols.map((c) => h("td", null, displayText(r[c])))));
			} else if (v && typeof v === "object") {
				for (const [k, x] of Object.entries(v)) table.append(h("tr", null, h("th", null, k), h("td", null, displayText(x))));
			} else {
				table.append(h("tr", null, h("td", null, displayText(v))));
			}
			el.replaceChildren(table);
		},
	};
}

/**
 * One List item as a card: title, body, sanitised html.
 * @param {any} item
 */
export function itemCard(item) {
	if (item === null || typeof item !== "object") return h("div", { class: "nblabel-item-body" }, displayText(item));
	const html = item.html !== undefined ? h("div", { class: "nblabel-item-html" }) : null;
	html?.append(sanitize(displayText(item.html)));
	return h("div", { class: "nblabel-item-content" },
		item.title !== undefined ? h("div", { class: "nblabel-item-title" }, displayText(item.title)) : null,
		item.body !== undefined ? h("div", { class: "nblabel-item-body" }, displayText(item.body)) : null,
		html);
}

/** @param {ConfigNode} node @param {BuildContext} ctx @returns {Built} */
export function buildList(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const title = attr(node, "title");
	const list = h("ol", { class: "nblabel-list-items" });
	const el = h("div", { class: "nblabel-list", "data-name": name }, title ? h("div", { class: "nblabel-list-title" }, title) : null, list);
	ctx.watchVisibility(node, el);
	/** @type {any[]} */
	let items = [];
	ctx.regions.lists.set(name, { el, items: () => items, title: title ?? name });
	return {
		el,
		update(task) {
			const v = resolve(value, task.data);
			items = Array.isArray(v) ? v.map((it, i) => (it && typeof it === "object" && "id" in it ? it : { id: String(i), ...(typeof it === "object" ? it : { body: it }) })) : [];
			list.replaceChildren(...items.map((it) => h("li", { class: "nblabel-list-item" }, itemCard(it))));
		},
	};
}
