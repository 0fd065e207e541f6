// One view of the widget. Rule: exactly one focusable root `div.nblabel` (tabindex 0,
// `data-lm-suppress-shortcuts`) per view; the config is built once per config version and only re-loaded per task;
// painting the next task happens inside the session's "task" event, synchronously; blocking errors show as
// `.nblabel-error`, non-blocking ones as `.nblabel-notice`; everything this view adds outside its own DOM (document
// listeners, timers) is removed by `dispose`.

import { buildButtons, paintButtons } from "./buttons.js";
import { handleKeydown } from "./keyboard.js";
import { KeyMap, widgetKeyOf } from "./keys.js";
import { buildLegend, TAG_KEYS } from "./legend.js";
import { ProgressBar } from "./progress.js";
import { Form } from "./render/tree.js";
import { attr, descendants, h } from "./render/util.js";
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
		/** @type {Set<string>} messages `#reportOnce` already showed */
		this.reported = new Set();

		this.progress = new ProgressBar();
		this.taskId = h("span", { class: "nblabel-task-id" });
		this.badge = h("span", { class: "nblabel-badge", hidden: true });
		this.busy = h("span", { class: "nblabel-busy", hidden: true });
		this.taskbar = h("div", { class: "nblabel-taskbar" }, this.taskId, this.badge, this.busy);
		this.messages = h("div", { class: "nblabel-messages" });
		this.body = h("div", { class: "nblabel-body" }, h("div", { class: "nblabel-loading" }, "Loading…"));
		this.hint = h("div", { class: "nblabel-hint", role: "status", "aria-live": "polite" });
		this.buttons = h("div", { class: "nblabel-buttons" });
		this.legend = h("div", { class: "nblabel-legend-host", hidden: true });
		this.card = h("div", { class: "nblabel-card" }, this.taskbar, this.messages, this.body, this.hint);
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
		this.onPointerDown = (/** @type {PointerEvent} */ e) => this.#onPointerDown(e);
		this.root.addEventListener("keydown", this.onKeydown);
		this.root.addEventListener("pointerdown", this.onPointerDown);
		this.detach = session.attach((change) => this.#onChange(change));
		if (session.loaded) this.#onChange({ kind: "state", rebuild: true });
	}

	dispose() {
		this.detach();
		this.stopwatch.dispose();
		this.root.removeEventListener("keydown", this.onKeydown);
		this.root.removeEventListener("pointerdown", this.onPointerDown);
		this.root.remove();
	}

	/** @param {Change} change */
	#onChange(change) {
		if (change.kind === "state") {
			this.keymap = new KeyMap(this.session.keys);
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
		const config = this.session.config;
		const fetchMedia = (/** @type {Record<string, any>} */ marker) => this.session.media.fetch(marker);
		const opts = {
			remote: this.session.remote,
			widgetKey: (/** @type {import("./keys.js").Binding} */ b) => widgetKeyOf(b, this.keymap),
			report: (/** @type {string} */ message) => this.#reportOnce(message),
		};
		this.form = config ? new Form(config, this.scopeClass, () => this.setHint(""), (t) => this.setHint(t), fetchMedia, opts) : null;
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
		const config = this.session.config;
		const controls = config ? ["Choices", "Labels", "HyperTextLabels", "ParagraphLabels"].flatMap((t) => descendants(config, t)) : [];
		const hotkeys = config
			? controls.flatMap((c) =>
					[...descendants(c, "Choice"), ...descendants(c, "Label")]
						.filter((o) => attr(o, "hotkey"))
						.map((o) => ({ control: attr(c, "name") ?? "", option: attr(o, "value") ?? "", key: attr(o, "hotkey") ?? "" })),
				)
			: [];
		const spans = controls.some((c) => c.tag !== "Choices");
		const tags = config ? [...TAG_KEYS.keys()].filter((t) => descendants(config, t).length) : [];
		this.legend.replaceChildren(buildLegend(this.keymap, hotkeys, { spans, relations: Boolean(config && descendants(config, "Relations").length), tags }));
	}

	/** Paint the task on screen (or the summary / waiting note). Called synchronously from keydown on submit. */
	paintTask() {
		const s = this.session;
		const task = s.current;
		this.hint.textContent = "";
		this.root.classList.toggle("is-done", !task);
		if (s.error || !this.form) {
			this.body.replaceChildren();
			this.taskId.textContent = "";
			this.badge.hidden = true;
			return;
		}
		if (!task) {
			this.taskId.textContent = "";
			this.badge.hidden = true;
			const keys = { undo: this.keymap.label("undo"), back: this.keymap.label("back") };
			this.body.replaceChildren(s.outbox.size ? buildWaiting() : buildSummary(s.displayProgress(), keys));
			return;
		}
		if (this.body.firstChild !== this.form.el) this.body.replaceChildren(this.form.el);
		this.form.load(task);
		this.paintedPrefill = Boolean(task.draft ?? (Array.isArray(task.prefill) && task.prefill.length));
		this.taskId.textContent = `Task ${formatId(task.id)}`;
		this.#paintBadge(task);
		this.active = -1;
		this.paintActive();
		this.stopwatch.restart();
	}

	/** @param {import("./types.js").Task} task */
	#paintBadge(task) {
		let text = "";
		let kind = "";
		if (task.draft) [text, kind] = ["your refused answer — fix and resubmit", "draft"];
		else if (task.refused) [text, kind] = [task.refused, "refused"];
		else if (task.prefill_from === "annotation") [text, kind] = ["your earlier answer", "annotation"];
		else if (task.prefill_from === "prediction" && task.prefill?.length) {
			const p = task.prediction;
			const bits = [p?.model_version, typeof p?.score === "number" ? `score ${p.score.toFixed(2)}` : ""].filter(Boolean);
			[text, kind] = [`suggestion${bits.length ? ` · ${bits.join(" · ")}` : ""} — ⏎ accepts`, "prediction"];
		}
		this.badge.hidden = !text;
		this.badge.textContent = text;
		this.badge.dataset.kind = kind;
	}

	paintStatus() {
		const s = this.session;
		const loading = s.loaded ? null : this.body.querySelector(".nblabel-loading");
		if (loading && s.loadingText) loading.textContent = s.loadingText;
		this.progress.paint(s.displayProgress(), s.outbox.size, Boolean(s.held), s.limit);
		this.#paintMessages(s.error, s.notice);
		this.busy.hidden = !s.pending;
		this.busy.textContent = s.pending ? `${s.pending}…` : "";
		this.root.classList.toggle("is-pending", Boolean(s.pending));
		this.taskbar.hidden = !s.current && this.busy.hidden;
		const heldHint = `Python has not confirmed the last ${s.limit} answers yet; this one goes out as soon as it does.`;
		if (s.held) this.setHint(heldHint);
		else if (this.hint.textContent === heldHint) this.setHint("");
		paintButtons(this.buttons, s);
	}

	/**
	 * Present only while there is something to say, so `.nblabel-error` in the DOM always means a visible error.
	 * @param {string|null} error   blocking (from the state message)
	 * @param {string|null} notice  non-blocking
	 */
	#paintMessages(error, notice) {
		const key = JSON.stringify([error, notice]);
		if (this.messages.dataset.shown === key) return;
		this.messages.dataset.shown = key;
		this.messages.replaceChildren(
			...(error ? [h("div", { class: "nblabel-error nblabel-blocking", role: "alert" }, error)] : []),
			...(notice ? [h("div", { class: "nblabel-notice", role: "status" }, notice)] : []),
		);
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
		const { items, missing } = this.form.result();
		if (missing.length) return this.setHint(`Required: ${missing.join(", ")}.`);
		if (!items.length && !task.prefill?.length) {
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

/** @param {any} id @returns {string} */
function formatId(id) {
	if (Array.isArray(id)) return `(${id.map(formatId).join(", ")})`;
	return typeof id === "string" ? id : JSON.stringify(id);
}
