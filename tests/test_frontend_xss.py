"""XSS corpus: HyperText HTML, task values, config attributes, list/choice `html`, links and SVG execute
nothing — no script runs, no event handler or `javascript:` URL survives in the widget, nothing escapes it."""

from __future__ import annotations

import pytest

from frontend_page import missing_reason, mount, task

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

P = "window.__xss=(window.__xss||0)+1"
CORPUS = [
    f"<script>{P}</script>",
    f"<img src=x onerror=\"{P}\">",
    f"<svg onload=\"{P}\"><circle r=5></circle></svg>",
    f"<svg><script>{P}</script></svg>",
    f"<a href=\"javascript:{P}\">click</a>",
    f"<a href=\"JaVaScRiPt:{P}\">click2</a>",
    f"<iframe src=\"javascript:{P}\"></iframe>",
    f"<iframe srcdoc=\"<script>{P}</script>\"></iframe>",
    f"<body onload=\"{P}\">",
    f"<div style=\"background:url(javascript:{P})\">styled</div>",
    f"<math><mi xlink:href=\"javascript:{P}\">m</mi></math>",
    f"<form action=\"javascript:{P}\"><button>go</button></form>",
    f"<details open ontoggle=\"{P}\">d</details>",
    f"<object data=\"javascript:{P}\"></object>",
    f"<embed src=\"javascript:{P}\">",
    f"<base href=\"javascript:{P}//\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{P}\">",
    f"<style>@import 'javascript:{P}';</style><p>style</p>",
    f"<noscript><p title=\"</noscript><img src=x onerror={P}>\"></noscript>",
    f"<img src=\"data:text/html,<script>{P}</script>\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    f"<input autofocus onfocus=\"{P}\">",
    f"<video><source onerror=\"{P}\"></video>",
    f"<marquee onstart=\"{P}\">m</marquee>",
    f"<template><img src=x onerror={P}></template>",
]
HTML = "".join(f"<p>{c}</p>" for c in CORPUS)

CONFIG = f"""<View>
  <Header value="$title"/>
  <Header value="&lt;img src=x onerror=&quot;{P}&quot;&gt;"/>
  <Style>body {{ display: none }} .jp-Notebook {{ display: none }} </Style>
  <Style>&lt;/style&gt;&lt;script&gt;{P}&lt;/script&gt;</Style>
  <HyperTextLabels name="ner" toName="html">
    <Label value="X&lt;img src=x onerror={P}&gt;" background="red;background-image:url(javascript:{P})"/>
  </HyperTextLabels>
  <HyperText name="html" value="$html"/>
  <Text name="text" value="$text"/>
  <Choices name="c" toName="text" style="position:fixed;top:0;left:0">
    <Choice value="a" html="&lt;img src=x onerror=&quot;{P}&quot;&gt;&lt;b&gt;bold&lt;/b&gt;"/>
    <Choice value="b" hint="&quot;&gt;&lt;img src=x onerror={P}&gt;"/>
  </Choices>
  <Choices name="dyn" toName="text" value="$options"/>
  <List name="items" value="$items"/>
  <Ranker name="rank" toName="items"/>
  <Paragraphs name="dlg" value="$dialogue"/>
  <Chat name="chat" value="$chat"/>
  <Table name="table" value="$table"/>
</View>"""


def test_corpus_executes_nothing(fe_page):
    data = {
        "title": f"<img src=x onerror=\"{P}\">",
        "html": HTML,
        "text": f"<script>{P}</script><img src=x onerror=\"{P}\">",
        "options": [{"value": "o", "html": f"<img src=x onerror=\"{P}\"><svg onload=\"{P}\"/>"}],
        "items": [{"id": "i1", "title": f"<b onclick={P}>t</b>",
                   "html": f"<a href=\"javascript:{P}\">x</a><img src=x onerror=\"{P}\">"}],
        "dialogue": [{"author": f"<img src=x onerror={P}>", "text": f"<script>{P}</script>"}],
        "chat": [{"role": "user", "content": f"<img src=x onerror=\"{P}\">"}],
        "table": {f"<img src=x onerror={P}>": f"<script>{P}</script>"},
    }
    from nblabel.config._parse import parse_config

    mount(fe_page, parse_config(CONFIG).to_json(), [task("x", data)])
    fe_page.wait_for_timeout(500)  # give any handler (onerror of a broken image, onload, ontoggle) time to fire
    # click every link and focus everything in the widget
    fe_page.evaluate("() => document.querySelectorAll('.nblabel a').forEach((a) => a.click())")
    fe_page.wait_for_timeout(200)
    assert fe_page.evaluate("window.__xss || 0") == 0
    bad = fe_page.evaluate("""() => {
      const out = [];
      for (const el of document.querySelectorAll('.nblabel *')) {
        if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META', 'FORM'].includes(el.tagName)) out.push(el.tagName);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(el.tagName + ' ' + a.name);
          if (/^\\s*(javascript|data:text)/i.test(a.value) && /href|src|action|data/i.test(a.name))
            out.push(el.tagName + ' ' + a.name + '=' + a.value);
        }
      }
      return out;
    }""")
    assert bad == []
    # config CSS is scoped: JupyterLab's page is not hidden, the widget is not pinned over it
    assert fe_page.locator("#outside").is_visible()
    assert fe_page.evaluate("getComputedStyle(document.querySelector('.nblabel-choices')).position") != "fixed"
    # the task text is shown as text
    assert "<script>" in fe_page.locator(".nblabel-text").first.text_content()
