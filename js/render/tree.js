// The config tree → one form. Rule: build the DOM once per config and only `load(task)` per task (so painting the
// next task is a few text/class updates, not a rebuild); every node goes through `build`, which dispatches on the
// canonical tag — a node Python marks `supported: false`, or a tag without a renderer here, becomes a
// `.nblabel-error` "<Tag> is not supported yet" in place and blocks submit. `visibleWhen` is evaluated after every
// change; controls inside hidden parts neither take keys nor contribute results. Regions (spans) live in one
// RegionStore per form; per-region controls are drawn in the region panel and answer for the selected region.

import { buildChoices } from "./controls/choices.js";
import { buildAudio } from "./audio/audio.js";
import { buildNumber } from "./controls/number.js";
import { buildRating } from "./controls/rating.js";
import { buildLabels } from "./controls/labels.js";
import { RegionList } from "./regionlist.js";
import { RegionStore } from "./regions.js";
import { buildText } from "./text/text.js";
import { buildHyperText } from "./text/hypertext.js";
import { buildImage } from "./image/image.js";
import { buildPdf } from "./image/pdf.js";
import { buildShapeLabels, buildShapeTool } from "./image/shapes/tools.js";
import "./image/brush.js"; // registers the brush tool (BrushLabels / Brush) with the Image
import { buildParagraphs } from "./text/paragraphs.js";
import { buildPairwise, buildRanker } from "./controls/ranker.js";
import { buildChat, buildList, buildTable } from "./text/structure.js";
import { buildDateTime, buildTaxonomy } from "./controls/taxonomy.js";
import { buildTextArea } from "./controls/textarea.js";
import { buildTimeSeries } from "./timeseries/timeseries.js";
import { parseBinding } from "../keys.js";
import { resolveMedia } from "./media.js";
import { attr, boolAttr, descendants, h, regionId } from "./util.js";
import { buildRepeater } from "./repeater.js";
import { buildHeader, buildStyle, buildView } from "./view.js";
import { buildVideo, buildVideoRectangle } from "./video/video.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("../types.js").Task} Task */
/** @typedef {import("../types.js").ResultItem} ResultItem */

/**
 * @typedef {object} Built
 * @property {HTMLElement} el
 * @property {(task: Task) => void} [update]
 * @property {(prefill: ResultItem[]) => ResultItem[]} [take]   objects that answer themselves (Chat): keep theirs, return the rest
 * @property {() => {items: ResultItem[], missing: string|null}} [answer]
 */

/**
 * A labeling control as the form and the keyboard see it.
 * @typedef {object} Control
 * @property {string} name
 * @property {string} tag
 * @property {string} type          the Label Studio result type
 * @property {string} toName        first `toName`
 * @property {HTMLElement} el
 * @property {boolean} required
 * @property {HTMLInputElement|HTMLTextAreaElement|null} field  text field, focused when the control is activated
 * @property {number} optionCount   how many options digits can pick
 * @property {(prefill: ResultItem|null, draft: ResultItem|null, suggested: boolean) => void} load
 * @property {() => Record<string, any>|null} value   the LS `value`, null when not answered
 * @property {(i: number) => boolean} pick   digit index → true when consumed
 * @property {(e: KeyboardEvent) => boolean} [hotkey]
 * @property {() => string[]} [selected]
 * @property {() => (((sel: any) => boolean)|null)} [armed]   region makers: the armed label's creator
 * @property {() => boolean} [empty]   region makers: no region yet (for `required`)
 * @property {boolean} [perRegion]
 * @property {(e: KeyboardEvent) => boolean} [nav]   arrow keys while the control is active (Ranker)
 * @property {(item: ResultItem|null, score: number|null) => void} [hint]   show (or clear) a low-scored suggestion
 *   beside the options: never a selection, so Enter does not accept it
 * @property {(who: ((out: string|string[], value: string) => Node[])|null) => void} [voters]   review mode: beside each
 *   option, chips naming who chose it (`out` is the option's result value); null clears them
 * @property {(answers: {who: string, color: string, texts: string[]}[]|null) => void} [beside]   review mode: each
 *   annotator's text for this control, side by side under the field (untrusted: text only); null clears them
 */

