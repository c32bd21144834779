"""An order and where it goes, said in one message: "sawa nitumie moja deliver Kasarani", "nataka moja, mtaleta
Kitengela?", "fine send 10 to Eldoret, I'll pay on mpesa", "1 tecno please, I'm in Thika can you send via G4S".

The place was read as a thing ("Hatuna “deliver kasarani”"), or the whole message as a delivery or payment question
("tell me what you would like and where you are"), and the order was lost. Here the message is cut into the order
and the place: the order is drafted from its own words and goes to the place said.
"""

from __future__ import annotations

import re

from mtaabot.orders.patterns import COMMA, NOT_A_PLACE, ORDER_VERB, REFERENCE, TAKE
from mtaabot.orders.quantities import find_quantities
from mtaabot.understanding import PRICE_ASKED
from mtaabot.vocabulary import normalise

# a delivery verb and the place after it, to the end of its clause ("deliver kasarani", "mtaleta kitengela",
# "send 10 to eldoret", "ukileta kwa gate ya kenyatta hospital")
_TO_A_PLACE = re.compile(  # the last delivery verb of the clause ("nitumie moja deliver ruiru": deliver)
    # "Mtu wa delivery asiniibie tu haha. Niko Githurai 45": the delivery man, no place (the owner read "deliver to
    # asiniibie tu haha"; customer test s29b)
    r"^.*\b(?P<verb>(?<!mtu wa )(?<!watu wa )(?<!kijana wa )(?<!jamaa wa )(?<!msee wa )deliver(?:y)?|mtaleta|mnaleta|utaleta|unaleta|mnadeliver|mtadeliver|unadeliver|ukileta|mkileta|"
    # "Mnatuma mpaka Mombasa? Nataka superstar size 42" (the delivery answer, no order; customer test s30)
    r"ukiniletea|mkiniletea|kuleta|kuniletea|kutuma|mnatuma|mtatuma|unatuma|utatuma|mnasend|"
    r"(?P<bring>niletee|uniletee|mniletee|nitumie|mnitumie|tuma|leta)|"
    r"send(?: (?:it|them|(?P<count>\d{1,3})))?)"
    r"(?P<to>(?: (?:it|them|hadi|mpaka|to|at|kwa|pale))*) (?P<place>[a-z][a-z0-9 '-]{1,60})$")
# where the customer is, as a clause of its own: "niko kitengela", "i'm in thika"
_I_AM_IN = re.compile(r"^(?:(?:na|and|but|lakini|mimi|me) )*(?:niko|nipo|tuko|tupo|i am (?:in|at)|i'?m (?:in|at)|"
                      r"we are (?:in|at)|we'?re (?:in|at)|i stay in|naishi) (?:kwa |pale |hapo )?"
                      r"(?P<place>[a-z][a-z0-9 '-]{1,60})$")
# what ends a place's name: the question or the payment said after it
_PLACE_ENDS = re.compile(r"\s+(?:can|could|will|would|please|pls|tafadhali|via|by|using|(?<!karibu )(?<!jirani )na|"
                         r"(?<!next )(?<!close )and|nitalipa|ntalipa|i'?ll|i will|pia|too|also|asap|today|leo|kesho|"
                         r"tomorrow)\b.*$")  # "karibu na Naivas" is the place's landmark
# "mnaweza kuleta X?": the asking, no part of the order
_ASKING = re.compile(r"\b(?:mnaweza|unaweza|mtaweza|utaweza|mnaeza|unaeza|can you|could you|will you)\s*$")
_CLAUSES = re.compile(COMMA + r"|[;?!\n]|\.(?=\s|$)")


# "Unaweza niletea AF1 size 42 Kayole leo?", "Mnaweza kuniletea charger Westlands?": the thing, then the place's
# capitalised name at the end of the clause (no cart was made: "tell me what you want and where you are")
_BRING_THING_TO = re.compile(
    r"^(?:(?:sasa|habari|hi|hello|boss|ok|sawa)\W+)*(?:unaweza|mnaweza|utaweza|mtaweza|unaeza|mnaeza|can you|could you|"
    r"will you|please|tafadhali|nataka|naomba|ningependa)?\s*(?:ku)?(?P<to_me>ni|m?ni|m)?(?:letea|leteeni|letee|leta|tumia|"
    r"tumie)"
    r"\s+(?P<thing>.+?)\s+"
    r"(?:(?:hadi|mpaka|to|pale|kwa|at|in)\s+)?(?P<place>(?-i:[A-Z])[\w'-]+(?:\s+(?:(?-i:[A-Z0-9])[\w'-]*|stage|estate|"
    r"road|rd|junction))*"
    # "Kawangware 56 nyumba namba 4": the house, part of the address (it was a "size 4" of the sugar)
    r"(?:\s+(?:nyumba|house|plot|apt|apartment|door|stall|room|gate|block)(?:\s+(?:namba|number|no\.?|#))?\s+\w+)?)"
    r"(?:\s+(?:leo|kesho|today|tomorrow|sasa|now|asap|please|tafadhali))*\s*\??$", re.IGNORECASE)

# "naomba gas refill 6kg niletewe Kawangware stage ya 56": the thing first, then brought to me at a named place
_THING_THEN_BROUGHT = re.compile(
    r"^(?:(?:sasa|habari|hi|hello|boss|ok|sawa)\W+)*(?:nataka|naomba|nipe|ningependa|tafadhali)?\s*(?P<thing>.+?)\s+"
    r"(?:niletewe|niletee|uniletee|mniletee|nileteeni|nitumiwe|nifikishiwe)\s+(?:(?:hadi|mpaka|pale|kwa)\s+)?"
    r"(?P<place>(?-i:[A-Z])[\w'-]+(?:\s+(?:(?-i:[A-Z0-9])[\w'-]*|stage|estate|road|rd|junction))*"
    r"(?:\s+(?:ya|wa|la|namba|number|no\.?)\s+\w+)?)"
    r"(?:\s+(?:leo|kesho|today|tomorrow|sasa|now|asap|please|tafadhali))*\s*[?.!]?$", re.IGNORECASE)


