// The review panel (review mode), above the task: one row per annotator (their colour, name, and a summary of their
// answer per control), the toggles of the regions drawn on the task (review_overlays.js), the version bar
// ("Consensus" or "Ground truth", then each annotator) and the inline reject box. Rules:
// - the version selected is the one loaded into the editable answer (`onSelect`); `]` / `[` and a click select;
// - reject targets the selected annotator's answer, or every answer while the consensus is selected;
// - the reject box takes the keys while it has focus: Enter confirms, Escape cancels (both stop here, so the root
//   never turns that Enter into an accept);
// - every annotator's regions are drawn on the task in their colour, under the editable answer; text answers are
//   shown side by side under the field;
// - names, labels and texts come from other people's answers: text only (review_summary.js), never HTML.

import { OverlayToggles } from "./review_overlays.js";
import { chose, Colors, dot, nameChip, shortName, summarize } from "./review_summary.js";
import { h } from "./render/util.js";

/** @typedef {import("./types.js").Task} Task */
/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./render/tree.js").Form} Form */
/** @typedef {import("./keys.js").KeyMap} KeyMap */

/**
 * One answer the reviewer can take: the consensus / ground truth (annotator null) or an annotator's.
 * @typedef {{label: string, annotator: string|null, result: ResultItem[]}} Version
 */

/**
 * @typedef {object} PanelHooks
 * @property {(v: Version) => void} onSelect   load this version into the editable answer
 * @property {(comment: string, annotators: string[]) => void} onReject
 * @property {() => void} focusRoot   give the keys back to the widget root
 */

export class ReviewPanel {
	/** @param {PanelHooks} hooks */
	constructor(hooks) {
		this.hooks = hooks;
		this.colors = new Colors();
		/** @type {Version[]} */
		this.versions = [];
		this.selected = 0;
		/** the selected version is on screen exactly as loaded (false while a refused draft is shown) */
		this.loaded = false;
		this.active = false;
		this.rows = h("div", { class: "nblabel-review-answers", role: "list", "aria-label": "Answers to review" });
		this.bar = h("div", { class: "nblabel-versions", role: "toolbar", "aria-label": "Versions" });
		this.prompt = h("span", { class: "nblabel-reject-prompt" });
		this.comment = h("input", {
			type: "text", class: "nblabel-reject-comment", maxlength: "2000", "aria-label": "Why is it rejected? (optional)",
			placeholder: "Why? (optional)",
		});
		this.rejectBox = h("div", { class: "nblabel-reject", hidden: true }, this.prompt, this.comment,
			h("span", { class: "nblabel-reject-keys" }, h("kbd", null, "⏎"), " reject ", h("kbd", null, "Esc"), " cancel"));
		/** @type {Form|null} */
		this.form = null;
		this.overlays = new OverlayToggles((sources) => this.form?.regions.overlay(sources));
		this.el = h("div", { class: "nblabel-review", hidden: true }, this.rows, this.overlays.el, this.bar, this.rejectBox);
		this.comment.addEventListener("keydown", (e) => this.#onCommentKey(e));
	}

	/**
	 * Show the answers of `task` and select its consensus (or, for a refused draft, mark the form as not showing a
	 * version as it came). @param {Task} task @param {Form} form @param {KeyMap} keymap
	 */
	show(task, form, keymap) {
		const answers = Array.isArray(task.answers) ? task.answers : [];
		const base = task.prefill_from === "ground_truth" ? "Ground truth" : "Consensus";
		this.versions = [
			{ label: base, annotator: null, result: Array.isArray(task.prefill) ? task.prefill : [] },
			...answers.map((a) => ({ label: String(a.annotator), annotator: String(a.annotator), result: Array.isArray(a.result) ? a.result : [] })),
		];
		this.selected = 0;
		this.loaded = !task.draft;
		this.active = true;
		this.el.hidden = false;
		this.closeReject();
		this.rows.replaceChildren(...this.versions.slice(1).map((v, i) => this.#row(v, i + 1, form)));
		if (!answers.length) this.rows.append(h("div", { class: "nblabel-review-none" }, "No answers from other annotators."));
		this.#paintBar(keymap);
		this.#paintSelected();
		for (const c of form.controls) {
			c.voters?.((out, value) => this.versions.slice(1)
				.filter((v) => chose(v.result, c.name, out, value))
				.map((v) => nameChip(v.label, this.colors.of(v.label))));
			c.beside?.(answers.length ? this.versions.slice(1).map((v) => ({ who: v.label, color: this.colors.of(v.label), texts: textsOf(v.result, c.name) })) : null);
		}
		this.form = form;
		const store = form.regions;
		const drawable = [...store.objects.values()].some((o) => o.overlay && store.objectTargeted(o.name));
		this.overlays.show(this.versions.slice(1).map((v) => ({ who: v.label, slot: this.colors.slotOf(v.label), color: this.colors.of(v.label), result: v.result })),
			drawable, keymap.label("overlays"));
	}

	/** Leave review mode: no panel, no voter chips. @param {Form|null} form */
	hide(form) {
		if (!this.active) return;
		this.active = false;
		this.el.hidden = true;
		this.closeReject();
		this.overlays.clear();
		for (const c of form?.controls ?? []) {
			c.voters?.(null);
			c.beside?.(null);
		}
	}

	/** @param {Version} v @param {number} i @param {Form} form */
	#row(v, i, form) {
		const row = h("div", { class: "nblabel-review-row", role: "listitem", "data-annotator": v.label },
			dot(this.colors.of(v.label)), h("span", { class: "nblabel-review-name", title: v.label }, v.label),
			h("span", { class: "nblabel-review-fields" }, ...summarize(form.controls, v.result)));
		row.addEventListener("click", () => this.select(i));
		return row;
	}

	/** @param {KeyMap} keymap */
	#paintBar(keymap) {
		const buttons = this.versions.map((v, i) => {
			const b = h("button", { type: "button", tabindex: "-1", class: "nblabel-version", "data-version": String(i), "aria-pressed": "false" },
				v.annotator === null ? null : dot(this.colors.of(v.label)), h("span", { class: "nblabel-version-name" }, v.label));
			b.addEventListener("click", () => this.select(i));
			return b;
		});
		const prev = keymap.label("prev_version");
		const next = keymap.label("next_version");
		const reject = h("button", { type: "button", tabindex: "-1", class: "nblabel-button nblabel-reject-open", "data-action": "reject" },
			"Reject…", keymap.label("reject") ? h("kbd", null, keymap.label("reject")) : null);
		reject.addEventListener("click", () => this.openReject());
		const keys = h("span", { class: "nblabel-versions-keys", hidden: !prev && !next }, prev ? h("kbd", null, prev) : null, next ? h("kbd", null, next) : null);
		this.bar.replaceChildren(h("span", { class: "nblabel-versions-title" }, "Version"), ...buttons, keys, h("span", { class: "nblabel-versions-gap" }), reject);
	}

	#paintSelected() {
		this.bar.querySelectorAll(".nblabel-version").forEach((b, i) => {
			b.setAttribute("aria-pressed", String(i === this.selected));
			b.classList.toggle("is-selected", i === this.selected);
		});
		const name = this.versions[this.selected]?.annotator ?? null;
		this.rows.querySelectorAll(".nblabel-review-row").forEach((r, i) => r.classList.toggle("is-selected", i + 1 === this.selected));
		this.el.dataset.selected = name ?? "";
		this.prompt.textContent = `${this.rejectText()}:`;
	}

