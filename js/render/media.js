// Media of a task (Image, Audio, Video, Pdf, TimeSeries CSV) as something the browser can load. Rules:
// - task data is untrusted: a URL is used only when its scheme is http(s), blob:, or a `data:` URL of the object's
//   own media kind; `javascript:`, `vbscript:`, `file:` and friends never reach an element (they become a
//   `.nblabel-media-error`). Images are only ever drawn through `<img>`/canvas, where SVG cannot run scripts;
// - local media (a path, bytes, a PIL image, a numpy array in the DataFrame) cannot be read by the browser: Python
//   replaces it by a marker `{"nblabel_media": {...}}` and sends the bytes on request (see `resolveMedia`);
// - media that fails to load is an in-place `.nblabel-media-error` placeholder; labeling goes on.

import { h } from "./util.js";

/** @typedef {"image"|"audio"|"video"|"pdf"|"csv"} MediaKind */

const DATA_KINDS = {
	image: /^data:image\/(png|jpe?g|gif|webp|bmp|avif|svg\+xml)[;,]/i,
	audio: /^data:audio\/[a-z0-9.+-]+[;,]/i,
	video: /^data:video\/[a-z0-9.+-]+[;,]/i,
	pdf: /^data:application\/pdf[;,]/i,
	csv: /^data:text\/(csv|plain|tab-separated-values)[;,]/i,
};

/**
 * `url` when it is safe to load as `kind`, else null. Relative URLs (e.g. `files/a.png` served by Jupyter) are kept.
 * @param {unknown} url
 * @param {MediaKind} kind
 * @returns {string|null}
 */
export function safeMediaUrl(url, kind) {
	if (typeof url !== "string") return null;
	const u = url.trim();
	if (!u) return null;
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(u)?.[1]?.toLowerCase();
	if (!scheme) return u.startsWith("//") ? null : u; // relative to the page
	if (scheme === "http" || scheme === "https" || scheme === "blob") return u;
	if (scheme === "data") return DATA_KINDS[kind].test(u) ? u : null;
	return null;
}

/**
 * The in-place placeholder for media that cannot be shown.
 * @param {string} message
 * @returns {HTMLElement}
 */
export function mediaError(message) {
	return h("div", { class: "nblabel-media-error", role: "img", "aria-label": message }, message);
}

/**
 * A URL for local media (a `{"nblabel_media": {...}}` marker) whose bytes come from Python: a blob URL owned by the
 * session's cache (js/media_cache.js), which revokes it when the task leaves the window — objects must not.
 * @typedef {(marker: Record<string, any>) => Promise<string>} MediaFetcher
 */

/**
 * A loadable URL for a task value (`$image` etc.): a safe URL, or a blob URL of local media fetched from Python.
 * Rejects with an Error whose message the object shows in its `.nblabel-media-error`.
 * @param {unknown} value
 * @param {MediaKind} kind
 * @param {MediaFetcher|null} fetcher
 * @returns {Promise<string>}
 */
export async function resolveMedia(value, kind, fetcher) {
	if (value && typeof value === "object" && "nblabel_media" in value) {
		const marker = /** @type {any} */ (value).nblabel_media;
		if (marker?.error) throw new Error(String(marker.error));
		if (!fetcher) throw new Error("local media cannot be loaded here");
		return fetcher(marker);
	}
	const url = safeMediaUrl(value, kind);
	if (url === null) throw new Error(typeof value === "string" && value.trim() ? `refused to load ${kind} from an unsafe URL` : `no ${kind} in this task`);
	return url;
}
