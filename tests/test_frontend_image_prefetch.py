"""Pictures of the next tasks are loaded and decoded before their key press (js/render/image/image_cache.js through
js/media_cache.js), in the built front end with the fake model.

- the next task's picture is requested and decoded while the current task is on screen, so the frame after Enter
  already shows it complete with its regions (no load wait), and it is not requested a second time;
- only the task on screen and the next AHEAD (2) tasks are prefetched, however long the window: the cache is bounded;
- a URL the Image object would refuse (protocol-relative, `javascript:`) is never loaded ahead either;
- the cache itself (the module loaded alone): at most LIMIT pictures, the decoded-bytes budget, let-go pictures lose
  their `src`, a broken picture is "failed" and not retried.

Images are served by a routed fake host (http://pics.test/), so every request is seen and none touches the network.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from frontend_page import missing_reason, mount, task
from test_frontend_image import BOXES

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

ROOT = Path(__file__).resolve().parent.parent
HOST = "http://pics.test"
CONFIG = BOXES  # an Image with RectangleLabels


def png_bytes(w: int, h: int, seed: int) -> bytes:
    line = bytes(v for x in range(w) for v in ((x * 2 + seed * 50) % 256, (seed * 90) % 256, 180))
    rows = b"".join(b"\x00" + line for _ in range(h))
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def serve(page, log: list[str]) -> None:
    """http://pics.test/<n>.png → a 320×240 PNG (n picks the colour); every request is logged."""
    def handle(route):
        url = route.request.url
        log.append(url)
        if url.endswith("/broken.png"):
            return route.fulfill(status=404, body="no")
        seed = int(url.rsplit("/", 1)[1].split(".")[0])
        route.fulfill(status=200, content_type="image/png", body=png_bytes(320, 240, seed))
    page.route(f"{HOST}/**", handle)


def boxes(n: int) -> list[dict]:
    return [{"id": f"b{i}", "from_name": "label", "to_name": "image", "type": "rectanglelabels",
             "original_width": 320, "original_height": 240, "image_rotation": 0,
             "value": {"x": 5 + 8 * i, "y": 5 + 6 * i, "width": 10, "height": 10, "rotation": 0,
                       "rectanglelabels": ["Car"]}} for i in range(n)]


def url(i: int) -> str:
    return f"{HOST}/{i}.png"


FIRST_FRAME = """() => {
  window.__first = null;
  document.addEventListener('keydown', () => requestAnimationFrame(() => {
    const img = document.querySelector('.nblabel-image-img');
    window.__first = {src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth,
                      hidden: img.parentElement.style.visibility === 'hidden',
                      shapes: document.querySelectorAll('.nblabel-shape[data-region]').length,
                      task: document.querySelector('.nblabel-task-id')?.textContent};
  }), {capture: true, once: true});
}"""


def test_next_picture_is_decoded_before_the_key_and_shown_in_the_first_frame(fe_page):
    page = fe_page
    log: list[str] = []
    serve(page, log)
    tasks = [task(str(i), {"image": url(i)}, prefill=boxes(3), prefill_from="prediction",
                  prediction={"id": 1, "model_version": "v1", "score": 0.9}) for i in range(8)]
    mount(page, CONFIG, tasks, prefetch=5)
    page.wait_for_function("() => document.querySelectorAll('.nblabel-shape[data-region]').length === 3")
    # the next task's picture came while task 0 is on screen; it is complete and decoded before any key
    page.wait_for_function("(u) => performance.getEntriesByName(u).length > 0", arg=url(1))
    assert url(1) in log and url(2) in log
    page.locator(".nblabel").focus()
    for i in (1, 2, 3):
        page.evaluate(FIRST_FRAME)
        page.keyboard.press("Enter")
        got = page.wait_for_function("() => window.__first").json_value()
        assert got == {"src": url(i), "complete": True, "width": 320, "hidden": False, "shapes": 3,
                       "task": f"Task {i}"}, got
        page.wait_for_function("(u) => performance.getEntriesByName(u).length > 0", arg=url(i + 2))
    assert [log.count(url(i)) for i in range(6)] == [1] * 6  # each picture fetched once: the Image reused it
    assert url(6) not in log and url(7) not in log  # bounded: on screen (3) + 2 ahead, not the whole window


def test_only_the_next_two_tasks_are_prefetched_however_long_the_window(fe_page):
    page = fe_page
    log: list[str] = []
    serve(page, log)
    tasks = [task(str(i), {"image": url(i)}) for i in range(12)]
    mount(page, CONFIG, tasks, prefetch=10)  # Python sends 11 tasks
    page.wait_for_function("(u) => performance.getEntriesByName(u).length > 0", arg=url(2))
    page.wait_for_timeout(300)  # time for anything else to be (wrongly) asked for
    assert sorted(set(log)) == [url(0), url(1), url(2)]


