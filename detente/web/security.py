"""Who may talk to the app, and what the browser may do with its pages.

- A token (when the app has one) must come with every request: ``Authorization: Bearer T``,
  the ``detente_token`` cookie, or ``?token=T`` once (which sets the cookie); else 401.
- CSRF: every browser gets a random ``detente_csrf`` cookie (SameSite=Strict); a request
  that changes anything must repeat it, in the ``X-CSRF-Token`` header (the JSON API) or the
  ``csrf_token`` form field (the pages' forms); else 403.
- Requests larger than the upload limit are refused with 413 before they are read.
- Every response carries a Content-Security-Policy that allows scripts and styles from the
  app itself only (no inline script), and forbids framing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

TOKEN_COOKIE = "detente_token"
CSRF_COOKIE = "detente_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def new_token() -> str:
    """A random token for a server listening beyond loopback."""
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or name."""
    return host in ("localhost", "::1") or host.startswith("127.")


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def csrf_ok(request: Request, given: str | None) -> bool:
    """Whether ``given`` repeats this browser's CSRF cookie."""
    return _same(given, request.cookies.get(CSRF_COOKIE))


def install(app: FastAPI, *, token: str | None, max_upload: int) -> None:
    """Add the checks and headers above to ``app``."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_upload:
            response = _refuse(request, 413, f"the request is {int(length):,} bytes, more than "
                               f"the limit of {max_upload:,} bytes (upload a smaller file)")
            return _headers(response)
        from_query = False
        if token is not None:
            auth = request.headers.get("authorization", "")
            given = auth[7:] if auth.lower().startswith("bearer ") else None
            given = given or request.cookies.get(TOKEN_COOKIE)
            if not _same(given, token) and _same(request.query_params.get("token"), token):
                given, from_query = token, True
            if not _same(given, token):
                return _headers(_refuse(request, 401, "this detente server needs its token: "
                                        "open the address that 'detente serve' printed"))
        csrf = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = csrf or secrets.token_urlsafe(24)
        if (request.method not in SAFE_METHODS and request.url.path.startswith("/api")
                and not csrf_ok(request, request.headers.get(CSRF_HEADER))):
            return _headers(_refuse(request, 403, f"missing or wrong {CSRF_HEADER} header "
                                    f"(reload the page)"))
        response = await call_next(request)
        if csrf is None:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=False,
                                samesite="strict")
        if from_query and token is not None:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return _headers(response)


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response
