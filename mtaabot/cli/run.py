"""`mtaabot run`: database up, demo seeded, then webhook + worker + dashboard + Dagster until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from mtaabot.config import PROJECT_ROOT, mtaabot_home


@dataclass
class Service:
    name: str
    argv: list[str]
    url: str | None
    process: subprocess.Popen | None = None


def _services(webhook_port: int, dashboard_port: int, dagster_port: int) -> list[Service]:
    mtaabot = [sys.executable, "-m", "mtaabot"]
    return [
        Service("webhook", [*mtaabot, "serve", "webhook", "--port", str(webhook_port)],
                f"http://localhost:{webhook_port}/webhook  (REST: /api/v1, M-Pesa: /mpesa/callback/<token>)"),
        Service("worker", [*mtaabot, "worker"], None),
        Service("dashboard", [*mtaabot, "serve", "dashboard", "--port", str(dashboard_port)],
                f"http://localhost:{dashboard_port}"),
        Service("dagster", [sys.executable, "-m", "dagster", "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"),
                            "-h", "0.0.0.0", "-p", str(dagster_port)], f"http://localhost:{dagster_port}"),
    ]


@click.command("run")
@click.option("--webhook-port", default=8000, show_default=True, type=int)
@click.option("--dashboard-port", default=8501, show_default=True, type=int)
@click.option("--dagster-port", default=3000, show_default=True, type=int)
@click.option("--no-seed", is_flag=True, help="Do not create the demo shops.")
def run(webhook_port: int, dashboard_port: int, dagster_port: int, no_seed: bool) -> None:
    """Everything on one machine, for a demo or development."""
    from mtaabot.cli.common import db_connection
    from mtaabot.db import database_url
    from mtaabot.db.migrate import migrate
    from mtaabot.db.server import describe

    url = database_url()
    with db_connection(require_schema=False) as conn:
        migrate(conn)
    if not no_seed:
        from mtaabot.devtools.demo import seed_demo
        from mtaabot.embeddings import embed_stale_products

        with db_connection(require_schema=False) as conn:
            for shop in seed_demo(conn):
                if shop["api_key"]:
                    click.echo(f"demo shop {shop['name']!r}: API key {shop['api_key']} (shown once)")
            embed_stale_products(conn)
    home = mtaabot_home()
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # The venv's bin first: Dagster runs the `dbt` executable installed beside this Python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = os.environ | {"DAGSTER_HOME": str(home / "dagster"), "PYTHONUNBUFFERED": "1", "PATH": path}
    (home / "dagster").mkdir(parents=True, exist_ok=True)
    dagster_yaml = home / "dagster" / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.write_text("telemetry:\n  enabled: false\n")
    services = _services(webhook_port, dashboard_port, dagster_port)
    for svc in services:
        log = open(logs / f"{svc.name}.log", "ab")  # noqa: SIM115 - kept open for the child's lifetime
        svc.process = subprocess.Popen(svc.argv, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
    click.echo(f"\nMtaaBot is running on {describe(url)}")
    for svc in services:
        click.echo(f"  {svc.name:<10} {svc.url or '(background)'}   log: {logs / (svc.name + '.log')}")
    click.echo("Press Ctrl-C to stop.\n")

    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    reported: set[str] = set()
    while not stopping:
        for svc in services:
            if svc.process and svc.process.poll() is not None and svc.name not in reported:
                reported.add(svc.name)
                click.echo(f"{svc.name} exited with code {svc.process.returncode}; see its log", err=True)
        time.sleep(0.5)
    click.echo("stopping…")
    for svc in services:
        if svc.process and svc.process.poll() is None:
            os.killpg(svc.process.pid, signal.SIGTERM)
    for svc in services:
        if svc.process:
            try:
                svc.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(svc.process.pid, signal.SIGKILL)


COMMANDS = [run]
