"""TimeSeries + TimeSeriesLabels in the built front end (fake model): JSON columns and CSV (data: URL) render one plot
per Channel; a mouse range, an instant, a keyboard range and a selection after zooming each end as the exact Label
Studio result, with start/end computed here from the plot's own scale (pixel → time, snapped to the nearest data point
like Label Studio's `stick`); prefilled regions round-trip unchanged; an unreachable CSV is a media error while the
other controls still submit.
"""

from __future__ import annotations

import bisect
import math
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

import pytest

from frontend_page import DARK, missing_reason, mount, task, wait_received
from ls_templates import missing_reason as templates_missing

_REASON = missing_reason()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(_REASON is not None, reason=_REASON or "")]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

JSON_CFG = """<View>
  <TimeSeriesLabels name="label" toName="ts">
    <Label value="Run" background="red"/><Label value="Walk" background="green" hotkey="w"/>
    <Label value="Fly" maxUsages="1"/>
  </TimeSeriesLabels>
  <TimeSeries name="ts" valueType="json" value="$ts" timeColumn="time">
    <Channel column="velocity" legend="Velocity" units="m/s" strokeColor="#1f77b4"/>
    <Channel column="acc" legend="Acceleration" strokeColor="#ff7f0e" displayFormat=",.2f"/>
  </TimeSeries>
</View>"""

# the activity-recognition template as shipped (CSV by URL, dates with microseconds)
CSV_CFG = """<View>
  <TimeSeriesLabels name="label" toName="ts">
    <Label value="Run" background="red"/><Label value="Walk" background="green"/>
  </TimeSeriesLabels>
  <TimeSeries name="ts" valueType="url" value="$timeseriesUrl" sep="," timeColumn="time"
              timeFormat="%Y-%m-%d %H:%M:%S.%f" timeDisplayFormat="%Y-%m-%d" overviewChannels="velocity">
    <Channel column="velocity" units="miles/h" displayFormat=",.1f" strokeColor="#1f77b4" legend="Velocity"/>
    <Channel column="acceleration" units="miles/h^2" displayFormat=",.1f" strokeColor="#ff7f0e" legend="Acceleration"/>
  </TimeSeries>
</View>"""

# the outliers template: per-region Choices on each region
OUTLIERS_CFG = """<View>
  <TimeSeries name="ts" valueType="url" value="$csv" sep="," timeColumn="time"
              timeFormat="%Y-%m-%d %H:%M:%S.%f" timeDisplayFormat="%Y-%m-%d" overviewChannels="velocity">
    <Channel column="velocity" units="miles/h" displayFormat=",.1f" strokeColor="#1f77b4" legend="Velocity"/>
  </TimeSeries>
  <TimeSeriesLabels name="label" toName="ts"><Label value="Region" background="red"/></TimeSeriesLabels>
  <Choices name="region_type" toName="ts" perRegion="true" required="true">
    <Choice value="Outlier"/><Choice value="Anomaly"/>
  </Choices>
</View>"""

# the forecasting template: a CSV URL and a Choices on the whole series
FORECAST_CFG = """<View>
  <Header value="Select predictable region spans in time series:"/>
  <TimeSeriesLabels name="predictable" toName="stock"><Label value="Regions" background="red"/></TimeSeriesLabels>
  <TimeSeries name="stock" valueType="url" value="$csv" sep="," timeColumn="time"
              timeFormat="%Y-%m-%d %H:%M:%S.%f" timeDisplayFormat="%Y-%m-%d" overviewChannels="value">
    <Channel column="value" displayFormat=",.1f" strokeColor="#1f77b4" legend="Stock Value"/>
  </TimeSeries>
  <Header value="Forecast next trend:"/>
  <Choices name="trend_forecast" toName="stock">
    <Choice value="Up"/><Choice value="Down"/><Choice value="Steady"/>
  </Choices>
</View>"""

N = 200
TIMES = [i * 0.5 for i in range(N)]
SERIES = {"time": TIMES, "velocity": [round(10 * math.sin(i / 10), 4) for i in range(N)],
          "acc": [round(3 * math.cos(i / 7), 4) for i in range(N)]}
FMT = "%Y-%m-%d %H:%M:%S.%f"
DAY_MS = 86_400_000
T0_MS = int(datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp() * 1000)


