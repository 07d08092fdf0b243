"""`amu serve`: the REST API and the dashboard over a store, a thin shell over :func:`amu.web.create_app`."""

from __future__ import annotations

import click

from amu.cli_common import DB_HELP, handle_errors, settings
from amu.errors import ConfigError


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on (0.0.0.0 opens it to the network; there is no login)")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="port to listen on")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True, help="server log level")
@click.pass_context
@handle_errors
def serve(ctx: click.Context, db: str | None, host: str, port: int, log_level: str) -> None:
    """Serve the dashboard and the REST API over a store (open http://HOST:PORT/ in a browser).

    \b
    The dashboard: incident map on an offline basemap (country outlines shipped with Amu),
    incidents per month, filters, the incident table, incident pages with each source sentence
    and its facts highlighted and conflicting figures side by side, actor pages, analysis panels.
    The API: /api/incidents (the filters of `amu incidents`), /api/incidents/ID, /api/actors,
    /api/actors/NAME, /api/analysis/{counts,changes,external,hotspots,network,warning},
    /api/export?format=csv|geojson|jsonl|json|stix; documented at /docs and /openapi.json.
    Nothing is fetched from the network.
    """
    import socket

    import uvicorn

    from amu.store import describe
    from amu.web import create_app

    s = settings(ctx, db=db)
    app = create_app(s.db)            # a missing store is an error with a hint, before the port is taken
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                          hint="another program may use the port: give another with --port 8001") from None
    click.echo(f"amu serve: {describe(s.db)} at http://{host}:{port}/ (API docs at /docs; Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
