"""The page on a phone, a desktop and paper, for a realistic record (321 log entries with
notes): checked in headless Chromium at 320, 375 and 1280 px, and printed on A4 and Letter."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import realistic
from conftest import Run
from test_dashboard import Page, _pdf_pages
from test_export import _chromium, _flags

needs_chromium = pytest.mark.skipif(
    _chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's)"
)

_MEASURE = """<!DOCTYPE html>
<meta charset="utf-8"><title>measure</title>
<style>body{margin:0}iframe{border:0;width:WIDTHpx;height:900px}</style>
<iframe id="page" src="PAGE"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener("load", () => {
  const doc = document.getElementById("page").contentDocument;
  const shown = (el) => el.getClientRects().length > 0;
  const name = (el) => el.outerHTML.slice(0, 90);
  // every element inside its card (section), and every code or date inside its cell
  const outside = [];
  for (const section of doc.querySelectorAll("section")) {
    const card = section.getBoundingClientRect();
    for (const el of section.querySelectorAll("*")) {
      if (el.closest("svg") && el.tagName !== "svg") continue;
      if (!shown(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.right > card.right + 0.5 || box.left < card.left - 0.5) outside.push(name(el));
    }
  }
  const overlapping = [];
  for (const el of doc.querySelectorAll("td .code, td.code, td .d, td.d, td.n")) {
    if (!shown(el)) continue;
    const cell = el.closest("td").getBoundingClientRect();
    const box = el.getBoundingClientRect();
    const range = doc.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    if (text.right > cell.right + 0.5 || box.right > cell.right + 0.5) {
      overlapping.push([el.closest("section").id, el.textContent, text.right, cell.right]);
    }
  }
  // no word broken in the middle (a URL may wrap)
  const broken = [];
  const walker = doc.createTreeWalker(doc.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("svg, .no-print, .only-print")) continue;
    if (!shown(node.parentElement)) continue;
    for (const m of node.data.matchAll(/[^\\s]+/g)) {
      if (m[0].includes("://")) continue;
      const range = doc.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const lines = new Set(rects.map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  // chart text as tall as the page's smallest: 11 px at least
  const small = [];
  for (const svg of doc.querySelectorAll("svg.chart")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      if (getComputedStyle(t).display === "none") continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < 11) small.push([t.textContent, size]);
    }
  }
  // a card's height is its content's, not the row's
  const empty = {};
  for (const section of doc.querySelectorAll("main section")) {
    const box = section.getBoundingClientRect();
    const last = section.lastElementChild.getBoundingClientRect();
    empty[section.id] = box.bottom - last.bottom;
  }
  document.getElementById("result").textContent = JSON.stringify({
    scrollWidth: doc.documentElement.scrollWidth,
    clientWidth: doc.documentElement.clientWidth,
    outside, overlapping, broken, small, empty,
  });
});
</script>
"""


@pytest.fixture
def record(run: Run, progress_file: Path) -> None:
    realistic.make(run, progress_file)


def _with_blocks(run: Run) -> None:
    """Study windows, so the page shows the rest of the week's blocks (several a day)."""
    run("available", "set", "daily 07:00-08:30", "mon-fri 12:00-13:00", "daily 19:00-22:30")
    assert "week-blocks" in _ids(run)


def _ids(run: Run) -> str:
    from test_dashboard import Page

    return " ".join(Page(run("export", "--format", "html").stdout).inside)


def _page(run: Run, tmp_path: Path) -> Path:
    page = tmp_path / "plan.html"
    run("export", "--format", "html", "--with-notes", "-o", str(page))
    return page


@pytest.mark.slow  # a Chromium run per width (~2 s)
@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("windows", [False, True], ids=["", "with-blocks"])
def test_the_page_fits_a_phone_and_a_desktop(
    run: Run, record: None, tmp_path: Path, width: int, windows: bool
) -> None:
    browser = _chromium()
    assert browser is not None
    if windows:  # the "This week" card lists the week's study blocks by day (issue 30.6)
        _with_blocks(run)
    page = _page(run, tmp_path)
    wrapper = tmp_path / "measure.html"
    wrapper.write_text(
        _MEASURE.replace("WIDTH", str(width)).replace("PAGE", page.name), encoding="utf-8"
    )
    dom = subprocess.run(
        [
            browser,
            *_flags(tmp_path / "profile"),
            "--allow-file-access-from-files",
            f"--window-size={width},1000",
            "--virtual-time-budget=5000",
            "--dump-dom",
            wrapper.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = Page(dom).words("result")
    assert found != "pending", dom[-2000:]
    measured = json.loads(found)
    assert measured["clientWidth"] == width
    assert measured["scrollWidth"] <= width, measured
    assert measured["outside"] == []  # "Load per term" ran 2.6 px past its card at 320
    assert measured["overlapping"] == []  # "deep-learning" ran into the ECTS column
    assert measured["broken"] == []  # "Programmi/ng", "Unsupervis/ed"
    assert measured["small"] == []  # chart text was 7.9 to 9.2 px at 320
    # at 1280 the Warnings card stretched to its row's height, 480 px of it empty
    assert max(measured["empty"].values()) < 40, measured["empty"]


@pytest.mark.slow  # one Chromium run each (~2 s)
@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize(("paper", "size"), [("Letter", (612, 792)), ("A4", (595, 842))])
@pytest.mark.parametrize("windows", [False, True], ids=["", "with-blocks"])
def test_a_realistic_record_prints_on_three_pages(
    run: Run, record: None, tmp_path: Path, paper: str, size: tuple[int, int], windows: bool
) -> None:
    browser = _chromium()
    assert browser is not None
    if windows:
        _with_blocks(run)
    text = _page(run, tmp_path).read_text(encoding="utf-8")
    page = tmp_path / "print.html"
    page.write_text(
        text if paper == "Letter" else text.replace("</style>", "@page{size:A4}</style>"),
        encoding="utf-8",
    )
    pdf = tmp_path / "plan.pdf"
    subprocess.run(
        [
            browser,
            *_flags(tmp_path / "profile"),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert 1 <= _pdf_pages(pdf) <= 3  # 5 A4 and 6 Letter pages before


def test_on_paper_the_log_is_its_latest_entries_and_weekly_totals(
    run: Run, record: None, tmp_path: Path
) -> None:
    page = Page(_page(run, tmp_path).read_text(encoding="utf-8"))
    rows = [a for tag, a in page.tags if tag == "tr" and "no-print" in a.get("class", "")]
    listed = page.words("log")
    assert "The latest 12 of" in listed and "23 Nov: " in listed
    assert len(rows) > 50  # the rest of the last 12 weeks' entries stay on screen only
    assert "export -f csv --table log" in listed
