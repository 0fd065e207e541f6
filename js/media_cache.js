// Local media of the task window (docs/DESIGN.md "Media"). Rules:
// - a `{"nblabel_media": {...}}` marker in task data is fetched from Python with a `media` request (the answer's
//   `re` names its `id`; the answer carries the bytes as one message buffer) and becomes a blob URL;
// - blob URLs are cached per (task key, field, index, page): the prefetched window is fetched ahead (small files
//   only), and every URL of a task that left the window is revoked — objects never revoke them;
// - a failed fetch stays failed for that task (no request storm); a request Python never answers rejects after
//   ANSWER_TIMEOUT_MS so the object shows a `.nblabel-media-error` instead of waiting forever;
// - the first picture of every Image of the task on screen and the next AHEAD tasks is loaded and decoded ahead
//   (render/image/image_cache.js, a few pictures at most), after the frame that showed the task: a key press then finds its
//   picture ready. Each value goes through the checks the Image object applies (`resolveMedia`, `scriptedSvg`), so
//   nothing is loaded here that the Image would refuse.

import { afterPaint } from "./after_paint.js";
import { AHEAD, ImageDecodeCache } from "./render/image/image_cache.js";
import { scriptedSvg } from "./render/image/image_values.js";
import { resolveMedia } from "./render/media.js";
import { isEmptyValue, resolve } from "./render/util.js";
import { mediaRequest } from "./protocol.js";

/** @typedef {import("./types.js").Model} Model */
/** @typedef {import("./types.js").Task} Task */
/** @typedef {import("./types.js").ConfigNode} ConfigNode */
/** @typedef {import("./protocol.js").MediaReply} MediaReply */

const ANSWER_TIMEOUT_MS = 60000;
/** Files above this are fetched only when an object asks (a long video is not prefetched five tasks ahead). */
const PREFETCH_MAX_BYTES = 16 * 1024 * 1024;

/**
 * @typedef {object} Entry
 * @property {string} key   task key
 * @property {Promise<string>} url
 * @property {string|null} blobUrl   to revoke
 */

export class MediaCache {
	/** @param {{send: (content: Record<string, any>) => void}} model  where requests go (the session's link) */
	constructor(model) {
		this.model = model;
		/** @type {Map<string, Entry>} */
		this.entries = new Map();
		/** @type {Map<string, {resolve: (b: Blob) => void, reject: (e: Error) => void, timer: ReturnType<typeof setTimeout>}>} */
		this.waiting = new Map();
		this.nextId = 0;
		this.prefix = Math.random().toString(36).slice(2, 8);
		/** decoded pictures of the window's next tasks */
		this.pictures = new ImageDecodeCache();
		/** @type {(() => void)|null} cancels the scheduled picture decode (after_paint.js) */
		this.pictureTimer = null;
		this.pictureRound = 0;
	}

