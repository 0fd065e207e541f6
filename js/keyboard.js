// Keydown on the widget root. Rules:
// - `stopPropagation()` always (JupyterLab listens on document in the bubble phase), `preventDefault()` only for
//   keys the widget consumes, so copy / find / browser keys keep working;
// - inside a text field only Escape (back to the root), Ctrl/Cmd+Enter (submit) and Tab (next control) are widget
//   keys; everything else types;
// - Escape on the root hands the keys back to the notebook (`Screen.leave`); it closes the legend first if open;
// - digits 1–9, 0 pick options in the active control and never submit; config `hotkey`s come next, then the key map;
// - region keys (Delete, r, Shift/Alt+arrows) go to the form only when no action is bound to them;
// - auto-repeat (a key held down) never answers or navigates: one press, one action.

import { digitIndex, isSubmitFromField } from "./keys.js";

/** @typedef {import("./screen.js").Screen} Screen */

/** @param {EventTarget|null} t */
export function isTextField(t) {
	if (!(t instanceof HTMLElement)) return false;
	if (t instanceof HTMLTextAreaElement || t.isContentEditable) return true;
	return t instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(t.type);
}

/**
 * @param {Screen} screen
 * @param {KeyboardEvent} e
 */
export function handleKeydown(screen, e) {
	e.stopPropagation();
	if (e.isComposing || e.key === "Process") return; // an IME is composing: the key belongs to it
	const inField = isTextField(e.target);
	if (e.key === "Escape") {
		e.preventDefault();
		if (inField) screen.leaveField();
		else if (screen.legendOpen) screen.toggleLegend();
		else screen.leave();
		return;
	}
	if (isSubmitFromField(e)) {
		e.preventDefault();
		screen.run("submit");
		return;
	}
	const action = screen.keymap.action(e);
	if (inField) {
		if (action === "focus_next" || action === "focus_prev") {
			e.preventDefault();
			screen.moveActive(action === "focus_next" ? 1 : -1);
		}
		return;
	}
	if (screen.session.pending && action !== "legend") {
		e.preventDefault(); // waiting for Python's answer to undo/back/…: keys would act on a task about to change
		return;
	}
	const digit = digitIndex(e);
	if (digit >= 0) {
		e.preventDefault();
		const control = screen.activeControl();
		if (control && !control.pick(digit)) {
			const into = screen.keymap.label("focus_next") || "Tab";
			screen.setHint(control.optionCount ? `Only ${control.optionCount} options here.` : control.field ? `To type, click the text field or press ${into}.` : "");
		}
		return;
	}
	for (const control of screen.form?.visibleControls() ?? []) {
		if (control.hotkey?.(e)) {
			e.preventDefault();
			return;
		}
	}
	if (!action && screen.form?.key(e, screen.activeControl())) {
		e.preventDefault();
		return;
	}
	if (action === "focus_next" || action === "focus_prev") {
		if (!screen.form?.visibleControls().length) return; // nothing to move to: let Tab leave the widget
	} else if (action && e.repeat && action !== "legend") {
		e.preventDefault(); // a held-down Enter / s / z must not answer task after task
		return;
	}
	if (action) {
		e.preventDefault();
		screen.run(action);
	}
}
