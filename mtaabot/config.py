"""Runtime configuration: one typed settings object read from the environment (no secrets in code).

Every setting MtaaBot reads is a field of `Settings` below, named by its environment variable; nothing
else in the code reads `os.environ` (code only *sets* variables for child processes and libraries). The
README's configuration table is generated from these fields (`python -m mtaabot.config`) and a test
checks it is current. An empty variable counts as unset, except `MTAABOT_SECRET_KEY` (set but empty is
an error there, so a missing key is never replaced silently). A malformed value (a word where a number
belongs) raises `ConfigError` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KEEP_EMPTY = ("MTAABOT_SECRET_KEY",)


class ConfigError(ValueError):
    """A setting whose value cannot be used (named by its environment variable)."""


def _setting(default: Any, env: str, doc: str, shown: str | None = None) -> Any:
    """A field read from `env`; `shown` is the default as the README shows it (when not the value itself)."""
    extra = {"shown": shown} if shown is not None else {}
    return Field(default, validation_alias=env, description=doc, json_schema_extra=extra or None)


class Settings(BaseSettings):
    """Every MtaaBot setting; the README table lists them in this order."""

    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore", frozen=True, case_sensitive=True)

    # Database and local state
    database_url: str | None = _setting(
        None, "DATABASE_URL", "any PostgreSQL ≥ 15 with pgvector ≥ 0.8.3", "unset → embedded server")
    home: Path = _setting(
        PROJECT_ROOT / ".mtaabot", "MTAABOT_HOME", "embedded database, logs, Dagster home, secret key file",
        "`.mtaabot/` at the project root")
    pg_bin: Path | None = _setting(
        None, "MTAABOT_PG_BIN", "where `db backup`/`db restore` find `pg_dump`/`pg_restore`",
        "the embedded server's bin directory")
    pguser: str | None = _setting(
        None, "PGUSER", "libpq's default user; dbt connects as it when `DATABASE_URL` names no user", "`postgres`")
    secret_key: str | None = _setting(
        None, "MTAABOT_SECRET_KEY", "Fernet key(s) for shops' tokens, comma-separated, first encrypts",
        "unset → `MTAABOT_HOME/secret.key` (generated, 0600)")
    # WhatsApp Cloud API
    whatsapp_app_secret: str | None = _setting(
        None, "WHATSAPP_APP_SECRET", "Meta app secret: every `POST /webhook` must carry a valid "
        "`X-Hub-Signature-256` (required by the webhook)")
    whatsapp_verify_token: str | None = _setting(
        None, "WHATSAPP_VERIFY_TOKEN", "optional deployment-wide verify token; otherwise any business's own "
        "verify token is accepted")
    whatsapp_access_token: str | None = _setting(
        None, "WHATSAPP_ACCESS_TOKEN", "access token `business connect-whatsapp` stores when none is piped on "
        "stdin (`--access-token -`) or typed at its hidden prompt", "unset (prompt)")
    whatsapp_graph_url: str = _setting(
        "https://graph.facebook.com", "WHATSAPP_GRAPH_URL", "Graph API base (tests point it at a local fake)")
    whatsapp_api_version: str = _setting("v21.0", "WHATSAPP_API_VERSION", "Graph API version in send URLs")
    whatsapp_rate_per_second: float = _setting(
        80.0, "WHATSAPP_RATE_PER_SECOND", "outbound messages/s per business number, shared by all worker "
        "processes (`mtaabot worker --rate`)", "80")
    whatsapp_retry_base_seconds: float = _setting(
        0.5, "WHATSAPP_RETRY_BASE_SECONDS", "first backoff step for 429/5xx/130429/131056 (exponential with "
        "jitter)")
    # M-Pesa Daraja
    mpesa_env: str = _setting(
        "sandbox", "MPESA_ENV", "`production` switches the default base URL to `https://api.safaricom.co.ke`")
    mpesa_base_url: str | None = _setting(
        None, "MPESA_BASE_URL", "explicit Daraja base URL (tests point it at a local fake)",
        "per `MPESA_ENV`")
    mpesa_consumer_key: str | None = _setting(None, "MPESA_CONSUMER_KEY", "the Daraja app's consumer key")
    mpesa_consumer_secret: str | None = _setting(None, "MPESA_CONSUMER_SECRET", "the Daraja app's consumer secret")
    mpesa_shortcode: str = _setting("174379", "MPESA_SHORTCODE", "paybill / till number (`BusinessShortCode`)")
    mpesa_passkey: str | None = _setting(None, "MPESA_PASSKEY", "Lipa na M-Pesa Online passkey")
    mpesa_callback_url: str | None = _setting(
        None, "MPESA_CALLBACK_URL", "public HTTPS base of the webhook; `/mpesa/callback/<token>` is appended")
    mpesa_callback_token: str | None = _setting(
        None, "MPESA_CALLBACK_TOKEN", "secret path token of the callback; unset turns the endpoint off")
    mpesa_allowed_ips: str = _setting(
        "", "MPESA_ALLOWED_IPS", "comma-separated IPs/CIDRs allowed to call back; others get 403", "any")
    mpesa_trust_forwarded_for: bool = _setting(
        False, "MPESA_TRUST_FORWARDED_FOR", "`1` behind one reverse proxy: the allowlist checks the last "
        "`X-Forwarded-For` address", "`0`")
    # Models
    embed_model: str | None = _setting(
        None, "MTAABOT_EMBED_MODEL", "local path of the embedding model", "packaged all-MiniLM-L6-v2")
    tuned_encoder: bool = _setting(
        True, "MTAABOT_TUNED_ENCODER", "use the encoder `make install` fine-tuned from the packaged weights on "
        "Swahili/Sheng pairs (build/models/minilm-mtaa) when it is there; `0`: the packaged weights", "`1`")
    llm_model: str | None = _setting(
        None, "MTAABOT_LLM_MODEL", "local path of a text-generation model for the optional rewrite", "off")
    torch_threads: int = _setting(1, "MTAABOT_TORCH_THREADS", "torch threads per process for queries", "1")
    embed_threads: int | None = _setting(
        None, "MTAABOT_EMBED_THREADS", "torch threads for batch re-embedding", "every core")
    query_int8: bool = _setting(
        True, "MTAABOT_QUERY_INT8", "int8-quantised query encoder (`0`: the fp32 model)", "`1`")
    query_onnx: bool = _setting(
        True, "MTAABOT_QUERY_ONNX", "queries through the ONNX export of the packaged model when the build made one "
        "(`make install`; fp32, no torch in the worker); `0`: torch", "`1`")
    onnx_dir: Path | None = _setting(
        None, "MTAABOT_ONNX_DIR", "where the build writes and the worker reads the ONNX export and the "
        "fine-tuned encoder", "`build/models/`")
    query_cache_size: int = _setting(
        4096, "MTAABOT_QUERY_CACHE_SIZE", "query vectors kept per process for repeated questions (`0`: only "
        "within one worker batch)", "4096")
    retrieval_learned: bool = _setting(
        True, "MTAABOT_RETRIEVAL_LEARNED", "retrieval's \"not sold\" decided by the learned model "
        "(`mtaabot/data/retrieval_model.json`) over the rules' features; `0`: the rules alone", "`1`")
    # Worker (`mtaabot worker`)
    worker_batch_size: int = _setting(
        64, "MTAABOT_WORKER_BATCH_SIZE", "most inbound messages one engine thread claims and answers together "
        "(one per conversation; fewer when fewer are waiting)", "64")
    worker_batch_budget_ms: float = _setting(
        150.0, "MTAABOT_WORKER_BATCH_BUDGET_MS", "an engine thread claims no more jobs than it answers in about this "
        "long (measured per job): a backlog is shared out among the engine threads and the last job of a batch "
        "does not wait behind 63 others; `0`: always up to the batch size", "150")
    worker_poll_seconds: float = _setting(
        2.0, "MTAABOT_WORKER_POLL_SECONDS", "slow poll when no LISTEN/NOTIFY wake-up arrives (a missed notify "
        "is caught by it; `mtaabot worker --poll`)", "2")
    job_lease_seconds: float = _setting(
        30.0, "MTAABOT_JOB_LEASE_SECONDS", "a claimed inbound job or outbox row is another worker's to take "
        "after this long (a killed worker's batch is answered then)", "30")
    worker_nice: int = _setting(
        5, "MTAABOT_WORKER_NICE", "how much `mtaabot worker` lowers its own CPU priority (os.nice): on a machine "
        "shared with the webhook, acks do not queue behind answering; idle cores still go to the worker; `0`: "
        "none", "5")
    # Analytics (passed to dbt)
    analytics_salt: str | None = _setting(
        None, "MTAABOT_ANALYTICS_SALT", "salt for hashed customer keys in the marts; set it in production",
        "a fixed default")
    dbt_threads: int | None = _setting(None, "MTAABOT_DBT_THREADS", "dbt threads", "4")
    dbt_target_path: Path | None = _setting(
        None, "DBT_TARGET_PATH", "dbt's own target directory; unset → one per run under the project's target/",
        "per run")
    # Owners, operators, costs
    operator_password: str | None = _setting(
        None, "MTAABOT_OPERATOR_PASSWORD", "dashboard operator who sees every shop", "unset (no operator)")
    dashboard_signup: bool = _setting(
        False, "MTAABOT_DASHBOARD_SIGNUP", "anyone who can reach the dashboard may open a shop there (self-serve "
        "sign-up: shop, key, catalogue, WhatsApp, plan)", "`0` (off)")
    public_url: str | None = _setting(
        None, "MTAABOT_PUBLIC_URL", "the webhook's public address, shown to owners who connect WhatsApp from the "
        "dashboard", "unset → `https://<your-host>`")
    operator: str | None = _setting(
        None, "MTAABOT_OPERATOR", "name recorded in `audit_log` for operator commands", "the OS user")
    owner_quiet_hours: str = _setting(
        "22-6", "MTAABOT_OWNER_QUIET_HOURS", "Nairobi hours when owner alerts wait (`off` to send at once)",
        "`22-6`")
    owner_realert_minutes: float = _setting(
        15.0, "MTAABOT_OWNER_REALERT_MINUTES", "a hand-over unanswered this long (within opening hours) "
        "reminds the owner once and tells the customer", "15")
    handover_minutes: float = _setting(
        10.0, "MTAABOT_HANDOVER_MINUTES", "how long a hand-over keeps the bot quiet in that chat while the owner "
        "has not written there (counted from the hand-over or the owner's last message); after it the bot answers "
        "the customer's questions and orders again, saying once that the owner was told, while a complaint, refund "
        "or request for a person goes to the owner again; `RUDISHA n` / `BOT n` hands back at once; `0`: quiet "
        "until the owner hands back", "10")
    echo_quiet_minutes: float = _setting(
        30.0, "MTAABOT_ECHO_QUIET_MINUTES", "how long the bot keeps quiet in a chat after the owner typed in "
        "the WhatsApp Business app", "30")
    owner_alert_template: str = _setting(
        "mtaabot_owner_alert", "MTAABOT_OWNER_ALERT_TEMPLATE", "approved utility template for owner alerts "
        "outside the 24-hour window (`templates/owner_alert.md`)")
    owner_alert_template_lang: str = _setting(
        "sw", "MTAABOT_OWNER_ALERT_TEMPLATE_LANG", "language code of that template")
    daily_ai_budget: int | None = _setting(
        None, "MTAABOT_DAILY_AI_BUDGET", "default per-shop daily AI-reply cap (`off`: none)", "unset (no daily cap)")
    customer_rate_per_minute: int = _setting(
        12, "MTAABOT_CUSTOMER_RATE_PER_MINUTE", "messages one customer may send a shop per minute before the "
        "bot answers the rest together (stored, never dropped; the owner is told once a day)", "12")
    # Operations
    log_format: str = _setting(
        "text", "MTAABOT_LOG_FORMAT", "`json`: one JSON object per log line with the message's `request_id` "
        "from webhook to worker to Graph call", "`text`")
    max_request_bytes: int = _setting(
        4 * 1024 * 1024, "MTAABOT_MAX_REQUEST_BYTES", "largest HTTP request body any route accepts (413 above)",
        "4 MiB")
    prometheus_multiproc_dir: Path | None = _setting(
        None, "PROMETHEUS_MULTIPROC_DIR", "an empty directory: request counters summed over gunicorn workers")

    @model_validator(mode="before")
    @classmethod
    def _empty_is_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != "" or k in KEEP_EMPTY}
        return data

    @field_validator("home", mode="after")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("daily_ai_budget", mode="before")
    @classmethod
    def _budget(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("off", "none", "0"):
            return None
        return value

    @field_validator("owner_quiet_hours", mode="after")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        text = value.strip()
        if text.lower() in ("", "off", "none", "0"):
            return text
        start, dash, end = text.partition("-")
        if not (dash and start.strip().isdigit() and end.strip().isdigit()
                and int(start) < 24 and int(end) < 24):
            raise ValueError("expected hours like 22-6, or off")
        return text

    @field_validator("torch_threads", "embed_threads", "dbt_threads", "worker_batch_size", mode="after")
    @classmethod
    def _at_least_one(cls, value: int | None) -> int | None:
        return value if value is None else max(1, value)

    @field_validator("whatsapp_retry_base_seconds", "echo_quiet_minutes", "handover_minutes", "query_cache_size",
                     "worker_batch_budget_ms", mode="after")
    @classmethod
    def _not_negative(cls, value: float) -> float:
        return max(0.0, value)

    @field_validator("log_format", mode="after")
    @classmethod
    def _log_format(cls, value: str) -> str:
        text = value.strip().lower()
        if text not in ("text", "json"):
            raise ValueError("expected text or json")
        return text

    @field_validator("customer_rate_per_minute", "max_request_bytes", mode="after")
    @classmethod
    def _positive(cls, value: int) -> int:
        return max(1, value)

    @field_validator("worker_poll_seconds", "job_lease_seconds", mode="after")
    @classmethod
    def _at_least_some(cls, value: float) -> float:
        return max(0.05, value)

    @field_validator("worker_nice", mode="after")
    @classmethod
    def _nice(cls, value: int) -> int:
        return min(19, max(0, value))

    @field_validator("owner_realert_minutes", mode="after")
    @classmethod
    def _at_least_a_minute(cls, value: float) -> float:
        return max(1.0, value)

    @property
    def mpesa_allowed_networks(self) -> list[str]:
        """MPESA_ALLOWED_IPS split into its entries (empty = any source)."""
        return [part.strip() for part in self.mpesa_allowed_ips.split(",") if part.strip()]


def env_names() -> tuple[str, ...]:
    """The environment variable of every setting, in the README's order."""
    return tuple(str(f.validation_alias) for f in Settings.model_fields.values())


