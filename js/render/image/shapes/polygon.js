// Polygon / PolygonLabels. Label Studio's value: `points: [[x, y], …]` in percent of the natural size (and `closed`,
// which the current editor writes; kept as given for a prefill). Drawn by clicking points; closed by clicking the
// first point or pressing Enter; ⌫ removes the last point. Each vertex is a handle.

import { pct, s } from "./registry.js";
import { registerVector } from "./vector.js";

/** @typedef {{pts: number[][]}} PolyPx */

registerVector({
	kind: "polygon",
	tags: ["PolygonLabels", "Polygon"],
	types: ["polygonlabels", "polygon"],
	icon: "⬠",
	verb: "click the polygon's points on the image",
	mode: "points",
	valid: (v) => Array.isArray(v.points) && v.points.every((q) => Array.isArray(q) && Number.isFinite(q[0]) && Number.isFinite(q[1])),
	toPx: (g, { width: W, height: H }) => ({ pts: g.points.map((/** @type {number[]} */ q) => [(q[0] * W) / 100, (q[1] * H) / 100]) }),
	fromPx: (p, { width: W, height: H }, old) => ({ ...old, points: p.pts.map((/** @type {number[]} */ q) => [pct(q[0], W), pct(q[1], H)]) }),
	element: (p) => s("polygon", { points: p.pts.map((/** @type {number[]} */ q) => `${q[0]},${q[1]}`).join(" ") }),
	handles: (p) => p.pts.map((/** @type {number[]} */ q, /** @type {number} */ i) => ({ id: String(i), x: q[0], y: q[1] })),
	drag(p, id, pt) {
		const i = Number(id);
		return { pts: p.pts.map((/** @type {number[]} */ q, /** @type {number} */ j) => (j === i ? [pt.x, pt.y] : q)) };
	},
	shift: (p, dx, dy) => ({ pts: p.pts.map((/** @type {number[]} */ q) => [q[0] + dx, q[1] + dy]) }),
	bbox(p) {
		const xs = p.pts.map((/** @type {number[]} */ q) => q[0]);
		const ys = p.pts.map((/** @type {number[]} */ q) => q[1]);
		return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
	},
	describe: (g) => `polygon · ${g.points.length} points`,
	anchor: (p) => ({ x: p.pts[0]?.[0] ?? 0, y: p.pts[0]?.[1] ?? 0 }),
});
