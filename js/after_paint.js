// Work that can wait until the frame a key press asked for is on screen. Rule: `fn` runs once, in a task right after
// the next frame (requestAnimationFrame, then a timer), so it never sits between a key press and its paint; a page
// that draws no frames (a hidden tab) runs it after a short timer instead, so nothing waits for a frame forever.

const HIDDEN_PAGE_MS = 50;

/**
 * Run `fn` once, after the next frame has been produced.
 * @param {() => void} fn
 * @returns {() => void} cancel (a no-op once `fn` ran)
 */
export function afterPaint(fn) {
	let done = false;
	const cancel = () => {
		done = true;
		clearTimeout(fallback);
	};
	const run = () => {
		if (done) return;
		cancel();
		fn();
	};
	const fallback = setTimeout(run, HIDDEN_PAGE_MS);
	if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(run, 0));
	return cancel;
}
