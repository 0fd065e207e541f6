// The TimeSeries object: one line plot per <Channel> on a shared time axis, an overview strip to pan, and ranges /
// instants as regions (TimeSeriesLabels). Rules:
// - data is CSV (valueType="url": fetched through `ctx.media`, so local files come from Python; CSV text in the cell
//   also works) or JSON columns in the task; a load failure is an in-place `.nblabel-media-error`, labeling goes on;
// - a selection always snaps to data points (Label Studio's `stick`), so start/end are values of the time column:
//   numbers, or strings formatted with `timeFormat` (UTC); a prefilled region keeps its original start/end text;
// - mouse: drag = range, click with a label armed = instant, click on a region = select it, Ctrl+wheel = zoom,
//   Shift+wheel / overview = pan. Keys (while a TimeSeriesLabels is active): Alt+←/→ cursor, ⇧←/→ extend,
//   [ / ] start / end, + / − zoom, , / . pan;
// - the DOM is built once per config; a task swaps the data and repaints (a paint is O(visible rows), see ts_plot).

import { mediaError } from "../media.js";
import { Series, readValue } from "./ts_data.js";
import { channel, readTsConfig } from "./ts_config.js";
import { drawXAxis, drawYAxis, extent, linePath, scale, svg, visibleRows } from "./ts_plot.js";
import { TsInput } from "./ts_input.js";
import { h, resolve } from "../util.js";
import { registerKeys } from "../../legend.js";

registerKeys("TimeSeries", [
	["Drag / click", "Time series: select a range / with a label armed, mark an instant"],
	["Alt+← / Alt+→", "Time series: move the cursor (Alt+⇧: one data point)"],
	["⇧← / ⇧→", "Time series: extend the selection from the cursor"],
	["[ / ]", "Time series: selection starts / ends at the cursor (a selected region: its start / end moves there)"],
	["Drag an edge", "Time series: resize the selected region (an instant: move it)"],
	["+ / − · Ctrl+wheel", "Time series: zoom in / out"],
	[", / . · ⇧+wheel", "Time series: pan left / right"],
	["Del / ⌫", "Delete the selected region (click a region to select it)"],
]);

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */

