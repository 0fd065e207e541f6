// anywidget entry. Rule (quak / anywidget AFM): one Session per model holds the message router, the task window and
// the outbox; each `render` adds a Screen (DOM) to it and sends `hello` (Python answers with a full `state`).
// The session listens to `msg:custom` only while at least one view is mounted, and the cleanup returned by
// `render` removes everything that view added (listeners, timers, DOM) — the last view out disposes the session.
// Commands go over `model.send` only; nothing is synced through traits.

import "./styles.css";
import { Screen } from "./screen.js";
import { Session } from "./session.js";

/** @typedef {import("./types.js").Model} Model */

/** @type {WeakMap<object, {session: Session, views: number}>} */
const sessions = new WeakMap();

/**
 * @param {{model: Model, el: HTMLElement}} props
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
	let entry = sessions.get(model);
	if (!entry) {
		entry = { session: new Session(model), views: 0 };
		sessions.set(model, entry);
	}
	entry.views++;
	const screen = new Screen(el, entry.session);
	entry.session.hello();
	const held = entry;
	return () => {
		screen.dispose();
		if (--held.views === 0) {
			held.session.dispose();
			sessions.delete(model);
		}
	};
}

export default { render };
