"""The HTML report in a real browser: headless Chromium, no network, no console errors, numbers as in the CSVs.

Chromium is driven through Debian's ``chromedriver`` with the W3C WebDriver protocol, which is plain
JSON over HTTP, so the standard library's ``urllib`` is all the client this needs (no Selenium, no
websocket library). The browser runs with every outside connection blocked (unresolvable hosts and a
dead proxy) and with network logging on: the test fails if the page asks for anything that is not the
report file itself or inline ``data:``, if the console shows any error, or if a keyed number in the
rendered DOM differs from the run's CSV files. A full-page screenshot is taken and checked.

Skips (with the reason) when chromium or chromedriver is not installed; ``.ci/run`` installs them.
Set ``REPORT_SCREENSHOT_DIR`` to keep the screenshots (e.g. for the README).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from allocator.report import write_report
from tests.test_report import (
    BUNDLED,
    build_score,
    check_keys,
    expected_plan_keys,
    expected_score_keys,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Requests a self-contained page may make: itself, and inline data.
LOCAL_SCHEMES = ("file:", "data:", "about:")


def _missing_browser() -> str | None:
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not installed (apt-get install -y {package})"
    return None


pytestmark = pytest.mark.skipif(_missing_browser() is not None, reason=_missing_browser() or "")


class Browser:
    """A headless Chromium session driven over WebDriver (JSON over HTTP to chromedriver).

    Only what the test needs: open a URL, run a script, read the browser and network logs, take a
    full-page screenshot.
    """

    def __init__(self, profile: Path, *, width: int = 1280, height: int = 1000, timeout: float = 30.0):
        self.timeout = timeout
        self.port = _free_port()
        self._log = open(profile / "chromedriver.log", "wb")  # noqa: SIM115 - closed in quit()
        self._driver = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"], stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()
        args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-features=Translate",
            f"--user-data-dir={profile / 'chrome'}",
            f"--window-size={width},{height}",
            # Nothing may leave the machine: names do not resolve and any proxied request hits a closed port.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
        ]
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": args,
                        "perfLoggingPrefs": {"enableNetwork": True, "enablePage": False},
                    },
                    "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
                }
            }
        }
        try:
            self.session = self._call("POST", "/session", caps)["sessionId"]
        except BaseException:
            self._stop_driver()
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._driver.poll() is not None:
                raise RuntimeError(f"chromedriver exited with code {self._driver.returncode}")
            try:
                self._call("GET", "/status")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.05)
        raise RuntimeError("chromedriver did not start")

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:500]
            raise RuntimeError(f"WebDriver {method} {path}: HTTP {exc.code}: {detail}") from None

    def _session(self, method: str, path: str, body: Any = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url: str) -> None:
        """Navigate and wait until the document has loaded (chromedriver may return a moment early)."""
        self._session("POST", "/url", {"url": url})
        deadline = time.monotonic() + self.timeout
        while self.run("return document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not finish loading")
            time.sleep(0.05)

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body) in the page and return its result."""
        return self._session("POST", "/execute/sync", {"script": script, "args": list(args)})

    def log(self, kind: str) -> list[dict[str, Any]]:
        """Entries of the ``browser`` (console) or ``performance`` (network) log since the last read."""
        return self._session("POST", "/se/log", {"type": kind}) or []

    def requests(self) -> list[str]:
        """URLs of every request the page started since the log was last read."""
        urls = []
        for entry in self.log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def screenshot(self) -> bytes:
        """A PNG of the whole page, not just the window (Chrome DevTools through chromedriver)."""
        shot = self._session(
            "POST",
            "/goog/cdp/execute",
            {
                "cmd": "Page.captureScreenshot",
                "params": {"format": "png", "captureBeyondViewport": True},
            },
        )
        return base64.b64decode(shot["data"])

    def quit(self) -> None:
        """End the session and stop chromedriver (which stops Chromium)."""
        try:
            self._session("DELETE", "")
        except (OSError, RuntimeError, urllib.error.URLError):
            pass
        self._stop_driver()

    def _stop_driver(self) -> None:
        self._driver.terminate()
        try:
            self._driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._driver.kill()
            self._driver.wait()
        self._log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


