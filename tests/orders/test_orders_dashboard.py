"""Orders page with mart_orders_daily built by the real dbt: the owner's revenue per day and counts, never
another shop's; test_orders_page.py (dashboard area) covers "mark fulfilled"."""

from __future__ import annotations

from tests.dashboard.conftest import metric, new_app, open_page, sign_in, texts
from tests.orders.order_history import make_history


def test_orders_page_shows_the_shops_own_revenue_from_the_mart(conn, run_cli) -> None:
    history = make_history(conn)
    run = run_cli("dbt", "run", "--select", "+mart_orders_daily", timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    at = sign_in(new_app(), history["a"]["api_key"])
    open_page(at, "orders")
    assert not at.exception
    assert metric(at, "Unpaid") == "1" and metric(at, "To fulfil") == "1"
    shown = texts(at)
    assert "3 orders, 1 paid, revenue KES 740, average basket KES 740" in shown
    assert "5,000" not in shown  # shop B's sale

    other = sign_in(new_app(), history["b"]["api_key"])
    open_page(other, "orders")
    assert "1 orders, 1 paid, revenue KES 5,000" in texts(other) and metric(other, "Unpaid") == "0"
