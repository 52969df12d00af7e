"""``parallax serve``: the store in a browser and as JSON, read-only."""

from __future__ import annotations

from typing import Annotated

import typer

from parallax.cli.common import DEFAULT_DB, DbOption, app, err, reports_errors
from parallax.store import Store


@app.command("serve")
@reports_errors
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback publishes the data.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    reload_interval: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=3600.0,
            help="Seconds a listing (outlets, outlet and actor pages) is kept in memory before "
            "it is read again; stories and articles are read fresh on every request.",
        ),
    ] = 2.0,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Serve stories, articles, outlets and actors as web pages and as a JSON API
    (OpenAPI at /openapi.json). The store is only read: run `parallax ingest` beside it
    and the pages show the new state on the next request."""
    from parallax.web import serve
    from parallax.web.server import is_loopback

    Store.open_readonly(db).close()  # a missing store is a clear error before binding
    if not is_loopback(host):
        err.print(
            f"[bold yellow]warning:[/] listening on {host}: every article and report in "
            f"{db} becomes readable by anyone who can reach this address."
        )
    err.print(f"serving {db} on http://{host if ':' not in host else f'[{host}]'}:{port}/")
    serve(db, host=host, port=port, reload_interval=reload_interval)
