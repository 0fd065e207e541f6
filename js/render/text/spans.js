// Span painting and text offsets, shared by Text, Paragraphs and HyperText. Rules:
// - offsets here are UTF-16 units (what the DOM and JS strings count); `cpToU16` / `u16ToCp` convert to and from the
//   code points Python uses, and objects call them only in `toValue` / `fromValue` (docs/DESIGN.md "Offsets");
// - overlapping regions are painted by cutting the text at every region boundary: each piece shows the colours of
//   all regions covering it as stacked bands, so nested and crossing spans both stay visible;
// - painted text is only ever set with text nodes; the region's labels are shown by CSS `::after` from a data
//   attribute, so `Range.toString()` (how offsets are measured) sees the task text and nothing else.

import { h } from "../util.js";

/** `cont`: the span goes on past this piece of text (a chunk of a long text): its labels are not shown here.
 * @typedef {{id: string, start: number, end: number, color: string, labels: string[], cont?: boolean}} Span */

/** @type {{text: string|null, at: Int32Array}} UTF-16 offsets of the surrogate pairs of the last text converted */
const pairs = { text: null, at: new Int32Array(0) };

/** Where `text` has surrogate pairs (one scan per text: a 5 MB text is converted many times per task). @param {string} text */
function pairsOf(text) {
	if (pairs.text !== text) {
		const at = [];
		for (const m of text.matchAll(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)) at.push(/** @type {number} */ (m.index));
		pairs.text = text;
		pairs.at = Int32Array.from(at);
	}
	return pairs.at;
}

