// The widget protocol, browser side: every message both ways. It mirrors nblabel/widget/_protocol.py field for
// field (docs/DESIGN.md "Widget messages" has the table); change both together. Rules:
// - every request carries `id`: a fresh uuid4 from the builders below (for submit / skip it is also the store's
//   idempotency key, so an outbox entry may be re-sent after a reconnect);
// - every Python message carries `re`: the id of the request it answers, or null when Python sends it unasked —
//   then a `state` names its `cause`. The session matches answers by `re`, never by arrival order;
// - `parse` checks each Python message before the router acts on it: an unknown type or a malformed message is
//   dropped (null, with the reason on the console), so a newer Python cannot break an older front end and a
//   malformed message cannot break this one;
// - no runtime imports (JSDoc type imports only): tests load this file on its own.

/** @typedef {import("./types.js").ResultItem} ResultItem */
/** @typedef {import("./types.js").ConfigNode} ConfigNode */

// -- browser → Python --------------------------------------------------------------------------------------------

/** @typedef {{type: "hello", id: string}} Hello */
/** `age_s`: seconds the answer waited in the outbox (Python leaves a replay out of the labeling rate). */
/**
 * A reviewer's reject of other annotators' answers: a `submit` whose `result` is [] (review mode). `annotators`: whose
 * answers are rejected (one, or every annotator of the task when the consensus was selected).
 * @typedef {{action: "reject", comment: string, annotators: string[]}} Review
 */
/** In review mode a plain submit's `result` is the version accepted (consensus, an annotator's, or the reviewer's edit). */
/** @typedef {{type: "submit", id: string, key: string, result: ResultItem[], lead_time: number, age_s?: number, review?: Review}} Submit */
/** @typedef {{type: "skip", id: string, key: string, lead_time: number, age_s?: number}} Skip */
/** `label_skipped`: serve this annotator's skipped tasks again. */
/** @typedef {{type: "undo"|"redo"|"back"|"label_skipped", id: string}} Navigate */
/** @typedef {{type: "goto", id: string, key: string}} Goto */
/** @typedef {{type: "media", id: string, key: string, field: string, index: number|null, page: number|null}} MediaRequest */
/** @typedef {Hello|Submit|Skip|Navigate|Goto|MediaRequest} Request */

// -- Python → browser --------------------------------------------------------------------------------------------

/**
 * The suggestion shown for a task (a missing version or score reads as null).
 * @typedef {{id: number|null, model_version?: string|null, score?: number|null}} Shown
 */

/**
 * A task as Python sends it.
 * @typedef {object} Task
 * @property {string} key                    canonical key (the browser never builds keys)
 * @property {any} id                        the plain task id (shown to the user)
 * @property {Record<string, any>} data      only the `$fields` the config uses
 * @property {ResultItem[]|null} prefill     what the UI shows pre-selected (review mode: the consensus or ground truth)
 * @property {null|"annotation"|"prediction"|"consensus"|"ground_truth"} prefill_from
 * @property {Shown|null} prediction
 * @property {ResultItem[]|null} [hint]     a low-scored suggestion: shown beside the options, never pre-selected
 * @property {string|null} [refused]         why the task's suggestion is not shown (its items break the config)
 * @property {number|null} annotation_id
 * @property {boolean} [skipped_before]     this annotator skipped the task earlier (it is served again)
 * @property {Answer[]|null} [answers]      review mode: the other annotators' live answers, one per annotator
 * @property {string|null} [review_note]     label mode: why a reviewer sent this answer back (untrusted text)
 * @property {ResultItem[]} [draft]          browser-only: a refused (nacked) result shown again for correction
 */

/** One annotator's answer to a task, as a reviewer sees it: the whole result, regions with their values (drawn over
 * the task). @typedef {{annotator: string, annotation_id: number, result: ResultItem[]}} Answer */

