"""The foundation CLI against the real embedded database: db up/status, business create, CSV import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

CATALOGUE = FIXTURES / "eval" / "catalogue_dev.csv"


def _create(run_cli, name="Duka Test", tone="rafiki", number="0711000999"):
    result = run_cli("business", "create", "--name", name, "--tone", tone, "--whatsapp-number", number,
                     "--location", "Kawangware")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_business_create_returns_key_stored_only_as_hash(run_cli, conn):
    created = _create(run_cli)
    assert created["id"] and created["api_key"].startswith("mtb_")
    assert created["status"] == "trial" and created["whatsapp_number"] == "254711000999"
    stored = conn.execute("SELECT mtaabot_api_key FROM api_configs WHERE business_id = %s",
                          (created["id"],)).fetchone()["mtaabot_api_key"]
    assert created["api_key"] not in stored and stored.startswith("sha256$")
    from mtaabot.businesses import business_for_api_key

    assert str(business_for_api_key(conn, created["api_key"])["id"]) == created["id"]
    assert business_for_api_key(conn, created["api_key"] + "x") is None


def test_business_create_rejects_bad_input_clearly(run_cli):
    _create(run_cli)
    dup = run_cli("business", "create", "--name", "duka test", "--whatsapp-number", "0711000998")
    assert dup.returncode != 0 and "already exists" in dup.stderr and "Traceback" not in dup.stderr
    bad = run_cli("business", "create", "--name", "X", "--whatsapp-number", "12")
    assert bad.returncode != 0 and "not a" in bad.stderr


def test_products_import_idempotent_and_embedded(run_cli, conn, tmp_path):
    created = _create(run_cli)
    rows = [line for line in CATALOGUE.read_text().splitlines() if line.startswith(("business,", "Juakali"))]
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    first = run_cli("products", "import", "--business", "Duka Test", str(csv_file))
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["inserted"] == 7 and report["embedded"] == 7
    second = json.loads(run_cli("products", "import", "--business", created["id"], str(csv_file)).stdout)
    assert second["inserted"] == 0 and second["unchanged"] == 7 and second["embedded"] == 0
    count = conn.execute("SELECT count(*) AS n FROM products WHERE business_id = %s", (created["id"],)).fetchone()
    assert count["n"] == 7
    price = conn.execute("SELECT price FROM products WHERE name = 'Bamburi Cement 50kg'").fetchone()["price"]
    assert str(price) == "780.00"


def test_products_import_reports_bad_rows_and_keeps_good(run_cli, conn, tmp_path):
    _create(run_cli)
    csv_file = tmp_path / "broken.csv"
    csv_file.write_text(
        "name,description,price,currency,is_available,metadata\n"
        "Sukari 1kg,White sugar,180,KES,true,{}\n"
        "Unga 2kg,Maize flour,two hundred,KES,true,\n"
        ",No name,100,KES,true,\n"
        "Mafuta 1L,Oil,390,KES,maybe,\n"
        "Chai,Tea,160,KES,true,{not json}\n"
        "Maziwa,\"Milk, fresh\",65,KES,false,\"{\"\"size\"\": \"\"500ml\"\"}\"\n"
    )
    result = run_cli("products", "import", "--business", "Duka Test", str(csv_file), "--no-embed")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["inserted"] == 2
    assert [e["line"] for e in report["errors"]] == [3, 4, 5, 6]
    assert "line 3: price" in result.stderr
    names = {r["name"] for r in conn.execute("SELECT name FROM products")}
    assert names == {"Sukari 1kg", "Maziwa"}
    maziwa = conn.execute("SELECT is_available, metadata FROM products WHERE name = 'Maziwa'").fetchone()
    assert maziwa["is_available"] is False and maziwa["metadata"] == {"size": "500ml"}


def test_unknown_business_and_missing_file(run_cli, tmp_path):
    result = run_cli("products", "import", "--business", "Hakuna", str(tmp_path / "nope.csv"))
    assert result.returncode != 0 and "error:" in result.stderr and "Traceback" not in result.stderr


def test_db_status_reports_database_and_counts(run_cli):
    _create(run_cli)
    status = json.loads(run_cli("db", "status").stdout)
    assert status["migration"] and status["pending"] == [] and status["rows"]["businesses"] == 1


@pytest.mark.slow
def test_embedded_server_under_mtaabot_home_survives_restart(tmp_path):
    """Without DATABASE_URL, `db up` starts pgserver under MTAABOT_HOME; data survives a stop/start."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"MTAABOT_HOME": str(home)}
    exe = str(Path(sys.executable).parent / "mtaabot")

    def run(*args):
        out = subprocess.run([exe, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    try:
        assert "pgdata" in run("db", "up")
        run("business", "create", "--name", "Persist", "--whatsapp-number", "0711000555")
        assert "stopped" in run("db", "stop")
        assert json.loads(run("db", "status"))["rows"]["businesses"] == 1
        assert (home / "pgdata" / "PG_VERSION").exists()
    finally:
        subprocess.run([exe, "db", "stop"], env=env, capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def test_a_database_behind_the_code_is_refused_until_db_up(pg_admin_url, run_cli):
    """After an upgrade, commands say to run `mtaabot db up` instead of failing on a missing column."""
    import uuid

    import psycopg
    from psycopg import sql

    from mtaabot.db.migrate import available_migrations
    from tests.conftest import _db, drop_database

    name = f"t_behind_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _db(pg_admin_url, name)
    older = available_migrations()[:-2]
    try:
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE schema_migrations (version VARCHAR(100) PRIMARY KEY, checksum TEXT NOT NULL, "
                         "applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)")
            for m in older:
                conn.execute(m.sql)  # type: ignore[arg-type]
                conn.execute("INSERT INTO schema_migrations (version, checksum) VALUES (%s, %s)", (m.version, m.checksum))
        env = {"DATABASE_URL": url}
        refused = run_cli("business", "list", env=env)
        assert refused.returncode == 1
        assert "mtaabot db up" in refused.stderr and "2 migration(s) pending" in refused.stderr
        assert "Traceback" not in refused.stderr
        up = run_cli("db", "up", env=env)
        assert up.returncode == 0, up.stderr
        assert "applied 2 migration(s)" in up.stdout
        listed = run_cli("business", "list", env=env)
        assert listed.returncode == 0, listed.stderr
    finally:
        drop_database(pg_admin_url, url)
