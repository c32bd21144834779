"""Shops' secrets at rest: WhatsApp access tokens encrypted with Fernet (`cryptography`), verify tokens hashed.

Keys: `MTAABOT_SECRET_KEY` holds one or more Fernet keys separated by commas, the first encrypts and all
decrypt (MultiFernet), so a key can be rotated without downtime. When it is unset, the key lives in
`MTAABOT_HOME/secret.key` (created on first use, permissions 0600; one key per line, first = current), so
`make run` needs no set-up. Back the key up apart from database backups: without it the tokens cannot be
read (shops then reconnect WhatsApp).

Stored form: `fernet:` + token. A value without the prefix is a token stored before encryption existed:
it is still read as is, and `mtaabot secrets rotate` encrypts it. A ciphertext the configured keys cannot
open raises SecretKeyError naming the variable: nothing is ever decrypted wrongly or sent with a wrong token.
Verify tokens are only compared, never sent: they are stored as `sha256$<hex>` (migration 0801).
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import psycopg
import psycopg.rows
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from mtaabot.config import get_settings

log = logging.getLogger(__name__)

PREFIX = "fernet:"
ENV = "MTAABOT_SECRET_KEY"
KEY_FILE = "secret.key"


class SecretKeyError(RuntimeError):
    """The secret key is missing, malformed or not the one the stored secrets were encrypted with."""


def key_file() -> Path:
    return get_settings().home / KEY_FILE


def _parse(raw: str, where: str) -> list[bytes]:
    keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    if not keys:
        raise SecretKeyError(f"{where} is empty: it must hold a Fernet key (generate one with "
                             "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)")
    for key in keys:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(f"{where} is not a valid Fernet key (32 url-safe base64-encoded bytes, 44 characters); "
                                 "several keys are separated by commas, the first one encrypts") from exc
    return [k.encode() for k in keys]


def _write_key_file(path: Path, keys: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(k.decode() for k in keys) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def keys() -> list[bytes]:
    """The configured keys, current first (from MTAABOT_SECRET_KEY, else the key file, created when missing)."""
    raw = get_settings().secret_key
    if raw is not None:
        return _parse(raw, ENV)
    path = key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it at the same moment: read theirs
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(Fernet.generate_key().decode() + "\n")
    return _parse(path.read_text(), f"the key file {path} (used because {ENV} is unset)")


def key_source() -> str:
    return ENV if get_settings().secret_key is not None else f"{key_file()} ({ENV} unset)"


def _box(key_list: list[bytes] | None = None) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in (key_list or keys())])


_current: tuple[tuple[object, ...], MultiFernet] | None = None


def _key_stamp() -> tuple[object, ...] | None:
    """What the configured keys are read from, as it is now: the variable's value, or the key file's identity
    (inode, size, change and modification times: a rotation replaces the file). None: no key file yet."""
    raw = get_settings().secret_key
    if raw is not None:
        return ("env", raw)
    path = key_file()
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return ("file", str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _current_box() -> MultiFernet:
    """The box of the configured keys, built again only when they changed (the sender decrypts a token per
    send: reading and parsing the key file each time cost ~10 % of its CPU). The stamp is taken before the keys
    are read, so a file replaced in between is read again on the next call."""
    global _current
    stamp = _key_stamp()
    cached = _current
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    box = _box()
    if stamp is not None:
        _current = (stamp, box)
    return box


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)


def encrypt(plain: str | None) -> str | None:
    if plain is None or is_encrypted(plain):
        return plain
    return PREFIX + _box().encrypt(plain.encode()).decode()


def decrypt(stored: str | None) -> str | None:
    """The clear secret (a legacy clear value is returned as is)."""
    if not is_encrypted(stored):
        return stored
    try:
        return _current_box().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise SecretKeyError(f"a stored secret cannot be decrypted with the key from {key_source()}: wrong or "
                             f"missing key (set {ENV} to the key it was encrypted with; old keys may follow "
                             "the current one, comma-separated)") from exc


def hash_verify_token(token: str) -> str:
    return "sha256$" + hashlib.sha256(token.encode()).hexdigest()


def check(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Which stored access tokens the configured keys cannot open (`undecryptable`) and which are still in
    clear (`clear`), by business id; both empty when all is well. Raises SecretKeyError for a malformed key."""
    box = _box()
    out: dict[str, list[str]] = {"undecryptable": [], "clear": []}
    for bid, value in conn.cursor(row_factory=psycopg.rows.tuple_row).execute(
            "SELECT business_id, whatsapp_access_token FROM api_configs WHERE whatsapp_access_token IS NOT NULL"):
        if not is_encrypted(value):
            out["clear"].append(str(bid))
            continue
        try:
            box.decrypt(value[len(PREFIX):].encode())
        except InvalidToken:
            out["undecryptable"].append(str(bid))
    return out


