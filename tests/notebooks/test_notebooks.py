"""Every analyst notebook runs top to bottom against simulated demo data with real dbt marts."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def marts_db(pg_admin_url: str):
    """One database for the module: demo shops, simulated history, marts built by `mtaabot dbt build`."""
    import subprocess
    import sys

    from tests.conftest import create_database, drop_database

    url = create_database(pg_admin_url)
    env = os.environ | {"DATABASE_URL": url}
    exe = str(Path(sys.executable).parent / "mtaabot")
    for args in (["demo", "seed", "--no-embed"], ["demo", "simulate", "--days", "21", "--messages", "3000"], ["dbt", "seed"],
                 ["dbt", "run"]):
        out = subprocess.run([exe, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, f"{args}: {out.stdout[-3000:]} {out.stderr[-2000:]}"
    yield url
    drop_database(pg_admin_url, url)


def test_notebooks_are_committed_without_outputs():
    assert len(NOTEBOOKS) >= 3
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), f"{path.name} has no parameters cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, marts_db: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", marts_db)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError on any failing cell
    findings = nb.cells[-1]
    text = "".join(o.get("data", {}).get("text/markdown", "") for o in findings.get("outputs", []))
    assert text.strip().startswith("-"), f"{path.name}: findings cell produced no findings"


def test_notebook_parameters_filter_to_one_shop(marts_db: str, monkeypatch: pytest.MonkeyPatch):
    """Setting BUSINESS in the parameters cell restricts the analysis to that shop."""
    monkeypatch.setenv("DATABASE_URL", marts_db)
    path = ROOT / "notebooks" / "01_language_trends.ipynb"
    nb = nbformat.read(path, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += '\nBUSINESS = "Kicks Kona"'
    nb.cells.insert(nb.cells.index(params) + 3, nbformat.v4.new_code_cell(
        'assert set(by_shop_lang["business_id"].astype(str)) == {str(business_id)}, "other shops leaked in"'))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
