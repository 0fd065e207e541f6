// The key map. Rule (DESIGN.md "Keys"): defaults below, the state message's `keys` override them action by action;
// a binding is "Mod+Mod+key" (Ctrl, Cmd/Meta, Alt, Shift; "Mod" = Ctrl or Cmd) or a list of such strings.
// Letters compare case-insensitively but Shift must match ("z" ≠ "Shift+Z"); other printable characters ignore
// Shift, because "?" needs Shift on most layouts. Fixed keys (digits, Ctrl+Enter, Escape) are not remappable.
// The review actions (reject, next / previous version, the overlays drawn) are bound only in review mode, so in label mode their keys
// stay free for a config's hotkeys.

/** @typedef {"submit"|"skip"|"undo"|"redo"|"back"|"legend"|"focus_next"|"label_skipped"|"reject"|"next_version"|"prev_version"|"overlays"} Action */

/** @type {Record<Action, string>} */
export const DEFAULT_KEYS = {
	submit: "Enter",
	skip: "s",
	undo: "z",
	redo: "Shift+Z",
	back: "ArrowLeft",
	legend: "?",
	focus_next: "Tab",
	label_skipped: "Shift+S",
	reject: "x",
	next_version: "]",
	prev_version: "[",
	overlays: "o",
};

/** @type {Set<Action>} actions that exist only in review mode */
export const REVIEW_ACTIONS = new Set(["reject", "next_version", "prev_version", "overlays"]);

/** @type {Record<Action, string>} what the legend calls each action */
export const ACTION_LABELS = {
	submit: "Submit (accept the suggestion)",
	skip: "Skip this task",
	undo: "Undo the last submit or skip",
	redo: "Redo",
	back: "Back to the previous task",
	legend: "Show / hide this legend",
	focus_next: "Next control (Shift: previous)",
	label_skipped: "Label the skipped tasks (at the end of the queue)",
	reject: "Reject the selected answer (all answers while the consensus is selected), with a comment",
	next_version: "Next version: the consensus (or ground truth), then each annotator's answer",
	prev_version: "Previous version",
	overlays: "Regions drawn on the task: every annotator's, then one annotator's at a time, then none",
};

/** What the legend calls submit in review mode. */
export const REVIEW_SUBMIT_LABEL = "Accept the version shown (edit it first: fix and accept)";

/**
 * @typedef {object} Binding
 * @property {string} key     lowercased `KeyboardEvent.key`
 * @property {boolean} ctrl   Ctrl or Cmd
 * @property {boolean} alt
 * @property {boolean|null} shift  null: any (non-letter printable characters)
 * @property {string} text    as written, for the legend
 */

/**
 * @param {string} spec  e.g. "Shift+Z", "Ctrl+Enter", "?", "+"
 * @returns {Binding}
 */
export function parseBinding(spec) {
	const parts = spec.length > 1 ? spec.split(/\+(?!$)/) : [spec];
	const key = parts.pop() ?? "";
	const mods = new Set(parts.map((p) => p.toLowerCase()));
	const ctrl = ["ctrl", "control", "cmd", "meta", "mod", "command"].some((m) => mods.has(m));
	const printable = key.length === 1;
	const letter = printable && key.toLowerCase() !== key.toUpperCase();
	return {
		key: key.toLowerCase(),
		ctrl,
		alt: mods.has("alt") || mods.has("option"),
		shift: printable && !letter && !mods.has("shift") ? null : mods.has("shift"),
		text: spec,
	};
}

/**
 * @param {Binding} b
 * @param {KeyboardEvent} e
 */
export function matches(b, e) {
	return (
		e.key.toLowerCase() === b.key &&
		(e.ctrlKey || e.metaKey) === b.ctrl &&
		e.altKey === b.alt &&
		(b.shift === null || e.shiftKey === b.shift)
	);
}

export class KeyMap {
	/**
	 * @param {Record<string, string|string[]>|undefined|null} overrides
	 * @param {{review?: boolean}} [opts]  review: bind the review actions too
	 */
	constructor(overrides, opts = {}) {
		this.review = Boolean(opts.review);
		/** @type {Map<Action, Binding[]>} */
		this.bindings = new Map();
		/** @type {Record<string, string|string[]>} */
		const merged = { ...DEFAULT_KEYS, ...(overrides ?? {}) };
		for (const action of /** @type {Action[]} */ (Object.keys(DEFAULT_KEYS))) {
			if (REVIEW_ACTIONS.has(action) && !this.review) continue;
			const spec = merged[action];
			const specs = (Array.isArray(spec) ? spec : [spec]).filter((s) => typeof s === "string" && s);
			this.bindings.set(action, specs.map(parseBinding));
		}
	}

