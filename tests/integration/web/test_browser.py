"""The web app in a real browser (Debian's chromium through Playwright): the harbour example
built from an empty workspace through the pages alone, edited, run, compared, exported and
imported again; a bad value and a stale save refused. With DETENTE_SCREENSHOTS=1 the
main pages are saved to docs/screenshots (the README shows one)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    from detente.web import assets

    if assets.missing():
        pytest.skip(f"the web app's browser assets are missing: run {assets.SETUP_COMMAND}")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, on an empty workspace."""
    import uvicorn

    from detente.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(tmp_path / "browser.duckdb"), host="127.0.0.1",
                            port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def _cell(page: Any, actor: str, issue: str, kind: str) -> Any:
    return page.locator(f'.tabulator-cell[data-actor="{actor}"][data-issue="{issue}"]'
                        f'[data-kind="{kind}"]')


def _type_cell(page: Any, actor: str, issue: str, kind: str, value: object) -> None:
    """Open the cell's editor, type and commit. The grid may redraw under the pointer (after
    a resize, a save or a screenshot), closing an editor just opened: open it again."""
    cell = _cell(page, actor, issue, kind)
    box = cell.locator("input")
    for attempt in range(6):
        cell.scroll_into_view_if_needed()
        cell.dblclick()
        try:
            box.wait_for(state="visible", timeout=5_000)
            break
        except Exception:
            if attempt == 5:
                raise
    box.fill(str(value))
    box.press("Enter")


def _saved(page: Any, expect: Any, version: int) -> None:
    try:
        expect(page.locator("#version")).to_have_text(str(version), timeout=60_000)
    except AssertionError:
        raise AssertionError(f"not saved: {page.locator('#message').inner_text()}") from None
    expect(page.locator("#message")).to_contain_text(f"Saved as version {version}")


def _shot(page: Any, name: str, part: str | None = None, **options: Any) -> None:
    """A screenshot (of the element ``part`` when given), kept in docs/screenshots when
    DETENTE_SCREENSHOTS=1; either way it must be a real picture."""
    from PIL import Image

    folder = SHOTS if os.environ.get("DETENTE_SCREENSHOTS") == "1" else page.tmp_folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if part is None:
        page.screenshot(path=str(path), **options)
    else:
        page.locator(part).screenshot(path=str(path))
    grey = Image.open(path).convert("L")
    low, high = grey.getextrema()
    assert high - low > 150, name  # not blank


def _forecast(page: Any, expect: Any, issue: str, model: str) -> float:
    page.click("#forecast")
    expect(page.locator("#message")).to_contain_text("Forecast of version", timeout=30_000)
    cell = page.locator(f'#forecast-table tr[data-issue="{issue}"] td[data-model="{model}"] '
                        f'strong')
    return float(cell.inner_text())