READ_KEYS = """
return Array.prototype.map.call(document.querySelectorAll('[data-key]'), function (e) {
  return [e.getAttribute('data-key'), e.getAttribute('data-value'), e.textContent];
});
"""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; raises if ``data`` is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def browser():
    with tempfile.TemporaryDirectory(prefix="report-browser-") as tmp:
        b = Browser(Path(tmp))
        try:
            yield b
        finally:
            b.quit()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, bundled_plan):
    """Plan (the session's bundled run), score, compare and clear runs of the bundled scenario."""
    from allocator.pipeline import run_clear, run_compare, run_plan
    from allocator.request import ScenarioRequest

    root = tmp_path_factory.mktemp("browser-runs")
    plan = bundled_plan.folder
    lean = run_plan(ScenarioRequest(BUNDLED, scenario_names=("increment_minus_20",)), root / "lean", marginals=False).folder
    return {
        "plan": plan,
        "score": build_score(root / "score", bundled=True, plan=plan),
        "compare": run_compare(plan, lean, root / "compare").folder,
        # all four gaps by 2023: two cannot be (lead times), so the curve is flat and there is no extra money
        "clear": run_clear(BUNDLED, root / "clear", all_missing=True, by=2023).folder,
    }


@pytest.mark.parametrize("kind", ["plan", "score"])
def test_report_in_headless_chromium(kind, runs, browser, tmp_path):
    run = runs[kind]
    page = write_report(run, tmp_path / f"{kind}.html")
    browser.open("about:blank")
    browser.log("browser")  # drain what the browser did before our page (its start page)
    browser.requests()

    browser.open(page.as_uri())
    assert browser.run("return location.href") == page.as_uri()
    keyed = browser.run(READ_KEYS)
    console = browser.log("browser")
    requests = browser.requests()

    errors = [e for e in console if e.get("level") in ("SEVERE", "ERROR")]
    assert not errors, f"console errors: {errors}"
    outside = [u for u in requests if not u.startswith(LOCAL_SCHEMES)]
    assert not outside, f"requests left the page: {outside}"
    assert page.as_uri() in requests

    expected = expected_plan_keys(run) if kind == "plan" else expected_score_keys(run)
    check_keys([(k, v, text) for k, v, text in keyed], expected)

    png = browser.screenshot()
    shot = tmp_path / f"{kind}.png"
    shot.write_bytes(png)
    width, height = png_size(shot.read_bytes())
    assert width >= 800 and height >= 1000, (width, height)
    assert len(png) > 30_000, "screenshot looks blank"
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_sorting_a_table_by_clicking_its_heading(runs, browser, tmp_path):
    page = write_report(runs["plan"], tmp_path / "sort.html")
    browser.open(page.as_uri())
    script = """
    var table = document.querySelector('#money table.sortable');
    var column = Array.prototype.findIndex.call(table.tHead.rows[0].cells, function (th) {
      return th.classList.contains('num'); });
    function values() { return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      return Number(r.cells[column].getAttribute('data-sort')); }); }
    var button = table.tHead.rows[0].cells[column].querySelector('button');
    button.click(); var up = values();
    button.click(); var down = values();
    return [up, down, table.tHead.rows[0].cells[column].getAttribute('aria-sort')];
    """
    up, down, state = browser.run(script)
    assert up == sorted(up) and down == sorted(down, reverse=True)
    assert state == "descending"
    assert not [e for e in browser.log("browser") if e.get("level") == "SEVERE"]


# English words a Chinese page must not show (statuses, rule families, returns to scale), as whole words.
ENGLISH_WORDS = re.compile(
    r"\b(optimal|time_limit_feasible|infeasible|unreachable|ok|capacity|total_capacity|increasing|decreasing|constant)\b"
)

VISIBLE_TEXT = """
var out = [];
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var node = walker.currentNode, skip = false;
  for (var e = node.parentElement; e; e = e.parentElement) {
    if (['CODE', 'SCRIPT', 'STYLE'].indexOf(e.tagName.toUpperCase()) >= 0) { skip = true; break; }
  }
  if (!skip) { out.push(node.nodeValue); }
}
return out.join(' ');
"""

CHART_RANGES = """
return Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (svg) {
  var plot = svg.querySelector('rect.plot');
  if (!plot) { return null; }
  var top = plot.y.baseVal.value, bottom = top + plot.height.baseVal.value, ys = [];
  Array.prototype.forEach.call(svg.querySelectorAll('.datum'), function (d) {
    var tag = d.tagName.toLowerCase();
    if (tag === 'circle') { ys.push(d.cy.baseVal.value); }
    else if (tag === 'line') { ys.push(d.y1.baseVal.value); }
    else if (tag === 'rect') { ys.push(d.y.baseVal.value, d.y.baseVal.value + d.height.baseVal.value); }
    else { var b = d.getBBox(); ys.push(b.y + b.height / 2); }
  });
  return [svg.querySelector('title').textContent, top, bottom, Math.min.apply(null, ys), Math.max.apply(null, ys)];
}).filter(function (x) { return x !== null; });
"""


