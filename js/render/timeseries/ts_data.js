// The data of a TimeSeries object: CSV text or JSON columns → sorted numeric arrays. Rules (Label Studio's
// `parseCSV` / TimeSeries model, so the same files give the same columns):
// - a CSV has a header row when its first two rows differ in which cells are numbers; header names are lowercased;
//   a headless CSV names its columns "0", "1", …; a Channel `column` may be a name (any case) or an index;
// - `sep`: a character or one of tab / space / comma / dot / auto;
// - the time column is parsed with `timeFormat` (strftime, UTC) when set, else read as numbers; without
//   `timeColumn` the row index is the time; rows are sorted by time (Label Studio requires sorted data);
// - a value that is not a number is a gap (NaN) in its channel; data that cannot be used is an Error whose message
//   the object shows in place.

import { timeParser } from "./ts_format.js";

const SEPARATORS = { tab: "\t", "\\t": "\t", space: " ", comma: ",", dot: ".", auto: "auto" };

/**
 * @param {string} text
 * @param {string} [sep]
 * @returns {{columns: Record<string, any[]>, headers: string[]}}
 */
export function parseCSV(text, sep = ",") {
	let separator = sep.length > 1 ? (/** @type {Record<string, string>} */ (SEPARATORS)[sep.toLowerCase()] ?? sep[0]) : sep || ",";
	const lines = text.split(/\r?\n/);
	while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
	if (!lines.length) throw new Error("the CSV is empty");
	if (separator === "auto") {
		const found = (lines[1] ?? lines[0]).trim().match(/[,;\t ]/g) ?? [];
		if (!found.length) throw new Error("no separator found in the CSV: set sep on <TimeSeries>");
		if (found.some((c) => c !== found[0])) throw new Error("more than one possible separator in the CSV: set sep on <TimeSeries>");
		separator = found[0] ?? ",";
	}
	const quoted = text.includes('"');
	/** @param {string} line */
	const split = (line) => (quoted ? splitQuoted(line, separator) : line.split(separator)).map((c) => c.trim());
	const first = split(lines[0]);
	const second = lines.length > 1 ? split(lines[1]) : first;
	const header = !first.every((c, i) => isNumber(c) === isNumber(second[i] ?? ""));
	const headers = header ? first.map((c) => c.toLowerCase()) : first.map((_, i) => String(i));
	/** @type {any[][]} */
	const cols = headers.map(() => []);
	for (let r = header ? 1 : 0; r < lines.length; r++) {
		const line = lines[r];
		if (!line.trim()) continue;
		const row = split(line);
		if (row.length !== headers.length) throw new Error(`row ${r + 1} has ${row.length} cells, the header ${headers.length} (sep="${separator}")`);
		for (let i = 0; i < row.length; i++) {
			const c = row[i];
			const n = c === "" ? NaN : +c;
			cols[i].push(Number.isNaN(n) && c !== "" ? c : n);
		}
	}
	/** @type {Record<string, any[]>} */
	const columns = {};
	headers.forEach((name, i) => (columns[name] = cols[i]));
	return { columns, headers };
}

/** @param {string} c */
function isNumber(c) {
	return c !== "" && !Number.isNaN(+c);
}

