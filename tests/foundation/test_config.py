"""One configuration: every setting comes from `mtaabot.config.Settings`, the README lists exactly those,
and no module outside config.py reads the environment."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mtaabot.config import ConfigError, Settings, env_names, get_settings, settings_table

ROOT = Path(__file__).resolve().parents[2]
SURFACES = ("mtaabot", "webhook", "orchestration", "app")


def _readme_table() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("<!-- settings table")
    start = text.index("\n", start) + 1
    return text[start:text.index("<!-- end of settings table -->")]


def test_readme_configuration_table_is_generated_from_settings():
    assert _readme_table() == settings_table(), "README table out of date: run `python -m mtaabot.config`"
    listed = re.findall(r"^\| `([A-Z0-9_]+)` \|", _readme_table(), flags=re.M)
    assert listed == list(env_names())
    assert len(set(listed)) == len(listed)


def test_every_variable_the_readme_documents_is_a_setting():
    """Other README tables (billing, WhatsApp, operations) may explain a variable again, never invent one."""
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9]*_[A-Z0-9_]+)`", (ROOT / "README.md").read_text(), flags=re.M))
    assert documented - set(env_names()) == set()


def _environment_reads(path: Path) -> list[int]:
    """Lines of `os.environ.get(...)`, `os.environ[...]` loads and `os.getenv(...)` in a module (PATH aside:
    it is only extended for child processes)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func
            if target.attr == "getenv" or (target.attr == "get" and ast.unparse(target.value) == "os.environ"):
                if not (node.args and ast.unparse(node.args[0]) == "'PATH'"):
                    lines.append(node.lineno)
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" \
                and isinstance(node.ctx, ast.Load) and ast.unparse(node.slice) != "'PATH'":
            lines.append(node.lineno)
    return lines


def test_no_module_reads_the_environment_outside_config():
    offenders = []
    for surface in SURFACES:
        for path in sorted((ROOT / surface).rglob("*.py")):
            if path == ROOT / "mtaabot" / "config.py":
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _environment_reads(path)]
    assert offenders == []


def test_settings_follow_the_environment_and_name_a_bad_value(monkeypatch):
    monkeypatch.setenv("WHATSAPP_RATE_PER_SECOND", "12.5")
    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "off")
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "")
    first = get_settings()
    assert first.whatsapp_rate_per_second == 12.5
    assert first.daily_ai_budget is None
    assert first.owner_quiet_hours == "22-6"  # empty = unset = the default
    assert get_settings() is first  # unchanged environment: read once
    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "40")
    assert get_settings().daily_ai_budget == 40
    monkeypatch.setenv("MTAABOT_TORCH_THREADS", "many")
    with pytest.raises(ConfigError, match="MTAABOT_TORCH_THREADS"):
        get_settings()
    monkeypatch.setenv("MTAABOT_TORCH_THREADS", "2")
    monkeypatch.setenv("MTAABOT_OWNER_QUIET_HOURS", "late")
    with pytest.raises(ConfigError, match="MTAABOT_OWNER_QUIET_HOURS"):
        get_settings()


def test_an_empty_secret_key_is_not_silently_replaced_by_the_key_file(monkeypatch):
    monkeypatch.setenv("MTAABOT_SECRET_KEY", "")
    assert get_settings().secret_key == ""
    from mtaabot import secretbox

    with pytest.raises(secretbox.SecretKeyError, match="empty"):
        secretbox.keys()


def test_every_setting_is_documented_and_typed():
    for name, field in Settings.model_fields.items():
        assert field.description, name
        assert field.annotation is not None, name


def test_a_devtool_can_read_settings_under_another_value_and_gets_the_old_one_back(monkeypatch):
    from mtaabot.config import overridden

    monkeypatch.setenv("MTAABOT_DAILY_AI_BUDGET", "40")
    monkeypatch.delenv("MTAABOT_RETRIEVAL_LEARNED", raising=False)
    with overridden(MTAABOT_DAILY_AI_BUDGET="7", MTAABOT_RETRIEVAL_LEARNED="0"):
        assert get_settings().daily_ai_budget == 7 and get_settings().retrieval_learned is False
    assert get_settings().daily_ai_budget == 40 and get_settings().retrieval_learned is True
