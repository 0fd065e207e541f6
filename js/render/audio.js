// The Audio object (and AudioPlus, its legacy alias). Rules:
// - playback is a native <audio> element; the picture is a waveform decoded once per task (waveform.js), or a plain
//   timeline when the file plays but cannot be decoded; media that cannot load is a `.nblabel-media-error` in place
//   and every other control keeps working (regions from a prefill are kept and sent back unchanged);
// - geometry is seconds: a region is `{start, end, channel, length}` where `length` is the `original_length` written
//   beside `value` (Label Studio: `{"original_length": 3.77, "value": {"start", "end", "channel": 0, "labels"}}`);
//   keys a prefill did not have are not added, so an untouched region comes back exactly as it came;
// - the timeline is a track of `zoom × 100%` width in a horizontally scrolling view: regions, the pending selection and
//   the playhead are placed in % of the duration, so zooming never recomputes them; the canvas covers only the view;
// - mouse: drag selects [start, end] (with an armed label it becomes a region), a click seeks, a click on a region
//   selects it and plays it, the edges of the selected region resize it, Ctrl+wheel zooms;
// - keys (legend): Space play / pause, [ and ] mark a segment's start / end at the playhead, Alt+← / Alt+→ seek 1 s,
//   + / − zoom, Alt+↓ / Alt+↑ select the next / previous segment; with one selected, [ and ] move its start / end to
//   the playhead (Tab then reaches its per-region controls).

import { registerKeys } from "../legend.js";
import { mediaError } from "./media.js";
import { joinSync } from "./mediasync.js";
import { attr, h, resolve } from "./util.js";
import { AXIS_PX, decodePeaks, drawTimeline, formatTime } from "./waveform.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */
/** @typedef {import("./regions.js").Region} Region */

registerKeys("Audio", [
	["Space", "Audio: play / pause"],
	["[ / ]", "Audio: mark a segment's start / end at the playhead (then a label key); with a segment selected: move its start / end there"],
	["Alt+← / Alt+→", "Audio: seek 1 s back / forward"],
	["Alt+↓ / Alt+↑", "Audio: select the next / previous segment (then Tab to its per-region fields)"],
	["+ / −", "Audio: zoom in / out (also Ctrl+wheel)"],
	["Drag / click", "Audio: select a segment / seek; click a segment to select and play it"],
]);
registerKeys("AudioPlus", []);