def require_working_key(conn: psycopg.Connection, *, service: str) -> None:
    """Refuse to start `service` with a malformed key, or one that opens none of the stored WhatsApp access
    tokens (a wrong key, or the key file lost and a new one generated), naming the variable: nothing would ever
    be sent. Some tokens unreadable: a warning, the other shops keep working."""
    keys()  # malformed: SecretKeyError naming MTAABOT_SECRET_KEY or the key file
    (tables,) = conn.cursor(row_factory=psycopg.rows.tuple_row).execute(
        "SELECT to_regclass('api_configs') IS NOT NULL").fetchone() or (False,)
    if not tables:  # a database not migrated yet holds no secrets
        conn.rollback()
        return
    result = check(conn)
    (encrypted,) = conn.cursor(row_factory=psycopg.rows.tuple_row).execute(
        "SELECT count(*) FROM api_configs WHERE whatsapp_access_token LIKE 'fernet:%'").fetchone() or (0,)
    conn.rollback()
    bad = len(result["undecryptable"])
    if encrypted and bad == encrypted:
        raise SecretKeyError(
            f"none of the {encrypted} stored WhatsApp access token(s) can be decrypted with the key from "
            f"{key_source()}: wrong or missing key. Set {ENV} to the key they were encrypted with (old keys may "
            f"follow the current one, comma-separated); {service} did not start")
    if bad:
        log.warning("%d stored WhatsApp access token(s) cannot be decrypted with the key from %s; those shops' "
                    "replies will fail until the right key is configured", bad, key_source())


def rotate(conn: psycopg.Connection, new_key: bytes | None = None) -> dict[str, object]:
    """Re-encrypt every stored secret under the current key (MTAABOT_SECRET_KEY's first key), or, with the key
    file, under a newly generated key that replaces the file's keys once the database is committed by the
    caller. Clear legacy values are encrypted too. Returns what it did (no secrets)."""
    current = keys()
    env_managed = get_settings().secret_key is not None
    if env_managed:
        if new_key is not None:
            raise SecretKeyError(f"{ENV} is set: put the new key first in {ENV} (old ones after it) and run rotate again")
        target = current
    else:
        new_key = new_key or Fernet.generate_key()
        target = [new_key, *current]
        _write_key_file(key_file(), target)  # both keys readable while the database changes
    box = _box(target)
    old_box = _box(current)
    rows = conn.execute("SELECT id, whatsapp_access_token AS t FROM api_configs "
                        "WHERE whatsapp_access_token IS NOT NULL FOR UPDATE").fetchall()
    rotated = encrypted_now = 0
    for row in rows:
        value = row["t"]
        if is_encrypted(value):
            try:
                plain = old_box.decrypt(value[len(PREFIX):].encode())
            except InvalidToken as exc:
                raise SecretKeyError(f"api_configs row {row['id']}: the access token cannot be decrypted with the key "
                                     f"from {key_source()}; nothing was changed") from exc
            rotated += 1
        else:
            plain = value.encode()
            encrypted_now += 1
        conn.execute("UPDATE api_configs SET whatsapp_access_token = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s",
                     (PREFIX + box.encrypt(plain).decode(), row["id"]))
    verify = conn.execute(
        """UPDATE api_configs SET webhook_verify_token = 'sha256$' || encode(sha256(convert_to(webhook_verify_token,
               'UTF8')), 'hex') WHERE webhook_verify_token IS NOT NULL AND webhook_verify_token NOT LIKE 'sha256$%'"""
    ).rowcount
    return {"key_source": key_source(), "reencrypted": rotated, "encrypted_from_clear": encrypted_now,
            "verify_tokens_hashed": verify, "new_key_generated": not env_managed}


def finish_rotation() -> None:
    """After the caller committed `rotate` with the key file: keep only the new key in the file."""
    if get_settings().secret_key is None:
        current = keys()
        _write_key_file(key_file(), current[:1])
