"""One language at a time: the catalogue is complete, pages hold no hard-coded texts, every page renders
wholly in Kiswahili or wholly in English, and the choice is remembered per signed-in user."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mtaabot.dashboard import i18n
from tests.dashboard.conftest import new_app, open_page, set_language, sign_in

APP = Path(__file__).resolve().parents[2] / "app"
PAGES = ("overview", "conversations", "languages", "usage", "products", "orders", "billing")


def test_every_key_has_kiswahili_and_english_with_the_same_fields() -> None:
    entries = i18n.load_catalogue()
    assert len(entries) > 200
    assert i18n.check_catalogue(entries) == []


def test_the_check_fails_when_a_language_or_a_field_is_missing(tmp_path: Path) -> None:
    broken = tmp_path / "text.toml"
    broken.write_text('[page]\ntitle = { sw = "Bidhaa", en = "Products" }\nonly_english = { en = "Orders" }\n'
                      'fields = { sw = "Oda {n}", en = "{count} orders" }\nempty = { sw = "", en = "Empty" }\n')
    problems = i18n.check_catalogue(i18n.load_catalogue(broken))
    assert "page.only_english: no Kiswahili text (sw)" in problems
    assert any(p.startswith("page.fields: fields differ") for p in problems)
    assert "page.empty: no Kiswahili text (sw)" in problems
    assert not any(p.startswith("page.title") for p in problems)


# Streamlit calls whose string arguments an owner reads: these must come from the catalogue (`t(...)`).
SHOWN_CALLS = {"title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error",
               "write", "button", "form_submit_button", "text_input", "text_area", "selectbox", "radio",
               "checkbox", "metric", "tabs", "file_uploader", "number_input", "page_link", "download_button",
               "toast", "expander", "progress", "Page", "TextColumn", "NumberColumn", "CheckboxColumn",
               "DatetimeColumn", "Column", "spinner"}
SHOWN_KEYWORDS = {"label", "help", "placeholder", "text", "title", "x_label", "y_label"}
ALLOWED = {"MtaaBot"}
OPERATOR_ONLY = {"operator.py"}  # the operator's own page (issue 22), never shown to shop owners


def _words(node: ast.AST) -> list[str]:
    """Literal words (two letters or more) a string or f-string argument would show."""
    parts: list[str] = []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts.append(node.value)
    elif isinstance(node, ast.JoinedStr):
        parts.extend(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    found = re.findall(r"[A-Za-z]{2,}", " ".join(parts))
    return [w for w in found if w not in ALLOWED]


def test_pages_show_no_hard_coded_text() -> None:
    offenders = []
    for path in sorted([*APP.glob("*.py"), *APP.glob("app_pages/*.py")]):
        if path.name in OPERATOR_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in SHOWN_CALLS:
                continue
            positional = [] if name in ("Page", "page_link") else list(node.args)  # those take a file path
            args = positional + [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            for arg in args:
                if _words(arg):
                    offenders.append(f"{path.relative_to(APP)}:{node.lineno} {name}({ast.unparse(arg)[:60]})")
    assert offenders == []


def _visible(at) -> str:
    parts: list[str] = []
    for group in (at.title, at.header, at.subheader, at.markdown, at.caption, at.info, at.success,
                  at.warning, at.error):
        parts.extend(str(e.value) for e in group)
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    parts.extend(str(b.label) for b in at.button)
    parts.extend(str(w.label) for group in (at.text_input, at.selectbox, at.radio, at.text_area) for w in group)
    parts.extend(str(tab.label) for tab in at.tabs)
    for frame in at.dataframe:
        parts.extend(str(c) for c in frame.value.columns)
    return "\n".join(parts)


def _other_language_phrases(lang: str) -> list[str]:
    """Texts of the other language that cannot appear in this one (whole entries without fields)."""
    other = "en" if lang == "sw" else "sw"
    out = []
    for entry in i18n.catalogue().values():
        phrase = entry[other]
        if entry[lang] != phrase and "{" not in phrase and len(phrase) >= 5 and phrase not in entry[lang]:
            out.append(phrase)
    return out


@pytest.mark.parametrize("lang", ["sw", "en"])
def test_every_page_renders_in_one_language(built, lang: str) -> None:
    _, (a, _b, _busy) = built
    at = sign_in(new_app(), a.api_key, lang=lang)
    phrases = _other_language_phrases(lang)
    for page in PAGES:
        if page != "overview":
            open_page(at, page)
        assert not at.exception, (page, at.exception)
        shown = _visible(at)
        assert at.title[0].value == i18n.text(lang, f"nav.{page}")
        leaked = [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", shown)]
        assert leaked == [], f"{page} in {lang} shows {leaked}"


def test_the_choice_is_remembered_per_user_and_kiswahili_is_the_default_for_mtaa_shops(shops, conn) -> None:
    from mtaabot.businesses import create_business

    a, b = shops  # both mtaa: Kiswahili unless the owner chose otherwise
    kazi = create_business(conn, name="Simu Fix", tone="kazi", whatsapp_number="254711000277")
    conn.commit()
    at = sign_in(new_app(), a.api_key, lang=None)
    assert at.title[0].value == "Muhtasari" and at.radio(key="lang_switch").value == "sw"
    set_language(at, "en")
    assert at.title[0].value == "Overview"
    again = sign_in(new_app(), a.api_key, lang=None)  # a new session: remembered from the database
    assert again.title[0].value == "Overview"
    other = sign_in(new_app(), b.api_key, lang=None)  # another shop keeps its own default
    assert other.title[0].value == "Muhtasari"
    english = sign_in(new_app(), kazi["api_key"], lang=None)
    assert english.title[0].value == "Overview"
    row = conn.execute("SELECT language FROM dashboard_preferences WHERE user_key = %s", (f"owner:{a.id}",)).fetchone()
    assert row["language"] == "en"