def csv_text(rows: int = 90) -> str:
    lines = ["time,velocity,acceleration"]
    for i in range(rows):
        t = datetime.fromtimestamp((T0_MS + i * DAY_MS) / 1000, tz=timezone.utc).strftime(FMT)
        lines.append(f"{t},{20 + 10 * math.sin(i / 6):.3f},{math.cos(i / 9):.3f}")
    return "\n".join(lines) + "\n"


def data_url(text: str) -> str:
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(text)


def fmt_ms(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime(FMT)


def ready(page, n: int = 1) -> None:
    page.wait_for_function("(n) => document.querySelectorAll('.nblabel-timeseries[data-state=ready]').length >= n",
                           arg=n)


def plot(page) -> dict:
    """The plot's scale as the page reports it: view [v0, v1] drawn over [left, left + width] px of the SVG."""
    return page.evaluate("""() => {
      const s = document.querySelector('.nblabel-ts-main'); const b = s.getBoundingClientRect();
      return {v0: +s.dataset.v0, v1: +s.dataset.v1, left: +s.dataset.left, width: +s.dataset.width,
              x: b.left, y: b.top, h: b.height};
    }""")


def client_x(p: dict, frac: float) -> float:
    return p["x"] + p["left"] + frac * p["width"]


def time_at(p: dict, cx: float, times) -> float:
    """Pixel → time through the plot's linear scale, then the nearest data point (Label Studio's `stick`)."""
    t = p["v0"] + (cx - p["x"] - p["left"]) / p["width"] * (p["v1"] - p["v0"])
    i = bisect.bisect_left(times, t)
    near = [times[j] for j in (i - 1, i) if 0 <= j < len(times)]
    return min(near, key=lambda v: (abs(v - t), -v))  # a tie goes right


def drag(page, x0: float, x1: float, y: float | None = None) -> None:
    p = plot(page)
    yy = y if y is not None else p["y"] + 40
    page.mouse.move(x0, yy)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, yy + 5, steps=3)
    page.mouse.move(x1, yy, steps=3)
    page.mouse.up()


def submit(page, n: int = 1) -> list[dict]:
    page.locator(".nblabel").focus()
    page.keyboard.press("Enter")
    return wait_received(page, "submit", n)[-1]["result"]


def strip_ids(result: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "id"} for r in result]


def tsl(start, end, label, instant=False, name="label", to="ts"):
    return {"from_name": name, "to_name": to, "type": "timeserieslabels",
            "value": {"start": start, "end": end, "instant": instant, "timeserieslabels": [label]}}


def test_json_columns_render_channels_and_a_dragged_range_becomes_the_exact_result(fe_page):
    mount(fe_page, JSON_CFG, [task("a", {"ts": SERIES})])
    ready(fe_page)
    assert fe_page.locator(".nblabel-ts-channel").count() == 2
    assert [c.get_attribute("data-column") for c in fe_page.locator(".nblabel-ts-channel").all()] == ["velocity", "acc"]
    paths = fe_page.locator(".nblabel-ts-main .nblabel-ts-line")
    assert paths.count() == 2 and all(len(d.get_attribute("d")) > 100 for d in paths.all())
    p = plot(fe_page)
    assert (p["v0"], p["v1"]) == (0, TIMES[-1])
    x0, x1 = client_x(p, 0.31), client_x(p, 0.57)
    drag(fe_page, x0, x1)
    assert fe_page.locator(".nblabel-ts-pending").count() == 1
    fe_page.keyboard.press("1")  # select, then label (the drag gave the widget the keys)
    start, end = time_at(p, x0, TIMES), time_at(p, x1, TIMES)
    assert 0 < start < end
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region").count() == 1
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "timeseries_json.png"))
    assert strip_ids(submit(fe_page)) == [tsl(start, end, "Run")]


