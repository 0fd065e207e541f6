// The Video object, VideoRectangle (tracked boxes) and the TimelineLabels target. Rules:
// - playback is a native <video> (no controls) under a box overlay; frames follow Label Studio: frame f (1-based) is
//   time f / frameRate, the frame shown at time t is round(t · frameRate) clamped to 1..framesCount, and
//   framesCount = ceil(duration · frameRate) (frameRate: the `frameRate` attribute or `$field`, default 24);
// - a file without duration metadata (a MediaRecorder WebM reports Infinity) is sought to its end once to learn it;
// - media that cannot load is a `.nblabel-media-error` in place; the rest of the form keeps working and regions from a
//   prefill are kept and sent back unchanged;
// - boxes are % of the video's natural size (the overlay has exactly the video's displayed size); drawing a box makes
//   a one-keyframe track on the current frame; moving / resizing it on another frame adds a keyframe there; between
//   keyframes the box is interpolated (video_track.js); `v` ends / restarts its lifespan from the current frame;
// - a tracked box is kept in the store under the `<Labels>` control that labels it (so digits relabel it like any
//   region) and written the way Label Studio writes it: one `videorectangle` item from the `<VideoRectangle>` with the
//   labels merged in as `value.labels` (absent when it has none); TimelineLabels regions are `{ranges: [{start, end}]}`
//   in frames, made by dragging on the timeline or with `[` / `]` at the playhead.

import { registerKeys } from "../legend.js";
import { mediaError } from "./media.js";
import { joinSync } from "./mediasync.js";
import { attr, boolAttr, firstToName, h, numAttr, regionId, resolve } from "./util.js";
import { VideoTimeline } from "./video_timeline.js";
import { parseSequence, setShape, toggleKeyframe, toggleLifespan, visibleShape } from "./video_track.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../types.js").ResultItem} ResultItem */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */
/** @typedef {import("./regions.js").Region} Region */
/** @typedef {import("./video_track.js").Shape} Shape */

registerKeys("Video", [
	["Space", "Video: play / pause"],
	[", / .", "Video: previous / next frame (also Alt+← / Alt+→)"],
	["< / >", "Video: 10 frames back / forward"],
	["Drag on the video", "Video: draw a box on this frame; drag a box or its corners to move / resize it here (a keyframe)"],
	["k", "Video: add / remove a keyframe of the selected box on this frame"],
	["v", "Video: hide the selected box from this frame on (again: show it)"],
	["[ / ]", "Video timeline: mark a range's start / end frame (then a label key); or drag on the timeline"],
]);

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** @param {string} u */
const shortUrl = (u) => (u.startsWith("data:") ? `${u.slice(0, 30)}…` : u.length > 90 ? `${u.slice(0, 87)}…` : u);

/** @param {number} s */
function clock(s) {
	if (!Number.isFinite(s)) return "–:–";
	const m = Math.floor(s / 60);
	return `${m}:${(s - m * 60).toFixed(2).padStart(5, "0")}`;
}