def test_a_url_the_image_would_refuse_is_never_prefetched(fe_page):
    page = fe_page
    log: list[str] = []
    serve(page, log)
    evil: list[str] = []
    page.route("http://evil.test/**", lambda route: (evil.append(route.request.url), route.fulfill(status=404)))
    svg = "data:image/svg+xml," + "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    images = [url(0), "//evil.test/a.png", "javascript:alert(1)", svg, url(4)]
    tasks = [task(str(i), {"image": v}, prefill=boxes(1), prefill_from="prediction",
                  prediction={"id": 1, "model_version": "v1", "score": 0.9}) for i, v in enumerate(images)]
    mount(page, CONFIG, tasks, prefetch=4)
    page.wait_for_function("(u) => performance.getEntriesByName(u).length > 0", arg=url(0))
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")  # task 1 on screen: its refused URL is an error in place
    page.locator(".nblabel .nblabel-media-error").wait_for()
    for i in (2, 3):
        page.keyboard.press("Enter")
        page.wait_for_function("(t) => document.querySelector('.nblabel-task-id')?.textContent === t", arg=f"Task {i}")
    page.wait_for_function("(u) => performance.getEntriesByName(u).length > 0", arg=url(4))
    assert evil == []
    names = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert not any(n.startswith(("javascript:", "data:image/svg")) for n in names)


CACHE = """async ([src, host]) => {
  const mod = await import(URL.createObjectURL(new Blob([src], {type: 'text/javascript'})));
  const u = (i) => `${host}/${i}.png`;
  const out = {limit: mod.LIMIT, ahead: mod.AHEAD};
  const cache = new mod.ImageDecodeCache();
  const decoded = (c, urls) => new Promise((resolve) => {
    const poll = () => urls.every((x) => c.state(x) === 'decoded') ? resolve() : setTimeout(poll, 10);
    poll();
  });
  cache.want([u(0), u(1), u(2)]);
  await decoded(cache, [u(0), u(1), u(2)]);
  out.first = [cache.size, cache.state(u(1))];
  const sizes = [];
  let kept = [];
  for (let i = 0; i < 20; i++) {  // a sliding window over 20 tasks, 6 wanted each time: never more than LIMIT held
    const held = [...cache.pictures.values()].map((p) => p.img);
    cache.want([u(i), u(i + 1), u(i + 2), u(i + 3), u(i + 4), u(i + 5)]);
    sizes.push(cache.size);
    kept = [...cache.pictures.values()].map((p) => p.img);
    const dropped = held.filter((img) => !kept.includes(img));
    out.droppedHaveNoSrc = (out.droppedHaveNoSrc ?? true) && dropped.every((img) => !img.getAttribute('src'));
    await new Promise((r) => setTimeout(r, 5));
  }
  out.sizes = sizes;
  out.keys = [...cache.pictures.keys()];
  // budget: one 320×240 picture's bytes; beyond the first two, a decoded picture over budget is let go
  const small = new mod.ImageDecodeCache(4, 320 * 240 * 4);
  small.want([u(30), u(31), u(32), u(33)]);
  await decoded(small, [u(30), u(31)]);
  await new Promise((r) => setTimeout(r, 200));
  out.budget = [...small.pictures.keys()];
  const broken = new mod.ImageDecodeCache();
  broken.want([`${host}/broken.png`]);
  await new Promise((resolve) => {
    const poll = () => broken.state(`${host}/broken.png`) === 'failed' ? resolve() : setTimeout(poll, 10);
    poll();
  });
  out.broken = broken.state(`${host}/broken.png`);
  cache.dispose(); small.dispose(); broken.dispose();
  out.afterDispose = cache.size + small.size + broken.size;
  return out;
}"""


def test_decode_cache_is_bounded(fe_page):
    page = fe_page
    log: list[str] = []
    serve(page, log)
    src = (ROOT / "js" / "render" / "image" / "image_cache.js").read_text()
    out = page.evaluate(CACHE, [src, HOST])
    assert out["limit"] == 4 and out["ahead"] == 2
    assert out["first"] == [3, "decoded"]
    assert max(out["sizes"]) == 4 and out["sizes"][-1] == 4
    assert out["keys"] == [url(19), url(20), url(21), url(22)]  # the most needed first, the rest let go
    assert out["droppedHaveNoSrc"] is True
    assert out["budget"] == [url(30), url(31)]  # the first two always stay; 32 and 33 went over the budget
    assert out["broken"] == "failed" and log.count(f"{HOST}/broken.png") == 1
    assert out["afterDispose"] == 0
    assert all(log.count(url(i)) <= 1 for i in range(23))  # nothing loaded twice
