// What task data and configs may make the browser load. Rules:
// - every URL is decided by the browser's own URL parser: resolved against the page, then judged by its scheme and
//   origin — never by string patterns (`\\host`, `/\host`, `java\tscript:`, leading control characters all parse to
//   what the browser would really load);
// - "remote" means another origin than the page (JupyterLab's server). Media fields the user gave as URLs always
//   load (media.js); remote resources *inside* task HTML and config styles load only with `remote: "all"` (the
//   Labeler's `remote=` argument), as mail clients do; a blocked image leaves a visible placeholder saying how;
// - styles that come from task data never load anything, and task-data colours must parse as CSS colours.

import { h } from "./util.js";

/** @typedef {"none"|"media"|"all"} RemotePolicy  none: nothing loads (task-data styles); media: same origin and
 * `data:` only (the default for task HTML and config styles); all: remote loads allowed (the user opted in) */

/** The policy of the state message's `remote` field ("all" only when the user asked for it). @param {unknown} v
 * @returns {RemotePolicy} */
export function remotePolicy(v) {
	return v === "all" ? "all" : "media";
}

/**
 * `raw` as the browser would load it, or null when it does not parse.
 * @param {unknown} raw
 * @returns {URL|null}
 */
export function parseUrl(raw) {
	if (typeof raw !== "string" || !raw.trim()) return null;
	try {
		return new URL(raw, document.baseURI);
	} catch {
		return null;
	}
}

/** Did `raw` name its own scheme (absolute), rather than resolve against the page? @param {string} raw */
export function hasScheme(raw) {
	try {
		new URL(raw); // eslint-disable-line no-new
		return true;
	} catch {
		return false;
	}
}

/** A network URL of another origin than the page. @param {URL} url */
export function isRemote(url) {
	return (url.protocol === "http:" || url.protocol === "https:") && url.origin !== location.origin;
}

/**
 * May a resource at `raw` be loaded under `policy`? Same-origin http(s), `blob:` and `data:` images load under
 * "media"; other origins only under "all"; any other scheme never.
 * @param {string} raw
 * @param {RemotePolicy} policy
 * @returns {"ok"|"remote"|"refused"}
 */
export function loadVerdict(raw, policy) {
	const url = parseUrl(raw);
	if (!url) return "refused";
	if (policy === "none") return "refused";
	if (url.protocol === "data:") return /^data:image\/(png|jpe?g|gif|webp|avif|bmp)[;,]/i.test(url.href) ? "ok" : "refused";
	if (url.protocol === "blob:") return url.origin === location.origin ? "ok" : "refused";
	if (url.protocol !== "http:" && url.protocol !== "https:") return "refused";
	return !isRemote(url) || policy === "all" ? "ok" : "remote";
}

/**
 * A link a click may open (in a new tab): http(s) and mailto, or a same-page fragment; null for anything else.
 * @param {string} raw
 * @returns {string|null} the parsed href
 */
export function linkHref(raw) {
	const url = parseUrl(raw);
	if (!url) return null;
	return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
}

// CSS functions that fetch: url() (and its string form in image-set / @import), src(), image(), and vendor forms
const LOADS = /(?:url|src|image|image-set|-webkit-image-set|cross-fade|-webkit-cross-fade|element)\s*\(/i;
const URL_ARG = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s]*))\s*\)/gi;

/**
 * Does a CSS value load something `policy` does not allow? The browser serialises parsed url()s as `url("…")`, so
 * what is checked is what it would fetch; any other fetching function, or `image-set("x.png")` with a bare string,
 * counts as a load of unknown origin.
 * @param {string} value
 * @param {RemotePolicy} policy
 */
export function cssLoads(value, policy) {
	if (!LOADS.test(value)) return false;
	if (policy === "none") return true;
	const rest = value.replace(URL_ARG, (_all, dq, sq, bare) => {
		const raw = (dq ?? sq ?? bare ?? "").replace(/\\(.)/g, "$1");
		return raw.startsWith("#") || loadVerdict(raw, policy) === "ok" ? "" : "url(blocked)";
	});
	return /url\(blocked\)/.test(rest) || /(?:^|[^-\w])(?:src|image|image-set|-webkit-image-set|cross-fade|-webkit-cross-fade|element)\s*\(/i.test(rest);
}

/**
 * Remove every declaration of `style` (custom properties too: `var()` carries them anywhere) that would load what
 * `policy` does not allow. Returns how many were removed.
 * @param {CSSStyleDeclaration} style
 * @param {RemotePolicy} policy
 */
export function dropLoads(style, policy) {
	let dropped = 0;
	for (let i = style.length - 1; i >= 0; i--) {
		const prop = style.item(i);
		if (cssLoads(style.getPropertyValue(prop), policy)) {
			style.removeProperty(prop);
			dropped++;
		}
	}
	// a shorthand that mentions url() may have expanded into longhands the loop above already removed; one with
	// var() keeps its text only as the shorthand's value
	if (cssLoads(style.cssText, policy)) {
		for (const prop of Array.from(style)) style.removeProperty(prop);
		dropped++;
	}
	return dropped;
}

/**
 * `value` when it is a CSS colour (a keyword, #hex, rgb(), hsl(), color-mix() of colours…), else null. `var()`,
 * `env()` and `attr()` are refused: the browser accepts them anywhere at parse time, so they would let any value
 * through.
 * @param {unknown} value
 * @returns {string|null}
 */
export function cssColor(value) {
	if (typeof value !== "string") return null;
	const v = value.trim();
	if (!v || v.length > 200 || /[;{}]|\b(?:var|env|attr|url|image|src)\s*\(/i.test(v)) return null;
	return CSS.supports("color", v) ? v : null;
}

/**
 * The placeholder a blocked remote image (video, audio) leaves in task HTML: says where it was from and how to allow
 * it.
 * @param {URL} url
 * @param {string} kind  "image", "video", "audio"
 * @param {string} [alt]
 * @returns {HTMLElement}
 */
export function remoteBlocked(url, kind, alt) {
	const what = alt?.trim() ? `${kind} “${alt.trim().slice(0, 60)}”` : kind;
	const el = h(
		"span",
		{ class: "nblabel-remote-blocked", role: "img", "aria-label": `Remote ${what} from ${url.host} not loaded` },
		h("span", { class: "nblabel-remote-what" }, `Remote ${what} from ${url.host} not loaded`),
		h("span", { class: "nblabel-remote-how" }, `Labeler(…, remote="all") loads it`),
	);
	el.title = url.href.length > 300 ? `${url.href.slice(0, 300)}…` : url.href;
	return el;
}
