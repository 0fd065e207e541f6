// Time and number formats of the TimeSeries object, after d3 (which Label Studio uses): strftime-style `timeFormat`
// / `timeDisplayFormat` and d3-format `displayFormat`. Rules:
// - times are parsed and formatted in UTC: a region's start/end goes string → ms → string through the same zone, so a
//   prefilled "2020-01-04 00:00:00.000000" comes back byte for byte and no daylight-saving gap can shift it (Label
//   Studio uses local time for both, which only differs inside those gaps);
// - parsing is strict like d3.timeParse: the whole string must match, else null;
// - only the directives and format types Label Studio configs use are implemented; unknown ones are kept literally.

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December"];

/** @param {number} n @param {number} width @param {string} fill */
function pad(n, width, fill = "0") {
	const s = String(Math.abs(Math.trunc(n)));
	return (n < 0 ? "-" : "") + (s.length < width ? fill.repeat(width - s.length) + s : s);
}

/** @type {Record<string, [(d: Date) => number|string, number]>} directive → (value, default zero-pad width) */
const FIELDS = {
	Y: [(d) => d.getUTCFullYear(), 4],
	y: [(d) => d.getUTCFullYear() % 100, 2],
	m: [(d) => d.getUTCMonth() + 1, 2],
	d: [(d) => d.getUTCDate(), 2],
	e: [(d) => d.getUTCDate(), -2],
	H: [(d) => d.getUTCHours(), 2],
	I: [(d) => d.getUTCHours() % 12 || 12, 2],
	M: [(d) => d.getUTCMinutes(), 2],
	S: [(d) => d.getUTCSeconds(), 2],
	L: [(d) => d.getUTCMilliseconds(), 3],
	f: [(d) => d.getUTCMilliseconds() * 1000, 6],
	j: [(d) => Math.floor((+d - Date.UTC(d.getUTCFullYear(), 0, 1)) / 864e5) + 1, 3],
	p: [(d) => (d.getUTCHours() < 12 ? "AM" : "PM"), 0],
	a: [(d) => DAYS[d.getUTCDay()].slice(0, 3), 0],
	A: [(d) => DAYS[d.getUTCDay()], 0],
	b: [(d) => MONTHS[d.getUTCMonth()].slice(0, 3), 0],
	B: [(d) => MONTHS[d.getUTCMonth()], 0],
	Q: [(d) => +d, 0],
	s: [(d) => Math.floor(+d / 1000), 0],
	Z: [() => "+0000", 0],
	"%": [() => "%", 0],
};

/**
 * `strftime`-style formatter (UTC), like d3.utcFormat. Pad modifiers: `%-d` none, `%_d` spaces, `%0d` zeros.
 * @param {string} spec
 * @returns {(ms: number) => string}
 */
export function timeFormatter(spec) {
	/** @type {(string|[string, string])[]} */
	const parts = [];
	for (let i = 0; i < spec.length; i++) {
		if (spec[i] !== "%" || i + 1 >= spec.length) {
			parts.push(spec[i]);
			continue;
		}
		let c = spec[++i];
		let mod = "";
		if ((c === "-" || c === "_" || c === "0") && i + 1 < spec.length) {
			mod = c;
			c = spec[++i];
		}
		parts.push(c in FIELDS ? [c, mod] : `%${mod}${c}`);
	}
	return (ms) => {
		const d = new Date(ms);
		let out = "";
		for (const p of parts) {
			if (typeof p === "string") {
				out += p;
				continue;
			}
			const [get, width] = FIELDS[p[0]];
			const v = get(d);
			if (typeof v === "string" || width === 0) out += String(v);
			else if (p[1] === "-") out += String(v);
			else out += pad(v, Math.abs(width), p[1] === "_" || (width < 0 && p[1] !== "0") ? " " : "0");
		}
		return out;
	};
}

/** @type {Record<string, string>} directive → regex of its text */
const PARSE = {
	Y: "[+-]?\\d{1,4}", y: "\\d{1,2}", m: "\\d{1,2}", d: "\\d{1,2}", e: "\\d{1,2}", H: "\\d{1,2}", I: "\\d{1,2}",
	M: "\\d{1,2}", S: "\\d{1,2}", L: "\\d{1,3}", f: "\\d{1,6}", j: "\\d{1,3}", p: "[AaPp][Mm]",
	a: "[A-Za-z]{3}", A: "[A-Za-z]+", b: "[A-Za-z]{3}", B: "[A-Za-z]+", Q: "-?\\d+", s: "-?\\d+",
	Z: "Z|[+-]\\d\\d:?\\d\\d",
};

