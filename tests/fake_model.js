// A stand-in for the anywidget model plus a scripted "Python" that answers like nblabel's Labeler
// (docs/DESIGN.md "Widget messages"). Rule: the fake answers asynchronously (a comm never answers inside `send`),
// names the request each answer answers (`re`), records everything it received, and lets a test hold acks back
// (`autoAck: false`) to play a slow kernel; `push(cause)` plays a state Python sends unasked. Review mode (`mode:
// "review"`): the state says so, tasks carry their `answers` and the consensus as prefill, and a reject is a submit
// with `review` (kept in `answers` and in `reviews`, like any answer acked).
// Used by tests/test_frontend_page.py and bench/bench_key_to_paint.py through tests/frontend_page.py.

/** The anywidget model surface (get/set/save_changes/on/off/send) with helpers to play Python. */
export function createModel(initial = {}) {
	const state = { ...initial };
	/** @type {Map<string, Set<Function>>} */
	const listeners = new Map();
	const sendHooks = [];
	const log = { sent: [], saved: [] };
	const model = {
		get: (k) => state[k],
		set(k, v) {
			state[k] = v;
			for (const cb of listeners.get(`change:${k}`) ?? []) cb();
		},
		save_changes() {
			log.saved.push({ ...state });
		},
		on(name, cb) {
			if (!listeners.has(name)) listeners.set(name, new Set());
			listeners.get(name).add(cb);
		},
		off(name, cb) {
			if (!name) listeners.clear();
			else if (!cb) listeners.delete(name);
			else listeners.get(name)?.delete(cb);
		},
		send(content, callbacks, _buffers) {
			const copy = JSON.parse(JSON.stringify(content));
			log.sent.push(copy);
			for (const hook of sendHooks) hook(copy, callbacks);
		},
		// the part of JupyterLab's widget manager the front end reads: the kernel connection and its status signal
		widget_manager: { kernel: { status: "idle", statusChanged: { slots: new Set(), connect(fn) { this.slots.add(fn); }, disconnect(fn) { this.slots.delete(fn); } } } },
		log,
		/** Play Python sending a custom message. */
		_pySend(content, buffers = []) {
			for (const cb of [...(listeners.get("msg:custom") ?? [])]) cb(content, buffers);
		},
		/** Play Python changing a trait. */
		_pySet(k, v) {
			model.set(k, v);
		},
		/** Play the widget manager triggering a model event (`comm_live_update` on a kernel restart, `comm:close`). */
		_trigger(name) {
			for (const cb of [...(listeners.get(name) ?? [])]) cb();
		},
		/** Play the kernel connection changing status ("restarting", "dead", …). */
		_kernelStatus(status) {
			const k = model.widget_manager.kernel;
			k.status = status;
			for (const fn of [...k.statusChanged.slots]) fn(k, status);
		},
		_listenerCount() {
			let n = 0;
			for (const set of listeners.values()) n += set.size;
			return n;
		},
		_onSend(hook) {
			sendHooks.push(hook);
		},
	};
	return model;
}

/** The kernel's iopub status "idle" for a processed message, through ipywidgets' send callbacks. */
function idle(callbacks) {
	callbacks?.iopub?.status?.({ header: { msg_type: "status" }, content: { execution_state: "idle" } });
}

const FULL = (t) => ({ prefill: null, prefill_from: null, prediction: null, annotation_id: null, ...t });

