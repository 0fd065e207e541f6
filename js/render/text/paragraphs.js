// The Paragraphs object (dialogues, transcripts). Rule: each paragraph is `{<nameKey>: author, <textKey>: text}`
// from the task (defaults "author" / "text"), painted as text nodes; ParagraphLabels regions are selections inside
// one paragraph, in Label Studio's shape: `start`/`end` = the paragraph index as a string, `startOffset`/`endOffset`
// in code points inside that paragraph's text.

import { cpToU16, paintSpans, selectionIn, snap, u16ToCp } from "./spans.js";
import { TextOverlay } from "./text_overlay.js";
import { attr, displayText, h, resolve } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildParagraphs(node, ctx) {
	const name = attr(node, "name") ?? "";
	const value = attr(node, "value");
	const nameKey = attr(node, "nameKey") ?? "author";
	const textKey = attr(node, "textKey") ?? "text";
	const dialogue = (attr(node, "layout") ?? "").toLowerCase() === "dialogue";
	const el = h("div", { class: `nblabel-paragraphs${dialogue ? " is-dialogue" : ""}`, "data-name": name });
	ctx.watchVisibility(node, el);
	/** @type {{author: string, text: string, el: HTMLElement}[]} */
	let paras = [];
	/** @type {{p: number, range: [number, number]}|null} */
	let pending = null;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {Map<string, number>} author → colour slot */
	const authors = new Map();
	/** @type {import("../regions.js").OverlayLayer[]} review mode: other annotators' spans, underlined */
	let overlays = [];
	const overlay = new TextOverlay();

	function repaint() {
		paras.forEach((para, i) => {
			const spans = shown.filter((r) => r.geom.p === i).map((r) => ({ id: r.id, start: r.geom.start, end: r.geom.end, color: ctx.regions.colors.get(r.labels[0]) ?? "#888", labels: r.labels }));
			paintSpans(para.el, para.text, spans, selected, pending?.p === i ? pending.range : null);
		});
		overlay.paint(el, overlays.map((l) => ({ slot: l.slot, color: l.color,
			spans: l.regions.filter((r) => paras[r.geom.p]).map((r) => ({ root: paras[r.geom.p].el, start: r.geom.start, end: r.geom.end })) })));
	}

	el.addEventListener("mouseup", () => {
		if (!ctx.regions.objectTargeted(name)) return;
		const i = paras.findIndex((p) => selectionIn(p.el));
		if (i < 0) return;
		const range = /** @type {[number, number]} */ (selectionIn(paras[i].el));
		window.getSelection()?.removeAllRanges();
		const [s, e] = snap(paras[i].text, range[0], range[1], false);
		pending = s < e ? { p: i, range: [s, e] } : null;
		if (pending && ctx.selectionMade(name)) pending = null;
		repaint();
		if (pending) ctx.hint("Now press a label key (or click a label) to label the selection.");
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
			const t = paras[g.p]?.text ?? "";
			return { start: String(g.p), end: String(g.p), startOffset: u16ToCp(t, g.start), endOffset: u16ToCp(t, g.end), text: t.slice(g.start, g.end) };
		},
		fromValue(v) {
			const p = Number(v.start);
			const para = paras[p];
			if (!para || String(v.end) !== String(v.start) || !Number.isInteger(v.startOffset)) return null;
			const start = cpToU16(para.text, v.startOffset);
			const end = cpToU16(para.text, v.endOffset);
			return start < end && end <= para.text.length ? { geom: { p, start, end }, text: para.text.slice(start, end) } : null;
		},
		takePending() {
			const got = pending;
			pending = null;
			repaint();
			if (!got) return null;
			const t = paras[got.p].text;
			return { object: name, geom: { p: got.p, start: got.range[0], end: got.range[1] }, text: t.slice(got.range[0], got.range[1]) };
		},
	});

	return {
		el,
		update(task) {
			const list = resolve(value, task.data);
			const items = Array.isArray(list) ? list : [];
			paras = items.map((item) => {
				const author = displayText(item?.[nameKey]);
				if (!authors.has(author)) authors.set(author, authors.size % 6);
				const body = h("div", { class: "nblabel-paragraph-text" });
				const row = h("div", { class: `nblabel-paragraph nblabel-author-${authors.get(author)}` }, author ? h("div", { class: "nblabel-author" }, author) : null, body);
				return { author, text: displayText(typeof item === "object" && item ? item[textKey] : item), el: body, row };
			}).map(({ row, ...p }) => {
				el.append(row);
				return p;
			});
			el.replaceChildren(...paras.map((p) => /** @type {HTMLElement} */ (p.el.parentElement)));
			if (!paras.length) el.append(h("div", { class: "nblabel-muted" }, "(no paragraphs)"));
			pending = null;
			shown = [];
			overlays = [];
			repaint();
		},
	};
}
