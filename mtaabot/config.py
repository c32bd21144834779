"""Runtime configuration read from the environment (one place, no secrets in code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def mtaabot_home() -> Path:
    """Where local state lives (embedded database, logs); `.mtaabot/` at the project root by default."""
    home = _env("MTAABOT_HOME")
    path = Path(home).expanduser() if home else PROJECT_ROOT / ".mtaabot"
    return path.resolve()


@dataclass(frozen=True)
class Settings:
    database_url: str | None = field(default_factory=lambda: _env("DATABASE_URL"))
    home: Path = field(default_factory=mtaabot_home)
    # WhatsApp Cloud API
    whatsapp_app_secret: str | None = field(default_factory=lambda: _env("WHATSAPP_APP_SECRET"))
    whatsapp_graph_url: str = field(
        default_factory=lambda: _env("WHATSAPP_GRAPH_URL", "https://graph.facebook.com") or ""
    )
    whatsapp_api_version: str = field(default_factory=lambda: _env("WHATSAPP_API_VERSION", "v21.0") or "")
    whatsapp_rate_per_second: float = field(
        default_factory=lambda: float(_env("WHATSAPP_RATE_PER_SECOND", "80") or 80)
    )
    # M-Pesa Daraja
    mpesa_base_url: str = field(
        default_factory=lambda: _env("MPESA_BASE_URL", "https://sandbox.safaricom.co.ke") or ""
    )
    mpesa_consumer_key: str | None = field(default_factory=lambda: _env("MPESA_CONSUMER_KEY"))
    mpesa_consumer_secret: str | None = field(default_factory=lambda: _env("MPESA_CONSUMER_SECRET"))
    mpesa_shortcode: str = field(default_factory=lambda: _env("MPESA_SHORTCODE", "174379") or "")
    mpesa_passkey: str | None = field(default_factory=lambda: _env("MPESA_PASSKEY"))
    mpesa_callback_url: str | None = field(default_factory=lambda: _env("MPESA_CALLBACK_URL"))
    mpesa_callback_token: str | None = field(default_factory=lambda: _env("MPESA_CALLBACK_TOKEN"))
    # Models
    embed_model: str | None = field(default_factory=lambda: _env("MTAABOT_EMBED_MODEL"))
    llm_model: str | None = field(default_factory=lambda: _env("MTAABOT_LLM_MODEL"))
    # Dashboard operator (sees every business)
    operator_password: str | None = field(default_factory=lambda: _env("MTAABOT_OPERATOR_PASSWORD"))


def get_settings() -> Settings:
    """Fresh settings from the current environment (cheap; tests change env between calls)."""
    return Settings()