/**
 * @typedef {object} BuildContext
 * @property {string} scopeClass
 * @property {(node: ConfigNode) => Built|null} build
 * @property {(node: ConfigNode, el: HTMLElement) => void} watchVisibility
 * @property {(control: Control) => void} changed
 * @property {RegionStore} regions
 * @property {(text: string) => void} hint
 * @property {(object: string) => boolean} selectionMade   true when an armed label turned it into a region
 * @property {(object: string) => string|null} armedMaker   name of the region maker with an armed label on `object` (Image tools)
 * @property {(control: string) => any} pendingSelection   the pending selection on an object the control labels
 * @property {(id: string) => void} regionClicked
 * @property {(fn: (task: Task) => void) => void} onTask   run before controls load (dynamic options)
 * @property {(value: unknown, kind: import("./media.js").MediaKind) => Promise<string>} media   a task's media value → a URL to load (rejects with the message for `.nblabel-media-error`)
 * @property {(el: HTMLElement, fn: (e: KeyboardEvent) => boolean) => void} onKey   object keys (play, seek, zoom): tried after the region keys while `el` is shown
 * @property {import("./remote.js").RemotePolicy} remote   what task HTML and config styles may load
 * @property {(spec: string, what: string) => import("../keys.js").Binding|null} taskHotkey   a hotkey that came with task data: its binding, or null when it would take a widget key (reported once)
 */

/**
 * What the view gives a form besides the config.
 * @typedef {object} FormOptions
 * @property {import("./remote.js").RemotePolicy} [remote]
 * @property {(b: import("../keys.js").Binding) => string} [widgetKey]   the widget key a binding would shadow, or ""
 * @property {(message: string) => void} [report]   a problem worth saying once (hotkey conflicts)
 */

/** Where a control takes no keys: a hidden `visibleWhen` part, a Repeater item on another page. */
const OFF_SCREEN = ".nblabel-hidden, .nblabel-page-off";

/** @type {Record<string, (node: ConfigNode, ctx: BuildContext) => Built>} */
const OBJECTS_AND_LAYOUT = {
	View: buildView, Header: buildHeader, Style: buildStyle, Text: buildText, HyperText: buildHyperText,
	Paragraphs: buildParagraphs, Chat: buildChat, Table: buildTable, List: buildList,
	Image: buildImage, Pdf: buildPdf,
	Video: buildVideo, VideoRectangle: buildVideoRectangle,
	TimeSeries: buildTimeSeries,
	Audio: buildAudio, AudioPlus: buildAudio,
	Repeater: buildRepeater,
};
/** @type {Record<string, (node: ConfigNode, ctx: BuildContext) => Control>} */
const CONTROLS = {
	Choices: buildChoices, TextArea: buildTextArea, Rating: buildRating, Number: buildNumber,
	Labels: buildLabels, HyperTextLabels: buildLabels, ParagraphLabels: buildLabels,
	Ranker: buildRanker, Pairwise: buildPairwise, Taxonomy: buildTaxonomy, DateTime: buildDateTime,
	RectangleLabels: buildShapeLabels, PolygonLabels: buildShapeLabels, KeyPointLabels: buildShapeLabels,
	EllipseLabels: buildShapeLabels, OcrLabels: buildShapeLabels,
	Rectangle: buildShapeTool, Polygon: buildShapeTool, KeyPoint: buildShapeTool, Ellipse: buildShapeTool,
	BrushLabels: buildShapeLabels, Brush: buildShapeTool,
	TimelineLabels: buildLabels,
	TimeSeriesLabels: buildLabels,
};

export class Form {
	/**
	 * @param {ConfigNode} config
	 * @param {string} scopeClass  unique class of this view's canvas (scopes `<Style>`)
	 * @param {(control: Control) => void} onChange
	 * @param {(text: string) => void} [onHint]
	 * @param {import("./media.js").MediaFetcher|null} [fetchMedia]  bytes of local media from Python
	 * @param {FormOptions} [opts]
	 */
	constructor(config, scopeClass, onChange, onHint = () => {}, fetchMedia = null, opts = {}) {
		/** @type {Control[]} */
		this.controls = [];
		/** @type {Built[]} */
		this.updaters = [];
		/** @type {string[]} tags this version cannot draw (submit is blocked while any is shown) */
		this.unsupported = [];
		/** @type {{node: ConfigNode, el: HTMLElement}[]} */
		this.conditional = [];
		/** @type {Map<string, string|undefined>} control name → region id of the prefill item it shows */
		this.prefillIds = new Map();
		/** @type {ResultItem[]} prefill items of controls not drawn here (e.g. perRegion): sent back unchanged */
		this.passthrough = [];
		this.regions = new RegionStore();
		/** @type {{el: HTMLElement, fn: (e: KeyboardEvent) => boolean}[]} keys of objects (Audio, Video…), in config order */
		this.objectKeys = [];
		this.relationsNode = descendants(config, "Relations")[0] ?? null;
		this.regionList = new RegionList(this.regions, this.relationsNode, onHint);
		/** @type {BuildContext} */
		const ctx = {
			scopeClass,
			regions: this.regions,
			hint: onHint,
			selectionMade: (object) => {
				const maker = this.controls.find((c) => c.armed?.() && this.regions.targets.get(c.name)?.includes(object));
				const create = maker?.armed?.();
				const sel = create && maker ? this.regions.objects.get(object)?.takePending?.(maker.name) : null;
				return Boolean(create && sel && (create(sel) || true));
			},
			pendingSelection: (control) => {
				for (const t of this.regions.targets.get(control) ?? []) {
					const sel = this.regions.objects.get(t)?.takePending?.(control);
					if (sel) return sel;
				}
				return null;
			},
			armedMaker: (object) => this.controls.find((c) => c.armed?.() && this.regions.targets.get(c.name)?.includes(object))?.name ?? null,
			regionClicked: (id) => this.regionList.clicked(id),
			media: (value, kind) => resolveMedia(value, kind, fetchMedia),
			onKey: (el, fn) => this.objectKeys.push({ el, fn }),
			remote: opts.remote ?? "media",
			taskHotkey: (spec, what) => {
				const b = parseBinding(spec);
				const taken = opts.widgetKey?.(b) ?? "";
				if (!taken) return b;
				opts.report?.(`The hotkey "${spec.slice(0, 40)}" of ${what.slice(0, 80)} (from the task) is the widget's ${taken}: the widget keeps it.`);
				return null;
			},
			onTask: (fn) => this.updaters.push({ el: this.el, update: fn }),
			build: (node) => this.#build(node, ctx),
			watchVisibility: (node, el) => {
				if (attr(node, "visibleWhen")) this.conditional.push({ node, el });
			},
			changed: (control) => {
				this.refreshVisibility();
				onChange(control);
			},
		};
		this.el = h("div", { class: `nblabel-canvas ${scopeClass}` });
		const root = this.#build(config, ctx);
		if (root) this.el.append(root.el);
		if (this.regions.makers.size) this.el.append(this.regionList.el);
		this.regions.listen(() => {
			this.#loadPerRegion();
			this.refreshVisibility();
		});
	}

