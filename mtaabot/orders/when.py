"""Booking dates and times as customers write them, read in Africa/Nairobi time.

Days: leo/today, kesho/tomorrow, keshokutwa/"day after tomorrow", Swahili and English weekday names
(Jumatatu … Jumapili, mon … sunday), dates ("8th december", "december 8", "tarehe 10", "on the 12th": the next
such date). Times: `10am`, `10:30am`, `14:00`, `saa nne` (Swahili hours
count from 6 o'clock: saa moja = 7:00, saa nne = 10:00, saa kumi = 16:00), `saa nne na nusu`,
`saa mbili usiku`, and parts of the day alone (asubuhi/morning 9:00, mchana/afternoon 14:00,
jioni/evening 17:00).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mtaabot.orders.quantities import ONES, TENS

NAIROBI = ZoneInfo("Africa/Nairobi")
WEEKDAYS = {  # Monday = 0
    "jumatatu": 0, "jumanne": 1, "jumatano": 2, "alhamisi": 3, "ijumaa": 4, "jumamosi": 5, "jumapili": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
PARTS = {"asubuhi": ("am", 9), "morning": ("am", 9), "alfajiri": ("dawn", 6), "mchana": ("noon", 14),
         "afternoon": ("noon", 14), "jioni": ("pm", 17), "evening": ("pm", 17), "usiku": ("night", 20),
         "night": ("night", 20)}
MONTHS = {name: i + 1 for i, names in enumerate((
    "january jan januari", "february feb februari", "march mar machi", "april apr aprili", "may mei",
    "june jun juni", "july jul julai", "august aug agosti", "september sep sept septemba", "october oct oktoba",
    "november nov novemba", "december dec desemba disemba")) for name in names.split()}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_NTH = r"(\d{1,2})(?:st|nd|rd|th)?"
# "8th december", "8 of dec", "december 8", "tarehe 10", "tarehe 10 desemba", "on the 12th", "the 12th"
_DATE = re.compile(rf"\b(?:{_NTH}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_NTH}|tarehe\s+{_NTH}(?:\s+{_MONTH})?"
                   rf"|(?:on\s+)?the\s+(\d{{1,2}})(?:st|nd|rd|th)(?!\s+(?:one|ones|option|item|product|service|kind|type|choice)\b))\b")
# days people name instead of a date, and a date said as a bare ordinal ("Christmas day, 25th at 10am" was booked
# for today): read as the date they are
_HOLIDAYS = ((re.compile(r"\b(?:christmas|xmas|krismasi) eve\b"), "24 december"),
             (re.compile(r"\b(?:christmas|xmas|krismasi)(?: day)?\b"), "25 december"),
             (re.compile(r"\bboxing day\b"), "26 december"), (re.compile(r"\bjamhuri(?: day)?\b"), "12 december"),
             (re.compile(r"\bnew year'?s?(?: day)?\b|\bmwaka mpya\b"), "1 january"))
_BARE_NTH = re.compile(r"(?<!\bthe )(?<!\bya )(?<!\bza )(?<!\bile )\b(\d{1,2})(st|nd|rd|th)\b"
                       r"(?!\s+(?:of\b|one|ones|option|item|product|service|kind|type|choice|" + _MONTH[1:-1] + r"))")
_NOON = re.compile(r"\b(?:noon|midday|mid-day|12 noon)\b")
# a day or month word inside one of the shop's product names ("Fresh Fri Cooking Oil 3L") is no day: "na fresh fri?"
# made the cart of oil a booking for Friday (probes s29). `names_kept` sets the phrases for the message being read.
CALENDAR_WORD = re.compile(r"\b(?:" + "|".join(sorted([*WEEKDAYS, *MONTHS], key=len, reverse=True)) + r")\b")
_NAMED_PAIRS: ContextVar[tuple[re.Pattern[str], ...]] = ContextVar("_NAMED_PAIRS", default=())


@contextmanager
def names_kept(names: Iterable[str]) -> Iterator[None]:
    """While reading one message: a day or month word said beside its neighbour in one of these product names is
    part of the name, not a date."""
    pairs = []
    for name in names:
        ws = re.findall(r"[a-z0-9]+", name.lower())
        for i, w in enumerate(ws):
            if CALENDAR_WORD.fullmatch(w):
                pairs += [rf"(?<=\b{re.escape(ws[i - 1])} ){w}\b"] * (i > 0) \
                    + [rf"\b{w}(?= {re.escape(ws[i + 1])}\b)"] * (i + 1 < len(ws))
    token = _NAMED_PAIRS.set(tuple(re.compile(p) for p in pairs))
    try:
        yield
    finally:
        _NAMED_PAIRS.reset(token)


def _names_hidden(t: str) -> str:
    """`t` (lower case) with the calendar words of product names upper-cased, out of every day pattern's reach."""
    for rx in _NAMED_PAIRS.get():
        t = rx.sub(lambda m: m.group(0).upper(), t)
    return t


