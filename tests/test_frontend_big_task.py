"""Big tasks in the built front end: a long text is painted in blocks the browser lays out only on screen, a big
page streams in slice by slice; offsets stay exact (code points in results, regions across block boundaries, astral
characters), and regions of a page still being prepared are kept. No timing is asserted here:
bench/bench_big_task.py measures the first screen and the longest main-thread task."""

from __future__ import annotations

import pytest

from frontend_page import missing_reason, mount, received, task, wait_received

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

CONFIG = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <HyperTextLabels name="hner" toName="html"><Label value="PER"/><Label value="ORG"/></HyperTextLabels>
  <Text name="text" value="$text"/>
  <HyperText name="html" value="$html"/>
  <Choices name="kind" toName="text" choice="single"><Choice value="News"/><Choice value="Spam"/></Choices>
</View>"""
PICK = [{"id": "pick000001", "from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["News"]}}]
SUGGESTED = {"prefill_from": "prediction", "prediction": {"id": 1, "score": 0.9}}


def long_text(n_chars: int) -> str:
    parts, n, i = [], 0, 0
    while n < n_chars:
        para = f"Paragraph {i} 😀 mentions Ada Lovelace and ACME " + "word " * (40 + i % 60)
        parts.append(para.strip())
        n += len(para) + 2
        i += 1
    return "\n\n".join(parts)


def u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_long_text_is_painted_in_blocks_and_offsets_stay_exact(fe_page):
    text = long_text(300_000)
    s = text.rindex("Ada Lovelace")
    near_end = {
        "id": "nearend001",
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "value": {"start": s, "end": s + 12, "text": text[s : s + 12], "labels": ["PER"]},
    }
    mount(
        fe_page,
        CONFIG,
        [
            task("small", {"text": "small", "html": "<p>x</p>"}, prefill=PICK, **SUGGESTED),
            task("big", {"text": text, "html": "<p>x</p>"}, prefill=PICK + [near_end], **SUGGESTED),
        ],
    )
    first = fe_page.evaluate("""() => {
      document.querySelector('.nblabel').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
      const el = document.querySelector('.nblabel-text');  // the big text, as painted by the key press
      return [el.classList.contains('is-partial'), el.querySelectorAll('.nblabel-chunk').length];
    }""")
    blocks = fe_page.locator(".nblabel-text .nblabel-chunk")
    fe_page.wait_for_function("() => !document.querySelector('.nblabel-text.is-partial')")
    assert first[0] and 0 < first[1] < blocks.count()  # the first blocks came with the task, the rest in later tasks
    assert blocks.count() > 10
    assert blocks.first.evaluate("(b) => getComputedStyle(b).contentVisibility") == "auto"
    assert fe_page.evaluate("() => document.querySelector('.nblabel-text').textContent") == text
    painted = fe_page.evaluate(
        "() => Array.from(document.querySelectorAll('.nblabel-text [data-region=nearend001]'), (e) => e.textContent).join('')"
    )
    assert painted == "Ada Lovelace"
    # a mouse selection across the boundary of the first two blocks
    first_len = blocks.first.evaluate("(b) => b.textContent.length")
    fe_page.evaluate("""() => {
      const [a, b] = document.querySelectorAll('.nblabel-text .nblabel-chunk');
      const r = document.createRange();
      const last = a.lastChild, first = b.firstChild;
      r.setStart(last, Math.max(0, last.data.length - 12));
      r.setEnd(first, Math.min(first.data.length, 20));
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
      document.querySelector('.nblabel-text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")  # PER on the pending selection
    crossing = fe_page.locator(".nblabel-text .nblabel-span[data-region]:not([data-region=nearend001])")
    assert {
        crossing.nth(i).evaluate(
            "(e) => e.closest('.nblabel-chunk') === document.querySelectorAll('.nblabel-text .nblabel-chunk')[0]"
        )
        for i in range(crossing.count())
    } == {True, False}  # painted in both blocks
    # the keyboard cursor (one word after the last region) on the long text
    fe_page.keyboard.press("Alt+ArrowRight")
    fe_page.keyboard.press("2")
    fe_page.keyboard.press("Enter")
    result = wait_received(fe_page, "submit", 2)[1]["result"]
    spans = {r["id"]: r["value"] for r in result if r["type"] == "labels"}
    assert spans.pop("nearend001") == near_end["value"]
    for v in spans.values():
        assert text[v["start"] : v["end"]] == v["text"]  # code points in results
    per = next(v for v in spans.values() if v["labels"] == ["PER"])
    assert u16(text, per["start"]) < first_len < u16(text, per["end"])
    org = next(v for v in spans.values() if v["labels"] == ["ORG"])
    assert org["start"] == s + 13 and org["text"] == text[s + 13 :].split()[0]


def big_page(n_chars: int) -> tuple[str, list[str]]:
    paras, n, i = [], 0, 0
    while n < n_chars:
        para = f"Item {i} from the scraped page " + "text " * (30 + i % 40)
        paras.append(para)
        n += len(para) + 7
        i += 1
    return "<div class='page'>" + "".join(f"<p>{p}</p>" for p in paras) + "</div>", paras


def _region(paras: list[str], k: int) -> dict:
    at = sum(len(p) for p in paras[:k])
    return {
        "id": "htmlreg001",
        "from_name": "hner",
        "to_name": "html",
        "type": "hypertextlabels",
        "value": {"globalOffsets": {"start": at + 5, "end": at + 9}, "text": paras[k][5:9], "hypertextlabels": ["ORG"]},
    }


def _mount_big_page_between_small_ones(fe_page, html: str, region: dict) -> None:
    """Task 1 is the big page with a suggested region; tasks 0 and 2 are small, so Enter moves onto and off it."""
    small = {"text": "small", "html": "<p>small</p>"}
    mount(
        fe_page,
        CONFIG,
        [
            task("0", small, prefill=PICK, **SUGGESTED),
            task("1", {"text": "t", "html": html}, prefill=PICK + [region], **SUGGESTED),
            task("2", small, prefill=PICK, **SUGGESTED),
        ],
    )


def test_big_page_streams_in_and_offsets_stay_exact(fe_page):
    html, paras = big_page(400_000)
    k = len(paras) - 3
    region = _region(paras, k)
    _mount_big_page_between_small_ones(fe_page, html, region)
    # Streaming, told apart from one long task by what the page shows between its slices (not by how many slices
    # a fast machine needs): text blocks already on screen while the "Preparing" note is still there.
    fe_page.evaluate("""() => { window.__adds = 0; window.__partial = 0;
      const root = document.querySelector('.nblabel-hypertext');
      new MutationObserver((ms) => {
        if (!ms.some((m) => m.addedNodes.length)) return;
        window.__adds++;
        if (root.querySelector('.nblabel-chunk') && root.querySelector('.nblabel-preparing')) window.__partial++;
      }).observe(root, {childList: true, subtree: true}); }""")
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_function(
        "() => document.querySelector('.nblabel-task-id').textContent === 'Task 1'"
        " && !document.querySelector('.nblabel-preparing')"
    )
    assert fe_page.evaluate("window.__adds") > 1  # the page arrived in several slices …
    assert fe_page.evaluate("window.__partial") >= 1  # … and its first part showed before the rest was ready
    assert fe_page.locator(".nblabel-hypertext .nblabel-chunk").count() > 10
    shown = fe_page.evaluate("() => document.querySelector('.nblabel-hypertext').textContent")
    assert shown == "".join(paras)
    assert shown == fe_page.evaluate("(h) => new DOMParser().parseFromString(h, 'text/html').body.textContent", html)
    painted = fe_page.evaluate(
        "() => Array.from(document.querySelectorAll('.nblabel-hypertext [data-region=htmlreg001]'), (e) => e.textContent).join('')"
    )
    assert painted == paras[k][5:9]
    fe_page.keyboard.press("Enter")
    result = wait_received(fe_page, "submit", 2)[1]["result"]
    got = next(r["value"] for r in result if r["id"] == "htmlreg001")
    assert got == {
        **region["value"],
        "start": f"/div[1]/p[{k + 1}]/text()[1]",
        "startOffset": 5,
        "end": f"/div[1]/p[{k + 1}]/text()[1]",
        "endOffset": 9,
    }


def test_answering_a_page_still_being_prepared_keeps_its_regions(fe_page):
    html, paras = big_page(400_000)
    region = _region(paras, len(paras) - 2)
    _mount_big_page_between_small_ones(fe_page, html, region)
    preparing = fe_page.evaluate("""() => {
      const root = document.querySelector('.nblabel');
      const enter = () => root.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));
      enter();  // to the big page: its first slice is shown, the rest follows in later tasks
      const was = Boolean(document.querySelector('.nblabel-preparing'));
      enter();  // accept it before it is complete
      return was;
    }""")
    assert preparing
    submits = wait_received(fe_page, "submit", 2)
    assert submits[1]["key"] == "1"
    assert [r for r in submits[1]["result"] if r["type"] == "hypertextlabels"] == [region]
    assert len(received(fe_page, "submit")) == 2


def test_a_page_of_a_hundred_kilobytes_is_prepared_in_slices_too(fe_page):
    # sanitising 100 kB of HTML in one go is a long main-thread task of its own; such a page streams in like a 5 MB one
    html, paras = big_page(100_000)
    region = _region(paras, len(paras) - 2)
    _mount_big_page_between_small_ones(fe_page, html, region)
    preparing = fe_page.evaluate("""() => {
      document.querySelector('.nblabel').dispatchEvent(
        new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}));
      return Boolean(document.querySelector('.nblabel-preparing'));  // still in the key's own task
    }""")
    assert preparing
    fe_page.wait_for_function("() => !document.querySelector('.nblabel-preparing')")
    assert fe_page.evaluate("() => document.querySelector('.nblabel-hypertext').textContent") == "".join(paras)
    painted = fe_page.evaluate(
        "() => Array.from(document.querySelectorAll('.nblabel-hypertext [data-region=htmlreg001]'), (e) => e.textContent).join('')"
    )
    assert painted == region["value"]["text"]


def test_an_unconfirmed_answer_to_a_big_task_is_still_kept_in_local_storage(fe_page):
    # a 6 MB task does not fit in localStorage (Chromium: 10 MB of UTF-16 per origin); the stored entry leaves it out
    # (Python sends the task again after a reload) so the answer itself survives a reload
    text = long_text(6_000_000)
    mount(
        fe_page,
        CONFIG,
        [
            task("small", {"text": "small", "html": "<p>x</p>"}, prefill=PICK, **SUGGESTED),
            task("big", {"text": text, "html": "<p>x</p>"}, prefill=PICK, **SUGGESTED),
            task("last", {"text": "last", "html": "<p>x</p>"}, prefill=PICK, **SUGGESTED),
        ],
        autoAck=False,
    )
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")
    fe_page.wait_for_function("() => document.querySelector('.nblabel-task-id').textContent === 'Task big'")
    fe_page.keyboard.press("Enter")
    wait_received(fe_page, "submit", 2)
    stored = fe_page.evaluate("() => JSON.parse(localStorage.getItem(window.__nb.python.outboxKey) ?? '[]')")
    assert [e["key"] for e in stored] == ["small", "big"]
    assert stored[0]["task"]["data"]["text"] == "small"  # a small task is kept whole, for a refusal after a reload
    assert "task" not in stored[1] and stored[1]["result"] == PICK
