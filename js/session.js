// The local task window of one widget model and the message flow with Python (docs/DESIGN.md "Widget messages",
// shapes in protocol.js). Rules:
// - `window[0]` is the task on screen, the rest are prefetched; on submit/skip the next task is shifted in and every
//   view is told to paint it synchronously — before the message is written to the outbox (and localStorage, so a
//   reload right after the key press loses nothing) and sent, in the key press: a submit is on its way the moment
//   the key is handled, and the outbox limit counts what was really sent;
// - the browser never runs more than LIMIT submits ahead of the last ack: the next submit is *held* (the task stays,
//   the UI says why) and goes out by itself when an ack makes room;
// - `state` resets everything (and re-sends the outbox); `ack` merges Python's queue behind the task on screen,
//   dropping keys still in the outbox; `nack` returns to the refused task with its result as a draft;
// - undo / redo / back / goto are requests: the session is `pending` until the `state` (or failure `notice`) whose
//   `re` names that request. Any other state — unsolicited, or answering another view's hello — never settles it,
//   and keeps the annotator's draft when the task on screen stays the same.

import { hideStaticCard } from "./fallback.js";
import { Link } from "./link.js";
import { MediaCache } from "./media_cache.js";
import { LIMIT, Outbox } from "./outbox.js";
import { answer, goto, hello, navigate } from "./protocol.js";
import { remotePolicy } from "./render/remote.js";

/** @typedef {import("./types.js").Task} Task */
/** @typedef {import("./types.js").ConfigNode} ConfigNode */
/** @typedef {import("./types.js").Progress} Progress */
/** @typedef {import("./protocol.js").StateMsg} StateMsg */
/** @typedef {import("./protocol.js").AckMsg} AckMsg */
/** @typedef {import("./protocol.js").NackMsg} NackMsg */
/** @typedef {import("./protocol.js").NoticeMsg} NoticeMsg */
/** @typedef {import("./types.js").OutboxEntry} OutboxEntry */
/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").Model} Model */
/** @typedef {import("./protocol.js").Review} Review */

/**
 * What changed, for the views: "state" (maybe a new config), "task" (a new task on screen), "status" (progress,
 * saving mark, messages only).
 * @typedef {{kind: "state"|"task"|"status", rebuild?: boolean, keepDraft?: boolean}} Change
 */

/** No answer to a request after this long → unblock and say so. */
const REQUEST_TIMEOUT_MS = 15000;
/** An unacked entry is re-sent after this long (covers a comm that dropped messages while reconnecting). */
const RESEND_AFTER_MS = 10000;

export class Session {
	/** @param {Model} model */
	constructor(model) {
		this.model = model;
		/** whether Python is still there (link.js); every message to Python goes through it */
		this.link = new Link(model, () => this.emit({ kind: "status" }));
		this.outbox = new Outbox();
		/** local media of the window (blob URLs), see media_cache.js */
		this.media = new MediaCache({ send: (content) => this.link.send(content) });
		/** @type {ConfigNode|null} */
		this.config = null;
		this.configText = "";
		/** @type {import("./render/remote.js").RemotePolicy} what task HTML and config styles may load (Labeler `remote=`) */
		this.remote = "media";
		/** @type {string|null} */
		this.error = null;
		/** @type {Record<string, string|string[]>} */
		this.keys = {};
		/** @type {"label"|"review"} review: tasks carry other annotators' answers, a submit accepts or rejects them */
		this.mode = "label";
		/** @type {Task[]} */
		this.window = [];
		/** @type {Progress|null} */
		this.progress = null;
		this.flags = { can_undo: false, can_redo: false, can_back: false };
		this.loaded = false;
		/** @type {string|null} the request waiting for its `state` ("undo", "back", …) */
		this.pending = null;
		/** @type {string|null} the id of that request: only a message whose `re` names it answers it */
		this.pendingId = null;
		/** @type {{type: "submit"|"skip", result?: ResultItem[], lead_time: number, key: string, review?: Review}|null} */
		this.held = null;
		/** true while the task after an answer paints: that answer waits, though it enters the outbox just after */
		this.answering = false;
		/** @type {string|null} a non-blocking message (notice / nack / timeout) */
		this.notice = null;
		/** @type {string|null} what Python is busy with before the first state ("Loading the model …") */
		this.loadingText = null;
		/** @type {Set<(change: Change) => void>} */
		this.views = new Set();
		/** @type {Map<string, number>} outbox entry id → last send time */
		this.sentAt = new Map();
		/** @type {ReturnType<typeof setTimeout>|null} */
		this.requestTimer = null;
		/** @type {ReturnType<typeof setInterval>|null} */
		this.resendTimer = null;
	}

