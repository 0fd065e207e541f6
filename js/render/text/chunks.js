// Long texts. Rule: a text over LONG_TEXT characters is painted as blocks of about CHUNK characters, cut right
// after a line break where there is one near (a block's trailing line break draws nothing, so the text looks the
// same), else after a space. Each block has `content-visibility: auto`, so the browser lays out only the blocks on
// screen: a 5 MB text shows its first screen at once instead of freezing the tab for seconds. Offsets do not change:
// they are measured with `Range.toString()`, which counts text nodes only, never block boundaries. A repaint
// redraws only the blocks whose spans changed.

import { paintSpans } from "./spans.js";

/** @typedef {import("./spans.js").Span} Span */

export const LONG_TEXT = 100_000;
const CHUNK = 16_000;
const CHARS_PER_LINE = 90; // for the height a block is given before it is first laid out
const LINE_PX = 22;

/**
 * Where to cut `text` into blocks: [0, …, text.length].
 * @param {string} text
 * @param {number} [size]
 * @returns {number[]}
 */
export function chunkBounds(text, size = CHUNK) {
	const out = [0];
	let at = 0;
	while (text.length - at > size * 1.5) {
		const target = at + size;
		const reach = target + (size >> 1);
		const nl = text.indexOf("\n", target);
		const sp = text.indexOf(" ", target);
		let cut = nl >= 0 && nl < reach ? nl + 1 : sp >= 0 && sp < reach ? sp + 1 : target;
		const c = text.charCodeAt(cut - 1);
		if (c >= 0xd800 && c <= 0xdbff) cut++; // never between the halves of a surrogate pair
		out.push(cut);
		at = cut;
	}
	out.push(text.length);
	return out;
}

/** A height to reserve for a block until the browser has laid it out once (then it remembers the real one). @param {string} piece */
function estimate(piece) {
	let lines = 0;
	let from = 0;
	for (;;) {
		const nl = piece.indexOf("\n", from);
		const len = (nl < 0 ? piece.length : nl) - from;
		lines += Math.max(1, Math.ceil(len / CHARS_PER_LINE));
		if (nl < 0) break;
		from = nl + 1;
	}
	return lines * LINE_PX;
}

/** @type {WeakMap<HTMLElement, {text: string, bounds: number[], blocks: HTMLElement[], keys: string[]}>} */
const painted = new WeakMap();

/**
 * Repaint a long `text` in `el` as blocks (same arguments as `paintSpans`, offsets over the whole text).
 * @param {HTMLElement} el
 * @param {string} text
 * @param {Span[]} spans
 * @param {string|null} selected
 * @param {[number, number]|null} pending
 */
export function paintChunked(el, text, spans, selected, pending) {
	let state = painted.get(el);
	if (!state || state.text !== text || el.firstChild !== state.blocks[0]) {
		const bounds = chunkBounds(text);
		const blocks = [];
		for (let i = 0; i + 1 < bounds.length; i++) {
			const piece = text.slice(bounds[i], bounds[i + 1]);
			const block = document.createElement("div");
			block.className = "nblabel-chunk";
			block.style.containIntrinsicBlockSize = `auto ${estimate(piece)}px`;
			block.textContent = piece;
			blocks.push(block);
		}
		el.replaceChildren(...blocks);
		state = { text, bounds, blocks, keys: blocks.map(() => "") };
		painted.set(el, state);
	}
	const { bounds, blocks, keys } = state;
	for (let i = 0; i < blocks.length; i++) {
		const [a, b] = [bounds[i], bounds[i + 1]];
		const local = spans
			.filter((s) => s.start < b && s.end > a)
			.map((s) => ({ ...s, start: Math.max(s.start, a) - a, end: Math.min(s.end, b) - a, cont: s.end > b }));
		const p = pending && pending[0] < b && pending[1] > a ? /** @type {[number, number]} */ ([Math.max(pending[0], a) - a, Math.min(pending[1], b) - a]) : null;
		const sel = local.some((s) => s.id === selected) ? selected : null;
		const key = local.length || p ? JSON.stringify([local, sel, p]) : "";
		if (key === keys[i]) continue;
		keys[i] = key;
		if (!key) blocks[i].textContent = text.slice(a, b);
		else paintSpans(blocks[i], text.slice(a, b), local, sel, p);
	}
}

/** Forget what `el` shows (it was repainted some other way). @param {HTMLElement} el */
export function forgetChunks(el) {
	painted.delete(el);
}
