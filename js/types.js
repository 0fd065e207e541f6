// Shared JSDoc types. Rule: these mirror docs/DESIGN.md ("Config tree", "Task object") field for field; the widget
// messages themselves are typed in protocol.js (Task and Progress are re-exported here for the renderers).

/**
 * One node of `Config.to_json()`.
 * @typedef {object} ConfigNode
 * @property {string} tag            canonical Label Studio casing ("Choices", "TextArea", …)
 * @property {"visual"|"object"|"control"|"option"} kind
 * @property {Record<string, string>} attrs  attributes exactly as written (strings)
 * @property {string|null} text      the element's own text, stripped (Style, Header without value)
 * @property {ConfigNode[]} children
 * @property {boolean} supported     false → shown as "<Tag> is not supported yet" and submit is blocked
 */

/**
 * A Label Studio result item.
 * @typedef {{id?: string, from_name: string, to_name: string, type: string,
 *            value: Record<string, any>, [k: string]: any}} ResultItem
 */

/** @typedef {import("./protocol.js").Task} Task */
/** @typedef {import("./protocol.js").Progress} Progress */

/**
 * An unconfirmed submit or skip: the message exactly as sent (protocol.js `answer`), plus the task, to return to it
 * on a nack, and `at`, Date.now() of the key press (entries stored by an earlier version have none).
 * @typedef {(import("./protocol.js").Submit|import("./protocol.js").Skip) & {task?: Task, at?: number}} OutboxEntry
 */

/**
 * The part of the anywidget model this front end uses (the fake model in tests implements the same).
 * @typedef {object} Model
 * @property {(name: string, cb: (...args: any[]) => void) => void} on
 * @property {(name?: string|null, cb?: ((...args: any[]) => void)|null) => void} off
 * @property {(content: any, callbacks?: any, buffers?: any[]) => void} send
 */

export {};
