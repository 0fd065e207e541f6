// Media objects that play together. Label Studio pairs objects by `sync`: `<Video name="video" sync="audio"/>` and
// `<Audio name="audio" sync="video"/>` name each other. Rules: one hub per form (keyed by the form's RegionStore, so
// forms never hear each other); an event is passed to the other members of the pair only; members emit on the user's
// actions (not on their element's events) and a member being told never re-broadcasts, so nothing echoes.

/**
 * @typedef {"play"|"pause"|"seek"|"rate"} SyncKind
 * @typedef {{name: string, onSync: (kind: SyncKind, time: number, rate: number) => void}} SyncMember
 */

/** @type {WeakMap<object, Map<string, SyncMember[]>>} */
const hubs = new WeakMap();

/**
 * Join the sync pair of object `name` (its `sync` attribute names the other object); returns `emit`, to be called on
 * the member's own play / pause / seek / rate changes. No `sync`: a no-op emitter.
 * @param {object} form  the form's RegionStore (one hub per form)
 * @param {string} name
 * @param {string|undefined} sync
 * @param {SyncMember["onSync"]} onSync
 * @returns {(kind: SyncKind, time: number, rate?: number) => void}
 */
export function joinSync(form, name, sync, onSync) {
	const other = (sync ?? "").trim();
	if (!other || other === name) return () => {};
	let hub = hubs.get(form);
	if (!hub) hubs.set(form, (hub = new Map()));
	const key = [name, other].sort().join("\u0000");
	const members = hub.get(key) ?? [];
	hub.set(key, members);
	/** @type {SyncMember} */
	const me = { name, onSync };
	members.push(me);
	let telling = false;
	return (kind, time, rate = 1) => {
		if (telling) return;
		for (const m of members) {
			if (m === me) continue;
			telling = true;
			try {
				m.onSync(kind, time, rate);
			} finally {
				telling = false;
			}
		}
	};
}
