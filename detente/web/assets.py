"""Third-party browser assets: installed from npm (``package.json`` and its lock file) by
``make setup`` (``npm ci``), served by the app itself, never committed and never fetched at
run time."""

from __future__ import annotations

import os
from pathlib import Path

from detente.errors import DetenteError

ENV_VAR = "DETENTE_NODE_MODULES"
SETUP_COMMAND = "make setup (or: npm ci, in the detente source folder)"

#: The name the app serves each asset under, and its path inside node_modules.
ASSETS: dict[str, str] = {
    "tabulator.js": "tabulator-tables/dist/js/tabulator.min.js",
    "tabulator.css": "tabulator-tables/dist/css/tabulator_simple.min.css",
    "vega.js": "vega/build/vega.min.js",
    "vega-lite.js": "vega-lite/build/vega-lite.min.js",
    "vega-embed.js": "vega-embed/build/vega-embed.min.js",
}


class AssetsMissing(DetenteError):
    """The browser assets have not been installed."""


def node_modules() -> Path:
    """``$DETENTE_NODE_MODULES``, else ``node_modules`` beside the detente source folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "node_modules"


def asset_path(name: str) -> Path | None:
    """The file of one asset, or None when it is unknown or not installed."""
    rel = ASSETS.get(name)
    if rel is None:
        return None
    path = node_modules() / rel
    return path if path.is_file() else None


def missing() -> list[str]:
    """The assets that are not installed."""
    return [name for name in ASSETS if asset_path(name) is None]


def require() -> None:
    """Raise :class:`AssetsMissing` with the command to run when any asset is missing."""
    gone = missing()
    if gone:
        raise AssetsMissing(
            f"the web app's browser assets are not installed ({', '.join(gone)} missing "
            f"under {node_modules()}): run {SETUP_COMMAND}"
        )
