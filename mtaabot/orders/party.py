"""Who a booking is for: how many people one service is booked for.

"cornrows kesho saa nne kwa watoto wawili", "book a manicure for 3 people", "sisi wawili", "tuko watatu",
"mimi na dada yangu", "me and my sister", "nitakuja na rafiki yangu" (the customer and one more). The service is
booked once per person (the salon's time for it is its length times the people; see `store.service_minutes`); the
words that say who (never a thing the shop sells: "Hatuna “dada yangu”") are taken out before the pieces are read.
"""

from __future__ import annotations

import re

from mtaabot.orders.quantities import find_quantities

# more people than this in one message is a group the owner arranges (a wedding party), not a chat booking
MOST = 10
_PEOPLE = (r"(?:watu|watoto|people|persons|pax|kids|children|ladies|girls|boys|guys|wasichana|wavulana|mabinti|"
           r"madem|clients|of us|marafiki|friends|wenzangu|mabeshte|mabeste|besties|mabuda|"
           # a wedding party: "mimi na bridesmaids wawili" was two braids and "Hatuna 'bridesmaids'" (s29)
           r"bridesmaids?|maids?|flower girls?|wasimamizi|wapambe|"
           # "mimi na binti zangu wawili": me and my two daughters, three (it was two)
           r"binti|dada|kaka|ndugu|rafiki|daughters|sons|sisters|brothers|cousins)(?:\s+(?:wangu|zangu|yangu|my))?")
_COUNT = r"(?:\d{1,2}|[a-z]+)"
# numbers only people are counted in ("kwa wawili", "tuko watatu")
_PERSONS = r"(?:wawili|watatu|wanne|watano|wasita|wasaba)"
# the people someone comes along with or buys for
KIN_WORDS = frozenset("""dada sister sis rafiki friend bestie bff mama mum mom mother mathe mtoto daughter son binti kaka
brother cousin bibi mke wife husband mume bae dem msupa shosh niece aunt auntie shangazi mpenzi colleague bridesmaid mdogo
bridesmaids dadangu kakangu mamangu mwanangu rafikiangu mpenziwe""".split())  # "mimi na dadangu" (one manicure; s31)
# the grown-ups a thing is bought for ("ya mathe", "for my dad", "kwa dada yangu"): no word of the thing, and no size
# group (a child is one: "viatu vya mtoto")
GROWN_UPS = frozenset("""mathe mama mum mom mother dad daddy baba father mzee sister dada sis brother kaka bro wife mke
husband mume bibi shosh grandma grandmother friend rafiki mpenzi girlfriend boyfriend cousin colleague aunt auntie
shangazi uncle mjomba boss bwana""".split())  # "kwa bwana yangu": for my husband (s29)
GROWN_UP = "(?:" + "|".join(sorted(GROWN_UPS, key=len, reverse=True)) + ")"
_KIN = "(?:" + "|".join(sorted(KIN_WORDS, key=len, reverse=True)) + ")"
_ME_AND = r"(?:(?:mimi|mi|me|myself)\s+(?:na|and|with|pamoja na)\s+(?:my\s+)?)"
# "kwa watoto wawili", "watu 3", "for 3 people", "two kids", "sisi wawili", "tuko watatu", "we are 4", "both of us",
# "for two", "kwa wawili"; "mimi na marafiki wangu wawili" is the customer and two more
_GROUP = re.compile(rf"\b(?P<me>{_ME_AND})?(?:(?:kwa|for|ya|za)\s+)?(?:(?P<both>both of us|the two of us|sisi wote)|"
                    rf"{_PEOPLE}\s+(?P<after>{_COUNT})|(?P<before>{_COUNT})\s+{_PEOPLE}|"
                    rf"(?:sisi|tuko|tuta(?:kuja|kuwa)|we are|we're)\s+(?:only\s+|just\s+)?(?P<we>{_COUNT})|"
                    rf"(?:kwa|for)\s+(?P<for>two|three|four|five|\d)(?!\s*(?:pm|am|hours?|hrs?|mins?|minutes?|o'?clock|:|\.\d))|"
                    rf"(?P<persons>{_PERSONS}))\b", re.I)
# "mimi na dada yangu", "me and my sister", "nitakuja na rafiki yangu", "with my daughter": one more than the customer
_WITH = re.compile(rf"\b(?:(?:mimi|me|myself|nitakuja|nikuje|tutakuja|i'?ll come|i will come|coming)\s+)?"
                   rf"(?:na|and|with|pamoja na)\s+(?:my\s+)?{_KIN}(?:\s+(?:yangu|wangu|yake))?\b", re.I)
