// anywidget entry and the message router. Rules (quak / anywidget AFM, docs/DESIGN.md "Widget messages"):
// - one Session per model holds the task window and the outbox; each `render` adds a Screen (DOM) to it and sends
//   `hello` — Python answers with a full `state`;
// - Python → browser messages arrive on `msg:custom` and are routed here by `type` (state / ack / nack / notice);
//   unknown types are ignored so a newer Python does not break an older front end;
// - the router listens only while at least one view is mounted: the cleanup returned by `render` removes everything
//   that view added (listeners, timers, DOM) and the last view out removes the router and disposes the session;
// - commands go over `model.send` only; nothing is synced through traits.

import "./styles.css";
import { echoStatus } from "./host_status.js";
import { Screen } from "./screen.js";
import { Session } from "./session.js";
import { SuggestPanel } from "./suggest_panel.js";

/** @typedef {import("./types.js").Model} Model */

/**
 * @typedef {object} Entry
 * @property {Session} session
 * @property {number} views
 * @property {(msg: any, buffers?: any[]) => void} router
 * @property {Set<SuggestPanel>} panels  one per view; fed by the router, so a model has one listener
 * @property {() => void} unecho  stops the `status` echo (host_status.js)
 */

/** @type {WeakMap<object, Entry>} */
const sessions = new WeakMap();

/**
 * @param {Session} session
 * @param {any} msg  a custom message from Python
 * @param {any[]} [buffers]  its binary buffers (media bytes)
 */
export function route(session, msg, buffers) {
	if (!msg || typeof msg !== "object") return;
	session.heard();
	switch (msg.type) {
		case "state":
			return session.applyState(msg);
		case "ack":
			return session.applyAck(msg);
		case "nack":
			return session.applyNack(msg);
		case "notice":
			return session.applyNotice(msg);
		case "loading":
			return session.applyLoading(msg);
		case "media":
			return session.media.take(msg, buffers);
	}
}

/** @param {Model} model @returns {Entry} */
function sessionFor(model) {
	let entry = sessions.get(model);
	if (!entry) {
		const session = new Session(model);
		/** @type {Set<SuggestPanel>} */
		const panels = new Set();
		entry = { session, views: 0, panels, unecho: echoStatus(model), router: (msg, buffers) => { route(session, msg, buffers); for (const p of panels) p.take(msg); } };
		model.on("msg:custom", entry.router);
		sessions.set(model, entry);
	}
	return entry;
}

/**
 * @param {{model: Model, el: HTMLElement}} props
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
	const entry = sessionFor(model);
	entry.views++;
	const screen = new Screen(el, entry.session);
	const panel = new SuggestPanel(screen.root); // before hello: the answering state carries its data
	entry.panels.add(panel);
	entry.session.hello();
	return () => {
		entry.panels.delete(panel);
		panel.dispose();
		screen.dispose();
		if (--entry.views === 0) {
			model.off("msg:custom", entry.router);
			entry.unecho();
			entry.session.dispose();
			sessions.delete(model);
		}
	};
}

export default { render };
