// Keyframes of a VideoRectangle track, with Label Studio's semantics (editor regions/VideoRegion.js and
// VideoRectangleRegion.js), so a track drawn here reads the same in the Label Studio editor and back. Rules:
// - a track is a `sequence` of keyframes `{frame, enabled, rotation, x, y, width, height, time}` sorted by frame;
//   frames are 1-based, `time = frame / frameRate` seconds, x/y/width/height are % of the video's natural size;
// - between two keyframes the box is linearly interpolated (x, y, width, height, rotation); before the first keyframe
//   there is no box; after the last one the box stays where the last one put it;
// - `enabled: false` on a keyframe ends the box's lifespan after that frame (it is still drawn on that keyframe) until
//   the next enabled keyframe;
// - these functions never mutate their input: they return a new sequence (keyframes are plain frozen-ish objects,
//   a loaded keyframe keeps any key it came with so an untouched track goes back exactly as it came).

/** @typedef {{frame: number, enabled: boolean, rotation: number, x: number, y: number, width: number, height: number, time?: number, [k: string]: any}} Keyframe */
/** @typedef {{x: number, y: number, width: number, height: number, rotation: number}} Shape */

export const SHAPE_PROPS = /** @type {const} */ (["x", "y", "width", "height", "rotation"]);

/** The keyframes in frame order (a prefill may list them in any order; it is kept as it came until edited). @param {Keyframe[]} seq */
function ordered(seq) {
	return seq.every((kf, i) => i === 0 || seq[i - 1].frame <= kf.frame) ? seq : [...seq].sort((a, b) => a.frame - b.frame);
}

/** @param {Keyframe} kf @returns {Shape} */
function only(kf) {
	return { x: kf.x, y: kf.y, width: kf.width, height: kf.height, rotation: kf.rotation ?? 0 };
}

/**
 * The box on `frame`: the keyframe's own shape, the linear interpolation between its neighbours, the last keyframe's
 * shape after the end, or null before the first keyframe (Label Studio `getShape`).
 * @param {Keyframe[]} seq @param {number} frame @returns {Shape|null}
 */
export function shapeAt(seq, frame) {
	/** @type {Keyframe|undefined} */
	let prev;
	for (const kf of ordered(seq)) {
		if (kf.frame === frame) return only(kf);
		if (kf.frame > frame) {
			if (!prev) return null;
			const r = (frame - prev.frame) / (kf.frame - prev.frame);
			const a = only(prev);
			const b = only(kf);
			return { x: a.x + (b.x - a.x) * r, y: a.y + (b.y - a.y) * r, width: a.width + (b.width - a.width) * r,
				height: a.height + (b.height - a.height) * r, rotation: a.rotation + (b.rotation - a.rotation) * r };
		}
		prev = kf;
	}
	return prev ? only(prev) : null;
}

/**
 * The keyframe that rules `frame`: the last one at or before it, else (unless `onlyPrevious`) the first one after.
 * @param {Keyframe[]} seq @param {number} frame @param {boolean} [onlyPrevious]
 */
export function closestKeyframe(seq, frame, onlyPrevious = false) {
	seq = ordered(seq);
	const before = seq.filter((kf) => kf.frame <= frame);
	return before[before.length - 1] ?? (onlyPrevious ? undefined : seq.find((kf) => kf.frame >= frame));
}

/** Is the box alive on `frame` (Label Studio `isInLifespan`)? @param {Keyframe[]} seq @param {number} frame */
export function aliveAt(seq, frame) {
	const kf = closestKeyframe(seq, frame);
	if (!kf) return false;
	return kf.frame === frame || kf.enabled !== false;
}

/** The box drawn on `frame`, or null (dead or before the track starts). @param {Keyframe[]} seq @param {number} frame */
export function visibleShape(seq, frame) {
	return aliveAt(seq, frame) ? shapeAt(seq, frame) : null;
}

