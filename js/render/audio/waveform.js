// Waveform peaks and the timeline canvas of the Audio object. Rules:
// - peaks are computed once per task: the file is fetched and decoded by an OfflineAudioContext, then reduced to at
//   most MAX_BUCKETS loudness buckets (max |sample| over every channel). Long files are decoded at a low sample rate
//   (a waveform needs no more), so an hour of audio costs tens of MB while it is decoded, then 256 KB of peaks;
// - the canvas is only as wide as the visible part of the timeline: a draw reads the peaks of the visible time window,
//   so zooming costs nothing up front and the canvas never hits the browser's size limits;
// - without peaks (the file plays but cannot be fetched or decoded, e.g. a remote server without CORS) the same canvas
//   draws a plain timeline: a centre line and the time axis;
// - colours come from CSS custom properties of the element, so both JupyterLab themes work.

export const MAX_BUCKETS = 1 << 16;

/** Decode rate by compressed size: small files keep detail, long ones are decoded coarsely. @param {number} bytes */
function decodeRate(bytes) {
	if (bytes <= 4e6) return 22050;
	if (bytes <= 32e6) return 8000;
	return 3000;
}

/**
 * Fetch and decode `url`; its loudness peaks (0..1, normalised to the loudest bucket) and decoded duration.
 * @param {string} url
 * @param {AbortSignal} signal
 * @returns {Promise<{peaks: Float32Array, duration: number}>}
 */
export async function decodePeaks(url, signal) {
	const res = await fetch(url, { signal });
	if (!res.ok) throw new Error(`HTTP ${res.status}`);
	const bytes = await res.arrayBuffer();
	const ctx = new OfflineAudioContext(1, 1, decodeRate(bytes.byteLength));
	const buffer = await ctx.decodeAudioData(bytes);
	return { peaks: peaksOf(buffer), duration: buffer.duration };
}

/** @param {AudioBuffer} buffer */
export function peaksOf(buffer) {
	const n = Math.max(1, Math.min(MAX_BUCKETS, buffer.length));
	const peaks = new Float32Array(n);
	const step = buffer.length / n;
	for (let c = 0; c < buffer.numberOfChannels; c++) {
		const data = buffer.getChannelData(c);
		for (let b = 0; b < n; b++) {
			const end = Math.min(data.length, Math.floor((b + 1) * step));
			let m = peaks[b];
			for (let i = Math.floor(b * step); i < end; i++) {
				const v = data[i] < 0 ? -data[i] : data[i];
				if (v > m) m = v;
			}
			peaks[b] = m;
		}
	}
	let top = 0;
	for (const p of peaks) if (p > top) top = p;
	if (top > 0) for (let b = 0; b < n; b++) peaks[b] /= top;
	return peaks;
}

/** Seconds between axis ticks so labels are at least `minPx` apart. @param {number} pxPerSecond @param {number} minPx */
export function tickStep(pxPerSecond, minPx = 70) {
	const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
	return steps.find((s) => s * pxPerSecond >= minPx) ?? 7200;
}

/** `m:ss.cc` (hours as `h:mm:ss` when needed). @param {number} t */
export function formatTime(t) {
	if (!Number.isFinite(t)) return "–:––";
	const cs = Math.round(Math.max(0, t) * 100);
	const h = Math.floor(cs / 360000);
	const m = Math.floor((cs % 360000) / 6000);
	const s = Math.floor((cs % 6000) / 100);
	const frac = String(cs % 100).padStart(2, "0");
	const mm = h ? `${h}:${String(m).padStart(2, "0")}` : String(m);
	return `${mm}:${String(s).padStart(2, "0")}.${frac}`;
}

/** Axis label: no hundredths when the step is whole seconds. @param {number} t @param {number} step */
function tickLabel(t, step) {
	const full = formatTime(t);
	return step >= 1 ? full.slice(0, -3) : full;
}

export const AXIS_PX = 16;

/**
 * Draw the visible window [t0, t1] of the timeline on `canvas` (sized to its CSS box × devicePixelRatio).
 * @param {HTMLCanvasElement} canvas
 * @param {{peaks: Float32Array|null, duration: number, t0: number, t1: number, spans?: {start: number, end: number, color: string}[]}} view
 *   `spans`: regions whose part of the waveform is drawn in their own colour (the last one listed wins)
 */
export function drawTimeline(canvas, { peaks, duration, t0, t1, spans = [] }) {
	const dpr = window.devicePixelRatio || 1;
	const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
	const hgt = Math.max(1, Math.round(canvas.clientHeight * dpr));
	if (canvas.width !== w) canvas.width = w;
	if (canvas.height !== hgt) canvas.height = hgt;
	const g = canvas.getContext("2d");
	if (!g) return;
	g.setTransform(1, 0, 0, 1, 0, 0);
	g.clearRect(0, 0, w, hgt);
	const span = t1 - t0;
	if (!(duration > 0) || !(span > 0)) return; // a new task: cleared without a style read (hot path)
	const css = getComputedStyle(canvas);
	const color = (/** @type {string} */ name, /** @type {string} */ fallback) => css.getPropertyValue(name).trim() || fallback;
	g.scale(dpr, dpr);
	const cw = w / dpr;
	const waveH = hgt / dpr - AXIS_PX;
	const mid = waveH / 2;
	g.fillStyle = color("--nbl-wave-line", "#999");
	g.fillRect(0, Math.floor(mid), cw, 1);
	if (peaks && peaks.length) {
		const wave = color("--nbl-wave", "#1976d2");
		const n = peaks.length;
		const amp = mid - 3;
		const visible = spans.filter((s) => s.end >= t0 && s.start <= t1);
		for (let x = 0; x < cw; x++) {
			const tm = t0 + ((x + 0.5) / cw) * span;
			let fill = wave;
			for (const s of visible) if (tm >= s.start && tm <= s.end) fill = s.color;
			g.fillStyle = fill;
			const a = ((t0 + (x / cw) * span) / duration) * n;
			const b = ((t0 + ((x + 1) / cw) * span) / duration) * n;
			let m = 0;
			for (let i = Math.max(0, Math.floor(a)), e = Math.min(n, Math.max(Math.floor(a) + 1, Math.ceil(b))); i < e; i++) if (peaks[i] > m) m = peaks[i];
			const hh = Math.max(0.5, m * amp);
			g.fillRect(x, mid - hh, 1, hh * 2);
		}
	}
	// time axis
	const pxPerSecond = cw / span;
	const step = tickStep(pxPerSecond);
	g.fillStyle = color("--nbl-wave-axis", "#888");
	g.font = `10px ${color("--nbl-font", "sans-serif")}`;
	g.textBaseline = "top";
	g.fillRect(0, waveH, cw, 1);
	for (let k = Math.ceil(t0 / step); k * step <= t1 + 1e-9; k++) {
		const t = k * step;
		const x = Math.round((t - t0) * pxPerSecond);
		g.fillRect(x, waveH, 1, 4);
		if (x + 2 < cw - 20) g.fillText(tickLabel(t, step), x + 3, waveH + 3);
	}
}
