"""The pages: server-rendered with Jinja2 (autoescape on, so every user-written text is
inert), each form carrying the CSRF token; the editor's grid and charts talk to the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from detente.errors import InputError
from detente.store import versions
from detente.web import api, documents, security
from detente.web.state import AppState

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
templates.env.autoescape = True


def _state(request: Request) -> AppState:
    return api.app_state(request)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"csrf": request.state.csrf, **context}, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status, status_code=status, message=message)


def _check(request: Request, token: str) -> None:
    if not security.csrf_ok(request, token):
        raise HTTPException(403, "the form's security token is missing or stale: reload the "
                                 "page and submit again")


def _home(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    st = _state(request)
    with st.use() as ws:
        found = versions.listing(ws)
        recent = list(reversed(ws.runs()))[:12]
    scenarios = []
    for v in found:
        sc = st.scenario(v)
        scenarios.append({"info": v, "title": sc.title, "snapshots": documents.snapshots(sc),
                          "actors": len(sc.actors), "issues": len(sc.issues)})
    import datetime as dt

    return _render(request, "home.html", status, scenarios=scenarios, runs=recent,
                   today=dt.date.today().isoformat(),
                   exports=api.exports(request), examples=list(api.EXAMPLES),
                   formats=api.EXPORT_FORMATS, workspace=st.workspace_path, **extra)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _home(request)


@router.post("/open-example")
def open_example(request: Request, name: Annotated[str, Form(max_length=40)],
                 csrf_token: Annotated[str, Form()] = "") -> Response:
    _check(request, csrf_token)
    opened = api.open_example(_state(request), name)
    return RedirectResponse(f"/scenarios/{opened['scenario']}", status_code=303)


@router.post("/import")
async def import_page(
    request: Request, file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    input_format: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    _check(request, csrf_token)
    st = _state(request)
    data = await api.read_upload(st, file)
    try:
        saved = api.import_bytes(st, file.filename or "upload", data, input_format or None)
    except InputError as exc:
        return _home(request, 422, problems=exc.all, upload=file.filename)
    return RedirectResponse(f"/scenarios/{saved['scenario']}", status_code=303)


@router.post("/new")
def new_scenario(
    request: Request,
    id: Annotated[str, Form(max_length=200)], title: Annotated[str, Form(max_length=200)],
    actor_id: Annotated[str, Form(max_length=200)],
    capability: Annotated[str, Form(max_length=40)],
    issue_id: Annotated[str, Form(max_length=200)],
    issue_name: Annotated[str, Form(max_length=200)],
    position: Annotated[str, Form(max_length=40)],
    salience: Annotated[str, Form(max_length=40)],
    scale_min: Annotated[str, Form(max_length=40)] = "0",
    scale_max: Annotated[str, Form(max_length=40)] = "100",
    as_of: Annotated[str, Form(max_length=40)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    _check(request, csrf_token)
    from pydantic import ValidationError

    try:
        body = api.NewScenario.model_validate({
            "id": id, "title": title, "actor": {"id": actor_id, "capability": capability},
            "issue_id": issue_id, "issue_name": issue_name, "min": scale_min, "max": scale_max,
            "position": position, "salience": salience, "as_of": as_of or None})
        saved = api.create_scenario(request, body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return _home(request, 422, new_error=f"{where}: {first['msg']}")
    except (InputError, versions.StaleVersion) as exc:
        return _home(request, 422, new_error=str(exc))
    return RedirectResponse(f"/scenarios/{saved['scenario']}", status_code=303)


@router.get("/scenarios/{sid}", response_class=HTMLResponse)
def editor(request: Request, sid: str) -> HTMLResponse:
    st = _state(request)
    with st.use() as ws:
        try:
            v = versions.latest(ws, sid)
        except InputError as exc:
            raise HTTPException(404, exc.message) from None
    sc = st.scenario(v)
    return _render(request, "editor.html", scenario=sc, info=v, formats=api.EXPORT_FORMATS)


@router.post("/scenarios/{sid}/export")
def export_page(request: Request, sid: str, format: Annotated[str, Form(max_length=20)],
                csrf_token: Annotated[str, Form()] = "") -> Response:
    _check(request, csrf_token)
    path = api.export_file(_state(request), sid, format)
    return FileResponse(path, filename=path.name)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, a: int, b: int) -> HTMLResponse:
    from detente.web.runs import compare

    return _render(request, "compare.html", result=compare(_state(request), a, b))
