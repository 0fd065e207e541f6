// The end of the queue. Rule: shown only when Python's window is empty *and* nothing waits in the outbox (until
// then the last answers are still being saved); it states the counts and how to revisit answers.

import { h } from "./render/util.js";

/** @typedef {import("./types.js").Progress} Progress */

/**
 * @param {Progress|null} p
 * @param {{undo: string, back: string}} keys
 * @returns {HTMLElement}
 */
export function buildSummary(p, keys) {
	const done = p?.done ?? 0;
	const skipped = p?.skipped ?? 0;
	const stats = h(
		"div",
		{ class: "nblabel-summary-stats" },
		h("div", { class: "nblabel-stat" }, h("span", { class: "nblabel-stat-n" }, String(done)), h("span", null, "labeled")),
		h("div", { class: "nblabel-stat" }, h("span", { class: "nblabel-stat-n" }, String(skipped)), h("span", null, "skipped")),
	);
	const tips = [];
	if (keys.back) tips.push(`${keys.back} to go back`);
	if (keys.undo) tips.push(`${keys.undo} to undo the last answer`);
	return h(
		"div",
		{ class: "nblabel-summary", role: "status" },
		h("div", { class: "nblabel-summary-icon", "aria-hidden": "true" }, "✓"),
		h("div", { class: "nblabel-summary-title" }, "All tasks labeled"),
		stats,
		h("div", { class: "nblabel-summary-tip" }, `Read the results with lab.to_pandas()${tips.length ? ` · press ${tips.join(", ")}` : ""}.`),
	);
}

/** Shown while the window is empty but answers are still being saved. */
export function buildWaiting() {
	return h("div", { class: "nblabel-waiting", role: "status" }, h("span", { class: "nblabel-dot" }), "Saving your last answers — the next tasks arrive when Python confirms them…");
}
