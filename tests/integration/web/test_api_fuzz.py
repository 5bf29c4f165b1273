"""Property-based fuzzing of the JSON API against its own OpenAPI document (schemathesis):
whatever a client sends, the server answers without a 500 and as its schema says."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402

from detente.web import create_app  # noqa: E402

CSRF = "fuzz-token"
_app = create_app(Path(__import__("tempfile").mkdtemp(prefix="detente-fuzz-")) / "f.duckdb")
schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app)


@pytest.fixture(scope="module", autouse=True)
def _examples() -> None:
    """Something to find: the harbour example in the fuzzed app's workspace."""
    from detente.web.api import open_example

    open_example(_app.state.detente, "harbour")


@schema.exclude(path_regex="simulate|backtest|explain|export").parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call(headers={"X-CSRF-Token": CSRF}, cookies={"detente_csrf": CSRF})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
