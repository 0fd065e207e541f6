// One view of the widget. Rule: exactly one focusable root `div.nblabel` (tabindex 0,
// `data-lm-suppress-shortcuts`) per view; the config is built once per config version and only re-loaded per task;
// painting the next task happens inside the session's "task" event, synchronously; blocking errors show as
// `.nblabel-error`, non-blocking ones as `.nblabel-notice` (messages.js); when the task changes, a text field of the
// reused form gives the keys back to the root, so digits and Enter act on the next task, not on the old text; an
// empty answer of a region-only config needs a second Enter while the hint asking for it is on screen; everything
// this view adds outside its own DOM (document listeners, timers) is removed by `dispose`. In review mode the review
// panel sits above the task and the version it selects is the editable answer: Enter accepts that version exactly as
// it came, or — once the reviewer changed it — the answer on screen ("fix and accept").

import { doubtFor, formatId, skippedBefore } from "./badge.js";
import { buildButtons, paintButtons } from "./buttons.js";
import { handleKeydown } from "./keyboard.js";
import { KeyMap, widgetKeyOf } from "./keys.js";
import { legendFor } from "./legend.js";
import { Messages, offlineText } from "./messages.js";
import { ProgressBar } from "./progress.js";
import { acceptVersion, badgeOf, loadVersion, reject, reviewAction } from "./review_mode.js";
import { ReviewPanel } from "./review_panel.js";
import { expandRepeaters, hasRepeater } from "./render/repeater.js";
import { Form } from "./render/tree.js";
import { h, scrollHome } from "./render/util.js";
import { Stopwatch } from "./stopwatch.js";
import { buildSummary, buildWaiting } from "./summary.js";

/** @typedef {import("./session.js").Session} Session */
/** @typedef {import("./session.js").Change} Change */
/** @typedef {import("./render/tree.js").Control} Control */
/** @typedef {import("./keys.js").Action} Action */

let views = 0;

export class Screen {
	/**
	 * @param {HTMLElement} host  the `el` anywidget gives `render`
	 * @param {Session} session
	 */
	constructor(host, session) {
		this.session = session;
		this.scopeClass = `nblabel-scope-${(++views).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
		this.keymap = new KeyMap(null);
		/** @type {Form|null} */
		this.form = null;
		/** @type {number} index into form.controls of the control digits go to; -1 = the default one */
		this.active = -1;
		/** did the task on screen come with an answer or suggestion to show? (else a late suggestion may replace it) */
		this.paintedPrefill = false;
		this.legendOpen = false;
		/** the answer as loaded for the task on screen (`Form.fingerprint`), null while loading */
		this.loadedAnswer = /** @type {string|null} */ (null);
		this.edited = false;
		/** what a confident suggestion chose that the answer on screen drops (badge.js `doubtFor`) */
		this.doubt = "";
		/** key of the task painted last: focus is reset only when the task changes */
		this.paintedKey = /** @type {string|null} */ (null);
		/** a config with Repeaters: the item counts the form was built for (null: the form fits every task) */
		this.formShape = /** @type {string|null} */ (null);
		/** @type {Set<string>} messages `#reportOnce` already showed */
		this.reported = new Set();

		this.progress = new ProgressBar();
		this.taskId = h("span", { class: "nblabel-task-id" });
		this.badge = h("span", { class: "nblabel-badge", hidden: true });
		this.again = h("span", { class: "nblabel-skipped-before", hidden: true }, "skipped before");
		this.busy = h("span", { class: "nblabel-busy", hidden: true });
		this.taskbar = h("div", { class: "nblabel-taskbar" }, this.taskId, this.badge, this.again, this.busy);
		this.messages = new Messages();
		/** label mode: why a reviewer sent this task back (untrusted: text only) */
		this.note = h("div", { class: "nblabel-review-note", role: "note", hidden: true });
		this.review = new ReviewPanel({
			onSelect: (v) => loadVersion(this, v.result),
			onReject: (comment, annotators) => reject(this, comment, annotators),
			focusRoot: () => this.root.focus({ preventScroll: true }),
		});
		this.body = h("div", { class: "nblabel-body" }, h("div", { class: "nblabel-loading" }, "Loading…"));
		this.bodyToTop = scrollHome(this.body);
		this.hint = h("div", { class: "nblabel-hint", role: "status", "aria-live": "polite" });
		this.buttons = h("div", { class: "nblabel-buttons" });
		this.legend = h("div", { class: "nblabel-legend-host", hidden: true });
		this.card = h("div", { class: "nblabel-card" }, this.taskbar, this.messages.el, this.note, this.review.el, this.body, this.hint);
		this.root = h(
			"div",
			{ class: "nblabel", tabindex: "0", "data-lm-suppress-shortcuts": "true", role: "group", "aria-label": "nblabel labeling widget" },
			this.progress.el,
			this.legend,
			this.card,
			h("div", { class: "nblabel-footer" }, this.buttons, h("span", { class: "nblabel-focus-hint" }, "Click here to label with the keyboard")),
		);
		host.replaceChildren(this.root);
		this.stopwatch = new Stopwatch(this.root);

		this.onKeydown = (/** @type {KeyboardEvent} */ e) => handleKeydown(this, e);
		// keyup too: a host that forwards both halves of a key press (VS Code's output webview) sees neither
		this.onKeyup = (/** @type {KeyboardEvent} */ e) => e.stopPropagation();
		this.onPointerDown = (/** @type {PointerEvent} */ e) => this.#onPointerDown(e);
		this.root.addEventListener("keydown", this.onKeydown);
		this.root.addEventListener("keyup", this.onKeyup);
		this.root.addEventListener("pointerdown", this.onPointerDown);
		this.detach = session.attach((change) => this.#onChange(change));
		if (session.loaded) this.#onChange({ kind: "state", rebuild: true });
	}

	dispose() {
		this.detach();
		this.stopwatch.dispose();
		this.progress.dispose();
		this.root.removeEventListener("keydown", this.onKeydown);
		this.root.removeEventListener("keyup", this.onKeyup);
		this.root.removeEventListener("pointerdown", this.onPointerDown);
		this.root.remove();
	}

	/** @param {Change} change */
	#onChange(change) {
		if (change.kind === "state") {
			this.keymap = new KeyMap(this.session.keys, { review: this.session.mode === "review" });
			if (change.rebuild || !this.form) this.#rebuild();
			this.#paintLegend();
			buildButtons(this.buttons, this.keymap, (action) => this.run(action));
			if (!change.keepDraft || this.#latePrefill()) this.paintTask();
		} else if (change.kind === "task") {
			this.paintTask();
			return; // the session follows with a "status" once the answer is recorded and sent
		}
		this.paintStatus();
	}

	/** A suggestion arrived for the task on screen, painted without one and still unanswered: show it (an empty
	 * draft loses nothing; anything the annotator already did is kept). */
	#latePrefill() {
		const task = this.session.current;
		if (!task || !this.form || this.paintedPrefill || !Array.isArray(task.prefill) || !task.prefill.length) return false;
		return this.form.result().items.length === 0;
	}