# "anataka the same", "hiyo hiyo", "vile vile": the one who comes along wants what was booked
# ("my daughter will do cornrows at the same time" is when, not what: it was a second gel nails; customer test s30)
_SAME = re.compile(r"\b(?:the same(?! (?:time|day|hour|slot|place|date|saa|siku))|same thing|same service|same as me|"
                   r"same one|hiyo hiyo|ile ile|vile vile|kama yangu|sawa na yangu|kama mimi)\b", re.I)


def _count(word: str | None) -> int | None:
    found = find_quantities([word.lower()]) if word else []
    return int(found[0].amount) if found and found[0].amount == int(found[0].amount) else None


def _counted(m: re.Match[str]) -> int | None:
    n = 2 if m.group("both") else _count(m.group("after") or m.group("before") or m.group("we") or m.group("for")
                                         or m.group("persons"))
    if n is not None and m.group("me"):
        n += 1  # "mimi na marafiki wangu wawili": me and two friends
    return n if n is not None and 2 <= n <= MOST else None


def _said(norm: str) -> list[tuple[int, int, int]]:
    """Where the message says who it is for, and how many people each place says."""
    out = [(m.start(), m.end(), n) for m in _GROUP.finditer(norm) if (n := _counted(m)) is not None]
    return out + [(m.start(), m.end(), 2) for m in _WITH.finditer(norm)]


_PIECE_PEOPLE = re.compile(rf"\b(?:(?P<persons>{_PERSONS})|(?P<one>mmoja|mtu mmoja|one person|1 person))\b", re.I)


# one person named in a piece: "mimi box braids", "dada yangu knotless", "for my sister the pedicure"
# ("mum pedicure na manicure, na mdogo wangu cornrows": each service was booked for all three; customer test s30)
_ONE_OF_US = re.compile(rf"^(?:mimi|mi|me|myself)\b|\b{_KIN}\s+(?:yangu|wangu|yake)\b|\bmy\s+{_KIN}\b|"
                        rf"^(?:{_KIN}|mdogo|mkubwa)\b|\bmdogo (?:yangu|wangu)\b|"
                        rf"\bfor (?:me|her|him)\b|\byeye\b", re.I)


_EACH_OF_US = re.compile(r"\b(?:kila (?:mmoja|mtu)|each (?:of us|of them|one)|every ?one|sote|wote|all of us)\b", re.I)


def people_of(piece: str) -> int | None:
    """How many people one piece of a booking says its service is for: "box braids wawili" -> 2, "knotless mmoja"
    -> 1, "mimi box braids" / "dada yangu knotless" -> 1 (one person named; "mimi na dada yangu" are two); None when
    it says no one."""
    if _EACH_OF_US.search(piece):
        return None  # "kila mmoja anataka manicure": every one of them (it was one manicure for three; s28b)
    m = _PIECE_PEOPLE.search(piece)
    if m is not None:
        return 1 if m.group("one") else _count(m.group("persons"))
    if _WITH.search(piece) or any(_counted(g) for g in _GROUP.finditer(piece)):
        return None
    return 1 if _ONE_OF_US.search(piece) else None


_WHOSE_FIRST = re.compile(rf"^(?:(?:na|and|pia|then)\s+)?(?:(?:my|for my|for)\s+)?(?:{_KIN}|{GROWN_UP})"
                          rf"(?:\s+(?:yangu|wangu|yake))?\s+(?=\S)", re.I)


def names_someone(piece: str) -> bool:
    """The piece names one person ("rafiki yangu cornrows", "mimi box braids"), not only a count ("mmoja")."""
    return bool(_ONE_OF_US.search(piece))


def everyone(piece: str) -> bool:
    """The piece says its service is for every one of the party ("kila mmoja anataka manicure")."""
    return bool(_EACH_OF_US.search(piece))


def without_whose(piece: str) -> str:
    """A piece of a party's booking without the person it starts with ("mum pedicure" -> "pedicure": it was
    "Hatuna “mum pedicure”"; customer test s30)."""
    return _WHOSE_FIRST.sub("", piece)


def size(norm: str) -> int | None:
    """How many people the message books for (2 to MOST), or None when it says no number of people."""
    said = _said(norm)
    return max(n for _, _, n in said) if said else None


def people_counted(norm: str) -> bool:
    """The message counts people in so many words ("sisi wawili", "watoto watatu", "ni watu 4"); "for two" is not
    enough (it may be two refills)."""
    return any(_counted(m) is not None and not m.group("for") for m in _GROUP.finditer(norm))


def companion_only(text: str) -> bool:
    """The people said are the customer and someone coming with them ("na dada yangu"), no number."""
    return bool(_WITH.search(text)) and not any(True for m in _GROUP.finditer(text) if _counted(m) is not None)


# what else a message that only says who is coming may hold: "sawa tutakua wawili na dada yangu", "we'll be two"
_ONLY_WHO = frozenset("""sawa ok okay poa basi pia also too then so tutakua tutakuwa tutakuja tuko ni sisi mimi me
will be we'll we are we're coming come nitakuja nikuje na and with pamoja""".split())


