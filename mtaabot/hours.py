"""Opening hours as shops write them, as a per-day schedule in Africa/Nairobi time.

Understood: English and Swahili day names and ranges (`Mon-Sat`, `Jumatatu-Jumamosi`, `Sun`, `Jumapili`,
`daily`, `kila siku`, `weekdays`), times `7am-9pm`, `6:30am-10pm`, `08:00-18:00`, `9-13`, Swahili time
(`saa moja asubuhi hadi saa tatu usiku`: Swahili hours count from 6 o'clock, so saa moja = 7:00), several
parts separated by `,` or `;` (`Mon-Fri 8am-6pm, Sat 9am-1pm`), and `closed`/`imefungwa` for a day.
`parse_opening_hours` returns None for text it cannot read (callers then do not check hours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")
DAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3, "thur": 3,
    "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
    "jumatatu": 0, "jumanne": 1, "jumatano": 2, "alhamisi": 3, "ijumaa": 4, "jumamosi": 5, "jumapili": 6,
}
_SWAHILI_HOURS = {"moja": 1, "mbili": 2, "tatu": 3, "nne": 4, "tano": 5, "sita": 6, "saba": 7, "nane": 8,
                  "tisa": 9, "kumi": 10, "kumi na moja": 11, "kumi na mbili": 12}
_DAY = "|".join(sorted(DAYS, key=len, reverse=True))
_DAY_SPEC = re.compile(rf"\b({_DAY})\b(?:\s*(?:-|–|to|hadi|mpaka)\s*\b({_DAY})\b)?")
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(_CLOCK + r"\s*(?:-|–|to|hadi|mpaka)\s*" + _CLOCK)
_SAA = re.compile(r"saa\s+(kumi na mbili|kumi na moja|" + "|".join(_SWAHILI_HOURS) + r")\s*(asubuhi|mchana|jioni|usiku)?")


@dataclass
class Schedule:
    """Open intervals per weekday (Monday = 0), in local (Nairobi) time."""

    days: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    text: str = ""

    def intervals_on(self, d: date) -> list[tuple[time, time]]:
        return list(self.days.get(d.weekday(), []))

    def is_open(self, dt: datetime) -> bool:
        local = dt.astimezone(NAIROBI) if dt.tzinfo else dt.replace(tzinfo=NAIROBI)
        t = local.time().replace(tzinfo=None)
        return any(start <= t < end for start, end in self.intervals_on(local.date()))

    def next_open(self, dt: datetime) -> datetime | None:
        """When the shop next opens at or after `dt` (dt itself when open now); None if never."""
        local = dt.astimezone(NAIROBI) if dt.tzinfo else dt.replace(tzinfo=NAIROBI)
        if self.is_open(local):
            return local
        for ahead in range(0, 8):
            day = local.date() + timedelta(days=ahead)
            for start, _end in sorted(self.intervals_on(day)):
                moment = datetime.combine(day, start, tzinfo=NAIROBI)
                if moment >= local:
                    return moment
        return None


def _clock(hour: str, minute: str | None, ampm: str | None, *, is_end: bool) -> time | None:
    h, m = int(hour), int(minute or 0)
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    elif ampm is None and is_end and h < 12 and h <= 8:
        h += 12  # "9-6" means 9am to 6pm
    if h == 24 and m == 0:
        return time(23, 59, 59)
    if not (0 <= h < 24 and 0 <= m < 60):
        return None
    return time(h, m)


def _swahili_time(word: str, part: str | None) -> time:
    n = _SWAHILI_HOURS[word]
    clock = n + 6 if n <= 6 else n - 6  # saa moja = 7, saa sita = 12, saa saba = 1, saa kumi na mbili = 6
    if part in ("jioni", "usiku", "mchana") and clock < 12:
        clock += 12
    elif part is None and n > 6:
        clock += 12
    return time(clock % 24, 0)


def _times(part: str) -> list[tuple[time, time]]:
    saa = list(_SAA.finditer(part))
    if len(saa) >= 2:
        start = _swahili_time(saa[0].group(1), saa[0].group(2))
        end = _swahili_time(saa[1].group(1), saa[1].group(2))
        return [(start, end)] if start < end else []
    found = []
    for m in _RANGE.finditer(part):
        start_ampm = m.group(3) or (None if m.group(6) != "pm" or int(m.group(1)) >= int(m.group(4)) else None)
        start = _clock(m.group(1), m.group(2), start_ampm, is_end=False)
        end = _clock(m.group(4), m.group(5), m.group(6), is_end=True)
        if start and end and start < end:
            found.append((start, end))
    return found


def parse_opening_hours(text: str | None) -> Schedule | None:
    """The schedule `text` describes, or None when nothing in it can be read."""
    if not text or not text.strip():
        return None
    schedule = Schedule(text=text)
    for part in re.split(r"[;,\n]|\bna\b(?=\s+(?:" + _DAY + r"))", text.lower()):
        part = part.strip()
        if not part:
            continue
        if re.search(r"\b(daily|every ?day|kila siku|all week|7 days)\b", part):
            days = list(range(7))
        elif re.search(r"\b(weekdays?|siku za kazi)\b", part):
            days = list(range(5))
        else:
            days = []
            for m in _DAY_SPEC.finditer(part):
                first, last = DAYS[m.group(1)], DAYS[m.group(2)] if m.group(2) else DAYS[m.group(1)]
                span = (last - first) % 7
                days += [(first + k) % 7 for k in range(span + 1)]
        if not days:
            continue
        if re.search(r"\b(closed|imefungwa|tumefunga|hatufungui)\b", part):
            for d in days:
                schedule.days[d] = []
            continue
        times = _times(part)
        if times:
            for d in days:
                schedule.days[d] = schedule.days.get(d, []) + times
    return schedule if any(schedule.days.values()) else None