/** @param {Record<string, any>} g */
function describe(g) {
	if (g.kind === "range") return g.ranges.map((/** @type {any} */ r) => (r.start === r.end ? `frame ${r.start}` : `frames ${r.start}–${r.end}`)).join(", ");
	const frames = g.sequence.map((/** @type {any} */ kf) => kf.frame);
	const n = frames.length;
	return `box, frame ${Math.min(...frames)}${n > 1 ? `–${Math.max(...frames)}` : ""}, ${n} keyframe${n === 1 ? "" : "s"}`;
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
	const overlay = h("div", { class: "nblabel-video-overlay" });
	const stage = h("div", { class: "nblabel-video-stage" }, video, overlay);
	const errorSlot = h("div", { class: "nblabel-video-error" });
	const timeline = new VideoTimeline(name, numAttr(node, "timelineHeight", 64), {
		seek: (f) => goTo(f, true),
		range: null,
		region: (id) => ctx.regionClicked(id), // selecting a region shows its first frame (see paint)
		keyframe: (id, f) => {
			if (store.selected !== id) ctx.regionClicked(id);
			goTo(f, true);
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

	let fps = 24;
	let duration = NaN;
	let length = 0;
	let frame = 1;
	let token = 0;
	let probing = false;
	/** @type {Region[]} */
	let shown = [];
	/** @type {string|null} */
	let selected = null;
	/** @type {{kind: "box"|"range", geom: Record<string, any>}|null} */
	let pending = null;
	/** @type {number|null} */
	let mark = null;
	let raf = 0;
	/** while dragging a box: its live shape */
	/** @type {{id: string|null, shape: Shape}|null} */
	let live = null;

	const ready = () => length > 0;
	/** Control names whose maker type is `type` and that target this video. @param {string} type */
	const makers = (type) => [...store.targets].filter(([c, t]) => t.includes(name) && store.makers.get(c) === type).map(([c]) => c);
	const boxTool = () => makers("videorectangle")[0] ?? null;
	const boxLabels = () => makers("labels")[0] ?? null;
	const rangeTool = () => makers("timelinelabels")[0] ?? null;
	/** @param {Region} r */
	const firstFrame = (r) =>
		r.geom.kind === "box" ? Math.min(...r.geom.sequence.map((/** @type {any} */ kf) => kf.frame)) : r.geom.kind === "range" ? Number(r.geom.ranges[0]?.start) || 1 : 1;
	const emit = joinSync(store, name, syncWith, (kind, time, rate) => {
		if (kind === "rate") video.playbackRate = rate;
		else if (kind === "play") {
			video.currentTime = time;
			video.play().catch(() => {});
		} else {
			if (kind === "pause") video.pause();
			video.currentTime = time;
			frame = frameOf(time);
			paint();
		}
	});

	/** @param {number} t */
	const frameOf = (t) => clamp(Math.round(t * fps), 1, Math.max(1, length));

	/** Go to frame f (clamped); `user`: tell a synced object. @param {number} f @param {boolean} [user] */
	function goTo(f, user = false) {
		if (!ready()) return;
		if (!video.paused) video.pause();
		frame = clamp(Math.round(f), 1, length);
		video.currentTime = Math.min(frame / fps, duration);
		if (user) emit("seek", video.currentTime);
		paint();
	}

	function toggle() {
		if (!ready()) return;
		if (video.paused) {
			if (frame >= length) video.currentTime = 0;
			video.play().catch(() => {});
			emit("play", video.currentTime);
		} else {
			video.pause();
			emit("pause", video.currentTime);
		}
	}

	function tick() {
		raf = 0;
		const f = frameOf(video.currentTime);
		if (f !== frame) {
			frame = f;
			paint();
		}
		if (!video.paused && !video.ended) raf = requestAnimationFrame(tick);
	}

	function paintBar() {
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

	function paintBoxes() {
		const boxes = [];
		for (const r of shown) {
			if (r.geom.kind !== "box") continue;
			const shape = live && live.id === r.id ? live.shape : ready() ? visibleShape(r.geom.sequence, frame) : null;
			if (!shape) continue;
			const isKey = r.geom.sequence.some((/** @type {any} */ kf) => kf.frame === frame);
			const box = h("div", { class: `nblabel-video-box${r.id === selected ? " is-selected" : ""}${isKey ? " is-keyframe" : ""}`, "data-region": r.id, title: r.labels.join(", ") || "box" });
			place(box, shape);
			box.style.setProperty("--nbl-region", store.colors.get(r.labels[0]) ?? "#888");
			if (r.labels.length) box.append(h("span", { class: "nblabel-video-box-label" }, r.labels.join(", ")));
			if (r.id === selected) for (const c of ["nw", "ne", "sw", "se"]) box.append(h("span", { class: "nblabel-video-handle", "data-handle": c }));
			boxes.push(box);
		}
		if (live && live.id === null) {
			const draft = h("div", { class: "nblabel-video-box is-draft" });
			place(draft, live.shape);
			boxes.push(draft);
		}
		overlay.replaceChildren(...boxes);
		overlay.classList.toggle("can-draw", Boolean(boxTool()) && ready());
	}

	/** @param {HTMLElement} e @param {Shape} s */
	function place(e, s) {
		e.style.left = `${s.x}%`;
		e.style.top = `${s.y}%`;
		e.style.width = `${s.width}%`;
		e.style.height = `${s.height}%`;
		e.style.transform = s.rotation ? `rotate(${s.rotation}deg)` : "";
	}

	function paint() {
		paintBar();
		paintBoxes();
		timeline.paint(timelineLength(), frame, shown, selected);
		timeline.head.hidden = !ready();
		timeline.el.hidden = !ready() && !shown.some((r) => r.geom.kind !== "raw"); // a failed video keeps its regions' rows
		timeline.showPending(pending?.kind === "range" ? [pending.geom.ranges[0].start, pending.geom.ranges[0].end] : null);
		timeline.showMark(mark);
	}

	/** Frames the timeline spans: the video's, else what the regions say (a video that failed to load). */
	function timelineLength() {
		if (ready()) return length;
		let n = 1;
		for (const r of shown) {
			if (r.geom.kind === "box") n = Math.max(n, Number(r.geom.framesCount) || 0, ...r.geom.sequence.map((/** @type {any} */ kf) => kf.frame));
			else if (r.geom.kind === "range") for (const rg of r.geom.ranges) n = Math.max(n, Number(rg.end) || 0, Number(rg.start) || 0);
		}
		return n;
	}

	/** @param {number} d */
	function setDuration(d) {
		duration = d;
		length = Math.max(1, Math.ceil(d * fps));
		frame = clamp(frame, 1, length);
		el.dataset.frames = String(length);
		el.classList.add("is-ready");
		paint();
	}

	/** @param {string} message */
	function failed(message) {
		el.classList.add("is-failed");
		stage.hidden = true;
		errorSlot.replaceChildren(mediaError(message));
		paint();
	}

	/** Point in % of the video from a mouse event. @param {MouseEvent} e */
	function pct(e) {
		const r = overlay.getBoundingClientRect();
		return { x: clamp(((e.clientX - r.left) / r.width) * 100, 0, 100), y: clamp(((e.clientY - r.top) / r.height) * 100, 0, 100) };
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
		r.geom = ready() && geom.kind === "box" ? { ...geom, framesCount: length, duration } : geom;
		r.text = describe(r.geom);
		store.changed();
	}

	overlay.addEventListener("mousedown", (e) => {
		if (e.button !== 0 || !ready()) return;
		e.preventDefault();
		if (!video.paused) video.pause();
		const t = e.target instanceof Element ? e.target : null;
		const handle = t?.closest("[data-handle]")?.getAttribute("data-handle") ?? null;
		const id = t?.closest("[data-region]")?.getAttribute("data-region") ?? null;
		const region = id ? store.byId(id) : null;
		const p0 = pct(e);
		let moved = false;
		if (region && region.geom.kind === "box") {
			if (store.selected !== id) ctx.regionClicked(/** @type {string} */ (id));
			const s0 = visibleShape(region.geom.sequence, frame);
			if (!s0) return;
			const move = (/** @type {MouseEvent} */ m) => {
				const p = pct(m);
				const dx = p.x - p0.x;
				const dy = p.y - p0.y;
				if (!moved && Math.abs(dx) + Math.abs(dy) < 0.3) return;
				moved = true;
				live = { id, shape: handle ? resized(s0, handle, dx, dy) : { ...s0, x: clamp(s0.x + dx, 0, 100 - s0.width), y: clamp(s0.y + dy, 0, 100 - s0.height) } };
				paintBoxes();
			};
			const up = () => {
				window.removeEventListener("mousemove", move);
				window.removeEventListener("mouseup", up);
				const shape = live?.shape;
				live = null;
				if (moved && shape) edit(region, { ...region.geom, sequence: setShape(region.geom.sequence, shape, frame, fps) });
				else paint();
			};
			window.addEventListener("mousemove", move);
			window.addEventListener("mouseup", up);
			return;
		}
		if (!boxTool()) return;
		const move = (/** @type {MouseEvent} */ m) => {
			const p = pct(m);
			moved = true;
			live = { id: null, shape: { x: Math.min(p0.x, p.x), y: Math.min(p0.y, p.y), width: Math.abs(p.x - p0.x), height: Math.abs(p.y - p0.y), rotation: 0 } };
			paintBoxes();
		};
		const up = () => {
			window.removeEventListener("mousemove", move);
			window.removeEventListener("mouseup", up);
			const s = live?.shape;
			live = null;
			const r = overlay.getBoundingClientRect();
			if (moved && s && (s.width / 100) * r.width >= 3 && (s.height / 100) * r.height >= 3) {
				propose("box", { kind: "box", sequence: [{ frame, enabled: true, rotation: 0, x: s.x, y: s.y, width: s.width, height: s.height, time: frame / fps }], framesCount: length, duration });
			} else {
				if (store.selected && shown.some((x) => x.id === store.selected)) store.select(null);
				paint();
			}
		};
		window.addEventListener("mousemove", move);
		window.addEventListener("mouseup", up);
	});

	/** @param {Shape} s @param {string} handle @param {number} dx @param {number} dy @returns {Shape} */
	function resized(s, handle, dx, dy) {
		let x0 = s.x;
		let y0 = s.y;
		let x1 = s.x + s.width;
		let y1 = s.y + s.height;
		if (handle.includes("w")) x0 = clamp(x0 + dx, 0, 100);
		if (handle.includes("e")) x1 = clamp(x1 + dx, 0, 100);
		if (handle.includes("n")) y0 = clamp(y0 + dy, 0, 100);
		if (handle.includes("s")) y1 = clamp(y1 + dy, 0, 100);
		return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), rotation: s.rotation };
	}

	/** The selected box of this video, if any. */
	const selectedBox = () => shown.find((r) => r.id === selected && r.geom.kind === "box") ?? null;

	function keyframeHere() {
		const r = selectedBox();
		if (!r || !ready()) return false;
		edit(r, { ...r.geom, sequence: toggleKeyframe(r.geom.sequence, frame, fps) });
		return true;
	}

	function lifespanHere() {
		const r = selectedBox();
		if (!r || !ready()) return false;
		const seq = toggleLifespan(r.geom.sequence, frame, fps);
		if (seq === r.geom.sequence) ctx.hint("This box starts later: go to a frame where it is shown.");
		else edit(r, { ...r.geom, sequence: seq });
		return true;
	}

	for (const b of [play, back, fwd, keyBtn, hideBtn]) b.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus on the root
	play.addEventListener("click", toggle);
	back.addEventListener("click", () => goTo(frame - 1, true));
	fwd.addEventListener("click", () => goTo(frame + 1, true));
	keyBtn.addEventListener("click", keyframeHere);
	hideBtn.addEventListener("click", lifespanHere);

	video.addEventListener("loadedmetadata", () => {
		if (Number.isFinite(video.duration) && video.duration > 0) setDuration(video.duration);
		else if (video.duration === Infinity) {
			probing = true; // no duration in the file (MediaRecorder WebM): seek far to make the browser find it
			video.currentTime = 1e101;
		}
	});
	video.addEventListener("durationchange", () => {
		if (!probing || !Number.isFinite(video.duration) || video.duration <= 0) return;
		probing = false;
		video.currentTime = 0;
		setDuration(video.duration);
	});
	video.addEventListener("error", () => {
		const src = video.getAttribute("src");
		if (src) failed(`Video could not be loaded (offline, missing or a format this browser cannot play): ${shortUrl(src)}`);
	});
	video.addEventListener("play", () => {
		paintBar();
		if (!raf) raf = requestAnimationFrame(tick);
	});
	video.addEventListener("pause", () => {
		if (ready() && !probing) frame = frameOf(video.currentTime);
		paint();
	});

	ctx.onKey(el, (e) => {
		if (e.ctrlKey || e.metaKey) return false;
		const k = e.key;
		if (e.altKey) {
			if (k !== "ArrowLeft" && k !== "ArrowRight") return false;
			goTo(frame + (k === "ArrowLeft" ? -1 : 1) * (e.shiftKey ? 10 : 1), true);
			return ready();
		}
		if (!ready()) return false;
		if (k === " ") {
			if (!e.repeat) toggle();
			return true;
		}
		const step = { ",": -1, ".": 1, "<": -10, ">": 10 }[k];
		if (step) {
			goTo(frame + step, true);
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
			if (r && ready() && !(r.geom.kind === "box" && visibleShape(r.geom.sequence, frame))) goTo(firstFrame(r));
			else paint();
		},
		toValue(g) {
			const { kind, extra, ...rest } = g;
			if (kind === "raw") return { ...rest.value };
			if (kind === "range") return { ...extra, ranges: rest.ranges };
			/** @type {Record<string, any>} */
			const v = { ...extra };
			if (rest.framesCount !== undefined) v.framesCount = rest.framesCount;
			if (rest.duration !== undefined) v.duration = rest.duration;
			v.sequence = rest.sequence.map((/** @type {any} */ kf) => ({ ...kf, time: kf.time ?? kf.frame / fps }));
			return v;
		},
		fromValue(value, item) {
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
			const lab = boxLabels();
			const as = { labels: Array.isArray(labels) ? labels.map(String) : [] };
			return { geom, text: describe(geom), as: lab && item?.type === "videorectangle" ? { ...as, from_name: lab, type: "labels" } : as };
		},
		asResult(r, item) {
			if (r.geom.kind === "raw") return item;
			if (r.geom.kind === "box") {
				const tool = boxTool();
				/** @type {Record<string, any>} */
				const value = this.toValue(r.geom);
				if (r.labels.length) value.labels = r.labels;
				return { ...item, from_name: tool ?? r.from_name, type: "videorectangle", value };
			}
			const tool = rangeTool();
			if (!tool || r.type === "timelinelabels") return item;
			return { ...item, from_name: tool, type: "timelinelabels", value: { ...this.toValue(r.geom), timelinelabels: r.labels } };
		},
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
			fps = !rate || Number.isNaN(rate) || rate < 0 ? 24 : rate < 1 ? 1 / rate : rate;
			duration = NaN;
			length = 0;
			frame = 1;
			probing = false;
			pending = null;
			mark = null;
			live = null;
			video.pause();
			el.classList.remove("is-failed", "is-ready");
			delete el.dataset.frames;
			stage.hidden = false;
			errorSlot.replaceChildren();
			video.removeAttribute("src");
			video.load(); // drop the previous task's video now (no src: no error event)
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