/** A scripted Labeler: a queue of tasks, idempotent submits by request id, undo/redo/back/goto, acks with the window. */
export class FakePython {
	constructor(model, opts = {}) {
		this.model = model;
		this.config = opts.config ?? null;
		this.keys = opts.keys ?? {};
		this.error = opts.error ?? null;
		this.prefetch = opts.prefetch ?? 5;
		this.autoAck = opts.autoAck ?? true;
		this.ackDelay = opts.ackDelay ?? 0;
		this.outboxKey = opts.outboxKey ?? "nblabel-outbox:test-store:alice";
		this.notice = opts.notice ?? null;
		this.viewToken = opts.viewToken ?? null;
		this.mode = opts.mode ?? null; // "review" / "label"; absent like an older Python when not given
		this.reviews = []; // review-mode submits: {key, result, review} (review: the reject, or null for an accept)
		this.remote = opts.remote ?? null; // Labeler(remote=…); absent like an older Python when not given
		this.loading = opts.loading ?? null; // sent before the state, as Python does while a model loads
		this.holdHello = opts.holdHello ?? false; // true: the state answering hello waits for the test to send it
		this.all = (opts.tasks ?? []).map(FULL);
		this.byKey = new Map(this.all.map((t) => [t.key, t]));
		this.queue = this.all.map((t) => t.key); // keys without an answer, in order
		this.total = opts.total === undefined ? this.all.length : opts.total;
		this.answers = new Map(); // key → {result, cancelled, id}
		this.uids = new Map(); // submit / skip request id → annotation id
		this.history = []; // answered keys, newest last (undo / back)
		this.redoStack = [];
		this.focus = null; // key shown out of queue order (back / goto / undo)
		this.received = [];
		this.held = []; // submits waiting for flush() when autoAck is false
		this.holdRequests = opts.holdRequests ?? false; // undo / redo / back / goto wait for answerRequests()
		this.heldRequests = [];
		this.nextId = 1;
		this.times = [];
		// local media: "key|field|index|page" → {mime, base64} or {message} (a refused request), like nblabel/_media.py
		this.media = opts.media ?? {};
		/** the kernel forgot this comm (a restart): messages are processed (iopub idle) and never answered */
		this.gone = false;
		model._onSend((msg, callbacks) => this.receive(msg, callbacks));
	}

	/** Answer a `media` request with the bytes as one DataView buffer (what ipywidgets hands to msg:custom). */
	answerMedia(msg) {
		const found = this.media[[msg.key, msg.field, msg.index ?? "", msg.page ?? ""].join("|")];
		if (!found || found.message) {
			this.send({ type: "media", re: msg.id, ok: false, message: found?.message ?? "not local media" });
			return;
		}
		const bytes = Uint8Array.from(atob(found.base64), (c) => c.charCodeAt(0));
		this.model._pySend({ type: "media", re: msg.id, ok: true, mime: found.mime, size: bytes.length }, [new DataView(bytes.buffer)]);
	}

	send(msg) {
		this.model._pySend(msg);
	}

	/** Answer with `fn`, then report the message processed, like a kernel's iopub status after a comm message. */
	later(fn, callbacks) {
		setTimeout(() => {
			fn();
			idle(callbacks);
		}, this.ackDelay);
	}

	receive(msg, callbacks) {
		this.received.push(msg);
		if (this.gone) setTimeout(() => idle(callbacks), this.ackDelay);
		else if (msg.type === "hello") {
			if (this.loading) this.send({ type: "loading", re: msg.id, message: this.loading });
			this.helloId = msg.id;
			if (!this.holdHello) this.later(() => this.send(this.state(msg.id)), callbacks);
		}
		else if (msg.type === "media") this.later(() => this.answerMedia(msg), callbacks);
		else if (msg.type === "submit" || msg.type === "skip") {
			if (this.autoAck) this.later(() => this.commit(msg), callbacks);
			else this.held.push({ msg, callbacks }); // a busy kernel: not processed yet, so no idle either
		} else if (["undo", "redo", "back", "goto", "label_skipped"].includes(msg.type)) {
			if (this.holdRequests) this.heldRequests.push({ msg, callbacks });
			else this.later(() => {
				this[msg.type](msg);
				this.send(this.state(msg.id));
			}, callbacks);
		}
	}

	/** Carry out and answer the held undo / redo / back / goto requests, oldest first. */
	answerRequests() {
		for (const { msg, callbacks } of this.heldRequests.splice(0)) {
			this[msg.type](msg);
			this.send(this.state(msg.id));
			idle(callbacks);
		}
	}

	/** Commit and ack the `n` oldest held submits (all when n is omitted). */
	flush(n) {
		const batch = this.held.splice(0, n ?? this.held.length);
		for (const { msg, callbacks } of batch) {
			this.commit(msg);
			idle(callbacks);
		}
		return batch.length;
	}

