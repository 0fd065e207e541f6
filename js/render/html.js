// Task HTML (HyperText, `html` list items, Choice `html`). Rule: HTML from a task or a config reaches the DOM only
// through DOMPurify with scripts, event handlers, `javascript:`/`data:` URLs (except images), forms, frames, <style>,
// <base> and <meta> removed; links open in a new tab without an opener. The sanitised fragment is then inert data:
// nothing in it can run, restyle JupyterLab or navigate the notebook.

import DOMPurify from "dompurify";

const purify = DOMPurify(window);
purify.addHook("afterSanitizeAttributes", (node) => {
	if (node instanceof HTMLAnchorElement) {
		node.setAttribute("target", "_blank");
		node.setAttribute("rel", "noopener noreferrer");
	}
	for (const a of ["src", "href", "xlink:href", "action", "formaction", "background", "poster"]) {
		const v = node.getAttribute?.(a);
		if (v && !/^(https?:|mailto:|#|\/|\.|[\w-]+(\/|\.|$)|data:image\/(png|jpe?g|gif|webp);)/i.test(v.trim())) node.removeAttribute(a);
	}
});

const CONFIG = {
	FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "frame", "object", "embed", "base", "meta", "link", "script"],
	FORBID_ATTR: ["style", "srcset", "formaction", "action"],
	ALLOW_DATA_ATTR: false,
	RETURN_DOM_FRAGMENT: true,
};

/**
 * A sanitised fragment of `html`.
 * @param {string} html
 * @returns {DocumentFragment}
 */
export function sanitize(html) {
	return /** @type {DocumentFragment} */ (/** @type {unknown} */ (purify.sanitize(String(html ?? ""), CONFIG)));
}

/**
 * XPath of `node` relative to `root`, the Label Studio way: "/div[1]/p[2]/text()[1]".
 * @param {Node} root @param {Node} node
 */
export function xpathOf(root, node) {
	const parts = [];
	let n = /** @type {Node|null} */ (node);
	while (n && n !== root) {
		const p = /** @type {Node} */ (n.parentNode);
		const same = Array.from(p.childNodes).filter((c) => c.nodeType === n?.nodeType && c.nodeName === n?.nodeName);
		const step = n.nodeType === Node.TEXT_NODE ? "text()" : n.nodeName.toLowerCase();
		parts.unshift(`${step}[${same.indexOf(/** @type {ChildNode} */ (n)) + 1}]`);
		n = p;
	}
	return `/${parts.join("/")}`;
}

/**
 * The node at an LS XPath under `root`, or null.
 * @param {Node} root @param {string} path
 */
export function nodeAt(root, path) {
	let n = /** @type {Node|null} */ (root);
	for (const step of path.split("/").filter(Boolean)) {
		const m = /^([\w-]+(?:\(\))?)\[(\d+)\]$/.exec(step);
		if (!m || !n) return null;
		const name = m[1] === "text()" ? "#text" : m[1].toUpperCase();
		const kids = Array.from(n.childNodes).filter((c) => c.nodeName.toUpperCase() === name);
		n = kids[Number(m[2]) - 1] ?? null;
	}
	return n;
}
