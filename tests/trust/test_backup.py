"""`mtaabot db backup FILE` / `mtaabot db restore FILE [--force]`: a round trip into a fresh database."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import psycopg
from psycopg import sql

from tests.conftest import _db, drop_database
from tests.engine.conftest import ask, make_shop


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as c:
        tables = [r[0] for r in c.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").fetchall()]
        return {t: c.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
                for t in tables}


def _texts(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as c:
        return c.execute("SELECT role, content FROM messages ORDER BY created_at, id").fetchall()


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows(
        conn: psycopg.Connection, db_url: str, pg_admin_url: str, run_cli, tmp_path: Path) -> None:
    shop = make_shop(conn, name="Mama Njeri Duka")
    ask(conn, shop, "Unga ni pesa ngapi?", customer="254722000111")
    ask(conn, shop, "Sukari iko?", customer="254733000222")
    source = _counts(db_url)
    assert source["messages"] == 4 and source["products"] > 0 and source["product_embeddings"] > 0

    dump = tmp_path / "mtaabot.dump"
    done = run_cli("db", "backup", str(dump))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["bytes"] == dump.stat().st_size > 0 and report["tables"] >= 10
    assert stat.S_IMODE(os.stat(dump).st_mode) == 0o600  # customers' data: owner only

    fresh = _db(pg_admin_url, "restore_" + os.urandom(4).hex())
    name = fresh.partition("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        restored = run_cli("db", "restore", str(dump), env={"DATABASE_URL": fresh})
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout)["migrations_applied"] == []  # the dump was current
        assert _counts(fresh) == source
        assert _texts(fresh) == _texts(db_url)

        # a database that holds data is refused, and left as it was
        again = run_cli("db", "restore", str(dump), env={"DATABASE_URL": fresh})
        assert again.returncode == 1 and again.stderr.startswith("error: ") and "--force" in again.stderr
        with psycopg.connect(fresh, autocommit=True) as c:
            c.execute("DELETE FROM price_offers")
            c.execute("INSERT INTO businesses (name) VALUES ('Added after the backup')")
        assert _counts(fresh)["businesses"] == source["businesses"] + 1
        forced = run_cli("db", "restore", str(dump), "--force", env={"DATABASE_URL": fresh})
        assert forced.returncode == 0, forced.stderr
        assert json.loads(forced.stdout)["replaced_existing_data"] is True
        assert _counts(fresh) == source
    finally:
        drop_database(pg_admin_url, fresh)


def test_bad_backup_files_are_clear_errors(db_url: str, run_cli, tmp_path: Path) -> None:
    missing = run_cli("db", "restore", str(tmp_path / "nope.dump"))
    assert missing.returncode == 1 and "no backup file" in missing.stderr
    junk = tmp_path / "junk.dump"
    junk.write_text("not a dump")
    bad = run_cli("db", "restore", str(junk), "--force")
    assert bad.returncode == 1 and "is not a MtaaBot backup" in bad.stderr
    assert _counts(db_url)["schema_migrations"] > 0  # nothing was dropped
    nowhere = run_cli("db", "backup", str(tmp_path / "no-such-dir" / "x.dump"))
    assert nowhere.returncode == 1 and "does not exist" in nowhere.stderr


def test_restore_into_a_migrated_but_empty_database_needs_no_force(
        conn: psycopg.Connection, db_url: str, pg_admin_url: str, run_cli, tmp_path: Path) -> None:
    from tests.conftest import create_database

    make_shop(conn, name="Duka la Backup")
    dump = tmp_path / "b.dump"
    assert run_cli("db", "backup", str(dump)).returncode == 0
    target = create_database(pg_admin_url)  # what `mtaabot db up` leaves: every table, no rows
    try:
        done = run_cli("db", "restore", str(dump), env={"DATABASE_URL": target})
        assert done.returncode == 0, done.stderr
        assert _counts(target) == _counts(db_url)
    finally:
        drop_database(pg_admin_url, target)


def test_backup_drop_restore_gives_the_same_row_counts(
        conn: psycopg.Connection, db_url: str, pg_admin_url: str, run_cli, tmp_path: Path) -> None:
    """The disaster drill: back up, lose the database entirely (DROP DATABASE), create it again empty under the
    same name, restore: every table has the same number of rows and the messages read the same."""
    shop = make_shop(conn, name="Duka la Backup")
    ask(conn, shop, "Mafuta ni bei gani?", customer="254722000333")
    conn.close()
    source, texts = _counts(db_url), _texts(db_url)
    dump = tmp_path / "drill.dump"
    assert run_cli("db", "backup", str(dump)).returncode == 0
    name = db_url.partition("?")[0].rsplit("/", 1)[1]
    drop_database(pg_admin_url, db_url)  # gone
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))  # empty, no schema at all
    assert _counts(db_url) == {}
    restored = run_cli("db", "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    assert _counts(db_url) == source and _texts(db_url) == texts