/**
 * Strict `strftime`-style parser (UTC), like d3.utcParse: ms since the epoch, or null when `text` does not match.
 * @param {string} spec
 * @returns {(text: string) => number|null}
 */
export function timeParser(spec) {
	let source = "^";
	/** @type {string[]} */
	const keys = [];
	for (let i = 0; i < spec.length; i++) {
		const ch = spec[i];
		if (ch !== "%" || i + 1 >= spec.length) {
			source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
			continue;
		}
		let c = spec[++i];
		if ((c === "-" || c === "_" || c === "0") && i + 1 < spec.length) c = spec[++i];
		if (c === "%") source += "%";
		else if (c in PARSE) {
			source += `\\s*(${PARSE[c]})`;
			keys.push(c);
		} else source += `%${c}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	}
	const re = new RegExp(`${source}$`);
	return (text) => {
		const m = re.exec(String(text));
		if (!m) return null;
		const f = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, L: 0, j: 0, pm: -1, zone: 0, epoch: NaN };
		keys.forEach((k, n) => {
			const v = m[n + 1];
			if (k === "Y") f.Y = +v;
			else if (k === "y") f.Y = +v + (+v > 68 ? 1900 : 2000);
			else if (k === "m") f.m = +v;
			else if (k === "d" || k === "e") f.d = +v;
			else if (k === "H" || k === "I") f.H = +v;
			else if (k === "M") f.M = +v;
			else if (k === "S") f.S = +v;
			else if (k === "L") f.L = +v;
			else if (k === "f") f.L = Math.floor(+v.padEnd(6, "0") / 1000);
			else if (k === "j") f.j = +v;
			else if (k === "p") f.pm = v.toLowerCase() === "pm" ? 1 : 0;
			else if (k === "b" || k === "B") {
				const i = MONTHS.findIndex((name) => name.slice(0, 3).toLowerCase() === v.slice(0, 3).toLowerCase());
				if (i >= 0) f.m = i + 1;
			} else if (k === "Q") f.epoch = +v;
			else if (k === "s") f.epoch = +v * 1000;
			else if (k === "Z" && v !== "Z") {
				const z = v.replace(":", "");
				f.zone = (z[0] === "-" ? -1 : 1) * (+z.slice(1, 3) * 60 + +z.slice(3, 5));
			}
		});
		if (!Number.isNaN(f.epoch)) return f.epoch;
		if (f.pm >= 0) f.H = (f.H % 12) + (f.pm ? 12 : 0);
		const day = f.j ? Date.UTC(f.Y, 0, f.j) : Date.UTC(f.Y, f.m - 1, f.d);
		const d = new Date(day);
		d.setUTCFullYear(f.Y); // Date.UTC maps years 0–99 to 1900–1999
		return +d + ((f.H * 60 + f.M - f.zone) * 60 + f.S) * 1000 + f.L;
	};
}

/**
 * A d3-format number formatter (`[$][,][.precision][~][f|e|g|r|s|%|d]`, e.g. ",.1f", ".3", "%").
 * @param {string} spec
 * @returns {(n: number) => string}
 */
export function numberFormatter(spec) {
	const m = /^([+\-( ])?(\$)?(0)?(\d+)?(,)?(?:\.(\d+))?(~)?([a-z%])?$/.exec(spec ?? "");
	if (!m) return (n) => String(n);
	const [, sign, currency, , , comma, prec, trim, type = ""] = m;
	const p = prec === undefined ? null : +prec;
	return (n) => {
		if (!Number.isFinite(n)) return String(n);
		let v = type === "%" ? n * 100 : n;
		let s;
		let suffix = type === "%" ? "%" : "";
		const neg = v < 0 || Object.is(v, -0);
		v = Math.abs(v);
		if (type === "f" || type === "%") s = v.toFixed(p ?? 6);
		else if (type === "e") s = v.toExponential(p ?? 6);
		else if (type === "d") s = Math.round(v).toString();
		else if (type === "r") s = String(+v.toPrecision(p ?? 12));
		else if (type === "s") {
			const k = v === 0 ? 0 : Math.max(-8, Math.min(8, Math.floor(Math.log10(v) / 3)));
			s = String(+(v / 10 ** (k * 3)).toPrecision(p ?? 6));
			suffix = ["y", "z", "a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"][k + 8];
		} else if (type === "g" || p !== null) s = v.toPrecision(Math.max(1, p ?? 6));
		else s = String(+v.toPrecision(12));
		if (trim || (!type && p !== null)) s = s.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1");
		if (comma) {
			const [int, frac] = s.split(".");
			s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? `.${frac}` : "");
		}
		const body = (currency ? "$" : "") + s + suffix;
		if (neg && +s !== 0) return sign === "(" ? `(${body})` : `−${body}`;
		return sign === "+" ? `+${body}` : sign === " " ? ` ${body}` : body;
	};
}

/**
 * About `count` round ticks (1, 2, 5 × 10^k steps) in [a, b].
 * @param {number} a @param {number} b @param {number} count
 * @returns {number[]}
 */
export function numberTicks(a, b, count) {
	if (!(b > a) || count < 1) return Number.isFinite(a) ? [a] : [];
	const raw = (b - a) / count;
	const pow = 10 ** Math.floor(Math.log10(raw));
	const err = raw / pow;
	const step = (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1) * pow;
	const out = [];
	for (let i = Math.ceil(a / step); i * step <= b + step * 1e-9; i++) out.push(+(i * step).toPrecision(12));
	return out;
}

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Tick steps for time axes, in ms (months and years are calendar steps, see `timeTicks`). */
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 15 * S, 30 * S, MIN, 2 * MIN, 5 * MIN, 15 * MIN,
	30 * MIN, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

/**
 * About `count` round time ticks in [a, b] (ms, UTC), each with a label that says what changed at that tick (year,
 * month, day, time), like d3's multi-scale time format.
 * @param {number} a @param {number} b @param {number} count
 * @returns {{at: number, label: string}[]}
 */
export function timeTicks(a, b, count) {
	if (!(b > a)) return Number.isFinite(a) ? [{ at: a, label: timeLabel(a) }] : [];
	const want = (b - a) / Math.max(1, count);
	const step = STEPS.find((s) => s >= want) ?? STEPS[STEPS.length - 1];
	/** @type {number[]} */
	const at = [];
	if (step >= 365 * DAY) {
		const years = Math.max(1, numberTicks(0, (b - a) / (365 * DAY), count)[1] ?? 1);
		for (let y = Math.ceil(new Date(a).getUTCFullYear() / years) * years; Date.UTC(y, 0, 1) <= b; y += years) {
			const t = Date.UTC(y, 0, 1);
			if (t >= a) at.push(t);
		}
	} else if (step >= 30 * DAY) {
		const months = step >= 91 * DAY ? 3 : 1;
		const d = new Date(a);
		let y = d.getUTCFullYear();
		let mo = Math.floor(d.getUTCMonth() / months) * months;
		for (let t = Date.UTC(y, mo, 1); t <= b; t = Date.UTC(y, mo, 1)) {
			if (t >= a) at.push(t);
			mo += months;
			if (mo >= 12) {
				mo -= 12;
				y += 1;
			}
		}
	} else {
		const origin = step === 7 * DAY ? 4 * DAY : 0; // weeks start on Mondays (1970-01-05)
		for (let t = Math.ceil((a - origin) / step) * step + origin; t <= b; t += step) at.push(t);
	}
	return at.map((t) => ({ at: t, label: timeLabel(t) }));
}

const LABELS = {
	ms: timeFormatter(".%L"), s: timeFormatter("%H:%M:%S"), min: timeFormatter("%H:%M"), day: timeFormatter("%b %d"),
	month: timeFormatter("%b"), year: timeFormatter("%Y"),
};

/** @param {number} t */
function timeLabel(t) {
	const d = new Date(t);
	if (d.getUTCMilliseconds()) return LABELS.ms(t);
	if (d.getUTCSeconds()) return LABELS.s(t);
	if (d.getUTCMinutes() || d.getUTCHours()) return LABELS.min(t);
	if (d.getUTCDate() !== 1) return LABELS.day(t);
	return d.getUTCMonth() ? LABELS.month(t) : LABELS.year(t);
}
