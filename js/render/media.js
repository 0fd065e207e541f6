// Media of a task (Image, Audio, Video, Pdf, TimeSeries CSV) as something the browser can load. Rules:
// - task data is untrusted: a URL is used only when its scheme is http(s), blob:, or a `data:` URL of the object's
//   own media kind; `javascript:`, `vbscript:`, `file:` and friends never reach an element (they become a
//   `.nblabel-media-error`). Images are only ever drawn through `<img>`/canvas, where SVG cannot run scripts;
// - local media (a path, bytes, a PIL image, a numpy array in the DataFrame) cannot be read by the browser: Python
//   replaces it by a marker `{"nblabel_media": {...}}` and sends the bytes on request (see `resolveMedia`);
// - media that fails to load is an in-place `.nblabel-media-error` placeholder; labeling goes on.

import { hasScheme, parseUrl } from "./remote.js";
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
 * `url` when it is safe to load as `kind`, else null — decided on what the browser's URL parser makes of it (tabs,
 * newlines and leading control characters are dropped, backslashes are slashes), never on the raw string:
 * - an absolute http(s) URL loads (the user gave this media field as a URL);
 * - a relative one (e.g. `files/a.png` served by Jupyter) loads only when it resolves to the page's own origin, so
 *   `//host/x`, `\\host/x` or `/\host/x` never reach another host;
 * - `data:` only of the object's own media kind, `blob:` only of this page; every other scheme never.
 * @param {unknown} url
 * @param {MediaKind} kind
 * @returns {string|null} the parsed URL
 */
export function safeMediaUrl(url, kind) {
	const parsed = parseUrl(url);
	if (!parsed) return null;
	const p = parsed.protocol;
	if (p === "data:") return DATA_KINDS[kind].test(parsed.href) ? parsed.href : null;
	if (p === "blob:") return parsed.origin === location.origin ? parsed.href : null;
	if (p !== "http:" && p !== "https:") return null;
	if (!hasScheme(/** @type {string} */ (url)) && parsed.origin !== location.origin) return null;
	return parsed.href;
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
