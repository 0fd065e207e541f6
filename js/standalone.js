// The widget without a Jupyter server: `Labeler.to_html()` writes a page with this bundle, the tasks and the config,
// and this module plays the Labeler's Python side in the page. Rules:
// - the tasks are the page's own (a JSON script element, read as data, never as HTML); nothing is fetched;
// - every answer is kept in localStorage under the page's key as soon as it is given, so closing the tab loses
//   nothing, and "Download answers" saves them as the JSON file `Labeler.import_answers()` merges (each answer keeps
//   its request id: importing a file twice stores each answer once);
// - what needs Python (undo, back, goto, local media) says so in the page instead of waiting for an answer.

import widget from "./widget.js";

/** @typedef {{id: string, key: string, result: any[], lead_time: number|null, skipped: boolean, at: string}} Answer */

const FORMAT = "nblabel-answers";

/**
 * A model for `widget.render` whose "Python" is this page.
 * @param {any} data  what `to_html` embedded: config, keys, tasks, annotator, store_id, storage_key, remote
 */
export function offlineModel(data) {
	/** @type {Map<string, Set<Function>>} */
	const listeners = new Map();
	const tasks = /** @type {any[]} */ (Array.isArray(data.tasks) ? data.tasks : []);
	/** @type {Map<string, Answer>} */
	const answers = new Map(load(data.storage_key).map((a) => [a.key, a]));
	const onAnswers = new Set();
	const left = () => tasks.filter((t) => !answers.has(t.key));
	const progress = () => {
		const all = [...answers.values()];
		const skipped = all.filter((a) => a.skipped).length;
		return { done: all.length - skipped, skipped, remaining: left().length, total: tasks.length, rate_per_min: null, eta_s: null };
	};
	const flags = { can_undo: false, can_redo: false, can_back: false };
	/** @param {any} msg */
	const reply = (msg) => setTimeout(() => {
		for (const cb of [...(listeners.get("msg:custom") ?? [])]) cb(msg, []);
	}, 0);
	/** @param {any} msg */
	const answer = (msg) => {
		if (!answers.has(msg.key) || answers.get(msg.key)?.id !== msg.id) {
			answers.set(msg.key, { id: msg.id, key: msg.key, result: msg.type === "submit" ? msg.result : [], lead_time: msg.lead_time ?? null,
				skipped: msg.type === "skip", at: new Date().toISOString() });
			save(data.storage_key, [...answers.values()]);
			for (const fn of onAnswers) fn();
		}
		reply({ type: "ack", re: msg.id, annotation_id: answers.size, progress: progress(), window: left().slice(0, 6), ...flags });
	};
	const model = {
		/** @param {string} _k */
		get: (_k) => undefined,
		set() {},
		save_changes() {},
		/** @param {string} name @param {Function} cb */
		on(name, cb) {
			if (!listeners.has(name)) listeners.set(name, new Set());
			listeners.get(name)?.add(cb);
		},
		/** @param {string} name @param {Function} [cb] */
		off(name, cb) {
			if (cb) listeners.get(name)?.delete(cb);
			else listeners.delete(name);
		},
		/** @param {any} msg */
		send(msg) {
			if (msg?.type === "hello") {
				reply({ type: "state", re: msg.id, config: data.config, error: null, keys: data.keys, tasks: left().slice(0, 6),
					progress: progress(), ...flags, outbox_key: `${data.storage_key}:outbox`, remote: data.remote ?? "media" });
			} else if (msg?.type === "submit" || msg?.type === "skip") answer(msg);
			else if (msg?.type === "media") reply({ type: "media", re: msg.id, ok: false, message: "local media files are not part of an offline page" });
			else if (msg?.id) reply({ type: "notice", re: msg.id, message: `${msg.type} needs the notebook: in this offline page every answer is final` });
		},
		answers: () => [...answers.values()],
		/** @param {() => void} fn */
		onAnswers: (fn) => onAnswers.add(fn),
	};
	return model;
}

/** @param {string} key @returns {Answer[]} */
function load(key) {
	try {
		const stored = JSON.parse(localStorage.getItem(key) ?? "[]");
		return Array.isArray(stored) ? stored.filter((a) => a && typeof a.id === "string" && typeof a.key === "string") : [];
	} catch {
		return []; // storage refused (a private window) or damaged: start empty, answers are still downloadable
	}
}

/** @param {string} key @param {Answer[]} answers */
function save(key, answers) {
	try {
		localStorage.setItem(key, JSON.stringify(answers));
	} catch {
		// storage full or refused: the answers stay in the page until downloaded
	}
}

/**
 * Mount the offline widget and its download bar into `root`.
 * @param {HTMLElement} root @param {any} data
 */
export function mountOffline(root, data) {
	const model = offlineModel(data);
	const bar = document.createElement("div");
	bar.className = "nblabel-offline-bar";
	const note = document.createElement("span");
	const download = document.createElement("button");
	download.type = "button";
	download.className = "nblabel-download";
	const paint = () => {
		const n = model.answers().length;
		download.textContent = `Download answers (${n})`;
		download.disabled = n === 0;
		note.textContent = `Offline labeling for ${String(data.annotator)}: answers stay in this browser until you download them and send the file back.`;
	};
	download.addEventListener("click", () => {
		const file = { format: FORMAT, version: 1, store_id: data.store_id, annotator: data.annotator, answers: model.answers() };
		const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
		const a = document.createElement("a");
		a.href = url;
		a.download = `nblabel-answers-${String(data.annotator).replace(/[^\w.-]+/g, "_")}.json`;
		document.body.append(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(url), 10_000);
	});
	model.onAnswers(paint);
	paint();
	bar.append(note, download);
	const host = document.createElement("div");
	root.append(bar, host);
	widget.initialize?.({ model: /** @type {any} */ (model) });
	return widget.render({ model: /** @type {any} */ (model), el: host });
}

const embedded = typeof document !== "undefined" ? document.getElementById("nblabel-data") : null;
if (embedded) {
	const root = document.getElementById("nblabel-root") ?? document.body;
	mountOffline(root, JSON.parse(embedded.textContent ?? "{}"));
}