/** How many of the sorted `xs` satisfy `ok` (a prefix of them does). @param {Int32Array} xs @param {(x: number, i: number) => boolean} ok */
function countWhile(xs, ok) {
	let lo = 0;
	let hi = xs.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (ok(xs[mid], mid)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** UTF-16 offset of code point `cp` in `text`. @param {string} text @param {number} cp */
export function cpToU16(text, cp) {
	if (cp <= 0) return 0;
	const at = pairsOf(text);
	// pair k starts at code point at[k] - k: every pair before code point `cp` adds one unit
	return Math.min(text.length, cp + countWhile(at, (p, k) => p - k < cp));
}

/** Code-point offset of UTF-16 offset `u` in `text` (a lone half of a pair counts as one). @param {string} text @param {number} u */
export function u16ToCp(text, u) {
	const end = Math.max(0, Math.min(u, text.length));
	return end - countWhile(pairsOf(text), (p) => p + 2 <= end);
}

/**
 * Offset of (node, offset) inside `root`, counted in UTF-16 units of `root.textContent`.
 * @param {Node} root @param {Node} node @param {number} offset
 */
export function offsetIn(root, node, offset) {
	const r = document.createRange();
	r.setStart(root, 0);
	r.setEnd(node, offset);
	return r.toString().length;
}

const WORD = /[\p{L}\p{N}\p{M}_'’-]/u;

/**
 * Trim whitespace off both ends; with `word`, widen to whole words.
 * @param {string} text @param {number} start @param {number} end @param {boolean} word
 */
export function snap(text, start, end, word) {
	while (start < end && /\s/.test(text[start])) start++;
	while (end > start && /\s/.test(text[end - 1])) end--;
	if (word && start < end) {
		while (start > 0 && WORD.test(text[start - 1]) && WORD.test(text[start])) start--;
		while (end < text.length && WORD.test(text[end]) && WORD.test(text[end - 1])) end++;
	}
	return [start, end];
}

/** Words of `text` as [start, end) UTF-16 pairs (keyboard selection steps). @param {string} text */
export function words(text) {
	/** @type {[number, number][]} */
	const out = [];
	for (const m of text.matchAll(/\S+/gu)) out.push([/** @type {number} */ (m.index), /** @type {number} */ (m.index) + m[0].length]);
	return out;
}

/**
 * Repaint `el` with `text` and `spans` (plus a dashed pending selection).
 * @param {HTMLElement} el
 * @param {string} text
 * @param {Span[]} spans
 * @param {string|null} selected   region id drawn with an outline
 * @param {[number, number]|null} pending
 */
export function paintSpans(el, text, spans, selected, pending) {
	if (!spans.length && !pending) {
		el.textContent = text;
		return;
	}
	const cuts = new Set([0, text.length]);
	for (const s of spans) cuts.add(s.start).add(s.end);
	if (pending) cuts.add(pending[0]).add(pending[1]);
	const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
	const frag = document.createDocumentFragment();
	for (let k = 0; k < points.length - 1; k++) {
		const [a, b] = [points[k], points[k + 1]];
		if (a === b) continue;
		const piece = text.slice(a, b);
		const over = spans.filter((s) => s.start <= a && s.end >= b).sort((x, y) => y.end - y.start - (x.end - x.start));
		const inPending = pending && pending[0] <= a && pending[1] >= b;
		if (!over.length && !inPending) {
			frag.append(piece);
			continue;
		}
		const seg = h("span", { class: "nblabel-span" }, piece);
		if (over.length) {
			const inner = over[over.length - 1];
			seg.dataset.region = inner.id;
			seg.style.background = bands(over.map((s) => s.color));
			if (over.some((s) => s.id === selected)) seg.classList.add("is-selected");
			const ending = over.filter((s) => s.end === b && !s.cont);
			if (ending.length) {
				seg.classList.add("is-end");
				seg.dataset.labels = ending.map((s) => s.labels.join(", ")).join(" | ");
			}
		}
		if (inPending) seg.classList.add("is-pending");
		frag.append(seg);
	}
	el.replaceChildren(frag);
}

/** One soft band per covering region, outer first (top) to inner (bottom). @param {string[]} colors */
function bands(colors) {
	const mix = (/** @type {string} */ c) => `color-mix(in srgb, ${c} 38%, transparent)`;
	if (colors.length === 1) return mix(colors[0]);
	const step = 100 / colors.length;
	const stops = colors.map((c, i) => `${mix(c)} ${(i * step).toFixed(1)}% ${((i + 1) * step).toFixed(1)}%`);
	return `linear-gradient(${stops.join(", ")})`;
}

/**
 * The selection inside `el` as UTF-16 offsets of its text, or null (collapsed, outside, or across the boundary).
 * @param {HTMLElement} el
 * @returns {[number, number]|null}
 */
export function selectionIn(el) {
	const sel = window.getSelection();
	if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
	const r = sel.getRangeAt(0);
	if (!el.contains(r.startContainer) || !el.contains(r.endContainer)) return null;
	return [offsetIn(el, r.startContainer, r.startOffset), offsetIn(el, r.endContainer, r.endOffset)];
}

/**
 * Keyboard selection step (Shift+→/← grow/shrink by a word, Alt+→/← move a one-word cursor).
 * @param {string} text @param {[number, number]|null} cur @param {KeyboardEvent} e @param {number} from  where a new cursor starts
 * @returns {[number, number]|null|undefined}  undefined: not a selection key
 */
export function stepSelection(text, cur, e, from) {
	if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return undefined;
	if (!(e.shiftKey || e.altKey) || e.ctrlKey || e.metaKey) return undefined;
	if (text.length > NEAR * 4) {
		// a long text: the words around the cursor answer the same as all of them, unless the step leaves the window
		const lo = Math.max(0, Math.min(from, cur?.[0] ?? from) - NEAR);
		const hi = Math.max(from, cur?.[1] ?? from) + NEAR;
		const near = stepIn(text, cur, e, from, lo, hi);
		if (near !== undefined) return near;
	}
	return stepWith(words(text), cur, e, from);
}

const NEAR = 4000;

/** The step computed from the words of text[lo, hi) widened to whole words; undefined when it may lie outside.
 * @param {string} text @param {[number, number]|null} cur @param {KeyboardEvent} e @param {number} from @param {number} lo @param {number} hi
 * @returns {[number, number]|null|undefined} */
function stepIn(text, cur, e, from, lo, hi) {
	while (lo > 0 && !/\s/.test(text[lo - 1])) lo--;
	while (hi < text.length && !/\s/.test(text[hi])) hi++;
	const ws = words(text.slice(lo, hi)).map(([a, b]) => /** @type {[number, number]} */ ([a + lo, b + lo]));
	const got = stepWith(ws, cur, e, from);
	if (!got || !ws.length) return undefined;
	// trust it unless it touches the first or last word of the window where the text goes on beyond it
	const inside = (/** @type {number} */ x) => (lo === 0 || x > ws[0][1]) && (hi >= text.length || x < ws[ws.length - 1][0]);
	return inside(got[0]) && inside(got[1]) ? got : undefined;
}

/** @param {[number, number][]} ws @param {[number, number]|null} cur @param {KeyboardEvent} e @param {number} from
 * @returns {[number, number]|null} */
function stepWith(ws, cur, e, from) {
	if (!ws.length) return null;
	const right = e.key === "ArrowRight";
	if (!cur) return ws.find((w) => w[0] >= from) ?? ws[0];
	if (e.altKey) {
		const i = ws.findIndex((w) => w[0] >= cur[0]);
		const j = right ? Math.min(ws.length - 1, (i < 0 ? ws.length - 1 : i) + 1) : Math.max(0, (i < 0 ? ws.length : i) - 1);
		return ws[j];
	}
	const ends = ws.filter((w) => w[1] > cur[0]).map((w) => w[1]);
	const k = ends.indexOf(cur[1]);
	const next = right ? ends[Math.min(ends.length - 1, k + 1)] : ends[Math.max(0, k - 1)];
	return [cur[0], next ?? cur[1]];
}
