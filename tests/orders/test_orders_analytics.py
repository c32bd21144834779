"""fct_orders and mart_orders_daily built by the real `mtaabot dbt build` over a known order history:
confirmed orders only, the shop's local day, paid share, revenue, basket and conversion per shop."""

from __future__ import annotations

import math

from mtaabot.analytics import read_mart
from tests.orders.order_history import DAY, NEXT_DAY, make_history


def test_order_marts_count_what_the_shop_sold_on_its_own_days(conn, run_cli) -> None:
    history = make_history(conn)
    build = run_cli("dbt", "build", "--select", "+mart_orders_daily", timeout=600)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-2000:]
    assert "orders_daily_counts_paid_revenue_and_conversion" in build.stdout  # the mart's unit test ran

    a, b = str(history["a"]["id"]), str(history["b"]["id"])
    facts = read_mart("fct_orders", a, conn=conn).set_index("order_id")
    # the abandoned cart is no order; the others are, each once
    assert set(facts.index) == {str(history[k]["id"]) for k in ("paid", "cancelled", "late")}
    paid = facts.loc[str(history["paid"]["id"])]
    assert (paid.order_date, paid.order_status, bool(paid.is_paid)) == (DAY, "paid", True)
    assert float(paid.total_kes) == float(paid.paid_amount_kes) == 740.0
    assert (int(paid.lines), float(paid.units), paid.order_kind, paid.order_source) == (2, 3.0, "order", "chat")
    late = facts.loc[str(history["late"]["id"])]
    assert late.order_date == NEXT_DAY and not late.is_paid and float(late.paid_amount_kes) == 0.0  # 00:35 in Nairobi
    assert facts.loc[str(history["cancelled"]["id"])].order_status == "cancelled"

    daily = read_mart("mart_orders_daily", a, conn=conn).set_index("order_date")
    assert sorted(daily.index) == [DAY, NEXT_DAY]
    first = daily.loc[DAY]
    assert (int(first.orders), int(first.paid_orders), int(first.cancelled_orders)) == (2, 1, 1)
    assert float(first.paid_share) == 0.5 and float(first.revenue_kes) == 740.0
    assert float(first.average_basket_kes) == 740.0
    # customers 1, 3 and 5 asked about products that day (the owner's own chat does not count): 2 orders / 3
    assert int(first.customers_asking) == 3 and float(first.conversion) == 0.6667
    second = daily.loc[NEXT_DAY]
    assert (int(second.orders), int(second.paid_orders), float(second.revenue_kes)) == (1, 0, 0.0)
    assert second.average_basket_kes is None or math.isnan(float(second.average_basket_kes))
    assert int(second.customers_asking) == 1 and float(second.conversion) == 1.0

    theirs = read_mart("mart_orders_daily", b, conn=conn)
    assert len(theirs) == 1 and float(theirs.revenue_kes.iloc[0]) == 5000.0
    assert float(read_mart("mart_orders_daily", conn=conn).revenue_kes.sum()) == 5740.0


def test_cancelling_a_paid_order_takes_it_out_of_revenue_on_the_next_build(conn, run_cli) -> None:
    history = make_history(conn)
    assert run_cli("dbt", "run", "--select", "+mart_orders_daily", timeout=600).returncode == 0
    a = str(history["a"]["id"])
    before = read_mart("mart_orders_daily", a, conn=conn).set_index("order_date").loc[DAY]
    assert float(before.revenue_kes) == 740.0
    conn.rollback()  # end the read's transaction: dbt's table swap waits for every reader's lock

    cancel = run_cli("orders", "set-status", str(history["paid"]["id"]), "cancelled")
    assert cancel.returncode == 0, cancel.stderr
    assert run_cli("dbt", "run", "--select", "fct_orders", "mart_orders_daily", timeout=600).returncode == 0
    after = read_mart("mart_orders_daily", a, conn=conn).set_index("order_date").loc[DAY]
    assert (int(after.orders), int(after.paid_orders), int(after.cancelled_orders)) == (2, 0, 2)
    assert float(after.revenue_kes) == 0.0 and float(after.paid_share) == 0.0