	/** @param {(change: Change) => void} view @returns {() => void} detach */
	attach(view) {
		this.views.add(view);
		return () => this.views.delete(view);
	}

	dispose() {
		if (this.requestTimer) clearTimeout(this.requestTimer);
		if (this.resendTimer) clearInterval(this.resendTimer);
		this.requestTimer = this.resendTimer = null;
		this.link.dispose();
		this.views.clear();
		this.media.dispose();
	}

	/** @param {Change} change */
	emit(change) {
		this.media.sync(this.window, this.config); // revoke media of tasks that left, prefetch the window's
		for (const view of this.views) view(change);
	}

	get current() {
		return this.window[0] ?? null;
	}

	hello() {
		this.link.send(hello());
	}

	/** Every message from Python, before it is applied (the link counts answers). */
	heard() {
		this.link.heard();
	}

	/** Answers waiting for Python: the outbox and a held submit. */
	get waiting() {
		return this.outbox.size + (this.held ? 1 : 0);
	}

	/** Whether `re` (of a Python message) names the request waiting for its answer. @param {string|null} re */
	#answers(re) {
		return this.pendingId !== null && re === this.pendingId;
	}

	/** A non-blocking message; with `re` naming the pending request it also answers it (it failed in Python). @param {NoticeMsg} msg */
	applyNotice(msg) {
		this.notice = String(msg.message ?? "");
		if (this.#answers(msg.re)) this.#settle();
		this.emit({ kind: "status" });
	}

	/** Python says what it does before its first state (a model loading…). @param {import("./protocol.js").LoadingMsg} msg */
	applyLoading(msg) {
		this.loadingText = String(msg.message ?? "");
		this.emit({ kind: "status" });
	}

	/** @param {StateMsg} msg */
	applyState(msg) {
		const answered = this.#answers(msg.re);
		if (answered) this.#settle();
		const configText = JSON.stringify(msg.config ?? null);
		const remote = remotePolicy(msg.remote);
		const rebuild = configText !== this.configText || remote !== this.remote;
		this.remote = remote;
		if (rebuild) {
			this.config = msg.config ?? null;
			this.configText = configText;
		}
		this.loaded = true;
		hideStaticCard(msg.view_token);
		this.error = msg.error ?? null;
		this.keys = msg.keys ?? {};
		this.mode = msg.mode === "review" ? "review" : "label";
		this.progress = msg.progress ?? null;
		this.#flags(msg);
		if (msg.notice) this.notice = msg.notice;
		const resend = !msg.error && msg.outbox_key ? this.outbox.attach(msg.outbox_key) : [];
		const waiting = this.outbox.keys();
		const before = this.current?.key;
		this.window = (Array.isArray(msg.tasks) ? msg.tasks : []).filter((t) => !waiting.has(t.key));
		this.held = null;
		const keepDraft = !answered && !rebuild && before !== undefined && before === this.current?.key;
		this.emit({ kind: "state", rebuild, keepDraft });
		for (const entry of resend) this.#send(entry);
	}

	/** @param {AckMsg} msg */
	applyAck(msg) {
		this.outbox.remove(msg.re);
		this.sentAt.delete(msg.re);
		if (msg.progress) this.progress = msg.progress;
		this.#flags(msg);
		const shown = this.current;
		if (Array.isArray(msg.window)) {
			const waiting = this.outbox.keys();
			const fresh = msg.window.filter((t) => !waiting.has(t.key) && t.key !== shown?.key);
			this.window = shown ? [shown, ...fresh] : fresh;
		}
		if (this.held && this.current?.key !== this.held.key) this.held = null; // its task is gone
		if (this.held && !this.outbox.full) {
			const { type, result, lead_time, review } = this.held;
			this.held = null;
			this.answer(type, result, lead_time, review); // the waiting submit goes out now (paints, sends, emits)
			return;
		}
		if (!shown) this.emit({ kind: "task" }); // "waiting" becomes the next task, or the summary
		this.emit({ kind: "status" });
	}

	/** @param {NackMsg} msg */
	applyNack(msg) {
		const entry = this.outbox.remove(msg.re);
		this.sentAt.delete(msg.re);
		this.notice = `Not saved: ${msg.message ?? "Python refused this answer"}`;
		this.held = null;
		if (entry?.task) {
			const back = { ...entry.task, draft: entry.type === "submit" && !entry.review ? entry.result : undefined };
			this.window = [back, ...this.window.filter((t) => t.key !== entry.key)];
			this.emit({ kind: "task" });
		}
		this.emit({ kind: "status" });
	}

	/** @param {Partial<typeof this.flags>} msg */
	#flags(msg) {
		for (const k of /** @type {const} */ (["can_undo", "can_redo", "can_back"])) {
			if (typeof msg[k] === "boolean") this.flags[k] = msg[k];
		}
	}

	/**
	 * Submit (result) or skip the task on screen. Paints the next task first, then records and sends.
	 * @param {"submit"|"skip"} type
	 * @param {ResultItem[]|undefined} result
	 * @param {number} leadTime  seconds
	 * @param {Review} [review]  a reviewer's reject (a submit with an empty result)
	 * @returns {"sent"|"held"|"busy"}
	 */
	answer(type, result, leadTime, review) {
		const task = this.current;
		if (!task || this.pending) return "busy";
		const lead_time = Math.round(leadTime * 1000) / 1000;
		if (this.outbox.full) {
			this.held = { type, result, lead_time, key: task.key, review };
			this.emit({ kind: "status" });
			return "held";
		}
		this.window.shift();
		this.notice = null;
		// paint before anything else; the view counts this answer as waiting though it is not in the outbox yet
		this.answering = true;
		try {
			this.emit({ kind: "task" });
		} finally {
			this.answering = false;
		}
		/** @type {OutboxEntry} */
		const entry = { ...answer(type, task.key, result, lead_time, review), task, at: Date.now() };
		this.outbox.add(entry);
		this.#send(entry);
		this.emit({ kind: "status" });
		return "sent";
	}

	/** @param {OutboxEntry} entry */
	#send(entry) {
		// the message exactly as built, without the browser's copy of the task and its key-press time; with the
		// answer's age, so Python leaves a replay (an outbox re-sent after a reload or a re-run) out of the labeling
		// rate — an age, not a time, so the two clocks never need to agree
		const { task: _task, at, ...message } = entry;
		this.link.send({ ...message, age_s: Math.max(0, Date.now() - (at ?? Date.now())) / 1000 });
		this.sentAt.set(entry.id, Date.now());
		this.resendTimer ??= setInterval(() => this.#resendStale(), RESEND_AFTER_MS / 2);
	}

	#resendStale() {
		if (!this.outbox.size) {
			if (this.resendTimer) clearInterval(this.resendTimer);
			this.resendTimer = null;
			return;
		}
		const now = Date.now();
		for (const entry of this.outbox.list()) {
			if (now - (this.sentAt.get(entry.id) ?? 0) >= RESEND_AFTER_MS) this.#send(entry);
		}
	}

	/**
	 * Ask Python for undo / redo / back / goto / label_skipped (serve the skipped tasks again); the answer is a `state`.
	 * @param {"undo"|"redo"|"back"|"goto"|"label_skipped"} type
	 * @param {string} [key]  for goto
	 * @returns {boolean} whether a request went out
	 */
	request(type, key) {
		if (this.pending || !this.loaded) return false;
		const msg = type === "goto" ? goto(key ?? "") : navigate(type);
		this.pending = type;
		this.pendingId = msg.id;
		this.held = null;
		this.notice = null;
		this.link.send(msg);
		this.requestTimer = setTimeout(() => {
			this.requestTimer = null;
			if (!this.pending) return;
			this.pending = this.pendingId = null;
			this.notice = `No answer from Python to "${type}" — is the kernel busy or stopped?`;
			this.emit({ kind: "status" });
		}, REQUEST_TIMEOUT_MS);
		this.emit({ kind: "status" });
		return true;
	}

	#settle() {
		this.pending = this.pendingId = null;
		if (this.requestTimer) clearTimeout(this.requestTimer);
		this.requestTimer = null;
	}

	/** Python's counts plus what waits in the outbox (shown optimistically, marked "saving…"). */
	displayProgress() {
		const p = this.progress;
		if (!p) return null;
		let done = p.done;
		let skipped = p.skipped;
		for (const e of this.outbox.list()) {
			if (e.type === "skip") skipped++;
			else done++;
		}
		return { ...p, done, skipped };
	}

	get limit() {
		return LIMIT;
	}
}
