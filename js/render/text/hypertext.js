// The HyperText object. Rule: the task's HTML is shown only after `sanitize` (DOMPurify); regions use Label Studio's
// shape — XPaths of the start / end text nodes relative to the HTML root, `startOffset`/`endOffset` inside those
// nodes, `globalOffsets` over the whole text — all counted in code points like every offset Python sees. A pristine
// sanitised copy (`base`) is kept for XPaths; the shown copy gets highlight spans wrapped around text pieces.
// A big page is prepared in slices (html_slices.js): its first part shows at once, regions of the task wait in the
// store until it is complete (submitted unchanged if the annotator answers before), selections wait too.

import { sanitize, xpathOf, nodeAt } from "../html.js";
import { BIG_HTML, SlicedPage } from "./html_slices.js";
import { cpToU16, paintSpans, selectionIn, snap, u16ToCp } from "./spans.js";
import { TextOverlay } from "./text_overlay.js";
import { attr, displayText, h, resolve, scrollHome } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */

/** Text nodes of `roots` with their [start, end) in UTF-16 units of their text, counted from `at`.
 * @param {Node|Node[]} roots @param {number} [at] */
function textNodes(roots, at = 0) {
	/** @type {{node: Text, start: number, end: number}[]} */
	const out = [];
	for (const root of Array.isArray(roots) ? roots : [roots]) {
		if (root.nodeType === Node.TEXT_NODE) {
			const len = /** @type {Text} */ (root).data.length;
			out.push({ node: /** @type {Text} */ (root), start: at, end: at + len });
			at += len;
			continue;
		}
		const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			const len = /** @type {Text} */ (n).data.length;
			out.push({ node: /** @type {Text} */ (n), start: at, end: at + len });
			at += len;
		}
	}
	return out;
}

/**
 * Wrap highlight spans around the text pieces of `copy` (offsets relative to its text).
 * @param {HTMLElement} copy @param {import("./spans.js").Span[]} spans @param {string|null} selected @param {[number, number]|null} pending
 */
