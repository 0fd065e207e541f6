// The footer buttons — the mouse path to every keyboard action. Rule: a button only calls the same action its key
// runs (`Screen.run`), shows that key, never takes focus (tabindex -1; the root keeps the keyboard), and is disabled
// exactly when the action could not do anything (waiting for Python, a blocking error, nothing to undo / redo / go
// back to, no task on screen).

import { h } from "./render/util.js";

/** @typedef {import("./keys.js").KeyMap} KeyMap */
/** @typedef {import("./keys.js").Action} Action */
/** @typedef {import("./session.js").Session} Session */

/** @type {[Action, string][]} */
const BUTTONS = [
	["submit", "Submit"],
	["skip", "Skip"],
	["back", "Back"],
	["undo", "Undo"],
	["redo", "Redo"],
	["legend", "Keys"],
];

/**
 * @param {HTMLElement} container
 * @param {KeyMap} keymap
 * @param {(action: Action) => void} run
 */
export function buildButtons(container, keymap, run) {
	container.replaceChildren(
		...BUTTONS.map(([action, name]) => {
			const key = keymap.label(action);
			const label = action === "submit" && keymap.review ? "Accept" : name; // review mode: Enter accepts a version
			const b = h(
				"button",
				{
					type: "button",
					class: `nblabel-button${action === "submit" ? " is-primary" : ""}`,
					tabindex: "-1",
					"data-action": action,
				},
				label,
				key ? h("kbd", null, key) : null,
			);
			b.addEventListener("click", () => run(action));
			return b;
		}),
	);
}

/**
 * @param {HTMLElement} container
 * @param {Session} s
 */
export function paintButtons(container, s) {
	const waiting = s.outbox.size > 0; // Python will apply undo / back after the submits it has not seen yet
	for (const b of container.querySelectorAll("button")) {
		const action = b.dataset.action;
		if (action === "legend") continue;
		b.disabled =
			Boolean(s.pending || s.error) ||
			(action === "undo" && !s.flags.can_undo && !waiting) ||
			(action === "back" && !s.flags.can_back && !waiting) ||
			(action === "redo" && !s.flags.can_redo) ||
			((action === "submit" || action === "skip") && !s.current);
	}
}
