"""The installed version of detente (recorded with every run and document)."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    """The package version, or "0+unknown" when running from a tree that is not installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("detente")
    except PackageNotFoundError:
        return "0+unknown"
