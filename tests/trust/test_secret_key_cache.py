"""The sender decrypts a shop's access token on every send with a box of the configured keys that is built
once and kept: it must still follow every change of the keys — a rotation of the key file (by another
process: `mtaabot secrets rotate`), a new MTAABOT_SECRET_KEY, a key file created on first use."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from mtaabot import secretbox


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MTAABOT_HOME", str(tmp_path))
    monkeypatch.delenv("MTAABOT_SECRET_KEY", raising=False)
    return tmp_path


def _under(key: bytes, plain: str) -> str:
    return secretbox.PREFIX + Fernet(key).encrypt(plain.encode()).decode()


def test_a_key_file_rotated_by_another_process_is_seen_at_the_next_decrypt(home: Path) -> None:
    stored = secretbox.encrypt("EAAG-token-one")  # creates the key file on first use
    assert secretbox.decrypt(stored) == "EAAG-token-one"
    assert secretbox.decrypt(stored) == "EAAG-token-one"  # the kept box

    # what `mtaabot secrets rotate` does in its own process: new key first, old one after, then only the new one
    old = secretbox.keys()
    new = Fernet.generate_key()
    secretbox._write_key_file(secretbox.key_file(), [new, *old])
    under_new = _under(new, "EAAG-token-two")
    assert secretbox.decrypt(under_new) == "EAAG-token-two"
    assert secretbox.decrypt(stored) == "EAAG-token-one"  # both keys open while the database changes

    secretbox._write_key_file(secretbox.key_file(), [new])  # finish_rotation: only the new key left
    assert secretbox.decrypt(under_new) == "EAAG-token-two"
    with pytest.raises(secretbox.SecretKeyError):
        secretbox.decrypt(stored)  # the dropped key no longer opens anything, though its box was kept


def test_a_key_file_rewritten_in_place_with_the_same_length_is_seen(home: Path) -> None:
    stored = secretbox.encrypt("EAAG-token-one")
    other = Fernet.generate_key()  # same length as the first key: only the file's times and inode tell
    secretbox.key_file().write_text(other.decode() + "\n")
    with pytest.raises(secretbox.SecretKeyError):
        secretbox.decrypt(stored)
    assert secretbox.decrypt(_under(other, "EAAG-token-three")) == "EAAG-token-three"


def test_a_changed_secret_key_variable_is_seen(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setenv("MTAABOT_SECRET_KEY", first.decode())
    stored = _under(first, "EAAG-token-env")
    assert secretbox.decrypt(stored) == "EAAG-token-env"
    monkeypatch.setenv("MTAABOT_SECRET_KEY", second.decode())
    with pytest.raises(secretbox.SecretKeyError):
        secretbox.decrypt(stored)
    monkeypatch.setenv("MTAABOT_SECRET_KEY", f"{second.decode()},{first.decode()}")
    assert secretbox.decrypt(stored) == "EAAG-token-env"
    monkeypatch.delenv("MTAABOT_SECRET_KEY")  # back to the key file (created now): the env key is gone
    with pytest.raises(secretbox.SecretKeyError):
        secretbox.decrypt(stored)


def test_the_box_is_built_once_while_the_keys_stay_the_same(home: Path) -> None:
    secretbox.encrypt("EAAG-token")
    assert secretbox._current_box() is secretbox._current_box()
