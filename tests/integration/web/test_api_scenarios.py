"""The JSON API's scenario endpoints: creating, editing, versions, conflicts, bad input."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

import detente
from detente.io import dumps
from tests.helpers import EXAMPLES, ROOT

HARBOUR = ROOT / "tests" / "data" / "harbour.yaml"


def edit(client: TestClient, based_on: int, *edits: dict[str, Any], sid: str = "harbour") -> Any:
    return client.post(f"/api/scenarios/{sid}/edits", json={"based_on": based_on,
                                                             "edits": list(edits)})


def cell(client: TestClient, actor: str, issue: str, snapshot: int = 1) -> dict[str, Any]:
    grid = client.get(f"/api/scenarios/harbour/grid?snapshot={snapshot}").json()
    return next(c for c in grid["cells"] if (c["actor"], c["issue"]) == (actor, issue))


def version(client: TestClient, sid: str = "harbour") -> int:
    return int(client.get(f"/api/scenarios/{sid}").json()["version"])


def test_health_and_security_headers(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.json()["ok"] is True
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"


def test_examples_open_once(client: TestClient) -> None:
    first = client.post("/api/examples/korea")
    assert first.status_code == 201 and first.json()["version"] == 1
    assert client.post("/api/examples/korea").json()["version"] == 1  # not stored twice
    listed = client.get("/api/scenarios").json()
    assert [s["scenario"] for s in listed] == [detente.load(EXAMPLES / "korea-2018.yaml").id]
    assert len(listed[0]["snapshots"]) == 3
    assert client.post("/api/examples/nope").status_code == 404


def test_create_scenario_and_refusals(client: TestClient) -> None:
    body = {"id": "talks", "title": "Talks", "actor": {"id": "a", "capability": 2},
            "issue_id": "x", "issue_name": "Issue X", "position": 40, "salience": 70}
    r = client.post("/api/scenarios", json=body)
    assert r.status_code == 201 and r.json()["version"] == 1
    again = client.post("/api/scenarios", json=body)
    assert again.status_code == 409 and "already exists" in again.json()["error"]
    out = client.post("/api/scenarios", json={**body, "id": "t2", "position": 140})
    assert out.status_code == 422
    assert out.json()["field"] == "snapshots[0].stances[0].position"
    assert "outside the scale [0, 100]" in out.json()["message"]
    typed = client.post("/api/scenarios", json={**body, "id": "t3", "salience": "lots"})
    assert typed.status_code == 422 and typed.json()["field"] == "salience"
    negative = client.post("/api/scenarios", json={**body, "id": "t4",
                                                   "actor": {"id": "a", "capability": -1}})
    assert negative.status_code == 422 and "capability must be > 0" in negative.json()["error"]
    assert [s["scenario"] for s in client.get("/api/scenarios").json()] == ["talks"]


def test_unknown_ids_are_404(harbour: TestClient) -> None:
    assert harbour.get("/api/scenarios/nope").status_code == 404
    assert harbour.get("/api/scenarios/harbour?version=99").status_code == 404
    assert harbour.get("/api/scenarios/nope/grid").status_code == 404
    assert edit(harbour, 1, {"op": "set_stance", "snapshot": 0, "actor": "city",
                             "issue": "size", "position": 1}, sid="nope").status_code == 404
    assert harbour.get("/api/scenarios/harbour?version=0").status_code == 422


def test_cell_edit_is_a_new_version_and_keeps_evidence(harbour: TestClient) -> None:
    before = cell(harbour, "city", "size")
    r = edit(harbour, 1, {"op": "set_stance", "snapshot": 1, "actor": "city", "issue": "size",
                          "position": 65})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["based_on"] == 1
    after = cell(harbour, "city", "size")
    assert after["position"]["value"] == 65 and after["salience"] == before["salience"]
    assert after["evidence"] == before["evidence"] and after["own"]
    # the first snapshot is untouched
    assert cell(harbour, "city", "size", snapshot=0)["position"]["value"] == 70
    history = harbour.get("/api/scenarios/harbour/history").json()
    assert [h["version"] for h in history] == [2, 1]


def test_uncertainty_of_a_cell(harbour: TestClient) -> None:
    r = edit(harbour, 1, {"op": "set_stance", "snapshot": 0, "actor": "port", "issue": "size",
                          "position": 90, "position_sd": 5, "salience": 70, "salience_sd": 10})
    assert r.status_code == 200
    c = cell(harbour, "port", "size", snapshot=0)
    assert c["position"] == {"value": 90, "sd": 5, "low": None, "high": None}
    assert c["salience"]["value"] == 70 and c["salience"]["sd"] == 10


def test_invalid_edits_are_refused_and_nothing_is_stored(harbour: TestClient) -> None:
    cases = [
        ({"op": "set_stance", "snapshot": 1, "actor": "city", "issue": "size", "position": 140},
         "snapshots[1].stances[0].position", "outside the scale"),
        ({"op": "set_stance", "snapshot": 0, "actor": "city", "issue": "size", "salience": 150},
         "snapshots[0].stances[0].salience", "salience 150 is outside 0–100"),
        ({"op": "set_stance", "snapshot": 0, "actor": "nobody", "issue": "size", "position": 1},
         "actor", "unknown actor 'nobody'"),
        ({"op": "set_stance", "snapshot": 9, "actor": "city", "issue": "size", "position": 1},
         "snapshot", "no snapshot 9"),
        ({"op": "update_actor", "actor": "port", "capability": 0},
         "actors[1]", "capability must be > 0"),
        ({"op": "update_actor", "actor": "city", "capability": 9},
         "actors[0].capability", "value 9 lies outside its range [4, 6]"),
        ({"op": "update_actor", "actor": "city", "colour": "red"},
         "actors[0].colour", "should match pattern"),
        ({"op": "update_actor", "actor": "city", "new_id": "port"}, "new_id", "already exists"),
        ({"op": "add_actor", "id": "city", "capability": 1}, "actors[3].id", "duplicate id"),
        ({"op": "update_issue", "issue": "size", "status_quo": 120},
         "issues[0]", "status_quo 120 lies outside"),
        ({"op": "update_issue", "issue": "size", "min": 80}, "issues[0]", "lies outside"),
        ({"op": "set_leverage", "source": "city", "target": "city", "weight": 2},
         "leverage[1]", "on itself"),
        ({"op": "new_snapshot", "from_snapshot": 1, "as_of": "2024-01-01"},
         "snapshots[2].as_of", "is not after the previous snapshot"),
        ({"op": "set_model", "model": "eum", "values": {"Q": 7}}, "models.eum.Q", "Q"),
        ({"op": "set_model", "model": "nope", "values": {"x": 1}}, "models.nope",
         "unknown model"),
        ({"op": "set_evidence", "snapshot": 0, "actor": "city", "issue": "size",
          "evidence": [{"paraphrase": "said so"}]}, "edits", "needs a 'source'"),
    ]
    for body, field, message in cases:
        r = edit(harbour, 1, body)
        assert r.status_code == 422, (body, r.json())
        got = r.json()
        assert got["field"] is not None and got["field"].startswith(field.split(".")[0]), \
            (body, got)
        assert message in got["error"], (body, got)
    assert version(harbour) == 1


def test_malformed_requests(harbour: TestClient) -> None:
    bad = [
        {"based_on": 1, "edits": []},
        {"based_on": 1, "edits": [{"op": "explode"}]},
        {"based_on": "one", "edits": [{"op": "remove_actor", "actor": "city"}]},
        {"based_on": 1, "edits": [{"op": "set_stance", "snapshot": -1, "actor": "city",
                                   "issue": "size", "position": 3}]},
        {"based_on": 1, "edits": [{"op": "set_stance", "snapshot": 0, "actor": "city",
                                   "issue": "size", "position": "high"}]},
        {"based_on": 1, "edits": [{"op": "remove_actor", "actor": "city", "extra": 1}]},
        {"edits": [{"op": "remove_actor", "actor": "city"}]},
    ]
    for body in bad:
        r = harbour.post("/api/scenarios/harbour/edits", json=body)
        assert r.status_code == 422, body
        assert r.json()["error"]
    r = harbour.post("/api/scenarios/harbour/edits", content=b"{not json",
                     headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert version(harbour) == 1


def test_stale_save_is_refused(harbour: TestClient) -> None:
    first = {"op": "set_stance", "snapshot": 1, "actor": "green", "issue": "size",
             "position": 10}
    assert edit(harbour, 1, first).status_code == 200
    stale = edit(harbour, 1, {**first, "position": 20})
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.json()["error"]
    assert stale.json()["current"] == 2
    assert cell(harbour, "green", "size")["position"]["value"] == 10
    # merging: the same change on the latest version goes through
    assert edit(harbour, 2, {**first, "position": 20}).json()["version"] == 3


def test_actors_issues_leverage_snapshots_settings(harbour: TestClient) -> None:
    v = 1
    steps = [
        {"op": "add_actor", "id": "unions", "name": "Dock unions", "capability": 2,
         "capability_sd": 0.5, "bloc": "labour", "colour": "#aa3311"},
        {"op": "set_stance", "snapshot": 0, "actor": "unions", "issue": "size", "position": 80,
         "salience": 60},
        {"op": "update_actor", "actor": "unions", "new_id": "dockers", "name": "Dockers"},
        {"op": "add_issue", "id": "jobs", "name": "Jobs guaranteed", "min": 0, "max": 10},
        {"op": "update_issue", "issue": "jobs", "status_quo": 2,
         "anchors": [{"value": 0, "label": "none"}, {"value": 10, "label": "all"}],
         "questions": [{"id": "most", "text": "Most jobs kept", "op": ">=", "threshold": 6}],
         "outcome": {"value": 7, "description": "Seven in ten kept"}},
        {"op": "set_stance", "snapshot": 0, "actor": "dockers", "issue": "jobs", "position": 9,
         "salience": 90},
        {"op": "set_leverage", "source": "dockers", "target": "city", "weight": 2},
        {"op": "new_snapshot", "from_snapshot": 1, "as_of": "2024-09-01", "label": "Autumn"},
        {"op": "new_snapshot", "from_snapshot": 0, "as_of": "2024-10-01"},
        {"op": "set_model", "model": "eum", "values": {"Q": 0.8}},
        {"op": "update_scenario", "title": "Harbour, edited"},
    ]
    for step in steps:
        r = edit(harbour, v, step)
        assert r.status_code == 200, (step, r.json())
        v = r.json()["version"]
    grid = harbour.get("/api/scenarios/harbour/grid").json()
    assert grid["title"] == "Harbour, edited" and grid["models"] == {"eum": {"Q": 0.8}}
    dockers = next(a for a in grid["actors"] if a["id"] == "dockers")
    assert dockers["name"] == "Dockers" and dockers["colour"] == "#aa3311"
    assert dockers["capability"]["sd"] == 0.5
    jobs = next(i for i in grid["issues"] if i["id"] == "jobs")
    assert jobs["outcome"]["value"] == 7 and jobs["questions"][0]["id"] == "most"
    assert [s["as_of"] for s in grid["snapshots"]] == ["2024-03-01", "2024-06-01",
                                                       "2024-09-01", "2024-10-01"]
    # the last snapshot copies the first one's state (city at 70, not 55)
    city = next(c for c in grid["cells"] if (c["actor"], c["issue"]) == ("city", "size"))
    assert city["position"]["value"] == 70
    lev = grid["leverage"]
    assert lev["weights"][lev["actors"].index("dockers")][lev["actors"].index("city")] == 2
    # removing an actor removes its stances and leverage; removing an issue its stances
    r = edit(harbour, v, {"op": "remove_actor", "actor": "dockers"},
             {"op": "remove_issue", "issue": "jobs"})
    assert r.status_code == 200
    grid = harbour.get("/api/scenarios/harbour/grid").json()
    assert {c["actor"] for c in grid["cells"]} == {"city", "port", "green"}
    assert {i["id"] for i in grid["issues"]} == {"size", "year"}


def test_evidence_edit(harbour: TestClient) -> None:
    ev = [{"source": "minutes", "locator": "p. 8", "paraphrase": "The <b>mayor</b> wavers."},
          {"basis": "judgement", "paraphrase": "Reading between the lines."}]
    r = edit(harbour, 1, {"op": "set_evidence", "snapshot": 1, "actor": "green",
                          "issue": "size", "evidence": ev})
    assert r.status_code == 200
    got = cell(harbour, "green", "size")["evidence"]
    assert got[0]["locator"] == "p. 8" and got[1]["basis"] == "judgement"
    # green's size stance at snapshot 1 gives no numbers of its own: inherited from snapshot 0
    assert cell(harbour, "green", "size")["position"]["value"] == 0


def test_undo_and_restore(harbour: TestClient) -> None:
    edit(harbour, 1, {"op": "set_stance", "snapshot": 1, "actor": "green", "issue": "size",
                      "position": 10})
    r = harbour.post("/api/scenarios/harbour/restore", json={"based_on": 2})
    assert r.status_code == 200 and r.json()["version"] == 3
    assert cell(harbour, "green", "size")["position"]["value"] == 0
    assert harbour.post("/api/scenarios/harbour/restore",
                        json={"based_on": 1}).status_code == 409
    assert harbour.post("/api/scenarios/harbour/restore",
                        json={"based_on": 3, "version": 9}).status_code == 422


def test_the_last_snapshot_stays(harbour: TestClient) -> None:
    assert edit(harbour, 1, {"op": "remove_snapshot", "snapshot": 1}).status_code == 200
    r = edit(harbour, 2, {"op": "remove_snapshot", "snapshot": 0})
    assert r.status_code == 422 and "at least one snapshot" in r.json()["error"]


def test_replace_document(harbour: TestClient) -> None:
    doc = harbour.get("/api/scenarios/harbour").json()["document"]
    doc["title"] = "Replaced"
    assert harbour.put("/api/scenarios/harbour", json={"based_on": 1,
                                                       "document": doc}).status_code == 200
    assert harbour.put("/api/scenarios/harbour", json={"based_on": 1,
                                                       "document": doc}).status_code == 409
    doc["id"] = "other"
    r = harbour.put("/api/scenarios/harbour", json={"based_on": 2, "document": doc})
    assert r.status_code == 422 and r.json()["field"] == "id"
    doc["id"] = "harbour"
    doc["actors"] = []
    r = harbour.put("/api/scenarios/harbour", json={"based_on": 2, "document": doc})
    assert r.status_code == 422 and r.json()["field"] == "actors"


def test_grid_and_diff_ranges(harbour: TestClient) -> None:
    assert harbour.get("/api/scenarios/harbour/grid?snapshot=5").status_code == 422
    assert harbour.get("/api/scenarios/harbour/grid?snapshot=-1").status_code == 422
    assert harbour.get("/api/scenarios/harbour/grid?snapshot=x").status_code == 422
    diff = harbour.get("/api/scenarios/harbour/diff?a=0&b=1").json()
    moved = {(m["actor"], m["issue"]): m for m in diff["stances"]}
    assert moved[("city", "size")]["position"] == {"from": 70.0, "to": 55.0, "by": -15.0}
    assert moved[("city", "size")]["evidence"][0]["locator"] == "p. 7"
    assert diff["capabilities"] == [{"actor": "green", "from": 1.0, "to": 2.0}]
    assert harbour.get("/api/scenarios/harbour/diff?a=0&b=7").status_code == 422
    grid = harbour.get("/api/scenarios/harbour/grid?snapshot=0").json()
    without = [c for c in grid["cells"] if not c["evidence"]]
    assert without == []  # every harbour stance has evidence


def test_concurrent_editors_lose_nothing(harbour: TestClient) -> None:
    """Ten editors save at once, each on the version it read: every save is either accepted
    (and then present in the history) or refused as stale; none is lost silently."""
    accepted: list[tuple[int, float]] = []
    refused: list[int] = []
    lock = threading.Lock()

    def editor(k: int) -> None:
        for attempt in range(100):
            v = version(harbour)
            r = edit(harbour, v, {"op": "set_stance", "snapshot": 1, "actor": "green",
                                  "issue": "size", "position": k * 10 + attempt / 10})
            with lock:
                if r.status_code == 200:
                    accepted.append((r.json()["version"], k * 10 + attempt / 10))
                    return
                assert r.status_code == 409
                refused.append(k)

    threads = [threading.Thread(target=editor, args=(k,)) for k in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(accepted) == 10
    versions = sorted(v for v, _ in accepted)
    assert versions == list(range(2, 12))
    for v, x in accepted:
        doc = harbour.get(f"/api/scenarios/harbour?version={v}").json()["document"]
        stance = next(s for s in doc["snapshots"][1]["stances"]
                      if (s["actor"], s["issue"]) == ("green", "size"))
        assert stance["position"] == x


def test_import_formats_and_located_errors(client: TestClient) -> None:
    sc = detente.load(HARBOUR)
    for fmt, name in (("yaml", "h.yaml"), ("json", "h.json"), ("csv", "h.csv"),
                      ("bdm", "h.csv"), ("decide", "h.csv")):
        text = dumps(sc.restrict(["size"]) if fmt in ("bdm", "decide") else sc, fmt)
        r = client.post("/api/import", files={"file": (name, text.encode())},
                        data={"input_format": fmt})
        assert r.status_code == 201, (fmt, r.json())
    bad = HARBOUR.read_text().replace("position: 100", "position: 140")
    r = client.post("/api/import", files={"file": ("bad.yaml", bad.encode())})
    assert r.status_code == 422
    got = r.json()
    assert got["problems"][0]["file"] == "bad.yaml"
    line = bad.splitlines().index("        position: 140") + 1
    assert got["problems"][0]["line"] == line and got["field"] == "snapshots[0].stances[1].position"
    garbage = client.post("/api/import", files={"file": ("x.yaml", b"id: [unclosed")})
    assert garbage.status_code == 422 and garbage.json()["line"] is not None
    empty = client.post("/api/import", files={"file": ("x.yaml", b"")})
    assert empty.status_code == 422 and "empty" in empty.json()["error"]
    assert client.post("/api/import").status_code == 422