def test_armed_label_click_is_an_instant_drag_is_a_region_and_a_click_selects_to_relabel(fe_page):
    mount(fe_page, JSON_CFG, [task("a", {"ts": SERIES})])
    ready(fe_page)
    p = plot(fe_page)
    root = fe_page.locator(".nblabel")
    root.focus()
    fe_page.keyboard.press("w")  # hotkey: arm Walk
    x = client_x(p, 0.2)
    fe_page.mouse.click(x, p["y"] + 50)
    at = time_at(p, x, TIMES)
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region.is-instant").count() == 1
    # armed label + drag: a region at once
    xa, xb = client_x(p, 0.6), client_x(p, 0.7)
    drag(fe_page, xa, xb)
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region").count() == 2
    # click the range region: selected; "1" relabels it Run
    fe_page.mouse.click(client_x(p, 0.65), p["y"] + 50)
    assert fe_page.locator(".nblabel-region-row.is-selected").count() == 1
    root.focus()
    fe_page.keyboard.press("1")
    fe_page.locator(".nblabel-region-row.is-selected").click()  # unselect
    result = strip_ids(submit(fe_page))
    assert result == [tsl(at, at, "Walk", instant=True), tsl(time_at(p, xa, TIMES), time_at(p, xb, TIMES), "Run")]


def test_max_usages_and_delete(fe_page):
    mount(fe_page, JSON_CFG, [task("a", {"ts": SERIES})])
    ready(fe_page)
    p = plot(fe_page)
    root = fe_page.locator(".nblabel")
    for a, b in ((0.1, 0.2), (0.3, 0.4)):
        drag(fe_page, client_x(p, a), client_x(p, b))
        root.focus()
        fe_page.keyboard.press("3")  # Fly: maxUsages=1
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region").count() == 1
    assert "at most 1" in fe_page.locator(".nblabel").inner_text()
    fe_page.mouse.click(client_x(p, 0.15), p["y"] + 50)
    root.focus()
    fe_page.keyboard.press("Delete")
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region").count() == 0
    x0, x1 = client_x(p, 0.3), client_x(p, 0.4)
    drag(fe_page, x0, x1)
    root.focus()
    fe_page.keyboard.press("3")  # Fly is free again
    assert strip_ids(submit(fe_page)) == [tsl(time_at(p, x0, TIMES), time_at(p, x1, TIMES), "Fly")]


def test_keyboard_cursor_marks_a_range(fe_page):
    mount(fe_page, JSON_CFG, [task("a", {"ts": SERIES})])
    ready(fe_page)
    root = fe_page.locator(".nblabel")
    root.focus()
    # a 50th of the 200 visible rows per Alt+→ (4 rows), one row per Alt+Shift+→
    fe_page.keyboard.press("Alt+ArrowRight")
    fe_page.keyboard.press("Alt+ArrowRight")
    fe_page.keyboard.press("[")
    for _ in range(3):
        fe_page.keyboard.press("Alt+Shift+ArrowRight")
    fe_page.keyboard.press("]")
    fe_page.keyboard.press("2")
    # Shift+→ grows a selection from the cursor: rows 11 → 19, then "[" alone is an instant
    fe_page.keyboard.press("Shift+ArrowRight")
    fe_page.keyboard.press("Shift+ArrowRight")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("Alt+ArrowLeft")
    fe_page.keyboard.press("[")
    fe_page.keyboard.press("1")
    fe_page.keyboard.press("?")  # the legend lists the time-series keys
    assert "Time series: move the cursor" in fe_page.locator(".nblabel-legend").inner_text()
    fe_page.keyboard.press("?")
    assert strip_ids(submit(fe_page)) == [
        tsl(TIMES[8], TIMES[11], "Walk"), tsl(TIMES[11], TIMES[19], "Run"),
        tsl(TIMES[15], TIMES[15], "Run", instant=True)]


