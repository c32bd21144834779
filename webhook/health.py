"""Operations endpoints: `/healthz` (the process answers), `/readyz` (database reachable and migrations
current: 200, else 503 with the reason) and `/metrics` (Prometheus text format, see `mtaabot.metrics`).

The blueprint also times every request of the app (route template, method, status) for `/metrics`."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from mtaabot import logredact, metrics, secretbox
from mtaabot.config import get_settings

logredact.install()  # no verify token or M-Pesa callback token in access logs

if get_settings().secret_key is not None:
    secretbox.keys()  # a malformed MTAABOT_SECRET_KEY stops the server here, with the variable named

bp = Blueprint("health", __name__)


@bp.before_app_request
def _start_timer() -> None:
    g.mtaabot_timer = metrics.Timer()


@bp.after_app_request
def _count(response: Response) -> Response:
    timer = getattr(g, "mtaabot_timer", None)
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    if rule != "/metrics":
        metrics.observe_request(rule, request.method, response.status_code, timer.elapsed() if timer else 0.0)
    return response


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    state = metrics.readiness()
    return jsonify(state.as_dict()), 200 if state.ready else 503


@bp.get("/metrics")
def metrics_endpoint() -> Response:
    body, content_type = metrics.render()
    return Response(body, content_type=content_type)