/** A CSV line with "quoted ""cells""". @param {string} line @param {string} sep */
function splitQuoted(line, sep) {
	const out = [];
	let cell = "";
	let inQuotes = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (inQuotes) {
			if (ch === '"' && line[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') inQuotes = false;
			else cell += ch;
		} else if (ch === '"') inQuotes = true;
		else if (ch === sep) {
			out.push(cell);
			cell = "";
		} else cell += ch;
	}
	out.push(cell);
	return out;
}

/**
 * Columns from a task value: `{"time": [...], "a": [...]}`, a list of row objects, or JSON text of either.
 * @param {unknown} value
 * @returns {{columns: Record<string, any[]>, headers: string[]}}
 */
export function jsonColumns(value) {
	let v = value;
	if (typeof v === "string") {
		try {
			v = JSON.parse(v);
		} catch {
			throw new Error("the time series value is not JSON columns");
		}
	}
	if (Array.isArray(v) && v.every((r) => r && typeof r === "object" && !Array.isArray(r))) {
		/** @type {Record<string, any[]>} */
		const columns = {};
		v.forEach((row, i) => {
			for (const [k, x] of Object.entries(row)) (columns[k] ??= new Array(v.length).fill(NaN))[i] = x;
		});
		return { columns, headers: Object.keys(columns) };
	}
	if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("no time series in this task (expected columns like {\"time\": [...], \"value\": [...]})");
	/** @type {Record<string, any[]>} */
	const columns = {};
	for (const [k, x] of Object.entries(v)) if (Array.isArray(x)) columns[k] = x;
	if (!Object.keys(columns).length) throw new Error("the time series has no columns (lists of values)");
	return { columns, headers: Object.keys(columns) };
}

/** @typedef {{columns: Record<string, any[]>, headers: string[]}} Columns */

/**
 * The columns of a task's TimeSeries value: JSON columns or CSV text in the task are read now; a URL (or a local file
 * Python serves, through `media`) is fetched. Errors name what was fetched.
 * @param {unknown} value
 * @param {string} valueType  "url" | "json"
 * @param {string} sep
 * @param {(value: unknown, kind: "csv") => Promise<string>} media
 * @returns {Columns|Promise<Columns>}
 */
export function readValue(value, valueType, sep, media) {
	const marker = value !== null && typeof value === "object" && "nblabel_media" in value;
	if (valueType === "json" || (!marker && value !== null && typeof value === "object")) return jsonColumns(value);
	if (typeof value === "string" && value.includes("\n")) return parseCSV(value, sep); // CSV text in the cell
	/** @type {string|null} */
	let where = null;
	return media(value, "csv")
		.then((url) => {
			where = url.startsWith("data:") ? "the data: URL" : url.startsWith("blob:") ? "the local file" : url.slice(0, 200);
			return fetch(url);
		})
		.then((res) => {
			if (!res.ok) throw new Error(`${res.status} ${res.statusText}`.trim());
			if (/^text\/html/i.test(res.headers.get("content-type") ?? "")) throw new Error("got a web page, not a CSV");
			return res.text();
		})
		.then((text) => (text.trimStart().startsWith("{") ? jsonColumns(text) : parseCSV(text, sep)))
		.catch((err) => {
			const msg = err instanceof Error ? err.message : String(err);
			throw new Error(where ? `${where}: ${msg}` : msg);
		});
}

/**
 * A column by name (exact, then any case) or by index into the headers.
 * @param {Record<string, any[]>} columns @param {string[]} headers @param {string} name
 */
export function findColumn(columns, headers, name) {
	if (name in columns) return name;
	const low = name.toLowerCase();
	const hit = Object.keys(columns).find((k) => k.toLowerCase() === low);
	if (hit !== undefined) return hit;
	if (/^\d+$/.test(name) && headers[+name] !== undefined) return headers[+name];
	return null;
}

export class Series {
	/**
	 * @param {{columns: Record<string, any[]>, headers: string[]}} raw
	 * @param {{timeColumn: string, timeFormat: string, isDate: boolean}} opts
	 */
	constructor(raw, opts) {
		this.raw = raw;
		const names = Object.keys(raw.columns);
		/** @type {string|null} */
		this.timeKey = null;
		/** @type {Float64Array} */
		let times;
		if (opts.timeColumn) {
			this.timeKey = findColumn(raw.columns, raw.headers, opts.timeColumn);
			if (this.timeKey === null) throw new Error(`timeColumn "${opts.timeColumn}" is not in the data (columns: ${names.join(", ")})`);
			times = readTimes(raw.columns[this.timeKey], opts);
		} else {
			const n = raw.columns[names[0]]?.length ?? 0;
			times = Float64Array.from({ length: n }, (_, i) => i);
		}
		/** @type {Int32Array|null} row order when the data is not sorted by time (NaN times dropped) */
		this.order = null;
		let sorted = true;
		for (let i = 1; i < times.length && sorted; i++) sorted = times[i] >= times[i - 1];
		if (!sorted || times.some(Number.isNaN)) {
			const idx = Array.from(times.keys()).filter((i) => !Number.isNaN(times[i]));
			idx.sort((a, b) => times[a] - times[b]);
			this.order = Int32Array.from(idx);
			times = Float64Array.from(idx, (i) => times[i]);
		}
		if (!times.length) throw new Error("the time series has no rows");
		this.times = times;
		/** @type {Map<string, Float64Array|null>} */
		this.cache = new Map();
	}

	/** Values of a channel column (NaN = gap), in time order; null when there is no such column. @param {string} name */
	values(name) {
		if (this.cache.has(name)) return this.cache.get(name) ?? null;
		const key = findColumn(this.raw.columns, this.raw.headers, name);
		const col = key === null ? null : this.raw.columns[key];
		const n = this.times.length;
		const out = col ? new Float64Array(n) : null;
		if (col && out) {
			const order = this.order;
			for (let i = 0; i < n; i++) {
				const x = col[order ? order[i] : i];
				out[i] = typeof x === "number" ? x : x === null || x === undefined || x === "" ? NaN : +x;
			}
		}
		this.cache.set(name, out);
		return out;
	}

	/** Index of the data point nearest to time `t`. @param {number} t */
	nearest(t) {
		const i = lowerBound(this.times, t);
		if (i <= 0) return 0;
		if (i >= this.times.length) return this.times.length - 1;
		return this.times[i] - t > t - this.times[i - 1] ? i - 1 : i; // a tie goes right, like Label Studio's stick
	}
}

/** First index with times[i] >= t. @param {Float64Array} times @param {number} t */
export function lowerBound(times, t) {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (times[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** @param {any[]} col @param {{timeColumn: string, timeFormat: string, isDate: boolean}} opts */
function readTimes(col, opts) {
	const out = new Float64Array(col.length);
	if (opts.timeFormat) {
		const parse = timeParser(opts.timeFormat);
		let bad = 0;
		for (let i = 0; i < col.length; i++) {
			const x = col[i];
			const t = typeof x === "number" && !/%[QsYy]/.test(opts.timeFormat) ? x : parse(String(x));
			out[i] = t ?? NaN;
			if (t === null) bad++;
		}
		if (bad === col.length) throw new Error(`timeColumn "${opts.timeColumn}" does not match timeFormat "${opts.timeFormat}" (first values: ${col.slice(0, 3).join(", ")})`);
		return out;
	}
	for (let i = 0; i < col.length; i++) out[i] = col[i] === "" || col[i] === null ? NaN : +col[i];
	if (col.length && Number.isNaN(out[0]) && Number.isNaN(out[col.length - 1])) {
		throw new Error(`timeColumn "${opts.timeColumn}" holds non-numbers (${col.slice(0, 3).join(", ")}): set timeFormat on <TimeSeries>`);
	}
	return out;
}
