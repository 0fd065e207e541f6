// Review mode: which annotators' regions are drawn on the task, read-only, under the editable answer. Rules:
// - one toggle chip per annotator of the task (their colour and name) and one key cycling all → the first annotator
//   only → the second only → … → none → all (a hand-picked mix goes back to all);
// - what is hidden is remembered by name across tasks, so a reviewer who turned an annotator off keeps them off;
// - the overlays are drawn by each object from its own coordinate code (`RegionStore.overlay`) and are never part
//   of the answer: the store's `result` does not see them;
// - names come from other people's answers: text only, never HTML.

import { dot, shortName } from "./review_summary.js";
import { h } from "./render/util.js";

/** @typedef {import("./render/regions.js").OverlaySource} OverlaySource */
/** @typedef {{who: string, slot: number, color: string, result: import("./types.js").ResultItem[]}} Drawn */

export class OverlayToggles {
	/** @param {(sources: OverlaySource[]) => void} apply  draw these answers on the task */
	constructor(apply) {
		this.apply = apply;
		/** @type {Drawn[]} the task's answers, in panel order */
		this.answers = [];
		/** @type {Set<string>} annotators turned off (kept across tasks) */
		this.hidden = new Set();
		this.chips = h("span", { class: "nblabel-overlay-chips" });
		this.key = h("kbd", { class: "nblabel-overlay-key" });
		this.el = h("div", { class: "nblabel-overlay-bar", role: "toolbar", "aria-label": "Answers drawn on the task", hidden: true },
			h("span", { class: "nblabel-overlay-title" }, "On the task"), this.chips, this.key);
	}

	/**
	 * A new task: its answers, and whether anything of them can be drawn (a config with regions).
	 * @param {Drawn[]} answers @param {boolean} drawable @param {string} key  the cycle key's label ("" when unbound)
	 */
	show(answers, drawable, key) {
		this.answers = drawable ? answers : [];
		this.el.hidden = !this.answers.length;
		this.key.textContent = key;
		this.key.hidden = !key;
		this.key.title = key ? `${key}: all, one annotator at a time, none` : "";
		this.chips.replaceChildren(...this.answers.map((a) => {
			const b = h("button", { type: "button", tabindex: "-1", class: "nblabel-overlay-chip", "data-annotator": a.who, title: `Show / hide ${a.who}'s regions` },
				dot(a.color), h("span", { class: "nblabel-overlay-name" }, shortName(a.who)));
			b.style.setProperty("--nbl-annotator", a.color);
			b.addEventListener("click", () => this.toggle(a.who));
			return b;
		}));
		this.#paint();
	}

	/** Nothing drawn (label mode, an error, no task). */
	clear() {
		this.answers = [];
		this.el.hidden = true;
		this.apply([]);
	}

	/** Names drawn now, in panel order. */
	visible() {
		return this.answers.filter((a) => !this.hidden.has(a.who)).map((a) => a.who);
	}

	/** @param {string} who */
	toggle(who) {
		if (this.hidden.has(who)) this.hidden.delete(who);
		else this.hidden.add(who);
		this.#paint();
	}

	/** The cycle key: all → 1st only → 2nd only → … → none → all. */
	cycle() {
		const names = this.answers.map((a) => a.who);
		if (!names.length) return;
		const on = this.visible();
		/** @type {string[]} */
		let next;
		if (on.length === names.length) next = [names[0]];
		else if (on.length === 1) next = names.slice(names.indexOf(on[0]) + 1, names.indexOf(on[0]) + 2);
		else if (!on.length) next = names;
		else next = names;
		for (const n of names) {
			if (next.includes(n)) this.hidden.delete(n);
			else this.hidden.add(n);
		}
		this.#paint();
	}

	#paint() {
		const on = new Set(this.visible());
		for (const b of this.chips.children) {
			const pressed = on.has(b.getAttribute("data-annotator") ?? "");
			b.setAttribute("aria-pressed", String(pressed));
			b.classList.toggle("is-off", !pressed);
		}
		const state = on.size === this.answers.length ? "all" : on.size === 0 ? "none" : "some";
		this.el.dataset.shown = this.answers.length ? state : "";
		this.apply(this.answers.filter((a) => on.has(a.who)).map(({ who, slot, color, result }) => ({ who, slot, color, result })));
	}
}