_ENV_NAMES = env_names()
_cache: tuple[object, Settings] | None = None


def _environment_key() -> object:
    """What the settings depend on, cheap to compare: a copy of the process environment (a C-level dict
    comparison, a few microseconds), or the values of the settings' variables where that is not available."""
    data = getattr(os.environ, "_data", None)
    return dict(data) if isinstance(data, dict) else tuple(map(os.environ.get, _ENV_NAMES))


def _unchanged(key: object) -> bool:
    data = getattr(os.environ, "_data", None)
    return data == key if isinstance(data, dict) else tuple(map(os.environ.get, _ENV_NAMES)) == key


def get_settings() -> Settings:
    """The settings for the current environment: read once, and again whenever the environment changed
    (tests and `mtaabot` commands change it between calls). Raises ConfigError."""
    global _cache
    cached = _cache
    if cached is not None and _unchanged(cached[0]):
        return cached[1]
    key = _environment_key()
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"configuration: {problems}") from None
    _cache = (key, settings)
    return settings


@contextmanager
def overridden(**values: str) -> Iterator[None]:
    """Settings read inside the block see these environment values (by variable name); the environment is
    put back afterwards. For devtools that compare two configurations in one process."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def mtaabot_home() -> Path:
    """Where local state lives (embedded database, logs); `.mtaabot/` at the project root by default."""
    return get_settings().home


def offline_models() -> None:
    """Models load only from installed packages or local paths, and tokenizers stay single-process:
    set the libraries' own variables (unless the deployment set them) before they are imported."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def settings_table() -> str:
    """The README's configuration table (markdown), generated from `Settings`."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for field in Settings.model_fields.values():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        shown = extra.get("shown")
        if shown is None:
            shown = "—" if field.default is None else f"`{field.default}`"
        rows.append(f"| `{field.validation_alias}` | {shown} | {field.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m mtaabot.config: print the README table
    print(settings_table(), end="")
