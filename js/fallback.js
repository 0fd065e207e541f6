// The static card a saved notebook shows where the widget was (nblabel/widget/_static.py) is an output of its own,
// displayed right after the widget's. Rule: while a view of the same Labeler is live, its card is hidden in the page
// — found by the token the `state` carries, never by position — and the notebook file keeps the card, so a notebook
// reopened without its kernel still shows it. (In JupyterLab / Notebook 7 a CSS rule hides it even before the first
// `state`, see styles/card.css.)

/**
 * @param {unknown} token  `state.view_token`
 * @param {ParentNode} [scope]
 */
export function hideStaticCard(token, scope = document) {
	if (typeof token !== "string" || !/^[0-9a-f]{6,64}$/.test(token)) return;
	for (const card of scope.querySelectorAll(`.nblabel-static[data-nblabel-view="${token}"]`)) {
		const output = /** @type {HTMLElement} */ (card.closest(".jp-OutputArea-child") ?? card);
		if (output.style.display !== "none") output.style.display = "none";
	}
}
