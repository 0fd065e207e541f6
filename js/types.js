// Shared JSDoc types. Rule: these mirror docs/DESIGN.md ("Config tree", "Task object", "Widget messages")
// field for field; when the protocol changes, change it here first and let `tsc` point at every use.

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

/**
 * A task as Python sends it.
 * @typedef {object} Task
 * @property {string} key                    canonical key (the browser never builds keys)
 * @property {any} id                        the plain task id (shown to the user)
 * @property {Record<string, any>} data      only the `$fields` the config uses
 * @property {ResultItem[]|null} prefill     what the UI shows pre-selected
 * @property {null|"annotation"|"prediction"} prefill_from
 * @property {null|{id: any, model_version?: string|null, score?: number|null}} prediction
 * @property {ResultItem[]|null} [hint]     a low-scored suggestion: shown beside the options, never pre-selected
 * @property {string|null} [refused]         why the task's suggestion is not shown (its items break the config)
 * @property {number|null} annotation_id
 * @property {ResultItem[]} [draft]          browser-only: a refused (nacked) result shown again for correction
 */

/**
 * @typedef {object} Progress
 * @property {number} done
 * @property {number} skipped
 * @property {number|null} remaining
 * @property {number|null} total
 * @property {number|null} rate_per_min
 * @property {number|null} eta_s
 */

/**
 * @typedef {object} StateMsg
 * @property {"state"} type
 * @property {ConfigNode|null} config
 * @property {string|null} error
 * @property {Record<string, string|string[]>} [keys]
 * @property {Task[]} tasks
 * @property {Progress|null} progress
 * @property {boolean} [can_undo]
 * @property {boolean} [can_redo]
 * @property {boolean} [can_back]
 * @property {string} [outbox_key]
 * @property {string} [notice]
 * @property {"media"|"all"} [remote]   Labeler `remote=`: may task HTML and config styles load remote resources?
 */

/**
 * @typedef {object} AckMsg
 * @property {"ack"} type
 * @property {string} uid
 * @property {number} [annotation_id]
 * @property {Progress} [progress]
 * @property {Task[]} [window]
 * @property {boolean} [can_undo]
 * @property {boolean} [can_redo]
 * @property {boolean} [can_back]
 */

/**
 * An unconfirmed submit or skip, exactly as sent (plus the task, to return to it on a nack).
 * @typedef {object} OutboxEntry
 * @property {"submit"|"skip"} type
 * @property {string} uid
 * @property {string} key
 * @property {ResultItem[]} [result]
 * @property {number} lead_time
 * @property {Task} [task]
 */

/**
 * The part of the anywidget model this front end uses (the fake model in tests implements the same).
 * @typedef {object} Model
 * @property {(name: string, cb: (...args: any[]) => void) => void} on
 * @property {(name?: string|null, cb?: ((...args: any[]) => void)|null) => void} off
 * @property {(content: any, callbacks?: any, buffers?: any[]) => void} send
 */

export {};
