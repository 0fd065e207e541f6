// Structure objects: Chat (messages, optionally a composer), Table (key/value pairs or rows), List (items a Ranker orders).
// Rule: task values are shown as text nodes; only an item's `html` goes through `sanitize` (DOMPurify); an object
// that gets a value of the wrong shape shows what it got as text instead of failing.

import { sanitize } from "../html.js";
import { attr, displayText, h, regionId, resolve } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */

/**
 * Chat: the task's messages, and with `editable="true"` a composer whose messages become `chatmessage` results
 * (from_name = to_name = the Chat's name, like the editor); `minMessages` counts task + added messages.
 * @param {ConfigNode} node @param {BuildContext} ctx @returns {Built}
 */
export function buildChat(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const editable = (attr(node, "editable") ?? "").toLowerCase() === "true";
	const min = Number(attr(node, "minMessages") ?? 0) || 0;
	const roles = (attr(node, "messageroles") ?? "user,assistant").split(",").map((r) => r.trim()).filter(Boolean);
	const log = h("div", { class: "nblabel-chat", role: "log", "aria-label": name });
	const el = h("div", { class: "nblabel-chat-wrap", "data-name": name }, log);
	ctx.watchVisibility(node, el);
	/** @type {any[]} */
	let given = [];
	/** @type {import("../../types.js").ResultItem[]} */
	let added = [];
	const role = h("select", { class: "nblabel-field nblabel-chat-role", "aria-label": "role" }, ...roles.map((r) => h("option", { value: r }, r)));
	const field = h("textarea", { class: "nblabel-field", rows: "2", placeholder: "Add a message…", "aria-label": `${name} message` });
	const send = h("button", { type: "button", class: "nblabel-button", tabindex: "-1" }, "Add message");
	if (editable) el.append(h("div", { class: "nblabel-chat-composer" }, role, field, send));
	send.addEventListener("click", () => {
		if (!field.value.trim()) return;
		added.push({ id: regionId(), from_name: name, to_name: name, type: "chatmessage", value: { chatmessage: { role: role.value, content: field.value, createdAt: Date.now() } } });
		field.value = "";
		role.selectedIndex = (role.selectedIndex + 1) % Math.max(1, roles.length);
		paint();
	});

	function paint() {
		const msgs = given.concat(added.map((a) => a.value.chatmessage));
		log.replaceChildren(...msgs.map((m) => h("div", { class: "nblabel-message", "data-role": displayText(m?.role ?? "") },
			h("div", { class: "nblabel-author" }, displayText(m?.role ?? "")), h("div", { class: "nblabel-message-text" }, displayText(m?.content ?? m)))));
		if (!msgs.length) log.append(h("div", { class: "nblabel-muted" }, editable ? "(no messages yet: add one below)" : "(no messages)"));
	}
	return {
		el,
		update(task) {
			const v = resolve(value, task.data);
			given = Array.isArray(v) ? v : [];
			added = [];
			paint();
		},
		take(prefill) {
			added = prefill.filter((it) => it.type === "chatmessage" && it.from_name === name);
			paint();
			return prefill.filter((it) => !added.includes(it));
		},
		answer: () => ({ items: added, missing: editable && given.length + added.length < min ? `${name} (at least ${min} messages)` : null }),
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
 * @param {import("../remote.js").RemotePolicy} [remote]  what its html may load
 */
export function itemCard(item, remote = "media") {
	if (item === null || typeof item !== "object") return h("div", { class: "nblabel-item-body" }, displayText(item));
	const html = item.html !== undefined ? h("div", { class: "nblabel-item-html" }) : null;
	html?.append(sanitize(displayText(item.html), remote));
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
			list.replaceChildren(...items.map((it) => h("li", { class: "nblabel-list-item" }, itemCard(it, ctx.remote))));
		},
	};
}
