"""The application: ``create_app(workspace_path, token=None)`` gives a FastAPI app with the
pages, the JSON API (OpenAPI at ``/api/openapi.json``), the browser assets and the checks of
``detente.web.security``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from detente.errors import DetenteError, InputError
from detente.store.versions import StaleVersion
from detente.version import version
from detente.web import assets, security
from detente.web.jobs import Jobs
from detente.web.state import AppState

MAX_UPLOAD = 5 * 1024 * 1024
STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    workspace_path: Path | str | None = None,
    token: str | None = None,
    *,
    max_upload: int = MAX_UPLOAD,
) -> FastAPI:
    """The web app over the workspace at ``workspace_path`` (default: the CLI's default).

    With ``token`` every request must carry it (see ``detente.web.security``).
    """
    from detente.store.workspace import default_path

    state = AppState(Path(workspace_path) if workspace_path else default_path(), token,
                     max_upload, Jobs())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(title="detente", version=version(), lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None,
                  description="Build, edit, run and compare negotiation scenarios.")
    app.state.detente = state
    security.install(app, token=token, max_upload=max_upload)
    _errors(app)

    from detente.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        path = assets.asset_path(name)
        if path is None:
            return PlainTextResponse(
                f"browser asset {name!r} is not installed: run {assets.SETUP_COMMAND}", 404)
        media = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(path, media_type=media,
                            headers={"Cache-Control": "public, max-age=3600"})

    return app


def _error_body(exc: InputError) -> dict[str, object]:
    return {"error": str(exc.without_more()), "message": exc.message, "field": exc.field,
            "line": exc.line, "hint": exc.hint,
            "problems": [{"message": e.message, "file": e.file, "line": e.line,
                          "field": e.field, "hint": e.hint} for e in exc.all]}


def _errors(app: FastAPI) -> None:
    """User errors as JSON (API) or a short page: 409 stale, 422 invalid, 404 unknown."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api")

    @app.exception_handler(StaleVersion)
    async def stale(request: Request, exc: StaleVersion) -> Response:
        return JSONResponse({"error": str(exc), "current": exc.current,
                             "based_on": exc.based_on}, status_code=409)

    @app.exception_handler(InputError)
    async def invalid(request: Request, exc: InputError) -> Response:
        if wants_json(request):
            return JSONResponse(_error_body(exc), status_code=422)
        from detente.web.pages import error_page

        return error_page(request, 422, str(exc))

    @app.exception_handler(DetenteError)
    async def refused(request: Request, exc: DetenteError) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=409)

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        if wants_json(request) or exc.status_code in (401, 403, 413):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        from detente.web.pages import error_page

        return error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"message": str(e.get("msg", "")),
                     "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                     "hint": None, "line": None, "file": None} for e in exc.errors()]
        first = problems[0] if problems else {"message": "bad request", "field": None}
        text = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return JSONResponse({"error": text, "message": first["message"],
                             "field": first["field"], "problems": problems}, status_code=422)
