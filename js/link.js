// Is the Python side of this view still there? Rule: a view whose kernel is gone must say so at once, never take
// answers silently. Every message to Python goes through `send`; the signals, most direct first:
// - the host's widget manager marks the model dead: ipywidgets sets `comm_live = false` (event `comm_live_update`)
//   on every model when the kernel restarts, and closes the model (`comm:close`) when the comm goes away;
// - the kernel itself reports "restarting" / "dead" (`model.widget_manager.kernel.statusChanged`, JupyterLab and
//   Notebook 7; absent elsewhere, then this signal is simply not used);
// - the kernel processed a message that Python always answers (its iopub status went back to idle for it) but no
//   message from Python came in since it was sent: the Python object behind the comm is gone (a restarted kernel
//   drops messages for a comm it does not know, and still reports idle for them).
// A send that throws (the comm of a restarted kernel) is lost too. Nothing is timed: a busy kernel (a long cell) answers late, never "idle without an answer". Once lost, a view stays
// lost: only re-running the cell (a new model) connects again, and the outbox then replays what waited.

/** @typedef {import("./types.js").Model} Model */

/** Kernel states after which the Python objects of this view no longer exist. */
const GONE = new Set(["restarting", "autorestarting", "dead", "terminating"]);

export class Link {
	/**
	 * @param {Model} model
	 * @param {(reason: string) => void} onLost  called once, when the link is first known to be lost
	 */
	constructor(model, onLost) {
		this.model = model;
		this.onLost = onLost;
		/** @type {string|null} why the link is lost (null: connected, as far as anything tells) */
		this.lost = null;
		/** messages received from Python so far: a request is answered when this moved since it was sent */
		this.heardCount = 0;
		this.onCommLive = () => this.#lose("the kernel restarted");
		this.onCommClose = () => this.#lose("the connection to Python was closed");
		model.on("comm_live_update", this.onCommLive);
		model.on("comm:close", this.onCommClose);
		/** @type {(() => void)|null} */
		this.unwatchKernel = this.#watchKernel();
	}

	dispose() {
		this.model.off("comm_live_update", this.onCommLive);
		this.model.off("comm:close", this.onCommClose);
		this.unwatchKernel?.();
		this.unwatchKernel = null;
	}

	/** A message from Python arrived. */
	heard() {
		this.heardCount++;
	}

	/**
	 * Send `content` to Python (every message the view sends expects at least one answer).
	 * @param {Record<string, any>} content
	 */
	send(content) {
		const at = this.heardCount;
		// Jupyter reads `callbacks.iopub`; marimo calls `callbacks()` once the message is delivered (an object
		// there throws "t is not a function" on every send). A no-op function carrying `iopub` suits both.
		const callbacks = Object.assign(() => {}, {
			iopub: {
				/** @param {any} msg */
				status: (msg) => {
					if (msg?.content?.execution_state === "idle" && this.heardCount === at) this.#lose("Python no longer answers this view (was the kernel restarted?)");
				},
			},
		});
		try {
			this.model.send(content, callbacks);
		} catch {
			// a restarted kernel's old comm refuses to send ("Cannot send"): the answer stays in the outbox
			this.#lose("the connection to the kernel is gone");
		}
	}

	/** @param {string} reason */
	#lose(reason) {
		if (this.lost !== null) return;
		this.lost = reason;
		this.onLost(reason);
	}

	/** JupyterLab / Notebook 7: the kernel connection of the notebook, when the host exposes it. */
	#watchKernel() {
		try {
			const kernel = /** @type {any} */ (this.model).widget_manager?.kernel;
			const signal = kernel?.statusChanged;
			if (!signal || typeof signal.connect !== "function") return null;
			/** @param {unknown} _ @param {string} status */
			const slot = (_, status) => {
				if (GONE.has(status)) this.#lose(status === "dead" ? "the kernel stopped" : "the kernel restarted");
			};
			signal.connect(slot);
			if (GONE.has(kernel.status)) this.#lose("the kernel stopped");
			return () => signal.disconnect(slot);
		} catch {
			return null; // another host: the other signals still work
		}
	}
}
