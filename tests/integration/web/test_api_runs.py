"""The JSON API's runs, exports and security: forecasts, simulations with cancel, explain,
backtest, runs and their comparison; token, CSRF, upload limit, escaping."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

import detente
from tests.integration.web.conftest import client_for

FAST = ["compromise", "median"]


def test_forecast_is_recorded_reused_and_cached(harbour: TestClient) -> None:
    r = harbour.post("/api/scenarios/harbour/forecast", json={"models": FAST})
    assert r.status_code == 200
    doc = r.json()
    expected = detente.forecast(detente.load("tests/data/harbour.yaml"), FAST)
    assert doc["issues"][0]["forecasts"]["median"]["outcome"] == expected.outcome("median",
                                                                                  "size")
    assert not doc["cached"] and not doc["runs"]["median"]["reused"]
    chart = doc["charts"]["forecasts"]["vconcat"]
    assert [c["title"]["text"] for c in chart] == [i["name"] for i in doc["issues"]]
    assert chart[0]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0.0, 100.0]
    again = harbour.post("/api/scenarios/harbour/forecast", json={"models": FAST}).json()
    assert again["cached"] and again["runs"] == doc["runs"]
    runs = harbour.get("/api/runs?scenario=harbour").json()
    assert sorted(r["model"] for r in runs) == FAST
    # an edit changes the forecast; the first snapshot's forecast is its own
    harbour.post("/api/scenarios/harbour/edits", json={"based_on": 1, "edits": [
        {"op": "set_stance", "snapshot": 1, "actor": "city", "issue": "size", "position": 95}]})
    moved = harbour.post("/api/scenarios/harbour/forecast", json={"models": ["compromise"]})
    assert moved.json()["issues"][0]["forecasts"]["compromise"]["outcome"] > \
        doc["issues"][0]["forecasts"]["compromise"]["outcome"]
    first = harbour.post("/api/scenarios/harbour/forecast",
                         json={"models": ["median"], "snapshot": 0}).json()
    assert first["scenario"]["as_of"] == "2024-03-01"


def test_forecast_bad_inputs(harbour: TestClient) -> None:
    url = "/api/scenarios/harbour/forecast"
    assert harbour.post(url, json={"models": ["nope"]}).status_code == 422
    assert harbour.post(url, json={"snapshot": 4}).status_code == 422
    assert harbour.post(url, json={"snapshot": "first"}).status_code == 422
    assert harbour.post(url, json={"models": []}).status_code == 422
    r = harbour.post(url, json={"models": ["eum"], "settings": {"eum": {"Q": 5}}})
    assert r.status_code == 422 and "Q" in r.json()["error"]
    assert harbour.post("/api/scenarios/nope/forecast", json={}).status_code == 404


def test_simulation_runs_to_the_end_and_is_recorded(harbour: TestClient) -> None:
    r = harbour.post("/api/scenarios/harbour/simulate", json={"models": FAST, "draws": 300})
    assert r.status_code == 202
    job = harbour.app.state.detente.jobs.wait(r.json()["job"])  # type: ignore[attr-defined]
    assert job is not None and job.state == "done", job and job.error
    polled = harbour.get(f"/api/jobs/{job.id}").json()
    assert polled["done"] == polled["total"] == 300
    result = polled["result"]
    assert result["draws"] == 300 and set(result["models"]) == set(FAST)
    assert "size" in result["charts"]["distributions"]
    run_id = result["runs"]["compromise"]["run"]
    run = harbour.get(f"/api/runs/{run_id}").json()
    assert run["kind"] == "simulation" and run["draws"] == 300
    assert {q["question"] for q in run["question_results"]} == {"go"}


def test_simulation_cancel_and_bad_inputs(harbour: TestClient) -> None:
    url = "/api/scenarios/harbour/simulate"
    r = harbour.post(url, json={"models": ["compromise"], "draws": 50_000})
    job_id = r.json()["job"]
    assert harbour.delete(f"/api/jobs/{job_id}").status_code == 200
    job = harbour.app.state.detente.jobs.wait(job_id)  # type: ignore[attr-defined]
    assert job is not None and job.state in ("cancelled", "done")
    if job.state == "cancelled":
        assert harbour.get("/api/runs").json() == []
    assert harbour.post(url, json={"draws": 5}).status_code == 422
    assert harbour.post(url, json={"draws": 10**7}).status_code == 422
    assert harbour.post(url, json={"seed": -1}).status_code == 422
    assert harbour.get("/api/jobs/nope").status_code == 404
    assert harbour.delete("/api/jobs/nope").status_code == 404


def test_explain_and_backtest(harbour: TestClient) -> None:
    r = harbour.post("/api/scenarios/harbour/explain", json={"model": "compromise",
                                                            "issue": "size"})
    assert r.status_code == 200
    bars = r.json()["bars"]
    assert bars and bars[0]["swing"] >= bars[-1]["swing"]
    bad = harbour.post("/api/scenarios/harbour/explain", json={"model": "compromise",
                                                              "issue": "nope"})
    assert bad.status_code == 422 and bad.json()["field"] == "issue"
    bt = harbour.post("/api/scenarios/harbour/backtest", json={"models": FAST})
    assert bt.status_code == 200 and bt.json()["draws"] == 0
    created = harbour.post("/api/scenarios", json={
        "id": "plain", "title": "Plain", "actor": {"id": "a", "capability": 1},
        "issue_id": "x", "issue_name": "X", "position": 1, "salience": 50})
    assert created.status_code == 201
    none = harbour.post("/api/scenarios/plain/backtest", json={})
    assert none.status_code == 422 and "recorded outcome" in none.json()["error"]


def test_runs_and_comparison(harbour: TestClient) -> None:
    doc = harbour.post("/api/scenarios/harbour/forecast", json={"models": FAST}).json()
    a, b = doc["runs"]["compromise"]["run"], doc["runs"]["median"]["run"]
    cmp = harbour.get(f"/api/compare/runs?a={a}&b={b}").json()
    size = next(r for r in cmp["issues"] if r["issue"] == "size")
    assert size["difference"] == size["b"] - size["a"]
    page = harbour.get(f"/compare?a={a}&b={b}")
    assert page.status_code == 200 and "Difference" in page.text
    assert harbour.get("/api/runs/999").status_code == 404
    assert harbour.get("/api/runs/0").status_code == 422
    assert harbour.get(f"/api/compare/runs?a={a}&b=999").status_code == 404
    assert harbour.get("/api/compare/runs?a=x&b=1").status_code == 422


def test_models_list_their_parameters(client: TestClient) -> None:
    models = {m["name"]: m for m in client.get("/api/models").json()}
    assert {"compromise", "median", "eum", "nash", "exchange", "smp"} <= set(models)
    q = next(p for p in models["eum"]["parameters"] if p["name"] == "Q")
    assert q["default"] == 1.0 and q["help"]


def test_export_every_format_into_the_export_folder(harbour: TestClient,
                                                    tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    harbour.post("/api/scenarios/harbour/edits", json={"based_on": 1, "edits": [
        {"op": "remove_issue", "issue": "year"}]})  # bdm and decide hold one issue
    assert harbour.post("/api/scenarios/harbour/export?format=runs").status_code == 422
    harbour.post("/api/scenarios/harbour/forecast", json={"models": FAST})
    for fmt in ("yaml", "json", "csv", "bdm", "decide", "report", "runs"):
        r = harbour.post(f"/api/scenarios/harbour/export?format={fmt}")
        assert r.status_code == 200, (fmt, r.text)
        name = r.headers["content-disposition"].split('filename="')[1].rstrip('"')
        assert (folder / name).read_bytes() == r.content
    names = {e["name"] for e in harbour.get("/api/exports").json()}
    assert "harbour-v2.yaml" in names and "harbour-v2-report.html" in names
    with zipfile.ZipFile(folder / "harbour-v2-runs.zip") as z:
        assert "runs.parquet" in z.namelist()
    # re-import of the exported YAML gives the same scenario back (as the same version)
    back = harbour.post("/api/import", files={"file": ("h.yaml",
                                                       (folder / "harbour-v2.yaml").read_bytes())})
    assert back.status_code == 201 and back.json()["version"] == 2
    assert harbour.post("/api/scenarios/harbour/export?format=exe").status_code == 422
    assert harbour.post("/api/scenarios/nope/export?format=yaml").status_code == 404
    assert sorted(p.parent for p in tmp_path.rglob("*") if p.is_file()
                  and p.suffix != ".duckdb" and not p.name.endswith(".wal")) \
        == [folder] * len([p for p in folder.iterdir()])


def test_export_names_stay_in_the_folder(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/api/scenarios", json={
        "id": "../../escape", "title": "Escape", "actor": {"id": "a", "capability": 1},
        "issue_id": "x", "issue_name": "X", "position": 1, "salience": 50})
    assert r.status_code == 201
    out = client.post("/api/scenarios/..%2F..%2Fescape/export?format=yaml")
    if out.status_code == 200:
        assert (tmp_path / "exports" / "______escape-v1.yaml").is_file()
    assert not (tmp_path.parent / "escape-v1.yaml").exists()


def test_csrf_is_required(client: TestClient) -> None:
    bare = TestClient(client.app)
    r = bare.post("/api/examples/harbour")
    assert r.status_code == 403 and "X-CSRF-Token" in r.json()["error"]
    assert bare.get("/api/health").status_code == 200
    page = client.post("/open-example", data={"name": "harbour", "csrf_token": "wrong"},
                       follow_redirects=False)
    assert page.status_code == 403
    ok = client.post("/open-example", data={"name": "harbour",
                                            "csrf_token": client.cookies["detente_csrf"]},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/scenarios/harbour"


def test_token_is_required_when_set(tmp_path: Path) -> None:
    for client in client_for(tmp_path / "t.duckdb", token="s3cret"):
        assert client.post("/api/examples/harbour").status_code == 201
        bare = TestClient(client.app)
        assert bare.get("/api/health").status_code == 401
        assert bare.get("/").status_code == 401
        assert bare.get("/api/health", headers={"Authorization": "Bearer nope"}).status_code \
            == 401
        assert bare.get("/api/health",
                        headers={"Authorization": "Bearer s3cret"}).status_code == 200
        first = bare.get("/?token=s3cret")
        assert first.status_code == 200
        assert bare.get("/api/health").status_code == 200  # the cookie now carries it


def test_upload_limit(tmp_path: Path) -> None:
    for client in client_for(tmp_path / "u.duckdb", max_upload=2000):
        big = b"id: x\n" + b"#" * 5000
        r = client.post("/api/import", files={"file": ("big.yaml", big)})
        assert r.status_code == 413 and "limit of 2,000 bytes" in r.json()["error"]
        page = client.post("/import", files={"file": ("big.yaml", big)},
                           data={"csrf_token": client.cookies["detente_csrf"]})
        assert page.status_code == 413


def test_pages_escape_user_text(client: TestClient) -> None:
    evil = "<script>alert(1)</script>"
    r = client.post("/api/scenarios", json={
        "id": "evil", "title": evil, "actor": {"id": "a", "name": evil, "capability": 1},
        "issue_id": "x", "issue_name": evil, "position": 1, "salience": 50})
    assert r.status_code == 201
    for url in ("/", "/scenarios/evil"):
        text = client.get(url).text
        assert evil not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert client.get("/scenarios/nope").status_code == 404


def test_home_page_forms(client: TestClient) -> None:
    csrf = client.cookies["detente_csrf"]
    assert "No scenarios yet" in client.get("/").text
    bad = Path("tests/data/harbour.yaml").read_text().replace("position: 100", "position: 140")
    r = client.post("/import", files={"file": ("bad.yaml", bad.encode())},
                    data={"csrf_token": csrf})
    assert r.status_code == 422
    assert "bad.yaml was not imported" in r.text and "position 140 lies outside" in r.text
    r = client.post("/new", data={
        "id": "n", "title": "New", "actor_id": "a", "capability": "2", "issue_id": "x",
        "issue_name": "X", "position": "500", "salience": "50", "csrf_token": csrf})
    assert r.status_code == 422 and "position 500 lies outside" in r.text
    r = client.post("/new", data={
        "id": "n", "title": "New", "actor_id": "a", "capability": "two", "issue_id": "x",
        "issue_name": "X", "position": "5", "salience": "50", "csrf_token": csrf})
    assert r.status_code == 422 and "capability" in r.text
    r = client.post("/new", data={
        "id": "n", "title": "New", "actor_id": "a", "capability": "2", "issue_id": "x",
        "issue_name": "X", "position": "5", "salience": "50", "csrf_token": csrf},
        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/scenarios/n"
    assert "/scenarios/n" in client.get("/").text


def test_assets_are_served_or_named(client: TestClient) -> None:
    from detente.web import assets

    r = client.get("/assets/vega.js")
    if assets.missing():
        assert r.status_code == 404 and "make setup" in r.text
    else:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert client.get("/assets/nope.js").status_code == 404
    assert client.get("/static/editor.js").status_code == 200


def test_timeline_across_snapshots(harbour: TestClient) -> None:
    r = harbour.post("/api/scenarios/harbour/timeline", json={"models": FAST})
    assert r.status_code == 200
    doc = r.json()
    assert [s["as_of"] for s in doc["snapshots"]] == ["2024-03-01", "2024-06-01"]
    size = next(i for i in doc["issues"] if i["id"] == "size")
    expected = detente.forecast(detente.load("tests/data/harbour.yaml"), ["median"],
                                as_of="2024-03-01").outcome("median", "size")
    assert size["forecasts"]["median"][0]["outcome"] == expected
    assert doc["charts"]["size"]["layer"][1]["encoding"]["y"]["scale"]["domain"] == [0.0,
                                                                                    100.0]
    assert harbour.post("/api/scenarios/harbour/timeline",
                        json={"models": ["nope"]}).status_code == 422
    assert harbour.post("/api/scenarios/nope/timeline", json={}).status_code == 404
