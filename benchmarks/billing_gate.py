"""Billing hot paths: the AI-reply gate (runs before every engine answer) and M-Pesa callback handling.

Runs against DATABASE_URL or the embedded server, on a temporary shop that is deleted afterwards.
Prints p50 / p95 in milliseconds (target: gate p50 < 5 ms with thousands of stored replies).

    .venv/bin/python -m benchmarks.billing_gate [--n 300] [--replies 5000] [--json out.json]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from benchmarks.common import summary_ms, write_json
from mtaabot import businesses
from mtaabot.billing.gate import check_ai_allowed
from mtaabot.billing.payments import handle_callback
from mtaabot.db import connect


def _pcts(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    return f"p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"


def _callback(checkout: str, code: int) -> dict:
    meta = {"Item": [{"Name": "Amount", "Value": 2999}, {"Name": "MpesaReceiptNumber", "Value": checkout[-10:]},
                     {"Name": "PhoneNumber", "Value": 254708374149}]}
    stk = {"MerchantRequestID": "m", "CheckoutRequestID": checkout, "ResultCode": code, "ResultDesc": "bench"}
    return {"Body": {"stkCallback": stk | ({"CallbackMetadata": meta} if code == 0 else {})}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--replies", type=int, default=5000)
    parser.add_argument("--json", help="also write the result as JSON here")
    args = parser.parse_args()
    out: dict = {}
    conn = connect()
    shop = businesses.create_business(conn, name=f"Bench Billing {uuid.uuid4().hex[:6]}")
    bid = shop["id"]
    try:
        conv = conn.execute("INSERT INTO conversations (business_id, customer_phone) VALUES (%s, '254700000009') "
                            "RETURNING id", (bid,)).fetchone()["id"]
        conn.execute("""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                                   amount_kes, paid_at)
                        VALUES (%s, 'pro', now() - interval '5 days', now() + interval '25 days', true, 'active',
                                2999, now())""", (bid,))
        conn.execute("""INSERT INTO messages (conversation_id, business_id, role, author, content)
                        SELECT %s, %s, 'bot', 'ai', 'jibu' FROM generate_series(1, %s)""",
                     (conv, bid, args.replies))
        conn.commit()
        gate = []
        for i in range(args.n + 10):
            start = time.perf_counter()
            assert check_ai_allowed(conn, bid).allowed
            conn.commit()
            if i >= 10:
                gate.append((time.perf_counter() - start) * 1000)
        print(f"gate (pro plan, {args.replies} stored AI replies) over {len(gate)} calls: {_pcts(gate)}")
        out["gate"] = summary_ms(gate)

        checkouts = [f"ws_CO_BENCH{uuid.uuid4().hex[:16]}" for _ in range(args.n)]
        for co in checkouts:
            conn.execute("""INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, is_active, status,
                                                       amount_kes, mpesa_checkout_id)
                            VALUES (%s, 'pro', now(), now() + interval '30 days', false, 'pending', 2999, %s)""",
                         (bid, co))
        conn.commit()
        for label, code in (("activate", 0), ("duplicate", 0)):
            timings = []
            t0 = time.perf_counter()
            for co in checkouts:
                start = time.perf_counter()
                handle_callback(conn, _callback(co, code))
                conn.commit()
                timings.append((time.perf_counter() - start) * 1000)
            rate = len(checkouts) / (time.perf_counter() - t0)
            print(f"callback {label} over {len(timings)}: {_pcts(timings)} ({rate:.0f}/s, one connection)")
            out[f"callback_{label}"] = summary_ms(timings) | {"per_s": round(rate, 1)}
        ends = conn.execute("SELECT max(ends_at) - min(starts_at) AS span FROM subscriptions WHERE business_id = %s",
                            (bid,)).fetchone()["span"]
        print(f"paid time after {args.n} back-to-back renewals: {ends.days} days (each adds 30)")
        write_json(args.json, {"billing": out})
    finally:
        conn.rollback()
        for table in ("mpesa_callbacks", "notifications", "messages", "conversations", "subscriptions", "api_configs"):
            conn.execute(f"DELETE FROM {table} WHERE business_id = %s", (bid,))  # noqa: S608 - fixed names
        conn.execute("DELETE FROM businesses WHERE id = %s", (bid,))
        conn.commit()
        conn.close()


if __name__ == "__main__":
    main()
