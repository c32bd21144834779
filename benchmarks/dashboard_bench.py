"""Dashboard page render times with ~1,000,000 messages in the database.

Fills a database with the analytics simulator (`mtaabot demo simulate`), builds the marts with the real
dbt, then signs in as the busiest demo shop through the login form (Streamlit AppTest) and times one
full script run of every page: the first (cold) run and the median of warm re-runs. It measures the
server side of a render (queries + Streamlit script), which is what grows with the data.

    python -m benchmarks.dashboard_bench [--messages 1000000] [--days 30] [--home DIR] [--skip-dbt] [--json PATH]

With --home, the embedded database there is reused on the next run (simulation skipped when it
already holds enough messages). DATABASE_URL, when set, is used instead of an embedded server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "conversations", "languages", "usage", "products", "orders", "billing")


def _database(home: Path) -> str:
    from mtaabot.db.migrate import migrate
    from mtaabot.db.server import database_url

    if not os.environ.get("DATABASE_URL"):
        os.environ["MTAABOT_HOME"] = str(home)
    url = database_url()
    os.environ["DATABASE_URL"] = url
    from mtaabot.db import connect

    with connect(url) as conn:
        migrate(conn)
        conn.commit()
    return url


def _fill(url: str, messages: int, days: int, build: bool) -> tuple[str, int, float, float]:
    """Demo shops + simulated history + marts. Returns (api key of the busiest shop, messages,
    seconds simulating, seconds building marts)."""
    from mtaabot.businesses import rotate_api_key
    from mtaabot.db import connect
    from mtaabot.devtools.demo import seed_demo
    from mtaabot.devtools.simulate import simulate

    sim_s = 0.0
    with connect(url) as conn:
        seed_demo(conn)
        have = conn.execute("SELECT count(*) AS n FROM messages").fetchone()["n"]
        if have < messages * 0.95:
            t0 = time.perf_counter()
            simulate(conn, days=days, messages=messages - have, seed=42)
            conn.commit()
            conn.execute("ANALYZE")
            sim_s = time.perf_counter() - t0
        total = conn.execute("SELECT count(*) AS n FROM messages").fetchone()["n"]
        busiest = conn.execute("SELECT business_id, count(*) AS n FROM messages GROUP BY 1 ORDER BY 2 DESC "
                               "LIMIT 1").fetchone()
        key = rotate_api_key(conn, busiest["business_id"])  # a fresh key to sign in with
        conn.commit()
    t0 = time.perf_counter()
    if not build:
        return key, total, sim_s, 0.0
    done = subprocess.run([str(Path(sys.executable).parent / "mtaabot"), "dbt", "build", "--resource-type", "seed",
                           "--resource-type", "model"], cwd=ROOT, env=os.environ.copy(), capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.exit("dbt build failed:\n" + done.stdout[-4000:] + done.stderr[-2000:])
    return key, total, sim_s, time.perf_counter() - t0


def _time_pages(api_key: str, warm_runs: int) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
    at.run()
    at.text_input(key="login_api_key").input(api_key)
    at.button(key="owner_sign_in").click().run()
    if at.exception or any(t.key == "login_api_key" for t in at.text_input):  # still on the login form
        sys.exit(f"sign-in failed: {[e.value for e in at.exception]}")
    results = {}
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        if at.exception:
            sys.exit(f"{page}: {at.exception[0].value}")
        warm = []
        for _ in range(warm_runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        results[page] = {"cold_s": round(cold, 3), "warm_median_s": round(statistics.median(warm), 3),
                         "warm_max_s": round(max(warm), 3)}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--home", type=Path, default=None, help="embedded database directory to (re)use")
    parser.add_argument("--json", default=None, help="write the result as JSON here")
    parser.add_argument("--skip-dbt", action="store_true", help="reuse marts already built in --home")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    home = args.home or Path(tempfile.mkdtemp(prefix="mtaabot_dash_bench_"))
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o755)
    url = _database(home)
    key, total, sim_s, dbt_s = _fill(url, args.messages, args.days, not args.skip_dbt)
    print(f"messages in database: {total:,}  (simulate {sim_s:.1f} s, dbt build {dbt_s:.1f} s)")
    pages = _time_pages(key, args.warm_runs)
    print(f"{'page':<15}{'cold s':>9}{'warm p50 s':>12}{'warm max s':>12}   goal < 2 s")
    for page, r in pages.items():
        ok = "ok" if max(r["cold_s"], r["warm_max_s"]) < 2 else "SLOW"
        print(f"{page:<15}{r['cold_s']:>9.3f}{r['warm_median_s']:>12.3f}{r['warm_max_s']:>12.3f}   {ok}")
    if args.json:
        from benchmarks.common import write_json

        write_json(args.json, {"benchmark": "dashboard", "messages": total, "simulate_s": round(sim_s, 1),
                               "dbt_build_s": round(dbt_s, 1), "pages": pages})
    from mtaabot.db import close_pools

    close_pools()
    return 0


if __name__ == "__main__":
    sys.exit(main())