def _named_days(t: str) -> str:
    """`t` with holidays as dates, bare ordinals as "the 25th" and noon as 12pm."""
    for rx, day in _HOLIDAYS:
        t = rx.sub(f" {day} ", t)
    return _NOON.sub(" 12pm ", _BARE_NTH.sub(r"the \1\2", t))


# a normalised "5:30pm" is "5 30pm": the minutes are still there
_SPACED_CLOCK = re.compile(r"\b(\d{1,2}) ([0-5]\d)(?=\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w))")
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:])")
_SAA = re.compile(r"\bsaa\s+(" + "|".join(sorted(set(ONES) | {"kumi"}, key=len, reverse=True))
                  + r"|\d{1,2})(\s+na\s+(?:" + "|".join(k for k in ONES if ONES[k] <= 2) + r"))?(\s+na\s+(nusu|robo))?\b")


@dataclass(frozen=True)
class When:
    day: date | None
    at: time | None
    day_said: bool = True  # False when `day` is only the next time `at` comes round ("at 10am" alone)

    def moment(self) -> datetime | None:
        if self.day is None or self.at is None:
            return None
        return datetime.combine(self.day, self.at, tzinfo=NAIROBI)

    @property
    def found(self) -> bool:
        return self.day is not None or self.at is not None


def _swahili_hour(n: int, part: str | None) -> int:
    clock = n + 6 if n <= 6 else n - 6  # saa moja = 7, saa sita = 12, saa saba = 1, saa kumi na mbili = 6
    if part == "night":
        return clock + 12 if clock < 12 and clock >= 6 else clock % 24 if clock < 6 else clock
    if part in ("pm", "noon"):
        return clock + 12 if clock < 12 else clock
    if part == "am" or part == "dawn":
        return clock % 12 if clock == 12 and part == "dawn" else clock if n <= 6 else clock
    # no part of day: saa moja … saa sita are morning (7-12), saa saba … kumi na mbili afternoon (13-18)
    return clock if n <= 6 else clock + 12


