"""A server killed in the middle of saving: the workspace opens afterwards, holds every save
that was acknowledged, and at most the saves under way are missing."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx")

DETENTE = Path(sys.executable).with_name("detente")


def test_kill_during_saves_loses_at_most_those_under_way(tmp_path: Path) -> None:
    from detente.web import assets

    if assets.missing():
        pytest.skip("browser assets not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workspace = tmp_path / "crash.duckdb"
    proc = subprocess.Popen([str(DETENTE), "serve", "-w", str(workspace), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = httpx.Client(base_url=base, timeout=10)
                client.get("/")
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        client.headers["X-CSRF-Token"] = client.cookies["detente_csrf"]
        assert client.post("/api/examples/harbour").status_code == 201
        acknowledged: list[tuple[int, float]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def saver(k: int) -> None:
            c = httpx.Client(base_url=base, timeout=10, headers=dict(client.headers),
                             cookies=dict(client.cookies))
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    v = c.get("/api/scenarios/harbour/grid").json()["version"]
                    value = k * 10 + (n % 100) / 100
                    r = c.post("/api/scenarios/harbour/edits", json={"based_on": v, "edits": [
                        {"op": "set_stance", "snapshot": 1, "actor": "green",
                         "issue": "size", "position": value}]})
                except (httpx.HTTPError, ValueError):
                    return
                if r.status_code == 200:
                    with lock:
                        acknowledged.append((r.json()["version"], value))

        threads = [threading.Thread(target=saver, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        time.sleep(2.0)
        proc.kill()  # no shutdown, no checkpoint
        proc.wait(timeout=30)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert len(acknowledged) > 5

    from detente.store import Workspace, versions

    with Workspace(workspace) as ws:
        stored = {v.version: v for v in versions.history(ws, "harbour")}
        for number, value in acknowledged:
            doc = stored[number].scenario()  # present, and valid
            (stance,) = [s for s in doc.snapshots[1].stances
                         if (s.actor, s.issue) == ("green", "size")]
            assert stance.position is not None and stance.position.value == value
        newest = max(stored)
        assert newest - max(n for n, _ in acknowledged) <= len(threads)
        assert sorted(stored) == list(range(1, newest + 1))