/**
 * A new keyframe on `frame` with `shape` (a move or a resize there): replaces the keyframe on that frame, or is
 * inserted keeping the lifespan of the keyframe that ruled the frame (Label Studio `updateShape`).
 * @param {Keyframe[]} seq @param {Shape} shape @param {number} frame @param {number} fps
 * @returns {Keyframe[]}
 */
export function setShape(seq, shape, frame, fps) {
	seq = ordered(seq);
	const time = frame / fps;
	const ruling = closestKeyframe(seq, frame);
	const index = seq.findIndex((kf) => kf.frame >= frame);
	if (index < 0) return [...seq, { frame, enabled: true, rotation: shape.rotation, x: shape.x, y: shape.y, width: shape.width, height: shape.height, time }];
	const same = seq[index].frame === frame;
	const base = same ? seq[index] : { frame, enabled: true, rotation: 0, x: 0, y: 0, width: 0, height: 0, time };
	/** @type {Keyframe} */
	const kf = { ...base, ...shape, enabled: ruling ? ruling.enabled !== false : true, frame, time: same ? (base.time ?? time) : time };
	return [...seq.slice(0, index), kf, ...seq.slice(index + (same ? 1 : 0))];
}

/**
 * Add a keyframe on `frame` holding the box shown there (no-op if there is one), or remove it (never the last one).
 * @param {Keyframe[]} seq @param {number} frame @param {number} fps @returns {Keyframe[]}
 */
export function toggleKeyframe(seq, frame, fps) {
	if (seq.some((kf) => kf.frame === frame)) return seq.length > 1 ? seq.filter((kf) => kf.frame !== frame) : seq;
	const shape = shapeAt(seq, frame) ?? closestKeyframe(seq, frame);
	return shape ? setShape(seq, only(/** @type {any} */ (shape)), frame, fps) : seq;
}

/**
 * Hide the box from `frame` on, or show it again: the keyframe on `frame` (added first when the frame has none)
 * flips its `enabled` (Label Studio `toggleLifespan`).
 * @param {Keyframe[]} seq @param {number} frame @param {number} fps @returns {Keyframe[]}
 */
export function toggleLifespan(seq, frame, fps) {
	let next = seq;
	if (!seq.some((kf) => kf.frame === frame)) {
		const before = closestKeyframe(seq, frame, true);
		if (!before) return seq; // nothing to end before the track starts
		next = setShape(seq, /** @type {Shape} */ (shapeAt(seq, frame)), frame, fps);
	}
	return next.map((kf) => (kf.frame === frame ? { ...kf, enabled: kf.enabled === false } : kf));
}

/**
 * Segments `[from, to]` (frames, inclusive) where the box is alive, for the timeline; `last` is the video's last frame.
 * @param {Keyframe[]} seq @param {number} last @returns {[number, number][]}
 */
export function lifespans(seq, last) {
	seq = ordered(seq);
	/** @type {[number, number][]} */
	const out = [];
	seq.forEach((kf, i) => {
		const next = seq[i + 1];
		if (kf.enabled === false) return;
		const end = next ? next.frame : Math.max(last, kf.frame);
		const prev = out[out.length - 1];
		if (prev && prev[1] >= kf.frame) prev[1] = Math.max(prev[1], end);
		else out.push([kf.frame, end]);
	});
	return out;
}

/**
 * A keyframe list from a Label Studio `sequence`, in its own order; null when it is not one. Keyframes keep every key
 * they came with (a missing `enabled` counts as true, a missing `rotation` as 0), so an untouched track is sent back
 * exactly as it came.
 * @param {unknown} v @returns {Keyframe[]|null}
 */
export function parseSequence(v) {
	if (!Array.isArray(v) || !v.length) return null;
	/** @type {Keyframe[]} */
	const seq = [];
	for (const kf of v) {
		if (!kf || typeof kf !== "object") return null;
		const { frame, x, y, width, height } = /** @type {any} */ (kf);
		if (![frame, x, y, width, height].every((n) => typeof n === "number" && Number.isFinite(n))) return null;
		seq.push(/** @type {Keyframe} */ ({ ...kf }));
	}
	return seq;
}
