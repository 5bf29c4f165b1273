"""The JSON API under ``/api``: the pages use it, and so can any program (OpenAPI at
``/api/openapi.json``). Results are the same documents the command line prints."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from detente.errors import InputError
from detente.store import versions
from detente.web import documents
from detente.web.edits import AddActor, Edit, Number, Text, apply_edits, editable_document
from detente.web.state import AppState

router = APIRouter(prefix="/api")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {"korea": ROOT / "examples" / "korea-2018.yaml",
            "harbour": ROOT / "tests" / "data" / "harbour.yaml"}
EXPORT_FORMATS = ("yaml", "json", "csv", "bdm", "decide", "report", "runs")
ModelName = Annotated[str, Field(min_length=1, max_length=40)]
Settings = dict[ModelName, dict[Annotated[str, Field(max_length=60)], str | float | bool]]


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.detente
    return state


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ scenarios


class NewScenario(Body):
    """A new scenario: its first actor, issue and stance (a scenario is never stored empty)."""

    id: Text
    title: Text
    actor: AddActor
    issue_id: Text
    issue_name: Text
    min: Number = 0.0
    max: Number = 100.0
    position: Number
    salience: Number = Field(description="0–100")
    as_of: dt.date | None = None


class EditRequest(Body):
    based_on: int = Field(ge=1, description="the version the edits were made on")
    edits: list[Edit] = Field(min_length=1, max_length=2000)
    note: str | None = Field(None, max_length=500)


class ReplaceRequest(Body):
    based_on: int = Field(ge=1)
    document: dict[str, Any]
    note: str | None = Field(None, max_length=500)


class RestoreRequest(Body):
    based_on: int = Field(ge=1)
    version: int | None = Field(None, ge=1, description="default: the one before based_on")


def _latest(ws: Any, sid: str) -> versions.Version:
    try:
        return versions.latest(ws, sid)
    except InputError as exc:
        raise HTTPException(404, exc.message) from None


def _version(ws: Any, sid: str, version: int | None) -> versions.Version:
    current = _latest(ws, sid)
    if version is None or version == current.version:
        return current
    try:
        return versions.get(ws, sid, version)
    except InputError as exc:
        raise HTTPException(404, exc.message) from None


def _saved(v: versions.Version) -> dict[str, Any]:
    return v.info()


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """The server is up; where its workspace is."""
    st = app_state(request)
    return {"ok": True, "workspace": str(st.workspace_path)}


@router.get("/scenarios")
def list_scenarios(request: Request) -> list[dict[str, Any]]:
    """Every scenario's latest version, with its snapshots."""
    st = app_state(request)
    with st.use() as ws:
        found = versions.listing(ws)
    out = []
    for v in found:
        sc = st.scenario(v)
        out.append({**v.info(), "title": sc.title, "snapshots": documents.snapshots(sc),
                    "actors": len(sc.actors), "issues": len(sc.issues)})
    return out


@router.post("/scenarios", status_code=201)
def create_scenario(request: Request, body: NewScenario) -> dict[str, Any]:
    """Create a scenario from its first actor, issue and stance."""
    from detente.web.edits import validated

    a = body.actor
    actor: dict[str, Any] = {"id": a.id, "capability": a.capability
                             if a.capability_sd is None
                             else {"value": a.capability, "sd": a.capability_sd}}
    for name in ("name", "bloc", "colour"):
        if getattr(a, name):
            actor[name] = getattr(a, name)
    snap: dict[str, Any] = {"stances": [{"actor": a.id, "issue": body.issue_id,
                                         "position": body.position, "salience": body.salience}]}
    if body.as_of is not None:
        snap["as_of"] = body.as_of.isoformat()
    doc = {"salience_scale": "0-100", "id": body.id, "title": body.title, "actors": [actor],
           "issues": [{"id": body.issue_id, "name": body.issue_name,
                       "scale": {"min": body.min, "max": body.max}}],
           "snapshots": [snap]}
    scenario = validated(doc)
    st = app_state(request)
    with st.use() as ws:
        return _saved(versions.save(ws, scenario, based_on=None, note="created"))


