"""``detente serve``: the web app on the workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from detente.cli.app import app
from detente.cli.options import WorkspaceOpt


@app.command(rich_help_panel="Workspace")
def serve(
    workspace: WorkspaceOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Token every request must carry (required, and generated when not given, "
             "for an address other than loopback).", show_default=False)] = None,
) -> None:
    """Start the web app on the workspace and print its address."""
    from detente.store.workspace import Workspace, default_path
    from detente.web import assets, security

    assets.require()
    if token is None and not security.is_loopback(host):
        token = security.new_token()
    path = workspace if workspace is not None else default_path()
    with Workspace(path, timeout=5):  # fails now, with one line, if it cannot be opened
        pass
    import uvicorn

    from detente.web import create_app

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    typer.echo(f"detente serving {path} at {url} (Ctrl-C stops)")
    uvicorn.run(create_app(path, token=token), host=host, port=port, log_level="warning")
