// Pictures of the next tasks, loaded and decoded before their key press (docs/DESIGN.md "Media"). Rules:
// - the session asks for the first picture of each Image of the task on screen and the next AHEAD tasks (`want`, in
//   order of need); each is an `Image` with `src` set and `decode()` awaited, held so the browser keeps the bytes in
//   its memory cache: the Image object then finds the picture complete the moment it sets `src` (no load task, no
//   network wait) and, being decoded, it is not decoded at raster time;
// - memory bound: at most LIMIT pictures are held, and beyond the first two in order of need (the task on screen, the
//   next task) at most BUDGET bytes of decoded pixels (width × height × 4) in all: a picture that would go over is let
//   go. Anything not wanted any more is let go at once (its `src` removed): the cache never grows with the number of
//   tasks labelled. For 1024×768 pictures that is 4 × 3 MiB;
// - this file loads only URLs it is given: the caller passes each value through the same checks as the Image object
//   (`resolveMedia`: safe schemes, local media as blob URLs; `scriptedSvg` refused) — see media_cache.js.

/** Tasks after the one on screen whose pictures are prefetched. */
export const AHEAD = 2;
/** Pictures held at most (the task on screen + AHEAD tasks, one Image each; more Images per task share it). */
export const LIMIT = 4;
/** Decoded bytes held at most (width × height × 4), beyond the first two pictures: 128 MiB (two 16-megapixel photos). */
export const BUDGET = 128 * 1024 * 1024;

/**
 * @typedef {object} Picture
 * @property {HTMLImageElement} img
 * @property {"loading"|"decoded"|"failed"} state
 * @property {number} bytes   decoded size once known
 */

export class ImageDecodeCache {
	constructor(limit = LIMIT, budget = BUDGET) {
		this.limit = limit;
		this.budget = budget;
		/** @type {Map<string, Picture>} url → picture, in order of need */
		this.pictures = new Map();
	}

	/**
	 * Hold these pictures (already checked URLs, the most needed first); let every other one go.
	 * @param {string[]} urls
	 */
	want(urls) {
		const wanted = [...new Set(urls.filter(Boolean))].slice(0, this.limit);
		const keep = new Set(wanted);
		for (const url of [...this.pictures.keys()]) if (!keep.has(url)) this.#drop(url);
		/** @type {Map<string, Picture>} */
		const ordered = new Map();
		for (const url of wanted) ordered.set(url, this.pictures.get(url) ?? this.#load(url));
		this.pictures = ordered;
		this.#fit();
	}

	/** @param {string} url @returns {"loading"|"decoded"|"failed"|null} */
	state(url) {
		return this.pictures.get(url)?.state ?? null;
	}

	get size() {
		return this.pictures.size;
	}

	dispose() {
		for (const url of [...this.pictures.keys()]) this.#drop(url);
	}

	/** @param {string} url @returns {Picture} */
	#load(url) {
		const img = new Image();
		img.decoding = "async";
		/** @type {Picture} */
		const pic = { img, state: "loading", bytes: 0 };
		img.src = url;
		img.decode().then(
			() => {
				if (this.pictures.get(url) !== pic) return;
				pic.state = "decoded";
				pic.bytes = img.naturalWidth * img.naturalHeight * 4;
				this.#fit();
			},
			() => {
				if (this.pictures.get(url) === pic) pic.state = "failed"; // the Image object shows the error itself
			},
		);
		return pic;
	}

	/** Let pictures go from the farthest ahead until the decoded bytes fit the budget; the first two in order of need
	 * (the task on screen and the next one) always stay. */
	#fit() {
		let total = 0;
		let i = 0;
		for (const [url, pic] of [...this.pictures]) {
			total += pic.bytes;
			if (i++ >= 2 && total > this.budget) {
				total -= pic.bytes;
				this.#drop(url);
			}
		}
	}

	/** @param {string} url */
	#drop(url) {
		const pic = this.pictures.get(url);
		if (!pic) return;
		this.pictures.delete(url);
		pic.img.removeAttribute("src"); // stops a load in flight; the decoded bitmap can go
	}
}
