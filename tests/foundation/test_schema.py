"""The migrations create the seed schema exactly, plus additions; re-running them is a no-op."""

from __future__ import annotations

import re

from mtaabot.db.migrate import applied_versions, migrate

# (table, column) -> (data type, nullable, default-substring or None) straight from the seed file.
SEED_COLUMNS = {
    "businesses": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("name", "character varying(255)", "NO", None),
        ("location", "character varying(255)", "YES", None), ("tone", "character varying(50)", "YES", "'mtaa'"),
        ("whatsapp_number", "character varying(20)", "YES", None),
        ("timezone", "character varying(50)", "YES", "'Africa/Nairobi'"),
        ("status", "character varying(20)", "YES", "'active'"),
        ("created_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
        ("updated_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
    ],
    "api_configs": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("business_id", "uuid", "YES", None),
        ("mtaabot_api_key", "character varying(255)", "YES", None), ("whatsapp_access_token", "text", "YES", None),
        ("whatsapp_phone_number_id", "character varying(100)", "YES", None),
        ("webhook_verify_token", "character varying(100)", "YES", None),
        ("created_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
    ],
    "products": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("business_id", "uuid", "YES", None),
        ("name", "character varying(255)", "NO", None), ("description", "text", "YES", None),
        ("price", "numeric(12,2)", "NO", None), ("currency", "character varying(3)", "YES", "'KES'"),
        ("is_available", "boolean", "YES", "true"), ("metadata", "jsonb", "YES", None),
        ("vector_id", "character varying(255)", "YES", None),
        ("created_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
    ],
    "conversations": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("business_id", "uuid", "YES", None),
        ("customer_phone", "character varying(20)", "NO", None),
        ("status", "character varying(20)", "YES", "'ai_active'"),
        ("last_message_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
    ],
    "messages": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("conversation_id", "uuid", "YES", None),
        ("role", "character varying(10)", "YES", None), ("content", "text", "NO", None),
        ("detected_language", "character varying(20)", "YES", None),
        ("confidence_score", "numeric(3,2)", "YES", None), ("tokens_used", "integer", "YES", None),
        ("created_at", "timestamp with time zone", "YES", "CURRENT_TIMESTAMP"),
    ],
    "subscriptions": [
        ("id", "uuid", "NO", "gen_random_uuid()"), ("business_id", "uuid", "YES", None),
        ("plan_tier", "character varying(20)", "YES", "'lite'"),
        ("starts_at", "timestamp with time zone", "NO", None), ("ends_at", "timestamp with time zone", "NO", None),
        ("mpesa_checkout_id", "character varying(255)", "YES", None),
        ("mpesa_receipt_number", "character varying(255)", "YES", None), ("is_active", "boolean", "YES", "true"),
    ],
}

COLUMNS_SQL = """
SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
"""


def test_seed_columns_types_nullability_and_defaults(conn):
    for table, expected in SEED_COLUMNS.items():
        actual = {r["column"]: r for r in conn.execute(COLUMNS_SQL, (table,))}
        for column, type_, nullable, default in expected:
            assert column in actual, f"{table}.{column} missing"
            got = actual[column]
            assert got["type"] == type_, f"{table}.{column}: {got['type']} != {type_}"
            assert got["nullable"] == nullable, f"{table}.{column} nullability"
            if default is None:
                assert got["default"] is None, f"{table}.{column} has unexpected default {got['default']}"
            else:
                assert got["default"] is not None and default in got["default"], f"{table}.{column} default"


def _constraints(conn, table):
    return [r["def"] for r in conn.execute(
        "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = %s::regclass", (table,))]


def test_seed_keys_uniques_checks_and_foreign_keys(conn):
    for table in SEED_COLUMNS:
        assert "PRIMARY KEY (id)" in _constraints(conn, table)
    assert "UNIQUE (whatsapp_number)" in _constraints(conn, "businesses")
    assert "UNIQUE (mtaabot_api_key)" in _constraints(conn, "api_configs")
    assert "UNIQUE (business_id, customer_phone)" in _constraints(conn, "conversations")
    checks = _constraints(conn, "messages")
    assert any(re.search(r"role.*'user'.*'bot'", c) for c in checks)
    for table, ref in [("api_configs", "businesses"), ("products", "businesses"), ("conversations", "businesses"),
                       ("messages", "conversations"), ("subscriptions", "businesses")]:
        assert any(c.startswith("FOREIGN KEY") and f"REFERENCES {ref}(id)" in c for c in _constraints(conn, table))


def test_seed_indices(conn):
    indexes = {r["indexname"]: r["indexdef"] for r in conn.execute("SELECT indexname, indexdef FROM pg_indexes")}
    assert "products USING btree (business_id)" in indexes["idx_products_business"]
    assert "messages USING btree (conversation_id)" in indexes["idx_messages_conversation"]
    assert "conversations USING btree (customer_phone)" in indexes["idx_conversations_customer"]
    assert "products USING gin (metadata)" in indexes["idx_products_metadata_gin"]


def test_additions_vector_wamid_and_bsuid(conn):
    ext = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
    assert ext and ext["extversion"] >= "0.8"
    emb = {r["column"]: r for r in conn.execute(COLUMNS_SQL, ("product_embeddings",))}
    assert emb["embedding"]["type"] == "vector(384)" and "model" in emb
    indexes = {r["indexname"]: r["indexdef"] for r in conn.execute("SELECT indexname, indexdef FROM pg_indexes")}
    assert "hnsw" in indexes["idx_product_embeddings_hnsw"]
    assert "UNIQUE" in indexes["uq_messages_business_wamid"]
    assert "customer_bsuid" in indexes["uq_conversations_business_bsuid"]


def test_migrations_rerun_is_noop(conn):
    before = applied_versions(conn)
    assert migrate(conn) == []
    assert applied_versions(conn) == before


def test_an_applied_migration_that_was_edited_is_refused(conn):
    import pytest

    from mtaabot.db.migrate import MigrationChanged, migrate

    conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = '0600_orders'")
    conn.commit()
    with pytest.raises(MigrationChanged, match="0600_orders"):
        migrate(conn)