def test_zoom_then_select_uses_the_zoomed_scale(fe_page):
    mount(fe_page, JSON_CFG, [task("a", {"ts": SERIES})])
    ready(fe_page)
    root = fe_page.locator(".nblabel")
    root.focus()
    fe_page.keyboard.press("+")  # zoom in ×2 around the middle
    p = plot(fe_page)
    assert p["v1"] - p["v0"] == pytest.approx(TIMES[-1] / 2)
    # Ctrl+wheel zooms around the pointer: the time under it stays put
    x = client_x(p, 0.25)
    before = p["v0"] + 0.25 * (p["v1"] - p["v0"])
    fe_page.mouse.move(x, p["y"] + 40)
    fe_page.keyboard.down("Control")
    fe_page.mouse.wheel(0, -200)
    fe_page.keyboard.up("Control")
    fe_page.wait_for_function("(v) => +document.querySelector('.nblabel-ts-main').dataset.v1 - "
                              "+document.querySelector('.nblabel-ts-main').dataset.v0 < v", arg=p["v1"] - p["v0"])
    q = plot(fe_page)
    assert q["v0"] + 0.25 * (q["v1"] - q["v0"]) == pytest.approx(before, abs=1e-6)
    # pan with the overview strip: drag its window right
    win = fe_page.locator(".nblabel-ts-window").bounding_box()
    fe_page.mouse.move(win["x"] + win["width"] / 2, win["y"] + 5)
    fe_page.mouse.down()
    fe_page.mouse.move(win["x"] + win["width"] / 2 + 120, win["y"] + 5, steps=3)
    fe_page.mouse.up()
    r = plot(fe_page)
    assert r["v0"] > q["v0"] and r["v1"] - r["v0"] == pytest.approx(q["v1"] - q["v0"])
    x0, x1 = client_x(r, 0.4), client_x(r, 0.45)
    drag(fe_page, x0, x1)
    root.focus()
    fe_page.keyboard.press("2")
    start, end = time_at(r, x0, TIMES), time_at(r, x1, TIMES)
    assert r["v0"] <= start < end <= r["v1"]
    assert strip_ids(submit(fe_page)) == [tsl(start, end, "Walk")]


def test_csv_from_a_data_url_with_dates_gives_formatted_times(fe_page):
    mount(fe_page, CSV_CFG, [task("a", {"timeseriesUrl": data_url(csv_text())})])
    ready(fe_page)
    assert fe_page.locator(".nblabel-ts-channel").count() == 2
    assert fe_page.locator(".nblabel-ts-overview .nblabel-ts-line").count() == 1  # overviewChannels="velocity"
    labels = fe_page.locator(".nblabel-ts-xlabel").all_text_contents()
    assert "Feb" in labels and "Mar" in labels
    p = plot(fe_page)
    assert p["v0"] == T0_MS and p["v1"] == T0_MS + 89 * DAY_MS
    times = [T0_MS + i * DAY_MS for i in range(90)]
    x0, x1 = client_x(p, 0.1), client_x(p, 0.33)
    drag(fe_page, x0, x1)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "timeseries_csv.png"))
    assert strip_ids(submit(fe_page)) == [tsl(fmt_ms(time_at(p, x0, times)), fmt_ms(time_at(p, x1, times)), "Run")]


def test_prefill_with_per_region_choices_round_trips_unchanged(fe_page):
    pre = [
        {"id": "wxAAv5XVR2", **tsl("2020-01-14 00:00:00.000000", "2020-01-14 00:00:00.000000", "Region", instant=True)},
        {"id": "wxAAv5XVR2", "from_name": "region_type", "to_name": "ts", "type": "choices",
         "value": {"start": "2020-01-14 00:00:00.000000", "end": "2020-01-14 00:00:00.000000", "instant": True,
                   "choices": ["Outlier"]}},
        # microseconds a JS Date cannot hold: kept as written
        {"id": "b9Pq2xY7Zt", **tsl("2020-02-02 00:00:00.123456", "2020-02-11 00:00:00.000000", "Region")},
        {"id": "b9Pq2xY7Zt", "from_name": "region_type", "to_name": "ts", "type": "choices",
         "value": {"start": "2020-02-02 00:00:00.123456", "end": "2020-02-11 00:00:00.000000", "instant": False,
                   "choices": ["Anomaly"]}},
    ]
    mount(fe_page, OUTLIERS_CFG, [task("a", {"csv": data_url(csv_text())}, prefill=pre, prefill_from="annotation")])
    ready(fe_page)
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region").count() == 2
    assert fe_page.locator(".nblabel-ts-main .nblabel-ts-region.is-instant").count() == 1
    assert submit(fe_page) == pre


