"""The HTML report with the web app's interactive charts: one file that loads nothing, the
same Vega-Lite specifications as the app, user text unable to leave its JSON block."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import detente
from detente.report import build_report
from detente.report.vega import forecast_chart
from tests.helpers import ROOT

pytest.importorskip("vl_convert", reason="vl-convert-python is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def _evil() -> detente.Scenario:
    sc = detente.load(ROOT / "tests" / "data" / "harbour.yaml")
    issues = (sc.issues[0].model_copy(update={"name": "</script><script>alert(1)</script>"}),
              *sc.issues[1:])
    return detente.Scenario(**{**{k: getattr(sc, k) for k in type(sc).model_fields},
                               "issues": issues})


def test_interactive_report_embeds_the_app_charts(tmp_path: Path) -> None:
    sc = _evil()
    html = build_report(sc, models=["compromise", "eum"], interactive=True)
    assert "</script><script>alert(1)" not in html
    assert '<section id="interactive">' in html
    spec = forecast_chart(detente.forecast(sc, ["compromise", "eum"]).to_dict())
    assert spec["vconcat"][0]["title"]["text"].startswith("</script>")
    assert build_report(sc, models=["compromise"]).count("<script") == 0  # off by default

    if CHROMIUM is None:
        pytest.skip("no chromium on PATH")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "report.html"
    page_file.write_text(html, encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: errors.append("dialog " + d.message))
            page.goto(page_file.as_uri())
            page.wait_for_selector("#vl-0 svg, #vl-0 canvas", timeout=20_000)
            assert page.locator("div.vl-chart").count() == 3  # forecasts, eum's two issues
            assert requests == [page_file.as_uri()]
            assert errors == []
        finally:
            browser.close()