@pytest.mark.parametrize("kind", ["plan", "compare", "score", "clear"])
def test_chinese_reports_show_no_english_status_words_or_fund_keys(kind, runs, browser, tmp_path):
    from allocator.loading import load

    page = write_report(runs[kind], tmp_path / f"{kind}.html", lang="zh")
    browser.open(page.as_uri())
    text = browser.run(VISIBLE_TEXT)
    assert "资金" in text or "单位" in text  # the page is there, in Chinese
    found = sorted(set(ENGLISH_WORDS.findall(text)))
    assert not found, f"English words on the Chinese {kind} report: {found}"
    keys = [*load(BUNDLED).scenario.sources, "school_stock", "school_increment"]
    shown = [k for k in keys if re.search(rf"\b{k}\b", text)]
    assert not shown, f"fund keys on the {kind} report: {shown}"


@pytest.mark.parametrize("kind", ["plan", "compare", "score", "clear"])
def test_every_chart_axis_is_zoomed_to_its_data(kind, runs, browser, tmp_path):
    """Each chart's y-range covers its data (marks inside the plot area) with at most 25% of the data's range as padding."""
    page = write_report(runs[kind], tmp_path / f"{kind}.html", lang="zh")
    browser.open(page.as_uri())
    charts = browser.run(CHART_RANGES)
    for title, top, bottom, data_top, data_bottom in charts:
        assert top - 0.5 <= data_top and data_bottom <= bottom + 0.5, (title, top, bottom, data_top, data_bottom)
        assert data_bottom - data_top > 0, f"{title}: a flat chart"
        assert (bottom - top) <= 1.25 * (data_bottom - data_top) + 1e-6, (title, top, bottom, data_top, data_bottom)
    if kind == "plan":
        assert len(charts) >= 15  # the trajectories and the money by year


def _pdf_pages(pdf: bytes) -> tuple[int, list[bytes]]:
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)
    return len(pages), boxes


def test_the_plan_report_prints_on_a_few_a4_pages(runs, browser, tmp_path):
    page = write_report(runs["plan"], tmp_path / "print.html", lang="zh")
    browser.open(page.as_uri())
    pdf = base64.b64decode(
        browser._session("POST", "/goog/cdp/execute", {"cmd": "Page.printToPDF", "params": {"preferCSSPageSize": True}})["data"]
    )
    pages, boxes = _pdf_pages(pdf)
    sizes = {tuple(round(float(v)) for v in b.split()[2:4]) for b in boxes}
    assert sizes == {(595, 842)}, sizes  # A4 in points
    assert 3 <= pages <= 20, pages
    print(f"plan report: {pages} A4 pages")


def sheet_page(ws) -> str:
    """A worksheet as a spreadsheet draws it: each column as wide as its Excel width (7 px per digit of the
    default font, Liberation Sans sized so its digits are 7 px), cells with 5 px of padding, numbers as
    their number format shows them, no wrapping."""
    from html import escape

    from openpyxl.utils import get_column_letter

    from tests.test_export import displayed

    widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, ws.max_column + 1)]
    cols = "".join(f'<col style="width:{int(7 * w)}px">' for w in widths)
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                cells.append(f'<td class="num">{escape(displayed(c.value, c.number_format))}</td>')
            else:
                cells.append(f"<td>{escape(str(c.value or ''))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = (
        "table{table-layout:fixed;border-collapse:collapse}"
        "td{font:12.6px 'Liberation Sans',Arial,'WenQuanYi Zen Hei',sans-serif;padding:0 2px 0 3px;"
        "white-space:nowrap;overflow:hidden;box-sizing:border-box}td.num{text-align:right}"
    )
    head = f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{style}</style></head>'
    total = sum(int(7 * w) for w in widths)
    return f'{head}<body><table style="width:{total}px"><colgroup>{cols}</colgroup>{"".join(rows)}</table></body></html>'


OVERFLOWING = """
return Array.prototype.filter.call(document.querySelectorAll('td.num'), function (td) {
  return td.scrollWidth > td.clientWidth;
}).map(function (td) { return td.textContent; });
"""


def test_the_exported_workbook_shows_no_hashes_when_drawn(bundled_plan, browser, tmp_path):
    """Every number of the workbook, drawn at its column's width, fits: a spreadsheet would show no ``###``."""
    import openpyxl

    from allocator.export import export_run_workbook

    book = tmp_path / "base.xlsx"
    export_run_workbook(bundled_plan.folder, book)
    wb = openpyxl.load_workbook(book)
    checked = 0
    for ws in wb.worksheets:
        page = tmp_path / f"sheet-{wb.worksheets.index(ws)}.html"
        page.write_text(sheet_page(ws), encoding="utf-8")
        browser.open(page.as_uri())
        assert browser.run(OVERFLOWING) == [], ws.title
        checked += browser.run("return document.querySelectorAll('td.num').length")
    assert checked > 3000
