"""Hostile task data and copied configs that execute nothing but still act on the annotator (beyond the XSS corpus):
links that navigate the notebook tab, beacons through task HTML, task-data styles and colours, config styles, media
URLs that reach another host, task hotkeys that take the widget's own keys. Every check observes the browser:
navigations and popups, every request the page makes (routed, none reaches the network), key effects."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from frontend_page import ORIGIN, missing_reason, mount, received, task, wait_received

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
DOT = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNg+M8AAAMBAQAY3Y2wAAAAAElFTkSuQmCC"
)


def watch_network(context) -> list[str]:
    """Every request to a host other than the test page's, answered here (a 1×1 PNG or an empty page)."""
    seen: list[str] = []
    page_host = urlparse(ORIGIN).hostname

    def handle(route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host == page_host:
            return route.fallback()
        seen.append(url)
        if route.request.resource_type == "image":
            return route.fulfill(status=200, content_type="image/png", body=PNG)
        return route.fulfill(status=200, content_type="text/html", body="<!doctype html><p>elsewhere</p>")

    context.route("**/*", handle)
    return seen


# -- 1. links never navigate the notebook tab ------------------------------------------------------------------

LINKS = f"""<p><a href="http://evil.example/html-a">html link</a></p>
<svg width="220" height="30"><a href="http://evil.example/svg-a"><text x="4" y="20">svg link</text></a></svg>
<svg width="220" height="30"><a xlink:href="http://evil.example/svg-xlink"><text x="4" y="20">svg xlink</text></a></svg>
<img src="{DOT}" usemap="#m" width="40" height="40" alt="map"><map name="m"><area shape="rect" coords="0,0,40,40" href="http://evil.example/area"></map>
<math><mi href="http://evil.example/math">m</mi></math>
<a href="\\\\evil.example/backslash">backslash link</a>"""

LINKS_CONFIG = """<View>
  <HyperText name="html" value="$html"/>
  <List name="items" value="$items"/>
  <Choices name="c" toName="html" value="$options">
    <Choice value="cfg" html="&lt;svg width='120' height='24'&gt;&lt;a href='http://evil.example/choice-svg'&gt;&lt;text x='2' y='16'&gt;choice svg&lt;/text&gt;&lt;/a&gt;&lt;/svg&gt;"/>
  </Choices>
</View>"""


def test_links_open_in_a_new_tab_without_opener_or_not_at_all(fe_page, fe_context):
    watch_network(fe_context)
    popups = []
    fe_context.on("page", lambda p: popups.append(p))
    navigations = []
    fe_page.on("framenavigated", lambda f: navigations.append(f.url) if f == fe_page.main_frame else None)
    data = {"html": LINKS, "items": [{"id": "i", "html": LINKS}], "options": [{"value": "dyn", "html": LINKS}]}
    mount(fe_page, LINKS_CONFIG, [task("x", data)])
    # real clicks on what a user can click, then a click event on every link-like element left
    for name in ["html link", "svg link", "svg xlink", "choice svg", "backslash link"]:
        fe_page.get_by_text(name).first.click()
    fe_page.evaluate("""() => {
      for (const el of document.querySelectorAll('.nblabel a, .nblabel area, .nblabel [href]'))
        el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
    }""")
    fe_page.wait_for_timeout(300)  # a navigation starts asynchronously
    assert navigations == [] and fe_page.url == f"{ORIGIN}/"
    assert fe_page.locator(".nblabel-hypertext").count() == 1  # still the widget's page
    links = fe_page.evaluate("""() => Array.from(document.querySelectorAll('.nblabel a, .nblabel area, .nblabel [href]'),
        (el) => ({tag: el.tagName, ns: el.namespaceURI, href: el.getAttribute('href') ?? el.getAttribute('xlink:href'),
                  target: el.getAttribute('target'), rel: el.getAttribute('rel')}))""")
    html_links = [link for link in links if link["ns"] == "http://www.w3.org/1999/xhtml"]
    assert {link["tag"] for link in html_links} == {"A", "AREA"}
    for link in links:
        if link["ns"] != "http://www.w3.org/1999/xhtml":
            assert link["href"] is None, link  # SVG / MathML links lose their target: no way to add rel=noopener
        elif link["href"] is not None:
            assert link["target"] == "_blank" and set(link["rel"].split()) == {"noopener", "noreferrer"}, link
    for popup in popups:
        popup.wait_for_load_state()
        assert popup.evaluate("() => [window.opener, document.referrer]") == [None, ""]
    assert len(popups) >= 2  # the HTML link and the backslash one did open (in new tabs)


# -- 2.–4. nothing loads from another host unless the user allows it -------------------------------------------

E = "http://evil.example"
TASK_HTML = f"""<img src="{E}/pixel.png" alt="tracker"><img src="\\\\evil.example/bs.png"><img src="/\\evil.example/sb.png">
<img src="//evil.example/pr.png"><img src="{E}/lazy.png" loading="lazy"><img srcset="{E}/srcset.png 2x" src="{DOT}">
<picture><source srcset="{E}/pic.png"><img src="{DOT}"></picture>
<svg width="20" height="20"><image href="{E}/svg-image.png" width="10" height="10"/></svg>
<svg width="20" height="20"><image xlink:href="{E}/svg-xlink.png" width="10" height="10"/></svg>
<svg width="20" height="20"><filter id="f"><feImage href="{E}/feimage.png"/></filter><rect width="9" height="9" filter="url(#f)"/></svg>
<svg width="20" height="20"><rect width="9" height="9" fill="url({E}/fill.svg#p)"/><use href="{E}/use.svg#a"/></svg>
<table background="{E}/table.png"><tr><td background="{E}/td.png">cell</td></tr></table>
<video poster="{E}/poster.png" src="{E}/v.mp4"></video><video><source src="{E}/source.mp4"><track src="{E}/t.vtt"></video>
<audio src="{E}/a.mp3"></audio><input type="image" src="{E}/input.png"><link rel="stylesheet" href="{E}/link.css">
<object data="{E}/obj"></object><div style="background:url({E}/style-attr.png)">styled</div>
<style>@import url({E}/import.css); p {{ background: url({E}/style-tag.png) }}</style>
<math><mglyph src="{E}/mglyph.png"/></math><a href="{E}/ping" ping="{E}/ping2">ping</a>"""

BEACON_CSS = (
    f"@import url({E}/import2.css);"
    f" .nblabel-option[aria-checked=true] {{ background: url({E}/picked.png) }}"
    f" @font-face {{ font-family: Evil; src: url({E}/font.woff) }}"
    f" .nblabel-text {{ font-family: Evil; background-image: image-set('{E}/set.png' 1x) }}"
    f" .nblabel-view {{ --y: url({E}/var-cfg.png); background: var(--y) }}"
    f" .nblabel-choices {{ background: url({E}/cfg-style.png) }}"
)

BEACON_CONFIG = f"""<View style="background:url({E}/view.png)">
  <Style>{BEACON_CSS}</Style>
  <Labels name="ner" toName="text" value="$labels"><Label value="A" background="url({E}/label-cfg.png)"/></Labels>
  <Text name="text" value="$text"/>
  <HyperText name="html" value="$html"/>
  <List name="items" value="$items"/>
  <Choices name="c" toName="text" value="$options">
    <Choice value="cfg" style="background:url({E}/choice-style.png)" html="&lt;img src='{E}/choice-html.png'&gt;"/>
  </Choices>
</View>"""

BEACON_DATA = {
    "text": "some text to label",
    "html": TASK_HTML,
    "items": [{"id": "i", "html": f"<img src='{E}/list-html.png'>"}],
    "options": [
        {"value": "o1", "style": f"background-image:url({E}/opt-style.png)", "background": f"url({E}/opt-bg.png)"},
        {
            "value": "o2",
            "style": f"--x:url({E}/opt-var.png);background:var(--x)",
            "html": f"<img src='{E}/opt-html.png'>",
        },
        {"value": "o3", "style": f"border-image:url({E}/opt-border.png) 30", "background": "rebeccapurple"},
    ],
    "labels": [
        {"value": "L1", "background": f"url({E}/label-bg.png)"},
        {"value": "L2", "background": "var(--evil)"},
        {"value": "L3", "background": "#00aa88"},
    ],
}


def _pick_everything(page):
    page.locator(".nblabel").focus()
    for i in range(4):  # every option, so `[aria-checked=true]` rules apply to each in turn
        page.locator(".nblabel-choices .nblabel-option").nth(i).click()
    page.locator(".nblabel-text").hover()
    page.evaluate(
        "() => document.querySelectorAll('.nblabel-chunk, .nblabel-hypertext').forEach((e) => e.scrollTop = 1e6)"
    )
    page.wait_for_timeout(500)  # images, fonts and backgrounds start loading within a frame or two


def test_nothing_loads_from_another_host_by_default(fe_page, fe_context):
    seen = watch_network(fe_context)
    mount(fe_page, BEACON_CONFIG, [task("x", BEACON_DATA)])
    _pick_everything(fe_page)
    assert seen == []
    # a remote image leaves a visible placeholder that says how to allow it
    blocked = fe_page.locator(".nblabel-hypertext .nblabel-remote-blocked")
    assert blocked.count() >= 5  # pixel, bs, sb, pr, lazy (+ the videos and the audio)
    assert "evil.example" in blocked.first.text_content() and 'remote="all"' in blocked.first.text_content()
    assert blocked.first.is_visible()
    assert "tracker" in blocked.first.text_content()
    assert (
        fe_page.locator(".nblabel-list .nblabel-remote-blocked, .nblabel-option .nblabel-remote-blocked").count() == 3
    )
    # task and config colours are colours or the palette, never a url()
    colours = fe_page.evaluate("""() => Array.from(document.querySelectorAll('.nblabel-labels .nblabel-option'),
        (el) => [el.textContent, el.style.getPropertyValue('--nbl-region')])""")
    assert all("url" not in c and "var" not in c for _, c in colours), colours
    assert dict((label[:2], c) for label, c in colours)["L3"] == "#00aa88"  # a real colour is kept
    assert (
        fe_page.evaluate(
            "() => document.querySelector('.nblabel-choices [data-option=\"3\"]').style.getPropertyValue("
            "'--nblabel-option-color')"
        )
        == "rebeccapurple"
    )
    # scoped <Style> keeps working: its harmless declarations are applied
    assert fe_page.evaluate("() => getComputedStyle(document.querySelector('.nblabel-text')).fontFamily").startswith(
        "Evil"
    )


def test_remote_all_loads_task_html_and_config_styles_but_never_task_styles(fe_page, fe_context):
    seen = watch_network(fe_context)
    mount(fe_page, BEACON_CONFIG, [task("x", BEACON_DATA)], remote="all")
    _pick_everything(fe_page)
    fe_page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.nblabel-hypertext img'))"
        ".some((i) => i.src.includes('pixel.png') && i.complete && i.naturalWidth === 1)"
    )
    paths = {urlparse(u).path for u in seen}
    assert {
        "/pixel.png",
        "/bs.png",
        "/sb.png",
        "/pr.png",
        "/choice-html.png",
        "/list-html.png",
        "/opt-html.png",
    } <= paths
    assert {"/picked.png", "/view.png", "/cfg-style.png", "/choice-style.png"} <= paths  # the user opted in
    # task-data styles and colours never load, whatever the user allowed
    assert not paths & {
        "/opt-style.png",
        "/opt-bg.png",
        "/opt-var.png",
        "/opt-border.png",
        "/label-bg.png",
        "/label-cfg.png",
    }
    # what cannot be scoped stays out: @import and @font-face would reach the whole notebook
    assert not paths & {"/import.css", "/import2.css", "/font.woff", "/style-tag.png", "/link.css"}
    assert fe_page.locator(".nblabel-remote-blocked").count() == 0