@router.get("/scenarios/{sid}")
def get_scenario(request: Request, sid: str,
                 version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """A scenario's document (saliences on 0–100) at its latest or a given version."""
    st = app_state(request)
    with st.use() as ws:
        v = _version(ws, sid, version)
    return {**v.info(), "document": editable_document(st.scenario(v))}


@router.put("/scenarios/{sid}")
def replace_scenario(request: Request, sid: str, body: ReplaceRequest) -> dict[str, Any]:
    """Save a whole document (e.g. after merging) as the next version."""
    from detente.web.edits import validated

    scenario = validated(body.document)
    if scenario.id != sid:
        raise InputError(f"the document's id {scenario.id!r} is not {sid!r}", field="id",
                         hint="a scenario keeps its id")
    st = app_state(request)
    with st.use() as ws:
        _latest(ws, sid)
        return _saved(versions.save(ws, scenario, based_on=body.based_on, note=body.note))


@router.post("/scenarios/{sid}/edits")
def edit_scenario(request: Request, sid: str, body: EditRequest) -> dict[str, Any]:
    """Apply edits to the version they were made on and save the result as the next version;
    a stale ``based_on`` is refused (409), an invalid result too (422), nothing stored."""
    st = app_state(request)
    with st.use() as ws:
        base = _latest(ws, sid)
        if base.version != body.based_on:
            raise versions.StaleVersion(sid, body.based_on, base.version)
        scenario = apply_edits(st.scenario(base), list(body.edits))
        return _saved(versions.save(ws, scenario, based_on=body.based_on,
                                    note=body.note or ", ".join(e.op for e in body.edits[:5])))


@router.get("/scenarios/{sid}/history")
def scenario_history(request: Request, sid: str) -> list[dict[str, Any]]:
    """Every version, newest first."""
    st = app_state(request)
    with st.use() as ws:
        _latest(ws, sid)
        return [v.info() for v in versions.history(ws, sid)]


@router.post("/scenarios/{sid}/restore")
def restore_scenario(request: Request, sid: str, body: RestoreRequest) -> dict[str, Any]:
    """Undo: save an earlier version (default: the one before) again as the latest."""
    st = app_state(request)
    with st.use() as ws:
        current = _latest(ws, sid)
        if current.version != body.based_on:
            raise versions.StaleVersion(sid, body.based_on, current.version)
        target = body.version if body.version is not None else body.based_on - 1
        if target < 1 or target > current.version:
            raise InputError(f"no version {target} to go back to", field="version",
                             hint="the history lists the versions")
        return _saved(versions.restore(ws, sid, target, based_on=body.based_on))


@router.get("/scenarios/{sid}/grid")
def scenario_grid(request: Request, sid: str,
                  snapshot: Annotated[int | None, Query(ge=0, le=10_000)] = None,
                  version: Annotated[int | None, Query(ge=1)] = None) -> JSONResponse:
    """The stance grid (actors × issues) at one snapshot, with evidence."""
    st = app_state(request)
    with st.use() as ws:
        v = _version(ws, sid, version)
    sc = st.scenario(v)
    k = documents.snapshot_index(sc, snapshot)
    return JSONResponse({**v.info(), "title": sc.title, "snapshots": documents.snapshots(sc),
                         "leverage": documents.leverage(sc, k), "models": sc.models,
                         **documents.grid(sc, k)})


@router.get("/scenarios/{sid}/diff")
def scenario_diff(request: Request, sid: str, a: Annotated[int, Query(ge=0, le=10_000)],
                  b: Annotated[int, Query(ge=0, le=10_000)]) -> dict[str, Any]:
    """What moved between two snapshots, with the evidence for each move."""
    st = app_state(request)
    with st.use() as ws:
        v = _latest(ws, sid)
    sc = st.scenario(v)
    return documents.diff(sc, documents.snapshot_index(sc, a), documents.snapshot_index(sc, b))


# ------------------------------------------------------------------ import, examples, export


def _problems(exc: InputError, name: str) -> list[dict[str, Any]]:
    return [{"message": e.message, "file": name, "line": e.line, "field": e.field,
             "hint": e.hint} for e in exc.all]


class ImportRefused(InputError):
    """An uploaded file the validator refused, with every problem located."""

    def __init__(self, name: str, exc: InputError) -> None:
        super().__init__(exc.message, file=name, line=exc.line, field=exc.field, hint=exc.hint,
                         more=[InputError(m.message, file=name, line=m.line, field=m.field,
                                          hint=m.hint) for m in exc.more])


def import_bytes(st: AppState, name: str, data: bytes, input_format: str | None) -> dict[str, Any]:
    """Validate an uploaded file and store it as a new scenario or its next version."""
    from detente.io import load

    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name).name)[-80:] or "upload"
    with tempfile.TemporaryDirectory(prefix="detente-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            scenario = load(path, input_format or None)
        except InputError as exc:
            raise ImportRefused(safe, exc) from None
    with st.use() as ws:
        try:
            current: int | None = versions.latest(ws, scenario.id).version
        except InputError:
            current = None
        return _saved(versions.save(ws, scenario, based_on=current, note=f"imported {safe}"))


async def read_upload(st: AppState, file: UploadFile) -> bytes:
    data = await file.read(st.max_upload + 1)
    if len(data) > st.max_upload:
        raise HTTPException(413, f"the file is larger than the limit of {st.max_upload:,} bytes "
                                 f"(upload a smaller file)")
    return data


@router.post("/import", status_code=201)
async def import_file(
    request: Request,
    file: Annotated[UploadFile, File(description="a scenario file in any readable format")],
    input_format: Annotated[str | None, Form(max_length=20)] = None,
) -> dict[str, Any]:
    """Upload a scenario file; the validator's errors come back each with line and field."""
    st = app_state(request)
    data = await read_upload(st, file)
    return import_bytes(st, file.filename or "upload", data, input_format)


def open_example(st: AppState, name: str) -> dict[str, Any]:
    from detente.io import load

    path = EXAMPLES.get(name)
    if path is None or not path.is_file():
        raise HTTPException(404, f"no example {name!r} (examples: {', '.join(EXAMPLES)})")
    scenario = load(path)
    with st.use() as ws:
        try:
            return versions.latest(ws, scenario.id).info()
        except InputError:
            return _saved(versions.save(ws, scenario, based_on=None, note=f"example {name}"))


@router.post("/examples/{name}", status_code=201)
def example(request: Request, name: str) -> dict[str, Any]:
    """Open a bundled example (korea or harbour) in the workspace."""
    return open_example(app_state(request), name)


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)[:80] or "scenario"


