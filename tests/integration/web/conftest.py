"""A web app on a fresh workspace, and a test client that sends the CSRF header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient

from detente.web import create_app


def client_for(path: Path, **options: object) -> Iterator[TestClient]:
    app = create_app(path, **options)  # type: ignore[arg-type]
    with TestClient(app) as client:
        if options.get("token"):
            client.headers["Authorization"] = f"Bearer {options['token']}"
        client.get("/")  # receives the CSRF cookie
        client.headers["X-CSRF-Token"] = client.cookies["detente_csrf"]
        yield client


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from client_for(tmp_path / "web.duckdb")


@pytest.fixture
def harbour(client: TestClient) -> TestClient:
    """The client with the harbour example opened (version 1)."""
    assert client.post("/api/examples/harbour").status_code == 201
    return client
