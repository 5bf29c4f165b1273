"""Shared fixtures: the peer data sets beside the repository; the property tests' profile.

Property tests draw the same examples on every run (``derandomize``), so a red run is
reproducible and a green one stays green; ``HYPOTHESIS_PROFILE=explore`` draws new ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from tests.helpers import SHARED

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

if TYPE_CHECKING:
    from detente.execution import Executor


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the repository; the test is skipped where it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared (peer data sets) is not available")
    return SHARED


@pytest.fixture(scope="session")
def dask_local() -> Iterator[Executor]:
    """A Dask LocalCluster of 2 worker processes started for the tests (shared by them)."""
    pytest.importorskip("distributed")
    from detente.execution import Dask

    with Dask(None, 2) as ex:
        yield ex
