// Lead time. Rule: `lead_time` counts the seconds a task was on screen *while the
// widget had focus and the page was visible* — time spent in other cells or other tabs does not count.

export class Stopwatch {
	/** @param {HTMLElement} root */
	constructor(root) {
		this.root = root;
		this.total = 0;
		/** @type {number|null} performance.now() when the current run started */
		this.since = null;
		this.onFocusIn = () => this.sync(true);
		this.onFocusOut = (/** @type {FocusEvent} */ e) =>
			this.sync(e.relatedTarget instanceof Node && root.contains(e.relatedTarget));
		this.onVisibility = () => this.sync(root.matches(":focus-within"));
		root.addEventListener("focusin", this.onFocusIn);
		root.addEventListener("focusout", this.onFocusOut);
		document.addEventListener("visibilitychange", this.onVisibility);
	}

	/** @param {boolean} focused */
	sync(focused) {
		const run = focused && document.visibilityState !== "hidden";
		if (run && this.since === null) this.since = performance.now();
		else if (!run && this.since !== null) {
			this.total += performance.now() - this.since;
			this.since = null;
		}
	}

	/** A new task is on screen: start from zero (running if the widget has focus). */
	restart() {
		this.total = 0;
		this.since = null;
		this.sync(this.root.matches(":focus-within"));
	}

	/** Seconds counted so far for the task on screen. */
	seconds() {
		const running = this.since === null ? 0 : performance.now() - this.since;
		return (this.total + running) / 1000;
	}

	dispose() {
		this.root.removeEventListener("focusin", this.onFocusIn);
		this.root.removeEventListener("focusout", this.onFocusOut);
		document.removeEventListener("visibilitychange", this.onVisibility);
	}
}