MEDIA_CONFIG = """<View>
  <Audio name="a0" value="$a0"/><Audio name="a1" value="$a1"/><Audio name="a2" value="$a2"/><Audio name="a3" value="$a3"/>
  <Video name="v0" value="$v0"/><Video name="v1" value="$v1"/><Video name="v2" value="$v2"/>
  <Choices name="c" toName="a0"><Choice value="ok"/></Choices>
</View>"""


def test_media_urls_are_judged_by_the_browsers_url_parser(fe_page, fe_context):
    seen = watch_network(fe_context)
    data = {
        "a0": "\\\\evil.example/a.mp3",
        "a1": "/\\evil.example/b.mp3",
        "a2": "\\/evil.example/c.mp3",
        "a3": "\x01javascript:alert(1)",
        "v0": "java\tscript:alert(1)",
        "v1": "java\nscript:alert(1)",
        "v2": " \x1f\x00javascript:alert(1)",
    }
    mount(fe_page, MEDIA_CONFIG, [task("x", data)])
    fe_page.wait_for_function("() => document.querySelectorAll('.nblabel .nblabel-media-error').length === 7")
    fe_page.wait_for_timeout(300)
    srcs = fe_page.evaluate(
        "() => Array.from(document.querySelectorAll('.nblabel audio, .nblabel video, .nblabel source'),"
        " (e) => e.getAttribute('src')).filter(Boolean)"
    )
    assert srcs == []
    assert seen == []
    assert "unsafe URL" in fe_page.locator(".nblabel-media-error").first.text_content()


