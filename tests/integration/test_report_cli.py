"""report, plot, timeline, align and perceptions through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import detente
from tests.helpers import EXAMPLES
from tests.simulation_fixtures import fake_simulation, simulation_document, tornado_bars

DETENTE = Path(sys.executable).with_name("detente")
KOREA = EXAMPLES / "korea-2018.yaml"


def run(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(DETENTE), *map(str, args)], capture_output=True, text=True,
                          timeout=180, env={"COLUMNS": "160", "PATH": str(DETENTE.parent)})
    if ok:
        assert proc.returncode == 0, proc.stderr
    return proc


def one_line_error(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0], proc.stderr


def test_report_with_simulation_and_tornado(tmp_path: Path) -> None:
    korea = detente.load(KOREA)
    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps(simulation_document(fake_simulation(korea, draws=1000))))
    bars = tmp_path / "tornado.json"
    bars.write_text(json.dumps(tornado_bars(korea, "talks")))
    out = tmp_path / "korea.html"
    proc = run("report", KOREA, "-o", out, "--simulation", sim, "--tornado", bars,
               "--tornado-model", "compromise", "--tornado-issue", "talks")
    assert "wrote" in proc.stderr
    html = out.read_text()
    for ident in ("chart-distributions", "chart-questions", "chart-tornado-1", "chart-timeline",
                  "chart-alignment-map"):
        assert f'id="{ident}"' in html


def test_plot_writes_png_and_svg(tmp_path: Path) -> None:
    png, svg = tmp_path / "map.png", tmp_path / "timeline.svg"
    run("plot", "map", KOREA, "-o", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    run("plot", "timeline", KOREA, "-o", svg, "-i", "talks", "-m", "median")
    assert "<svg" in svg.read_text()
    run("plot", "perceptions", KOREA, "-o", tmp_path / "p.png", "-i", "talks", "--actor", "KOR")
    one_line_error(run("plot", "map", KOREA, "-o", tmp_path / "m.gif", ok=False), ".png, .svg")
    one_line_error(run("plot", "distributions", KOREA, "-o", tmp_path / "d.png", ok=False),
                   "needs a simulation")
    one_line_error(run("plot", "perceptions", KOREA, "-o", tmp_path / "p.png", "--actor", "XX",
                       ok=False), "unknown actor")


def test_report_errors(tmp_path: Path) -> None:
    bad = tmp_path / "sim.json"
    bad.write_text('{"scenario": {}, "draws": 1}')
    one_line_error(run("report", KOREA, "-o", tmp_path / "r.html", "--simulation", bad,
                       ok=False), "missing 'seed'")
    one_line_error(run("report", KOREA, "-o", tmp_path / "r.html", "-i", "nope", ok=False),
                   "unknown issue 'nope'")
    assert not (tmp_path / "r.html").exists()


def test_timeline_align_perceptions_json() -> None:
    tl = json.loads(run("timeline", KOREA, "--format", "json", "-m", "median").stdout)
    assert [s["as_of"] for s in tl["snapshots"]] == ["2017-10-22", "2017-11-19", "2018-01-02"]
    al = json.loads(run("align", KOREA, "--format", "json").stdout)
    last = al["snapshots"][-1]
    assert ["CHN", "RUS"] in last["blocs"]
    kor = next(m for m in al["moves"] if m["actor"] == "KOR")
    assert kor["closer"]["actor"] == "CHN" and kor["further"]["actor"] == "USA"
    per = json.loads(run("perceptions", KOREA, "-i", "talks", "--format", "json").stdout)
    assert len(per["pairs"]) == 30
    assert {p["region"] for p in per["pairs"]} <= {"conflict", "compromise", "capitulation",
                                                    "status quo", "none"}
    text = run("align", KOREA, "--as-of", "2017-11-19").stdout
    assert "China, Russia" in text and "South Korea" in text
    csv_lines = run("timeline", KOREA, "--format", "csv", "-m", "median").stdout.splitlines()
    assert csv_lines[0] == "as_of,snapshot,issue,model,outcome,low,high"
    assert len(csv_lines) == 1 + 3 * 7


@pytest.mark.shared
def test_report_for_a_deu_issue(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "deu.html"
    deu = shared / "data" / "deu3" / "deu3-dev.tsv"
    issue = detente.load(deu).issues[3].id
    run("report", deu, "--issue", issue, "-o", out)
    assert 'id="chart-alignment-map"' in out.read_text()
