// The progress strip. Rule: numbers come from Python's `progress` plus what waits in the outbox (optimistic), and
// the `.nblabel-saving` mark is visible exactly while the outbox is non-empty, so "saving…" never lies about
// durability (without Python it says "not saved" instead); a held submit (LIMIT waiting) says so in words.

import { h } from "./render/util.js";

/** @typedef {import("./types.js").Progress} Progress */

/** Answers waiting this long make the saving dot pulse. */
const SLOW_MS = 400;

export class ProgressBar {
	constructor() {
		/** @type {ReturnType<typeof setTimeout>|undefined} */
		this.slowTimer = undefined;
		this.fill = h("div", { class: "nblabel-bar-fill" });
		this.bar = h("div", { class: "nblabel-bar", role: "progressbar", "aria-valuemin": "0" }, this.fill);
		this.count = h("span", { class: "nblabel-count" });
		this.rate = h("span", { class: "nblabel-rate" });
		this.savingText = h("span", null, "saving…");
		this.saving = h("span", { class: "nblabel-saving", role: "status", hidden: true }, h("span", { class: "nblabel-dot" }), this.savingText);
		this.el = h(
			"div",
			{ class: "nblabel-progress" },
			this.bar,
			h("div", { class: "nblabel-progress-text" }, this.count, this.rate, this.saving),
		);
	}

	/**
	 * @param {Progress|null} p
	 * @param {number} waiting   entries in the outbox
	 * @param {boolean} held     a submit waits for room in the outbox
	 * @param {number} limit
	 * @param {boolean} [offline]  Python is gone: what waits is not being saved
	 */
	paint(p, waiting, held, limit, offline = false) {
		this.saving.hidden = waiting === 0;
		this.#pulseIfSlow(waiting > 0);
		this.saving.classList.toggle("is-offline", offline);
		this.savingText.textContent = offline ? `not saved (${waiting} waiting)` : held ? `saving… (${waiting} of max ${limit} waiting)` : "saving…";
		if (!p) {
			this.count.textContent = "";
			this.rate.textContent = "";
			this.fill.style.width = "0%";
			return;
		}
		const answered = p.done + p.skipped;
		if (p.total) {
			const pct = Math.min(100, (100 * answered) / p.total);
			this.fill.style.width = `${pct.toFixed(2)}%`;
			this.bar.setAttribute("aria-valuemax", String(p.total));
			this.bar.setAttribute("aria-valuenow", String(answered));
			this.count.textContent = `${p.done} / ${p.total}`;
		} else {
			this.fill.style.width = "0%";
			this.count.textContent = `${p.done} labeled`;
		}
		if (p.skipped) this.count.textContent += ` · ${p.skipped} skipped`;
		const parts = [];
		if (p.rate_per_min) parts.push(`${p.rate_per_min.toFixed(1)}/min`);
		if (p.eta_s !== null && p.eta_s !== undefined && p.total) parts.push(`ETA ${formatDuration(p.eta_s)}`);
		this.rate.textContent = parts.join(" · ");
	}

	/** The saving dot pulses once answers have waited SLOW_MS (an ack within it leaves no animation behind). @param {boolean} saving */
	#pulseIfSlow(saving) {
		if (!saving) {
			clearTimeout(this.slowTimer);
			this.slowTimer = undefined;
			this.saving.classList.remove("is-slow");
		} else if (this.slowTimer === undefined && !this.saving.classList.contains("is-slow")) {
			this.slowTimer = setTimeout(() => {
				this.slowTimer = undefined;
				if (!this.saving.hidden) this.saving.classList.add("is-slow");
			}, SLOW_MS);
		}
	}

	dispose() {
		clearTimeout(this.slowTimer);
	}
}

/** 42 → "42 s", 600 → "10 min", 5400 → "1 h 30 min". @param {number} s */
export function formatDuration(s) {
	if (s < 60) return `${Math.max(0, Math.round(s))} s`;
	const m = Math.round(s / 60);
	if (m < 60) return `${m} min`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}
