"""The Korea report as a reader sees it: rendered by headless Chromium, every chart drawn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import detente
from detente.report import TornadoInput, build_report
from tests.helpers import EXAMPLES
from tests.simulation_fixtures import fake_simulation, simulation_document, tornado_bars

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser_page():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium chromium-driver)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 900})
        finally:
            browser.close()


def test_korea_report_renders_with_every_chart(browser_page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    korea = detente.load(EXAMPLES / "korea-2018.yaml")
    sims = [simulation_document(fake_simulation(korea, draws=2000, as_of=d))
            for d in ("2017-10-22", "2017-11-19", "2018-01-02")]
    html = build_report(korea, simulations=sims, tornado=[
        TornadoInput("compromise", "alignment", tornado_bars(korea, "alignment"))])
    page_file = tmp_path / "korea.html"
    page_file.write_text(html, encoding="utf-8")

    page = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri())
    assert requests == [page_file.as_uri()]  # the page fetches nothing else

    boxes = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg')].map(e => {
            const r = e.getBoundingClientRect();
            return {x: r.left + window.scrollX, y: r.top + window.scrollY,
                    width: r.width, height: r.height};
        })"""
    )
    assert len(boxes) >= 9  # forecasts, rounds, distributions, questions, tornado, map, ...
    for k, box in enumerate(boxes):
        assert box["width"] > 200 and box["height"] > 100, (k, box)

    full = tmp_path / "report.png"
    page.screenshot(path=str(full), full_page=True)
    image = Image.open(full).convert("RGB")
    assert image.size[0] == 1200  # nothing overflows sideways
    grey = image.convert("L")
    low, high = grey.getextrema()
    assert high - low > 200  # not blank: dark text on a light page
    histogram = grey.histogram()
    assert sum(histogram[:128]) > 0.005 * sum(histogram)  # a real share of dark pixels
    # each chart, cut out of the rendered page, has marks on it
    for k, box in enumerate(boxes):
        crop = image.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                           int(box["y"] + box["height"])))
        colours = crop.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20, k
        assert max(colours)[0] < 0.97 * crop.size[0] * crop.size[1], k  # not one flat colour
    assert page.title().startswith("Korean peninsula diplomacy")
