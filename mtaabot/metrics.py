"""Prometheus metrics (`prometheus_client`) and the readiness check behind `/metrics` and `/readyz`.

Two kinds of figures:
- process counters and histograms the webhook server updates as it answers HTTP requests
  (`mtaabot_http_requests_total`, `mtaabot_webhook_requests_total{outcome}`, request latency);
- figures read from the database at scrape time, so they are exact whichever process answers and whatever
  process (worker, CLI) did the work: messages stored, inbound jobs and outbox rows by status and the age of
  the oldest pending one, delivery failures by Graph error code, open hand-overs, order payment prompts by
  status, suspended shops, pending migrations, and `mtaabot_database_up`.

Labels are bounded: route templates (not raw paths), statuses, Graph error codes (top 20); never a shop,
customer or phone. With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (an empty directory) before
the server starts so the process counters are summed over workers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeHistogramMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from mtaabot.config import get_settings

CONNECT_TIMEOUT_SECONDS = 3

REGISTRY = CollectorRegistry(auto_describe=True)
HTTP_REQUESTS = Counter("mtaabot_http_requests", "HTTP requests answered, by route template, method and status.",
                        ["route", "method", "status"], registry=REGISTRY)
HTTP_LATENCY = Histogram("mtaabot_http_request_seconds", "Time to answer an HTTP request, by route template.",
                         ["route"], registry=REGISTRY,
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
WEBHOOK_REQUESTS = Counter("mtaabot_webhook_requests", "WhatsApp webhook deliveries (POST /webhook) by outcome.",
                           ["outcome"], registry=REGISTRY)

_WEBHOOK_OUTCOMES = {200: "accepted", 400: "bad_payload", 401: "unsigned", 403: "bad_signature",
                     413: "too_large", 415: "bad_payload", 429: "rate_limited"}


def webhook_outcome(status: int) -> str:
    if status >= 500:
        return "error"
    return _WEBHOOK_OUTCOMES.get(status, "rejected" if status >= 400 else "accepted")


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_LATENCY.labels(route).observe(seconds)
    if route == "/webhook" and method == "POST":
        WEBHOOK_REQUESTS.labels(webhook_outcome(status)).inc()


def _url() -> str:
    from mtaabot.db import database_url

    return database_url(start=False)


def _connect() -> psycopg.Connection:
    return psycopg.connect(_url(), connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str | None
    database: str  # "up" | "down"
    pending_migrations: list[str]

    def as_dict(self) -> dict:
        return {"status": "ready" if self.ready else "not ready", "reason": self.reason, "database": self.database,
                "pending_migrations": self.pending_migrations}


def readiness() -> Readiness:
    """Ready when the database answers, every migration shipped with this code is applied and the secret key
    opens the stored WhatsApp access tokens."""
    from mtaabot import secretbox
    from mtaabot.db.migrate import applied_versions, available_migrations

    try:
        with _connect() as conn:
            conn.execute("SET statement_timeout = '3s'")
            applied = set(applied_versions(conn))
            pending = [m.version for m in available_migrations() if m.version not in applied]
            secrets = secretbox.check(conn) if not pending else None
    except secretbox.SecretKeyError as exc:
        return Readiness(False, f"secrets: {exc}", "up", [])
    except Exception as exc:  # any failure to reach the database: not ready, say why
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Readiness(False, f"database unreachable: {first[:200]}", "down", [])
    if pending:
        return Readiness(False, f"migrations pending: {', '.join(pending)} (run `mtaabot db up`)", "up", pending)
    if secrets and secrets["undecryptable"]:
        return Readiness(False, f"secrets: {len(secrets['undecryptable'])} WhatsApp access token(s) cannot be "
                                f"decrypted with the key from {secretbox.key_source()}", "up", [])
    return Readiness(True, None, "up", [])


_DB_QUERIES = (
    ("mtaabot_messages_stored", "Messages stored, by role (user|bot) and author.", ("role", "author"),
     "SELECT role, author, count(*) AS n FROM messages GROUP BY role, author"),
    ("mtaabot_inbound_jobs", "Inbound message jobs by status (pending = queue depth).", ("status",),
     "SELECT status, count(*) AS n FROM inbound_jobs GROUP BY status"),
    ("mtaabot_outbox", "Outbound WhatsApp messages by outbox status.", ("status",),
     "SELECT status, count(*) AS n FROM outbox GROUP BY status"),
    ("mtaabot_delivery_failures", "Messages whose delivery failed, by Graph error code (top 20).", ("code",),
     """SELECT coalesce(delivery_error_code::text, 'none') AS code, count(*) AS n FROM messages
        WHERE delivery_status = 'failed' GROUP BY 1 ORDER BY 2 DESC LIMIT 20"""),
    ("mtaabot_order_payments", "Order payment prompts (M-Pesa STK) by status; queued|pending are in flight.",
     ("status",), "SELECT status, count(*) AS n FROM order_payments GROUP BY status"),
    ("mtaabot_conversations", "Customer conversations by status (human_escalated = open hand-overs).", ("status",),
     "SELECT status, count(*) AS n FROM conversations WHERE kind = 'customer' GROUP BY status"),
    ("mtaabot_payments_held", "M-Pesa payments held because the callback did not match what was asked, waiting "
     "for the STK query.", ("kind",),
     """SELECT 'subscription' AS kind, count(*) AS n FROM subscriptions WHERE status = 'held'
        UNION ALL SELECT 'order', count(*) FROM order_payments WHERE status = 'held'"""),
)
_STATUSES = {"mtaabot_inbound_jobs": ("pending", "done", "failed"),
             "mtaabot_outbox": ("pending", "sending", "sent", "failed", "skipped"),
             "mtaabot_order_payments": ("queued", "pending", "paid", "failed", "underpaid", "superseded", "held"),
             "mtaabot_payments_held": ("subscription", "order")}


LATENCY_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)
_LATENCIES = (
    ("mtaabot_reply_latency_seconds",
     "Customer message stored -> answer stored (queue wait + engine), answers of the last hour.",
     """SELECT extract(epoch FROM b.created_at - u.created_at) FROM messages b JOIN messages u ON u.id = b.reply_to
        WHERE b.role = 'bot' AND b.author IN ('ai', 'system') AND b.created_at > now() - interval '1 hour'"""),
    ("mtaabot_send_latency_seconds",
     "Answer queued in the outbox -> accepted by the Graph API, sends of the last hour.",
     """SELECT extract(epoch FROM sent_at - created_at) FROM outbox
        WHERE status = 'sent' AND sent_at > now() - interval '1 hour'"""),
)


def _latency_families(conn: psycopg.Connection) -> list[GaugeHistogramMetricFamily]:
    """Latency histograms computed from the database over the last hour (whichever process did the work);
    webhook ack latency is the request histogram `mtaabot_http_request_seconds{route="/webhook"}`."""
    out = []
    for name, doc, query in _LATENCIES:
        values = [max(0.0, float(v)) for (v,) in conn.execute(query).fetchall() if v is not None]
        buckets = [(str(le), sum(1 for v in values if v <= le)) for le in LATENCY_BUCKETS]
        buckets.append(("+Inf", len(values)))
        out.append(GaugeHistogramMetricFamily(name, doc, buckets=buckets, gsum_value=sum(values)))
    return out


class DatabaseCollector(Collector):
    """Reads queue depths and counts from the database on every scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("mtaabot_database_up", "1 when the database answered this scrape.")
        try:
            conn = _connect()
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        families = []
        try:
            with conn:
                conn.execute("SET statement_timeout = '5s'")
                for name, doc, labels, query in _DB_QUERIES:
                    family = GaugeMetricFamily(name, doc, labels=list(labels))
                    rows = {tuple(str(v) for v in r[:-1]): r[-1] for r in conn.execute(query).fetchall()}
                    for status in _STATUSES.get(name, ()):  # known statuses always present (0 when none)
                        rows.setdefault((status,), 0)
                    for key, n in sorted(rows.items()):
                        family.add_metric(list(key), n)
                    families.append(family)
                ages = GaugeMetricFamily("mtaabot_queue_oldest_pending_seconds",
                                         "Age of the oldest pending row per queue (0 when empty).", labels=["queue"])
                for queue, query in (
                        ("inbound_jobs", "SELECT extract(epoch FROM now() - min(created_at)) FROM inbound_jobs "
                                         "WHERE status = 'pending'"),
                        ("outbox", "SELECT extract(epoch FROM now() - min(created_at)) FROM outbox "
                                   "WHERE status IN ('pending', 'sending')")):
                    ages.add_metric([queue], float(conn.execute(query).fetchone()[0] or 0))
                families.append(ages)
                families.extend(_latency_families(conn))
                escalations = GaugeMetricFamily("mtaabot_escalations", "Hand-overs to the owner ever made, by reason "
                                                "(escalation notices; rate() of it is escalations per second).",
                                                labels=["reason"])
                for reason, n in conn.execute(
                        """SELECT coalesce(escalation_reason, 'unknown'), count(*) FROM conversations
                           WHERE escalated_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 20""").fetchall():
                    escalations.add_metric([str(reason)[:40]], n)
                families.append(escalations)
                suspended = GaugeMetricFamily("mtaabot_businesses_suspended", "Shops suspended by an operator.")
                suspended.add_metric([], conn.execute(
                    "SELECT count(*) FROM businesses WHERE suspended_at IS NOT NULL").fetchone()[0])
                families.append(suspended)
                from mtaabot.db.migrate import applied_versions, available_migrations

                applied = set(applied_versions(conn))
                pending = GaugeMetricFamily("mtaabot_migrations_pending", "Migrations shipped but not applied.")
                pending.add_metric([], sum(1 for m in available_migrations() if m.version not in applied))
                families.append(pending)
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def render() -> tuple[bytes, str]:
    """The Prometheus text exposition: process counters plus the database figures."""
    registry = REGISTRY
    multiproc = get_settings().prometheus_multiproc_dir
    if multiproc:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    scrape = CollectorRegistry()
    scrape.register(DatabaseCollector())
    return generate_latest(registry) + generate_latest(scrape), CONTENT_TYPE_LATEST


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
