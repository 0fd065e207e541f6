// The Pdf object. Rules:
// - a local PDF (a marker with `pages`: Python rendered it with pypdfium2) is shown as page images through the
//   multipage Image object (image.js), so OcrLabels / RectangleLabels draw on pages; regions write
//   `value.pageIndex`;
// - any other PDF (a URL, or local bytes when Python cannot render pages) is shown by the browser's own viewer in an
//   iframe, plus an "open" link. The iframe only ever gets a blob URL that we made from bytes that start with
//   `%PDF`, typed `application/pdf` by us — so a URL (or a file) that is really HTML can never run in the page;
//   a URL that cannot be fetched (offline, CORS) is a `.nblabel-media-error` with the link, and labeling goes on
//   (Choices / Rating on the PDF still submit);
// - the blob URL made here is revoked when the next task is shown.

import { buildImage } from "./image.js";
import { mediaError, safeMediaUrl } from "../media.js";
import { attr, h, resolve } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildPdf(node, ctx) {
	const name = attr(node, "name") ?? "";
	const valueAttr = attr(node, "value");
	/** @type {unknown[]} */
	let pageValues = [];
	const pages = buildImage(node, ctx, { pages: () => pageValues, pageKey: "pageIndex" });
	const frameSlot = h("div", { class: "nblabel-pdf-frame" });
	const link = h("a", { class: "nblabel-pdf-open", target: "_blank", rel: "noopener noreferrer", hidden: true }, "open the PDF ↗");
	const viewer = h("div", { class: "nblabel-pdf-viewer", hidden: true }, frameSlot, link);
	const el = h("div", { class: "nblabel-pdf" }, pages.el, viewer);
	/** @type {string|null} */
	let ownUrl = null;
	let generation = 0;

	const release = () => {
		if (ownUrl) URL.revokeObjectURL(ownUrl);
		ownUrl = null;
	};

	/** @param {unknown} value  a URL, or a marker Python could not render as pages */
	const showViewer = async (value) => {
		const mine = ++generation;
		const remote = typeof value === "string" ? safeMediaUrl(value, "pdf") : null;
		const openable = remote && /^https?:/i.test(remote) ? remote : null;
		link.hidden = !openable;
		if (openable) link.setAttribute("href", openable);
		else link.removeAttribute("href");
		frameSlot.replaceChildren(h("div", { class: "nblabel-loading" }, "Loading the PDF…"));
		try {
			const url = await ctx.media(value, "pdf");
			const response = await fetch(url);
			if (!response.ok) throw new Error(`the server answered ${response.status}`);
			const bytes = await response.arrayBuffer();
			const head = new Uint8Array(bytes.slice(0, 5));
			if (String.fromCharCode(...head) !== "%PDF-") throw new Error("this is not a PDF file");
			if (mine !== generation) return;
			release();
			ownUrl = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
			frameSlot.replaceChildren(h("iframe", { class: "nblabel-pdf-iframe", src: ownUrl, title: `${name} (PDF)`, referrerpolicy: "no-referrer" }));
			if (!openable) {
				link.setAttribute("href", ownUrl);
				link.hidden = false;
			}
		} catch (err) {
			if (mine !== generation) return;
			const what = typeof value === "string" ? shortUrl(value) : "this PDF";
			const why = err instanceof Error ? err.message : String(err);
			const reason = why === "Failed to fetch" ? "offline, or the server does not allow embedding" : why;
			frameSlot.replaceChildren(mediaError(`PDF could not be loaded (${reason}): ${what}`));
		}
	};

	return {
		el,
		update(task) {
			const value = valueAttr ? resolve(valueAttr, task.data) : null;
			const marker = value && typeof value === "object" ? /** @type {any} */ (value).nblabel_media : null;
			const asPages = Boolean(marker && !marker.error && Number(marker.pages) > 0);
			pageValues = asPages ? Array.from({ length: Number(marker.pages) }, (_, i) => ({ nblabel_media: { ...marker, page: i } })) : [];
			pages.el.hidden = !asPages;
			viewer.hidden = asPages;
			if (asPages) {
				pages.update?.(task);
				generation++;
				release();
				frameSlot.replaceChildren();
			} else void showViewer(value); // prefilled page regions stay in the store and go back unchanged
		},
	};
}

/** @param {string} url */
function shortUrl(url) {
	if (url.startsWith("data:")) return "(data URL)";
	return url.length > 80 ? `${url.slice(0, 77)}…` : url;
}
