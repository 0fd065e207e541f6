// The Video object, VideoRectangle (tracked boxes) and the TimelineLabels target. Rules:
// - playback is a native <video> (no controls) under a box overlay; frames follow Label Studio (video_player.js:
//   frame f is time f / frameRate; frameRate is the `frameRate` attribute or `$field`, default 24);
// - media that cannot load is a `.nblabel-media-error` in place; the rest of the form keeps working and regions from a
//   prefill are kept and sent back unchanged;
// - boxes are % of the video's natural size (video_overlay.js); drawing a box makes a one-keyframe track on the
//   current frame; moving / resizing it on another frame adds a keyframe there; between keyframes the box is
//   interpolated (video_track.js); `v` ends / restarts its lifespan from the current frame;
// - a tracked box is kept in the store under the `<Labels>` control that labels it (so digits relabel it like any
//   region) and written the way Label Studio writes it (video_format.js); TimelineLabels regions are
//   `{ranges: [{start, end}]}` in frames, made by dragging on the timeline (video_timeline.js) or with `[` / `]`;
// - this module owns the state (regions shown, the selection, the pending region, the `[` mark) and wires the parts.

import { registerKeys } from "../../legend.js";
import { mediaError } from "../media.js";
import { joinSync } from "../mediasync.js";
import { attr, boolAttr, firstToName, h, numAttr, regionId, resolve } from "../util.js";
import { asResult, describe, firstFrame, framesOf, fromValue, toValue } from "./video_format.js";
import { VideoOverlay } from "./video_overlay.js";
import { VideoPlayer } from "./video_player.js";
import { VideoTimeline } from "./video_timeline.js";
import { setShape, toggleKeyframe, toggleLifespan, visibleShape } from "./video_track.js";

/** @typedef {import("../../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../tree.js").BuildContext} BuildContext */
/** @typedef {import("../tree.js").Built} Built */
/** @typedef {import("../regions.js").Region} Region */

registerKeys("Video", [
	["Space", "Video: play / pause"],
	[", / .", "Video: previous / next frame (also Alt+← / Alt+→)"],
	["< / >", "Video: 10 frames back / forward"],
	["Drag on the video", "Video: draw a box on this frame; drag a box or its corners to move / resize it here (a keyframe)"],
	["k", "Video: add / remove a keyframe of the selected box on this frame"],
	["v", "Video: hide the selected box from this frame on (again: show it)"],
	["[ / ]", "Video timeline: mark a range's start / end frame (then a label key); or drag on the timeline"],
]);

/** @param {string} u */
const shortUrl = (u) => (u.startsWith("data:") ? `${u.slice(0, 30)}…` : u.length > 90 ? `${u.slice(0, 87)}…` : u);