# -- 6. task hotkeys never take the widget's keys --------------------------------------------------------------

KEYS_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Choices name="c" toName="text" value="$options"><Choice value="good"/></Choices>
</View>"""


def test_task_hotkeys_never_take_the_widgets_keys_and_conflicts_are_reported_once(fe_page):
    warnings = []
    fe_page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" and "nblabel:" in m.text else None)
    options = [
        {"value": "evil", "hotkey": "Enter"},
        {"value": "skipper", "hotkey": "s"},
        {"value": "digit", "hotkey": "1"},
        {"value": "ok", "hotkey": "k"},
    ]
    pred = [{"id": "p1", "from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": ["good"]}}]
    suggested = {"prefill": pred, "prefill_from": "prediction", "prediction": {"id": 1, "score": 0.9}}
    mount(
        fe_page, KEYS_CONFIG, [task(str(i), {"text": f"task {i}", "options": options}, **suggested) for i in range(3)]
    )
    hint = fe_page.locator(".nblabel-hint").text_content()
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("Enter")  # accepts the suggestion: the task's "Enter" option is not picked
    submits = wait_received(fe_page, "submit", 1)
    assert submits[0]["result"][0]["value"] == {"choices": ["good"]}
    assert "widget keeps it" in hint  # said on the task that brought the conflict
    fe_page.keyboard.press("s")  # the skip key skips
    skips = wait_received(fe_page, "skip", 1)
    assert skips[0]["key"] == "1"
    fe_page.keyboard.press("k")  # a free task hotkey still picks its option
    assert fe_page.locator(".nblabel-option", has_text="ok").get_attribute("aria-checked") == "true"
    assert fe_page.locator(".nblabel-option", has_text="evil").get_attribute("aria-checked") == "false"
    # the conflicting options show no hotkey badge; the free one does
    badges = fe_page.evaluate("() => Array.from(document.querySelectorAll('.nblabel-hotkey'), (k) => k.textContent)")
    assert badges == ["k"]
    fe_page.keyboard.press("Enter")
    submits = wait_received(fe_page, "submit", 2)
    assert submits[1]["result"][0]["value"] == {"choices": ["ok"]}
    # three conflicts (Enter, s, 1), each reported once although three tasks brought them
    assert len(warnings) == 3 and len(set(warnings)) == 3, warnings
    assert {w.split('"')[1] for w in warnings} == {"Enter", "s", "1"}
    assert received(fe_page, "submit")[1]["key"] == "2"