def export_file(st: AppState, sid: str, fmt: str) -> Path:
    """Write a scenario (or its report, or its runs) into the export folder; the path."""
    from detente.io import FORMATS, dumps

    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}", field="format",
                         hint=f"choose from: {', '.join(EXPORT_FORMATS)}")
    with st.use() as ws:
        v = _latest(ws, sid)
        sc = st.scenario(v)
        folder = st.export_dir.resolve()
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{_safe_name(sid)}-v{v.version}"
        if fmt == "runs":
            ids = [r.run_id for r in ws.runs(sid)]
            if not ids:
                raise InputError(f"scenario {sid!r} has no recorded runs yet", field="format",
                                 hint="run a forecast or a simulation first")
            target = folder / f"{stem}-runs"
            if target.exists():
                shutil.rmtree(target)
            ws.export(target, "parquet", runs=ids)
            archive = Path(shutil.make_archive(str(target), "zip", target))
            shutil.rmtree(target)
            return _confined(folder, archive)
    if fmt == "report":
        from detente.report import build_report

        target = _confined(folder, folder / f"{stem}-report.html")
        import importlib.util

        text = build_report(sc, interactive=importlib.util.find_spec("vl_convert") is not None)
    else:
        kind = "-bdm" if fmt == "bdm" else "-decide" if fmt == "decide" else ""
        target = _confined(folder, folder / f"{stem}{kind}{FORMATS[fmt].extensions[0]}")
        text = dumps(sc, fmt)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


