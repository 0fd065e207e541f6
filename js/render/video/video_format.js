// A Video region as Label Studio writes it, and back. Rules:
// - geometry kinds: `box` (a VideoRectangle track: `sequence` of keyframes, `framesCount`, `duration`), `range` (a
//   TimelineLabels region: `ranges` of `{start, end}` frames) and `raw` (a result on the video that is neither, e.g. a
//   bare `labels` item an SDK generator wrote: kept and sent back as it came);
// - keys a value had beside the geometry are kept in `extra` and written back, so an untouched region comes back
//   exactly as it came (also `labels: null` on a box);
// - a tracked box is kept in the store under the `<Labels>` control that labels it (so digits relabel it like any
//   region) and written as one `videorectangle` item from the `<VideoRectangle>` with the labels merged in as
//   `value.labels` (absent when it has none); a range is written as a `timelinelabels` item.

import { parseSequence } from "./video_track.js";

/** @typedef {import("../../types.js").ResultItem} ResultItem */
/** @typedef {import("../regions.js").Region} Region */

/**
 * The controls that make this video's regions (null: the config has none).
 * @typedef {{box: string|null, labels: string|null, range: string|null}} VideoTools
 */

/** The region's line in the region list. @param {Record<string, any>} g */
export function describe(g) {
	if (g.kind === "range") return g.ranges.map((/** @type {any} */ r) => (r.start === r.end ? `frame ${r.start}` : `frames ${r.start}–${r.end}`)).join(", ");
	const frames = g.sequence.map((/** @type {any} */ kf) => kf.frame);
	const n = frames.length;
	return `box, frame ${Math.min(...frames)}${n > 1 ? `–${Math.max(...frames)}` : ""}, ${n} keyframe${n === 1 ? "" : "s"}`;
}

/** The frame a region starts on (where selecting it goes). @param {Region} r */
export function firstFrame(r) {
	return r.geom.kind === "box" ? Math.min(...r.geom.sequence.map((/** @type {any} */ kf) => kf.frame)) : r.geom.kind === "range" ? Number(r.geom.ranges[0]?.start) || 1 : 1;
}

/** Frames the regions reach (the timeline of a video that failed to load). @param {Region[]} regions */
export function framesOf(regions) {
	let n = 1;
	for (const r of regions) {
		if (r.geom.kind === "box") n = Math.max(n, Number(r.geom.framesCount) || 0, ...r.geom.sequence.map((/** @type {any} */ kf) => kf.frame));
		else if (r.geom.kind === "range") for (const rg of r.geom.ranges) n = Math.max(n, Number(rg.end) || 0, Number(rg.start) || 0);
	}
	return n;
}

/** The `value` of a geometry (a keyframe without `time` gets `frame / fps`). @param {Record<string, any>} g @param {number} fps */
export function toValue(g, fps) {
	const { kind, extra, ...rest } = g;
	if (kind === "raw") return { ...rest.value };
	if (kind === "range") return { ...extra, ranges: rest.ranges };
	/** @type {Record<string, any>} */
	const v = { ...extra };
	if (rest.framesCount !== undefined) v.framesCount = rest.framesCount;
	if (rest.duration !== undefined) v.duration = rest.duration;
	v.sequence = rest.sequence.map((/** @type {any} */ kf) => ({ ...kf, time: kf.time ?? kf.frame / fps }));
	return v;
}

/**
 * A result's `value` as a geometry; `as`: a `videorectangle` item with labels is kept under the Labels control.
 * @param {Record<string, any>} value @param {ResultItem|undefined} item @param {VideoTools} tools
 * @returns {{geom: Record<string, any>, text: string, as?: Partial<Region>}|null}
 */
export function fromValue(value, item, tools) {
	if (item?.type === "timelinelabels" || (!("sequence" in value) && Array.isArray(value.ranges))) {
		const ranges = Array.isArray(value.ranges) ? value.ranges : null;
		if (!ranges || !ranges.length || !ranges.every((r) => r && typeof r === "object")) return null;
		const { ranges: _r, timelinelabels: _l, ...extra } = value;
		const geom = { kind: "range", ranges: ranges.map((r) => ({ ...r })), extra };
		return { geom, text: describe(geom) };
	}
	const seq = parseSequence(value.sequence);
	if (!seq) {
		// not a video shape (e.g. a bare `labels` item an SDK generator wrote on the video): kept, sent back as is
		const key = item?.type ?? "";
		const { [key]: _k, ...rest } = value;
		return { geom: { kind: "raw", value: rest }, text: "(kept as it came)" };
	}
	const { sequence: _s, framesCount, duration: d, labels, ...extra } = value;
	if (labels !== undefined && !Array.isArray(labels)) extra.labels = labels; // e.g. `null`: written back as it came
	const geom = { kind: "box", sequence: seq, framesCount, duration: d, extra };
	const lab = tools.labels;
	const as = { labels: Array.isArray(labels) ? labels.map(String) : [] };
	return { geom, text: describe(geom), as: lab && item?.type === "videorectangle" ? { ...as, from_name: lab, type: "labels" } : as };
}

/**
 * The item Label Studio writes for a region, given the default one.
 * @param {Region} r @param {ResultItem} item @param {VideoTools} tools @param {number} fps @returns {ResultItem}
 */
export function asResult(r, item, tools, fps) {
	if (r.geom.kind === "raw") return item;
	if (r.geom.kind === "box") {
		/** @type {Record<string, any>} */
		const value = toValue(r.geom, fps);
		if (r.labels.length) value.labels = r.labels;
		return { ...item, from_name: tools.box ?? r.from_name, type: "videorectangle", value };
	}
	if (!tools.range || r.type === "timelinelabels") return item;
	return { ...item, from_name: tools.range, type: "timelinelabels", value: { ...toValue(r.geom, fps), timelinelabels: r.labels } };
}
