"""What the app holds while it runs: the open workspace (one connection, one user at a time),
caches of validated scenarios and of forecasts, and the background jobs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.scenario import Scenario
    from detente.store.versions import Version
    from detente.store.workspace import Workspace
    from detente.web.jobs import Jobs


class Cache:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class AppState:
    """The app's workspace and caches; ``use()`` hands out the workspace to one thread."""

    workspace_path: Path
    token: str | None
    max_upload: int
    jobs: Jobs
    scenarios: Cache = field(default_factory=lambda: Cache(64))
    forecasts: Cache = field(default_factory=lambda: Cache(256))
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _ws: Workspace | None = None

    @property
    def export_dir(self) -> Path:
        """The only folder exports are written to: ``exports/`` beside the workspace file."""
        return self.workspace_path.resolve().parent / "exports"

    @contextmanager
    def use(self) -> Iterator[Workspace]:
        """The open workspace, for this thread alone while the block runs."""
        from detente.store.workspace import Workspace

        with self._lock:
            if self._ws is None:
                ws = Workspace(self.workspace_path)
                ws.open()
                self._ws = ws
            yield self._ws

    def close(self) -> None:
        with self._lock:
            if self._ws is not None:
                self._ws.close()
                self._ws = None

    def scenario(self, version: Version) -> Scenario:
        """The validated scenario of a stored version (cached by content)."""
        found = self.scenarios.get(version.scenario_key)
        if found is None:
            found = version.scenario()
            self.scenarios.put(version.scenario_key, found)
        return found  # type: ignore[no-any-return]
