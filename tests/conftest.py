"""Shared fixtures: the peer data sets beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SHARED


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the repository; the test is skipped where it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared (peer data sets) is not available")
    return SHARED