/**
 * @typedef {object} Progress
 * @property {number} done
 * @property {number} skipped
 * @property {number|null} remaining
 * @property {number|null} total
 * @property {number|null} rate_per_min
 * @property {number|null} eta_s
 * @property {number} [complete]   with overlap ≥ 2: tasks with all their answers
 * @property {number} [waiting]    with overlap ≥ 2: tasks answered, waiting for more annotators
 * @property {number} [overlap]
 */

/**
 * The live suggestion panel's data (present only when a predictor is set).
 * @typedef {{accepted: number, corrected: number, window: number, accuracy: number[], model_version: string|null, error: string|null}} Panel
 */

/** @typedef {"headless"|"suggestion"|"closed"} Cause */

/**
 * @typedef {object} StateMsg
 * @property {"state"} type
 * @property {string|null} re        the request this answers; null: unsolicited (then `cause` says why)
 * @property {Cause} [cause]
 * @property {ConfigNode|null} config
 * @property {string|null} error
 * @property {Record<string, string|string[]>} keys
 * @property {Task[]} tasks
 * @property {Progress|null} progress
 * @property {boolean} can_undo
 * @property {boolean} can_redo
 * @property {boolean} can_back
 * @property {string} [outbox_key]
 * @property {"media"|"all"} [remote]   Labeler `remote=`: may task HTML and config styles load remote resources?
 * @property {string} [notice]
 * @property {Panel} [suggest]
 * @property {string} [view_token]   names the Labeler's static card (an output of its own), hidden while a view lives
 * @property {"label"|"review"} [mode]   absent: "label"; "review": tasks carry `answers` and the prefill is the consensus
 */

/**
 * @typedef {object} AckMsg
 * @property {"ack"} type
 * @property {string} re             the submit / skip committed
 * @property {number} annotation_id
 * @property {Progress} progress
 * @property {Task[]} window
 * @property {boolean} can_undo
 * @property {boolean} can_redo
 * @property {boolean} can_back
 * @property {Panel} [suggest]
 */

/** @typedef {{type: "nack", re: string, key: string|null, message: string}} NackMsg */
/** @typedef {{type: "notice", re: string|null, message: string}} NoticeMsg */
/** Before the state answering a hello, when that takes a while. @typedef {{type: "loading", re: string|null, message: string}} LoadingMsg */
/** @typedef {{type: "media", re: string, ok: boolean, mime?: string, size?: number, message?: string}} MediaReply */
/** @typedef {StateMsg|AckMsg|NackMsg|NoticeMsg|LoadingMsg|MediaReply} PythonMsg */

// -- builders ----------------------------------------------------------------------------------------------------

/** @returns {Hello} */
export const hello = () => ({ type: "hello", id: uuid4() });

/** @param {"undo"|"redo"|"back"|"label_skipped"} type @returns {Navigate} */
export const navigate = (type) => ({ type, id: uuid4() });

/** @param {string} key @returns {Goto} */
export const goto = (key) => ({ type: "goto", id: uuid4(), key });

/**
 * A submit (with `result`) or a skip; its id is the idempotency key the outbox keeps.
 * @param {"submit"|"skip"} type @param {string} key @param {ResultItem[]|undefined} result @param {number} lead_time
 * @param {Review} [review]  a reviewer's reject (then `result` is [])
 * @returns {Submit|Skip}
 */
export function answer(type, key, result, lead_time, review) {
	const id = uuid4();
	if (type !== "submit") return { type, id, key, lead_time };
	return review ? { type, id, key, result: [], lead_time, review } : { type, id, key, result: result ?? [], lead_time };
}

/**
 * @param {string} id @param {{key: string, field: string, index?: number|null, page?: number|null}} marker
 * @returns {MediaRequest}
 */
export const mediaRequest = (id, { key, field, index = null, page = null }) => ({ type: "media", id, key, field, index, page });

// -- checks ------------------------------------------------------------------------------------------------------

