// Review mode on a Screen: what the version bar, the review keys and Enter do. Rules:
// - a version is loaded into the editable answer with the objects left as they are (`Form.loadAnswer`), and becomes
//   the baseline the "edited" mark compares against;
// - Enter on a version the reviewer left unchanged sends it exactly as it came (an empty one only on a second press);
//   once changed, the screen's ordinary submit sends the answer on screen ("fix and accept");
// - a reject is a submit with an empty result and `review` — the same outbox, ack and nack as any answer.

import { badgeFor, reviewBadge } from "./badge.js";

/** @typedef {import("./screen.js").Screen} Screen */
/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").Task} Task */

/** @param {Screen} screen */
const reviewing = (screen) => screen.session.mode === "review" && screen.review.active;

/** Show version `result` as the editable answer. @param {Screen} screen @param {ResultItem[]} result */
export function loadVersion(screen, result) {
	const task = screen.session.current;
	if (!task || !screen.form) return;
	screen.form.loadAnswer({ ...task, prefill: result, draft: undefined, hint: null });
	screen.loadedAnswer = screen.form.fingerprint();
	screen.edited = false;
	screen.setHint("");
	screen.paintBadge(task);
}

/**
 * Reject the answers of `annotators`, then on to the next task like a submit.
 * @param {Screen} screen @param {string} comment @param {string[]} annotators
 */
export function reject(screen, comment, annotators) {
	const s = screen.session;
	if (!s.current || s.error || s.pending || s.mode !== "review") return;
	s.answer("submit", [], screen.stopwatch.seconds(), { action: "reject", comment, annotators });
}

/**
 * The review keys: open the reject box, next / previous version, cycle the overlays.
 * @param {Screen} screen @param {"reject"|"next_version"|"prev_version"|"overlays"} action
 */
export function reviewAction(screen, action) {
	const s = screen.session;
	if (!s.current || s.error || s.pending || !reviewing(screen)) return;
	if (action === "overlays") screen.review.cycleOverlays();
	else if (action === "reject") screen.review.openReject();
	else screen.review.cycle(action === "next_version" ? 1 : -1);
}

/**
 * Enter in review mode on an unchanged version: accept it as it came. Returns false when the ordinary submit should
 * run instead (label mode, or the reviewer changed the answer). @param {Screen} screen
 */
export function acceptVersion(screen) {
	const version = reviewing(screen) ? screen.review.current : null;
	if (!version || !screen.review.loaded || screen.edited) return false;
	const confirm = `This version is empty. Press ${screen.keymap.label("submit") || "submit"} again to accept an empty answer.`;
	if (!version.result.length && screen.hint.textContent !== confirm) screen.setHint(confirm);
	else screen.session.answer("submit", structuredClone(version.result), screen.stopwatch.seconds());
	return true;
}

/** The task bar's badge: in review mode which version is the answer, else where the answer came from. @param {Screen} screen @param {Task} task */
export function badgeOf(screen, task) {
	const submitKey = screen.keymap.label("submit");
	const version = reviewing(screen) ? screen.review.current : null;
	return version ? reviewBadge(version, screen.edited || !screen.review.loaded, submitKey) : badgeFor(task, { edited: screen.edited, submitKey, doubt: screen.doubt });
}
