"""Local media in the built front end, through the fake model (docs/DESIGN.md "Media"): a marker becomes a `media`
request, the bytes come back as a message buffer, the object loads a blob URL with exactly those bytes; the window
is prefetched; URLs of tasks that left the window are revoked; a refused request is a `.nblabel-media-error`."""

from __future__ import annotations

import base64
import io
import wave

import numpy as np
import pytest
from PIL import Image

from frontend_page import config_tree, missing_reason, mount, received, task, wait_received

pytestmark = [pytest.mark.browser, pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason()))]

AUDIO = """<View><Audio name="audio" value="$audio"/>
<Choices name="c" toName="audio"><Choice value="speech"/><Choice value="noise"/></Choices></View>"""
IMAGE = """<View><Image name="img" value="$image"/>
<Choices name="c" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices></View>"""


def wav(n: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes((i * 7 + n) % 256 for i in range(3200)))
    return out.getvalue()


def supported(xml: str) -> dict:
    """The config tree with every tag marked drawable (the objects come from their own helpers' modules)."""
    def mark(node):
        node["supported"] = True
        for c in node["children"]:
            mark(c)
        return node
    return mark(config_tree(xml))


def marker(key: str, field: str, mime: str, size: int | None, **extra) -> dict:
    return {"nblabel_media": {"key": key, "field": field, "index": None, "mime": mime, "size": size, "name": None,
                              **extra}}


def blob_bytes(page, url: str) -> bytes | None:
    got = page.evaluate("async (u) => { try { const b = await (await fetch(u)).arrayBuffer();"
                        " return Array.from(new Uint8Array(b)); } catch (e) { return null; } }", url)
    return None if got is None else bytes(got)


@pytest.fixture
def page(fe_page):
    return fe_page


def test_local_audio_arrives_as_bytes_is_prefetched_and_revoked(page):
    sounds = {str(i): wav(i) for i in range(3)}
    tasks = [task(k, {"audio": marker(k, "audio", "audio/wav", len(b))}) for k, b in sounds.items()]
    media = {f"{k}|audio||": {"mime": "audio/wav", "base64": base64.b64encode(b).decode()} for k, b in sounds.items()}
    mount(page, supported(AUDIO), tasks, media=media, prefetch=2)
    asked = wait_received(page, "media", 3)  # the whole window is fetched ahead
    assert sorted(m["key"] for m in asked) == ["0", "1", "2"]
    assert all(set(m) == {"type", "id", "key", "field", "index", "page"} for m in asked)
    page.wait_for_function("() => document.querySelector('.nblabel audio')?.src.startsWith('blob:')")
    first = page.evaluate("() => document.querySelector('.nblabel audio').src")
    assert blob_bytes(page, first) == sounds["0"]
    page.locator(".nblabel").focus()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    page.wait_for_function("(u) => document.querySelector('.nblabel audio')?.src.startsWith('blob:') && "
                           "document.querySelector('.nblabel audio').src !== u", arg=first)
    second = page.evaluate("() => document.querySelector('.nblabel audio').src")
    assert blob_bytes(page, second) == sounds["1"]
    page.wait_for_function("(u) => fetch(u).then(() => false, () => true)", arg=first)  # task 0 left: revoked
    assert len(received(page, "media")) == 3  # task 1 came from the prefetch, not a new request


def test_refused_media_is_an_error_in_place_and_labeling_goes_on(page):
    tasks = [task("0", {"audio": marker("0", "audio", "audio/wav", 10)}),
             task("1", {"audio": marker("1", "audio", "audio/wav", None, error="file not found: /data/gone.wav")})]
    mount(page, supported(AUDIO), tasks, media={"0|audio||": {"message": "file not found: /data/x.wav"}})
    error = page.locator(".nblabel .nblabel-media-error")
    error.first.wait_for()
    assert "file not found: /data/x.wav" in error.first.text_content()
    page.locator(".nblabel").focus()
    page.keyboard.press("2")
    page.keyboard.press("Enter")
    wait_received(page, "submit", 1)
    page.wait_for_function("() => document.querySelector('.nblabel .nblabel-media-error')?.textContent"
                           ".includes('/data/gone.wav')")
    assert [m["key"] for m in received(page, "media")] == ["0"]  # a marker with an error is never requested
    assert page.locator(".nblabel-error").count() == 0


def test_numpy_image_reaches_the_img(page):
    if not _image_drawn():
        pytest.skip("the Image object has not landed yet (helper A)")
    arr = np.random.default_rng(0).integers(0, 256, (30, 40, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(arr).save(out, format="PNG")
    png = out.getvalue()
    mount(page, supported(IMAGE), [task("0", {"image": marker("0", "image", "image/png", len(png))})],
          media={"0|image||": {"mime": "image/png", "base64": base64.b64encode(png).decode()}})
    page.wait_for_function("() => { const i = document.querySelector('.nblabel img');"
                           " return i && i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0; }")
    size = page.evaluate("() => { const i = document.querySelector('.nblabel img');"
                         " return [i.naturalWidth, i.naturalHeight]; }")
    assert size == [40, 30]
    pixels = page.evaluate("""() => { const i = document.querySelector('.nblabel img');
        const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(i, 0, 0);
        return Array.from(g.getImageData(0, 0, c.width, c.height).data); }""")
    got = np.array(pixels, dtype=np.uint8).reshape(30, 40, 4)[:, :, :3]
    assert np.array_equal(got, arr)


def _image_drawn() -> bool:
    from pathlib import Path

    tree = (Path(__file__).resolve().parent.parent / "js" / "render" / "tree.js").read_text()
    return "Image:" in tree
