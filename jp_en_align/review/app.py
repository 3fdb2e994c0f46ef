"""The web application: the page, a small JSON API, and the guard in front of both.

Security model (see docs/review.md):

* **Host check.** A request whose ``Host`` header is not this server's own
  address (``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT``, or the
  ``--host`` given) is refused with 403: a DNS-rebinding page cannot reach
  the API under a name of its own.
* **Token.** A random token (``secrets.token_urlsafe``) is made per run and
  printed in the URL. The page is served for ``?token=...`` (or the cookie
  that first visit sets); the JSON API wants it in the ``X-Review-Token``
  header, which other origins cannot send without CORS (which the server
  never grants). No token: 401; a wrong one: 403.
* **No injected markup.** The page builds its DOM with ``textContent`` only,
  and a Content-Security-Policy lets run only the page's own script (nonce).

Example:
    >>> app = build_app(session, token="t", allowed_hosts={"127.0.0.1:8000"})   # doctest: +SKIP
"""

from __future__ import annotations

import json
import secrets
from importlib import resources
from typing import Any, Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .session import Conflict, Session

TOKEN_HEADER = "X-Review-Token"


def cookie_name(port: int) -> str:
    """Cookies are shared by every port of a host: one name per port keeps two
    review servers from overwriting each other's token."""
    return f"jpea_review_{port}"


def page_html(token: str, nonce: str) -> str:
    """The page shipped in the package, with this run's token and CSP nonce in it."""
    text = resources.files(__package__).joinpath("static/review.html").read_text(encoding="utf-8")
    # both are URL-safe base64: nothing to escape inside an attribute
    return text.replace("{{TOKEN}}", token).replace("{{NONCE}}", nonce)


def _headers(nonce: str | None = None) -> dict[str, str]:
    csp = ("default-src 'none'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'none'")
    if nonce:
        csp += f"; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'"
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
            "X-Frame-Options": "DENY"}


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=_headers())


class Guard:
    """ASGI middleware: the Host check and the token, before any route runs."""

    def __init__(self, app: Any, token: str, allowed_hosts: set[str], port: int) -> None:
        self.app, self.token, self.allowed_hosts, self.port = app, token, allowed_hosts, port

    def _token_ok(self, given: str | None) -> bool | None:
        if not given:
            return None
        return secrets.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        host = request.headers.get("host", "").lower()
        if host not in self.allowed_hosts:
            return await _error(403, f"Host {host!r} is not this server: open the URL it "
                                     "printed (DNS-rebinding guard)")(scope, receive, send)
        if request.url.path.startswith("/api/"):
            ok = self._token_ok(request.headers.get(TOKEN_HEADER))
        else:  # the page: the printed URL's token, or the cookie its first visit set
            ok = self._token_ok(request.query_params.get("token"))
            if ok is not True:
                ok = self._token_ok(request.cookies.get(cookie_name(self.port))) or ok
        if ok is None:
            return await _error(401, "this server needs its token: open the URL it printed "
                                     "(with ?token=...)")(scope, receive, send)
        if ok is False:
            return await _error(403, "wrong token: open the URL the server printed this "
                                     "time (a new token is made at each start)")(scope, receive, send)
        return await self.app(scope, receive, send)


def _int(request: Request, name: str, default: int | None) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def build_app(session: Session, token: str, allowed_hosts: set[str], port: int) -> Any:
    """The ASGI application for ``session``, guarded by ``token`` and ``allowed_hosts``."""

    def page(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        response = HTMLResponse(page_html(token, nonce), headers=_headers(nonce))
        response.set_cookie(cookie_name(port), token, httponly=True, samesite="strict",
                            path="/")
        return response

    # Plain (not async) handlers: Starlette runs them in its thread pool, so a
    # realign that takes a second does not stall the server.
    def window(request: Request) -> Response:
        try:
            data = session.window(request.query_params.get("order", "doubt"),
                                  _int(request, "start", 0) or 0,
                                  _int(request, "count", 60) or 60,
                                  _int(request, "around", None))
        except ValueError as e:
            return _error(400, str(e))
        return JSONResponse(data, headers=_headers())

    async def act(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "the body must be JSON: {\"version\": N, \"action\": {...}}")
        if not isinstance(body, dict) or not isinstance(body.get("version"), int):
            return _error(400, 'say which version the edit is based on: {"version": N, ...}')
        try:
            result = await run_in_threadpool(session.act, body.get("action"), body["version"])
        except Conflict as e:
            return _error(409, str(e), version=e.version)
        except (ValueError, IndexError) as e:
            return _error(400, str(e), version=session.version)
        view = body.get("view") or {}
        try:
            result["window"] = await run_in_threadpool(
                session.window, str(view.get("order", "doubt")), int(view.get("start", 0)),
                int(view.get("count", 60)), view.get("around"))
        except (ValueError, TypeError) as e:
            return _error(400, str(e), version=session.version)
        return JSONResponse(result, headers=_headers())

    routes = [Route("/", page, methods=["GET"]),
              Route("/api/window", window, methods=["GET"]),
              Route("/api/action", act, methods=["POST"])]
    return Guard(Starlette(routes=routes), token, allowed_hosts, port)
