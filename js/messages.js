// The messages above the task. Rule: present only while there is something to say, so `.nblabel-error` in the DOM
// always means a visible error; "not connected" (Python is gone, see link.js) comes first, then a blocking error
// from the state, then a non-blocking notice; repainted only when the text changes.

import { h } from "./render/util.js";

export class Messages {
	constructor() {
		this.el = h("div", { class: "nblabel-messages" });
	}

	/**
	 * @param {string|null} error    blocking (from the state message)
	 * @param {string|null} notice   non-blocking
	 * @param {string|null} offline  Python is gone
	 */
	paint(error, notice, offline) {
		const key = JSON.stringify([error, notice, offline]);
		if (this.el.dataset.shown === key) return;
		this.el.dataset.shown = key;
		this.el.replaceChildren(
			...(offline ? [h("div", { class: "nblabel-error nblabel-offline", role: "alert" }, offline)] : []),
			...(error ? [h("div", { class: "nblabel-error nblabel-blocking", role: "alert" }, error)] : []),
			...(notice ? [h("div", { class: "nblabel-notice", role: "status" }, notice)] : []),
		);
	}
}

/**
 * What a view without Python says: what to do, what waits, and why.
 * @param {string|null} lost  the reason (null: connected) @param {number} waiting  answers not yet saved
 * @returns {string|null}
 */
export function offlineText(lost, waiting) {
	if (lost === null) return null;
	const n = `${waiting} answer${waiting === 1 ? "" : "s"} waiting`;
	return `Not connected — re-run this cell (${n}). ${lost[0].toUpperCase()}${lost.slice(1)}: nothing labeled here is saved until the cell runs again.`;
}