/** A check returns null when `v` fits, else why not (with the path `at`). @typedef {(v: any, at: string) => string|null} Check */

/** @param {(v: any) => boolean} test @param {string} what @returns {Check} */
const is = (test, what) => (v, at) => (test(v) ? null : `${at}: expected ${what}, got ${v === undefined ? "nothing" : JSON.stringify(v)?.slice(0, 60)}`);
const STR = is((v) => typeof v === "string", "a string");
const ID = is((v) => typeof v === "string" && v.length > 0 && v.length <= 200, "a request id (1–200 characters)");
const NUM = is((v) => typeof v === "number" && Number.isFinite(v), "a number");
const INT = is((v) => Number.isInteger(v), "an integer");
const BOOL = is((v) => typeof v === "boolean", "true or false");
const OBJ = is((v) => v !== null && typeof v === "object" && !Array.isArray(v), "an object");
const PRESENT = is((v) => v !== undefined, "a value");
/** @param {Check} c @returns {Check} */
const orNull = (c) => (v, at) => (v === null ? null : c(v, at));
/** @param {Check} c @returns {Check} */
const optional = (c) => (v, at) => (v === undefined ? null : c(v, at));
/** @param {...any} values @returns {Check} */
const oneOf = (...values) => is((v) => values.includes(v), values.map((x) => JSON.stringify(x)).join(" or "));
/** @param {Check} c @returns {Check} */
const list = (c) => (v, at) => {
	if (!Array.isArray(v)) return is(() => false, "a list")(v, at);
	for (let i = 0; i < v.length; i++) {
		const why = c(v[i], `${at}[${i}]`);
		if (why) return why;
	}
	return null;
};
/** @param {Check} c @returns {Check} */
const valuesOf = (c) => (v, at) => OBJ(v, at) ?? list(c)(Object.values(v), `${at}{}`);
/** @param {Check[]} cs @returns {Check} */
const either = (...cs) => (v, at) => (cs.some((c) => c(v, at) === null) ? null : cs[0](v, at));
/** @param {Record<string, Check>} fields @returns {Check} */
const record = (fields) => (v, at) => {
	const why = OBJ(v, at);
	if (why) return why;
	for (const [k, c] of Object.entries(fields)) {
		const bad = c(v[k], `${at}.${k}`);
		if (bad) return bad;
	}
	return null;
};

const FLAGS = { can_undo: BOOL, can_redo: BOOL, can_back: BOOL };
const SHOWN = record({ id: orNull(INT), model_version: optional(orNull(STR)), score: optional(orNull(NUM)) });
const ANSWER = record({ annotator: STR, annotation_id: INT, result: list(OBJ) });
const TASK = record({
	key: STR, id: PRESENT, data: OBJ, prefill: orNull(list(OBJ)),
	prefill_from: orNull(oneOf("annotation", "prediction", "consensus", "ground_truth")),
	prediction: orNull(SHOWN), annotation_id: orNull(INT), hint: optional(orNull(list(OBJ))), refused: optional(orNull(STR)),
	skipped_before: optional(BOOL), answers: optional(orNull(list(ANSWER))), review_note: optional(orNull(STR)),
});
const PROGRESS = record({
	done: INT, skipped: INT, remaining: orNull(INT), total: orNull(INT), rate_per_min: orNull(NUM), eta_s: orNull(INT),
	complete: optional(INT), waiting: optional(INT), overlap: optional(INT),
});
const PANEL = record({
	accepted: INT, corrected: INT, window: INT, accuracy: list(NUM), model_version: orNull(STR), error: orNull(STR),
});
/** An answer names its request and has no cause; an unsolicited state has no `re` and says why. @type {Check} */
const STATE_ORIGIN = (v, at) =>
	v.re === null ? (v.cause === undefined ? `${at}.cause: an unsolicited state (re null) must name its cause` : null)
		: v.cause !== undefined ? `${at}.cause: a state answering a request has no cause` : null;

