// The region panel under the form: every region of the task (click selects, × deletes), the relations between them
// (direction cycles → ← ↔, relation labels toggle, × deletes) and, while a region is selected, its per-region
// controls. Rule: the panel only reads the store and calls its methods; it repaints on every store change (a task has
// tens of regions, not thousands, so a rebuild is cheap and keeps the DOM honest).

import { attr, descendants, h } from "./util.js";

/** @typedef {import("./regions.js").RegionStore} RegionStore */
/** @typedef {import("../types.js").ConfigNode} ConfigNode */

const ARROWS = { right: "→", left: "←", bi: "↔" };
/** @type {Record<string, "left"|"right"|"bi">} */
const NEXT = { right: "left", left: "bi", bi: "right" };

export class RegionList {
	/**
	 * @param {RegionStore} store
	 * @param {ConfigNode|null} relations  the `<Relations>` tag, if the config has one
	 * @param {(text: string) => void} hint
	 */
	constructor(store, relations, hint) {
		this.store = store;
		this.relationLabels = relations ? descendants(relations, "Relation").map((r) => attr(r, "value") ?? "") : [];
		this.canLink = Boolean(relations);
		this.multiRel = (attr(relations ?? { tag: "", kind: "visual", attrs: {}, text: null, children: [], supported: true }, "choice") ?? "") === "multiple";
		this.hint = hint;
		/** @type {string|null} region id waiting for the other end of a relation */
		this.linkFrom = null;
		this.list = h("ul", { class: "nblabel-region-list", "aria-label": "regions" });
		this.rels = h("ul", { class: "nblabel-relation-list", "aria-label": "relations" });
		this.perRegion = h("div", { class: "nblabel-per-region" });
		this.empty = h("div", { class: "nblabel-muted" }, "No regions yet: select text, then press a label key (or pick a label first).");
		this.el = h("div", { class: "nblabel-regions" }, h("div", { class: "nblabel-control-name" }, "regions"), this.empty, this.list, this.rels, this.perRegion);
		store.listen(() => this.paint());
	}

	/** Start or finish a relation from the selected region (key `r` or the ⇄ button). */
	startLink() {
		const s = this.store;
		if (!this.canLink && !s.items.length) return false;
		if (!s.selected) {
			this.hint("Select a region first (click it), then press r and click the other region.");
			return true;
		}
		this.linkFrom = s.selected;
		this.hint("Linking: click the region this one relates to (Escape cancels).");
		this.paint();
		return true;
	}

	/**
	 * Region keys on the root: Delete / Backspace remove the selected region, `r` links it, Shift/Alt+arrows move the
	 * keyboard selection on the objects of label control `maker`.
	 * @param {KeyboardEvent} e @param {string|null} maker @param {boolean} relations
	 */
	key(e, maker, relations) {
		const s = this.store;
		if (!s.makers.size) return false;
		const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
		if ((e.key === "Delete" || e.key === "Backspace") && plain && s.selected) {
			s.remove(s.selected);
			return true;
		}
		if (e.key.toLowerCase() === "r" && plain && !e.shiftKey && relations) return this.startLink();
		if (!maker) return false;
		for (const t of s.targets.get(maker) ?? []) if (s.objects.get(t)?.nav?.(e)) return true;
		return false;
	}

	/** A region was clicked (in an object or in the list): select it, or finish a pending link. @param {string} id */
	clicked(id) {
		if (this.linkFrom && this.linkFrom !== id) {
			const from = this.linkFrom;
			this.linkFrom = null;
			this.store.selected = null;
			if (!this.store.link(from, id)) this.hint("These two regions are already linked.");
			else this.hint("");
			return;
		}
		this.linkFrom = null;
		this.store.select(id);
	}

	paint() {
		const s = this.store;
		this.empty.hidden = s.items.length > 0;
		// what makes a region here: the verbs of the objects that label controls target ("draw on the image", …)
		const verbs = [...new Set([...s.objects.values()].filter((o) => s.objectTargeted(o.name)).map((o) => o.verb ?? "select text"))];
		this.empty.textContent = `No regions yet: ${verbs.join(" or ") || "select text"}, then press a label key (or pick a label first).`;
		this.list.replaceChildren(
			...s.items.map((r) => {
				const del = h("button", { type: "button", class: "nblabel-remove", tabindex: "-1", title: "delete region (Delete)" }, "×");
				del.addEventListener("click", (e) => {
					e.stopPropagation();
					s.remove(r.id);
				});
				const link = this.canLink ? h("button", { type: "button", class: "nblabel-link", tabindex: "-1", title: "link to another region (r)" }, "⇄") : null;
				link?.addEventListener("click", (e) => {
					e.stopPropagation();
					s.selected = r.id;
					this.startLink();
				});
				const li = h("li", { class: "nblabel-region-row", "data-region": r.id }, s.chip(r), link, del);
				li.classList.toggle("is-selected", s.selected === r.id);
				li.classList.toggle("is-linking", this.linkFrom === r.id);
				li.addEventListener("click", () => this.clicked(r.id));
				return li;
			}),
		);
		this.rels.replaceChildren(...s.relations.map((rel) => this.#relationRow(rel)));
		this.perRegion.hidden = !s.selected;
		this.perRegion.classList.toggle("nblabel-hidden", !s.selected);
	}

	/** @param {import("./regions.js").Relation} rel */
	#relationRow(rel) {
		const s = this.store;
		const a = s.byId(rel.from_id);
		const b = s.byId(rel.to_id);
		const dir = h("button", { type: "button", class: "nblabel-button nblabel-direction", tabindex: "-1", title: "direction" }, ARROWS[rel.direction]);
		dir.addEventListener("click", () => {
			rel.direction = NEXT[rel.direction];
			s.changed();
		});
		const del = h("button", { type: "button", class: "nblabel-remove", tabindex: "-1", title: "delete relation" }, "×");
		del.addEventListener("click", () => {
			s.relations = s.relations.filter((x) => x !== rel);
			s.changed();
		});
		const labels = this.relationLabels.map((value) => {
			const b = h("button", { type: "button", class: "nblabel-rel-label", tabindex: "-1", "aria-pressed": String(rel.labels.includes(value)) }, value);
			b.addEventListener("click", () => {
				const on = rel.labels.includes(value);
				rel.labels = on ? rel.labels.filter((l) => l !== value) : this.multiRel ? [...rel.labels, value] : [value];
				s.changed();
			});
			return b;
		});
		return h("li", { class: "nblabel-relation-row", "data-from": rel.from_id, "data-to": rel.to_id },
			a ? s.chip(a) : "?", dir, b ? s.chip(b) : "?", h("span", { class: "nblabel-rel-labels" }, ...labels), del);
	}
}
