// Ellipse / EllipseLabels. Label Studio's value: `x, y` = the CENTRE (the editor computes its box as x − radiusX),
// `radiusX` in percent of the width, `radiusY` in percent of the height, `rotation` in degrees about the centre.

import { normDeg, pct, s, turn } from "./registry.js";
import { registerVector } from "./vector.js";

/** @typedef {{cx: number, cy: number, rx: number, ry: number, rot: number}} EllipsePx */

/** Point (u, v) of the ellipse's own frame (radii units) in image px. @param {EllipsePx} p @param {number} u @param {number} v */
function at(p, u, v) {
	const [dx, dy] = turn(u * p.rx, v * p.ry, p.rot);
	return { x: p.cx + dx, y: p.cy + dy };
}

/** @type {Record<string, [number, number]>} */
const HANDLES = { e: [1, 0], w: [-1, 0], s: [0, 1], n: [0, -1] };

registerVector({
	kind: "ellipse",
	tags: ["EllipseLabels", "Ellipse"],
	types: ["ellipselabels", "ellipse"],
	icon: "◯",
	verb: "drag an ellipse on the image",
	mode: "box",
	valid: (v) => ["x", "y", "radiusX", "radiusY"].every((key) => Number.isFinite(v[key])),
	toPx: (g, { width: W, height: H }) => ({ cx: (g.x * W) / 100, cy: (g.y * H) / 100, rx: (g.radiusX * W) / 100, ry: (g.radiusY * H) / 100, rot: Number(g.rotation) || 0 }),
	fromPx: (p, { width: W, height: H }, old) => ({ ...old, x: pct(p.cx, W), y: pct(p.cy, H), radiusX: pct(p.rx, W), radiusY: pct(p.ry, H), rotation: p.rot }),
	element: (p) => s("ellipse", { cx: p.cx, cy: p.cy, rx: p.rx, ry: p.ry, transform: p.rot ? `rotate(${p.rot} ${p.cx} ${p.cy})` : null }),
	handles(p, k) {
		/** @type {{id: string, x: number, y: number, stem?: {x: number, y: number}}[]} */
		const out = Object.entries(HANDLES).map(([id, [u, v]]) => ({ id, ...at(p, u, v) }));
		const top = at(p, 0, -1);
		const [dx, dy] = turn(0, -22 * k, p.rot);
		out.push({ id: "rot", x: top.x + dx, y: top.y + dy, stem: top });
		return out;
	},
	drag(p, id, pt, e) {
		if (id === "rot") {
			let deg = (Math.atan2(pt.y - p.cy, pt.x - p.cx) * 180) / Math.PI + 90;
			if (e.shiftKey) deg = Math.round(deg / 15) * 15;
			return { ...p, rot: normDeg(deg) };
		}
		const [lx, ly] = turn(pt.x - p.cx, pt.y - p.cy, -p.rot);
		return id === "e" || id === "w" ? { ...p, rx: Math.max(1, Math.abs(lx)) } : { ...p, ry: Math.max(1, Math.abs(ly)) };
	},
	shift: (p, dx, dy) => ({ ...p, cx: p.cx + dx, cy: p.cy + dy }),
	bbox(p) {
		// the axis-aligned box of a turned ellipse
		const a = (p.rot * Math.PI) / 180;
		const hw = Math.hypot(p.rx * Math.cos(a), p.ry * Math.sin(a));
		const hh = Math.hypot(p.rx * Math.sin(a), p.ry * Math.cos(a));
		return [p.cx - hw, p.cy - hh, p.cx + hw, p.cy + hh];
	},
	box: (a, b) => ({ cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2, rx: Math.abs(b.x - a.x) / 2, ry: Math.abs(b.y - a.y) / 2, rot: 0 }),
	turnBy: (p, deg) => ({ ...p, rot: normDeg(p.rot + deg) }),
	describe: (g) => `ellipse ${Math.round(g.radiusX * 2)}×${Math.round(g.radiusY * 2)}%`,
	anchor: (p) => ({ x: p.cx - p.rx, y: p.cy - p.ry }),
});