/** @param {number} s */
function clock(s) {
	if (!Number.isFinite(s)) return "–:–";
	const m = Math.floor(s / 60);
	return `${m}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
}

/**
 * The Video object.
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildVideo(node, ctx) {
	const name = attr(node, "name") ?? "";
	const valueAttr = attr(node, "value");
	const store = ctx.regions;
	const syncWith = attr(node, "sync");
	const maxHeight = numAttr(node, "height", 600);

	const btn = (/** @type {string} */ cls, /** @type {string} */ title, /** @type {string} */ text) =>
		h("button", { type: "button", class: `nblabel-button ${cls}`, tabindex: "-1", title, "aria-label": title }, text);
	const play = btn("nblabel-video-play", "play / pause (Space)", "▶");
	const back = btn("nblabel-video-prev", "previous frame (,)", "‹");
	const fwd = btn("nblabel-video-next", "next frame (.)", "›");
	const keyBtn = btn("nblabel-video-keyframe", "add / remove a keyframe of the selected box here (k)", "◆");
	const hideBtn = btn("nblabel-video-lifespan", "hide the selected box from this frame on, or show it again (v)", "◐");
	const frameText = h("span", { class: "nblabel-video-frame" }, "");
	const timeText = h("span", { class: "nblabel-video-time nblabel-muted" }, "");
	const bar = h("div", { class: "nblabel-video-bar" }, play, back, fwd, frameText, timeText, h("span", { class: "nblabel-video-gap" }), keyBtn, hideBtn);
	const video = h("video", { class: "nblabel-video-element", preload: "auto", playsinline: true });
	video.muted = boolAttr(node, "muted") || Boolean(syncWith); // a synced Audio plays the sound (Label Studio's trick)
	video.style.maxHeight = `${Math.max(120, maxHeight)}px`;
	const overlay = new VideoOverlay({
		pause: () => {
			if (!video.paused) video.pause();
		},
		region: (id) => (id ? store.byId(id) : null),
		grab: (id) => {
			if (store.selected !== id) ctx.regionClicked(id);
		},
		moved: (region, shape) => edit(region, { ...region.geom, sequence: setShape(region.geom.sequence, shape, player.frame, player.fps) }),
		drawable: () => Boolean(boxTool()),
		drawn: (s) => {
			const { frame, fps, length, duration } = player;
			propose("box", { kind: "box", sequence: [{ frame, enabled: true, rotation: 0, x: s.x, y: s.y, width: s.width, height: s.height, time: frame / fps }], framesCount: length, duration });
		},
		missed: () => {
			if (store.selected && shown.some((x) => x.id === store.selected)) store.select(null);
			paint();
		},
		repaint: () => paint(),
		color: (r) => store.colors.get(r.labels[0]) ?? "#888",
	});
	const stage = h("div", { class: "nblabel-video-stage" }, video, overlay.el);
	const errorSlot = h("div", { class: "nblabel-video-error" });
	const timeline = new VideoTimeline(name, numAttr(node, "timelineHeight", 64), {
		seek: (f) => player.goTo(f, true),
		range: null,
		region: (id) => ctx.regionClicked(id), // selecting a region shows its first frame (see paint)
		keyframe: (id, f) => {
			if (store.selected !== id) ctx.regionClicked(id);
			player.goTo(f, true);
		},
		resize: (id, i, start, end) => {
			const r = store.byId(id);
			if (r?.geom.kind !== "range") return;
			edit(r, { ...r.geom, ranges: r.geom.ranges.map((/** @type {any} */ rg, /** @type {number} */ j) => (j === i ? { ...rg, start, end } : rg)) });
		},
		color: (r) => store.colors.get(r.labels[0]) ?? "#888",
	});
	const el = h("div", { class: "nblabel-video", "data-name": name }, bar, h("div", { class: "nblabel-video-view" }, stage, errorSlot), timeline.el);
	ctx.watchVisibility(node, el);

	let token = 0;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {{kind: "box"|"range", geom: Record<string, any>}|null} */
	let pending = null;
	/** @type {number|null} */
	let mark = null;

	/** Control names whose maker type is `type` and that target this video. @param {string} type */
	const makers = (type) => [...store.targets].filter(([c, t]) => t.includes(name) && store.makers.get(c) === type).map(([c]) => c);
	const boxTool = () => makers("videorectangle")[0] ?? null;
	const boxLabels = () => makers("labels")[0] ?? null;
	const rangeTool = () => makers("timelinelabels")[0] ?? null;
	/** @returns {import("./video_format.js").VideoTools} */
	const tools = () => ({ box: boxTool(), labels: boxLabels(), range: rangeTool() });
	const emit = joinSync(store, name, syncWith, (kind, time, rate) => player.synced(kind, time, rate));
	const player = new VideoPlayer(video, emit, {
		paint,
		playing: paintBar,
		loaded() {
			el.dataset.frames = String(player.length);
			el.classList.add("is-ready");
			paint();
		},
		failed: (src) => failed(`Video could not be loaded (offline, missing or a format this browser cannot play): ${shortUrl(src)}`),
	});
	const ready = () => player.ready();

	function paintBar() {
		const { frame, length, fps, duration } = player;
		frameText.textContent = ready() ? `frame ${frame} / ${length}` : "";
		timeText.textContent = ready() ? `${clock(frame / fps)} / ${clock(duration)} · ${fps} fps` : "";
		play.textContent = video.paused ? "▶" : "❚❚";
		play.disabled = back.disabled = fwd.disabled = !ready();
		const box = shown.find((r) => r.id === selected && r.geom.kind === "box");
		keyBtn.hidden = hideBtn.hidden = !boxTool() && !shown.some((r) => r.geom.kind === "box");
		keyBtn.disabled = !box || !ready();
		hideBtn.disabled = !box || !ready();
		keyBtn.classList.toggle("is-on", Boolean(box?.geom.sequence.some((/** @type {any} */ kf) => kf.frame === frame)));
	}

	function paint() {
		paintBar();
		overlay.paint(shown, selected, player.frame, ready(), Boolean(boxTool()) && ready());
		timeline.paint(ready() ? player.length : framesOf(shown), player.frame, shown, selected); // failed: the regions' frames
		timeline.head.hidden = !ready();
		timeline.el.hidden = !ready() && !shown.some((r) => r.geom.kind !== "raw"); // a failed video keeps its regions' rows
		timeline.showPending(pending?.kind === "range" ? [pending.geom.ranges[0].start, pending.geom.ranges[0].end] : null);
		timeline.showMark(mark);
	}

	/** @param {string} message */
	function failed(message) {
		el.classList.add("is-failed");
		stage.hidden = true;
		errorSlot.replaceChildren(mediaError(message));
		paint();
	}

	/** A new track (one keyframe) or range: labelled by the armed label, else a region without label / pending. */
	/** @param {"box"|"range"} kind @param {Record<string, any>} geom */
	function propose(kind, geom) {
		pending = { kind, geom };
		const before = new Set(store.items.map((r) => r.id));
		if (ctx.selectionMade(name)) pending = null;
		if (pending && kind === "box") {
			pending = null;
			const labels = boxLabels();
			const tool = boxTool();
			if (!tool) return;
			store.add({ id: regionId(), from_name: labels ?? tool, to_name: name, type: labels ? "labels" : "videorectangle", labels: [], geom, text: describe(geom), per: new Map() });
		}
		// a box drawn without a label is selected, so the next digit labels it (a labelled one is not: digits keep arming)
		const made = store.items.find((r) => !before.has(r.id) && r.to_name === name);
		if (made && kind === "box" && !made.labels.length) store.select(made.id);
		else paint();
		if (pending) ctx.hint("Now press a label key (or click a label) to label the range.");
	}

	/** Replace a region's geometry after an edit (a box takes the live framesCount / duration). @param {Region} r @param {Record<string, any>} geom */
	function edit(r, geom) {
		r.geom = ready() && geom.kind === "box" ? { ...geom, framesCount: player.length, duration: player.duration } : geom;
		r.text = describe(r.geom);
		store.changed();
	}

	/** The selected box of this video, if any. */
	const selectedBox = () => shown.find((r) => r.id === selected && r.geom.kind === "box") ?? null;

	function keyframeHere() {
		const r = selectedBox();
		if (!r || !ready()) return false;
		edit(r, { ...r.geom, sequence: toggleKeyframe(r.geom.sequence, player.frame, player.fps) });
		return true;
	}

	function lifespanHere() {
		const r = selectedBox();
		if (!r || !ready()) return false;
		const seq = toggleLifespan(r.geom.sequence, player.frame, player.fps);
		if (seq === r.geom.sequence) ctx.hint("This box starts later: go to a frame where it is shown.");
		else edit(r, { ...r.geom, sequence: seq });
		return true;
	}

	for (const b of [play, back, fwd, keyBtn, hideBtn]) b.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on the root
	play.addEventListener("click", () => player.toggle());
	back.addEventListener("click", () => player.goTo(player.frame - 1, true));
	fwd.addEventListener("click", () => player.goTo(player.frame + 1, true));
	keyBtn.addEventListener("click", keyframeHere);
	hideBtn.addEventListener("click", lifespanHere);

	ctx.onKey(el, (e) => {
		if (e.ctrlKey || e.metaKey) return false;
		const k = e.key;
		const frame = player.frame;
		if (e.altKey) {
			if (k !== "ArrowLeft" && k !== "ArrowRight") return false;
			player.goTo(frame + (k === "ArrowLeft" ? -1 : 1) * (e.shiftKey ? 10 : 1), true);
			return ready();
		}
		if (!ready()) return false;
		if (k === " ") {
			if (!e.repeat) player.toggle();
			return true;
		}
		const step = { ",": -1, ".": 1, "<": -10, ">": 10 }[k];
		if (step) {
			player.goTo(frame + step, true);
			return true;
		}
		if (k === "k" || k === "K") return keyframeHere();
		if (k === "v" || k === "V") return lifespanHere();
		if ((k === "[" || k === "]") && rangeTool()) {
			if (k === "[") {
				mark = frame;
				pending = null;
				paint();
				ctx.hint(`Range start at frame ${frame}: move to the last frame, then press ].`);
			} else {
				const a = mark ?? frame;
				mark = null;
				propose("range", { kind: "range", ranges: [{ start: Math.min(a, frame), end: Math.max(a, frame) }] });
			}
			return true;
		}
		return false;
	});

	store.objects.set(name, {
		name,
		verb: "draw a box on the video or drag on the timeline",
		paint(regions, sel) {
			const was = selected;
			shown = regions;
			selected = sel;
			timeline.hooks.range = rangeTool() ? (a, b) => propose("range", { kind: "range", ranges: [{ start: a, end: b }] }) : null;
			const r = sel && sel !== was ? regions.find((x) => x.id === sel) : null;
			if (r && ready() && !(r.geom.kind === "box" && visibleShape(r.geom.sequence, player.frame))) player.goTo(firstFrame(r));
			else paint();
		},
		toValue: (g) => toValue(g, player.fps),
		fromValue: (value, item) => fromValue(value, item, tools()),
		asResult: (r, item) => asResult(r, item, tools(), player.fps),
		/** @param {string} [control]  the label control asking: a TimelineLabels takes ranges only, the others boxes only */
		takePending(control) {
			const p = pending;
			if (!p) return null;
			const type = control ? store.makers.get(control) : undefined;
			if (type && (type === "timelinelabels") !== (p.kind === "range")) return null; // a box is not a range, and back
			pending = null;
			paint();
			return { object: name, geom: p.geom, text: describe(p.geom) };
		},
	});

	return {
		el,
		update(task) {
			const my = ++token;
			const rate = Number(resolve(attr(node, "frameRate") ?? "24", task.data));
			pending = null;
			mark = null;
			overlay.live = null;
			player.reset(!rate || Number.isNaN(rate) || rate < 0 ? 24 : rate < 1 ? 1 / rate : rate); // drops the previous task's video now
			el.classList.remove("is-failed", "is-ready");
			delete el.dataset.frames;
			stage.hidden = false;
			errorSlot.replaceChildren();
			paint();
			ctx.media(resolve(valueAttr, task.data), "video").then(
				(url) => {
					if (my === token) video.src = url;
				},
				(err) => {
					if (my === token) failed(err instanceof Error ? err.message : String(err));
				},
			);
		},
	};
}

/**
 * `<VideoRectangle>`: the box tool of a Video. It has no widget of its own (drawing happens on the video); it makes
 * the video's boxes regions of this control and answers `required`.
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildVideoRectangle(node, ctx) {
	const name = attr(node, "name") ?? "";
	const toName = firstToName(node);
	const store = ctx.regions;
	store.makers.set(name, "videorectangle");
	store.targets.set(name, [toName]);
	const required = boolAttr(node, "required");
	const el = h("span", { class: "nblabel-video-tool", "data-name": name, hidden: true });
	return {
		el,
		update() {}, // listed with the objects, so the form asks `answer` for `required`
		answer: () => ({ items: [], missing: required && !store.items.some((r) => r.to_name === toName && r.geom.kind === "box") ? name : null }),
	};
}