	#rebuild() {
		let config = this.session.config;
		this.formShape = null;
		if (config && hasRepeater(config)) {
			// a Repeater's blocks depend on the task: built for the task on screen, rebuilt when the counts change
			const expanded = expandRepeaters(config, this.session.current?.data ?? {});
			config = expanded.tree;
			this.formShape = expanded.shape;
		}
		const fetchMedia = (/** @type {Record<string, any>} */ marker) => this.session.media.fetch(marker);
		const changed = () => {
			this.setHint("");
			this.#answerChanged();
		};
		const opts = {
			remote: this.session.remote,
			widgetKey: (/** @type {import("./keys.js").Binding} */ b) => widgetKeyOf(b, this.keymap),
			report: (/** @type {string} */ message) => this.#reportOnce(message),
		};
		this.form = config ? new Form(config, this.scopeClass, changed, (t) => this.setHint(t), fetchMedia, opts) : null;
		this.form?.regions.listen(() => this.#answerChanged());
		this.active = -1;
	}

	/** A problem with the task data that is worth saying once per view, not on every task. @param {string} message */
	#reportOnce(message) {
		if (this.reported.has(message)) return;
		this.reported.add(message);
		console.warn(`nblabel: ${message}`);
		this.setHint(message);
	}

	/** The legend follows the live key map (state `keys`) and the config's `hotkey`s. */
	#paintLegend() {
		this.legend.replaceChildren(legendFor(this.session.config, this.keymap));
	}

	/** Paint the task on screen (or the summary / waiting note). Called synchronously from keydown on submit. */
	paintTask() {
		const s = this.session;
		const task = s.current;
		// a text field of the last task keeps the caret across the repaint (the form is reused): take it back, so
		// digits and Enter on the next task act on the widget, not on the text
		const focused = document.activeElement;
		const typing = focused !== this.root && this.root.contains(focused);
		if (task?.key !== this.paintedKey) this.bodyToTop(); // a new task starts at its top (no layout read: util.js)
		this.hint.textContent = "";
		this.root.classList.toggle("is-done", !task);
		this.loadedAnswer = null;
		this.edited = false;
		this.doubt = "";
		this.note.hidden = !task?.review_note || Boolean(s.error);
		this.note.textContent = task?.review_note ? String(task.review_note) : ""; // a reviewer's words: text only
		if (s.error || !this.form || !task || s.mode !== "review") this.review.hide(this.form);
		if (s.error || !this.form) {
			this.body.replaceChildren();
			this.taskId.textContent = "";
			this.badge.hidden = this.again.hidden = true;
			this.paintedKey = null;
			return;
		}
		if (!task) {
			this.taskId.textContent = "";
			this.badge.hidden = this.again.hidden = true;
			const keys = { undo: this.keymap.label("undo"), back: this.keymap.label("back"), again: this.keymap.label("label_skipped") };
			this.body.replaceChildren(s.outbox.size || s.answering ? buildWaiting() : buildSummary(s.displayProgress(), keys, () => this.run("label_skipped")));
			if (typing) this.root.focus({ preventScroll: true });
			this.paintedKey = null;
			return;
		}
		if (this.formShape !== null && this.session.config && expandRepeaters(this.session.config, task.data).shape !== this.formShape) {
			this.#rebuild(); // this task repeats a different number of items
		}
		if (!this.form) return;
		if (this.body.firstChild !== this.form.el) this.body.replaceChildren(this.form.el);
		this.form.load(task);
		if (s.mode === "review") this.review.show(task, this.form, this.keymap);
		this.loadedAnswer = this.form.fingerprint();
		this.paintedPrefill = Boolean(task.draft ?? (Array.isArray(task.prefill) && task.prefill.length));
		this.taskId.textContent = `Task ${formatId(task.id)}`;
		this.paintBadge(task);
		this.again.hidden = !skippedBefore(task);
		this.active = -1;
		this.paintActive();
		if (typing && task.key !== this.paintedKey) this.root.focus({ preventScroll: true });
		this.paintedKey = task.key;
		this.stopwatch.restart();
	}

	/** The annotator changed something: the badge stops promising that Enter accepts the suggestion. */
	#answerChanged() {
		const task = this.session.current;
		if (this.loadedAnswer === null || !this.form || !task) return;
		const edited = this.form.fingerprint() !== this.loadedAnswer;
		const doubt = edited ? doubtFor(task, this.form.result().items) : "";
		if (edited === this.edited && doubt === this.doubt) return;
		this.edited = edited;
		this.doubt = doubt;
		this.paintBadge(task);
	}

	/** @param {import("./types.js").Task} task */
	paintBadge(task) {
		const { text, kind } = badgeOf(this, task);
		this.badge.hidden = !text;
		this.badge.textContent = text;
		this.badge.dataset.kind = kind;
	}

	paintStatus() {
		const s = this.session;
		const loading = s.loaded ? null : this.body.querySelector(".nblabel-loading");
		if (loading && s.loadingText) loading.textContent = s.loadingText;
		this.progress.paint(s.displayProgress(), s.outbox.size, Boolean(s.held), s.limit, s.link.lost !== null);
		this.messages.paint(s.error, s.notice, offlineText(s.link.lost, s.waiting));
		this.root.classList.toggle("is-offline", s.link.lost !== null);
		this.busy.hidden = !s.pending;
		this.busy.textContent = s.pending ? `${s.pending}…` : "";
		this.root.classList.toggle("is-pending", Boolean(s.pending));
		this.taskbar.hidden = !s.current && this.busy.hidden;
		const heldHint = s.link.lost
			? `Not connected: this answer cannot be kept (${s.limit} already wait). Re-run the cell.`
			: `Python has not confirmed the last ${s.limit} answers yet; this one goes out as soon as it does.`;
		if (s.held) this.setHint(heldHint);
		else if (this.hint.textContent === heldHint) this.setHint("");
		paintButtons(this.buttons, s);
	}

	/** @param {string} text */
	setHint(text) {
		if (this.hint.textContent !== text) this.hint.textContent = text;
	}

	/** @param {Action|"focus_prev"} action */
	run(action) {
		const s = this.session;
		if (action === "legend") return this.toggleLegend();
		if (action === "focus_next" || action === "focus_prev") return this.moveActive(action === "focus_next" ? 1 : -1);
		if (action === "submit") return this.submit();
		if (action === "reject" || action === "next_version" || action === "prev_version" || action === "overlays") return reviewAction(this, action);
		if (action === "label_skipped") {
			if (!s.current && !s.outbox.size && (s.progress?.skipped ?? 0) > 0) s.request("label_skipped");
			return;
		}
		if (action === "skip") {
			if (s.current && !s.error) s.answer("skip", undefined, this.stopwatch.seconds());
			return;
		}
		const allowed = action === "back" ? s.flags.can_back || s.outbox.size > 0 : action === "undo" ? s.flags.can_undo || s.outbox.size > 0 : s.flags.can_redo;
		if (!allowed) return this.setHint(`Nothing to ${action === "back" ? "go back to" : action}.`);
		s.request(action);
	}

	submit() {
		const s = this.session;
		const task = s.current;
		if (!task || !this.form || s.error || s.pending) return;
		if (this.form.unsupported.length) {
			const tags = [...new Set(this.form.unsupported)].map((t) => `<${t}>`).join(", ");
			return this.setHint(`Submitting is disabled: ${tags} not supported yet. Press ${this.keymap.label("skip") || "skip"} to skip.`);
		}
		if (acceptVersion(this)) return;
		const { items, missing } = this.form.result();
		if (missing.length) return this.setHint(`Required: ${missing.join(", ")}.`);
		if (!items.length && this.form.regionOnly()) {
			// no regions is a real answer (a sentence without entities), but never one given by a stray key press:
			// the first press says what a second one will do, and only while that is on screen does it submit
			const confirm = `No regions marked. Press ${this.keymap.label("submit") || "submit"} again to submit with no regions.`;
			if (this.hint.textContent !== confirm) return this.setHint(confirm);
		} else if (!items.length && !task.prefill?.length) {
			return this.setHint(`Nothing selected yet — pick with 1–9 or a click, or press ${this.keymap.label("skip") || "skip"} to skip.`);
		}
		s.answer("submit", items, this.stopwatch.seconds());
	}

	/**
	 * Escape on the root: blur it and give the keys back to the host — JupyterLab / Notebook 7 take command-mode
	 * keys on the focused `.jp-Notebook` node; elsewhere the nearest focusable ancestor, if any.
	 */
	leave() {
		this.root.blur();
		const parent = this.root.parentElement;
		const host = parent?.closest(".jp-Notebook") ?? parent?.closest("[tabindex]");
		if (host instanceof HTMLElement) host.focus({ preventScroll: true });
	}

	/** Escape in a text field: the keys go back to the root, and digits to a control that takes them (not the field). */
	leaveField() {
		this.root.focus({ preventScroll: true });
		const chosen = this.form?.controls[this.active];
		if (chosen && !chosen.optionCount && chosen.tag !== "Number") {
			this.active = -1;
			this.paintActive();
		}
	}

	toggleLegend() {
		this.legendOpen = !this.legendOpen;
		this.legend.hidden = !this.legendOpen;
		this.root.classList.toggle("is-legend-open", this.legendOpen);
	}

	/** The control digits go to: the activated one, else the first visible control that takes digits. */
	activeControl() {
		const visible = this.form?.visibleControls() ?? [];
		const chosen = this.form?.controls[this.active];
		if (chosen && visible.includes(chosen)) return chosen;
		return visible.find((c) => c.optionCount > 0 || c.tag === "Number") ?? visible[0] ?? null;
	}

	paintActive() {
		const current = this.activeControl();
		for (const c of this.form?.controls ?? []) c.el.classList.toggle("is-active", c === current);
	}

	/** @param {number} step  +1 / -1 */
	moveActive(step) {
		const visible = this.form?.visibleControls() ?? [];
		if (!visible.length || !this.form) return;
		const at = visible.indexOf(/** @type {Control} */ (this.activeControl()));
		const next = visible[(at + step + visible.length) % visible.length];
		this.active = this.form.controls.indexOf(next);
		this.paintActive();
		if (next.field) next.field.focus();
		else if (document.activeElement !== this.root) this.root.focus({ preventScroll: true });
		next.el.scrollIntoView?.({ block: "nearest" });
	}

	/**
	 * Pointer down inside the widget: clicking a button, an option or a star keeps the keyboard on the root (a focused
	 * button would turn a later Space into a click), and clicking a control makes it the active one.
	 * @param {PointerEvent} e
	 */
	#onPointerDown(e) {
		const target = e.target;
		if (!(target instanceof Element)) return;
		if (target.closest("button, .nblabel-option, .nblabel-star")) {
			e.preventDefault();
			if (document.activeElement !== this.root) this.root.focus({ preventScroll: true });
		}
		this.#activateFrom(target);
	}

	/** @param {Element} target */
	#activateFrom(target) {
		if (!this.form) return;
		const el = target.closest("[data-control]");
		if (!el) return;
		const i = Number(el.getAttribute("data-control"));
		if (i !== this.active) {
			this.active = i;
			this.paintActive();
		}
	}
}
