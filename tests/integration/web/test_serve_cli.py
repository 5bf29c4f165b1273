"""``detente serve``: the address it prints, the token beyond loopback, missing assets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from detente.cli.app import app

DETENTE = Path(sys.executable).with_name("detente")


def test_missing_assets_name_the_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(DETENTE), "serve", "-w", str(tmp_path / "w.duckdb")], capture_output=True,
        text=True, timeout=60,
        env={**os.environ, "DETENTE_NODE_MODULES": str(tmp_path / "none")})
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "make setup" in lines[0] and "Traceback" not in proc.stderr


def test_beyond_loopback_a_token_is_generated(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from detente.web import assets

    if assets.missing():
        pytest.skip("browser assets not installed")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(app=application,
                                                                              **kw))
    result = CliRunner().invoke(app, ["serve", "-w", str(tmp_path / "w.duckdb"),
                                      "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
    assert "?token=" in result.output
    token = result.output.split("?token=")[1].split()[0]
    from fastapi.testclient import TestClient

    client = TestClient(seen["app"])
    assert client.get("/api/health").status_code == 401
    assert client.get("/api/health", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200


def test_serve_on_loopback(tmp_path: Path) -> None:
    from detente.web import assets

    if assets.missing():
        pytest.skip("browser assets not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(DETENTE), "serve", "-w", str(tmp_path / "w.duckdb"),
                             "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "token" not in line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health",
                                            timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
