// Big task HTML (HyperText over BIG_HTML characters) prepared in slices. Rules:
// - the page is parsed by the browser into an inert document (no scripts run, nothing loads) a few kilobytes per
//   write, and sanitised part by part with the same DOMPurify configuration as small HTML (html.js); each slice of
//   work stops after SLICE_MS and hands the main thread back, so a 5 MB page never freezes the tab and its first
//   screen shows after the first slice;
// - a part is sanitised once it is final: every child of an element but the last is complete while the parser runs
//   (the parser only ever changes the open elements, which are the last children); a page wrapped in one big
//   <div>/<section>… is entered (the wrapper itself is sanitised without its children), so it streams too;
// - the result is built twice: `base`, the pristine sanitised tree XPaths are counted in (the same tree as a
//   whole-string sanitise gives), and the shown copy, where runs of parts are grouped in `content-visibility: auto`
//   blocks cut before block-level elements (so the layout is unchanged) — the browser lays out only the blocks on
//   screen, and a repaint redraws only the blocks whose spans changed.

import { sanitizeChildren } from "../html.js";

/** @typedef {import("../remote.js").RemotePolicy} RemotePolicy */
/** @typedef {import("./spans.js").Span} Span */

// above this, sanitising the whole page in one go alone is a long main-thread task (~50 ms per 100 kB)
export const BIG_HTML = 50_000;
const SLICE_MS = 25;
const WRITE = 32_768;
const BATCH = 48; // parts per DOMPurify call
const BLOCK_TEXT = 6_000; // text characters per shown block before a cut
const CHARS_PER_LINE = 100;
const LINE_PX = 21;
const WRAPPERS = new Set(["DIV", "SECTION", "ARTICLE", "MAIN", "CENTER"]);
const BLOCKS = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "CENTER", "DETAILS", "DIV", "DL", "FIELDSET", "FIGURE", "FOOTER",
	"H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "UL"]);

/** A task turn later (a message, not a timer: timers are clamped once nested). @returns {Promise<void>} */
function nextTask() {
	return new Promise((resolve) => {
		const ch = new MessageChannel();
		ch.port1.onmessage = () => resolve();
		ch.port2.postMessage(0);
	});
}

/**
 * One shown block: the parts it holds (nodes of `base`) and their text range in base.textContent (UTF-16).
 * @typedef {{start: number, end: number, parts: Node[], block: HTMLElement, key: string}} Chunk
 */

/** @typedef {{src: Element, base: Node, shown: Node, chunk: Chunk|null}} Frame */

