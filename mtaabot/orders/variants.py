"""Sizes and colours of one product said in one message: one order line each, with its own count.

"nataka AF1 mbili size 42 moja 43", "2 pairs size 42 and one size 43", "AF1 size 42 na 43, moja moja" ask for one
shoe in two sizes. `plan` reads the pieces of an order message (`lines.segments`) into the pieces to resolve: a
piece that only says a size, colour or count ("43", "one size 43", "moja moja") goes with the product of the piece
before it, and a product said in several sizes (or colours) becomes one piece per size, each with the count said
for it ("mbili" before "size 42" or after it), a count said for each ("moja moja", "one each"), or one.

A line's variant text is canonical: its size, then capacity, then colour ("size 42, black"), so the same size
said twice is the same order line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mtaabot.orders.quantities import NUMBER_WORDS, UNITS, Quantity, find_quantities

SIZE_MARKS = frozenset({"size", "saizi", "namba", "sizes"})
# The colours an order line may be in, as the customer writes them -> the line's colour word. Beside the basic ones,
# the colours shoe, clothes and phone shops list ("nude and black" heels, a navy shirt, a gold phone).
COLOURS = {"black": "black", "white": "white", "red": "red", "blue": "blue", "green": "green", "brown": "brown",
           "grey": "grey", "gray": "grey", "pink": "pink", "yellow": "yellow", "purple": "purple", "orange": "orange",
           "silver": "silver", "gold": "gold", "nude": "nude", "beige": "beige", "navy": "navy", "maroon": "maroon",
           "cream": "cream", "khaki": "khaki",
           "nyeusi": "black", "nyeupe": "white", "nyekundu": "red", "bluu": "blue", "kijani": "green",
           "kahawia": "brown", "kijivu": "grey", "pinki": "pink", "njano": "yellow", "zambarau": "purple"}
# "moja kila moja", "one each", "kila mmoja": the count is for each size said
EACH = frozenset({"each", "kila", "mmoja", "every"})
# words that may sit between the counts and sizes of one product ("jozi mbili za size 42", "one of size 43")
_JOINERS = frozenset({"za", "ya", "la", "of", "in", "kwa", "pair", "pairs", "jozi", "tu", "only", "then", "basi",
                      "rangi", "colour", "color", "iwe", "ziwe", "tafadhali", "please", "pls"})
# "AF1 size 42 na 43, nipe 3": a piece that only asks for a count of what was just said
_TAKE = frozenset({"nipe", "nipee", "nipatie", "nataka", "nahitaji", "niletee", "nitumie", "weka", "niwekee",
                   "nitachukua", "nichukue", "give", "me", "i", "want", "need", "take", "ll", "sawa", "ok", "basi"})
# "mbili za 42 moja ya 43": a count, then "of", then a shoe size
_OF = frozenset({"ya", "za", "of", "in"})
_NUMBER = re.compile(r"^\d{1,2}(?:\.5)?$")
_KIND_ORDER = {"size": 0, "capacity": 1, "colour": 2, "model": 3}


def kind(part: str) -> str:
    """size, capacity, colour or model: the kind of one part of a variant text ("size 42", "128GB", "black", "for
    Samsung Galaxy A15": a cover for that phone)."""
    return "size" if part.startswith("size ") else "model" if part.startswith("for ") else \
        "capacity" if part.endswith("GB") else "colour"


def parts(variant: str | None) -> list[str]:
    return [p.strip() for p in (variant or "").split(",") if p.strip()]


def canonical(variant: str | None) -> str | None:
    """The variant text one line is keyed by: its parts once each, size first, then capacity, then colour."""
    found = list(dict.fromkeys(parts(variant)))
    return ", ".join(sorted(found, key=lambda p: _KIND_ORDER[kind(p)])) or None


def within(said: str | None, line: str | None) -> bool:
    """Every part said ("size 43") is a part of the line's variant ("size 43, black")."""
    return bool(parts(said)) and set(parts(said)) <= set(parts(line))


@dataclass(frozen=True)
class Piece:
    """A piece of an order message to resolve into one line. `follows`: it names no product, so it is another
    size or colour of the product of the piece before it. `over_sizes`: its count is a total over these sizes, how
    many of each not said ("nataka tatu size 42 na 43"), so the customer is asked."""
    text: str
    follows: bool = False
    over_sizes: tuple[str, ...] = ()


def _is_number(tok: str) -> bool:
    return bool(_NUMBER.match(tok))


def _sizes(toks: list[str]) -> list[int]:
    """Positions of the size numbers: after "size"/"saizi"/"namba", or a shoe-size number after one ("size 42 moja
    43", "size 42 43"), or two or more shoe sizes each after its own count ("mbili za 42 moja ya 43", "moja 44 moja
    43")."""
    found: list[int] = []
    for i, tok in enumerate(toks):
        if not _is_number(tok):
            continue
        if i > 0 and toks[i - 1] in SIZE_MARKS:
            found.append(i)
        elif found and 16 <= float(tok) <= 50 and (i + 1 == len(toks) or toks[i + 1] not in UNITS):
            found.append(i)
    counted = [i for i in range(1, len(toks)) if _is_number(toks[i]) and 16 <= float(toks[i]) <= 50
               and (toks[i - 1] in _OF and i > 1 and (toks[i - 2] in NUMBER_WORDS or _is_number(toks[i - 2]))
                    or toks[i - 1] in NUMBER_WORDS)  # "moja 44 moja 43"
               and (i + 1 == len(toks) or toks[i + 1] not in UNITS)]
    if not found and len({toks[i] for i in counted}) > 1:
        return counted
    return found


def _only_variant_words(toks: list[str]) -> bool:
    return bool(toks) and all(t in NUMBER_WORDS or _is_number(t) or t in SIZE_MARKS or t in COLOURS or t in EACH
                              or t in _JOINERS or t in UNITS for t in toks)


def count_only(toks: list[str]) -> bool:
    """Only a count and the words asking for it ("nipe 3", "nataka tatu basi"); with sizes first ("size 33 nataka
    jozi mbili"), those sizes and the count."""
    while len(toks) > 2 and toks[0] in SIZE_MARKS and _is_number(toks[1]):
        toks = toks[2:]
    counts = find_quantities(toks)
    counted = {i for q in counts for i in range(*q.words)}
    return len(counts) == 1 and all(i in counted or t in _TAKE or t in _JOINERS for i, t in enumerate(toks))


def _has_variant(toks: list[str]) -> bool:
    return bool(_sizes(toks)) or any(t in COLOURS for t in toks)


def plan(pieces: list[str], is_name_number: Callable[[list[str], Quantity], bool], *,
         each: str | None = None) -> list[Piece]:
    """The pieces to resolve, one per order line (see the module docstring). `pieces` are normalised;
    `is_name_number(toks, q)` says a number is part of a product's name ("Air Force 1"), never a count; `each` is a
    count said apart for each thing ("AF1 size 42 na 43, mbili kila moja"): every size's count."""
    groups: list[list[str]] = []
    for piece in pieces:
        toks = piece.split()
        if groups and _sizes(groups[-1]) and len(toks) > 1 and _is_number(toks[0]) and 16 <= float(toks[0]) <= 50 \
                and count_only(toks[1:]):
            toks = ["size", *toks]  # "school shoes size 30 na 33 nataka jozi mbili": another size, then the count
        if groups and len(toks) == 1 and _is_number(toks[0]) and 16 <= float(toks[0]) <= 50 \
                and find_quantities(groups[-1]) and any(not _is_number(t) for t in groups[-1]):
            # "nataka boots 2 pair, 40 na 41": the sizes of those two pairs (40, 41 and a kit's 1 were 82 kits)
            last = groups[-1]
            if _is_number(last[-1]) and 16 <= float(last[-1]) <= 50 and (len(last) < 2 or last[-2] not in SIZE_MARKS):
                last = [*last[:-1], "size", last[-1]]  # "AF1 mbili 40 na 42": the 40 is a size too (it was lost)
            groups[-1] = last + ["size", toks[0]]
            continue
        if groups and count_only(toks) and len({groups[-1][i] for i in _sizes(groups[-1])} | {
                t for i, t in enumerate(toks) if i and toks[i - 1] in SIZE_MARKS}) > 1 \
                and not find_quantities([t for i, t in enumerate(groups[-1]) if i not in _sizes(groups[-1])]):
            groups[-1] = groups[-1] + toks  # "AF1 size 42 na 43, nipe 3": three in all of those sizes
        elif groups and _only_variant_words(toks) and (_has_variant(toks) or _has_variant(groups[-1])):
            if len(toks) == 1 and _is_number(toks[0]) and _sizes(groups[-1]):
                toks = ["size", toks[0]]  # "AF1 size 44 na 45": the 45 is another size, never 45 pairs
            groups[-1] = groups[-1] + toks
        else:
            groups.append(toks)
    out: list[Piece] = []
    for toks in groups:
        out.extend(_split(toks, is_name_number, each))
    return out


def _split(toks: list[str], is_name_number: Callable[[list[str], Quantity], bool],
           each_said: str | None = None) -> list[Piece]:
    """One product's words said with several sizes (or colours): one piece per size, the first with the words that
    name the product, the others following it."""
    bare = set(_sizes(toks)) - {i for i in range(1, len(toks)) if toks[i - 1] in SIZE_MARKS}
    toks = [w for i, t in enumerate(toks) for w in (["size", t] if i in bare else [t])]  # "moja 43": size 43
    sizes = _sizes(toks)
    colours = [i for i, t in enumerate(toks) if t in COLOURS]
    if len({toks[i] for i in sizes}) > 1:
        marks, others = sizes, colours
    elif len({COLOURS[toks[i]] for i in colours}) > 1:
        marks, others = colours, sizes
    else:
        return [Piece(" ".join(toks))]
    taken = set(marks) | set(others) | {i - 1 for i in sizes}
    counts = [q for q in find_quantities(toks) if not set(range(*q.words)) & taken and not is_name_number(toks, q)]
    each, counts = _each(toks, counts)
    if each is None and each_said is not None and not counts:
        each = ([each_said], set())
    if marks is colours and each is None and not counts:
        return [Piece(" ".join(toks))]  # "superstar nyeusi na nyeupe" may be the black-and-white one: one line
    before_mode = any(q.words[1] <= marks[0] for q in counts)
    slots = []
    given: list[Quantity | None] = []
    for n, at in enumerate(marks):  # the words between this size and the one before (or after) it are its own
        lo = (marks[n - 1] + 1 if n else 0) if before_mode else at
        hi = at if before_mode else marks[n + 1] if n + 1 < len(marks) else len(toks)
        mine = [q for q in counts if lo <= q.words[0] and q.words[1] <= hi]
        count = (mine[-1] if before_mode else mine[0]) if mine else None
        attrs = [i for i in others if lo <= i < hi or i == hi == len(toks)] if len(others) > 1 else []
        slots.append((list(range(*count.words)) if count else [], _mark_words(toks, at), attrs))
        given.append(count)
    total = each is None and len(counts) == 1 and (counts[0].words[1] <= marks[0] or counts[0].words[0] > marks[-1])
    if total and counts[0].amount == len(marks):
        # "nataka mbili size 42 na 43": two pairs, one of each size
        slots = [([], mark, attrs) for _, mark, attrs in slots]
        each = (["1"], set(range(*counts[0].words)))
    elif total and marks is sizes:
        # "nataka tatu size 42 na 43": three pairs in all, not three of the 42 and one more of the 43 (4 pairs were
        # ordered); how many of each is the customer's to say
        return [Piece(" ".join(toks), over_sizes=tuple(toks[i] for i in sizes))]
    spoken = {i for count, mark, attrs in slots for i in count + mark + attrs} | (each[1] if each else set())
    if each is None and all(given):
        # "nitachukua 2, moja nude moja black": the 2 before is the whole of the counts said for each (never 3)
        spoken |= {i for q in counts if q not in given and q.words[1] <= marks[0]
                   and q.amount == sum(g.amount for g in given if g) for i in range(*q.words)}
    head = [i for i, t in enumerate(toks) if i not in spoken and t not in EACH]
    pieces = []
    for n, (count, mark, attrs) in enumerate(slots):
        said = [toks[i] for i in count] or (each[0] if each else [] if n == 0 else ["1"])
        # a colour said once ("AF1 nyeusi size 42 na 43") is every size's
        shared = [toks[i] for i in others] if len(others) == 1 and n else []
        own = said + [toks[i] for i in sorted(mark + attrs)] + shared
        if n == 0:
            pieces.append(Piece(" ".join([toks[i] for i in head] + own)))
        else:
            pieces.append(Piece(" ".join(own), follows=True))
    return pieces


def _each(toks: list[str], counts: list[Quantity]) -> tuple[tuple[list[str], set[int]] | None, list[Quantity]]:
    """A count said for each size ("moja moja", "mbili mbili", "one each", "kila moja"): its words and the positions
    it takes, and the other counts."""
    for a, b in zip(counts, counts[1:], strict=False):
        if a.words[1] == b.words[0] and a.amount == b.amount:  # Swahili says "each" by saying it twice
            at = set(range(a.words[0], b.words[1]))
            return ([toks[i] for i in range(*a.words)], at), [q for q in counts if q not in (a, b)]
    for q in counts:
        before = toks[q.words[0] - 1] if q.words[0] > 0 else ""
        after = toks[q.words[1]] if q.words[1] < len(toks) else ""
        if after in EACH or before == "kila":
            return ([toks[i] for i in range(*q.words)], set(range(*q.words))), [c for c in counts if c is not q]
    return None, counts


def _mark_words(toks: list[str], at: int) -> list[int]:
    """The words of one size or colour said: "size 42" (its mark word too) or "black"."""
    return [at - 1, at] if toks[at] not in COLOURS and at > 0 and toks[at - 1] in SIZE_MARKS else [at]
