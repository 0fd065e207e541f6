// Helpers every tag renderer shares. Rule: nothing from a task or a config ever becomes HTML: elements are
// created with `document.createElement`, text goes through `textContent`, config values only through
// attributes / `classList` / `style` properties (all parsed by the browser as data, never as markup).

import { dropLoads } from "./remote.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */

/**
 * `h("div", {class: "a b", title: "x"}, child, "text")` — a tiny element builder (no innerHTML anywhere).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string|number|boolean|null|undefined>|null} [attrs]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs ?? {})) {
		if (v === null || v === undefined || v === false) continue;
		if (k === "class") el.className = String(v);
		else el.setAttribute(k, v === true ? "" : String(v));
	}
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		el.append(c);
	}
	return el;
}

/**
 * Attribute lookup ignoring case (configs write both `showInline` and `showInLine`).
 * @param {ConfigNode} node
 * @param {string} name
 * @returns {string|undefined}
 */
export function attr(node, name) {
	const a = node.attrs ?? {};
	if (name in a) return a[name];
	const low = name.toLowerCase();
	for (const k of Object.keys(a)) if (k.toLowerCase() === low) return a[k];
	return undefined;
}

/** @param {ConfigNode} node @param {string} name @param {boolean} [fallback] */
export function boolAttr(node, name, fallback = false) {
	const v = attr(node, name);
	if (v === undefined) return fallback;
	return /^(true|1|yes)$/i.test(v.trim());
}

/** @param {ConfigNode} node @param {string} name @param {number} fallback */
export function numAttr(node, name, fallback) {
	const v = attr(node, name);
	const n = v === undefined || v.trim() === "" ? NaN : Number(v);
	return Number.isFinite(n) ? n : fallback;
}

/**
 * "$field" → the task's value; text with `$field` inside → interpolated; anything else → literal.
 * @param {string|undefined} value
 * @param {Record<string, any>} data
 * @returns {any}
 */
export function resolve(value, data) {
	if (value === undefined || value === null) return undefined;
	const m = /^\$([\w.-]+)$/.exec(value.trim());
	if (m && m[1] in data) return data[m[1]];
	const path = /^\$([\w-]+)((?:\[\d+\]|\.[\w-]+)+)$/.exec(value.trim()); // `$images[2].url` (a Repeater's item)
	if (path) return Object.hasOwn(data, path[1]) ? walkPath(data[path[1]], path[2]) : undefined;
	if (m) return undefined;
	if (!value.includes("$")) return value;
	return value.replace(/\$([A-Za-z_][\w]*)/g, (all, name) => (name in data ? displayText(data[name]) : all));
}

/** Follow `[2].url`-style steps into a value; undefined where a step is missing. @param {any} v @param {string} steps */
function walkPath(v, steps) {
	for (const [, index, key] of steps.matchAll(/\[(\d+)\]|\.([\w-]+)/g)) {
		if (v === null || typeof v !== "object") return undefined;
		const k = index !== undefined ? Number(index) : key;
		if (index !== undefined ? !Array.isArray(v) : Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
		v = v[k];
	}
	return v;
}

/** A task value as text; null/NaN/undefined → "" (callers show "(empty)"). @param {any} v */
export function displayText(v) {
	if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
	if (typeof v === "object") {
		try {
			return JSON.stringify(v, null, 2);
		} catch {
			return String(v);
		}
	}
	return String(v);
}

/** @param {any} v */
export function isEmptyValue(v) {
	return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) || v === "";
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** A 10-character region id, like the Label Studio editor's nanoid(10). */
export function regionId() {
	const bytes = crypto.getRandomValues(new Uint8Array(10));
	return Array.from(bytes, (b) => ID_CHARS[b & 63]).join("");
}

/** Class names from a config `className` attribute, keeping only safe tokens. @param {string|undefined} v */
export function safeClasses(v) {
	return (v ?? "").split(/\s+/).filter((c) => /^[A-Za-z_][\w-]*$/.test(c) && !c.startsWith("nblabel"));
}

/**
 * Apply a config `style="…"` attribute (or a task option's `style`). The browser parses it as a declaration list (no
 * markup possible); `position: fixed` is turned into `absolute` so a config cannot pin an element over JupyterLab
 * (the canvas is also a paint-containment box, so nothing escapes it visually); declarations that would load what
 * `remote` does not allow are dropped (task-data styles pass "none": they load nothing).
 * @param {HTMLElement} el
 * @param {string|undefined} css
 * @param {import("./remote.js").RemotePolicy} [remote]
 */
export function applyStyle(el, css, remote = "media") {
	if (!css) return;
	el.style.cssText = css;
	if (el.style.position === "fixed") el.style.position = "absolute";
	dropLoads(el.style, remote);
}

/** The first name of a `toName="a,b"` attribute. @param {ConfigNode} node */
export function firstToName(node) {
	return (attr(node, "toName") ?? "").split(",")[0].trim();
}

/**
 * All descendants with tag `tag`, in document order.
 * @param {ConfigNode} node
 * @param {string} tag
 * @returns {ConfigNode[]}
 */
export function descendants(node, tag) {
	/** @type {ConfigNode[]} */
	const out = [];
	for (const c of node.children ?? []) {
		if (c.tag === tag) out.push(c);
		else out.push(...descendants(c, tag));
	}
	return out;
}

/**
 * A "back to the top" for a scroll box that neither reads nor forces layout on a task switch: a passive scroll
 * listener notes whether the box left its top (read there, where layout is clean), and only then does the returned
 * function write `scrollTop` — writing it, even to 0, makes the browser lay out the page at once, mid key press.
 * @param {HTMLElement} el
 * @returns {() => void}
 */
export function scrollHome(el) {
	let away = false;
	el.addEventListener("scroll", () => (away = el.scrollTop > 0), { passive: true });
	return () => {
		if (!away) return;
		away = false;
		el.scrollTop = 0;
	};
}