	/** The version selected. */
	get current() {
		return this.versions[this.selected] ?? null;
	}

	/** Whose answers a reject now targets. */
	targets() {
		const v = this.current;
		return v?.annotator != null ? [v.annotator] : this.versions.slice(1).map((x) => /** @type {string} */ (x.annotator));
	}

	rejectText() {
		const who = this.targets();
		return who.length === 1 ? `Reject ${shortName(who[0])}'s answer` : `Reject all ${who.length} answers`;
	}

	/** Select version `i` and load it into the answer. @param {number} i */
	select(i) {
		if (!this.active || i < 0 || i >= this.versions.length) return;
		this.selected = i;
		this.loaded = true;
		this.#paintSelected();
		this.hooks.onSelect(this.versions[i]);
	}

	/** The overlay key: all answers drawn → each annotator's alone → none → all. */
	cycleOverlays() {
		if (this.active) this.overlays.cycle();
	}

	/** `]` / `[`: the next / previous version, wrapping around. @param {number} step */
	cycle(step) {
		const n = this.versions.length;
		if (n) this.select((this.selected + step + n) % n);
	}

	get rejecting() {
		return !this.rejectBox.hidden;
	}

	openReject() {
		if (!this.active || !this.targets().length) return;
		this.rejectBox.hidden = false;
		this.el.classList.add("is-rejecting");
		this.comment.focus({ preventScroll: true });
	}

	closeReject() {
		if (document.activeElement === this.comment) this.hooks.focusRoot(); // a hidden field must not keep the keys
		this.rejectBox.hidden = true;
		this.el.classList.remove("is-rejecting");
		this.comment.value = "";
	}

	/** @param {KeyboardEvent} e */
	#onCommentKey(e) {
		if (e.isComposing || (e.key !== "Enter" && e.key !== "Escape")) return;
		e.preventDefault();
		e.stopPropagation(); // the root would take Enter for an accept and Escape for leaving the field
		const comment = this.comment.value.trim();
		const who = this.targets();
		this.closeReject();
		if (e.key === "Enter") this.hooks.onReject(comment, who);
	}
}

/** An answer's texts for TextArea `name`. @param {ResultItem[]} result @param {string} name @returns {string[]} */
function textsOf(result, name) {
	return result.filter((it) => it?.from_name === name).flatMap((it) => {
		const t = it.value?.text;
		return Array.isArray(t) ? t.map((x) => String(x)) : typeof t === "string" ? [t] : [];
	});
}