def test_build_edit_run_compare_export(browser: Any, server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1360, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.tmp_folder = tmp_path
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    # an empty workspace; a new scenario from its first actor, issue and stance
    page.goto(server + "/")
    expect(page.locator("#empty")).to_be_visible()
    form = page.locator("#new-form")
    for name, value in (("id", "harbour"), ("title", "Harbour expansion"),
                        ("actor_id", "city"), ("capability", "5"), ("issue_id", "size"),
                        ("issue_name", "Size of the expansion"), ("position", "70"),
                        ("salience", "80"), ("as_of", "2024-03-01")):
        form.locator(f'[name="{name}"]').fill(value)
    page.click("#new-submit")
    expect(page.locator("#title")).to_have_text("Harbour expansion")
    expect(page.locator("#version")).to_have_text("1")

    # the other actors, the second issue, then the grid, cell by cell
    version = 1
    for actor, name, cap in (("port", "Port authority", "3"), ("green", "Green coalition", "1")):
        add = page.locator("#add-actor")
        add.locator('[name="id"]').fill(actor)
        add.locator('[name="name"]').fill(name)
        add.locator('[name="capability"]').fill(cap)
        page.click("#add-actor-submit")
        version += 1
        _saved(page, expect, version)
    add = page.locator("#add-issue")
    add.locator('[name="id"]').fill("year")
    add.locator('[name="name"]').fill("Year works start")
    add.locator('[name="min"]').fill("2024")
    add.locator('[name="max"]').fill("2030")
    page.click("#add-issue-submit")
    version += 1
    _saved(page, expect, version)
    for actor, issue, pos, sal in (("port", "size", 100, 90), ("green", "size", 0, 100),
                                   ("city", "year", 2026, 40), ("port", "year", 2025, 60)):
        _type_cell(page, actor, issue, "p", pos)
        expect(page.locator("#message")).to_contain_text("a new stance is saved once it has")
        _type_cell(page, actor, issue, "s", sal)
        version += 1
        _saved(page, expect, version)
    expect(_cell(page, "port", "year", "p")).to_have_text("2025")
    # cells without evidence are marked
    assert "no-evidence" in (_cell(page, "port", "size", "p").get_attribute("class") or "")

    # forecast, then edit a cell and see the forecast move
    before = _forecast(page, expect, "size", "compromise")
    expect(page.locator("#forecast-chart svg, #forecast-chart canvas").first).to_be_visible()
    _shot(page, "editor", full_page=True)
    _type_cell(page, "city", "size", "p", 30)
    version += 1
    _saved(page, expect, version)
    after = _forecast(page, expect, "size", "compromise")
    assert after < before

    # a bad value is refused with the validator's message, nothing stored
    _type_cell(page, "green", "size", "p", 140)
    expect(page.locator("#message")).to_contain_text("lies outside the scale [0, 100]")
    expect(page.locator("#version")).to_have_text(str(version))
    expect(_cell(page, "green", "size", "p")).to_have_text("0")

    # evidence through the side panel
    _cell(page, "port", "size", "p").click()
    expect(page.locator("#panel")).to_be_visible()
    page.click("#panel-add-evidence")
    page.locator("#panel-evidence .ev-paraphrase").fill("The port wants the full plan.")
    page.click("#panel-save")
    version += 1
    _saved(page, expect, version)
    assert "no-evidence" not in (_cell(page, "port", "size", "p").get_attribute("class") or "")

    # a second tab saves first: this tab's save is refused, then merged
    other = context.new_page()
    other.tmp_folder = tmp_path
    other.goto(page.url)
    _type_cell(other, "green", "year", "p", 2030)
    _type_cell(other, "green", "year", "s", 20)
    _saved(other, expect, version + 1)
    other.close()
    _type_cell(page, "port", "size", "s", 95)
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-message")).to_contain_text("changed since you opened it")
    _shot(page, "conflict")
    page.click("#conflict-merge")
    version += 2
    _saved(page, expect, version)
    expect(_cell(page, "port", "size", "s")).to_have_text("95")
    expect(_cell(page, "green", "year", "p")).to_have_text("2030")

    # a simulation runs to the end with its progress bar
    page.fill("#draws", "400")
    page.click("#simulate")
    expect(page.locator("#simulation-table")).to_be_visible(timeout=60_000)
    expect(page.locator("#progress-text")).to_contain_text("done: 400 of 400")
    expect(page.locator("#questions-chart svg, #questions-chart canvas").first).to_be_visible()

    # a new snapshot from this one; a move there; the diff of the two snapshots
    page.locator('#new-snapshot [name="as_of"]').fill("2025-06-01")
    page.locator('#new-snapshot [name="label"]').fill("After the ruling")
    page.click("#new-snapshot-submit")
    version += 1
    _saved(page, expect, version)
    expect(page.locator("#snapshot")).to_have_value("1")
    _type_cell(page, "city", "size", "p", 55)
    version += 1
    _saved(page, expect, version)
    page.select_option("#diff-a", "0")
    page.select_option("#diff-b", "1")
    page.click("#diff-submit")
    expect(page.locator("#diff-table")).to_contain_text("30.0 → 55.0 (+25.0)")
    _shot(page, "snapshots-diff", "#sec-snapshots")

    # export as YAML, then import it again into the workspace from the home page
    with page.expect_download() as dl:
        page.select_option("#export-format", "yaml")
        page.click("#export-submit")
    exported = tmp_path / "exported.yaml"
    dl.value.save_as(exported)
    assert "Harbour expansion" in exported.read_text()
    page.goto(server + "/")
    page.set_input_files("#import-file", str(exported))
    page.click("#import-submit")
    expect(page.locator("#title")).to_have_text("Harbour expansion")
    expect(page.locator("#version")).to_have_text(str(version))  # the same scenario
    page.goto(server + "/")
    bad = tmp_path / "bad.yaml"
    bad.write_text(exported.read_text().replace("position: 55", "position: 555"))
    page.set_input_files("#import-file", str(bad))
    page.click("#import-submit")
    expect(page.locator("#import-problems")).to_contain_text("position 555 lies outside")
    expect(page.locator("#import-problems")).to_contain_text("line ")
    _shot(page, "home", full_page=True)

    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], \
        problems
    assert all(u.startswith(server) for u in requests)  # nothing fetched from elsewhere
    context.close()


def test_korea_example_in_the_editor(browser: Any, server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.tmp_folder = tmp_path
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.click("#example-korea")
    expect(page.locator("#title")).to_contain_text("Korean peninsula")
    expect(_cell(page, "PRK", "talks", "p")).to_be_visible()
    page.check('#model-choice input[value="exchange"]')
    _forecast(page, expect, "talks", "median")
    expect(page.locator("#forecast-chart svg, #forecast-chart canvas").first).to_be_visible()
    expect(page.locator("#trades-table")).to_contain_text("sanctions")
    page.click("#timeline")
    expect(page.locator("#message")).to_contain_text("Timeline over 3 snapshots", timeout=60_000)
    expect(page.locator("#timeline-charts svg").first).to_be_visible()
    page.wait_for_timeout(300)
    _shot(page, "korea-grid", "#sec-grid")
    _shot(page, "korea-forecast", "#sec-run")
    assert errors == []
