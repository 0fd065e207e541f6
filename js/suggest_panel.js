// The live suggestion panel: accepted vs corrected, and the acceptance rate over recent answers as a line.
// Rules (docs/DESIGN.md "Suggestion panel"):
// - self-contained: widget.js's router hands it every Python message (`take`); it reads only the `suggest` field
//   Python adds to `state` and `ack` when a predictor is set; no `suggest` field → the panel stays hidden;
// - it lives inside the view's root `div.nblabel` and removes its DOM on dispose;
// - numbers only come from Python (the store decides what was accepted); nothing is computed here but the drawing.

import { h } from "./render/util.js";

/** @typedef {import("./protocol.js").Panel} SuggestData */

const SVG = "http://www.w3.org/2000/svg";
const W = 120;
const H = 24;

export class SuggestPanel {
	/** @param {HTMLElement} root  the view's `div.nblabel` */
	constructor(root) {
		this.counts = h("span", { class: "nblabel-suggest-counts" });
		this.version = h("span", { class: "nblabel-suggest-version" });
		this.svg = document.createElementNS(SVG, "svg");
		this.svg.setAttribute("class", "nblabel-suggest-line");
		this.svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
		this.svg.setAttribute("width", String(W));
		this.svg.setAttribute("height", String(H));
		this.svg.setAttribute("role", "img");
		this.path = document.createElementNS(SVG, "polyline");
		this.path.setAttribute("fill", "none");
		this.path.setAttribute("stroke", "var(--jp-brand-color1, #1976d2)");
		this.path.setAttribute("stroke-width", "1.5");
		this.svg.append(this.path);
		this.el = h("div", { class: "nblabel-suggest", hidden: true }, this.counts, this.svg, this.version);
		this.el.style.cssText = "display:flex;gap:.75em;align-items:center;font-size:var(--jp-ui-font-size0,11px);" +
			"color:var(--jp-ui-font-color2,#616161);padding:2px 0";
		root.append(this.el);
	}

	/** @param {any} msg  any Python → browser message */
	take(msg) {
		if (msg && (msg.type === "state" || msg.type === "ack") && msg.suggest) this.paint(msg.suggest);
	}

	/** @param {SuggestData} d */
	paint(d) {
		this.el.hidden = false;
		this.counts.textContent = `Suggestions: ${d.accepted} accepted · ${d.corrected} corrected`;
		this.version.textContent = d.model_version ? `model ${d.model_version}` : "";
		const line = Array.isArray(d.accuracy) ? d.accuracy : [];
		const last = line.length ? line[line.length - 1] : null;
		this.svg.setAttribute("aria-label", last === null ? "no answers yet" :
			`accepted over the last ${d.window} answers: ${Math.round(last * 100)}%`);
		const step = line.length > 1 ? W / (line.length - 1) : 0;
		this.path.setAttribute("points", line.map((v, i) => `${(i * step).toFixed(1)},${(H - 1 - v * (H - 2)).toFixed(1)}`).join(" "));
	}

	dispose() {
		this.el.remove();
	}
}
