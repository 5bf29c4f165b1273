"""Long runs (Monte Carlo simulations) as background jobs with progress and cancel.

A job runs in its own thread; the page polls its state. Cancelling sets a flag that the
simulation's progress callback checks between chunks of draws, so a cancelled job stops
at the next chunk and records nothing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from detente.errors import DetenteError

State = Literal["running", "done", "failed", "cancelled"]
Work = Callable[[Callable[[int, int], None]], dict[str, Any]]


class Cancelled(Exception):
    """Raised inside a job whose cancel was asked for."""


@dataclass
class Job:
    id: str
    kind: str
    scenario: str
    state: State = "running"
    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    error: str | None = None
    result: dict[str, Any] | None = None
    cancel_asked: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int) -> None:
        if self.cancel_asked.is_set():
            raise Cancelled
        self.done, self.total = done, total

    def to_dict(self) -> dict[str, Any]:
        end = self.finished if self.finished is not None else time.monotonic()
        return {"job": self.id, "kind": self.kind, "scenario": self.scenario,
                "state": self.state, "done": self.done, "total": self.total,
                "elapsed_s": round(end - self.started, 3), "error": self.error,
                "result": self.result}


class Jobs:
    """The jobs of one app; at most ``limit`` run at once, finished ones are kept a while."""

    def __init__(self, limit: int = 2, keep: int = 50) -> None:
        self.limit = limit
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, kind: str, scenario: str, work: Work) -> Job:
        with self._lock:
            running = sum(j.state == "running" for j in self._jobs.values())
            if running >= self.limit:
                raise DetenteError(f"{running} runs are already under way; wait for one to "
                                   f"finish or cancel it")
            job = Job(secrets.token_hex(8), kind, scenario)
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state != "running"]
            for old in finished[: max(0, len(finished) - self.keep)]:
                del self._jobs[old.id]

        def run() -> None:
            try:
                job.result = work(job.progress)
                job.state = "done"
            except Cancelled:
                job.state = "cancelled"
            except DetenteError as exc:
                job.state, job.error = "failed", str(exc)
            except Exception as exc:  # a model failing must not take the server down
                job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
            finally:
                job.finished = time.monotonic()

        threading.Thread(target=run, name=f"detente-job-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        if job is not None and job.state == "running":
            job.cancel_asked.set()
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the job is no longer running (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        job = self._jobs.get(job_id)
        while job is not None and job.state == "running" and time.monotonic() < deadline:
            time.sleep(0.02)
        return job