/** @type {Record<string, Check[]>} */
const FROM_PYTHON = {
	state: [record({
		re: orNull(ID), cause: optional(oneOf("headless", "suggestion", "closed")), config: orNull(OBJ), error: orNull(STR),
		keys: valuesOf(either(STR, list(STR))), tasks: list(TASK), progress: orNull(PROGRESS), ...FLAGS,
		outbox_key: optional(STR), remote: optional(oneOf("media", "all")), notice: optional(STR), suggest: optional(PANEL),
		view_token: optional(STR), mode: optional(oneOf("label", "review")),
	}), STATE_ORIGIN],
	ack: [record({ re: ID, annotation_id: INT, progress: PROGRESS, window: list(TASK), ...FLAGS, suggest: optional(PANEL) })],
	nack: [record({ re: ID, key: orNull(STR), message: STR })],
	notice: [record({ re: orNull(ID), message: STR })],
	loading: [record({ re: orNull(ID), message: STR })],
	media: [record({ re: ID, ok: BOOL, mime: optional(STR), size: optional(INT), message: optional(STR) })],
};

/** @param {Check[]} cs @returns {Check} */
const all = (...cs) => (v, at) => {
	for (const c of cs) {
		const why = c(v, at);
		if (why) return why;
	}
	return null;
};
const NAMES = all(list(STR), is((v) => v.length > 0, "at least one annotator"));
const REVIEW = record({ action: oneOf("reject"), comment: STR, annotators: NAMES });
/** A reject carries no answer of its own: its `result` is empty. @type {Check} */
const REJECT_EMPTY = (v, at) => (v.review !== undefined && v.result.length ? `${at}.result: a reject (review) has an empty result` : null);

/** @type {Record<string, Check>} */
const TO_PYTHON = {
	hello: record({ id: ID }),
	submit: all(record({
		id: ID, key: STR, result: list(OBJ), lead_time: optional(orNull(NUM)), age_s: optional(orNull(NUM)), review: optional(REVIEW),
	}), REJECT_EMPTY),
	skip: record({ id: ID, key: STR, lead_time: optional(orNull(NUM)), age_s: optional(orNull(NUM)) }),
	undo: record({ id: ID }),
	redo: record({ id: ID }),
	back: record({ id: ID }),
	label_skipped: record({ id: ID }),
	goto: record({ id: ID, key: STR }),
	media: record({ id: ID, key: STR, field: STR, index: optional(orNull(INT)), page: optional(orNull(INT)) }),
};

/**
 * Why `msg` is not a valid message in that direction, or null when it is.
 * @param {"python"|"browser"} to  who receives it
 * @param {any} msg
 * @returns {string|null}
 */
export function problem(to, msg) {
	if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return "a message is an object";
	if (to === "browser") {
		const checks = FROM_PYTHON[msg.type];
		if (!checks) return `unknown message type ${JSON.stringify(msg.type)}`;
		for (const c of checks) {
			const why = c(msg, msg.type);
			if (why) return why;
		}
		return null;
	}
	const check = TO_PYTHON[msg.type];
	return check ? check(msg, msg.type) : `unknown message type ${JSON.stringify(msg.type)}`;
}

/**
 * A Python message the router may act on, or null (logged) when it is unknown or malformed.
 * @param {any} msg
 * @returns {PythonMsg|null}
 */
export function parse(msg) {
	const why = problem("browser", msg);
	if (why === null) return msg;
	console.warn(`nblabel: ignored a message from Python (${why})`);
	return null;
}

/** A uuid4 (crypto.randomUUID needs a secure context; fall back to getRandomValues). */
export function uuid4() {
	if (typeof crypto.randomUUID === "function") {
		try {
			return crypto.randomUUID();
		} catch {
			// insecure context (http:// on a LAN host): fall through
		}
	}
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
