// Rectangle / RectangleLabels / OcrLabels. Label Studio's value: `x, y` = the top-left corner BEFORE rotation (the
// rotation anchor), `width, height`, all percent of the natural size, `rotation` in degrees clockwise about that
// corner. The editor rotates about the centre, so a turn moves `x, y` (done here in pixels, where angles are true).

import { normDeg, pct, s, turn } from "./registry.js";
import { registerVector } from "./vector.js";

/** @typedef {{x: number, y: number, w: number, h: number, rot: number}} RectPx */

/** @type {Record<string, [number, number]>} handle → corner in the box's own frame (0..1) */
const CORNERS = { nw: [0, 0], ne: [1, 0], se: [1, 1], sw: [0, 1] };

/** Point (u, v) of the box in its own frame (0..1), in image px. @param {RectPx} p @param {number} u @param {number} v */
function at(p, u, v) {
	const [dx, dy] = turn(u * p.w, v * p.h, p.rot);
	return { x: p.x + dx, y: p.y + dy };
}

/** The box with the same size and centre, turned to `rot`. @param {RectPx} p @param {number} rot @returns {RectPx} */
function spin(p, rot) {
	const c = at(p, 0.5, 0.5);
	const [dx, dy] = turn(p.w / 2, p.h / 2, rot);
	return { ...p, x: c.x - dx, y: c.y - dy, rot };
}

registerVector({
	kind: "rect",
	tags: ["RectangleLabels", "Rectangle", "OcrLabels"],
	types: ["rectanglelabels", "rectangle", "ocrlabels"],
	icon: "▭",
	verb: "drag a box on the image",
	mode: "box",
	valid: (v) => ["x", "y", "width", "height"].every((key) => Number.isFinite(v[key])),
	toPx: (g, { width: W, height: H }) => ({ x: (g.x * W) / 100, y: (g.y * H) / 100, w: (g.width * W) / 100, h: (g.height * H) / 100, rot: Number(g.rotation) || 0 }),
	fromPx: (p, { width: W, height: H }, old) => ({ ...old, x: pct(p.x, W), y: pct(p.y, H), width: pct(p.w, W), height: pct(p.h, H), rotation: p.rot }),
	element: (p) => s("rect", { x: p.x, y: p.y, width: p.w, height: p.h, transform: p.rot ? `rotate(${p.rot} ${p.x} ${p.y})` : null }),
	handles(p, k) {
		/** @type {{id: string, x: number, y: number, stem?: {x: number, y: number}}[]} */
		const out = Object.entries(CORNERS).map(([id, [u, v]]) => ({ id, ...at(p, u, v) }));
		const [dx, dy] = turn(0, -22 * k, p.rot);
		const top = at(p, 0.5, 0);
		out.push({ id: "rot", x: top.x + dx, y: top.y + dy, stem: top });
		return out;
	},
	drag(p, id, pt, e) {
		if (id === "rot") {
			const c = at(p, 0.5, 0.5);
			let deg = (Math.atan2(pt.y - c.y, pt.x - c.x) * 180) / Math.PI + 90;
			if (e.shiftKey) deg = Math.round(deg / 15) * 15;
			return spin(p, normDeg(deg));
		}
		const [u, v] = CORNERS[id] ?? [1, 1];
		const [lx, ly] = turn(pt.x - p.x, pt.y - p.y, -p.rot); // the pointer in the box's own frame
		let [x0, y0, x1, y1] = [0, 0, p.w, p.h];
		if (u === 0) x0 = lx;
		else x1 = lx;
		if (v === 0) y0 = ly;
		else y1 = ly;
		if (x1 < x0) [x0, x1] = [x1, x0];
		if (y1 < y0) [y0, y1] = [y1, y0];
		const o = at(p, 0, 0);
		const [ox, oy] = turn(x0, y0, p.rot);
		return { x: o.x + ox, y: o.y + oy, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0), rot: p.rot };
	},
	shift: (p, dx, dy) => ({ ...p, x: p.x + dx, y: p.y + dy }),
	bbox(p) {
		const pts = Object.values(CORNERS).map(([u, v]) => at(p, u, v));
		const xs = pts.map((q) => q.x);
		const ys = pts.map((q) => q.y);
		return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
	},
	box: (a, b) => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y), rot: 0 }),
	turnBy: (p, deg) => spin(p, normDeg(p.rot + deg)),
	describe: (g) => `box ${Math.round(g.width)}×${Math.round(g.height)}%${g.rotation ? ` ↻${Math.round(g.rotation)}°` : ""}`,
	anchor: (p) => at(p, 0, 0),
});