	/**
	 * A blob URL for a marker's media (or its PDF page), fetched once per window.
	 * @param {Record<string, any>} marker  the object inside `nblabel_media`
	 * @returns {Promise<string>}
	 */
	fetch(marker) {
		if (marker?.error) return Promise.reject(new Error(String(marker.error)));
		const slot = slotOf(marker);
		const hit = this.entries.get(slot);
		if (hit) return hit.url;
		/** @type {Entry} */
		const entry = { key: String(marker.key), url: Promise.resolve(""), blobUrl: null };
		entry.url = this.#request(marker).then((blob) => {
			if (this.entries.get(slot) !== entry) throw new Error("the task left the window");
			entry.blobUrl = URL.createObjectURL(blob);
			return entry.blobUrl;
		});
		entry.url.catch(() => {}); // a prefetch nobody awaits must not be an unhandled rejection
		this.entries.set(slot, entry);
		return entry.url;
	}

	/** @param {Record<string, any>} marker @returns {Promise<Blob>} */
	#request(marker) {
		const id = `${this.prefix}-${++this.nextId}`;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.waiting.delete(id);
				reject(new Error("no answer from Python for this media (is the kernel busy or stopped?)"));
			}, ANSWER_TIMEOUT_MS);
			this.waiting.set(id, { resolve, reject, timer });
			this.model.send(mediaRequest(id, /** @type {any} */ (marker)));
		});
	}

	/**
	 * Python's answer to a `media` request.
	 * @param {MediaReply} msg
	 * @param {any[]} [buffers]  DataView / ArrayBuffer
	 */
	take(msg, buffers) {
		const w = this.waiting.get(msg.re);
		if (!w) return;
		this.waiting.delete(msg.re);
		clearTimeout(w.timer);
		if (msg.ok && buffers?.length) w.resolve(new Blob([buffers[0]], { type: String(msg.mime ?? "") }));
		else w.reject(new Error(String(msg.message ?? "Python sent no bytes for this media")));
	}

	/**
	 * Keep the window's media, prefetch what is small, revoke what left; decode the next pictures (after this frame).
	 * @param {Task[]} window
	 * @param {ConfigNode|null} [config]  where the Image objects are (none: no picture is prefetched)
	 */
	sync(window, config = null) {
		const keys = new Set(window.map((t) => t.key));
		for (const [slot, entry] of this.entries) {
			if (keys.has(entry.key)) continue;
			if (entry.blobUrl) URL.revokeObjectURL(entry.blobUrl);
			this.entries.delete(slot);
		}
		for (const task of window) {
			for (const marker of markersIn(task.data)) {
				// size null: an in-memory image Python encodes on request (always image-sized): prefetch it too
				if (!marker.error && (marker.size ?? 0) <= PREFETCH_MAX_BYTES && !marker.pages) {
					this.fetch(marker);
				}
			}
		}
		this.#schedulePictures(window.slice(0, 1 + AHEAD), config);
	}

	/** Coalesced, and after the current task (a key press paints first). @param {Task[]} tasks @param {ConfigNode|null} config */
	#schedulePictures(tasks, config) {
		this.pictureTimer?.();
		this.pictureTimer = null;
		const fields = imageFields(config);
		const round = ++this.pictureRound;
		if (!fields.length || !tasks.length) return this.pictures.want([]);
		// after the frame, not just after this task: decoding the next pictures must not sit before a key press's paint
		this.pictureTimer = afterPaint(() => {
			this.pictureTimer = null;
			const urls = tasks.flatMap((task) => fields.map((f) => this.#pictureUrl(f, task)));
			Promise.all(urls).then((list) => round === this.pictureRound && this.pictures.want(list));
		});
	}

	/**
	 * The URL the Image object would load first for this task ("" when it would load none).
	 * @param {{value: string|undefined, list: string|undefined}} field @param {Task} task @returns {Promise<string>}
	 */
	#pictureUrl(field, task) {
		const data = task.data ?? {};
		const raw = field.list ? resolve(field.list, data) : resolve(field.value, data);
		const value = field.list && Array.isArray(raw) ? raw[0] : raw;
		if (isEmptyValue(value)) return Promise.resolve("");
		const marker = value && typeof value === "object" ? /** @type {any} */ (value).nblabel_media : null;
		if (marker && (marker.error || (marker.size ?? 0) > PREFETCH_MAX_BYTES || marker.pages)) return Promise.resolve("");
		return resolveMedia(value, "image", (m) => this.fetch(m)).then(
			(url) => (scriptedSvg(url) ? "" : url),
			() => "",
		);
	}

	dispose() {
		for (const w of this.waiting.values()) clearTimeout(w.timer);
		this.waiting.clear();
		this.sync([]);
		this.pictures.dispose();
	}
}

/** @type {WeakMap<ConfigNode, {value: string|undefined, list: string|undefined}[]>} */
const FIELDS = new WeakMap();

/** The Image objects' `value` / `valueList` attributes in a config. @param {ConfigNode|null} config */
function imageFields(config) {
	if (!config) return [];
	let fields = FIELDS.get(config);
	if (!fields) {
		fields = [];
		// inside a Repeater the first item's picture is the one shown first: its flags read as index 0
		const first = (/** @type {string|undefined} */ v, /** @type {string[]} */ flags) => (v === undefined ? v : flags.reduce((s, f) => s.split(f).join("0"), v));
		const walk = (/** @type {ConfigNode} */ node, /** @type {string[]} */ flags) => {
			if (node.tag === "Image" && (node.attrs?.value || node.attrs?.valueList)) {
				fields?.push({ value: first(node.attrs.value, flags), list: first(node.attrs.valueList, flags) });
			}
			const inner = node.tag === "Repeater" ? [...flags, node.attrs?.indexFlag || "{{idx}}"] : flags;
			for (const c of node.children ?? []) walk(c, inner);
		};
		walk(config, []);
		FIELDS.set(config, fields);
	}
	return fields;
}

/** @param {Record<string, any>} m */
function slotOf(m) {
	return JSON.stringify([m.key, m.field, m.index ?? null, m.page ?? null]);
}

/**
 * The markers in a task's data (top-level values and list items).
 * @param {Record<string, any>|undefined} data
 * @returns {Record<string, any>[]}
 */
export function markersIn(data) {
	/** @type {Record<string, any>[]} */
	const out = [];
	for (const v of Object.values(data ?? {})) {
		for (const item of Array.isArray(v) ? v : [v]) {
			if (item && typeof item === "object" && item.nblabel_media && typeof item.nblabel_media === "object") out.push(item.nblabel_media);
		}
	}
	return out;
}