export class SlicedPage {
	/**
	 * @param {string} html
	 * @param {RemotePolicy} remote
	 * @param {HTMLElement} base   receives the pristine sanitised tree
	 * @param {HTMLElement} shown  receives the shown copy (blocks)
	 * @param {(page: SlicedPage) => void} onDone
	 */
	constructor(html, remote, base, shown, onDone) {
		this.remote = remote;
		this.base = base;
		this.shown = shown;
		/** @type {Chunk[]} in document order */
		this.chunks = [];
		this.done = false;
		this.cancelled = false;
		this.length = html.length;
		this.at = 0; // text characters so far
		this.doc = document.implementation.createHTMLDocument("");
		this.note = document.createElement("div");
		this.note.className = "nblabel-preparing";
		this.note.setAttribute("role", "status");
		this.note.textContent = "Preparing this page…";
		shown.replaceChildren(this.note);
		/** @type {Frame[]} set once the parser has made the page's body */
		this.frames = [];
		this.finished = this.#run(html).then(
			() => {
				if (this.cancelled) return;
				this.done = true;
				this.note.remove();
				onDone(this);
			},
			(err) => {
				this.note.textContent = `This page could not be prepared: ${String(err?.message ?? err).slice(0, 200)}`;
			},
		);
	}

	cancel() {
		this.cancelled = true;
	}

	/** @param {string} html */
	async #run(html) {
		this.doc.open();
		this.doc.write("<remove></remove>"); // as DOMPurify does: leading whitespace of the page is kept
		this.frames = [{ src: this.doc.body, base: this.base, shown: this.shown, chunk: null }];
		let from = 0;
		let deadline = performance.now() + SLICE_MS;
		while (!this.cancelled) {
			const final = from >= html.length;
			if (final) this.doc.close();
			else {
				this.doc.write(html.slice(from, from + WRITE));
				from += WRITE;
			}
			for (;;) {
				const more = this.#pump(final, deadline);
				if (!more) break;
				await nextTask();
				if (this.cancelled) return;
				deadline = performance.now() + SLICE_MS;
			}
			if (final) return;
			this.note.textContent = `Preparing this page… ${Math.round((100 * from) / html.length)}%`;
			if (performance.now() > deadline) {
				await nextTask();
				deadline = performance.now() + SLICE_MS;
			}
		}
	}

	/**
	 * Sanitise and show the parts that are final. @param {boolean} final  the parser is done
	 * @param {number} deadline @returns {boolean} true when it stopped for time (call again)
	 */
	#pump(final, deadline) {
		for (;;) {
			const depth = this.frames.length - 1;
			const f = this.frames[depth];
			const closed = final || this.frames.some((x, i) => i > 0 && x.src.nextSibling !== null);
			/** @type {Node[]} */
			const batch = [];
			for (let n = f.src.firstChild; n && batch.length < BATCH && (closed || n.nextSibling); n = n.nextSibling) batch.push(n);
			if (batch.length) {
				this.#emit(f, batch);
				if (performance.now() > deadline) return true;
				continue;
			}
			const last = f.src.firstChild;
			if (!closed && last instanceof Element && WRAPPERS.has(last.tagName) && depth < 4 && this.#enter(f, last)) continue;
			if (depth > 0 && closed && !f.src.firstChild) {
				f.src.remove(); // entered, emptied, complete
				this.frames.pop();
				continue;
			}
			return false;
		}
	}

	/** Sanitise `nodes` (final children of f.src) and append them to base and, as copies in blocks, to the view.
	 * @param {Frame} f @param {Node[]} nodes */
	#emit(f, nodes) {
		const box = this.doc.createElement("div");
		box.append(...nodes);
		const clean = sanitizeChildren(box, this.remote);
		for (const part of Array.from(clean.childNodes)) {
			const len = part.nodeType === Node.TEXT_NODE || part.nodeType === Node.ELEMENT_NODE ? (part.textContent?.length ?? 0) : 0; // comments are no text
			if (!f.chunk || (f.chunk.end - f.chunk.start >= BLOCK_TEXT && part instanceof Element && BLOCKS.has(part.tagName))) {
				const block = document.createElement("div");
				block.className = "nblabel-chunk";
				f.shown.insertBefore(block, f === this.frames[0] ? this.note : null);
				f.chunk = { start: this.at, end: this.at, parts: [], block, key: "" };
				this.chunks.push(f.chunk);
			}
			f.base.appendChild(part);
			f.chunk.block.append(part.cloneNode(true));
			f.chunk.parts.push(part);
			this.at += len;
			f.chunk.end = this.at;
		}
		for (const c of this.chunks.slice(-4)) {
			// the height a block keeps until it is first laid out (then the browser remembers the real one)
			c.block.style.containIntrinsicBlockSize = `auto ${Math.max(24, Math.round(((c.end - c.start) / CHARS_PER_LINE) * LINE_PX + c.parts.length * 6))}px`;
		}
	}

	/** Enter an open wrapper: its own tag and attributes sanitised alone, its children streamed into it.
	 * @param {Frame} f @param {Element} el @returns {boolean} */
	#enter(f, el) {
		const box = this.doc.createElement("div");
		box.append(el.cloneNode(false));
		const clean = sanitizeChildren(box, this.remote);
		const shell = clean.firstChild;
		if (clean.childNodes.length !== 1 || !(shell instanceof Element) || shell.tagName !== el.tagName) return false;
		const shownShell = shell.cloneNode(false);
		f.base.appendChild(shell);
		f.shown.insertBefore(shownShell, f === this.frames[0] ? this.note : null);
		f.chunk = null; // what follows the wrapper starts a new block
		this.frames.push({ src: el, base: shell, shown: shownShell, chunk: null });
		return true;
	}

	/**
	 * Repaint the blocks whose spans changed. `paint(root, spans, selected, pending)` paints spans (offsets relative
	 * to the root's text) into a fresh copy of the block's parts.
	 * @param {Span[]} spans @param {string|null} selected @param {[number, number]|null} pending
	 * @param {(root: HTMLElement, spans: Span[], selected: string|null, pending: [number, number]|null) => void} paint
	 */
	repaint(spans, selected, pending, paint) {
		for (const c of this.chunks) {
			const local = spans
				.filter((s) => s.start < c.end && s.end > c.start)
				.map((s) => ({ ...s, start: Math.max(s.start, c.start) - c.start, end: Math.min(s.end, c.end) - c.start, cont: s.end > c.end }));
			const p = pending && pending[0] < c.end && pending[1] > c.start ? /** @type {[number, number]} */ ([Math.max(pending[0], c.start) - c.start, Math.min(pending[1], c.end) - c.start]) : null;
			const sel = local.some((s) => s.id === selected) ? selected : null;
			const key = local.length || p ? JSON.stringify([local, sel, p]) : "";
			if (key === c.key) continue;
			c.key = key;
			c.block.replaceChildren(...c.parts.map((n) => n.cloneNode(true)));
			if (key) paint(c.block, local, sel, p);
		}
	}

	/** The block holding text offset `u` (an end offset belongs to the block it ends in). @param {number} u @param {boolean} isEnd */
	chunkAt(u, isEnd) {
		let lo = 0;
		let hi = this.chunks.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			const c = this.chunks[mid];
			if (isEnd ? c.end < u : c.end <= u) lo = mid + 1;
			else hi = mid;
		}
		return this.chunks[lo] ?? null;
	}
}