def test_per_region_choice_on_a_new_range(fe_page):
    mount(fe_page, OUTLIERS_CFG, [task("a", {"csv": data_url(csv_text())})])
    ready(fe_page)
    p = plot(fe_page)
    times = [T0_MS + i * DAY_MS for i in range(90)]
    x0, x1 = client_x(p, 0.5), client_x(p, 0.6)
    drag(fe_page, x0, x1)
    root = fe_page.locator(".nblabel")
    root.focus()
    fe_page.keyboard.press("1")
    fe_page.mouse.click(client_x(p, 0.55), p["y"] + 40)  # select it: its per-region Choices show
    fe_page.locator(".nblabel-per-region .nblabel-option", has_text="Anomaly").click()
    where = {"start": fmt_ms(time_at(p, x0, times)), "end": fmt_ms(time_at(p, x1, times)), "instant": False}
    result = submit(fe_page)
    assert strip_ids(result) == [tsl(where["start"], where["end"], "Region"),
                                 {"from_name": "region_type", "to_name": "ts", "type": "choices",
                                  "value": {**where, "choices": ["Anomaly"]}}]
    assert result[0]["id"] == result[1]["id"]


@pytest.mark.parametrize("url, why", [
    ("http://127.0.0.1:9/missing.csv", "http://127.0.0.1:9/missing.csv: Failed to fetch"),
    # the template samples' relative URL: this page's server answers with HTML
    ("/samples/time-series.csv?time=time&values=velocity", "got a web page, not a CSV"),
    ("javascript:alert(1)", "refused to load csv from an unsafe URL"),
])
def test_unreachable_csv_is_a_media_error_and_choices_still_submit(fe_page, url, why):
    mount(fe_page, FORECAST_CFG, [task("a", {"csv": url})])
    fe_page.wait_for_selector(".nblabel-timeseries[data-state=error] .nblabel-media-error")
    assert why in fe_page.locator(".nblabel-media-error").inner_text()
    assert fe_page.locator(".nblabel-error").count() == 0
    fe_page.locator(".nblabel-option", has_text="Down").click()
    assert strip_ids(submit(fe_page)) == [{"from_name": "trend_forecast", "to_name": "stock", "type": "choices",
                                           "value": {"choices": ["Down"]}}]


def test_headless_csv_without_time_column_uses_row_indices_and_numbers(fe_page):
    cfg = """<View>
      <TimeSeriesLabels name="label" toName="ts"><Label value="Region"/></TimeSeriesLabels>
      <TimeSeries name="ts" valueType="url" value="$csv" sep=";">
        <Channel column="0" legend="first"/><Channel column="1" legend="second"/>
      </TimeSeries></View>"""
    text = "\n".join(f"{i % 7};{(i * 3) % 11}" for i in range(40))
    mount(fe_page, cfg, [task("a", {"csv": data_url(text)})])
    ready(fe_page)
    p = plot(fe_page)
    assert (p["v0"], p["v1"]) == (0, 39)
    x0, x1 = client_x(p, 0.25), client_x(p, 0.5)
    drag(fe_page, x0, x1)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    rows = list(range(40))
    assert strip_ids(submit(fe_page)) == [tsl(time_at(p, x0, rows), time_at(p, x1, rows), "Region")]


def test_100k_rows_draw_a_decimated_path_and_dark_theme(fe_page):
    n = 100_000
    cfg = JSON_CFG.replace('valueType="json" value="$ts"', 'valueType="url" value="$csv"')
    text = "time,velocity,acc\n" + "\n".join(
        f"{i},{math.sin(i / 500) + (1 if i % 9973 == 0 else 0):.4f},{(i * 7919) % 1000 / 1000}" for i in range(n))
    # served over http by the page's router (an ordinary CSV URL, text/csv)
    fe_page.route("**/big.csv", lambda route: route.fulfill(status=200, content_type="text/csv", body=text))
    mount(fe_page, cfg, [task("a", {"csv": "http://nblabel.test/data/big.csv"})], theme=DARK)
    ready(fe_page)
    p = plot(fe_page)
    assert (p["v0"], p["v1"]) == (0, n - 1)
    counts = fe_page.evaluate("() => [...document.querySelectorAll('.nblabel-ts-main .nblabel-ts-line')]"
                              ".map(e => (e.getAttribute('d').match(/[ML]/g) || []).length)")
    # at most first/min/max/last per pixel column (+ the edge columns), whatever the row count
    assert len(counts) == 2 and all(0 < c <= 4 * (p["width"] + 3) for c in counts), counts
    fe_page.locator(".nblabel").focus()
    for _ in range(6):
        fe_page.keyboard.press("+")
    q = plot(fe_page)
    assert q["v1"] - q["v0"] == pytest.approx((n - 1) / 64)
    x0, x1 = client_x(q, 0.2), client_x(q, 0.3)
    drag(fe_page, x0, x1)
    fe_page.locator(".nblabel").focus()
    fe_page.keyboard.press("1")
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "timeseries_100k_dark.png"))
    rows = range(n)
    assert strip_ids(submit(fe_page)) == [tsl(time_at(q, x0, rows), time_at(q, x1, rows), "Run")]