	/**
	 * The action bound to this event, if any (Shift+focus_next is "focus_prev").
	 * @param {KeyboardEvent} e
	 * @returns {Action|"focus_prev"|null}
	 */
	action(e) {
		for (const [action, list] of this.bindings) {
			for (const b of list) {
				if (matches(b, e)) return action;
				if (action === "focus_next" && e.shiftKey && matches({ ...b, shift: true }, e)) return "focus_prev";
			}
		}
		return null;
	}

	/**
	 * Human text of the first binding of `action` (for buttons and the legend).
	 * @param {Action} action
	 */
	label(action) {
		return (this.bindings.get(action) ?? []).map((b) => prettyKey(b.text)).join(" / ");
	}
}

/** @param {string} spec */
export function prettyKey(spec) {
	return spec
		.replace(/ArrowLeft/g, "←")
		.replace(/ArrowRight/g, "→")
		.replace(/ArrowUp/g, "↑")
		.replace(/ArrowDown/g, "↓")
		.replace(/^Enter$|(\+)Enter$/g, "$1⏎")
		.replace(/^ $/, "Space");
}

/**
 * Digit keys pick options: "1".."9" → 0..8, "0" → 9; anything else → -1. Uses `code` too, so a layout whose
 * top row types other characters (AZERTY) still picks by position.
 * @param {KeyboardEvent} e
 */
export function digitIndex(e) {
	if (e.ctrlKey || e.metaKey || e.altKey) return -1;
	let d = /^[0-9]$/.test(e.key) ? e.key : "";
	if (!d && /^(Digit|Numpad)[0-9]$/.test(e.code) && !e.shiftKey) d = e.code.slice(-1);
	if (!d) return -1;
	return d === "0" ? 9 : Number(d) - 1;
}

/** The key badge shown for option `i` (0 → "1", 9 → "0", later options get none). @param {number} i */
export function digitLabel(i) {
	return i < 9 ? String(i + 1) : i === 9 ? "0" : "";
}

/** @param {KeyboardEvent} e */
export function isSubmitFromField(e) {
	return e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.altKey;
}

// Keys the widget itself answers besides the key map: a hotkey that comes with task data may never take them.
const FIXED = new Map([
	["escape", "Escape (back to the notebook)"], ["enter", "Enter"], ["tab", "Tab"], [" ", "Space"],
	["delete", "Delete (remove region)"], ["backspace", "Backspace (remove region)"],
	["arrowleft", "arrow keys"], ["arrowright", "arrow keys"], ["arrowup", "arrow keys"], ["arrowdown", "arrow keys"],
	["r", "r (link regions)"],
]);

/**
 * The widget key `spec` would shadow (an action of `keymap`, a digit, Escape, Ctrl+Enter, Tab, region and arrow
 * keys), as text for a message; "" when the key is free. Every Shift variant is tried for keys that ignore Shift.
 * @param {Binding} b
 * @param {KeyMap} keymap
 */
export function widgetKeyOf(b, keymap) {
	if (!b.key) return "an empty key";
	for (const shift of b.shift === null ? [false, true] : [b.shift]) {
		const e = /** @type {KeyboardEvent} */ (/** @type {unknown} */ ({ key: b.key, code: "", ctrlKey: b.ctrl, metaKey: false, altKey: b.alt, shiftKey: shift }));
		const action = keymap.action(e);
		if (action) return `${keymap.label(action === "focus_prev" ? "focus_next" : action) || action} (${action.replace("_", " ")})`;
		if (digitIndex(e) >= 0) return `${b.key} (digits pick options)`;
		if (isSubmitFromField(e)) return "Ctrl+Enter (submit)";
		if (FIXED.has(b.key) && (b.key.startsWith("arrow") || (!b.ctrl && !b.alt))) return /** @type {string} */ (FIXED.get(b.key));
	}
	return "";
}
