"""Run the application under uvicorn, bound to loopback unless the user says otherwise."""

from __future__ import annotations

import ipaddress
from pathlib import Path

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> list[str] | None:
    """Host headers a server bound to ``host`` answers: on loopback only loopback names,
    so a web page elsewhere cannot read the store through DNS rebinding; on another
    address, any (the user chose to publish the data)."""
    if is_loopback(host):
        return [*LOOPBACK_HOSTS, host]
    return None


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    reload_interval: float = 2.0,
    log_level: str = "info",
) -> None:
    """Serve the store at ``db`` until interrupted."""
    import uvicorn  # the server's dependencies load only when serving

    from parallax.web.app import create_app

    app = create_app(db, reload_interval=reload_interval, allowed_hosts=allowed_hosts(host))
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level=log_level, server_header=False)
