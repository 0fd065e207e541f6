// Echo of the `status` trait for reactive hosts. Rule (nblabel/widget/_status.py): Python sets `status` after
// every change of progress; marimo re-runs the cells that read the widget only when the browser writes a trait, so
// the front end writes each new `revision` back once. Python ignores the written value (it keeps its own), and
// Jupyter's model sends nothing for a value it already holds. One echo per model, however many views it has.

/** @typedef {import("./types.js").Model} Model */

/**
 * Start echoing `status` for `model`; returns the function that stops it. A model without traits (the test page's
 * fake model, an old host) is left alone.
 * @param {Model} model
 * @returns {() => void}
 */
export function echoStatus(model) {
	const m = /** @type {any} */ (model);
	if (typeof m.get !== "function" || typeof m.set !== "function" || typeof m.save_changes !== "function") return () => {};
	let echoed = -1;
	const onChange = () => {
		const status = m.get("status");
		const revision = status && typeof status === "object" ? Number(status.revision) : NaN;
		if (!Number.isFinite(revision) || revision <= echoed) return;
		echoed = revision;
		m.set("status", { ...status });
		m.save_changes();
	};
	model.on("change:status", onChange);
	return () => model.off("change:status", onChange);
}
