// The key legend. Rule: every key the widget answers to is listed here, built from the live key map (so `keys=`
// overrides show up) plus the fixed keys and the config's own `hotkey`s; `?` toggles it, Escape closes it.

import { ACTION_LABELS, prettyKey, REVIEW_SUBMIT_LABEL } from "./keys.js";
import { attr, descendants, h } from "./render/util.js";

/** @typedef {import("./keys.js").KeyMap} KeyMap */
/** @typedef {import("./keys.js").Action} Action */

/** @type {Map<string, [string, string][]>} keys of object tags (Audio, Video, Image…), registered by their modules */
export const TAG_KEYS = new Map();

/** An object module lists its keys for the legend (shown when the config has that tag). @param {string} tag @param {[string, string][]} rows */
export function registerKeys(tag, rows) {
	TAG_KEYS.set(tag, rows);
}

/** @type {Action[]} */
const ORDER = ["submit", "next_version", "prev_version", "overlays", "reject", "skip", "label_skipped", "back", "undo", "redo", "focus_next", "legend"];

/**
 * @param {KeyMap} keymap
 * @param {{control: string, option: string, key: string}[]} hotkeys  config `hotkey` attributes
 * @param {{spans?: boolean, relations?: boolean, tags?: string[]}} [has]  the config labels spans / has relations / its tags with keys
 * @returns {HTMLElement}
 */
export function buildLegend(keymap, hotkeys, has = {}) {
	/** @type {[string, string][]} */
	const rows = [["1 … 9, 0", "Pick an option in the active control (never submits)"]];
	for (const action of ORDER) {
		const key = keymap.label(action);
		const what = action === "submit" && keymap.review ? REVIEW_SUBMIT_LABEL : ACTION_LABELS[action];
		if (key) rows.push([action === "focus_next" ? `${key} / ⇧${key}` : key, what]);
	}
	rows.push(
		["Ctrl+⏎ / ⌘+⏎", "Submit, also from inside a text field"],
		["Esc", "Leave the text field; again: hand the keys back to the notebook"],
		["Click", "Pick an option or activate a control"],
	);
	if (keymap.review) rows.push(["Click a version", "Load it as the answer (an annotator's row too)"]);
	if (has.spans) {
		rows.push(
			["Drag", "Select text; then a label key (or click a label) labels it"],
			["⇧→ / ⇧←", "Keyboard selection: grow / shrink by a word"],
			["Alt+→ / Alt+←", "Keyboard selection: move to the next / previous word"],
			["Del / ⌫", "Delete the selected region (click a region to select it)"],
		);
		if (has.relations) rows.push(["r", "Link the selected region: then click the other region"]);
	}
	for (const [tag, keys] of TAG_KEYS) if (has.tags?.includes(tag)) rows.push(...keys);
	for (const hk of hotkeys) rows.push([prettyKey(hk.key), `${hk.option} (${hk.control})`]);
	// plain divs, not <dl>: host pages (JupyterLab's rendered-HTML styles) restyle dl/dt/dd
	const list = h("div", { class: "nblabel-legend-list", role: "list" });
	for (const [key, what] of rows) {
		list.append(
			h(
				"div",
				{ class: "nblabel-legend-row", role: "listitem" },
				h("span", { class: "nblabel-legend-key" }, h("kbd", null, key)),
				h("span", { class: "nblabel-legend-what" }, what),
			),
		);
	}
	return h(
		"div",
		{ class: "nblabel-legend", role: "dialog", "aria-label": "Keyboard shortcuts" },
		h("div", { class: "nblabel-legend-title" }, "Keys"),
		list,
		h("div", { class: "nblabel-legend-foot" }, "Keys work while the widget has focus (blue ring). Press ? to close."),
	);
}

/**
 * The legend of a config: the key map plus the config's own `hotkey`s and the keys of the tags it uses.
 * @param {import("./types.js").ConfigNode|null} config
 * @param {KeyMap} keymap
 * @returns {HTMLElement}
 */
export function legendFor(config, keymap) {
	const controls = config ? ["Choices", "Labels", "HyperTextLabels", "ParagraphLabels"].flatMap((t) => descendants(config, t)) : [];
	const hotkeys = controls.flatMap((c) =>
		[...descendants(c, "Choice"), ...descendants(c, "Label")]
			.filter((o) => attr(o, "hotkey"))
			.map((o) => ({ control: attr(c, "name") ?? "", option: attr(o, "value") ?? "", key: attr(o, "hotkey") ?? "" })),
	);
	const spans = controls.some((c) => c.tag !== "Choices");
	const tags = config ? [...TAG_KEYS.keys()].filter((t) => descendants(config, t).length) : [];
	return buildLegend(keymap, hotkeys, { spans, relations: Boolean(config && descendants(config, "Relations").length), tags });
}