const MAX_ZOOM = 64;

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** @param {number} s @param {number} e */
export const rangeText = (s, e) => `${formatTime(s)} – ${formatTime(e)}`;

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildAudio(node, ctx) {
	const name = attr(node, "name") ?? "";
	const valueAttr = attr(node, "value");
	const store = ctx.regions;

	const play = h("button", { type: "button", class: "nblabel-button nblabel-audio-play", tabindex: "-1", title: "play / pause (Space)", "aria-label": "play" }, "▶");
	const time = h("span", { class: "nblabel-audio-time" }, "");
	const note = h("span", { class: "nblabel-audio-note nblabel-muted" }, "");
	const zoomOut = h("button", { type: "button", class: "nblabel-button nblabel-audio-zoom-out", tabindex: "-1", title: "zoom out (−)" }, "−");
	const zoomIn = h("button", { type: "button", class: "nblabel-button nblabel-audio-zoom-in", tabindex: "-1", title: "zoom in (+)" }, "+");
	const zoomText = h("span", { class: "nblabel-audio-zoom" }, "1×");
	const bar = h("div", { class: "nblabel-audio-bar" }, play, time, note, h("span", { class: "nblabel-audio-gap" }), zoomOut, zoomText, zoomIn);
	const canvas = h("canvas", { class: "nblabel-audio-wave", "aria-hidden": "true" });
	const layer = h("div", { class: "nblabel-audio-regions" });
	const pendingEl = h("div", { class: "nblabel-audio-pending", hidden: true });
	const markEl = h("div", { class: "nblabel-audio-mark", hidden: true });
	const head = h("div", { class: "nblabel-audio-playhead" });
	const track = h("div", { class: "nblabel-audio-track" }, layer, pendingEl, markEl, head);
	const fills = h("div", { class: "nblabel-audio-regions" });
	const under = h("div", { class: "nblabel-audio-under", "aria-hidden": "true" }, fills);
	const view = h("div", { class: "nblabel-audio-view", role: "group", "aria-label": `${name || "audio"} timeline` }, under, canvas, track);
	const audio = h("audio", { class: "nblabel-audio-element", preload: "auto" });
	const errorSlot = h("div", { class: "nblabel-audio-error" });
	const el = h("div", { class: "nblabel-audio", "data-name": name }, bar, view, errorSlot, audio);
	view.style.setProperty("--nbl-axis", `${AXIS_PX}px`);
	ctx.watchVisibility(node, el);

	let duration = NaN;
	/** @type {Float32Array|null} */
	let peaks = null;
	let zoom = 1;
	/** @type {[number, number]|null} */
	let pending = null;
	/** @type {number|null} */
	let mark = null;
	/** @type {number|null} stop playing here (a region being played) */
	let stopAt = null;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	let loadId = 0;
	/** @type {AbortController|null} */
	let aborter = null;
	let raf = 0;

	const ready = () => duration > 0;
	const pct = (/** @type {number} */ t) => `${(clamp(t / duration, 0, 1) * 100).toFixed(4)}%`;
	/** Seconds under a viewport x (the track's box is the truth: zoom and scroll included). @param {number} clientX */
	const timeAt = (clientX) => {
		const r = track.getBoundingClientRect();
		return clamp((clientX - r.left) / r.width, 0, 1) * duration;
	};

	const emit = joinSync(store, name, attr(node, "sync"), (kind, t, rate) => {
		if (kind === "seek" && Math.abs(audio.currentTime - t) > 0.05) audio.currentTime = t;
		if (kind === "play" && audio.paused) {
			if (Math.abs(audio.currentTime - t) > 0.05) audio.currentTime = t;
			startPlaying();
		}
		if (kind === "pause" && !audio.paused) audio.pause();
		if (kind === "rate") audio.playbackRate = rate;
	});

	function draw() {
		if (!ready()) return;
		const w = track.offsetWidth || 1;
		const t0 = (view.scrollLeft / w) * duration;
		const t1 = ((view.scrollLeft + view.clientWidth) / w) * duration;
		const spans = shown.map((r) => ({ start: r.geom.start, end: r.geom.end, color: store.colors.get(r.labels[0]) ?? "#888" }));
		drawTimeline(canvas, { peaks, duration, t0, t1, spans });
	}

	function paintHead() {
		const t = audio.currentTime || 0;
		time.textContent = `${formatTime(t)} / ${formatTime(duration)}`;
		head.style.left = ready() ? pct(t) : "0";
		play.textContent = audio.paused ? "▶" : "❚❚";
		play.setAttribute("aria-label", audio.paused ? "play" : "pause");
	}

	/** Keep the playhead in view while playing (zoomed in). */
	function follow() {
		if (!ready() || zoom === 1) return;
		const x = (audio.currentTime / duration) * track.offsetWidth;
		if (x < view.scrollLeft || x > view.scrollLeft + view.clientWidth - 8) view.scrollLeft = Math.max(0, x - view.clientWidth * 0.1);
	}

	function tick() {
		raf = 0;
		if (stopAt !== null && audio.currentTime >= stopAt) {
			audio.pause();
			stopAt = null;
		}
		paintHead();
		follow();
		if (!audio.paused) raf = requestAnimationFrame(tick);
	}

	function startPlaying() {
		audio.play().then(
			() => {
				if (!raf) raf = requestAnimationFrame(tick);
			},
			(e) => ctx.hint(`Audio cannot play: ${e instanceof Error ? e.message : e}`),
		);
	}

	function toggle() {
		if (!ready()) return;
		if (audio.paused) {
			stopAt = null;
			if (audio.currentTime >= duration) audio.currentTime = 0;
			startPlaying();
			emit("play", audio.currentTime);
		} else {
			audio.pause();
			paintHead();
			emit("pause", audio.currentTime);
		}
	}

	/** @param {number} t */
	function seek(t) {
		if (!ready()) return;
		stopAt = null;
		audio.currentTime = clamp(t, 0, duration);
		paintHead();
		emit("seek", audio.currentTime);
	}

	/** Zoom to `z`, keeping the time under viewport x `anchor` (default: the playhead, else the centre) in place. @param {number} z @param {number} [anchor] */
	function setZoom(z, anchor) {
		z = clamp(z, 1, MAX_ZOOM);
		if (z === zoom || !ready()) return;
		const vr = view.getBoundingClientRect();
		const headX = vr.left + (audio.currentTime / duration) * track.offsetWidth - view.scrollLeft;
		const x = anchor ?? (headX >= vr.left && headX <= vr.right ? headX : vr.left + vr.width / 2);
		const t = timeAt(x);
		zoom = z;
		track.style.width = under.style.width = `${zoom * 100}%`;
		zoomText.textContent = `${zoom}×`;
		view.scrollLeft = (t / duration) * track.offsetWidth - (x - vr.left);
		draw();
	}

	function paintPending() {
		pendingEl.hidden = !pending || !ready();
		if (pending && ready()) {
			pendingEl.style.left = pct(pending[0]);
			pendingEl.style.width = `calc(${pct(pending[1])} - ${pct(pending[0])})`;
		}
		markEl.hidden = mark === null || !ready();
		if (mark !== null && ready()) markEl.style.left = pct(mark);
	}

	function paintRegions() {
		if (!ready()) {
			layer.replaceChildren();
			fills.replaceChildren();
			return;
		}
		// fills go under the waveform, which draws its part of a region in the region's colour; the boxes (borders,
		// labels, edges, hit areas) go over it
		draw();
		fills.replaceChildren(
			...shown.map((r) => {
				const fill = h("div", { class: `nblabel-audio-fill${r.id === selected ? " is-selected" : ""}` });
				fill.style.left = pct(r.geom.start);
				fill.style.width = `calc(${pct(r.geom.end)} - ${pct(r.geom.start)})`;
				fill.style.setProperty("--nbl-region", store.colors.get(r.labels[0]) ?? "#888");
				return fill;
			}),
		);
		layer.replaceChildren(
			...shown.map((r) => {
				const box = h("div", { class: "nblabel-audio-region", "data-region": r.id, title: `${r.labels.join(", ")} ${rangeText(r.geom.start, r.geom.end)}` },
					h("span", { class: "nblabel-audio-region-label" }, r.labels.join(", ")));
				box.style.left = pct(r.geom.start);
				box.style.width = `calc(${pct(r.geom.end)} - ${pct(r.geom.start)})`;
				box.style.setProperty("--nbl-region", store.colors.get(r.labels[0]) ?? "#888");
				if (r.id === selected) {
					box.classList.add("is-selected");
					box.append(h("div", { class: "nblabel-audio-edge is-start", "data-edge": "start" }), h("div", { class: "nblabel-audio-edge is-end", "data-edge": "end" }));
				}
				return box;
			}),
		);
	}

	/** A finished selection: an armed label turns it into a region, else it waits for a label key. @param {[number, number]} range */
	function propose(range) {
		pending = range[1] > range[0] ? range : null;
		mark = null;
		if (pending && ctx.selectionMade(name)) pending = null;
		paintPending();
		if (pending) ctx.hint(`Selected ${rangeText(pending[0], pending[1])}: now press a label key (or click a label).`);
	}

	/** @param {string} id */
	function clickRegion(id) {
		ctx.regionClicked(id);
		const r = store.byId(store.selected);
		if (r && r.id === id && r.to_name === name) {
			audio.currentTime = clamp(r.geom.start, 0, duration);
			stopAt = r.geom.end;
			startPlaying();
			emit("play", audio.currentTime);
		} else if (!audio.paused) {
			audio.pause();
			emit("pause", audio.currentTime);
		}
	}

	view.addEventListener("mousedown", (e) => {
		if (e.button !== 0 || !ready() || !(e.target instanceof Element)) return;
		e.preventDefault(); // no text selection, no native drag; focus goes to the widget root instead
		/** @type {HTMLElement|null} */ (el.closest(".nblabel"))?.focus({ preventScroll: true });
		const edge = e.target.closest("[data-edge]")?.getAttribute("data-edge") ?? null;
		const regionEl = e.target.closest("[data-region]");
		const region = edge ? store.byId(selected) : null;
		const x0 = e.clientX;
		const t0 = timeAt(x0);
		let moved = false;
		/** @param {MouseEvent} ev */
		const move = (ev) => {
			if (!moved && Math.abs(ev.clientX - x0) < 3) return;
			moved = true;
			const t = timeAt(ev.clientX);
			if (region) {
				const other = edge === "start" ? region.geom.end : region.geom.start;
				region.geom = { ...region.geom, start: Math.min(t, other), end: Math.max(t, other) };
				paintRegions();
			} else {
				pending = [Math.min(t0, t), Math.max(t0, t)];
				mark = null;
				paintPending();
			}
		};
		/** @param {MouseEvent} ev */
		const up = (ev) => {
			window.removeEventListener("mousemove", move);
			window.removeEventListener("mouseup", up);
			if (region) {
				if (moved) {
					region.text = rangeText(region.geom.start, region.geom.end);
					store.changed();
				}
			} else if (!moved) {
				if (regionEl) clickRegion(regionEl.getAttribute("data-region") ?? "");
				else {
					pending = null; // a click drops the pending selection (not the [ mark: click, then ]) and the selected region
					paintPending();
					if (store.byId(store.selected)?.to_name === name) store.select(null);
					seek(t0);
				}
			} else {
				const t = timeAt(ev.clientX);
				propose([Math.min(t0, t), Math.max(t0, t)]);
			}
		};
		window.addEventListener("mousemove", move);
		window.addEventListener("mouseup", up);
	});
	view.addEventListener("wheel", (e) => {
		if (!(e.ctrlKey || e.metaKey) || !ready()) return;
		e.preventDefault();
		setZoom(e.deltaY < 0 ? zoom * 2 : zoom / 2, e.clientX);
	}, { passive: false });
	view.addEventListener("scroll", draw);
	new ResizeObserver(draw).observe(view);
	for (const b of [play, zoomIn, zoomOut]) b.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on the root
	play.addEventListener("click", toggle);
	zoomIn.addEventListener("click", () => setZoom(zoom * 2));
	zoomOut.addEventListener("click", () => setZoom(zoom / 2));
	audio.addEventListener("loadedmetadata", () => {
		if (Number.isFinite(audio.duration) && audio.duration > 0) setDuration(audio.duration);
	});
	audio.addEventListener("durationchange", () => {
		// a WebM without a duration (what MediaRecorder may write) reports Infinity first, the real one once buffered
		if (!ready() && Number.isFinite(audio.duration) && audio.duration > 0) setDuration(audio.duration);
	});
	audio.addEventListener("error", () => {
		if (!audio.getAttribute("src")) return;
		failed(`Audio could not be loaded (offline, missing or not audio): ${shortUrl(audio.getAttribute("src") ?? "")}`);
	});
	for (const ev of ["play", "pause", "seeked", "timeupdate"]) audio.addEventListener(ev, () => {
		paintHead();
		if (ev === "play" && !raf) raf = requestAnimationFrame(tick);
	});

	ctx.onKey(el, (e) => {
		if (!ready() || e.ctrlKey || e.metaKey) return false;
		if (e.key === " " && !e.altKey) {
			if (!e.repeat) toggle();
			return true;
		}
		if (e.altKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
			seek(audio.currentTime + (e.key === "ArrowLeft" ? -1 : 1));
			follow();
			return true;
		}
		if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
			stepRegion(e.key === "ArrowDown" ? 1 : -1);
			return true;
		}
		if (e.altKey) return false;
		const region = store.byId(store.selected);
		if ((e.key === "[" || e.key === "]") && region?.to_name === name) {
			// a selected region: its start / end moves to the playhead
			const t = audio.currentTime;
			const other = e.key === "[" ? region.geom.end : region.geom.start;
			if (t === other) return true;
			region.geom = { ...region.geom, start: Math.min(t, other), end: Math.max(t, other) };
			region.text = rangeText(region.geom.start, region.geom.end);
			store.changed();
			return true;
		}
		if (e.key === "[") {
			mark = audio.currentTime;
			pending = null;
			paintPending();
			ctx.hint(`Segment start at ${formatTime(mark)}: move the playhead, then press ].`);
			return true;
		}
		if (e.key === "]") {
			const t = audio.currentTime;
			const from = mark ?? 0;
			propose([Math.min(from, t), Math.max(from, t)]);
			return true;
		}
		const z = e.key === "+" || e.key === "=" ? 2 : e.key === "-" || e.key === "_" ? 0.5 : 0;
		if (z) setZoom(zoom * z);
		return z !== 0;
	});

	/** Select the next / previous segment in time order (from the playhead when none is selected) and seek to it. @param {1|-1} dir */
	function stepRegion(dir) {
		const list = [...shown].sort((a, b) => a.geom.start - b.geom.start || a.geom.end - b.geom.end);
		if (!list.length) return;
		const at = list.findIndex((r) => r.id === selected);
		const t = audio.currentTime;
		const next = at >= 0
			? list[clamp(at + dir, 0, list.length - 1)]
			: dir > 0 ? (list.find((r) => r.geom.start >= t - 1e-6) ?? list[list.length - 1]) : ([...list].reverse().find((r) => r.geom.start < t - 1e-6) ?? list[0]);
		if (next.id !== selected) ctx.regionClicked(next.id);
		seek(next.geom.start);
		follow();
	}

	/** @param {number} d */
	function setDuration(d) {
		duration = d;
		el.dataset.duration = String(d);
		paintHead();
		paintPending();
		paintRegions();
		draw();
	}

	/** @param {string} message */
	function failed(message) {
		el.classList.add("is-failed");
		errorSlot.replaceChildren(mediaError(message));
		duration = NaN;
		el.dataset.wave = "failed";
		delete el.dataset.duration;
		paintRegions();
	}

	store.objects.set(name, {
		name,
		verb: "drag on the waveform (or [ and ] at the playhead)",
		paint(regions, sel) {
			shown = regions;
			selected = sel;
			paintRegions();
		},
		toValue(g) {
			return { start: g.start, end: g.end, ...(g.channel === undefined ? {} : { channel: g.channel }) };
		},
		topLevel(g) {
			return g.length === undefined ? {} : { original_length: g.length };
		},
		fromValue(v, item) {
			const { start, end, channel } = v;
			if (typeof start !== "number" || typeof end !== "number" || !Number.isFinite(start) || !Number.isFinite(end) || end < start) return null;
			const length = item?.original_length;
			/** @type {Record<string, any>} */
			const geom = { start, end };
			if (channel !== undefined) geom.channel = channel;
			if (typeof length === "number") geom.length = length;
			return { geom, text: rangeText(start, end) };
		},
		takePending() {
			const p = pending;
			pending = null;
			paintPending();
			return p && ready() ? { object: name, geom: { start: p[0], end: p[1], channel: 0, length: duration }, text: rangeText(p[0], p[1]) } : null;
		},
	});

	return {
		el,
		update(task) {
			const id = ++loadId;
			aborter?.abort();
			aborter = new AbortController();
			const signal = aborter.signal;
			if (!audio.paused) audio.pause();
			if (raf) cancelAnimationFrame(raf);
			raf = 0;
			duration = NaN;
			peaks = null;
			pending = null;
			mark = null;
			stopAt = null;
			zoom = 1;
			track.style.width = under.style.width = "100%";
			zoomText.textContent = "1×";
			view.scrollLeft = 0;
			el.classList.remove("is-failed");
			errorSlot.replaceChildren();
			audio.removeAttribute("src");
			note.textContent = "loading…";
			el.dataset.wave = "loading";
			delete el.dataset.duration;
			paintHead();
			paintPending();
			canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height); // no layout read on the per-task path
			const value = resolve(valueAttr, task.data);
			ctx.media(value, "audio").then(
				(url) => {
					if (id !== loadId) return;
					audio.src = url;
					decodePeaks(url, signal).then(
						(r) => {
							if (id !== loadId) return;
							peaks = r.peaks;
							note.textContent = "";
							el.dataset.wave = "peaks";
							if (!ready() && !el.classList.contains("is-failed")) setDuration(r.duration);
							else draw();
						},
						() => {
							if (id !== loadId) return;
							note.textContent = "timeline only (the waveform could not be decoded)";
							el.dataset.wave = "timeline";
						},
					);
				},
				(err) => {
					if (id === loadId) failed(err instanceof Error ? err.message : String(err));
				},
			);
		},
	};
}

/** A URL short enough for a message (data URLs are long). @param {string} url */
function shortUrl(url) {
	if (url.startsWith("data:")) return `${url.slice(0, url.indexOf(",") + 1 || 30)}…`;
	if (url.startsWith("blob:")) return "local file";
	return url.length > 120 ? `${url.slice(0, 117)}…` : url;
}
