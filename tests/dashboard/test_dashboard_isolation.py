"""The dashboard's own domain helpers (catalogue editing, test box, payments, preferences, onboarding) never
read or change another shop's data, whatever ids the page hands them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mtaabot.dashboard import auth, catalogue, onboarding, preferences, renew, sandbox


def _b_state(conn, business_id: str) -> list[tuple]:
    conn.rollback()
    return [tuple(r.values()) for r in conn.execute(
        "SELECT name, price, is_available, stock, description FROM products WHERE business_id = %s ORDER BY name",
        (business_id,)).fetchall()]


def test_helpers_stay_inside_the_signed_in_shop(shops, conn) -> None:
    a, b = shops
    before = _b_state(conn, b.id)
    b_rows = catalogue.product_table(conn, b.id)
    assert {r["name"] for r in catalogue.product_table(conn, a.id)}.isdisjoint({r["name"] for r in b_rows})

    edited = catalogue.save_changes(conn, a.id, b_rows, edited={0: {"price": 1, "name": "Taken over"}})
    assert not edited.ok and edited.problems[0].key == "products.err_gone"
    deleted = catalogue.save_changes(conn, a.id, b_rows, deleted=[0])
    assert deleted.deleted == []
    assert _b_state(conn, b.id) == before

    now = datetime.now(UTC)
    conn.execute("""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, mpesa_checkout_id, is_active,
                        status, amount_kes) VALUES (%s, 'lite', %s, %s, 'ws_CO_B_ONLY', false, 'pending', 999)""",
                 (b.id, now, now + timedelta(days=30)))
    conn.commit()
    assert renew.follow_payment(conn, a.id, "ws_CO_B_ONLY") is None
    assert renew.payment_status(conn, a.id, "ws_CO_B_ONLY") is None

    owner_a = auth.sign_in_owner(conn, a.api_key)
    owner_b = auth.sign_in_owner(conn, b.api_key)
    preferences.set_language(conn, owner_a, "en")
    assert preferences.language_for(conn, owner_b) == "sw"  # B (mtaa) keeps its own default
    assert onboarding.progress(conn, a.id) is None and not onboarding.pending(conn, a.id)  # made on the CLI

    answer = sandbox.try_message(conn, a.id, "una sneakers?")
    assert all(p["name"] != "Sneakers Air" for p in answer.products)  # B's product is never offered to A's customers
    assert _b_state(conn, b.id) == before
