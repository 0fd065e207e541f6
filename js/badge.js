// The task bar's words: the task id as the user knows it, and the badges beside it: where the answer on screen came from, and whether the task was skipped before.
// Rule: the badge promises "⏎ accepts" only while the suggestion is on screen exactly as it came; once the annotator
// changed it, the same key submits *their* answer and the badge says so (an accepted suggestion and a corrected one
// are counted apart). An answer that drops the choice of a confident suggestion (score ≥ CONFIDENT) says so — "the
// model is 97% sure this is Negative" — without blocking the submit: a flag for a likely slip, never a gate.

/** @typedef {import("./types.js").Task} Task */

/** A suggestion scored at least this is one the model is sure of. */
export const CONFIDENT = 0.95;

/**
 * What a confident suggestion chose that the answer on screen does not ("" when they agree, or it is not confident).
 * @param {Task} task
 * @param {{from_name: string, type: string, value: Record<string, any>}[]} items  the answer on screen
 * @returns {string}
 */
export function doubtFor(task, items) {
	const p = task.prediction;
	if (task.prefill_from !== "prediction" || typeof p?.score !== "number" || p.score < CONFIDENT) return "";
	/** @param {any[] | null | undefined} list @returns {Map<string, string>} */
	const picked = (list) => {
		const out = new Map();
		for (const it of list ?? []) {
			if (it?.type !== "choices" || !Array.isArray(it.value?.choices)) continue;
			out.set(String(it.from_name), it.value.choices.map(String).sort().join(", "));
		}
		return out;
	};
	const have = picked(items);
	const missed = [...picked(task.prefill)].filter(([name, value]) => value && have.get(name) !== value).map(([, v]) => v);
	return missed.length ? `the model is ${Math.floor(p.score * 100)}% sure this is ${missed.join(" / ")}` : "";
}

/**
 * @param {Task} task
 * @param {{edited: boolean, submitKey: string, doubt?: string}} opts  `edited`: the answer on screen differs from what
 *   was loaded; `doubt`: `doubtFor` of the answer on screen
 * @returns {{text: string, kind: string}}  kind: "" (no badge), "draft", "refused", "annotation", "prediction", "edited"
 */
export function badgeFor(task, { edited, submitKey, doubt = "" }) {
	const key = submitKey || "submit";
	if (task.draft) return { text: "your refused answer — fix and resubmit", kind: "draft" };
	if (task.refused) return { text: task.refused, kind: "refused" }; // a suggestion Python would not show, and why
	if (task.prefill_from === "annotation") return { text: edited ? "your earlier answer — edited" : "your earlier answer", kind: "annotation" };
	if (task.prefill_from === "prediction" && task.prefill?.length) {
		const p = task.prediction;
		const bits = [p?.model_version, typeof p?.score === "number" ? `score ${p.score.toFixed(2)}` : ""].filter(Boolean);
		const what = `suggestion${bits.length ? ` · ${bits.join(" · ")}` : ""}`;
		if (edited && doubt) return { text: `${doubt} — ${key} submits your answer anyway`, kind: "doubt" };
		return edited ? { text: `${what} — edited, ${key} submits your answer`, kind: "edited" } : { text: `${what} — ${key} accepts`, kind: "prediction" };
	}
	return { text: "", kind: "" };
}

/**
 * Review mode: which version is the answer, and what the submit key does with it.
 * @param {{label: string, annotator: string|null}} version  the consensus / ground truth (annotator null) or an annotator's
 * @param {boolean} edited @param {string} submitKey
 * @returns {{text: string, kind: string}}
 */
export function reviewBadge(version, edited, submitKey) {
	const key = submitKey || "submit";
	const name = version.annotator ?? "";
	const whose = version.annotator === null ? version.label.toLowerCase() : `${name.length > 40 ? `${name.slice(0, 39)}…` : name}'s answer`;
	return edited ? { text: `${whose} — edited, ${key} fixes and accepts`, kind: "edited" } : { text: `${whose} — ${key} accepts`, kind: "review" };
}

/** @param {Task} task  the returning task was skipped by this annotator before */
export function skippedBefore(task) {
	return task.skipped_before === true;
}

/** A task id as the user wrote it: strings bare, tuples (a MultiIndex) in parentheses. @param {any} id @returns {string} */
export function formatId(id) {
	if (Array.isArray(id)) return `(${id.map(formatId).join(", ")})`;
	return typeof id === "string" ? id : JSON.stringify(id);
}
