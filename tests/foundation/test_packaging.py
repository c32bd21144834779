"""Surfaces as packages: `webhook`, `app` and `orchestration` ship in the distribution, each surface has its
own dependency group, and the webhook serves without the worker's, Dagster's, dbt's, Streamlit's or Jupyter's
packages (`pip install -e '.[webhook]'`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import psycopg
import pytest

from mtaabot.db.server import stop_embedded
from tests.webhook.conftest import APP_SECRET, PHONE_NUMBER_ID, create_shop, query, sign, text_payload

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence_transformers", "transformers", "lingua", "dagster", "dagster_dbt", "dbt",
         "streamlit", "altair", "pandas", "jupyterlab", "nbclient", "ipykernel", "matplotlib")
HEAVY_DISTRIBUTIONS = ("torch", "sentence-transformers", "transformers", "lingua-language-detector", "dagster",
                       "dagster-webserver", "dagster-dbt", "dbt-core", "dbt-postgres", "streamlit", "altair",
                       "pandas", "jupyterlab", "nbclient", "ipykernel", "matplotlib")

# Runs in a child process: every heavy package refuses to import, then the real app serves real HTTP.
SERVE_WITHOUT_HEAVY = textwrap.dedent("""
    import importlib.abc, json, sys, threading
    HEAVY = set(sys.argv[1].split(","))

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in HEAVY:
                raise ModuleNotFoundError(f"No module named {name!r} (not in the webhook install)", name=name)
            return None

    sys.meta_path.insert(0, Refuse())
    import requests
    from werkzeug.serving import make_server

    import webhook

    server = make_server("127.0.0.1", 0, webhook.create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    request = json.loads(sys.stdin.read())
    out = {
        "healthz": requests.get(base + "/healthz", timeout=30).status_code,
        "readyz": requests.get(base + "/readyz", timeout=30).status_code,
        "webhook": requests.post(base + "/webhook", data=request["body"].encode(), timeout=30, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": request["signature"]}).status_code,
    }
    auth = {"Authorization": "Bearer " + request["api_key"]}
    products = requests.get(base + "/api/v1/products", headers=auth, timeout=30)
    out["products"] = [p["name"] for p in products.json()["products"]] if products.ok else products.status_code
    billing = requests.get(base + "/api/v1/billing", headers=auth, timeout=30)
    out["billing"] = billing.json() if billing.ok else billing.status_code
    out["billing_without_key"] = requests.get(base + "/api/v1/billing", timeout=30).status_code
    out["heavy_loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
    server.shutdown()
    print(json.dumps(out))
""")


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _names(requirements: list[str]) -> set[str]:
    out = set()
    for req in requirements:
        name = req.split(";")[0].split("[")[0]
        for sep in "=<>~!":
            name = name.split(sep)[0]
        out.add(name.strip().lower())
    return out


def test_surfaces_are_packages_of_the_distribution():
    find = _pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    for surface in ("mtaabot", "webhook", "orchestration", "app"):
        assert f"{surface}*" in find
        assert (ROOT / surface / "__init__.py").exists(), surface


def test_dependency_groups_per_surface_and_make_installs_all():
    project = _pyproject()["project"]
    extras = project["optional-dependencies"]
    assert {"webhook", "worker", "analytics", "dashboard", "notebooks", "all", "dev"} <= set(extras)
    webhook_install = _names(project["dependencies"]) | _names(extras["webhook"])
    assert webhook_install & set(HEAVY_DISTRIBUTIONS) == set()
    assert {"flask", "gunicorn", "psycopg", "pydantic-settings"} <= webhook_install
    assert "torch" in _names(extras["worker"])
    assert {"dagster", "dbt-core", "dbt-postgres"} <= _names(extras["analytics"])
    assert "streamlit" in _names(extras["dashboard"])
    assert "jupyterlab" in _names(extras["notebooks"])
    everything = extras["all"][0]
    for group in ("webhook", "worker", "analytics", "dashboard", "notebooks"):
        assert group in everything
    assert ".[all,dev]" in (ROOT / "Makefile").read_text()


def test_web_surface_never_imports_a_cli_helper():
    for path in (ROOT / "webhook").rglob("*.py"):
        assert "mtaabot.cli" not in path.read_text(), path.name


def test_webhook_serves_without_worker_analytics_dashboard_or_notebook_packages(
        db_url: str, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WHATSAPP_APP_SECRET", APP_SECRET)
    shop = create_shop(conn)
    body = json.dumps(text_payload("Niaje, unga iko?", wamid="wamid.packaging-1")).encode()
    request = {"body": body.decode(), "signature": sign(body), "api_key": shop["api_key"]}
    done = subprocess.run([sys.executable, "-c", SERVE_WITHOUT_HEAVY, ",".join(HEAVY)], input=json.dumps(request),
                          capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["heavy_loaded"] == []
    assert (out["healthz"], out["readyz"], out["webhook"]) == (200, 200, 200)
    assert sorted(out["products"]) == ["Cooking oil 1L", "Maize flour 2kg", "Milk 500ml", "Sugar 1kg"]
    assert out["billing"]["plan"] == "trial"
    assert out["billing_without_key"] == 401
    stored = query(db_url, "SELECT m.content FROM messages m JOIN api_configs a ON a.business_id = m.business_id "
                           "WHERE a.whatsapp_phone_number_id = %s AND m.wamid = %s",
                   (PHONE_NUMBER_ID, "wamid.packaging-1"))
    assert [r["content"] for r in stored] == ["Niaje, unga iko?"]
    jobs = query(db_url, "SELECT count(*) AS n FROM inbound_jobs")
    assert jobs[0]["n"] == 1  # the worker (another install) answers it


@pytest.mark.slow
def test_fresh_webhook_only_install_creates_the_app_without_torch(tmp_path: Path):
    """The documented check (README "Installing one surface"): a new venv with
    `pip install -c constraints.txt -e '.[webhook]'`
    from a copy of the project (~80 s with a warm pip cache; ~290 MB) has no torch and creates the app."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "constraints.txt"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for package in ("mtaabot", "webhook", "orchestration", "app"):
        subprocess.run(["cp", "-r", str(ROOT / package), str(source / package)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "-c", "constraints.txt", "-e",
                              ".[webhook]"], cwd=source,
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    try:
        check = subprocess.run(
            [str(venv / "bin" / "python"), "-c",
             "import importlib.util as u, sys, webhook; app = webhook.create_app(); "
             "print(sorted(r.rule for r in app.url_map.iter_rules() if r.rule.startswith(('/webhook', '/healthz')))); "
             "print([m for m in ('torch', 'dagster', 'dbt', 'streamlit', 'jupyterlab', 'transformers') "
             "if u.find_spec(m)])"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    finally:  # create_app started the copy's own embedded server (no DATABASE_URL): never leave it running
        stop_embedded(source / ".mtaabot")
    assert check.returncode == 0, check.stderr[-3000:]
    routes, heavy = check.stdout.strip().splitlines()
    assert routes == "['/healthz', '/webhook', '/webhook']"
    assert heavy == "[]"