const LEFT = 60;
const RIGHT = 14;
const GAP = 6;
const AXIS = 22;
const OVERVIEW = 34;

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildTimeSeries(node, ctx) {
	const cfg = readTsConfig(node);
	const { name, formatTime, isDate } = cfg;
	const configured = cfg.channels;
	const overviewNames = cfg.overview;

	const readout = h("span", { class: "nblabel-ts-readout", "aria-live": "off" });
	const legend = h("span", { class: "nblabel-ts-legend" });
	/** @param {string} label @param {string} title @param {() => void} fn */
	const button = (label, title, fn) => {
		const b = h("button", { type: "button", class: "nblabel-button nblabel-ts-zoom", tabindex: "-1", title }, label);
		b.addEventListener("click", fn);
		return b;
	};
	const main = svg("svg", { class: "nblabel-ts-main", role: "img", "aria-label": `time series ${name}` });
	const over = svg("svg", { class: "nblabel-ts-overview", height: OVERVIEW, "aria-hidden": "true" });
	const body = h("div", { class: "nblabel-ts-body" });
	const clipId = `nblabel-ts-clip-${++clips}`;
	const help = h("div", { class: "nblabel-ts-help nblabel-muted" },
		"Drag: select a range · click with a label armed: an instant · click a region, drag its edges: resize · Ctrl+wheel or + −: zoom · ⇧+wheel or the strip below: pan · ? lists the keys");
	const el = h("div", { class: "nblabel-timeseries", "data-name": name, "data-state": "empty" },
		h("div", { class: "nblabel-ts-head" }, legend, readout,
			h("span", { class: "nblabel-ts-buttons" },
				button("−", "zoom out (−)", () => zoom(2)), button("+", "zoom in (+)", () => zoom(0.5)), button("⤢", "show all", fit))),
		body, help);
	ctx.watchVisibility(node, el);

	/** @type {Series|null} */
	let series = null;
	let token = 0;
	let loadStart = 0;
	/** @type {typeof configured} */
	let channels = configured;
	let v0 = 0;
	let v1 = 1;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	let width = 0;
	/** @type {{series: Series|null, width: number, lines: SVGElement[]}} the overview's lines, kept across paints */
	const overview = { series: null, width: 0, lines: [] };
	/** geometry of the last paint, for pointer → time */
	const geo = { top: 0, bottom: 0, x: scale(0, 1, LEFT, LEFT + 1) };

	const input = new TsInput({
		get series() {
			return series;
		},
		view: () => [v0, v1],
		geo,
		setView,
		zoom,
		propose(sel, label) {
			input.pending = sel;
			if (sel && label && ctx.selectionMade(name)) input.pending = null;
			paint();
			if (input.pending && input.pending.start !== input.pending.end) ctx.hint("Now press a label key (or click a label) to label the selection.");
		},
		hitRegion,
		clickRegion: (id) => ctx.regionClicked(id),
		edgeAt,
		setEdge,
		paint,
		hover: paintHover,
	});

	/** Regions under pixel `px` (an instant within 4 px), innermost first. @param {number} px */
	function hitRegion(px) {
		const hits = shown.filter((r) => {
			const a = geo.x(r.geom.start);
			const b = geo.x(r.geom.end);
			return px >= Math.min(a, b) - 4 && px <= Math.max(a, b) + 4;
		});
		hits.sort((p, q) => p.geom.end - p.geom.start - (q.geom.end - q.geom.start));
		return hits;
	}

	/** The selected region of this object, if any. */
	function selectedRegion() {
		return shown.find((r) => r.id === selected) ?? null;
	}

	/** @param {number} px @returns {import("./ts_input.js").Edge|null} */
	function edgeAt(px) {
		const r = selectedRegion();
		if (!r) return null;
		const a = geo.x(r.geom.start);
		const b = geo.x(r.geom.end);
		if (r.geom.instant) return Math.abs(px - a) <= 4 ? "both" : null;
		if (Math.abs(px - a) <= 4 && Math.abs(px - a) <= Math.abs(px - b)) return "start";
		return Math.abs(px - b) <= 4 ? "end" : null;
	}

	/** Move an edge of the selected region to time `t` (a data point); the moved side is written afresh. @param {import("./ts_input.js").Edge} edge @param {number} t */
	function setEdge(edge, t) {
		const r = selectedRegion();
		if (!r) return false;
		/** @type {Record<string, any>} */
		const g = { ...r.geom, src: { ...(r.geom.src ?? {}) } };
		if (g.instant || edge === "both") {
			g.start = g.end = t;
			g.src.start = g.src.end = undefined;
		} else {
			g[edge] = t;
			g.src[edge] = undefined;
			if (g.start > g.end) [g.start, g.end, g.src.start, g.src.end] = [g.end, g.start, g.src.end, g.src.start];
		}
		r.geom = g;
		r.text = cfg.describe(g.start, g.end, g.instant);
		ctx.regions.changed();
		return true;
	}

	/** @param {number} a @param {number} b */
	function setView(a, b) {
		if (!series) return;
		const t = series.times;
		const lo = t[0];
		const hi = t[t.length - 1];
		const full = Math.max(hi - lo, 1e-9);
		const minSpan = t.length > 1 ? Math.min(full, (full / (t.length - 1)) * 4) : full;
		let span = Math.min(full, Math.max(minSpan, b - a));
		let start = Math.max(lo, Math.min(a, hi - span));
		if (!Number.isFinite(start)) start = lo;
		if (start + span > hi) span = hi - start;
		v0 = start;
		v1 = start + span;
		paint();
	}

	/** Zoom by `factor` (< 1: in) around time `at` (default: the cursor, else the middle). @param {number} factor @param {number} [at] */
	function zoom(factor, at) {
		if (!series) return;
		const c = at ?? (input.cursor !== null ? series.times[input.cursor] : (v0 + v1) / 2);
		const span = (v1 - v0) * factor;
		const k = v1 === v0 ? 0.5 : (c - v0) / (v1 - v0);
		setView(c - span * k, c - span * k + span);
	}

	function fit() {
		if (series) setView(series.times[0], series.times[series.times.length - 1]);
	}

	function paint() {
		if (!series) return;
		width = body.clientWidth;
		if (width < 80) return; // hidden (a collapsed view): painted when it shows (ResizeObserver)
		const plotW = width - LEFT - RIGHT;
		const x = scale(v0, v1, LEFT, LEFT + plotW);
		const [i0, i1] = visibleRows(series.times, v0, v1);
		const layers = { grid: svg("g"), lines: svg("g", { "clip-path": `url(#${clipId})` }), regions: svg("g", { class: "nblabel-ts-regions" }) };
		let top = 4;
		for (const ch of channels) {
			const values = series.values(ch.column);
			const band = svg("g", { class: "nblabel-ts-channel", "data-column": ch.column });
			band.append(svg("rect", { class: "nblabel-ts-band", x: LEFT, y: top, width: plotW, height: ch.height }));
			if (values) {
				const [lo, hi] = cfg.fixedScale ? extent(values, 0, values.length) : extent(values, i0, i1);
				const y = scale(lo, hi, top + ch.height - 6, top + 6);
				drawYAxis(band, { lo, hi, left: LEFT, width: plotW, top, height: ch.height, format: ch.format }, y);
				const path = svg("path", { class: "nblabel-ts-line", d: linePath(series.times, values, i0, i1, x, y), stroke: ch.color, "stroke-width": ch.stroke });
				layers.lines.append(path);
			} else band.append(svg("text", { class: "nblabel-ts-missing", x: LEFT + 8, y: top + 18 }, `column "${ch.column}" is not in the data`));
			band.append(svg("text", { class: "nblabel-ts-name", x: LEFT + 6, y: top + 13 }, ch.units ? `${ch.legend} (${ch.units})` : ch.legend));
			layers.grid.append(band);
			top += ch.height + GAP;
		}
		const bottom = top - GAP;
		const clip = svg("clipPath", { id: clipId });
		clip.append(svg("rect", { x: LEFT, y: 0, width: plotW, height: bottom + 4 }));
		Object.assign(geo, { top: 4, bottom, x });
		const axis = svg("g", { class: "nblabel-ts-xaxis" });
		drawXAxis(axis, { v0, v1, left: LEFT, width: plotW, top: 4, bottom, isDate, format: formatTime });
		for (const r of shown) layers.regions.append(regionShape(r, x(r.geom.start), x(r.geom.end), 4, bottom - 4, true));
		const p = input.pending;
		if (p) layers.regions.append(rangeShape("nblabel-ts-pending", x(p.start), x(p.end), 4, bottom - 4));
		if (input.cursor !== null) {
			const cx = Math.round(x(series.times[input.cursor])) + 0.5;
			layers.regions.append(svg("line", { class: "nblabel-ts-cursor", x1: cx, x2: cx, y1: 4, y2: bottom }));
		}
		const hover = svg("g", { class: "nblabel-ts-hover" });
		main.replaceChildren(clip, layers.grid, axis, layers.lines, layers.regions, hover);
		main.setAttribute("width", String(width));
		main.setAttribute("height", String(bottom + AXIS));
		Object.assign(main.dataset, { v0: String(v0), v1: String(v1), left: String(LEFT), width: String(plotW), rows: String(series.times.length) });
		paintOverview(plotW);
		paintReadout(null);
	}

	/** @param {Region} r @param {number} a @param {number} b @param {number} y0 @param {number} y1 @param {boolean} label */
	function regionShape(r, a, b, y0, y1, label) {
		const color = ctx.regions.colors.get(r.labels[0]) ?? "#888";
		const g = rangeShape(`nblabel-ts-region${r.id === selected ? " is-selected" : ""}${r.geom.instant ? " is-instant" : ""}`, a, b, y0, y1);
		g.setAttribute("data-region", r.id);
		g.style.setProperty("--nbl-region", color);
		if (label) g.append(svg("text", { class: "nblabel-ts-region-label", x: Math.min(a, b) + 4, y: y1 - 6 }, r.labels.join(", ")));
		return g;
	}

	/** @param {string} cls @param {number} a @param {number} b @param {number} y0 @param {number} y1 */
	function rangeShape(cls, a, b, y0, y1) {
		const g = svg("g", { class: cls });
		const lo = Math.min(a, b);
		const w = Math.max(2, Math.abs(b - a));
		g.append(svg("rect", { x: w === 2 ? lo - 1 : lo, y: y0, width: w, height: y1 - y0 }));
		return g;
	}

	/** @param {number} plotW */
	function paintOverview(plotW) {
		if (!series) return;
		const t = series.times;
		const x = scale(t[0], t[t.length - 1], LEFT, LEFT + plotW);
		const names = channels.filter((c) => overviewNames.includes(c.column.toLowerCase()) || overviewNames.includes(c.legend.toLowerCase()));
		const list = names.length ? names : channels.slice(0, 1);
		if (overview.series !== series || overview.width !== plotW) {
			// the whole series at this width: the same on every zoom / pan, so drawn once
			overview.series = series;
			overview.width = plotW;
			overview.lines = list.flatMap((ch) => {
				const values = series?.values(ch.column);
				if (!values) return [];
				const [lo, hi] = extent(values, 0, t.length);
				return [svg("path", { class: "nblabel-ts-line", d: linePath(t, values, 0, t.length, x, scale(lo, hi, OVERVIEW - 4, 4)), stroke: ch.color, "stroke-width": 1 })];
			});
		}
		/** @type {SVGElement[]} */
		const kids = [svg("rect", { class: "nblabel-ts-band", x: LEFT, y: 1, width: plotW, height: OVERVIEW - 2 }), ...overview.lines];
		for (const r of shown) kids.push(regionShape(r, x(r.geom.start), x(r.geom.end), 1, OVERVIEW - 1, false));
		const a = x(v0);
		const b = x(v1);
		kids.push(svg("rect", { class: "nblabel-ts-window", x: a, y: 0.5, width: Math.max(3, b - a), height: OVERVIEW - 1 }));
		over.replaceChildren(...kids);
		over.setAttribute("width", String(width));
		input.overviewScale = x;
	}

	/** Hover marker + readout at pixel `px` (null: the cursor or the view). @param {number|null} px */
	function paintHover(px) {
		const g = main.querySelector(".nblabel-ts-hover");
		if (!g || !series) return;
		g.replaceChildren();
		if (px === null) {
			paintReadout(null);
			return;
		}
		const i = series.nearest(geo.x.invert(px));
		const cx = Math.round(geo.x(series.times[i])) + 0.5;
		g.append(svg("line", { x1: cx, x2: cx, y1: geo.top, y2: geo.bottom }));
		paintReadout(i);
	}

	/** @param {number|null} i */
	function paintReadout(i) {
		if (!series) return;
		const at = i ?? input.cursor;
		if (at === null) {
			readout.textContent = `${formatTime(v0)} – ${formatTime(v1)}`;
			return;
		}
		const parts = channels.map((ch) => {
			const v = series?.values(ch.column)?.[at];
			return `${ch.legend} ${v === undefined || Number.isNaN(v) ? "–" : ch.format(v)}${ch.units ? ` ${ch.units}` : ""}`;
		});
		readout.textContent = [formatTime(series.times[at]), ...parts].join(" · ");
	}

	/** @param {unknown} message */
	function fail(message) {
		series = null;
		el.dataset.state = "error";
		body.replaceChildren(mediaError(`time series ${name}: ${message}`));
	}

	/** @param {{columns: Record<string, any[]>, headers: string[]}} raw */
	function ready(raw) {
		series = new Series(raw, cfg.series);
		const timeKey = series.timeKey;
		channels = configured.length ? configured
			: raw.headers.filter((k) => k !== timeKey).map((k, i) => channel(i, { column: k, legend: k }));
		legend.replaceChildren(...channels.map((ch) => {
			const sw = h("span", { class: "nblabel-swatch" });
			sw.style.background = ch.color;
			return h("span", { class: "nblabel-ts-key" }, sw, ch.legend);
		}));
		body.replaceChildren(main, over);
		el.dataset.state = "ready";
		el.dataset.loadMs = (performance.now() - loadStart).toFixed(1); // fetch + parse + first paint (bench)
		v0 = series.times[0];
		v1 = series.times[series.times.length - 1];
		fit();
	}

	new ResizeObserver(() => {
		if (series && body.clientWidth !== width) paint();
	}).observe(body);
	input.attach(main, over);
	ctx.onKey(el, (e) => input.key(e));

	ctx.regions.objects.set(name, {
		name,
		paint(regions, sel) {
			shown = regions;
			selected = sel;
			paint();
		},
		toValue: (g) => cfg.toValue(g),
		fromValue: (v) => cfg.fromValue(v),
		verb: "drag across the plot (or [ and ] at the cursor)",
		takePending() {
			const p = input.pending;
			input.pending = null;
			input.anchor = null; // the next keyboard selection starts at the cursor
			paint();
			if (!p) return null;
			const instant = p.start === p.end;
			return { object: name, geom: { start: p.start, end: p.end, instant }, text: cfg.describe(p.start, p.end, instant) };
		},
	});

	return {
		el,
		update(task) {
			const mine = ++token;
			loadStart = performance.now();
			series = null;
			shown = [];
			input.reset();
			el.dataset.state = "loading";
			help.hidden = !ctx.regions.objectTargeted(name);
			body.replaceChildren(h("div", { class: "nblabel-muted nblabel-ts-loading" }, "loading the time series…"));
			const value = cfg.value === undefined ? task.data : resolve(cfg.value, task.data);
			/** @param {unknown} err */
			const failed = (err) => mine === token && fail(err instanceof Error ? err.message : String(err));
			try {
				const raw = readValue(value, cfg.valueType, cfg.sep, ctx.media);
				if (raw instanceof Promise) raw.then((r) => mine === token && ready(r)).catch(failed);
				else ready(raw);
			} catch (err) {
				failed(err);
			}
		},
	};
}

let clips = 0;