def _place_of(clause: str, asks_price: bool = False, ordered_before: bool = False) -> tuple[str, str, bool] | None:
    """(the clause's words before the place, the place, whether a bring-to verb said it: "niletee Pipeline") when
    the clause says where to deliver. `ordered_before`: an earlier clause already says what is ordered."""
    if not asks_price and (m := _BRING_THING_TO.match(clause.strip())) is not None \
            and not find_quantities(m.group("place").split()[:1]):
        thing = " ".join(normalise(m.group("thing")).split())
        if ordered_before and len(m.group("thing").split()) == 1 and m.group("thing")[:1].isupper():
            # "nataka gesi moja, niletee Kahawa West": the estate, not coffee brought to West (customer test s30)
            place = " ".join(normalise(f"{m.group('thing')} {m.group('place')}").split())
            return "", place, True
        # "kuniletea charger Westlands?" asks it brought to the customer; "mnaweza kuleta breki hadi Githurai?" asks
        # whether the shop delivers there (no count, no "to me"): a delivery question
        if thing and thing not in NOT_A_PLACE and (m.group("to_me") or find_quantities(thing.split())
                                                   or re.search(r"\bsize\b", thing)):
            return f"nipe {thing}", " ".join(normalise(m.group("place")).split()), True
    if not asks_price and (m := _THING_THEN_BROUGHT.match(clause.strip())) is not None:
        thing = " ".join(normalise(m.group("thing")).split())
        if thing and thing not in NOT_A_PLACE and m.group("place").split()[0].lower() not in NOT_A_PLACE:
            return f"nipe {thing}", " ".join(normalise(m.group("place")).split()), True
    norm = " ".join(normalise(clause).split())
    m = _I_AM_IN.match(norm) or _TO_A_PLACE.search(norm)
    if m is None:
        return None
    place = _PLACE_ENDS.sub("", m.group("place")).strip(" -'")
    # "niko na roadster": what the customer has, no place
    if len(place) < 3 or place in NOT_A_PLACE or find_quantities(place.split()[:1]) \
            or place.split()[0] in NOT_A_PLACE or place.split()[0] in ("via", "na", "with") \
            or place.split()[0] in _THE_DELIVERER:
        return None
    bring = m.re is _TO_A_PLACE and bool(m.group("bring"))
    capitalised = any(w[:1].isupper() and w.lower() == place.split()[0] for w in re.findall(r"[\w'-]+", clause))
    if bring and not m.group("to").strip() and not capitalised:
        # "nitumie orodha ya bei", "tuma mzigo na boda": "nitumie"/"tuma" say what to send, not only where; a place
        # right after them is a name the customer capitalised ("nitumie Kitengela")
        return None
    before = _ASKING.sub("", norm[:m.start("verb" if m.re is _TO_A_PLACE else 0)]).strip()
    if m.re is _TO_A_PLACE and m.group("count"):  # "send 10 to eldoret": the ten are the order
        before = f"{before} send {m.group('count')}".strip()
    return before, place, bring


_THE_DELIVERER = frozenset("guy guys person man boy rider mtu jamaa msee kijana".split())  # "the delivery guy ..."


# a price asked ("mnaweza kuniletee X Westlands, ni ngapi?", understanding.PRICE_ASKED, or its fee): a question about
# delivering it, answered, not ordered
_FEE = re.compile(r"\b(?:charges?|fee)\b")


def split(text: str) -> tuple[str, str] | None:
    """(what the message orders, the place it goes to) when it says both; else None. The order part keeps the
    message's other clauses as written; the place is the customer's words."""
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    asks_price = bool(PRICE_ASKED.search(normalise(text)) or _FEE.search(normalise(text)))
    for i, clause in enumerate(clauses):
        before_it = normalise(", ".join(clauses[:i]))
        said = _place_of(clause, asks_price, ordered_before=bool(
            i and find_quantities(before_it.split()) and (ORDER_VERB.search(before_it) or TAKE.search(before_it))))
        if said is None:
            continue
        before, place, bring = said
        rest = ", ".join([*clauses[:i], *([before] if before else []), *clauses[i + 1:]])
        norm = normalise(rest)
        if not norm.strip():
            # "niletee Pipeline" alone: what was just shown, brought there (the caller checks that something was)
            return ("hiyo", place) if bring else None
        counted = bool(find_quantities(norm.split()))
        ordering = ORDER_VERB.search(norm) or TAKE.search(norm) or re.search(r"\bsend\b", norm)
        if "?" in text[:max(text.find(clause), 0)] and not ordering:
            # "Hey, 3 questions: do you have timberlands size 44? how much are school shoes? and do you deliver to
            # Thika?": questions and a place, nothing ordered (school shoes were, with "We don't have 'questions'")
            return None
        # "1 tecno please": a count and a thing, no verb
        if (ordering and (counted or REFERENCE.search(norm) or len(norm.split()) >= 2)) \
                or (counted and len(norm.split()) >= 2):
            return rest, place
        # "ok niletee Pipeline, nitalipa cash": what was just shown, brought there
        return ("hiyo", place) if bring and not counted and not ordering else None
    return None
