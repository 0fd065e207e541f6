// An Image's regions as Label Studio values, and the checks on its URLs. Rules:
// - geometry is already in Label Studio's units (shapes/registry.js): `toValue` only drops the private keys (`shape`,
//   `page`, `_…`), so a prefill goes back byte-identical; the label key is the store's business (stripped on read);
// - top-level keys: a new or edited region gets `original_width/height` (the loaded natural size, else the prefill's)
//   and `image_rotation`; an untouched prefilled region keeps exactly the top-level keys it came with; a multipage
//   Image writes the page as top-level `item_index` (valueList) or as `value.pageIndex` (OcrLabels on a Pdf).

import { kindOfItem, TOOLS } from "./shapes/registry.js";

/** @typedef {import("./shapes/registry.js").Geom} Geom */

/**
 * @param {{multipage: boolean, pageKey: "item_index"|"pageIndex", size: (page: number) => {width: number, height: number}|undefined}} o
 * @returns {Pick<import("../regions.js").RegionObject, "toValue"|"fromValue"|"topLevel">}
 */
export function imageValues({ multipage, pageKey, size }) {
	return {
		toValue(geom) {
			const value = /** @type {any} */ (TOOLS.get(geom.shape))?.toValue(geom) ?? {};
			for (const k of Object.keys(value)) if (k.startsWith("_")) delete value[k];
			return multipage && pageKey === "pageIndex" ? { ...value, pageIndex: geom.page ?? 0 } : value;
		},
		fromValue(value, item) {
			const kind = kindOfItem(item?.type ?? "", value);
			const def = kind ? TOOLS.get(kind) : null;
			const { [item?.type ?? ""]: _own, labels: _split, ...geomValue } = value; // the label key is the store's
			const g = def?.fromValue(geomValue);
			if (!def || !g) return null;
			const at = pageKey === "item_index" ? item?.item_index : value.pageIndex;
			/** @type {Geom} */
			const geom = { ...g, shape: def.kind, page: Number.isInteger(at) ? at : 0, _pre: true, _ii: item?.item_index,
				_ow: item?.original_width, _oh: item?.original_height, _ir: item?.image_rotation };
			return { geom, text: def.describe(geom) };
		},
		topLevel(geom) {
			/** @type {Record<string, any>} */
			const top = {};
			if (multipage && pageKey === "item_index" && (!geom._pre || geom._ii !== undefined)) top.item_index = geom.page ?? 0;
			if (geom._pre) {
				if (geom._ow !== undefined) Object.assign(top, { original_width: geom._ow, original_height: geom._oh });
				if (geom._ir !== undefined) top.image_rotation = geom._ir;
				return top;
			}
			const loaded = size(geom.page ?? 0);
			const ow = loaded?.width ?? geom._ow;
			const oh = loaded?.height ?? geom._oh;
			if (ow && oh) Object.assign(top, { original_width: ow, original_height: oh });
			top.image_rotation = geom._ir ?? 0;
			return top;
		},
	};
}

/**
 * An SVG `data:` URL with script content. `<img>` never runs it anyway; refusing it shows a hostile task for what it
 * is instead of an innocent-looking picture.
 * @param {string} url
 */
export function scriptedSvg(url) {
	const m = /^data:image\/svg\+xml(;[^,]*)?,/i.exec(url);
	if (!m) return false;
	let text = url.slice(m[0].length);
	try {
		text = /;base64/i.test(m[1] ?? "") ? atob(text) : decodeURIComponent(text);
	} catch {
		return true; // undecodable: not worth the risk
	}
	return /<script|\son[a-z]+\s*=|javascript:|<foreignObject/i.test(text);
}

/** A URL short enough for a message, keeping its end (the file name). @param {string} url */
export function shortUrl(url) {
	if (url.startsWith("data:")) return "(data URL)";
	if (url.startsWith("blob:")) return "(local file)";
	return url.length > 90 ? `${url.slice(0, 44)}…${url.slice(-44)}` : url;
}
