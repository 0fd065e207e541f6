// The Audio object (and AudioPlus, its legacy alias). Rules:
// - playback is a native <audio> element; the picture is a waveform decoded once per task (waveform.js), or a plain
//   timeline when the file plays but cannot be decoded; media that cannot load is a `.nblabel-media-error` in place
//   and every other control keeps working (regions from a prefill are kept and sent back unchanged);
// - geometry is seconds: a region is `{start, end, channel, length}` where `length` is the `original_length` written
//   beside `value` (Label Studio: `{"original_length": 3.77, "value": {"start", "end", "channel": 0, "labels"}}`);
//   keys a prefill did not have are not added, so an untouched region comes back exactly as it came;
// - the timeline (zoom, scroll, segments, mouse) is audio_timeline.js, playback (segment play, sync) audio_player.js;
//   this module owns the state (duration, the pending selection, the `[` mark, the selection) and answers the
//   timeline's gestures: a drag with an armed label becomes a region, a click on a region selects it and plays it;
// - keys (legend): Space play / pause, [ and ] mark a segment's start / end at the playhead, Alt+← / Alt+→ seek 1 s,
//   + / − zoom, Alt+↓ / Alt+↑ select the next / previous segment; with one selected, [ and ] move its start / end to
//   the playhead (Tab then reaches its per-region controls).

import { registerKeys } from "../../legend.js";
import { AudioPlayer } from "./audio_player.js";
import { AudioTimeline, clamp, rangeText } from "./audio_timeline.js";
import { mediaError } from "../media.js";
import { joinSync } from "../mediasync.js";
import { attr, h, resolve } from "../util.js";
import { decodePeaks, formatTime } from "./waveform.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */

registerKeys("Audio", [
	["Space", "Audio: play / pause"],
	["[ / ]", "Audio: mark a segment's start / end at the playhead (then a label key); with a segment selected: move its start / end there"],
	["Alt+← / Alt+→", "Audio: seek 1 s back / forward"],
	["Alt+↓ / Alt+↑", "Audio: select the next / previous segment (then Tab to its per-region fields)"],
	["+ / −", "Audio: zoom in / out (also Ctrl+wheel)"],
	["Drag / click", "Audio: select a segment / seek; click a segment to select and play it"],
]);
registerKeys("AudioPlus", []);

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
	const timeline = new AudioTimeline(name, {
		duration: () => duration,
		time: () => audio.currentTime,
		selectedRegion: () => store.byId(selected),
		resize(region, start, end, done) {
			if (done) {
				region.text = rangeText(region.geom.start, region.geom.end);
				store.changed();
				return;
			}
			region.geom = { ...region.geom, start, end };
			paintRegions();
		},
		dragging(range) {
			pending = range;
			mark = null;
			paintPending();
		},
		dragged: (range) => propose(range),
		click(t, id) {
			if (id !== null) return clickRegion(id);
			pending = null; // a click drops the pending selection (not the [ mark: click, then ]) and the selected region
			paintPending();
			if (store.byId(store.selected)?.to_name === name) store.select(null);
			player.seek(t);
		},
		color: (r) => store.colors.get(r.labels[0]) ?? "#888",
	});
	const bar = h("div", { class: "nblabel-audio-bar" }, play, time, note, h("span", { class: "nblabel-audio-gap" }), ...timeline.zoomBar);
	const audio = h("audio", { class: "nblabel-audio-element", preload: "auto" });
	const errorSlot = h("div", { class: "nblabel-audio-error" });
	const el = h("div", { class: "nblabel-audio", "data-name": name }, bar, timeline.view, errorSlot, audio);
	ctx.watchVisibility(node, el);

	let duration = NaN;
	/** @type {[number, number]|null} */
	let pending = null;
	/** @type {number|null} */
	let mark = null;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	let loadId = 0;
	/** @type {AbortController|null} */
	let aborter = null;

	const ready = () => duration > 0;
	const paintPending = () => timeline.paintPending(pending, mark);
	const paintRegions = () => timeline.paintRegions(shown, selected);

	const emit = joinSync(store, name, attr(node, "sync"), (kind, t, rate) => player.synced(kind, t, rate));
	const player = new AudioPlayer(audio, emit, { duration: () => duration, paintHead, follow: () => timeline.follow(), hint: (m) => ctx.hint(m) });

	function paintHead() {
		const t = audio.currentTime || 0;
		time.textContent = `${formatTime(t)} / ${formatTime(duration)}`;
		timeline.head.style.left = ready() ? timeline.pct(t) : "0";
		play.textContent = audio.paused ? "▶" : "❚❚";
		play.setAttribute("aria-label", audio.paused ? "play" : "pause");
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
		if (r && r.id === id && r.to_name === name) player.playRange(r.geom.start, r.geom.end);
		else player.pause();
	}

	play.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on the root
	play.addEventListener("click", () => player.toggle());
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

	ctx.onKey(el, (e) => {
		if (!ready() || e.ctrlKey || e.metaKey) return false;
		if (e.key === " " && !e.altKey) {
			if (!e.repeat) player.toggle();
			return true;
		}
		if (e.altKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
			player.seek(audio.currentTime + (e.key === "ArrowLeft" ? -1 : 1));
			timeline.follow();
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
		if (z) timeline.setZoom(timeline.zoom * z);
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
		player.seek(next.geom.start);
		timeline.follow();
	}

	/** @param {number} d */
	function setDuration(d) {
		duration = d;
		el.dataset.duration = String(d);
		paintHead();
		paintPending();
		paintRegions();
		timeline.draw();
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
		overlay: (layers) => timeline.paintOverlays(layers),
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
			player.reset();
			duration = NaN;
			pending = null;
			mark = null;
			timeline.reset();
			timeline.paintOverlays([]);
			el.classList.remove("is-failed");
			errorSlot.replaceChildren();
			audio.removeAttribute("src");
			note.textContent = "loading…";
			el.dataset.wave = "loading";
			delete el.dataset.duration;
			paintHead();
			paintPending();
			const value = resolve(valueAttr, task.data);
			ctx.media(value, "audio").then(
				(url) => {
					if (id !== loadId) return;
					audio.src = url;
					decodePeaks(url, signal).then(
						(r) => {
							if (id !== loadId) return;
							timeline.peaks = r.peaks;
							note.textContent = "";
							el.dataset.wave = "peaks";
							if (!ready() && !el.classList.contains("is-failed")) setDuration(r.duration);
							else timeline.draw();
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
