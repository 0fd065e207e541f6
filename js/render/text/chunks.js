// Long texts. Rule: a text over LONG_TEXT characters is painted as blocks of about CHUNK characters, cut right
// after a line break where there is one near (a block's trailing line break draws nothing, so the text looks the
// same), else after a space. Each block has `content-visibility: auto`, so the browser lays out only the blocks on
// screen: a 5 MB text shows its first screen at once instead of freezing the tab for seconds. Offsets do not change:
// they are measured with `Range.toString()`, which counts text nodes only, never block boundaries. The first blocks
// (a screenful and more) are attached at once, the rest in later tasks (`is-partial` meanwhile), so showing the
// task never waits on millions of characters; they are attached in order, so what is shown is always a prefix and
// a selection in it measures the same offsets. A repaint redraws only the blocks whose spans changed.

import { paintSpans } from "./spans.js";

/** @typedef {import("./spans.js").Span} Span */

const LONG_TEXT = 100_000;
const CHUNK = 16_000;
const CHARS_PER_LINE = 90; // for the height a block is given before it is first laid out
const LINE_PX = 22;
const FIRST_CHARS = 64_000; // attached with the task
const BLOCKS_PER_TASK = 40; // attached per later task

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
 * Repaint a long `text` in `el` as blocks (offsets over the whole text).
 * @param {HTMLElement} el
 * @param {string} text
 * @param {Span[]} spans
 * @param {string|null} selected
 * @param {[number, number]|null} pending
 */
function paintChunked(el, text, spans, selected, pending) {
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
		const first = Math.max(1, bounds.findIndex((b) => b >= FIRST_CHARS));
		el.replaceChildren(...blocks.slice(0, first));
		state = { text, bounds, blocks, keys: blocks.map(() => "") };
		painted.set(el, state);
		if (first < blocks.length) attachRest(el, state, first);
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

/** A task turn later (a message, not a timer: timers are clamped once nested). @returns {Promise<void>} */
function nextTask() {
	return new Promise((resolve) => {
		const ch = new MessageChannel();
		ch.port1.onmessage = () => resolve();
		ch.port2.postMessage(0);
	});
}

/** Attach blocks `from`… of `state` to `el` a few per task, while `el` still shows that text.
 * @param {HTMLElement} el @param {{blocks: HTMLElement[]}} state @param {number} from */
async function attachRest(el, state, from) {
	el.classList.add("is-partial");
	for (let i = from; i < state.blocks.length; i += BLOCKS_PER_TASK) {
		await nextTask();
		if (painted.get(el) !== state || el.firstChild !== state.blocks[0]) return;
		el.append(...state.blocks.slice(i, i + BLOCKS_PER_TASK));
	}
	el.classList.remove("is-partial");
}

/**
 * Paint `text` with its spans in `el`: in blocks when it is long, else as `paintSpans` does.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {Span[]} spans
 * @param {string|null} selected
 * @param {[number, number]|null} pending
 */
export function paintText(el, text, spans, selected, pending) {
	if (text.length > LONG_TEXT) return paintChunked(el, text, spans, selected, pending);
	painted.delete(el);
	el.classList.remove("is-partial");
	paintSpans(el, text, spans, selected, pending);
}