def _template(slug: str) -> tuple[str, dict | None]:
    """A Label Studio template's config and its own sample task with annotation (tests/ls_templates.py)."""
    from ls_templates import source

    return source().config(slug), source().editor_sample(slug)


@pytest.mark.skipif(templates_missing() is not None, reason=templates_missing() or "")
def test_template_sample_offline_keeps_its_regions_unchanged(fe_page):
    """activity-recognition as shipped: its sample CSV URL cannot load here; the sample's regions stay listed and
    come back unchanged, and a new label control answer still goes through."""
    xml, sample = _template("time-series-analysis__activity-recognition")
    pre = sample["annotations"][0]["result"]
    mount(fe_page, xml, [task("a", sample["data"], prefill=pre, prefill_from="annotation")])
    fe_page.wait_for_selector(".nblabel-timeseries[data-state=error] .nblabel-media-error")
    assert fe_page.locator(".nblabel-region-row").count() == 3
    assert "2020-01-04 – 2020-01-11" in fe_page.locator(".nblabel-region-row").first.inner_text()
    assert submit(fe_page) == pre


@pytest.mark.skipif(templates_missing() is not None, reason=templates_missing() or "")
def test_signal_quality_template_per_region_rating_and_choices(fe_page):
    xml, _ = _template("time-series-analysis__signal-quality")
    text = "time,signal_1,signal_2\n" + "\n".join(f"{i},{math.sin(i / 4):.3f},{math.cos(i / 9) * 2:.3f}"
                                                  for i in range(60))
    mount(fe_page, xml, [task("a", {"csv": data_url(text)})])
    ready(fe_page)
    p = plot(fe_page)
    x0, x1 = client_x(p, 0.2), client_x(p, 0.45)
    drag(fe_page, x0, x1)
    fe_page.keyboard.press("1")
    fe_page.mouse.click(client_x(p, 0.3), p["y"] + 40)  # select: the label palette hides, per-region controls show
    assert fe_page.locator(".nblabel-labels").is_hidden()
    fe_page.locator(".nblabel-per-region .nblabel-star").nth(7).click()
    fe_page.locator(".nblabel-per-region .nblabel-option", has_text="Good").click()
    fe_page.locator(".nblabel").screenshot(path=str(ARTIFACTS / "timeseries_signal_quality.png"))
    rows = list(range(60))
    where = {"start": time_at(p, x0, rows), "end": time_at(p, x1, rows), "instant": False}
    result = submit(fe_page)
    assert strip_ids(result) == [
        tsl(where["start"], where["end"], "Region"),
        {"from_name": "rating", "to_name": "ts", "type": "rating", "value": {**where, "rating": 8}},
        {"from_name": "choices", "to_name": "ts", "type": "choices", "value": {**where, "choices": ["Good"]}},
    ]
    assert len({r["id"] for r in result}) == 1


