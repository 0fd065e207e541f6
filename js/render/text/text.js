// The Text object. Rule: task text is data, never markup — it is painted with text nodes only, whitespace is kept
// (`white-space: pre-wrap`), a long text scrolls inside its own max-height box (the card never grows without
// bound), and a missing value (null / NaN / "") shows a muted "(empty)" instead of a blank box. When a Labels
// control targets it, it holds regions: mouse selections and the keyboard cursor (Shift/Alt+arrows, word steps) are
// reported to the form, regions are painted from the store, and `toValue` / `fromValue` convert UTF-16 ↔ code points
// (the only place this object converts). A long text is painted in blocks the browser lays out only when they
// scroll into view (chunks.js).

import { paintText } from "./chunks.js";
import { cpToU16, selectionIn, snap, stepSelection, u16ToCp } from "./spans.js";
import { TextOverlay } from "./text_overlay.js";
import { attr, displayText, h, isEmptyValue, resolve, scrollHome } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */
/** @typedef {import("../regions.js").OverlayLayer} OverlayLayer */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildText(node, ctx) {
	const name = attr(node, "name") ?? "";
	const el = h("div", { class: "nblabel-text", "data-name": name, role: "article", "aria-label": name || "text" });
	const toTop = scrollHome(el);
	const value = attr(node, "value");
	const word = (attr(node, "granularity") ?? "").toLowerCase() === "word";
	ctx.watchVisibility(node, el);
	let text = "";
	let empty = true;
	/** @type {[number, number]|null} */
	let pending = null;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {OverlayLayer[]} review mode: other annotators' spans, underlined */
	let overlays = [];
	const overlay = new TextOverlay();

	function repaint() {
		if (empty) {
			paintText(el, "(empty)", [], null, null);
			overlay.clear(el);
			return;
		}
		const spans = shown.map((r) => ({ id: r.id, start: r.geom.start, end: r.geom.end, color: ctx.regions.colors.get(r.labels[0]) ?? "#888", labels: r.labels }));
		paintText(el, text, spans, selected, pending);
		overlay.paint(el, overlays.map((l) => ({ slot: l.slot, color: l.color, spans: l.regions.map((r) => ({ root: el, start: r.geom.start, end: r.geom.end })) })));
	}

	/** @param {[number, number]|null} range  UTF-16 */
	function propose(range) {
		pending = null;
		if (range) {
			const [s, e] = snap(text, range[0], range[1], word);
			if (s < e) pending = [s, e];
		}
		if (pending && ctx.selectionMade(name)) pending = null;
		repaint();
		if (pending) ctx.hint("Now press a label key (or click a label) to label the selection.");
	}

	el.addEventListener("mouseup", () => {
		if (empty || !ctx.regions.objectTargeted(name)) return;
		const range = selectionIn(el);
		if (!range) return;
		window.getSelection()?.removeAllRanges();
		propose(range);
	});
	el.addEventListener("click", (e) => {
		const t = e.target instanceof Element ? e.target.closest("[data-region]") : null;
		if (t && !window.getSelection()?.toString()) ctx.regionClicked(t.getAttribute("data-region") ?? "");
	});

	ctx.regions.objects.set(name, {
		name,
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
			return { start: u16ToCp(text, g.start), end: u16ToCp(text, g.end), text: text.slice(g.start, g.end) };
		},
		fromValue(v) {
			if (!Number.isInteger(v.start) || !Number.isInteger(v.end)) return null;
			const start = cpToU16(text, v.start);
			const end = cpToU16(text, v.end);
			return start < end && end <= text.length ? { geom: { start, end }, text: text.slice(start, end) } : null;
		},
		takePending() {
			const p = pending;
			pending = null;
			repaint();
			return p ? { object: name, geom: { start: p[0], end: p[1] }, text: text.slice(p[0], p[1]) } : null;
		},
		nav(e) {
			const last = shown.reduce((m, r) => Math.max(m, r.geom.end), 0);
			const next = stepSelection(text, pending, e, last);
			if (next === undefined) return false;
			pending = next;
			repaint();
			el.querySelector(".is-pending")?.scrollIntoView?.({ block: "nearest" });
			return true;
		},
	});

	return {
		el,
		update(task) {
			// a literal written in the config (no $field) is config formatting: collapse its indentation and newlines
			const v = value !== undefined && !value.includes("$") ? value.replace(/\s+/g, " ").trim() : resolve(value, task.data);
			empty = isEmptyValue(v);
			el.classList.toggle("is-empty", empty);
			// a list of strings (e.g. a document split in paragraphs) reads as paragraphs, not as JSON
			text = empty ? "" : Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("\n\n") : displayText(v);
			pending = null;
			shown = [];
			overlays = [];
			repaint();
			toTop();
		},
	};
}
