"""The in-page probe of the key → next task benchmarks (blank page and real hosts alike).

t0 in a capture-phase keydown listener on `document` (before the widget's handler); t1 in a setTimeout(0) scheduled
from the requestAnimationFrame callback that follows (after the frame with the new task); the time inside the
widget's own keydown handler from a listener on its root registered after the widget's; "is it the next task" read
from the task id, which text and image tasks both show.
"""

PROBE = """() => {
  window.__lat = [];
  let t0 = 0, handled = 0;
  const root = document.querySelector('.nblabel');
  root.addEventListener('keydown', () => { handled = performance.now() - t0; });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    t0 = performance.now();
    const before = root.querySelector('.nblabel-task-id').textContent;
    requestAnimationFrame(() => {
      const tFrame = performance.now();
      setTimeout(() => {
        const after = root.querySelector('.nblabel-task-id')?.textContent ?? '(summary)';
        window.__lat.push({paint: performance.now() - t0, frame: tFrame - t0, handler: handled,
                           changed: after !== before});
      }, 0);
    });
  }, true);
}"""
