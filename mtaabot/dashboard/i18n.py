"""One language at a time for the owner dashboard: the message catalogue and language-aware formats.

Every label, empty state, error and format pattern the dashboard shows lives in
`mtaabot/data/dashboard_text.toml`, one entry per key with a Kiswahili (`sw`) and an English (`en`)
text. `text(lang, key, **fields)` fills `{fields}`; `check_catalogue` is what the completeness test runs
(every key in both languages, the same `{fields}` in both).

Numbers: KES with thousands separators (`KES 1,450`) in both languages; dates and times in
Africa/Nairobi with the month names of the owner's language.
"""

from __future__ import annotations

import functools
import string
import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

Lang = Literal["sw", "en"]
LANGS: tuple[Lang, ...] = ("sw", "en")
LANGUAGE_LABELS: dict[str, str] = {"sw": "Kiswahili", "en": "English"}  # each in its own language
CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "dashboard_text.toml"
NAIROBI = ZoneInfo("Africa/Nairobi")
SWAHILI_TONES = ("mtaa", "rafiki")


def default_language(tone: str | None) -> Lang:
    """Kiswahili for shops that speak mtaa or rafiki to their customers, English otherwise."""
    return "sw" if (tone or "") in SWAHILI_TONES else "en"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if not isinstance(value, dict):
            raise ValueError(f"{full}: expected a table with sw and en")
        if set(value) & set(LANGS):
            out[full] = value
        else:
            out.update(_flatten(value, full + "."))
    return out


def load_catalogue(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """{key: {"sw": ..., "en": ...}} from a TOML catalogue (nested tables become dotted keys)."""
    with open(path, "rb") as fh:
        return _flatten(tomllib.load(fh))


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    return load_catalogue()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_catalogue(entries: dict[str, dict[str, str]]) -> list[str]:
    """Problems that make a catalogue unusable: a key missing a language (or empty), an unknown language,
    or `{fields}` that differ between the languages. Empty list = complete."""
    problems = []
    for key, entry in sorted(entries.items()):
        for lang in LANGS:
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                problems.append(f"{key}: no {LANGUAGE_LABELS[lang]} text ({lang})")
        extra = set(entry) - set(LANGS)
        if extra:
            problems.append(f"{key}: unknown language(s) {sorted(extra)}")
        if all(isinstance(entry.get(lang), str) for lang in LANGS):
            try:
                sw, en = _fields(entry["sw"]), _fields(entry["en"])
            except ValueError as exc:
                problems.append(f"{key}: bad braces ({exc})")
                continue
            if sw != en:
                problems.append(f"{key}: fields differ (sw {sorted(sw)}, en {sorted(en)})")
    return problems


def normalise(lang: str | None) -> Lang:
    return "en" if lang == "en" else "sw"


def text(lang: str | None, key: str, **fields: Any) -> str:
    """The catalogue text for `key` in `lang`, with `{fields}` filled in. An unknown key raises KeyError
    (the tests render every page, so a typo fails there, never silently in front of an owner)."""
    entry = catalogue()[key]
    template = entry[normalise(lang)]
    return template.format(**fields) if fields else template


def text_or(lang: str | None, key: str, fallback: str) -> str:
    """For values that come from the database (a status, a reason): the catalogue text when there is one."""
    entry = catalogue().get(key)
    return entry[normalise(lang)] if entry else fallback


# ---- formats ------------------------------------------------------------------------------------

def kes(amount: Any) -> str:
    """`KES 1,450` (cents only when there are any); '—' for a missing amount. Same in both languages."""
    if amount is None:
        return "—"
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return f"KES {int(value):,}"
    return f"KES {value:,.2f}"


def number(value: Any) -> str:
    return "—" if value is None else f"{int(value):,}"


def percent(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def minutes(lang: str | None, value: Any) -> str:
    if value is None:
        return "—"
    total = round(float(value))
    if total < 60:
        return text(lang, "fmt.minutes", n=total)
    hours, mins = divmod(total, 60)
    return text(lang, "fmt.hours_minutes", h=hours, m=mins) if mins else text(lang, "fmt.hours", h=hours)


def _month(lang: str | None, month: int) -> str:
    return text(lang, "fmt.months").split(",")[month - 1].strip()


def local(value: datetime) -> datetime:
    return value.astimezone(NAIROBI) if value.tzinfo is not None else value


def day(lang: str | None, value: date | datetime | str | None, *, with_time: bool | None = None) -> str:
    """`25 Nov 2026 21:30` / `25 Nov 2026 21:30` (Swahili month names), Nairobi time; '—' when missing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    timed = isinstance(value, datetime) if with_time is None else with_time
    if isinstance(value, datetime):
        value = local(value)
    out = f"{value.day:02d} {_month(lang, value.month)} {value.year}"
    if timed and isinstance(value, datetime):
        out += f" {value:%H:%M}"
    return out


def local_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return local(value).date()
    return value


def days_left(lang: str | None, days: Any) -> str:
    if days is None:
        return "—"
    days = int(days)
    if days < 0:
        return text(lang, "fmt.expired_days_ago", n=-days)
    return text(lang, "fmt.one_day" if days == 1 else "fmt.days", n=days)


def language_name(lang: str | None, code: str | None) -> str:
    """A detected customer language (SHENG/SWA/ENG/UNKNOWN) in the owner's language."""
    return text_or(lang, f"customer_language.{code or 'UNKNOWN'}", str(code or "—"))


_CSV_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"price '?(?P<value>.*?)'? is not a number", "csv.price_not_number"),
    (r"^price: .*(greater than|at least|negative)", "csv.price_negative"),
    (r"^price: (Field required|Input should be a valid decimal)", "csv.price_missing"),
    (r"^name: ", "csv.name_missing"),
    (r"is_available '?(?P<value>.*?)'? must be true or false", "csv.available"),
    (r"^metadata: ", "csv.metadata"),
    (r"^stock: ", "csv.stock"),
    (r"duplicate name in this file", "csv.duplicate"),
    (r"too many fields", "csv.too_many_fields"),
    (r"missing column\(s\): (?P<columns>[^;]*)", "csv.missing_columns"),
    (r"not readable as CSV", "csv.unreadable"),
    (r"larger than", "csv.too_big"),
    (r"not UTF-8", "csv.not_utf8"),
    (r"database rejected row", "csv.rejected"),
)


def csv_error(lang: str | None, error: str) -> str:
    """A catalogue import's row error (`mtaabot.products.import_csv`) in the owner's language; each of a
    row's problems ('field: message; ...') is explained on its own."""
    import re

    whole = re.search(r"missing column\(s\): (?P<columns>[^;]*)", str(error))
    if whole:  # one problem, whose text has its own '; '
        return text(lang, "csv.missing_columns", columns=whole["columns"])
    out = []
    for part in [p.strip() for p in str(error).split("; ") if p.strip()]:
        for pattern, key in _CSV_PATTERNS:
            match = re.search(pattern, part)
            if match:
                fields = {k: v for k, v in match.groupdict().items() if v is not None}
                out.append(text(lang, key, **fields))
                break
        else:
            out.append(text(lang, "csv.other", error=part))
    return "; ".join(dict.fromkeys(out))