def test_local_csv_arrives_as_bytes_from_python(fe_page):
    """A local CSV path in the cell travels as a marker; the bytes Python sends are what the plot reads."""
    import base64
    csv = "time;velocity;acceleration\n" + "\n".join(f"{i};{i % 5};{i % 3}" for i in range(30))
    marker = {"nblabel_media": {"key": "a", "field": "csv", "index": None, "mime": "text/csv", "size": len(csv),
                                "name": "run.csv"}}
    cfg = CSV_CFG.replace('value="$timeseriesUrl" sep=","', 'value="$csv" sep=";"').replace(
        'timeFormat="%Y-%m-%d %H:%M:%S.%f" timeDisplayFormat="%Y-%m-%d" ', "")
    mount(fe_page, cfg, [task("a", {"csv": marker})],
          media={"a|csv||": {"mime": "text/csv", "base64": base64.b64encode(csv.encode()).decode()}})
    ready(fe_page)
    assert [m["field"] for m in wait_received(fe_page, "media", 1)] == ["csv"]
    p = plot(fe_page)
    assert (p["v0"], p["v1"]) == (0, 29)
    x0, x1 = client_x(p, 0.5), client_x(p, 0.8)
    drag(fe_page, x0, x1)
    fe_page.keyboard.press("2")
    rows = list(range(30))
    assert strip_ids(submit(fe_page)) == [tsl(time_at(p, x0, rows), time_at(p, x1, rows), "Walk")]


def test_correct_a_suggested_region_by_edge_drag_and_keyboard(fe_page):
    """A suggested range is corrected in place: drag its end edge, move its start to the cursor with `[`; the moved
    sides are written afresh, an untouched side keeps the text it came with."""
    pre = [{"id": "p1", **tsl("2020-01-10 00:00:00.000000", "2020-01-20 00:00:00.000000", "Run")},
           {"id": "p2", **tsl("2020-02-10 00:00:00.000000", "2020-02-20 00:00:00.000000", "Walk")}]
    mount(fe_page, CSV_CFG, [task("a", {"timeseriesUrl": data_url(csv_text())}, prefill=pre,
                                  prefill_from="prediction")])
    ready(fe_page)
    p = plot(fe_page)
    times = [T0_MS + i * DAY_MS for i in range(90)]

    def x_of(ms: float) -> float:
        return p["x"] + p["left"] + (ms - p["v0"]) / (p["v1"] - p["v0"]) * p["width"]

    fe_page.mouse.click(x_of(T0_MS + 15 * DAY_MS), p["y"] + 40)  # select the first region
    assert fe_page.locator(".nblabel-region-row.is-selected").count() == 1
    end_x, to_x = x_of(T0_MS + 19 * DAY_MS), client_x(p, 0.4)
    fe_page.mouse.move(end_x, p["y"] + 40)
    fe_page.mouse.down()
    fe_page.mouse.move((end_x + to_x) / 2, p["y"] + 40, steps=2)
    fe_page.mouse.move(to_x, p["y"] + 40, steps=2)
    fe_page.mouse.up()
    fe_page.keyboard.press("Alt+ArrowRight")  # the cursor: row 2 (a 50th of 90 rows per step)
    fe_page.keyboard.press("[")  # the selected region starts there
    result = submit(fe_page)
    assert result == [{"id": "p1", **tsl(fmt_ms(times[2]), fmt_ms(time_at(p, to_x, times)), "Run")}, pre[1]]


def test_dates_do_not_depend_on_the_browser_time_zone(fe_browser):
    """Times are parsed and written in UTC: a browser in +05:30 writes the same strings as one in UTC."""
    from frontend_page import open_page
    context = fe_browser.new_context(viewport={"width": 1100, "height": 800}, timezone_id="Asia/Kolkata")
    try:
        page = open_page(context)
        page.set_default_timeout(10_000)
        assert page.evaluate("() => new Date(0).getTimezoneOffset()") == -330
        pre = [{"id": "z1", **tsl("2020-01-10 00:00:00.000000", "2020-01-20 00:00:00.000000", "Run")}]
        mount(page, CSV_CFG, [task("a", {"timeseriesUrl": data_url(csv_text())}, prefill=pre,
                                   prefill_from="annotation")])
        ready(page)
        p = plot(page)
        assert p["v0"] == T0_MS  # 2020-01-01 00:00 read as UTC, not as Kolkata time
        times = [T0_MS + i * DAY_MS for i in range(90)]
        x0, x1 = client_x(p, 0.6), client_x(p, 0.7)
        drag(page, x0, x1)
        page.keyboard.press("2")
        result = submit(page)
        assert result[0] == pre[0]
        assert strip_ids(result[1:]) == [tsl(fmt_ms(time_at(p, x0, times)), fmt_ms(time_at(p, x1, times)), "Walk")]
    finally:
        context.close()
