// anywidget entry: the message router in `initialize`, the DOM in `render` (docs/DESIGN.md "Widget messages").
// Rules:
// - `initialize` runs once per model: it makes the model's Session (task window, outbox, media) and the router,
//   which lives as long as the model does — an outbox keeps waiting for its acks while no view is shown;
// - each `render` adds a Screen (DOM) and a suggestion panel to that session and sends `hello` — Python answers
//   with a full `state` naming it; the cleanup `render` returns removes everything that view added;
// - Python → browser messages are checked by protocol.js `parse` (unknown or malformed ones are dropped) and routed
//   by `type`; answers are matched to their request by `re` inside the session, never by arrival order;
// - commands go over `model.send` only; the one synced trait is `status` (counts and ids for reactive hosts,
//   host_status.js), never task data.

import "./styles.css";
import { echoStatus } from "./host_status.js";
import { parse } from "./protocol.js";
import { Screen } from "./screen.js";
import { Session } from "./session.js";
import { SuggestPanel } from "./suggest_panel.js";

/** @typedef {import("./types.js").Model} Model */

/**
 * @typedef {object} Entry
 * @property {Session} session
 * @property {Set<SuggestPanel>} panels  one per view; fed by the router, so a model has one listener
 * @property {() => void} unecho  stops the `status` echo (host_status.js)
 */

/** @type {WeakMap<object, Entry>} */
const entries = new WeakMap();

/**
 * Route one Python message.
 * @param {Entry} entry
 * @param {any} raw  a custom message from Python
 * @param {any[]} [buffers]  its binary buffers (media bytes)
 */
export function route(entry, raw, buffers) {
	entry.session.heard(); // even a message this side cannot read shows that Python is there
	const msg = parse(raw);
	if (!msg) return;
	const { session } = entry;
	switch (msg.type) {
		case "state":
			session.applyState(msg);
			break;
		case "ack":
			session.applyAck(msg);
			break;
		case "nack":
			return session.applyNack(msg);
		case "notice":
			return session.applyNotice(msg);
		case "loading":
			return session.applyLoading(msg);
		case "media":
			return session.media.take(msg, buffers);
	}
	for (const panel of entry.panels) panel.take(msg);
}

/**
 * @param {{model: Model}} props
 * @returns {() => void} cleanup, when the model goes away
 */
function initialize({ model }) {
	/** @type {Entry} */
	const entry = { session: new Session(model), panels: new Set(), unecho: echoStatus(model) };
	const router = (/** @type {any} */ msg, /** @type {any[]} */ buffers) => route(entry, msg, buffers);
	model.on("msg:custom", router);
	entries.set(model, entry);
	return () => {
		model.off("msg:custom", router);
		entry.unecho();
		entry.session.dispose();
		entries.delete(model);
	};
}

/**
 * @param {{model: Model, el: HTMLElement}} props
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
	if (!entries.has(model)) initialize({ model }); // a host that does not call initialize (anywidget < 0.9)
	const entry = /** @type {Entry} */ (entries.get(model));
	const screen = new Screen(el, entry.session);
	const panel = new SuggestPanel(screen.root); // before hello: the answering state carries its data
	entry.panels.add(panel);
	entry.session.hello();
	return () => {
		entry.panels.delete(panel);
		panel.dispose();
		screen.dispose();
	};
}

export default { initialize, render };
