// The end of the queue. Rule: shown only when Python's window is empty *and* nothing waits in the outbox (until
// then the last answers are still being saved); it states the counts truthfully (skipped tasks are not labeled) and
// how to revisit answers, and offers the skipped tasks again.

import { h } from "./render/util.js";

/** @typedef {import("./types.js").Progress} Progress */

/**
 * @param {Progress|null} p
 * @param {{undo: string, back: string, again: string}} keys  key labels (again: label the skipped tasks)
 * @param {() => void} labelSkipped  serve the skipped tasks again
 * @returns {HTMLElement}
 */
export function buildSummary(p, keys, labelSkipped) {
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
	// skipped tasks have no label: the title must not say "all labeled", and the way back to them is one key away
	const title = skipped ? `${plural(skipped, "skipped task")} still ${skipped === 1 ? "needs" : "need"} a label` : "All tasks labeled";
	/** @type {HTMLElement|null} */
	let again = null;
	if (skipped) {
		again = h("button", { type: "button", class: "nblabel-button is-primary nblabel-label-skipped", tabindex: "-1", "data-action": "label_skipped" },
			`Label ${plural(skipped, "skipped task")}`, keys.again ? h("kbd", null, keys.again) : null);
		again.addEventListener("click", labelSkipped);
	}
	return h(
		"div",
		{ class: `nblabel-summary${skipped ? " has-skipped" : ""}`, role: "status" },
		h("div", { class: "nblabel-summary-icon", "aria-hidden": "true" }, skipped ? "↻" : "✓"),
		h("div", { class: "nblabel-summary-title" }, title),
		stats,
		again,
		h("div", { class: "nblabel-summary-tip" }, `Read the results with lab.to_pandas()${tips.length ? ` · press ${tips.join(", ")}` : ""}.`),
	);
}

/** @param {number} n @param {string} noun */
function plural(n, noun) {
	return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** Shown while the window is empty but answers are still being saved. */
export function buildWaiting() {
	return h("div", { class: "nblabel-waiting", role: "status" }, h("span", { class: "nblabel-dot" }), "Saving your last answers — the next tasks arrive when Python confirms them…");
}
