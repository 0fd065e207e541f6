// Task HTML (HyperText, `html` list items, Choice `html`). Rule: HTML from a task or a config reaches the DOM only
// through DOMPurify with scripts, event handlers, `javascript:`/`data:` URLs (except images), forms, frames, <style>,
// <base> and <meta> removed. Then, every URL left is judged by the browser's URL parser (remote.js): links (HTML
// <a>, <area>) open in a new tab without an opener or referrer, SVG links and any other link-like attribute are
// removed (a click must never navigate the notebook); resources load only when the remote policy allows them —
// by default same-origin and `data:` images, a remote image becomes a placeholder saying how to allow it. The
// sanitised fragment is then inert data: nothing in it can run, restyle JupyterLab, navigate or phone home.

import DOMPurify from "dompurify";
import { cssLoads, linkHref, loadVerdict, parseUrl, remoteBlocked } from "./remote.js";

/** @typedef {import("./remote.js").RemotePolicy} RemotePolicy */

const LOADING = ["src", "poster", "background", "data", "href", "xlink:href"];
const SVG_RESOURCES = new Set(["image", "feimage", "textpath", "mpath", "tref", "pattern", "lineargradient", "radialgradient", "filter"]);
const PLACEHOLDER_TAGS = { IMG: "image", VIDEO: "video", AUDIO: "audio" };
const MARK = "data-nblabel-remote"; // set by the hook only: DOMPurify has already dropped every data-* of the input

/** the policy of the sanitize call running now (hooks have no arguments of their own) */
let policy = /** @type {RemotePolicy} */ ("media");

const purify = DOMPurify(window);
purify.addHook("afterSanitizeAttributes", (node) => {
	if (!(node instanceof Element)) return;
	const link = node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement;
	if (link) {
		const href = node.getAttribute("href");
		const ok = href === null ? null : /^#[\w-]*$/.test(href) ? href : linkHref(href);
		if (ok) node.setAttribute("href", ok);
		else node.removeAttribute("href");
		node.setAttribute("target", "_blank");
		node.setAttribute("rel", "noopener noreferrer");
	}
	const tag = node.tagName.toLowerCase();
	for (const a of LOADING) {
		if (link && a === "href") continue;
		const v = node.getAttribute(a);
		if (v === null) continue;
		const isRef = a === "href" || a === "xlink:href";
		// an href elsewhere is a link (SVG <a> cannot carry rel=noopener, MathML ones) unless it names an SVG resource;
		// a fragment reference (#id) inside the same SVG loads nothing
		let verdict = isRef && !SVG_RESOURCES.has(tag) ? "refused" : loadVerdict(v, policy);
		if (isRef && SVG_RESOURCES.has(tag) && /^\s*#/.test(v)) verdict = "ok";
		if (verdict === "ok") continue;
		node.removeAttribute(a);
		if (verdict !== "remote") continue;
		if (node.tagName in PLACEHOLDER_TAGS) node.setAttribute(MARK, v);
		else if ((tag === "source" || tag === "track") && node.parentElement && node.parentElement.tagName in PLACEHOLDER_TAGS) node.parentElement.setAttribute(MARK, v);
	}
	for (const attr of Array.from(node.attributes)) {
		if (attr.name !== MARK && attr.value.includes("(") && cssLoads(attr.value, policy)) node.removeAttribute(attr.name); // SVG fill="url(…)", mask=…
	}
});

const CONFIG = {
	FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "frame", "object", "embed", "base", "meta", "link", "script"],
	FORBID_ATTR: ["style", "srcset", "formaction", "action", "ping"],
	ALLOW_DATA_ATTR: false,
	RETURN_DOM_FRAGMENT: true,
};

/**
 * A sanitised fragment of `html`; resources load only as `remote` allows.
 * @param {string} html
 * @param {RemotePolicy} [remote]
 * @returns {DocumentFragment}
 */
export function sanitize(html, remote = "media") {
	return run(String(html ?? ""), remote);
}

/**
 * The children of `container` (an element of an inert parsed document, e.g. a slice of a big page), sanitised
 * exactly as `sanitize` would sanitise their markup; `container` itself is not kept.
 * @param {HTMLElement} container  a <div>
 * @param {RemotePolicy} [remote]
 * @returns {DocumentFragment}
 */
export function sanitizeChildren(container, remote = "media") {
	const frag = run(container, remote);
	const out = document.createDocumentFragment();
	const div = frag.firstChild;
	if (div) out.append(...Array.from(div.childNodes));
	return out;
}

/** @param {string|Node} dirty @param {RemotePolicy} remote */
function run(dirty, remote) {
	policy = remote;
	let frag;
	try {
		frag = /** @type {DocumentFragment} */ (/** @type {unknown} */ (purify.sanitize(dirty, CONFIG)));
	} finally {
		policy = "media";
	}
	placeholders(frag);
	return frag;
}

/** Replace the media the hook blocked by their placeholders. @param {ParentNode} root */
export function placeholders(root) {
	for (const el of Array.from(root.querySelectorAll(`[${MARK}]`))) {
		const url = parseUrl(el.getAttribute(MARK) ?? "");
		if (url) el.replaceWith(remoteBlocked(url, PLACEHOLDER_TAGS[/** @type {keyof typeof PLACEHOLDER_TAGS} */ (el.tagName)] ?? "image", el.getAttribute("alt") ?? undefined));
		else el.remove();
	}
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
