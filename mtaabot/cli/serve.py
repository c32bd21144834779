"""`mtaabot serve webhook|dashboard`: production servers for the two HTTP surfaces."""

from __future__ import annotations

import os
import sys

import click

from mtaabot.config import PROJECT_ROOT


@click.group("serve")
def serve() -> None:
    """Run the HTTP surfaces."""


@serve.command("webhook", context_settings={"ignore_unknown_options": True})
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker.")
def webhook(port: int, host: str, workers: int, threads: int) -> None:
    """WhatsApp webhook, M-Pesa callback and business REST API under gunicorn."""
    args = [sys.executable, "-m", "gunicorn", "--chdir", str(PROJECT_ROOT), "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--timeout", "30", "--graceful-timeout", "10", "--access-logfile", "-", "--no-control-socket",
            "webhook:create_app()"]
    os.execv(args[0], args)


@serve.command("dashboard")
@click.option("--port", default=8501, show_default=True, type=int)
@click.option("--host", default="0.0.0.0", show_default=True)
def dashboard(port: int, host: str) -> None:
    """Owner dashboards (Streamlit)."""
    args = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app" / "main.py"),
            "--server.port", str(port), "--server.address", host, "--server.headless", "true",
            "--browser.gatherUsageStats", "false"]
    os.execv(args[0], args)


COMMANDS = [serve]
