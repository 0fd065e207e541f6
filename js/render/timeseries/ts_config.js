// What a <TimeSeries> config says, read once per config: data source, time column and formats, channels, and the
// conversion of a region between its geometry (times as numbers: ms for dates) and Label Studio's value. Rules:
// - start/end are written like Label Studio's TimeSeriesRegion.serialize: formatted with `timeFormat` when the time
//   column is parsed with it, else the numbers themselves; `instant` is start == end for a new region;
// - a prefilled region keeps its start/end exactly as given (`src`), so values a JS Date cannot hold (microseconds,
//   "5" written as text) come back unchanged;
// - defaults follow the Channel docs: displayFormat ".1f", a palette colour when no strokeColor.

import { PALETTE } from "../regions.js";
import { cssColor } from "../remote.js";
import { numberFormatter, timeFormatter, timeParser } from "./ts_format.js";
import { attr, boolAttr, descendants, numAttr } from "../util.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */

/**
 * @typedef {object} Channel
 * @property {string} column
 * @property {string} legend
 * @property {string} units
 * @property {string} color
 * @property {number} stroke
 * @property {number} height
 * @property {(v: number) => string} format
 */

/** @param {number} i @param {Partial<Channel>} [over] @returns {Channel} */
export function channel(i, over = {}) {
	return { column: "", legend: "", units: "", color: PALETTE[(i + 2) % PALETTE.length], stroke: 1.25, height: 110,
		format: numberFormatter(".1f"), ...over };
}

/** @param {ConfigNode} node */
export function readTsConfig(node) {
	const timeColumn = attr(node, "timeColumn") ?? "";
	const timeFormat = attr(node, "timeFormat") ?? "";
	const display = attr(node, "timeDisplayFormat") ?? "";
	const isDate = Boolean(timeFormat) || /^[a-z]/i.test(display);
	/** @type {(t: number) => string} */
	const formatTime = isDate
		? timeFormatter(display && display !== "date" && display.includes("%") ? display : timeFormat || "%Y-%m-%d %H:%M:%S")
		: display ? numberFormatter(display) : (t) => String(+t.toPrecision(12));
	const outFormat = timeFormat && timeColumn ? timeFormatter(timeFormat) : null;
	const inParse = timeFormat && timeColumn ? timeParser(timeFormat) : null;

	/** @param {unknown} x @returns {number|null} */
	const toTime = (x) => {
		if (typeof x === "number") return Number.isFinite(x) ? x : null;
		if (typeof x !== "string" || !x.trim()) return null;
		if (inParse) return inParse(x);
		const n = +x;
		return Number.isFinite(n) ? n : null;
	};
	/** @param {number} s @param {number} e @param {boolean} instant */
	const describe = (s, e, instant) => (instant ? `at ${formatTime(s)}` : `${formatTime(s)} – ${formatTime(e)}`);

	return {
		name: attr(node, "name") ?? "",
		value: attr(node, "value"),
		valueType: (attr(node, "valueType") ?? "url").toLowerCase(),
		sep: attr(node, "sep") ?? ",",
		fixedScale: boolAttr(node, "fixedScale"), // y fits all rows, not only those in view
		series: { timeColumn, timeFormat, isDate },
		isDate,
		formatTime,
		describe,
		channels: descendants(node, "Channel").map((c, i) => channel(i, {
			column: attr(c, "column") ?? "",
			legend: attr(c, "legend") ?? attr(c, "column") ?? "",
			units: attr(c, "units") ?? "",
			color: cssColor(attr(c, "strokeColor")) ?? PALETTE[(i + 2) % PALETTE.length],
			stroke: numAttr(c, "strokeWidth", 1.25),
			height: Math.max(40, Math.min(400, numAttr(c, "height", 110))),
			format: numberFormatter(attr(c, "displayFormat") ?? ".1f"),
		})),
		overview: (attr(node, "overviewChannels") ?? "").toLowerCase().split(",").map((s) => s.trim()).filter(Boolean),

		/** Region geometry → LS value keys. @param {Record<string, any>} g */
		toValue(g) {
			/** @param {number} t @param {unknown} src */
			const out = (t, src) => (src !== undefined ? src : outFormat ? outFormat(t) : t);
			return { start: out(g.start, g.src?.start), end: out(g.end, g.src?.end), instant: Boolean(g.instant) };
		},

		/** LS value → region geometry (null: not a time range of this series). @param {Record<string, any>} v */
		fromValue(v) {
			const end = v.end ?? v.start;
			const s = toTime(v.start);
			const e = toTime(end);
			if (s === null || e === null) return null;
			const instant = typeof v.instant === "boolean" ? v.instant : s === e;
			return { geom: { start: Math.min(s, e), end: Math.max(s, e), instant, src: { start: v.start, end } }, text: describe(s, e, instant) };
		},
	};
}