function paintCopy(copy, spans, selected, pending) {
	for (const t of textNodes(copy)) {
		const local = spans.filter((s) => s.start < t.end && s.end > t.start).map((s) => ({ ...s, start: Math.max(0, s.start - t.start), end: Math.min(t.end, s.end) - t.start, cont: s.cont || s.end > t.end }));
		const p = pending && pending[0] < t.end && pending[1] > t.start ? /** @type {[number, number]} */ ([Math.max(0, pending[0] - t.start), Math.min(t.end, pending[1]) - t.start]) : null;
		if (!local.length && !p) continue;
		const tmp = document.createElement("span");
		paintSpans(tmp, t.node.data, local, selected, p);
		t.node.replaceWith(...Array.from(tmp.childNodes));
	}
}

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildHyperText(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const el = h("div", { class: "nblabel-hypertext", "data-name": name });
	const toTop = scrollHome(el);
	ctx.watchVisibility(node, el);
	let base = document.createElement("div");
	let text = "";
	/** @type {[number, number]|null} */
	let pending = null;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;

	/** @type {SlicedPage|null} a big page (prepared in slices) */
	let page = null;

	/** @type {import("../regions.js").OverlayLayer[]} review mode: other annotators' spans, underlined */
	let overlays = [];
	const overlay = new TextOverlay();

	function repaint() {
		const spans = shown.map((r) => ({ id: r.id, start: r.geom.start, end: r.geom.end, color: ctx.regions.colors.get(r.labels[0]) ?? "#888", labels: r.labels }));
		if (page) {
			if (page.done) page.repaint(spans, selected, pending, paintCopy);
		} else {
			const copy = /** @type {HTMLElement} */ (base.cloneNode(true));
			if (spans.length || pending) paintCopy(copy, spans, selected, pending);
			el.replaceChildren(...Array.from(copy.childNodes));
		}
		if (!page || page.done) overlay.paint(el, overlays.map((l) => ({ slot: l.slot, color: l.color, spans: l.regions.map((r) => ({ root: el, start: r.geom.start, end: r.geom.end })) })));
	}

	el.addEventListener("mouseup", () => {
		if (!ctx.regions.objectTargeted(name)) return;
		if (page && !page.done) {
			if (selectionIn(el)) ctx.hint("This page is still being prepared: select again in a moment.");
			return;
		}
		const range = selectionIn(el);
		if (!range) return;
		window.getSelection()?.removeAllRanges();
		const [s, e] = snap(text, range[0], range[1], false);
		pending = s < e ? [s, e] : null;
		if (pending && ctx.selectionMade(name)) pending = null;
		repaint();
		if (pending) ctx.hint("Now press a label key (or click a label) to label the selection.");
	});
	el.addEventListener("click", (e) => {
		const t = e.target instanceof Element ? e.target.closest("[data-region]") : null;
		if (t && !window.getSelection()?.toString()) ctx.regionClicked(t.getAttribute("data-region") ?? "");
		if (e.target instanceof Element && e.target.closest("a") && ctx.regions.objectTargeted(name)) e.preventDefault();
	});

	/** @param {number} u  global UTF-16 offset @param {boolean} isEnd */
	function locate(u, isEnd) {
		const chunk = page?.chunkAt(u, isEnd);
		const nodes = chunk ? textNodes(chunk.parts, chunk.start) : textNodes(base);
		const t = nodes.find((n) => (isEnd ? n.start < u && u <= n.end : n.start <= u && u < n.end)) ?? nodes[nodes.length - 1];
		return { path: xpathOf(base, t.node), offset: u16ToCp(t.node.data, u - t.start) };
	}

	ctx.regions.objects.set(name, {
		name,
		ready: () => !page || page.done,
		paint(regions, sel) {
			shown = regions;
			selected = sel;
			repaint();
		},
		overlay(layers) {
			overlays = layers;
			repaint();
		},
		toValue(g) {
			const a = locate(g.start, false);
			const b = locate(g.end, true);
			return { start: a.path, end: b.path, startOffset: a.offset, endOffset: b.offset,
				globalOffsets: { start: u16ToCp(text, g.start), end: u16ToCp(text, g.end) }, text: text.slice(g.start, g.end) };
		},
		fromValue(v) {
			let start = -1;
			let end = -1;
			if (v.globalOffsets && Number.isInteger(v.globalOffsets.start)) {
				start = cpToU16(text, v.globalOffsets.start);
				end = cpToU16(text, v.globalOffsets.end);
			} else if (typeof v.start === "string") {
				const nodes = textNodes(base);
				const a = nodes.find((n) => n.node === nodeAt(base, v.start));
				const b = nodes.find((n) => n.node === nodeAt(base, v.end));
				if (a && b) [start, end] = [a.start + cpToU16(a.node.data, v.startOffset ?? 0), b.start + cpToU16(b.node.data, v.endOffset ?? 0)];
			}
			return start >= 0 && start < end && end <= text.length ? { geom: { start, end }, text: text.slice(start, end) } : null;
		},
		takePending() {
			const p = pending;
			pending = null;
			repaint();
			return p ? { object: name, geom: { start: p[0], end: p[1] }, text: text.slice(p[0], p[1]) } : null;
		},
	});

	return {
		el,
		update(task) {
			page?.cancel();
			page = null;
			base = document.createElement("div");
			pending = null;
			shown = [];
			overlays = [];
			overlay.clear(el);
			const html = displayText(resolve(value, task.data));
			if (html.length > BIG_HTML) {
				text = "";
				page = new SlicedPage(html, ctx.remote, base, el, (done) => {
					if (page !== done) return;
					text = base.textContent ?? "";
					ctx.regions.resume(name);
				});
				toTop();
				return;
			}
			base.append(sanitize(html, ctx.remote));
			text = base.textContent ?? "";
			repaint();
		},
	};
}