def only_people(norm: str) -> int | None:
    """How many people a message that says nothing but who is coming counts ("mimi na rafiki yangu" 2, "tutakua
    watatu" 3); None when it says more (a service, a time) or no people."""
    n = size(norm)
    rest = [w for w in re.sub(r"[^\w\s']", " ", without(norm)).split() if w not in _ONLY_WHO]
    return n if n is not None and not rest else None


# one of the party not coming ("mmoja amechomoka", "one of us can't come"), and the party said as it will be
_DROPOUT = r"(?:amechomoka|hatakuja|hawezi kuja|ameshindwa|amecancel|can'?t come|won'?t come|cancelled|dropped out)"
_WILL_BE = r"(?:tutakuwa|tutakua|we'?ll be|we will be)"
_CORRECTING = re.compile(r"^(?:(?:hapana|no|sorry|pole|aki|eeh|boss)\W+)*"
                         # "mmoja amechomoka, tutakuwa wawili tu": one dropped out (was "we don't do that"; s29b)
                         r"(?:(?:mmoja|one(?: of us)?)\s+(?:\w+\s+)?" + _DROPOUT + r"\W+)?"
                         r"(?:nimesema|nilisema|nimekwambia|nimekuambia|i said|i told you|i meant|nilimaanisha|ni|it'?s|"
                         r"it is|we are|tuko|" + _WILL_BE + r")\b")
_DROPPED = re.compile(r"\b" + _DROPOUT + r"\b")
_WE_WILL_BE = re.compile(r"\b" + _WILL_BE + r"\b")
# "tutakuwa wawili tu sasa, si watatu": the count it is not
_NOT_THAT_MANY = re.compile(r",?\s+(?:si|sio|siyo|not)\s+\w+\s*$")


def corrected(norm: str) -> int | None:
    """How many people a message that corrects the count says ("nimesema watoto wawili", "I said 3 people"), when it
    says nothing else; None otherwise (it was "we don't do that")."""
    fewer = bool(_NOT_THAT_MANY.search(norm) or _DROPPED.search(norm) or re.search(r"\b(?:tu|only|just)\b", norm))
    norm = _NOT_THAT_MANY.sub("", norm)
    if _WE_WILL_BE.search(norm) and not fewer:
        return None  # "we'll be three of us": more coming, asked what they have (companion_asked)
    n = size(norm)
    if n is None or not _CORRECTING.match(norm) or _WITH.search(norm):
        return None  # ("tutakua wawili na dada yangu": someone coming along, asked what she has)
    rest = [w for w in re.sub(r"[^\w\s']", " ", without(_CORRECTING.sub(" ", norm, count=1))).split()
            if w not in _ONLY_WHO and w not in ("hapana", "no", "sorry", "pole", "aki", "eeh", "boss",
                                                # "sorry tuko wawili tu" (was "we don't do that"; s29)
                                                "tu", "only", "just", "jumla", "total", "in", "all", "together", "sasa", "now")
            and _count(w) != n]  # "we are only two": the count itself, left once "we are" is read as the correction
    return n if not rest else None


def same_said(text: str) -> bool:
    """"the same", "hiyo hiyo", "kama yangu": what the customer booked, for the one(s) coming along."""
    return bool(_SAME.search(text)) or bool(re.fullmatch(r"\W*(?:same|sawa na mimi|vile vile)\W*", text.strip(), re.I))


def joins(text: str) -> bool:
    """Someone coming along wants what is booked: "nitakuja na dada yangu, anataka the same"."""
    return bool(_WITH.search(text)) and bool(_SAME.search(_WITH.sub(" ", text)))


# "na rafiki yangu pia anataka cornrows": a person with their own service, kept as its own piece ("rafiki yangu
# cornrows"): both services were booked twice, KES 6,600 for 3,300 (owner test s31)
_WITH_OWN = re.compile(rf"\b(?:na|and|with|pamoja na)\s+(?P<who>(?:my\s+)?{_KIN}(?:\s+(?:yangu|wangu|yake))?)\s+"
                       r"(?:pia\s+|also\s+|yeye\s+)?(?:anataka|atataka|atafanya|atapaka|anapenda|angependa|wants|"
                       r"will have|will do|is having|would like)\b", re.I)


def without(text: str) -> str:
    """The message without the words that say who it is for ("cornrows kesho kwa watoto wawili" -> "cornrows
    kesho"); a person with their own service keeps their name on it ("na rafiki yangu pia anataka cornrows" ->
    ", rafiki yangu cornrows")."""
    text = _WITH_OWN.sub(lambda m: f", {m.group('who')}", text)
    spans: list[list[int]] = []
    for start, end, _ in sorted(_said(text)):  # overlapping ("mimi na binti" inside "mimi na binti zangu wawili")
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return re.sub(r"[ \t]+", " ", text).strip()
