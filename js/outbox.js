// The outbox: submits and skips Python has not confirmed yet.
// Rule: an entry leaves only on its `ack` or `nack`; every entry is mirrored in
// localStorage under the state's `outbox_key` so a reload or reconnect re-sends it (Python dedups by its `id`);
// at most LIMIT entries wait at once. localStorage is read-modify-written per change, so two widgets sharing a key
// (a re-run cell, a second view) never clobber each other's entries. Storage failures (quota, sandboxed iframes)
// degrade to memory only: labeling goes on. A big task (a 5 MB text) is kept in memory only: its stored entry has no
// `task` (after a reload Python sends the task again), so writing the outbox never serialises megabytes in a key
// press and never runs into the storage quota.

/** @typedef {import("./types.js").OutboxEntry} OutboxEntry */

export const LIMIT = 3;
const STORED_TASK_CHARS = 200_000;

/** Does `v` hold fewer than `budget` characters of strings (counted until the budget runs out)? @param {unknown} v @param {{left: number}} budget */
function fits(v, budget) {
	if (typeof v === "string") budget.left -= v.length;
	else if (v && typeof v === "object") {
		for (const x of Object.values(v)) if (!fits(x, budget)) return false;
	}
	return budget.left >= 0;
}

/** The entry as localStorage keeps it. @param {OutboxEntry} e @returns {OutboxEntry} */
function storable(e) {
	if (!e.task || fits(e.task, { left: STORED_TASK_CHARS })) return e;
	const { task, ...rest } = e;
	return rest;
}

export class Outbox {
	constructor() {
		/** @type {Map<string, OutboxEntry>} request id → entry, in send order */
		this.entries = new Map();
		/** @type {string|null} */
		this.storageKey = null;
	}

	get size() {
		return this.entries.size;
	}

	get full() {
		return this.entries.size >= LIMIT;
	}

	/** @param {string} key */
	hasKey(key) {
		for (const e of this.entries.values()) if (e.key === key) return true;
		return false;
	}

	/** @returns {Set<string>} task keys waiting for an ack */
	keys() {
		return new Set(Array.from(this.entries.values(), (e) => e.key));
	}

	/** @returns {OutboxEntry[]} */
	list() {
		return Array.from(this.entries.values());
	}

	/**
	 * Switch to `storageKey` (from a `state` message) and adopt what localStorage holds there.
	 * @param {string|undefined|null} storageKey
	 * @returns {OutboxEntry[]} every entry to re-send, oldest first
	 */
	attach(storageKey) {
		if (storageKey && storageKey !== this.storageKey) {
			this.storageKey = storageKey;
			for (const e of readStored(storageKey)) {
				if (!this.entries.has(e.id)) this.entries.set(e.id, e);
			}
			this.#update((stored) => {
				const seen = new Set(stored.map((e) => e.id));
				return stored.concat(this.list().filter((e) => !seen.has(e.id)));
			});
		}
		return this.list();
	}

	/** @param {OutboxEntry} entry */
	add(entry) {
		this.entries.set(entry.id, entry);
		this.#update((stored) => stored.filter((e) => e.id !== entry.id).concat([entry]));
	}

	/**
	 * @param {string} id  the request id an ack / nack names (`re`)
	 * @returns {OutboxEntry|undefined} the entry that was removed
	 */
	remove(id) {
		const entry = this.entries.get(id);
		this.entries.delete(id);
		this.#update((stored) => stored.filter((e) => e.id !== id));
		return entry;
	}

	/** @param {(stored: OutboxEntry[]) => OutboxEntry[]} change */
	#update(change) {
		if (!this.storageKey) return;
		try {
			const next = change(readStored(this.storageKey));
			if (next.length) localStorage.setItem(this.storageKey, JSON.stringify(next.map(storable)));
			else localStorage.removeItem(this.storageKey);
		} catch {
			// no storage here (quota, privacy mode, sandbox): the in-memory outbox still works
		}
	}
}

/**
 * @param {string} storageKey
 * @returns {OutboxEntry[]}
 */
function readStored(storageKey) {
	try {
		const raw = localStorage.getItem(storageKey);
		const parsed = raw ? JSON.parse(raw) : [];
		if (!Array.isArray(parsed)) return [];
		// entries an earlier version stored name their id `uid`: adopt them under `id`
		return parsed
			.map((e) => (e && typeof e.id !== "string" && typeof e.uid === "string" ? { ...e, id: e.uid } : e))
			.filter((e) => e && typeof e.id === "string" && typeof e.key === "string");
	} catch {
		return [];
	}
}
