// KeyPoint / KeyPointLabels. Label Studio's value: `x, y` in percent of the natural size and `width`, the point's size
// in percent of the natural width (the editor writes its stroke width, one screen pixel by default). Placed by a click.

import { pct, s } from "./registry.js";
import { registerVector } from "./vector.js";

/** @typedef {{x: number, y: number, w: number}} PointPx */

registerVector({
	kind: "keypoint",
	tags: ["KeyPointLabels", "KeyPoint"],
	types: ["keypointlabels", "keypoint"],
	icon: "•",
	verb: "click a point on the image",
	mode: "click",
	valid: (v) => Number.isFinite(v.x) && Number.isFinite(v.y),
	toPx: (g, { width: W, height: H }) => ({ x: (g.x * W) / 100, y: (g.y * H) / 100, w: ((Number(g.width) || 0) * W) / 100 }),
	fromPx: (p, { width: W, height: H }, old) => ({ ...old, x: pct(p.x, W), y: pct(p.y, H), ...(p.w || "width" in old ? { width: pct(p.w, W) } : {}) }),
	element: (p, k) => s("circle", { cx: p.x, cy: p.y, r: Math.max(p.w, 5 * k) }),
	handles: () => [],
	drag: (p) => p,
	shift: (p, dx, dy) => ({ ...p, x: p.x + dx, y: p.y + dy }),
	bbox: (p) => [p.x, p.y, p.x, p.y],
	box: (a, _b, k) => ({ x: a.x, y: a.y, w: k }),
	describe: (g) => `point ${Math.round(g.x)}, ${Math.round(g.y)}%`,
	anchor: (p) => ({ x: p.x, y: p.y, dx: 7 }),
});
