"""The running dashboard in headless Chromium: sign in, open every page, find its key number, screenshot."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "dashboard"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard_url(built) -> Iterator[str]:
    db_url, _ = built
    port = _free_port()
    log = (ARTIFACTS.parent / "streamlit.log")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=os.environ | {"DATABASE_URL": db_url}, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    metric.wait_for(timeout=20_000)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the page script and the charts have drawn."""
    page.wait_for_function(
        """() => {
            const busy = document.querySelector('[data-testid="stStatusWidget"]');
            const now = Date.now();
            if (busy) { window.__idleSince = null; return false; }
            window.__idleSince = window.__idleSince || now;
            return now - window.__idleSince > 800;
        }""", polling=200, timeout=30_000)
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        chart.locator("canvas, svg").first.wait_for(timeout=20_000)
    for table in page.locator('[data-testid="stDataFrame"]').all():
        table.locator("canvas").first.wait_for(timeout=20_000)


def _no_exception(page, name: str) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, f"{name}: {boxes.first.inner_text()}"


def test_owner_clicks_through_every_page(dashboard_url: str, built) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium missing: apt-get install -y chromium (or `make system-deps`)")
    from playwright.sync_api import sync_playwright

    _, (a, b, _busy) = built
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(dashboard_url)
        page.get_by_label("API key (starts with mtb_)", exact=True).fill(a.api_key)
        page.get_by_role("button", name="Sign in · Ingia").click()
        page.get_by_role("heading", name="Overview · Muhtasari").wait_for(timeout=30_000)
        _settle(page)

        def visit(link: str, heading: str, shot: str, *shown: str) -> None:
            page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=link).first.click()
            page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
            for text in shown:  # widgets mount lazily: wait for their labels before the screenshot
                page.get_by_text(text).first.wait_for(timeout=30_000)
            _settle(page)
            _no_exception(page, heading)
            page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)

        page.get_by_text("Messages per day").first.wait_for(timeout=30_000)
        _settle(page)
        _no_exception(page, "overview")
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
        found = {"overview": _metric(page, "Messages · Jumbe")}
        visit("Conversations", "Conversations · Mazungumzo", "conversations", "Hand back to the bot", "Escalated chats",
              "Reply as the shop")
        found["conversations"] = _metric(page, "Waiting for you")
        visit("Languages", "Languages & confidence · Lugha na uhakika", "languages", "Lowest-confidence replies")
        found["languages"] = _metric(page, "Top language")
        visit("Usage", "Usage · Matumizi", "usage", "AI replies per day")
        found["usage"] = _metric(page, "AI replies this month")
        visit("Products", "Products · Bidhaa", "products", "Upload a catalogue", "CSV file")
        found["products"] = _metric(page, "Products · Bidhaa")
        visit("Billing", "Billing · Malipo", "billing", "M-Pesa phone number")
        page.get_by_text("Plan · Mpango").nth(1).wait_for(timeout=30_000)  # the plan picker's label
        page.screenshot(path=str(ARTIFACTS / "billing.png"), full_page=True)
        found["billing"] = _metric(page, "Plan · Mpango")
        assert b.name not in page.content()
        browser.close()
    assert found == {"overview": "15", "conversations": "1", "languages": "Sheng (89%)", "usage": "7 / 300",
                     "products": "3", "billing": "Trial"}
