"""Hybrid product retrieval for one business: pgvector similarity + lexical matching, fused with RRF.

- The query is bridged to English first (mtaabot.vocabulary) because the embedding model and most
  catalogues are English.
- Vector: cosine similarity against `product_embeddings` of this business and the current model.
  Small shops are scored whole; bigger ones take an exact vector top-k over their own rows (very large
  ones: HNSW with iterative scan, relaxed order) plus Postgres full-text (`simple` configuration)
  candidates, and only those are scored lexically.
- Lexical: content terms against name / description / metadata words, weighted by how rare a word is in
  the shop (IDF), with rapidfuzz for spelling slips.
- Reciprocal rank fusion orders candidates; a product counts as *about* the query only with real
  evidence (a matched head word, or a high vector similarity). No evidence -> `not_sold`.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import psycopg
from rapidfuzz import fuzz

from mtaabot.embeddings import encode_query, model_version
from mtaabot.orders.quantities import (
    STRICT_UNITS,
    UNITS,
    VARIANT_NUMBER_WORDS,
    VARIANT_UNITS,
    variant_tokens_of,
    variant_unit,
)
from mtaabot.orders.store import HELD_DAYS
from mtaabot.phone_makes import makes_named
from mtaabot.understanding import CHILD_WORDS, MODIFIERS, REPLACE_VERB, SIZE_WORDS, Search, search_of
from mtaabot.vocabulary import STOPWORDS, WORDS, ExpandedQuery, expand_query, normalise, words

log = logging.getLogger(__name__)

ALL_ROWS_LIMIT = 400  # shops up to this size: every product is a candidate (lexical scoring sees all)
EXACT_SCAN_LIMIT = 20000  # up to this size: exact vector top-k over the shop's rows; above: HNSW
CANDIDATES = 60
RRF_K = 10  # small k: catalogues are short, so rank differences should matter
BEST_RRF = 2.5 / (RRF_K + 1)  # the fusion of a product first by meaning (1.0) and by words (1.5): score 1.0
VECTOR_STRONG = 0.62  # vector similarity that alone shows the product is what was asked for
VECTOR_SUPPORT = 0.35  # similarity that supports a lexical match on a modifier word
DESCRIPTION_SUPPORT = 0.32  # similarity needed when the matched word is only in the description/metadata
HEAD_WEIGHT = 1.5  # the word score of the thing a Swahili phrase names first ("kava ya Samsung")
NAME_EXTRA_PENALTY = 0.5  # lexical score off per word of a product's name the message did not ask for (<= 3)

__all__ = ["MODIFIERS", "Hit", "Retrieval", "retrieve", "variant_tokens"]


_BRACKETED = re.compile(r"\(([^()]{1,60})\)")


@dataclass
class Hit:
    id: uuid.UUID
    name: str
    price: Decimal
    currency: str
    is_available: bool
    description: str | None
    metadata: dict[str, Any] | None
    vector: float = 0.0
    lexical: float = 0.0
    head_match: bool = False
    score: float = 0.0
    is_service: bool = False  # booked with a time (a repair, a salon treatment), not a thing that is handed over
    variants: frozenset[str] = frozenset()  # "64gb", "4x6", "3seater": what its numbers measure (see variant_tokens)
    own_variants: frozenset[str] = frozenset()  # the same without what it is for or fits ("for 32 to 55 inch TVs")
    about: bool = True  # some matched word is in its name, description or metadata, not only in what it is for
    matched: frozenset[str] = frozenset()  # the message's terms found in it
    named: frozenset[str] = frozenset()  # the message's terms found in its name
    # what the ranking read, kept for the learned models (mtaabot.retrieval_model) and the LOSO harness
    fused: float = 0.0  # reciprocal-rank fusion of the vector and lexical ranks (not normalised)
    vector_rank: int = 0  # 0 = the closest by meaning in the shop
    lexical_rank: int = -1  # rank by the length-normed word score; -1 = no word matched
    name_extra: int = 0  # words of its name the message did not ask for (<= 3)
    relevant: bool = False  # passed the evidence gate (a head word, a strong vector, or support for a word)

    def as_contract(self) -> dict[str, Any]:
        return {"id": str(self.id), "name": self.name, "price": float(self.price), "score": round(self.score, 3)}


@dataclass
class Retrieval:
    query: ExpandedQuery
    hits: list[Hit] = field(default_factory=list)
    not_sold: bool = False  # the message names a thing and this shop has nothing like it
    confidence: float = 0.0
    outside_range: list[Hit] = field(default_factory=list)  # matches, but none in the asked price range
    # Every scored product with its features, and which rule (if any) said "not sold" ("" = none, "evidence" = no
    # product passed the evidence gate, else the rule's name): read by the learned models and the LOSO harness.
    candidates: list[Hit] = field(default_factory=list)
    verdict: str = ""
    # not sold by brand, model or variant: the products of that kind the shop does have ("simu za Infinix" -> its
    # phones), best first, for the reply to offer
    instead: list[Hit] = field(default_factory=list)
    found_share: float = 0.0  # the share of the query's terms that some product of the shop has


def _doc_words(row: dict[str, Any]) -> tuple[_Field, _Field, _Field, _Field, _Field]:
    """(name, description, metadata, all) word fields of one product (kept per product text: a shop's
    products are scored for every message, their words only change when their text does)."""
    meta = row.get("metadata") or {}
    if isinstance(meta, str):
        meta = json.loads(meta)
    meta_text = " ".join(f"{k} {v}" for k, v in meta.items()) if isinstance(meta, dict) else ""
    return _fields(row["name"], row.get("description") or "", meta_text)


@functools.lru_cache(maxsize=8192)
def _fields(product_name: str, description: str, meta_text: str) -> tuple[_Field, _Field, _Field, _Field, _Field]:
    """(name, description, metadata, purpose, all): `purpose` holds the words of what the product is for or fits
    ("Toner cartridge for HP LaserJet printers", "Wall bracket for TVs"): they score, but never name the product."""
    # Shops write the local names of a product in brackets ("Rubber flip flops (malapa, patipati)"): those
    # words name the product as much as its title does.
    aliases = {w for part in _BRACKETED.findall(description) for w in words(part)}
    own = _PURPOSE.sub(" . ", description)
    name, meta_words = set(words(product_name)) | aliases | _acronyms(product_name), set(words(meta_text))
    desc = set(words(own))
    purpose = set(words(description)) - desc
    return (_Field(name), _Field(desc), _Field(meta_words), _Field(purpose),
            _Field(name | desc | meta_words | purpose))


def _acronyms(product_name: str) -> set[str]:
    """What customers shorten a model name to: the initials of the two or three words before its number ("Nike Air
    Force 1" -> "af1", "naf1"; "Tecno Spark 20" -> "ts20")."""
    toks = words(product_name)
    out = set()
    for i, w in enumerate(toks):
        if not w.isdigit():
            continue
        for k in (2, 3):
            before = toks[max(i - k, 0):i]
            if len(before) == k and all(t.isalpha() for t in before):
                out.add("".join(t[0] for t in before) + w)
    return out


# What a product is for or fits, in its description: "for 26-inch mountain bikes", "fits 26 and 28 inch wheels".
_PURPOSE = re.compile(r"\b(?:for|fits?|suitable for|compatible with|kwa ajili ya)\b[^.;()]*", re.IGNORECASE)


def _stem(w: str) -> str:
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    for suffix in ("ies", "es", "s"):
        if len(w) > 4 and w.endswith(suffix):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def _stems(w: str) -> frozenset[str]:
    """The stem, and the word without a plural -s ("tubes" -> "tube" as well as "tub", "tvs" -> "tv")."""
    if len(w) >= 3 and w.endswith("s") and not w.endswith("ss"):
        return frozenset((_stem(w), w[:-1]))
    return frozenset((_stem(w),))


class _Field:
    """The words of one product field, with their stems, for fast term matching."""

    __slots__ = ("words", "stems", "long")

    def __init__(self, words_: set[str]) -> None:
        # "Blow-dry", "T-shirt": also its parts and the word run together, as customers write them
        joined = {w for word in words_ if "-" in word
                  for w in (word.replace("-", ""), *(p for p in word.split("-") if len(p) > 1))}
        words_ = words_ | joined
        self.words = words_
        self.stems = {s for w in words_ for s in _stems(w)}
        self.long = [w for w in words_ if len(w) >= 5]


def _term_match(term: str, field_: _Field) -> float:
    """1.0 exact/plural match, 0.8 close spelling, else 0."""
    if term in field_.words or not _stems(term).isdisjoint(field_.stems):
        return 1.0
    if len(term) >= 5:
        for w in field_.long:
            if fuzz.ratio(term, w) >= 86:
                return 0.8
    return 0.0


# --- Variants: what a number in a name measures ------------------------------------------------------------
# Message and products are read into the same canonical tokens (orders.quantities.variant_tokens_of: "64gb",
# "4x6", "4inch", "3seater", "3door"), so the variant asked for ranks first, and a variant no product has is "not
# sold" when the shop carries the same thing in other variants (a 128GB card where the shop has 32 and 64GB ones).
@functools.lru_cache(maxsize=8192)
def variant_tokens(text: str) -> frozenset[str]:
    """Canonical variant tokens of a text: "Memory card ya 64 gigs" -> {"64gb"}, "godoro la 4 kwa 6" -> {"4x6"},
    "Foam Mattress 3x6 4 inch" -> {"3x6", "4inch"}, "Five-seater sofa" -> {"5seater"}."""
    return variant_tokens_of(normalise(text).split())


def _meta_text(row: dict[str, Any]) -> str:
    """The product's metadata values as one text (metadata arrives as a dict or as its JSON)."""
    meta = row.get("metadata") or {}
    if isinstance(meta, str):
        meta = json.loads(meta)
    return " ".join(str(v) for v in meta.values()) if isinstance(meta, dict) else ""


def _product_variants(row: dict[str, Any]) -> frozenset[str]:
    return variant_tokens(f"{row['name']} . {row.get('description') or ''} . {_meta_text(row)}")


def _own_variants(row: dict[str, Any]) -> frozenset[str]:
    """The variants the product is, not the ones it fits ("Wall bracket for TVs from 32 to 55 inches": none)."""
    return variant_tokens(f"{row['name']} . {_PURPOSE.sub(' . ', row.get('description') or '')} . {_meta_text(row)}")


_EXACT_VEC = """
    SELECT product_id FROM (
        SELECT product_id, embedding <=> %(qvec)s AS distance FROM product_embeddings
        WHERE business_id = %(bid)s AND model = %(model)s OFFSET 0
    ) scored ORDER BY distance LIMIT %(k)s
"""
_HNSW_VEC = """
    SELECT product_id FROM product_embeddings
    WHERE business_id = %(bid)s AND model = %(model)s
    ORDER BY embedding <=> %(qvec)s LIMIT %(k)s
"""
# a product's stock all held by other customers' confirmed, unpaid orders (store.held_stock) reads as sold out: the
# bot said "inapatikana" and the customer's yes then met "imeisha" (customer test s25). A sub-select, read only for
# counted products, so the plan and the order of the rows stay those of the plain scan (a join moved tie-breaks)
_AVAILABLE = """p.is_available AND (p.stock IS NULL OR p.stock > coalesce((
    SELECT sum(ceil(i.quantity)) FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.business_id = p.business_id AND o.status = 'awaiting_payment' AND i.product_id = p.id
      AND o.updated_at > CURRENT_TIMESTAMP - make_interval(days => %(held_days)s)), 0)) AS is_available"""

_CANDIDATE_SQL = """
WITH vec AS ({vec}), lex AS (
    SELECT id AS product_id FROM products
    WHERE business_id = %(bid)s AND to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, '')
          || ' ' || coalesce(metadata::text, '')) @@ to_tsquery('simple', %(tsq)s)
    LIMIT %(k)s
)
SELECT p.id, p.name, p.price, p.currency, """ + _AVAILABLE + """, p.description, p.metadata, p.is_service,
       p.duration_minutes, 1 - (e.embedding <=> %(qvec)s) AS vsim
FROM products p LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model = %(model)s
WHERE p.business_id = %(bid)s AND p.id IN (SELECT product_id FROM vec UNION SELECT product_id FROM lex)
"""

_ALL_SQL = """
SELECT p.id, p.name, p.price, p.currency, """ + _AVAILABLE + """, p.description, p.metadata, p.is_service,
       p.duration_minutes, 1 - (e.embedding <=> %(qvec)s) AS vsim
FROM products p LEFT JOIN product_embeddings e ON e.product_id = p.id AND e.model = %(model)s
WHERE p.business_id = %(bid)s
LIMIT %(limit)s
"""


def _tsquery(terms: list[str]) -> str:
    safe = ["".join(ch for ch in t if ch.isalnum()) for t in terms]
    return " | ".join(t for t in safe if t) or "nothingtofind"


def _candidates(conn: psycopg.Connection, business_id: str, qvec: np.ndarray, terms: list[str]) -> list[dict]:
    """Small shop: all rows. Mid-size: exact vector top-k (the `OFFSET 0` subquery keeps the planner on
    the business b-tree, not the global HNSW graph) plus full-text matches. Huge: HNSW with pgvector's
    iterative scan so the business filter still fills k results."""
    params = {"bid": business_id, "model": model_version(), "qvec": qvec, "k": CANDIDATES, "tsq": _tsquery(terms),
              "limit": ALL_ROWS_LIMIT + 1, "held_days": HELD_DAYS}
    rows = conn.execute(_ALL_SQL, params).fetchall()
    if len(rows) <= ALL_ROWS_LIMIT:
        return rows
    size = conn.execute("SELECT count(*) AS n FROM products WHERE business_id = %s", (business_id,)).fetchone()["n"]
    if size <= EXACT_SCAN_LIMIT:
        return conn.execute(_CANDIDATE_SQL.format(vec=_EXACT_VEC), params).fetchall()
    with conn.transaction():
        conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        conn.execute("SET LOCAL hnsw.ef_search = 100")
        return conn.execute(_CANDIDATE_SQL.format(vec=_HNSW_VEC), params).fetchall()


@functools.cache
def _model_vocabulary() -> frozenset[str]:
    """The packaged model's word-piece vocabulary, read from its tokenizer.json (the same 30,522 entries as the
    pipeline's tokenizer) without loading the model: the worker never imports torch for it."""
    from tokenizers import Tokenizer

    from mtaabot.embeddings import model_path

    try:
        return frozenset(Tokenizer.from_file(str(model_path() / "tokenizer.json")).get_vocab())
    except Exception:  # no tokenizer: never guess that a word names something
        log.warning("no tokenizer vocabulary; 'not sold' by kind is off", exc_info=True)
        return frozenset()


def known_word(term: str) -> bool:
    """A real English word (a whole token of the model's vocabulary, or its singular), not a typo or an unbridged
    local word."""
    vocab = _model_vocabulary()
    irregular = (term[:-3] + "f", term[:-3] + "fe") if term.endswith("ves") else ()  # loaves, knives, shelves
    return term in vocab or _stem(term) in vocab or any(s in vocab for s in (*_stems(term), *irregular))


# --- Loanwords: Swahili spells an English word by its sound ------------------------------------------------------
# "baiskeli" (bicycle), "ofisi" (office), "betri" (battery), "kompyuta" (computer), "printa" (printer),
# "televisheni": the consonants are the English word's, as they sound; the vowels are Swahili's. A word of the
# message that the bridge does not know, that is no English word and that no product has, matches a word of this
# shop's catalogue with the same sound skeleton (first letter + consonants as heard; English "-er" may end in "-a").
# English as Kenyans say it drops an "r" that no vowel follows ("superstar" -> "supastaa", "sweater" -> "sweta").
_SOUNDS = ((re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"), (re.compile(r"qu"), "kw"), (re.compile(r"x"), "ks"),
           (re.compile(r"(?<=[aeiou])r(?![aeiouy])"), ""), (re.compile(r"(?<=[aeiou])rr(?=[aeiouy])"), "r"),
           (re.compile(r"[sc]h|[st]i(?=on)"), "S"), (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c"), "k"))


@functools.lru_cache(maxsize=16384)
def _skeleton(word: str) -> str:
    w = word.lower()
    for rx, sound in _SOUNDS:
        w = rx.sub(sound, w)
    out = w[:1]
    for ch in w[1:]:
        if ch in "aeiouy'-" or (out and out[-1] == ch):
            continue
        out += ch
    return out


@functools.cache
def _local_names() -> dict[str, frozenset[str]]:
    """{English word: the local words the bridge glosses as it} ("sugar" -> {"sukari"})."""
    out: dict[str, set[str]] = {}
    for local, gloss in WORDS.items():
        for g in gloss.split():
            out.setdefault(g, set()).add(local)
    return {g: frozenset(v) for g, v in out.items()}


def _loanwords(terms: list[str], catalogue: frozenset[str], found: set[str]) -> dict[str, str]:
    """{message word: catalogue word it spells} for the message's unknown words that sound like a catalogue word
    (the first such word in alphabetical order whose local names, if the bridge knows any, it could be)."""
    out: dict[str, str] = {}
    for term in terms:
        if len(term) < 4 or term in found or term in WORDS or term.isdigit() or known_word(term):
            continue
        sk = _skeleton(term)
        if len(sk) < 3:
            continue
        for w in _sound_index(catalogue).get(sk, ()):
            own = _local_names().get(w)
            if own and not any(fuzz.ratio(term, n) >= 80 for n in own):
                continue  # sugar is "sukari": "sigara" (cigarettes) is no way of writing it
            out[term] = w
            break
    return out


@functools.lru_cache(maxsize=256)
def _sound_index(catalogue: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """{sound skeleton: the catalogue words (alphabetical) a word of that skeleton spells}: each word's own, its
    stems', and each of those without an English "-er"'s final r ("printa" -> printer). Built once per catalogue
    (a shop's words change only when its products do), not for every unknown word of every message."""
    index: dict[str, list[str]] = {}
    for w in sorted(catalogue):
        if len(w) < 4 or any(ch.isdigit() for ch in w):
            continue
        theirs = {_skeleton(x) for x in (w, _stem(w), *_stems(w))}
        for key in theirs | {t[:-1] for t in theirs if t.endswith("r")}:
            index.setdefault(key, []).append(w)
    return {key: tuple(ws) for key, ws in index.items()}


@functools.lru_cache(maxsize=256)
def _catalogue(fields: tuple[_Field, ...]) -> frozenset[str]:
    """Every word of these products (the same `_Field` objects while their texts are unchanged: `_fields`' cache),
    one object per catalogue, so `_sound_index` finds it without hashing the words again."""
    return frozenset().union(*(f.words for f in fields))


# --- Model numbers: "iPhone 15", "Spark 20", "Galaxy S24", "A3 paper" -------------------------------------------
# A model line is a name followed by a number (not a unit: "26 inch" is a variant), or a letter code ("A15", "P30");
# shops write ranges too ("A05 to A55", "iPhone 7 to 13"). A model the message names that no matching product of
# the line has is a model the shop does not carry, however close the names are.
_CODE = re.compile(r"^([a-z]{1,2})(\d{1,4})$")
_PLAIN = re.compile(r"^\d{1,4}$")
_RANGE = re.compile(r"\b([a-z]{0,2})(\d{1,4})\s*(?:to|-|hadi|mpaka)\s*([a-z]{0,2})(\d{1,4})\b")
_NOT_A_LINE = frozenset("for of and na ya za la cha vya wa the a an x by kwa size saizi namba number no at from to".split())


def model_keys(text: str) -> set[tuple[str, int]]:
    """The models a text names, as (line, number): "Tecno Spark 20 128GB" -> {("spark", 20)}."""
    return _models(words(text))


def names_a_model(text: str) -> bool:
    """The text names a model ("Samsung Galaxy A15", "Nokia 105"), not only a thing ("Phone Cover")."""
    return bool(model_keys(text))


def _models(toks: tuple[str, ...] | list[str]) -> set[tuple[str, int]]:
    """(line, number) pairs: "iphone 15" -> ("iphone", 15), "s24" -> ("s", 24); not "26 inch", "x2", "size 42"."""
    out: set[tuple[str, int]] = set()
    line = ""  # the line of a list: "iphone 11, 12 and 13"
    for i, w in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if nxt in VARIANT_UNITS or nxt in UNITS:
            line = ""
            continue
        if (m := _CODE.match(w)) and m.group(1) != "x" and m.group(1) not in VARIANT_UNITS:
            out.add((m.group(1), int(m.group(2))))
            line = ""
        elif _PLAIN.match(w) and i > 0 and toks[i - 1].isalpha() and len(toks[i - 1]) >= 3 \
                and toks[i - 1] not in _NOT_A_LINE and toks[i - 1] not in STOPWORDS:
            line = toks[i - 1]
            out.add((line, int(w)))
        elif _PLAIN.match(w) and line and i > 0 and (_PLAIN.match(toks[i - 1]) or toks[i - 1] in ("and", "na", "or", "au")):
            out.add((line, int(w)))
        elif w not in ("and", "na", "or", "au"):
            line = ""
    return out


@functools.lru_cache(maxsize=8192)
def _product_models(text: str) -> tuple[frozenset[tuple[str, int]], frozenset[tuple[str, int, int]]]:
    """A product's models and model ranges ("A05 to A55" -> ("a", 5, 55); "iPhone 7 to 13" -> ("iphone", 7, 13))."""
    norm = normalise(text)
    ranges = set()
    for m in _RANGE.finditer(norm):
        line = m.group(1) or m.group(3)
        if not line:  # "iphone 7 to 13": the line is the word before the first number
            before = norm[:m.start()].split()
            line = before[-1] if before and before[-1].isalpha() else ""
        if line:
            ranges.add((line, int(m.group(2)), int(m.group(4))))
    return frozenset(_models(norm.split())), frozenset(ranges)


_EDITIONS = frozenset("pro max plus ultra mini lite fe neo prime".split())


def _missing_edition(toks: tuple[str, ...] | list[str], relevant: list[Hit]) -> str | None:
    """A model asked in an edition ("iphone 13 pro max", "Galaxy A15 plus") where the products of that model
    are not that edition (the plain iPhone 13): the edition, else None."""
    for i in range(len(toks)):
        edition = []
        for w in toks[i + 1:]:
            if w not in _EDITIONS:
                break
            edition.append(w)
        asked = _models(toks[max(i - 1, 0):i + 1]) if edition else set()
        if not asked:
            continue
        of_model = [h for h in relevant if asked & _product_models(h.name)[0]]
        if of_model and not any(set(edition) <= set(words(h.name)) for h in of_model):
            return " ".join((*toks[max(i - 1, 0):i + 1], *edition))
    return None


def _missing_model(asked: set[tuple[str, int]], relevant: list[Hit]) -> tuple[str, int] | None:
    """A model the message names whose line some matching product lists, while none lists this model."""
    for line, number in asked:
        if number < 3:  # "iphone 2" is as likely two iPhones
            continue
        covered = lined = False
        for h in relevant:
            models, ranges = _product_models(f"{h.name} . {h.description or ''}")
            if (line, number) in models or any(r[0] == line and r[1] <= number <= r[2] for r in ranges):
                covered = True
                break
            lined = lined or any(m[0] == line for m in models) or any(r[0] == line for r in ranges)
        if lined and not covered:
            return line, number
    return None


def _missing_coded_model(toks: tuple[str, ...] | list[str], relevant: list[Hit]) -> str | None:
    """A model code written after a brand ("Samsung S24") where the shop's products of that brand carry model
    codes or numbers of their own ("Samsung Galaxy A15") and none is this one: another model of the brand.
    Products of the brand without any model ("Samsung 43 inch Smart TV") say nothing either way."""
    for i, w in enumerate(toks[1:], start=1):
        m = _CODE.match(w)
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if not m or m.group(1) == "x" or m.group(1) in VARIANT_UNITS or nxt in VARIANT_UNITS or nxt in UNITS:
            continue
        brand, code = toks[i - 1], (m.group(1), int(m.group(2)))
        modelled = False
        for h in relevant:
            if brand not in words(h.name):
                continue
            models, ranges = _product_models(f"{h.name} . {h.description or ''}")
            # "white af1": the initials of "Nike Air Force 1 White" ("white" is in its name too, no brand of it)
            if code in models or any(r[0] == code[0] and r[1] <= code[1] <= r[2] for r in ranges) \
                    or w in _acronyms(h.name):
                return None
            modelled = modelled or bool(models or ranges)
        if modelled:
            return w
    return None


# Words that sit next to a product name without naming a kind of it ("any bones left", "milk right now").
_NOT_A_KIND = frozenset("""right left back now still today tonight tomorrow yesterday week there here available more
some any else please stock again too also price prices cost costs size sizes colour color each pair pairs piece pieces
kind type one ones delivered delivery order normal regular ordinary plain simple standard usual basic nice quality
real genuine proper decent latest same other another set sets lot lots bunch every customer customers
from what only done next last coming early late morning evening afternoon night weekend month hour hours time
appointment appointments booking bookings slot slots session
feel feels felt start starts started begin pick picked bring come take took work works try want asked ask delete
remove cancel add change
hello hi hey habari mambo niaje vipi jambo hujambo salaam greetings good boss bro sis madam sir msee buda""".split())
# (the last lines: grammar, time and booking words, the verbs of a message about an order or a visit — "the
# decorating class start on sat", "600 per suit feels steep", "delete the mirrors" — and a greeting or how the
# customer addresses the shop: "hello" is no kind of thing)
# Who a thing is for: "helmet za watoto" may well be the adult helmet in a small size; never "not sold" by itself.
_GROUP_WORDS = frozenset("""watoto mtoto watoi mtoi kids kid children child baby babies ladies lady women woman men man
wanaume wanawake kike kiume mama""".split())
_DAYS = frozenset("""monday tuesday wednesday thursday friday saturday sunday jumatatu jumanne jumatano alhamisi ijumaa
jumamosi jumapili january february march april may june july august september october november december""".split())
# Swahili joins a thing to whom or what it is for with a connective: "laini za Safaricom", "screen ya Huawei".
_CONNECTIVES = frozenset("ya za la cha vya wa".split())
MODEL_CODE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{2,8}$")  # "a15", "13c", "s24"


def _found(word: str, idf: dict[str, float]) -> bool:
    """The word, or an English word the bridge makes of it, is in some product of this shop."""
    return bool(idf.get(word)) or any(idf.get(t) for t in WORDS.get(word, "").split())


def _kind_word(word: str) -> bool:
    """A word that can name a kind of thing: a bridged local word or an English word, not a size, colour, number,
    group, day or grammar word."""
    if (len(word) < 3 or word in STOPWORDS or word in MODIFIERS or word in _NOT_A_KIND or word in _GROUP_WORDS
            or word in _DAYS or any(ch.isdigit() for ch in word) or word in VARIANT_NUMBER_WORDS):
        return False
    gloss = WORDS.get(word)
    if gloss is not None:
        return not all(t in MODIFIERS or t in _GROUP_WORDS for t in gloss.split())
    return known_word(word)


def _missing_kind(search: Search, idf: dict[str, float], catalogue: frozenset[str] = frozenset()) -> str | None:
    """What was asked for, when the shop has things like it but not it:
    - the first thing named is a local word or phrase most of whose English words are found nowhere ("Mna gesi ya
      kupikia?" where only cooking oil is sold, "Kuna mutura?" where only pork sausages are);
    - a brand the shop never names, written as a name ("Huawei phones", "screen ya Huawei P30", "laini za
      Safaricom");
    - English order: an English word found in no product, right next to one that is found ("camel meat", "school
      socks", "acrylic nail kits")."""
    query = search.query
    named = [it for it in query.items if not all(t in MODIFIERS or t.isdigit() for t in it)]
    if named:
        first = named[0]
        local = first[0] if first[0] in WORDS else None
        # the bridge's English words ("kompyuta" -> computer, laptop: one found is enough); the local word itself only
        # when its gloss keeps it ("mutura" -> mutura, blood sausage)
        english = {t for t in (first[1:] if local and len(first) > 2 else first) if t not in MODIFIERS}
        missing = [t for t in english if not idf.get(t) and not any(t in w for w in catalogue)]  # lock: padlock
        if (len(english) >= 2 and not (local and idf.get(local)) and all(t in idf for t in english)
                and 2 * len(missing) > len(english)):
            return local or first[0]
    if (brand := _unknown_brand(search, idf)) is not None:
        return brand
    if any(len(it) > 1 and it[0] not in it[1:] for it in query.items):
        return None  # Swahili/Sheng word order ("kufuli ya mlango") does not follow English compounds
    seq = search.english_words
    # the customer's own words, not a bridge's synonyms ("jeans denim"); a name they capitalise is a model of the
    # brand before it ("TVS Star", "Tecno Spark"), judged as a brand above, not as a kind
    written = set(search.words) - search.names
    for i, term in enumerate(seq):
        if term not in written or term not in idf or idf[term] or term in MODIFIERS or term in _NOT_A_KIND or term.isdigit() or len(term) < 3:
            continue
        # never its own synonym from the bridge ("earphones earbuds": the shop's earbuds are the earphones asked for)
        own = {t for it in search.query.items if term in it for t in it}
        beside = [seq[j] for j in (i - 1, i + 1) if 0 <= j < len(seq) and seq[j] not in own]
        # the found word beside it names a thing too (not a number: "if i pick 2"), and the word could name a kind
        if (any(idf.get(w) and w not in MODIFIERS and not w.isdigit() for w in beside) and _kind_word(term)
                and not _shortened(term, catalogue)):
            return term
    return None




# The words that open a request for a thing: "mna basmati rice?", "nipe pembe maize flour", "do you sell X rice".
_OPENERS = frozenset("""mna kuna mnauza unauza mnayo uko nipe nipatie nataka natafuta naomba niletee nitumie have sell
stock any got need want buy find""".split())


# "kubadilisha", "nitumie", "mnatengeneza", "kunishow": a verb, not a brand
_SWAHILI_VERB = re.compile(r"^(?:ku|kw|ni|tu|m|wa|a|na|u|ha|hu|si)\w{3,}[aie]$")


def _unknown_variety(search: Search, idf: dict[str, float]) -> str | None:
    """A word no dictionary knows, right after the request opens and right before a kind the shop has: the variety
    or brand asked for ("mna basmati rice?" at a shop with pishori rice, "pembe maize flour" where the flour is
    Jogoo). Not a misspelling of a catalogue word (those are found), nor a local word the bridge or lexicons know."""
    from mtaabot.language import sheng_words, swahili_words

    seq, written = search.english_words, set(search.words) - search.names
    for i in range(1, len(seq) - 1):
        term, before, head = seq[i], seq[i - 1], seq[i + 1]
        if (before in _OPENERS and term in written and term in idf and not idf[term] and term.isalpha()
                and len(term) >= 4 and term not in WORDS and term not in STOPWORDS and not known_word(term)
                and term not in sheng_words() and term not in swahili_words() and not _SWAHILI_VERB.match(term)
                and idf.get(head) and _kind_word(head) and head not in MODIFIERS):
            return term
    return None


_ADULT = re.compile(r"\badults?\b|\bwakubwa\b", re.IGNORECASE)


def _for_children(name: str) -> bool:
    return any(w.removesuffix("'s") in CHILD_WORDS for w in words(name))


def _childrens(h: Hit) -> bool:
    """Named, described or labelled for children ("Kids T-shirts", "School sweaters ... {"category": "kids"}")."""
    meta = " ".join(str(v) for v in h.metadata.values()) if isinstance(h.metadata, dict) else ""
    return _for_children(f"{h.name} {h.description or ''} {meta}")


def _swahili_head(search: Search) -> frozenset[str]:
    """The terms of the thing a Swahili phrase names first ("kava" and "cover" in "Kava ya Samsung A05 ni bei
    gani?"): its first content word, when a connective (ya/za/la/cha/vya/wa) follows it."""
    toks = list(search.words)
    for item in search.query.items:
        word = item[0]
        if word in toks:
            i = toks.index(word)
            if i + 1 < len(toks) and toks[i + 1] in _CONNECTIVES and word not in MODIFIERS:
                return frozenset(item)
            return frozenset()
    return frozenset()


def _thing_after_model(word: str) -> bool:
    """A word after a model that can be another thing ("redmi 13 charger"), not its edition, size, colour or count."""
    return not (len(word) < 3 or word in STOPWORDS or word in MODIFIERS or word in _NOT_A_KIND or word in _EDITIONS
                or word in _DAYS or any(ch.isdigit() for ch in word) or word in VARIANT_NUMBER_WORDS)


def _of_kind(h: Hit, terms: frozenset[str]) -> bool:
    """The product says it is one of `terms`, also as the end of a word ("smartphone" is a phone)."""
    meta = " ".join(str(v) for v in h.metadata.values()) if isinstance(h.metadata, dict) else ""
    said = words(f"{h.name} {h.description or ''} {meta}")
    return any(w.endswith(t) for w in said for t in terms if len(t) >= 4)


def _things_for_a_model(fitted: frozenset[str], relevant: list[Hit]) -> list[Hit]:
    """The products without a model of their own that are the thing asked for a model (`_fitted_thing`): "Phone
    Screen Repair", "Phone Cover"; none when a product with a model is of that kind ("simu ya samsung a12" asks for
    the phone itself: the Galaxy A15 is a smartphone)."""
    if not fitted or any(_of_kind(h, fitted) for h in relevant if _models(words(h.name))):
        return []
    return [h for h in relevant if fitted & h.matched and not _models(words(h.name))]


def _fitted_thing(search: Search) -> tuple[frozenset[str], bool]:
    """The terms of a thing asked for a model it fits: the words before "ya/za/for" ("cover ya tecno spark 20", "cover
    ni ya samsung a15", "screen protector for the A15") or a kind word right after a model ("spark 20 cover");
    empty when no model is named after it. True with it when work on that thing was asked ("screen replacement for
    samsung a14": the screen)."""
    toks = list(search.words)
    item_of = {w: item for item in search.query.items for w in item[:1]}
    if not _models(toks):
        thing = _worked_on_a_make(toks, item_of)
        return thing, bool(thing)
    for i, w in enumerate(toks):
        if w in _CONNECTIVES or w == "for":
            before = [item_of[t] for t in toks[:i] if t in item_of and t not in MODIFIERS]
            if before and _models(toks[i + 1:]) and len(before) <= 3:
                # the last thing said is the thing ("phone cover ya samsung a15": the cover; the A15 is a phone too),
                # and the work on a thing is done on that thing ("screen replacement for samsung a14": the screen, not
                # the SIM Card Replacement; owner test s30)
                if len(before) > 1 and all(_WORK.fullmatch(t) for t in before[-1]):
                    return frozenset(before[-2]), True
                return frozenset(before[-1]), False
            return frozenset(), False
    for i, w in enumerate(toks[1:], 1):
        if w in item_of and _thing_after_model(w) and _models(toks[:i]) and (_PLAIN.match(toks[i - 1]) or _CODE.match(toks[i - 1])):
            return frozenset(item_of[w]), False
    return frozenset(), False


def _worked_on_a_make(toks: list[str], item_of: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The thing work is asked on for a phone make, no model named: "mnaweza kubadilisha battery ya tecno?" -> the
    battery (it was the Tecno Spark, by "battery" in its description; owner test s30); empty otherwise."""
    if not any(_WORK.fullmatch(w) for w in toks):
        return frozenset()
    for i, w in enumerate(toks):
        if w in _CONNECTIVES or w == "for":
            before = [item_of[t] for t in toks[:i] if t in item_of and t not in MODIFIERS and not _WORK.fullmatch(t)]
            # the phone itself ("mnarepair simu za samsung?") is what every phone service works on
            if before and len(before) <= 2 and makes_named(" ".join(toks[i + 1:])) \
                    and not set(before[-1]) & {"simu", "phone", "phones", "smartphone", "rununu"}:
                return frozenset(before[-1])
            return frozenset()
    return frozenset()


def _shortened(term: str, catalogue: frozenset[str]) -> bool:
    """The word is a short form of a word of the catalogue ("maths" for "mathematical", "acrylics")."""
    stem = _stem(term)
    return len(stem) >= 4 and any(w.startswith(stem) for w in catalogue)


def _brand_words(search: Search, idf: dict[str, float]) -> Iterator[tuple[str, str]]:
    """(name, the word before it) for each capitalised name (not opening a sentence, not a day) that is a query term,
    written where a brand goes: before a thing the shop has ("Huawei phones"), before a model code ("Huawei P30"),
    or after a connective ("laini za Safaricom"). A name right after one the shop has is a model of it ("Infinix
    Hot 30", "TVS Star"), never this."""
    if search.shouted:
        return
    for sentence in search.sentences:
        raw = [w for w, _ in sentence]
        low = [n for _, n in sentence]
        for i in range(1, len(raw)):
            w, name = low[i], raw[i]
            if not name[0].isupper() or w in _DAYS or w in WORDS or w not in idf or len(w) < 2:
                continue
            before, after = low[i - 1], (low[i + 1] if i + 1 < len(low) else "")
            if _found(before, idf):
                continue
            if before in _CONNECTIVES or (after and _found(after, idf) and _kind_word(after)) or MODEL_CODE.match(after):
                yield w, (low[i - 2] if i >= 2 and before in _CONNECTIVES else "")


def _unknown_brand(search: Search, idf: dict[str, float]) -> str | None:
    """A name written where a brand goes (`_brand_words`) that no product of the shop carries."""
    return next((w for w, _ in _brand_words(search, idf) if not idf[w]), None)


def _brand_only_in_services(search: Search, idf: dict[str, float], relevant: list[Hit], hits: list[Hit]) -> str | None:
    """A brand the shop names only in its services, asked of a kind of goods it sells in other brands: "mnauza simu
    za Infinix?" where the screen repair is "for Samsung, Tecno, Infinix" and the phones are a Samsung, a Tecno...
    (a screen protector named by no brand may still fit an Infinix: not this). The goods were asked for when the
    message says so ("mnauza", "do you sell") or, no work asked, names the kind ("simu za")."""
    goods = [h for h in relevant if not h.is_service]
    for w, thing in _brand_words(search, idf):
        carriers = [h for h in hits if w in h.matched]
        if not idf[w] or not carriers or not all(h.is_service for h in carriers):
            continue
        # the other names the service lists mid-sentence ("for Samsung, Tecno, Infinix")
        brands = {b.lower() for h in carriers
                  for b in re.findall(r"(?<=[a-z,] )[A-Z][A-Za-z]+", h.description or "")} - {w}
        things = {thing, *WORDS.get(thing, "").split()} - {""}
        kind = [h for h in goods if h.matched & things] if things else goods
        branded = [h for h in kind if brands & set(words(h.name))]
        if branded and (search.wants_goods or (things and not (search.wants_service or search.actions))):
            return w
    return None


def _missing_variant(asked: frozenset[str], relevant: list[Hit]) -> str | None:
    """A variant that only names a variant (GB, inches, seats, doors, N by M) which no matching product has,
    while matching products come in other variants of that kind: the shop does not stock the one asked for."""
    def named_alone(h: Hit) -> bool:  # the message names it by a word no other match's name has ("bracket")
        return bool(h.named - frozenset().union(*(o.named for o in relevant if o is not h)))

    for token in asked:
        unit = variant_unit(token)
        if unit not in STRICT_UNITS:
            continue
        # a product is the variant, or fits it and is the one asked for ("bracket ya TV ya inchi 50")
        if any(token in h.own_variants or (token in h.variants and named_alone(h)) for h in relevant):
            continue
        if any(variant_unit(t) == unit for h in relevant for t in h.own_variants):
            return token
    return None


_SERVICE_WORDS = re.compile(r"\b(?:repair|repairs|fixing|fix|replacement|replacing|service|servicing|mending|alteration|"
                            r"alterations|installation|fitting)\b")
# Work named in the product's name itself ("Shoe Cleaning", "TV Wall Mounting"); a description's "washing" or
# "sewing" may only say what goods are for.
_WORK_NAMES = re.compile(r"\b(?:cleaning|washing|ironing|sewing|tailoring|mounting|lamination|laminating)\b")
# ... unless the work word only says what the goods are for: "Shoe Cleaning Kit", "Sewing Machine", "Repair Kit"
_TOOL_NAMES = re.compile(r"\b(?:cleaning|washing|ironing|sewing|mounting|laminating|repair|fixing|service)\s+"
                         r"(?:kits?|sets?|machines?|powder|liquid|boards?|brush|brushes|spray|solution|cloths?|"
                         r"detergent|soap|paste|tools?|bags?|brackets?)\b")


def is_service(row: dict[str, Any], metadata: Any) -> bool:
    """Booked work rather than goods: flagged as a service, timed, or named/described as a repair or service."""
    if row.get("is_service") or row.get("duration_minutes"):
        return True
    if isinstance(metadata, dict) and any(k in metadata for k in ("duration_min", "duration_minutes", "duration")):
        return True
    name = normalise(row["name"])
    if _TOOL_NAMES.search(name):
        return False
    return bool(_SERVICE_WORDS.search(normalise(f"{row['name']} {row.get('description') or ''}"))
                or _WORK_NAMES.search(name))


_REPLACES = re.compile(r"replac|badilish", re.IGNORECASE)
_WORK = re.compile(REPLACE_VERB.pattern + r"|repairs?|repairing|fix|fixing|(?:ku)?rekebisha|(?:ku)?tengeneza")


def _category(h: Hit) -> str | None:
    kind = (h.metadata or {}).get("category") if isinstance(h.metadata, dict) else None
    return normalise(kind) if isinstance(kind, str) and kind.strip() else None


def _browsed_category(query: ExpandedQuery, relevant: list[Hit]) -> str | None:
    """The shop's own category the message names and names nothing else ("phones?", "simu?", "do you have
    sandals"): every word of the customer's (a local word with its English glosses counts as one) is that
    category's name, singular or plural. Only a category a relevant product has; None otherwise."""
    kinds = {k for h in relevant if (k := _category(h)) and " " not in k}
    if not kinds or not query.items:
        return None
    for kind in kinds:
        if all(any(_stems(t) & _stems(kind) for t in item) for item in query.items):
            return kind
    return None


def _name_extra(name: str, terms: set[str]) -> int:
    """How many words of a product's name name something the message did not mention (at most 3)."""
    stems = {_stem(t) for t in terms}
    extra = 0
    for w in words(name):
        w = w.removesuffix("'s")  # "Men's Haircut": a group word, not one more thing
        if (len(w) < 3 or w in MODIFIERS or w in STOPWORDS or any(ch.isdigit() for ch in w) or w in terms
                or _stem(w) in stems):
            continue
        if len(w) >= 5 and any(len(t) >= 5 and fuzz.ratio(w, t) >= 86 for t in terms):
            continue
        extra += 1
    return min(extra, 3)


def retrieve(conn: psycopg.Connection, business_id: uuid.UUID | str, text: str = "", *, limit: int = 3,
             query: ExpandedQuery | None = None,
             price_range: tuple[Decimal | None, Decimal | None] | None = None,
             search: Search | None = None, learned: bool = True) -> Retrieval:
    """Products of this business that the message is about (best first), or `not_sold`.

    `search` is the message as the engine understood it (mtaabot.understanding); without it the text (or a
    ready `query`) is read here. With `price_range` (low, high; either open) only products in it are hits;
    matching products outside it are in `outside_range` (cheapest first) so the reply can say what the
    nearest option costs.

    "Not sold" is then decided by the learned model over what the rules found (`mtaabot.retrieval_model`,
    chosen leave-one-set-out), unless `learned` is False, a price range was asked, or no model fits the
    running encoder: the rules' own verdict is one of its features."""
    if search is None:
        search = search_of(query or expand_query(text))
    result = _by_rules(conn, business_id, search, limit, price_range)
    if learned and price_range is None and result.candidates:
        _learned_not_sold(result, search)
    return result


def _learned_not_sold(result: Retrieval, search: Search) -> None:
    """The learned model's "not sold" over the rules' answer: it may empty the hits, or give back the best
    candidate the rules turned down (with a lower confidence), never one a hard fact turned down (HARD_VERDICTS)."""
    from mtaabot.retrieval_model import HARD_VERDICTS, not_sold_probability, top_candidate

    decided = not_sold_probability(result, search)
    if decided is None:
        return
    p, threshold = decided
    if p >= threshold and result.hits and _named_outright(result, search):
        log.debug("sold (learned p=%.2f overruled): %r is named by the message", p, result.hits[0].name)
    elif p >= threshold and result.hits:
        log.debug("not sold (learned, p=%.2f)", p)
        result.hits, result.not_sold, result.confidence = [], True, 0.6
    elif p < threshold and result.not_sold and not result.hits and result.verdict not in HARD_VERDICTS:
        top = top_candidate(result)
        log.debug("sold after all (learned, p=%.2f): %r", p, top.name)
        top.score = top.score or round(top.fused / BEST_RRF, 4)
        result.hits, result.not_sold, result.confidence = [top], False, 0.55


def _named_outright(result: Retrieval, search: Search) -> bool:
    """Every thing searched is in the shop's catalogue (a size aside: "AF1 size 42"), it is goods when goods are
    asked for, and the best hit's name says what was asked: each thing asked ("do you sell sugar?" - Kabras Sugar
    1kg; "earphones" - FreePods Earbuds), its brand (a first word that is no ordinary word: "tecno" in the Tecno Spark
    20) or its initials ("af1"). The learned model called these not sold (in the dev sets "mnauza ...?" mostly asks
    for what a shop lacks: 70 of 85 such real messages); "Samsung TV?" at a shop of Samsung phones still leaves "TV"
    unfound, and School Shoes do not name a "school bag"."""
    top = result.hits[0]
    found = frozenset().union(*(h.matched for h in result.candidates))
    asked = [it for it in search.query.items if any(t not in SIZE_WORDS and not t.isdigit() for t in it)]
    if not all(found.intersection(it) for it in asked) or (search.wants_goods and top.is_service):
        return False
    first = next(iter(words(top.name)), "")
    brand = (first in top.named and first not in WORDS and first not in STOPWORDS and len(first) >= 3
             and not first.isdigit() and not _kind_word(first))
    things = [it for it in asked if any(t not in MODIFIERS for t in it)]
    # "mnauza viatu za watoto?" of "School Shoes Black" (for kids): the thing in its name, what qualifies it in its
    # description
    return (brand or bool(top.named & _acronyms(top.name))
            or bool(things and all(top.named.intersection(it) for it in things))
            or bool(len(things) > 1 and top.named.intersection(things[0])
                    and all(top.matched.intersection(it) for it in things)))


def _by_rules(conn: psycopg.Connection, business_id: uuid.UUID | str, search: Search, limit: int,
              price_range: tuple[Decimal | None, Decimal | None] | None) -> Retrieval:
    query = search.query
    result = Retrieval(query=query)
    if not query.has_content:
        return result
    qvec = encode_query(query.english)
    rows = _candidates(conn, str(business_id), qvec, query.terms)
    if not rows:
        result.not_sold = True
        return result
    docs = [_doc_words(r) for r in rows]
    n = len(rows)
    catalogue = _catalogue(tuple(every for *_, every in docs))
    idf: dict[str, float] = {}
    dfs = {term: sum(1 for *_, every in docs if _term_match(term, every) > 0) for term in query.terms}
    # an unknown word that spells a catalogue word by its sound is matched as that word ("baiskeli" -> bicycle)
    probe = {t: t for t in query.terms} | _loanwords(query.terms, catalogue, {t for t, df in dfs.items() if df})
    for term in query.terms:
        if probe[term] != term:
            dfs[term] = sum(1 for *_, every in docs if _term_match(probe[term], every) > 0)
        df = dfs[term]
        idf[term] = math.log(1 + (n + 1) / (df + 0.5)) if df else 0.0
    # A local word and the English words the bridge made of it are one word of the customer's: they count once
    # (the best of them), so "buti ... mvua" (two words matched by "Gumboots (buti za mvua)") outweighs "buti"
    # matched twice, as itself and as "boots", by "Timberland Boots (buti)".
    group: dict[str, int] = {}
    for k, item in enumerate(query.items):
        if item[0] in WORDS:
            for t in item:
                group.setdefault(t, k)
    # Swahili names the thing first, then what it is for or whose: in "kava ya Samsung" the cover counts more than
    # the brand it fits.
    head_terms = _swahili_head(search)
    other_head = bool(head_terms) and not (head_terms & _GROUP_WORDS)
    # a measure alone may name the shop's product ("nichukue 50W mbili"), but not when the message names another thing
    # that no product is ("a 2kg bag of shoes")
    unfound_kind = any(not idf[t] and _kind_word(t) for t in query.terms)
    sized = {t for t in query.terms if variant_tokens_of([t])}
    # nor when the message names a thing the shop has ("sukari ya 2kg": the sugar, not the 2kg flours)
    found_kind = any(idf[t] and _kind_word(t) and t not in sized for t in query.terms)
    measures = sized if unfound_kind or found_kind else set()
    # the number of "size 44" picks a pair, never the product whose description happens to say 44 ("sizes 39 to 44")
    size_numbers = {w for before, w in zip(search.words, search.words[1:], strict=False)
                    if before in SIZE_WORDS and w.isdigit()}
    hits: list[Hit] = []
    for row, (name, desc, meta, purpose, every) in zip(rows, docs, strict=True):
        best: dict[Any, float] = {}
        head = side_head = about = False
        matched: set[str] = set()
        named: set[str] = set()
        for term in query.terms:
            if not idf[term] or term in size_numbers or not _term_match(probe[term], every):
                continue
            in_name = _term_match(probe[term], name)
            side = max(_term_match(probe[term], desc) * 0.7, _term_match(probe[term], meta) * 0.5)
            m = max(in_name, side, _term_match(probe[term], purpose) * 0.5)
            if m:
                matched.add(term)
                if in_name:
                    named.add(term)
                about = about or bool(in_name or side)
                key = group.get(term, term)
                best[key] = max(best.get(key, 0.0), m * idf[term] * (HEAD_WEIGHT if term in head_terms else 1.0))
                # whom it is for names the product only when the thing named first is not another ("mikoba ya kike");
                # a measure ("2kg", "500ml") is the size of a thing, never the thing ("a 2kg bag of shoes")
                if (term not in MODIFIERS and not term.isdigit() and term not in measures
                        and (term not in _GROUP_WORDS or not other_head)):
                    head = head or bool(in_name)
                    side_head = side_head or bool(in_name or side)
        if matched and matched <= measures:
            # a measure names which one of a thing, never the thing: "2kg" alone does not make "Flour 2kg" an
            # answer to "a 2kg bag of shoes"
            best, matched, named, about = {}, set(), set(), False
        lexical = sum(best.values())
        vsim = float(row["vsim"] or 0.0)
        # A word found only in the description ("beef flavoured", "for Samsung, Infinix") names the product
        # only when the meaning agrees too.
        head = head or (side_head and vsim >= DESCRIPTION_SUPPORT)
        metadata = row["metadata"]
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        hits.append(Hit(id=row["id"], name=row["name"], price=row["price"], currency=row["currency"] or "KES",
                        is_available=bool(row["is_available"]), description=row["description"],
                        metadata=metadata, vector=vsim, lexical=lexical, head_match=head,
                        is_service=is_service(row, metadata), variants=_product_variants(row), own_variants=_own_variants(row),
                        about=about, matched=frozenset(matched), named=frozenset(named)))
    by_vec = sorted(hits, key=lambda h: -h.vector)
    result.candidates = hits
    result.found_share = sum(1 for t in query.terms if idf[t]) / max(len(query.terms), 1)
    # Words ranked with a length norm: a product whose name says more than was asked ("Colour Printing" for
    # "printing", "Haircut and Beard Combo" for "a haircut") ranks behind one that says just that.
    terms = set(query.terms)
    kids_asked = search.for_children or bool(terms & CHILD_WORDS)  # a plain "haircut" is the grown-up one when both match as well
    for h in hits:
        if h.lexical > 0:
            h.name_extra = _name_extra(h.name, terms)
    by_lex = sorted((h for h in hits if h.lexical > 0),
                    key=lambda h: (-(h.lexical - NAME_EXTRA_PENALTY * h.name_extra), not h.is_available,
                                   _for_children(h.name) and not kids_asked, -h.vector))
    fused: dict[uuid.UUID, float] = {}
    for rank, h in enumerate(by_vec):
        fused[h.id] = fused.get(h.id, 0.0) + 1.0 / (RRF_K + rank + 1)
        h.vector_rank = rank
    for rank, h in enumerate(by_lex):
        fused[h.id] = fused.get(h.id, 0.0) + 1.5 / (RRF_K + rank + 1)
        h.lexical_rank = rank
    relevant = []
    for h in hits:
        strong_vec = h.vector >= VECTOR_STRONG
        h.fused = fused[h.id]
        if h.head_match or strong_vec or (h.lexical > 0 and h.about and h.vector >= VECTOR_SUPPORT):
            h.score = round(fused[h.id] / BEST_RRF, 4)
            h.relevant = True
            relevant.append(h)
    if not relevant:
        result.verdict = "evidence"
    asked = search.variants
    if asked and any(h.head_match for h in relevant):
        # "sugar ya 2kg": the 2kg maize flour is named by the size alone, not by the thing asked for
        relevant = [h for h in relevant if h.head_match or not h.named or not h.named <= asked]
    if relevant and max(h.vector for h in relevant) < VECTOR_STRONG and (
            missing := _missing_kind(search, idf, catalogue)):
        # "camel meat", "cooking gas", "school socks": the shop has the meat / the cooking oil / the school
        # shoes, but not the kind that was asked for; offering them as the answer would be wrong.
        log.debug("not sold: %r is not in this catalogue", missing)
        relevant, result.verdict = [], "kind"
    matched_kind = relevant  # what the brand, model and variant rules below may turn down
    if relevant and (brand := _unknown_brand(search, idf) or _unknown_variety(search, idf)
                     or _brand_only_in_services(search, idf, relevant, hits)):
        # A brand is a hard fact the embedding blurs ("Kingston flash" sits close to "SanDisk flash disk").
        log.debug("not sold: no product of the brand %r", brand)
        relevant, result.verdict = [], "brand"
    # "screen ya samsung a12 imepasuka": the repair (or cover, charger) asked for a model the shop does not sell
    # is still the repair; the phone missing is no reason to say "not sold"
    fitted, worked_on = _fitted_thing(search)
    # ... but the models that thing itself lists count ("Screen replacement for iPhone 11, 12 and 13": no iPhone 15)
    checked = _things_for_a_model(fitted, relevant) or relevant
    # work asked on a phone, where the shop has that work for no model of its own ("do you fix cracked screens?
    # samsung a14" was "we don't do that": the shop sells the A15, and repairs Samsungs; customer test s27). A make
    # the work does not list is said by engine.unlisted_make
    if (search.wants_service or search.books) and any(h.is_service for h in checked):
        # the phones it sells say nothing of the phones it works on; work listed for no model covers any (the
        # "iPhone Screen Replacement" for the 11 to 13 still says no to an iPhone 15)
        checked = [h for h in checked if h.is_service and any(_product_models(f"{h.name} . {h.description or ''}"))]
    if relevant and checked and (model := _missing_model(_models(search.words), checked)):
        log.debug("not sold: no %r among this shop's models", model)  # an iPhone 15 where there are 12 and 13
        relevant, result.verdict = [], "model"
    if relevant and checked and (edition := _missing_edition(search.words, checked)):
        log.debug("not sold: no %r among this shop's models", edition)  # an iPhone 13 Pro Max where there is a 13
        relevant, result.verdict = [], "model"
    if relevant and checked and (coded := _missing_coded_model(search.words, checked)):
        log.debug("not sold: no %r among this brand's models", coded)  # a Samsung S24 where there is a Galaxy A15
        relevant, result.verdict = [], "model"
    kinds = [h for h in relevant if h.matched - _GROUP_WORDS - CHILD_WORDS]  # matched by more than "watoto"
    if kids_asked and kinds and not any(_childrens(h) for h in kinds) and (
            any(_childrens(h) for h in hits) or all(_ADULT.search(f"{h.name} {h.description or ''}") for h in kinds)):
        # "helmet za watoto" where the shop names its children's things (a kids' bicycle) and this is not one of
        # them, or says it is for adults: the grown-up one is not what was asked for
        log.debug("not sold: nothing for children of this kind")
        relevant, result.verdict = [], "children"
    if relevant and (variant := _missing_variant(asked, relevant)):
        log.debug("not sold: no %r among this shop's variants", variant)  # a 128GB card where there are 32/64GB
        relevant, result.verdict = [], "variant"
    if result.verdict in ("brand", "model", "variant"):
        goods = sorted((h for h in matched_kind if not h.is_service), key=lambda h: -h.score)
        kind = _category(goods[0]) if goods else None  # the iPhone 13 for an iPhone 15, not the phone cover too
        result.instead = [h for h in goods if kind is None or _category(h) == kind][:3]
    # work asked: a repair verb, or a verb the shop is asked to do that names nothing in its catalogue
    # "kioo kimevunjika mnabadilisha?": replacing is what the shop's "Screen Replacement" does, not other work
    replacing = any(h.is_service and _REPLACES.search(f"{h.name} {h.description or ''}") for h in relevant)
    acted = any(not idf.get(a) and not (replacing and REPLACE_VERB.fullmatch(a)) for a in search.actions)
    wants_work = search.wants_service or acted
    objects = frozenset().union(*(h.named for h in relevant if not h.is_service))  # the things it sells named
    if relevant and acted and all(h.matched <= objects for h in relevant if h.is_service) and (
            max((h.vector for h in relevant if h.is_service), default=0.0) < VECTOR_STRONG):
        # "Mnapaka rangi baiskeli?": the shop's bicycle service matches only through the bicycle, which it sells;
        # nothing it does is the painting asked for
        log.debug("not sold: an action the shop's services do not name")
        relevant, result.verdict = [], "action"
    other_work = [h for h in relevant if h.is_service and h.matched and all(_WORK.fullmatch(m) for m in h.matched)]
    if other_work and len(other_work) == sum(h.is_service for h in relevant) \
            and any(idf.get(t) and not _WORK.fullmatch(t) for t in query.terms):
        # "battery replacement?": the SIM Card Replacement matched by "replacement" alone, and the battery, which the
        # shop names elsewhere, is no thing that work is done on (customer test s28)
        log.debug("not sold: the work asked is done on another thing")
        relevant, result.verdict = [], "action"
    if relevant and worked_on and not any(h.is_service and fitted & h.matched for h in relevant):
        # "battery replacement for iphone 13": no work of the shop's is done on a battery (it was the iPhone 13 itself,
        # or the SIM Card Replacement by "replacement"; owner test s30)
        log.debug("not sold: no work on the thing asked")
        relevant, result.verdict = [], "action"
    if relevant and wants_work and not any(h.is_service for h in relevant):
        log.debug("not sold: a repair/service asked, this shop only has goods like it")  # "Mnashona viatu?"
        relevant, result.verdict = [], "goods_only"
    if relevant and search.wants_goods and all(h.is_service for h in relevant):
        log.debug("not sold: a thing to buy asked, this shop only does work like it")  # "Mnauza clipper?" at a barber
        relevant, result.verdict = [], "service_only"
    if result.verdict in ("goods_only", "action"):  # work the shop does not do: the work it does
        result.instead = sorted((h for h in hits if h.is_service), key=lambda h: -h.vector)[:3]
    if not relevant:
        result.not_sold = True
        result.confidence = 0.8 if max((h.vector for h in hits), default=0.0) < 0.45 else 0.6
        return result
    if price_range is not None:
        low, high = price_range
        if (kind := _browsed_category(query, relevant)) is not None:
            # "simu chini ya 15k": the shop's phones in the range, not the phone cover and the screen repair (when
            # none of that category is in it, what else matched: "boots below 3000" -> the football boots)
            of_kind = [h for h in hits if _category(h) == kind]
            if any((low is None or h.price >= low) and (high is None or h.price <= high) for h in of_kind):
                relevant = of_kind
                for h in relevant:
                    h.score = h.score or round(h.fused / BEST_RRF, 4)
        inside = [h for h in relevant if (low is None or h.price >= low) and (high is None or h.price <= high)]
        if not inside:
            def distance(h: Hit) -> Decimal:
                return (low - h.price) if low is not None and h.price < low else (h.price - high if high else Decimal(0))

            result.outside_range = sorted(relevant, key=lambda h: (not h.is_available, distance(h)))[:2]
            result.confidence = 0.7
            return result
        # A budget is a filter over everything that is about the query, not only the closest few.
        inside.sort(key=lambda h: (-(h.score + (0.03 if h.is_available else 0.0)), h.name))
        result.hits = inside[:limit]
        result.confidence = round(min(0.95, 0.55 + 0.3 * inside[0].score), 2)
        return result
    # Available products first when the evidence is (nearly) the same.
    # The variant asked for first ("64 gigs", "4 by 6"), then work done (a service) when the message asks for a
    # repair or names a time ("kubadilisha kioo cha Itel kesho saa nne": the screen replacement, not the screen
    # protector), then the evidence; available products first when the evidence is (nearly) the same.
    work = wants_work or search.books  # a repair or an appointment: services first
    # a brand written where a brand goes ("mafuta ya Elianto lita tatu") before the variant asked: the Elianto 1L,
    # not the Fresh Fri 3L
    proper = {w for w, _ in _brand_words(search, idf) if idf[w]} if asked else set()
    # a model's initials ("af1", "ts20") name it as surely as its whole name: it comes before the shoes that are
    # only close in meaning ("nataka AF1 mbili size 44" was the Superstar)
    initials = {t for t in query.terms if any(t in _acronyms(h.name) for h in relevant)}
    # the thing named first is what is wanted, the model after "ya" only what it fits: "cover ya tecno spark 20" is the
    # cover, not the phone whose name matches three words ... the model named is itself of that kind ("simu ya Itel A70": the Itel is a smartphone)
    fits = any(fitted & h.matched for h in relevant) and not any(
        _of_kind(h, fitted) for h in relevant if not fitted & h.matched)
    # (before a brand written after "ya": "phone cover ya samsung a15" is the cover, not the Samsung)
    # for children, the children's thing first, unless another is the thing named and it is not: "football boots za
    # mtoi size 34" was two pairs of school shoes (the boots come in 38-44; customer test s27)
    thing_named = any(h.named - _GROUP_WORDS - CHILD_WORDS for h in relevant)
    relevant.sort(key=lambda h: (-(fits and bool(fitted & h.matched)), -len(proper & h.named),
                                 -len(asked & h.variants),
                                 -(kids_asked and _childrens(h) and (not thing_named
                                                                     or bool(h.named - _GROUP_WORDS - CHILD_WORDS))),
                                 -(work and h.is_service), -bool(h.named & initials),
                                 -(h.score + (0.03 if h.is_available else 0.0)), h.name))
    if search.wants_goods and not work and any(not h.is_service for h in relevant):
        relevant = [h for h in relevant if not h.is_service]  # "do you sell tecno phones?": not the screen repair too
    if fits:  # (what it fits may have been a service just left out: "nataka kununua samsung a15 lakini ..." crashed)
        relevant = [h for h in relevant if fitted & h.matched] or relevant
    top = relevant[0]
    keep = [h for h in relevant
            if h.score >= 0.8 * top.score and h.lexical >= 0.7 * top.lexical and h.vector >= top.vector - 0.12][:limit]
    if (kind := _browsed_category(query, relevant)) is not None:
        # "phones?", "mna simu gani?": the shop's phones, not the Phone Cover whose name says "phone" loudest
        keep = sorted((h for h in hits if _category(h) == kind), key=lambda h: (
            not h.relevant, -(h.score + (0.03 if h.is_available else 0.0)), not h.is_available, h.name))[:limit]
        for h in keep:
            h.score = h.score or round(h.fused / BEST_RRF, 4)
        top = keep[0]
    result.hits = keep
    margin = top.score - (relevant[1].score if len(relevant) > 1 else 0.0)
    evidence = min(1.0, (0.5 if top.head_match else 0.0) + max(0.0, top.vector - 0.2))
    result.confidence = round(min(0.98, 0.45 + 0.25 * evidence + 0.15 * top.score + 0.2 * margin), 2)
    return result
