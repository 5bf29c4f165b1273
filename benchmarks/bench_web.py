"""Load on the web app over loopback: ``python benchmarks/bench_web.py [--rate 100]
[--seconds 60] [--editors 10] [--editor-seconds 60] [--quick]``.

Starts ``detente serve`` on a free loopback port with a fresh workspace, opens the Korea and
harbour examples, then

1. sends requests at a fixed rate (open loop) for a while, mixing page loads (the home page
   and the Korea editor), grid saves (one cell of the harbour scenario, each save on the
   version last seen; a stale save is refused with 409 and counted apart) and cached
   forecasts of the Korea case; prints p50/p99 latency and errors per kind;
2. lets ``--editors`` editors save cells of one scenario as fast as they can, each on the
   version it read, retrying when refused as stale; afterwards checks that every accepted
   save is in the scenario's history with the value it saved.

Not a test: it prints figures and never fails on a slow machine. Traffic goes to 127.0.0.1
only, and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np

DETENTE = Path(sys.executable).with_name("detente")
KOREA = "korea-2018"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workspace: Path, port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen([str(DETENTE), "serve", "-w", str(workspace), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def client(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=30)
    c.get("/")
    c.headers["X-CSRF-Token"] = c.cookies["detente_csrf"]
    return c


class Saver:
    """Saves cells of the harbour scenario, each on the version it last saw."""

    def __init__(self) -> None:
        self.version = 1
        self.lock = threading.Lock()
        self.n = 0

    def save(self, c: httpx.Client) -> httpx.Response:
        with self.lock:
            self.n += 1
            based_on, value = self.version, float(self.n % 100)
        r = c.post("/api/scenarios/harbour/edits", json={"based_on": based_on, "edits": [
            {"op": "set_stance", "snapshot": 1, "actor": "green", "issue": "size",
             "position": value}]})
        with self.lock:
            if r.status_code == 200:
                self.version = max(self.version, r.json()["version"])
            elif r.status_code == 409:
                self.version = max(self.version, r.json()["current"])
        return r


def mixed_load(base: str, rate: float, seconds: float) -> dict[str, Any]:
    """Open-loop requests at ``rate`` per second for ``seconds``."""
    saver = Saver()
    local = threading.local()

    def session() -> httpx.Client:
        if not hasattr(local, "c"):
            local.c = client(base)
        return local.c  # type: ignore[no-any-return]

    kinds = ["page", "page", "page", "page", "save", "save", "save",
             "forecast", "forecast", "forecast"]
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stale = [0]
    lock = threading.Lock()

    def one(k: int) -> None:
        kind = kinds[k % len(kinds)]
        c = session()
        started = time.perf_counter()
        try:
            if kind == "page":
                r = c.get("/" if k % 2 else f"/scenarios/{KOREA}")
            elif kind == "save":
                r = saver.save(c)
            else:
                r = c.post(f"/api/scenarios/{KOREA}/forecast", json={})
            ok = r.status_code == 200
            with lock:
                if r.status_code == 409 and kind == "save":
                    stale[0] += 1
                elif not ok:
                    errors[kind] += 1
        except httpx.HTTPError:
            with lock:
                errors[kind] += 1
        with lock:
            results[kind].append(time.perf_counter() - started)

    total = int(rate * seconds)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=48) as pool:
        for k in range(total):
            due = t0 + k / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            pool.submit(one, k)
    elapsed = time.perf_counter() - t0
    return {"results": results, "errors": errors, "stale": stale[0], "elapsed": elapsed,
            "sent": total}


def editors(base: str, count: int, seconds: float) -> dict[str, Any]:
    """``count`` editors saving one cell each as fast as they can; the accepted saves."""
    accepted: list[tuple[int, float]] = []
    refused = [0]
    failed = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def editor(k: int) -> None:
        c = client(base)
        n = 0
        while time.monotonic() < stop:
            version = c.get("/api/scenarios/harbour/grid").json()["version"]
            n += 1
            value = round(k * 10 + (n % 1000) / 1000, 3)
            r = c.post("/api/scenarios/harbour/edits", json={"based_on": version, "edits": [
                {"op": "set_stance", "snapshot": 0, "actor": "port", "issue": "size",
                 "position": value}]})
            with lock:
                if r.status_code == 200:
                    accepted.append((r.json()["version"], value))
                elif r.status_code == 409:
                    refused[0] += 1
                else:
                    failed[0] += 1

    threads = [threading.Thread(target=editor, args=(k,)) for k in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    c = client(base)
    lost = 0
    for version, value in accepted:
        doc = c.get(f"/api/scenarios/harbour?version={version}").json()["document"]
        stance = next(s for s in doc["snapshots"][0]["stances"]
                      if (s["actor"], s["issue"]) == ("port", "size"))
        x = stance["position"]["value"] if isinstance(stance["position"], dict) \
            else stance["position"]
        lost += x != value
    versions = [v for v, _ in accepted]
    return {"accepted": len(accepted), "refused": refused[0], "failed": failed[0],
            "lost": lost, "distinct_versions": len(set(versions)), "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--editors", type=int, default=10)
    parser.add_argument("--editor-seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="15 s per phase")
    args, _ = parser.parse_known_args()
    if args.quick:
        args.seconds = args.editor_seconds = 15.0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="detente-bench-web-") as tmp:
        proc = start_server(Path(tmp) / "bench.duckdb", port)
        try:
            c = client(base)
            c.post("/api/examples/korea")
            c.post("/api/examples/harbour")
            started = time.perf_counter()
            c.post(f"/api/scenarios/{KOREA}/forecast", json={})
            first = time.perf_counter() - started
            print(f"cores: {os.cpu_count()}; first Korea forecast (all default models): "
                  f"{first:.2f} s, then cached")
            load = mixed_load(base, args.rate, args.seconds)
            print(f"\nmixed load: {load['sent']} requests at {args.rate:g}/s for "
                  f"{args.seconds:g} s (sent in {load['elapsed']:.1f} s)")
            print("| kind | requests | p50 ms | p99 ms | errors |")
            print("|---|---:|---:|---:|---:|")
            every: list[float] = []
            for kind in ("page", "save", "forecast"):
                lat = np.array(load["results"][kind]) * 1000
                every.extend(lat)
                print(f"| {kind} | {lat.size} | {np.percentile(lat, 50):.1f} | "
                      f"{np.percentile(lat, 99):.1f} | {load['errors'][kind]} |")
            allx = np.array(every)
            print(f"| all | {allx.size} | {np.percentile(allx, 50):.1f} | "
                  f"{np.percentile(allx, 99):.1f} | {sum(load['errors'].values())} |")
            print(f"stale saves refused (409, two saves racing on one version): "
                  f"{load['stale']}")
            ed = editors(base, args.editors, args.editor_seconds)
            print(f"\n{args.editors} editors for {ed['seconds']:g} s: {ed['accepted']} saves "
                  f"accepted ({ed['distinct_versions']} distinct versions), {ed['refused']} "
                  f"refused as stale, {ed['failed']} failed, {ed['lost']} accepted saves "
                  f"missing from the history")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
