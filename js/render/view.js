// Layout tags: View, Header, Style. Rule: a config may style only its own canvas. `style=` attributes go through
// `el.style.cssText` (parsed as declarations, never markup); `<Style>` CSS is parsed by a constructed
// CSSStyleSheet and every selector is re-rooted under this view's unique scope class, so `body{…}` or
// `.jp-Notebook{…}` can only ever reach elements inside the widget. At-rules that cannot be scoped
// (@import, @font-face, @keyframes, @property, @scope, …) are dropped. Declarations that would load a remote
// resource (`url()` of another origin, `image-set()` …) are dropped too unless the user allowed remote loads: a
// copied config must not report each pick to a server.

import { dropLoads } from "./remote.js";
import { applyStyle, attr, boolAttr, h, resolve, safeClasses, displayText } from "./util.js";

/** @typedef {import("../types.js").ConfigNode} ConfigNode */
/** @typedef {import("./tree.js").BuildContext} BuildContext */
/** @typedef {import("./tree.js").Built} Built */

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildView(node, ctx) {
	const el = h("div", { class: ["nblabel-view", ...safeClasses(attr(node, "className"))].join(" ") });
	applyStyle(el, attr(node, "style"), ctx.remote);
	const inline = /display:\s*flex/.test(attr(node, "style") ?? "");
	if (inline) el.classList.add("is-flex");
	for (const child of node.children ?? []) {
		const built = ctx.build(child);
		if (built) el.append(built.el);
	}
	ctx.watchVisibility(node, el);
	return { el };
}

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildHeader(node, ctx) {
	const size = Math.min(6, Math.max(1, Number(attr(node, "size")) || 4));
	const el = h("div", {
		class: `nblabel-header nblabel-header-${size}${boolAttr(node, "underline") ? " is-underlined" : ""}`,
		role: "heading",
		"aria-level": size,
	});
	applyStyle(el, attr(node, "style"), ctx.remote);
	const value = attr(node, "value");
	ctx.watchVisibility(node, el);
	if (value === undefined || !value.includes("$")) {
		el.textContent = value ?? node.text ?? "";
		return { el };
	}
	return {
		el,
		update(task) {
			el.textContent = displayText(resolve(value, task.data));
		},
	};
}

/**
 * @param {ConfigNode} node
 * @param {BuildContext} ctx
 * @returns {Built}
 */
export function buildStyle(node, ctx) {
	const el = h("style", { "data-nblabel-style": "" });
	el.textContent = scopeCss(node.text ?? "", `.${ctx.scopeClass}`, ctx.remote);
	return { el };
}

const GROUPING = ["CSSMediaRule", "CSSSupportsRule", "CSSContainerRule", "CSSLayerBlockRule"];

/**
 * Re-root every selector of `css` under `scope`.
 * @param {string} css
 * @param {string} scope  e.g. ".nblabel-scope-x1y2"
 * @param {import("./remote.js").RemotePolicy} [remote]  what its url()s may load
 * @returns {string} the scoped CSS text ("" if nothing survives or the browser cannot parse it)
 */
export function scopeCss(css, scope, remote = "media") {
	let sheet;
	try {
		sheet = new CSSStyleSheet();
		sheet.replaceSync(css.replace(/<!--|-->/g, ""));
	} catch {
		return "";
	}
	scopeRules(sheet, scope, remote);
	return Array.from(sheet.cssRules, (r) => r.cssText).join("\n");
}

/**
 * @param {CSSStyleSheet|CSSGroupingRule} parent
 * @param {string} scope
 * @param {import("./remote.js").RemotePolicy} remote
 */
function scopeRules(parent, scope, remote) {
	for (let i = parent.cssRules.length - 1; i >= 0; i--) {
		const rule = parent.cssRules[i];
		if (rule instanceof CSSStyleRule) {
			const scoped = splitSelectors(rule.selectorText).map((s) => scopeSelector(s, scope)).join(", ");
			rule.selectorText = scoped;
			// the browser ignores a selector it cannot parse: then the old, unscoped one would stay: drop the rule
			if (!splitSelectors(rule.selectorText).every((s) => s.trim().startsWith(scope))) parent.deleteRule(i);
			else dropNestedLoads(rule, remote);
		} else if (GROUPING.includes(rule.constructor.name) && "cssRules" in rule) {
			scopeRules(/** @type {CSSGroupingRule} */ (rule), scope, remote);
		} else {
			parent.deleteRule(i);
		}
	}
}

/**
 * Drop the loading declarations of a style rule and of the rules nested in it (CSS nesting: their selectors are
 * relative to the scoped parent, so they stay as written; nested at-rules other than grouping ones go).
 * @param {CSSStyleRule|CSSGroupingRule} rule
 * @param {import("./remote.js").RemotePolicy} remote
 */
function dropNestedLoads(rule, remote) {
	if ("style" in rule) dropLoads(rule.style, remote);
	const kids = /** @type {CSSRuleList|undefined} */ (/** @type {any} */ (rule).cssRules);
	for (let i = (kids?.length ?? 0) - 1; i >= 0; i--) {
		const kid = /** @type {CSSRuleList} */ (kids)[i];
		if ("style" in kid || (GROUPING.includes(kid.constructor.name) && "cssRules" in kid)) dropNestedLoads(/** @type {any} */ (kid), remote);
		else /** @type {CSSGroupingRule} */ (/** @type {unknown} */ (rule)).deleteRule(i);
	}
}

/**
 * "html body .x", ":root", "body" → the scope itself; everything else becomes a descendant of the scope.
 * @param {string} sel
 * @param {string} scope
 */
export function scopeSelector(sel, scope) {
	const s = sel.trim();
	// strip a leading html / :root / body (each optionally followed by a compound like `.dark`)
	const m = /^(?:(?::root|html)(?![\w-]))?(?:\s*body(?![\w-]))?/i.exec(s);
	const head = m ? m[0] : "";
	if (!head.trim()) return `${scope} ${s}`;
	const rest = s.slice(head.length);
	if (!rest.trim()) return scope;
	// `body.dark .x` keeps `.dark` on the scope itself; `body .x` / `body > .x` become descendants of it
	return /^\s/.test(rest) || /^[>+~]/.test(rest) ? `${scope} ${rest.trim()}` : `${scope}${rest}`;
}

/**
 * Split a selector list at top-level commas (not inside parentheses, brackets or strings).
 * @param {string} list
 */
export function splitSelectors(list) {
	/** @type {string[]} */
	const out = [];
	let depth = 0;
	let quote = "";
	let cur = "";
	for (const ch of list) {
		if (quote) {
			if (ch === quote) quote = "";
		} else if (ch === '"' || ch === "'") quote = ch;
		else if (ch === "(" || ch === "[") depth++;
		else if (ch === ")" || ch === "]") depth--;
		else if (ch === "," && depth === 0) {
			out.push(cur);
			cur = "";
			continue;
		}
		cur += ch;
	}
	if (cur.trim()) out.push(cur);
	return out;
}