def _date(m: re.Match[str], today: date) -> date | None:
    """The next such date from today on: the day of this month (or the next), in this year (or the next)."""
    groups = m.groups()
    number = next(int(g) for g in (groups[0], groups[3], groups[4], groups[6]) if g)
    month_word = groups[1] or groups[2] or groups[5]
    for ahead in range(13):
        month = MONTHS[month_word] if month_word else (today.month - 1 + ahead) % 12 + 1
        year = today.year + (1 if month_word and month < today.month
                             else (today.month - 1 + ahead) // 12 if not month_word else 0)
        try:
            when = date(year, month, number)
        except ValueError:
            if month_word:
                return None
            continue
        if when >= today:
            return when
        if month_word:
            return date(year + 1, month, number) if (month, number) != (2, 29) else None
    return None


def parse_when(text: str, now: datetime | None = None) -> When:
    """The day and time a message asks for (either may be None)."""
    now = (now or datetime.now(NAIROBI)).astimezone(NAIROBI)
    t = " " + _SPACED_CLOCK.sub(r"\1:\2", _named_days(_names_hidden(re.sub(r"\s+", " ", text.lower())))) + " "
    day: date | None = None
    dated = _DATE.search(t)
    if dated:
        day = _date(dated, now.date())
        t = t[:dated.start()] + " " + t[dated.end():]  # "tarehe 10" is no time "at 10"
    if day is not None:
        pass
    elif re.search(r"\b(keshokutwa|kesho kutwa|day after tomorrow)\b", t):
        day = now.date() + timedelta(days=2)
    elif re.search(r"\b(kesho|tomorrow|tmrw|tmr)\b", t):
        day = now.date() + timedelta(days=1)
    elif re.search(r"\b(leo|today|tonight|leo jioni)\b", t):
        day = now.date()
    else:
        for word, wd in WEEKDAYS.items():
            if re.search(rf"\b{word}\b", t):
                ahead = (wd - now.weekday()) % 7
                if re.search(r"\b(?:wiki ijayo|wiki inayokuja|wiki ijao|next week)\b", t):
                    # "wiki ijayo Jumanne": the Tuesday of next week (Monday to Sunday), not tomorrow
                    day = now.date() + timedelta(days=7 - now.weekday() + wd)
                elif re.search(rf"\bnext {word}\b|\b{word} (?:ijayo|inayokuja|ijao)\b", t):
                    # "next monday", "jumatatu ijayo" said on a Monday: a week on, never today
                    day = now.date() + timedelta(days=ahead or 7)
                else:
                    # "jumatatu" said at 00:30 on a Monday is today, not a week on
                    day = now.date() + timedelta(days=ahead or (0 if now.hour < 5 else 7))
                break
    saa = _asked_saa(t)
    # the part of the day said in the clause of the time asked ("jumamosi asubuhi mapema? niko na harusi saa nane":
    # the wedding's 2pm is no 2am booking)
    scope = t if saa is None or len(_SAA.findall(t)) < 2 and len(re.split(r"[,.?!;]", t)) < 2 else _clause_of(t, saa)
    part = next((PARTS[w] for w in PARTS if re.search(rf"\b{w}\b", scope)), None)
    at: time | None = None
    if saa:
        word = saa.group(1)
        n = int(word) if word.isdigit() else (ONES.get(word) or TENS.get(word, 0))
        if word == "kumi" and saa.group(2):
            n = 10 + ONES[saa.group(2).split()[-1]]
        if 1 <= n <= 12:
            minute = {"nusu": 30, "robo": 15}.get(saa.group(4) or "", 0)
            at = time(_swahili_hour(n, part[0] if part else None) % 24, minute)
    if at is None:
        for m in _CLOCK.finditer(t):
            hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").replace(".", "")
            if not ampm and not m.group(2):
                before = t[max(0, m.start() - 4):m.start()]
                if "at " not in before and "@" not in before:
                    continue  # a bare number is a quantity or a model ("Spark 20"), not a time
            if hour > 23 or minute > 59:
                continue
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            elif not ampm and hour < 7 and (not part or part[0] != "am"):
                hour += 12  # "at 3" for a shop appointment means 3pm
            at = time(hour, minute)
            break
    if at is None and part:
        at = time(part[1], 0)
    if at is not None and day is None:
        day = now.date() if datetime.combine(now.date(), at, tzinfo=NAIROBI) > now else now.date() + timedelta(days=1)
        return When(day, at, day_said=False)
    return When(day, at)


# "nina appointment ingine saa tano", "niko na harusi saa nane", "I have a meeting at ...": a time of something else
_OTHER_EVENT = re.compile(r"\b(?:nina|niko na|nitakuwa na|kuna|i have|i've got|i got|i'?m at|my)\s+(?:\w+\s+)?"
                          r"(?:appointment|miadi|harusi|wedding|kazi|work|meeting|mkutano|class|darasa|event|sherehe|"
                          r"party|safari|flight|interview|church|kanisa|funeral|mazishi|exam|mtihani)\b")
_INSTEAD = re.compile(r"\b(?:badala ya|instead of)\b")


def _clause_of(t: str, m: re.Match[str]) -> str:
    start = max(t.rfind(c, 0, m.start()) for c in ",.?!;")
    ends = [i for c in ",.?!;" if (i := t.find(c, m.end())) != -1]
    return t[start + 1:min(ends) if ends else len(t)]


def _asked_saa(t: str) -> re.Match[str] | None:
    """The "saa ..." time asked for: the first, unless another clause's time is of something else the customer has
    ("nina appointment ingine saa tano, mnaweza saa tatu?": 9am) or is the one replaced ("saa tano badala ya saa
    nne": 11am)."""
    found = list(_SAA.finditer(t))
    kept = [m for m in found if not _OTHER_EVENT.search(_clause_of(t, m)[:m.start()])
            and not _INSTEAD.search(t[max(0, m.start() - 14):m.start()])]
    return kept[0] if kept else (found[0] if len(found) > 1 else None)


_DAY_WORDS = re.compile(r"\b(?:keshokutwa|kesho kutwa|day after tomorrow|kesho|tomorrow|tmrw|tmr|leo|today|tonight|"
                        r"(?:this|next) week(?:end)?|wiki (?:hii|ijayo))\b")
_NAMED = re.compile(r"\b(?:" + "|".join(sorted(list(WEEKDAYS) + list(PARTS), key=len, reverse=True)) + r")\b")
_TIMED_CLOCK = re.compile(r"(?:\b(?:at|@)\s*)?\b\d{1,2}(?:[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\s*(?:am|pm|a\.m\.|p\.m\.))"
                          r"(?![\w:])|(?:\b(?:at)\s+|@\s*)\d{1,2}\b(?![\w:.])")


def without_when(text: str) -> str:
    """The text with every day and time expression `parse_when` reads taken out ("braids tomorrow 10am" ->
    "braids"), so that what a customer asked FOR can be said back without the when."""
    t = " " + _named_days(_names_hidden(re.sub(r"\s+", " ", text.lower()))) + " "
    t = _SPACED_CLOCK.sub(r"\1:\2", t)
    for rx in (_DATE, _SAA, _DAY_WORDS, _NAMED, _TIMED_CLOCK):
        t = rx.sub(" ", t)
    return re.sub(r"\s+", " ", t).strip().lower()