	/** Refuse the oldest held submit. */
	refuse(message = "invalid result") {
		const held = this.held.shift();
		if (!held) return undefined;
		const { msg, callbacks } = held;
		this.send({ type: "nack", re: msg.id, key: msg.key, message });
		idle(callbacks);
		return msg;
	}

	commit(msg) {
		let id = this.uids.get(msg.id);
		if (id === undefined) {
			id = this.nextId++;
			this.uids.set(msg.id, id);
			const cancelled = msg.type === "skip";
			this.answers.set(msg.key, { id, result: msg.result ?? [], cancelled, lead_time: msg.lead_time, review: msg.review ?? null });
			if (this.mode === "review" && !cancelled) this.reviews.push({ key: msg.key, result: msg.result ?? [], review: msg.review ?? null });
			this.queue = this.queue.filter((k) => k !== msg.key);
			this.history.push(msg.key);
			this.redoStack = [];
			if (this.focus === msg.key) this.focus = null;
			this.times.push(Date.now());
		}
		this.send({ type: "ack", re: msg.id, annotation_id: id, progress: this.progress(), window: this.window(), ...this.flags() });
	}

	undo() {
		const key = this.history.pop();
		if (key === undefined) return;
		this.redoStack.push({ key, answer: this.answers.get(key) });
		const answer = this.answers.get(key);
		this.answers.delete(key);
		this.queue.unshift(key);
		this.byKey.set(key, { ...this.byKey.get(key), prefill: answer.result, prefill_from: "annotation" });
	}

	redo() {
		const item = this.redoStack.pop();
		if (!item) return;
		this.answers.set(item.key, item.answer);
		this.queue = this.queue.filter((k) => k !== item.key);
		this.history.push(item.key);
	}

	back() {
		const at = this.focus ? this.history.indexOf(this.focus) : this.history.length;
		if (at > 0) this.focus = this.history[at - 1];
	}

	/** Serve the skipped tasks again, after what is left, in skip order (like nblabel's Queue.requeue_skipped). */
	label_skipped() {
		const skipped = this.history.filter((k, i) => this.answers.get(k)?.cancelled && this.history.indexOf(k) === i);
		for (const k of skipped) if (!this.queue.includes(k)) this.queue.push(k);
	}

	goto(msg) {
		if (this.byKey.has(msg.key)) this.focus = msg.key;
	}

	task(key) {
		const t = this.byKey.get(key);
		const ans = this.answers.get(key);
		if (ans && !ans.cancelled) return { ...t, prefill: ans.result, prefill_from: "annotation", annotation_id: ans.id };
		return ans?.cancelled ? { ...t, skipped_before: true } : t;
	}

	window() {
		const keys = this.focus ? [this.focus, ...this.queue.filter((k) => k !== this.focus)] : [...this.queue];
		return keys.slice(0, this.prefetch + 1).map((k) => this.task(k));
	}

	progress() {
		let done = 0;
		let skipped = 0;
		for (const a of this.answers.values()) a.cancelled ? skipped++ : done++;
		const remaining = this.total === null ? null : Math.max(this.total - done - skipped, 0);
		return { done, skipped, remaining, total: this.total, rate_per_min: null, eta_s: null };
	}

	flags() {
		return { can_undo: this.history.length > 0, can_redo: this.redoStack.length > 0, can_back: this.history.length > 0 };
	}

	/** Play a state Python sends unasked (a headless call, a suggestion that became ready, close). */
	push(cause = "headless") {
		this.send(this.state(null, cause));
	}

	/** @param {string|null} re  the request this state answers (null: unsolicited, then `cause` says why) */
	state(re = null, cause = "headless") {
		const s = {
			type: "state",
			re,
			config: this.config,
			error: this.error,
			keys: this.keys,
			tasks: this.error ? [] : this.window(),
			progress: this.progress(),
			outbox_key: this.outboxKey,
			...this.flags(),
		};
		if (re === null) s.cause = cause;
		if (this.notice) s.notice = this.notice;
		if (this.viewToken) s.view_token = this.viewToken;
		if (this.remote) s.remote = this.remote;
		if (this.mode) s.mode = this.mode;
		return s;
	}

	/** Messages of one type received so far. */
	of(type) {
		return this.received.filter((m) => m.type === type);
	}
}
