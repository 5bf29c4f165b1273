"""The analyst's web app: a FastAPI application over the workspace (``detente serve``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.lazy import lazy_names

if TYPE_CHECKING:
    from detente.web.app import create_app as create_app

__getattr__ = lazy_names(__name__, {"create_app": "detente.web.app"})

__all__ = ["create_app"]