def _confined(folder: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(folder):
        raise InputError("exports are written only into the workspace's export folder",
                         field="format")
    return resolved


@router.post("/scenarios/{sid}/export")
def export(request: Request, sid: str,
           format: Annotated[Literal["yaml", "json", "csv", "bdm", "decide", "report", "runs"],
                             Query()] = "yaml") -> FileResponse:
    """Export into the workspace's export folder and download the file."""
    path = export_file(app_state(request), sid, format)
    return FileResponse(path, filename=path.name)


@router.get("/exports")
def exports(request: Request) -> list[dict[str, Any]]:
    """The files in the export folder."""
    folder = app_state(request).export_dir
    if not folder.is_dir():
        return []
    return [{"name": p.name, "bytes": p.stat().st_size} for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")]


# ------------------------------------------------------------------ models and runs


@router.get("/models")
def models() -> list[dict[str, Any]]:
    """Every model with its parameters (default, unit, bounds, meaning) and presets, as
    ``detente models --format json`` lists them."""
    from detente.models.registry import REGISTRY
    from detente.render.models import model_document

    return [model_document(REGISTRY.cls(name)) for name in REGISTRY]


class RunRequest(Body):
    version: int | None = Field(None, ge=1)
    snapshot: int | None = Field(None, ge=0, le=10_000)
    models: list[ModelName] | None = Field(None, min_length=1, max_length=12)
    settings: Settings | None = None


class SimulateRequest(RunRequest):
    draws: int = Field(1000, ge=10, le=50_000)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class ExplainRequest(Body):
    version: int | None = Field(None, ge=1)
    snapshot: int | None = Field(None, ge=0, le=10_000)
    model: ModelName = "compromise"
    issue: Text


def _check_models(names: list[str] | None) -> None:
    from detente.models.registry import REGISTRY

    for name in names or []:
        if name not in REGISTRY:
            raise InputError(f"unknown model {name!r}", field="models",
                             hint=f"choose from: {', '.join(REGISTRY)}")


@router.post("/scenarios/{sid}/forecast")
def forecast(request: Request, sid: str, body: RunRequest) -> Response:
    """Every chosen model's forecast (the document of ``detente forecast --format json``),
    recorded in the workspace; identical runs are reused, repeated requests cached."""
    from detente.web.runs import run_forecast

    _check_models(body.models)
    return Response(run_forecast(app_state(request), sid, body.version, body.snapshot,
                                 body.models, body.settings), media_type="application/json")


@router.post("/scenarios/{sid}/timeline")
def timeline(request: Request, sid: str, body: RunRequest) -> dict[str, Any]:
    """Every model's forecast at every snapshot, as ``detente timeline --format json``."""
    from detente.web.runs import run_timeline

    _check_models(body.models)
    return run_timeline(app_state(request), sid, body.version, body.models, body.settings)


@router.post("/scenarios/{sid}/simulate", status_code=202)
def simulate(request: Request, sid: str, body: SimulateRequest) -> dict[str, Any]:
    """Start a Monte Carlo simulation in the background; poll ``/api/jobs/{job}``."""
    from detente.web.runs import start_simulation

    _check_models(body.models)
    return start_simulation(app_state(request), sid, body.version, body.snapshot, body.models,
                            body.settings, body.draws, body.seed)


@router.post("/scenarios/{sid}/explain")
def explain(request: Request, sid: str, body: ExplainRequest) -> dict[str, Any]:
    """Tornado sensitivity of one model's forecast on one issue."""
    from detente.web.runs import run_explain

    _check_models([body.model])
    return run_explain(app_state(request), sid, body.version, body.snapshot, body.model,
                       body.issue)


@router.post("/scenarios/{sid}/backtest")
def backtest(request: Request, sid: str, body: RunRequest) -> dict[str, Any]:
    """Score the models' point forecasts at every snapshot against the recorded outcomes."""
    from detente.web.runs import run_backtest

    _check_models(body.models)
    return run_backtest(app_state(request), sid, body.version, body.models)


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: str) -> dict[str, Any]:
    """A background run: state, progress (draws done of total), and its result when done."""
    found = app_state(request).jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return found.to_dict()


@router.delete("/jobs/{job_id}")
def cancel_job(request: Request, job_id: str) -> dict[str, Any]:
    """Cancel a background run (it stops at its next chunk of draws and records nothing)."""
    found = app_state(request).jobs.cancel(job_id)
    if found is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return found.to_dict()


@router.get("/runs")
def runs(request: Request,
         scenario: Annotated[str | None, Query(max_length=200)] = None) -> list[dict[str, Any]]:
    """Recorded runs (of one scenario when given), newest first."""
    with app_state(request).use() as ws:
        return [r.to_dict() for r in reversed(ws.runs(scenario))]


@router.get("/runs/{run_id}")
def run(request: Request, run_id: Annotated[int, Field(ge=1, le=2**62)]) -> dict[str, Any]:
    """One run with its per-issue results and question answers or probabilities."""
    from detente.web.runs import run_document

    return run_document(app_state(request), run_id)


@router.get("/compare/runs")
def compare_runs(request: Request, a: Annotated[int, Query(ge=1, le=2**62)],
                 b: Annotated[int, Query(ge=1, le=2**62)]) -> dict[str, Any]:
    """Two runs side by side, issue by issue, with the differences."""
    from detente.web.runs import compare

    return compare(app_state(request), a, b)
