// Review mode's overlays on text: other annotators' spans drawn as underlines in each annotator's colour, one lane
// (underline offset) per annotator slot, with the CSS Custom Highlight API. Rules:
// - nothing is added to the text's DOM: the editable spans, offsets (`Range.toString`) and mouse selection work as
//   without overlays, and an overlay can never take a click;
// - a highlight is a set of ranges over the painted text nodes; a repaint of the text replaces those nodes, so the
//   object paints its overlays again after every repaint;
// - highlight names are global to the document: each text object gets names of its own, and the rules styling them
//   are written once per root node (document or shadow root) from the fixed palette, never from task data;
// - a browser without highlights shows none (the review panel still lists every answer).

/** An annotator's spans over one text root: offsets in UTF-16 units of `root.textContent`.
 * @typedef {{slot: number, color: string, spans: {root: Node, start: number, end: number}[]}} TextLayer */

let seq = 0;
const COLOR = /^#[0-9a-f]{3,8}$/i;
/** @type {WeakMap<Node, {style: HTMLStyleElement, done: Set<string>}>} one style element per root node, its rules */
const sheets = new WeakMap();

const supported = () => typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

/** The underline of slot `slot`: one of three lanes below the text (the line is spaced for them while overlays are
 * drawn); slots 3–5 take the lanes again, dashed. @param {string} name @param {number} slot @param {string} color */
function rule(name, slot, color) {
	const offset = 2 + (slot % 3) * 4;
	const style = slot % 6 >= 3 ? "dashed" : "solid";
	return `::highlight(${name}) { text-decoration: underline ${style} ${color}; text-decoration-thickness: 2px; `
		+ `text-underline-offset: ${offset}px; text-decoration-skip-ink: none; }`;
}

/** Where offset `at` of `root`'s text falls: a text node and an offset in it. @param {Text[]} nodes @param {number[]} starts @param {number} at */
function point(nodes, starts, at) {
	let lo = 0;
	let hi = nodes.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid] <= at) lo = mid;
		else hi = mid - 1;
	}
	return { node: nodes[lo], offset: Math.min(at - starts[lo], nodes[lo].data.length) };
}

/** @param {Node} root @returns {{nodes: Text[], starts: number[], length: number}} */
function textNodes(root) {
	const nodes = [];
	const starts = [];
	let at = 0;
	const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		nodes.push(/** @type {Text} */ (n));
		starts.push(at);
		at += /** @type {Text} */ (n).data.length;
	}
	return { nodes, starts, length: at };
}

export class TextOverlay {
	constructor() {
		this.id = ++seq;
		/** @type {Set<string>} highlight names this object holds */
		this.names = new Set();
	}

	/** Underline each layer's spans (replacing what was drawn). @param {HTMLElement} host  the object's element @param {TextLayer[]} layers */
	paint(host, layers) {
		if (!supported()) return;
		const keep = new Set();
		/** @type {Map<Node, ReturnType<typeof textNodes>>} */
		const roots = new Map();
		for (const layer of layers) {
			if (!COLOR.test(layer.color)) continue;
			const name = `nblabel-overlay-${this.id}-${layer.slot}`;
			const ranges = [];
			for (const s of layer.spans) {
				let t = roots.get(s.root);
				if (!t) roots.set(s.root, (t = textNodes(s.root)));
				const end = Math.min(s.end, t.length); // a long text still attaching its blocks: the part on the page
				if (!t.nodes.length || s.start >= end) continue;
				const a = point(t.nodes, t.starts, s.start);
				const b = point(t.nodes, t.starts, end);
				const r = document.createRange();
				r.setStart(a.node, a.offset);
				r.setEnd(b.node, b.offset);
				ranges.push(r);
			}
			if (!ranges.length) continue;
			this.#style(host, name, layer.slot, layer.color);
			CSS.highlights.set(name, new Highlight(...ranges));
			keep.add(name);
		}
		for (const name of this.names) if (!keep.has(name)) CSS.highlights.delete(name);
		this.names = keep;
		host.classList.toggle("has-overlays", keep.size > 0);
	}

	/** @param {HTMLElement} host */
	clear(host) {
		if (supported()) for (const name of this.names) CSS.highlights.delete(name);
		this.names = new Set();
		host.classList.remove("has-overlays");
	}

	/** @param {HTMLElement} host @param {string} name @param {number} slot @param {string} color */
	#style(host, name, slot, color) {
		const root = host.getRootNode();
		const key = `${name}:${color}`;
		let sheet = sheets.get(root);
		if (!sheet) {
			const style = document.createElement("style");
			style.dataset.nblabelOverlays = "";
			if (root instanceof ShadowRoot) root.append(style);
			else document.head.append(style);
			sheet = { style, done: new Set() };
			sheets.set(root, sheet);
		}
		if (sheet.done.has(key)) return;
		sheet.done.add(key);
		try {
			sheet.style.sheet?.insertRule(rule(name, slot, color), sheet.style.sheet.cssRules.length);
		} catch {
			// a browser that has highlights but not this rule: the underline falls back to the text colour
		}
	}
}