	/** Per-region controls show the selected region's values. */
	#loadPerRegion() {
		const region = this.regions.byId(this.regions.selected);
		for (const c of this.controls) {
			if (!c.perRegion) continue;
			const v = region?.per.get(c.name);
			c.load(v ? { from_name: c.name, to_name: c.toName, type: c.type, value: v.value } : null, null, false);
		}
	}

	/** Keys for the active control (`nav`) and the regions. @param {KeyboardEvent} e @param {Control|null} active */
	key(e, active) {
		if (active?.nav?.(e)) return true;
		const maker = active?.armed ? active : this.controls.find((c) => c.armed && !c.el.closest(OFF_SCREEN));
		if (this.regionList.key(e, maker?.name ?? null, Boolean(this.relationsNode))) return true;
		return this.objectKeys.some((k) => !k.el.closest(OFF_SCREEN) && k.fn(e));
	}

	/**
	 * @param {ConfigNode} node
	 * @param {BuildContext} ctx
	 * @returns {Built|null}
	 */
	#build(node, ctx) {
		if (node.kind === "option") return null; // options are drawn by their control
		if (node.tag === "Relations") return null; // drawn by the region panel (relation labels)
		const control = CONTROLS[node.tag];
		const other = OBJECTS_AND_LAYOUT[node.tag];
		if (!node.supported || (!control && !other)) {
			this.unsupported.push(node.tag);
			return { el: h("div", { class: "nblabel-error nblabel-unsupported" }, `<${node.tag}> is not supported yet`) };
		}
		if (control) {
			const perRegion = boolAttr(node, "perRegion");
			const c = control(node, perRegion ? { ...ctx, changed: (x) => this.#perRegionChanged(x) } : ctx);
			c.perRegion = perRegion;
			c.el.setAttribute("data-control", String(this.controls.length));
			c.el.prepend(h("div", { class: "nblabel-control-name", "aria-hidden": "true" }, c.name));
			ctx.watchVisibility(node, c.el);
			this.controls.push(c);
			if (perRegion) {
				this.regionList.perRegion.append(c.el);
				return null;
			}
			return { el: c.el };
		}
		const built = other(node, ctx);
		if (built.update) this.updaters.push(built);
		return built;
	}

	/** @param {Control} c */
	#perRegionChanged(c) {
		const region = this.regions.byId(this.regions.selected);
		if (region) {
			const v = c.value();
			if (v) region.per.set(c.name, { type: c.type, value: v });
			else region.per.delete(c.name);
		}
		this.refreshVisibility();
	}

	/** Paint `task`: objects show its data, controls its draft / prefill. @param {Task} task */
	load(task) {
		for (const u of this.updaters) u.update?.(task);
		this.loadAnswer(task);
	}

	/**
	 * Show `task`'s draft / prefill in the controls and regions only, the objects staying as they are (a reviewer
	 * switching versions keeps the picture, the audio position, the scroll). @param {Task} task
	 */
	loadAnswer(task) {
		const source = task.draft ?? (Array.isArray(task.prefill) ? task.prefill : []);
		const perNames = new Set(this.controls.filter((c) => c.perRegion).map((c) => c.name));
		let prefill = this.regions.load(source, perNames);
		for (const u of this.updaters) if (u.take) prefill = u.take(prefill);
		const suggested = task.prefill_from === "prediction";
		const names = new Set(this.controls.filter((c) => !c.perRegion).map((c) => c.name));
		this.prefillIds.clear();
		this.passthrough = prefill.filter((it) => !names.has(it.from_name));
		for (const c of this.controls) {
			if (c.perRegion) continue;
			const item = prefill.find((it) => it.from_name === c.name && (!it.type || it.type === c.type)) ?? null;
			const draft = task.draft ? (task.draft.find((it) => it.from_name === c.name) ?? null) : null;
			this.prefillIds.set(c.name, draft?.id ?? item?.id);
			c.load(item, draft, suggested && Boolean(item));
			const hint = Array.isArray(task.hint) ? (task.hint.find((it) => it.from_name === c.name) ?? null) : null;
			c.hint?.(hint, typeof task.prediction?.score === "number" ? task.prediction.score : null);
		}
		this.refreshVisibility();
	}

	/** Controls that can take keys now (not inside a hidden `visibleWhen` part nor on another Repeater page). */
	visibleControls() {
		return this.controls.filter((c) => !c.el.closest(OFF_SCREEN));
	}

	/** Controls that answer: not inside a hidden `visibleWhen` part (a Repeater item on another page answers). */
	answeringControls() {
		return this.controls.filter((c) => !c.el.closest(".nblabel-hidden"));
	}

	/**
	 * The result list to submit, the names of required controls left empty.
	 * @returns {{items: ResultItem[], missing: string[]}}
	 */
	result() {
		/** @type {ResultItem[]} */
		const items = [];
		/** @type {string[]} */
		const missing = [];
		for (const c of this.answeringControls()) {
			if (c.perRegion) continue;
			if (c.armed) {
				if (c.required && c.empty?.()) missing.push(c.name);
				continue;
			}
			const value = c.value();
			if (value === null) {
				if (c.required) missing.push(c.name);
				continue;
			}
			items.push({
				id: this.prefillIds.get(c.name) ?? regionId(),
				from_name: c.name,
				to_name: c.toName,
				type: c.type,
				value,
			});
		}
		for (const u of this.updaters) {
			const a = u.answer?.();
			if (!a || u.el.closest(".nblabel-hidden")) continue;
			items.push(...a.items);
			if (a.missing) missing.push(a.missing);
		}
		return { items: items.concat(this.regions.result(), this.passthrough), missing };
	}

	/**
	 * The answer on screen as one string, to tell whether the annotator changed what was loaded. Items of plain
	 * controls draw a fresh id on every `result()` unless a prefill gave one, so their ids are left out; region ids
	 * are stable and stay in.
	 */
	fingerprint() {
		const plain = new Set(this.controls.filter((c) => !c.armed && !c.perRegion).map((c) => c.name));
		return JSON.stringify(this.result().items.map((it) => (plain.has(it.from_name) ? { ...it, id: null } : it)));
	}

	/** Every visible control makes regions (spans, boxes…): an empty answer means "nothing to mark here". */
	regionOnly() {
		const top = this.visibleControls().filter((c) => !c.perRegion);
		return top.length > 0 && top.every((c) => Boolean(c.armed));
	}

	refreshVisibility() {
		for (const { node, el } of this.conditional) {
			const show = this.#visible(node);
			el.classList.toggle("nblabel-hidden", !show);
			el.hidden = !show;
		}
	}

	/** Label Studio `visibleWhen`: choice-selected / choice-unselected (whenTagName, whenChoiceValue), region-selected
	 * (whenTagName = the region's object, whenLabelValue), no-region-selected. @param {ConfigNode} node */
	#visible(node) {
		const rule = (attr(node, "visibleWhen") ?? "").trim();
		const tagNames = (attr(node, "whenTagName") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
		if (rule === "no-region-selected") return this.regions.selected === null;
		if (rule === "region-selected") {
			// whenTagName names the object the region is on, whenLabelValue one of its labels
			const region = this.regions.byId(this.regions.selected);
			const labels = (attr(node, "whenLabelValue") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
			return Boolean(region && (!tagNames.length || tagNames.includes(region.to_name))
				&& (!labels.length || region.labels.some((l) => labels.includes(l))));
		}
		if (rule !== "choice-selected" && rule !== "choice-unselected") return true;
		const wanted = (attr(node, "whenChoiceValue") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
		const sources = this.controls.filter((c) => c.selected && (!tagNames.length || tagNames.includes(c.name)));
		const values = sources.flatMap((c) => c.selected?.() ?? []);
		const hit = wanted.length ? values.some((v) => wanted.includes(v)) : values.length > 0;
		return rule === "choice-selected" ? hit : !hit;
	}
}
