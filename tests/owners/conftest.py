"""Owner-channel tests: the engine helpers (model loaded once) and the webhook/worker/fake Graph fixtures."""

from tests.engine.conftest import warm_model  # noqa: F401  (session fixture: load the model once)
from tests.webhook.conftest import app, graph, shop, wa_env, worker  # noqa: F401  (shared fixtures)


def shop_with_owner(conn, monkeypatch, owner: str, **kwargs):
    """A shop open all day (tests.engine.conftest.make_shop) with `owner` as its verified owner, owner alerts sent at
    any hour."""
    from mtaabot.owners.registry import add_trusted_owner
    from tests.engine.conftest import make_shop

    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "off")
    made = make_shop(conn, opening_hours="Daily 0:00-23:59", **kwargs)
    add_trusted_owner(conn, made["id"], owner)
    conn.commit()
    return made
