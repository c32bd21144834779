"""Small learned classifiers for the understanding pass: language (SHENG/SWA/ENG), escalation and other intents.

Rules generalise poorly at two boundaries: Sheng versus plain Swahili carrying a loanword, and complaints,
requests for a person or opt-outs worded in ways no pattern foresaw. Three multinomial logistic regressions
over the same sparse features help there:

- features (`features`), read after text-message spellings are written out (`SMS_WORDS`: "hw", "r u",
  "tmrw", "howmuch"): character 2-5-grams of each word (word boundaries marked), words, word pairs
  (with the sentence start), which of the engine's lexicons (`mtaabot/data/lexicon_*.txt`) each word is in,
  and a few shape cues (length, question mark); each block L2-normalised;
- cue words (`CUES`): a stop verb, a messages noun, a person noun, a talk verb, "bot" (or "computer",
  "system"), "the one in charge", and their pairs;
- `language`: SHENG / SWA / ENG;
- `intent`: complaint / human / opt_out / other;
- `kind` (the full-intent head): product / order / booking / haggle / location_hours / delivery / payment /
  greeting / thanks / other, read where the rules fall back to a plain product question or nothing;
- `embedding` (beside the heads): a fourth logistic regression over the message's sentence vector (the query
  encoder's vector of the expanded query, `Understanding.query.english`, which retrieval encodes anyway), whose
  complaint / human / opt_out / other probabilities are blended into the `intent` head's for the escalation
  decision (`blend_intent`). Character n-grams learn an author's surface cues; the sentence vector carries
  paraphrases they have never seen ("kuna mtu naweza kuongea naye" near "I want to talk to someone"). Its weights
  belong to one encoder: the file records `embeddings.model_version()` and the head is used only while the
  running encoder is that one (a retrained encoder switches it off until `make understanding-model`);
- `kind_vec`: the full-intent head trained on the same n-gram features plus the sentence vector as 384 more
  features (`vector_features`), read instead of `kind` when the message's vector is given and the head was
  trained on the running encoder.

The weights are a committed artefact, `mtaabot/data/understanding_model.json`, produced deterministically
from the repository's training files by `make understanding-model` (`python -m
mtaabot.devtools.train_understanding`; scikit-learn is needed only there). Inference here is plain Python
(a dictionary from feature to row, one small numpy product): loading takes a few tens of milliseconds
and a prediction well under one.
How the rules and these probabilities are combined lives with the rules (`mtaabot.language`,
`mtaabot.intents`).
"""

from __future__ import annotations

import base64
import functools
import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

MODEL_FILE = "understanding_model.json"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+[a-z]*")


@functools.cache
def _lexicons() -> tuple[tuple[str, frozenset[str]], ...]:
    from mtaabot.language import english_lexicon, sheng_words, swahili_words

    return (("sheng", sheng_words()), ("swa", swahili_words()), ("eng", english_lexicon()))


# Text-message spellings and run-together words, written out as the words they stand for ("hw much" -> "how
# much", "r u open tmrw" -> "are you open tomorrow", "howmuch" -> "how much", "ngap" -> "ngapi"), so that a short
# SMS-style message meets the same features and patterns as the full spelling. Only forms with no other
# everyday meaning in English, Swahili or Sheng are listed.
SMS_WORDS: dict[str, str] = {
    # English
    "hw": "how", "u": "you", "r": "are", "ur": "your", "wht": "what", "wat": "what", "wot": "what", "whn": "when",
    "wen": "when", "whr": "where", "pls": "please", "plz": "please", "pliz": "please", "plse": "please",
    "thnx": "thanks", "thanx": "thanks", "thnks": "thanks", "thks": "thanks", "tnx": "thanks", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmoro": "tomorrow", "tomoro": "tomorrow", "2moro": "tomorrow", "2mrw": "tomorrow",
    "2day": "today", "tdy": "today", "2nite": "tonight", "tonite": "tonight", "gud": "good", "gd": "good",
    "mrng": "morning", "cn": "can", "cud": "could", "cld": "could", "wud": "would", "shd": "should", "hv": "have",
    "dnt": "don't", "dont": "don't", "cnt": "can't", "cant": "can't", "im": "i'm", "ive": "i've", "msg": "message",
    "msgs": "messages", "abt": "about", "bcoz": "because", "bcz": "because", "coz": "because", "ppl": "people",
    "sm1": "someone", "some1": "someone", "any1": "anyone", "nt": "not", "wanna": "want to", "gonna": "going to",
    "gimme": "give me", "lemme": "let me", "howmuch": "how much", "thankyou": "thank you", "mch": "much",
    "hw mch": "how much", "pric": "price", "prce": "price", "gv": "give", "ttl": "total",
    "goodmorning": "good morning", "goodevening": "good evening", "goodafternoon": "good afternoon",
    "hlo": "hello", "hallo": "hello", "tym": "time", "nyt": "night", "nite": "night",
    # Swahili and Sheng
    "ngap": "ngapi", "wap": "wapi", "xaxa": "sasa", "xawa": "sawa", "cjui": "sijui", "asnt": "asante",
    "asnte": "asante", "tafadhal": "tafadhali", "hbr": "habari", "hbari": "habari", "nko": "niko", "gan": "gani",
}


def unabbreviate(words: list[str]) -> list[str]:
    """`words` with SMS spellings written out (see `SMS_WORDS`)."""
    out: list[str] = []
    for w in words:
        out.extend(SMS_WORDS.get(w, w).split())
    return out


_DIGIT = re.compile(r"\d")


def tokens(text: str) -> list[str]:
    """Lower-case words, SMS spellings written out, digits folded to 0 ("size 42" -> "size", "00")."""
    return [_DIGIT.sub("0", w) if _DIGIT.search(w) else w for w in unabbreviate(_WORD.findall((text or "").lower()))]


@functools.lru_cache(maxsize=20000)
def word_kind(w: str) -> str:
    """What the rule-based detector's word evidence says about one word (lexicon, affixes, shape)."""
    from mtaabot import language as lang

    if w in lang.NEUTRAL or w[:1].isdigit():
        return "neutral"
    found = [name for name, lexicon in _lexicons() if w in lexicon]
    if found:
        return "+".join(found)
    if lang._english_root(w):
        return "eroot"  # an English verb wearing Swahili affixes ("nimeorder", "kucancel")
    swa_shape = bool(lang._SWA_SHAPE.match(w))
    if swa_shape and lang._SWA_PREFIX.match(w) and len(w) >= 6:
        return "swaverb"
    if w in lang._model_vocabulary():
        return "engvocab" if not swa_shape else "engvocab_open"
    if swa_shape and len(w) >= 3:
        return "swashape"
    if lang._ENG_SHAPE.search(w):
        return "engshape"
    return "unknown"


# Word classes for cues the patterns use by construction, as features the model can weigh in any wording:
# a stop verb next to a messages noun is an opt-out; a person noun next to a talk verb asks for a person.
CUES: dict[str, re.Pattern[str]] = {
    "stop": re.compile(r"^(?:acha|acheni|wacha|wacheni|stop|sitaki|unsubscribe|quit|remove|delete|futa|futeni|nifute|"
                       r"nifuteni|mfute|ondoa|ondoeni|niondoe|niondoeni|nitoe|nitoeni|kome|mkome|opt|cancel|end|"
                       r"dont|don't|no|never|usinitumie|msinitumie|usiniandikie|msiniandikie|usinitext|msinitext)$"),
    "msg": re.compile(r"^(?:messages?|msgs?|meseji|ujumbe|jumbe|sms|texts?|ads|adverts?|advertisements?|promos?|"
                      r"promotions?|offers?|ofa|matangazo|tangazo|updates?|list|listi|orodha|broadcast|spam|"
                      r"subscription|contacts|mailing)$"),
    "neg_me": re.compile(r"^(?:usi|msi)ni\w{3,}$|^(?:kunitumia|kunitext|kunisumbua|kunispam|kunisend)$"),
    "person": re.compile(r"^(?:mtu|msee|mse|binadamu|mwanadamu|human|person|someone|somebody|owner|manager|meneja|boss|"
                         r"bosi|mdosi|staff|attendant|mhudumu|mfanyakazi|supervisor|msimamizi|proprietor|mwenye|"
                         r"pharmacist|mfamasia|fundi|incharge|charge)$"),
    "talk": re.compile(r"^(?:\w*ongea\w*|\w*zungumza\w*|\w*bong\w*|talk|speak|chat|\w*call\w*|\w*pigi\w*|"
                       r"contact|reach|phone|ring|kuchat|niongee|tuongee)$"),
    "bot": re.compile(r"^(?:bot|robot|roboti|mashine|machine|computer|kompyuta|system|mfumo|automatic|automated|ai)$"),
    "in_charge": re.compile(r"^(?:mhusika|mwenyewe|incharge|responsible|anasimamia|anayehusika|runs|owns)$"),
}
_CUE_PAIRS = (("stop", "msg"), ("neg_me", "msg"), ("person", "talk"), ("bot", "person"), ("in_charge", "talk"),
              ("in_charge", "person"))


_ENGLISH_KINDS = frozenset({"eng", "eroot", "engvocab", "engshape"})
_SWAHILI_KINDS = frozenset({"swa", "swaverb", "swashape"})


@functools.lru_cache(maxsize=4096)  # ~2 KB a word (its n-grams): <= ~8 MB per process
def _word_parts(w: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """What one word adds to a message's features, in the order `features` counts them: its character
    2-5-grams ("c:..." with word boundaries marked), the lexicons it is in ("lex:...", or "lex:none") and the
    cue classes it matches (`CUES`). Cached per word: a message's features are mostly its words'."""
    padded = f" {w} "
    grams = tuple("c:" + padded[i:i + n] for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1))
    found = [name for name, lexicon in _lexicons() if w in lexicon]
    cues = frozenset(name for name, rx in CUES.items() if rx.match(w))
    return grams, tuple("lex:" + name for name in found or ["none"]), cues


_NAME = re.compile(r"(?<=[a-z0-9,] )[A-Z][a-z]+")
_LENGTH = ["0", "1", "2", "3-4", "3-4", "5-8", "5-8", "5-8", "5-8"]  # word count -> its "len:" bucket (9+ beyond)


@functools.lru_cache(maxsize=4096)
def features(text: str) -> tuple[tuple[str, float], ...]:
    """The sparse feature vector of one message (cached: language and intent read the same text)."""
    words = tokens(text)
    blocks: dict[str, Counter[str]] = {"c": Counter(), "w": Counter(), "b": Counter(), "m": Counter(),
                                       "k": Counter(), "q": Counter()}
    # capitalised words after the first are names (places, people, brands), as the rules read them
    names = {w.lower() for w in _NAME.findall(text or "")}
    kinds = ["name" if w in names and word_kind(w) not in ("swa", "sheng", "sheng+swa") else word_kind(w)
             for w in words]
    for kind in kinds:
        blocks["k"]["k:" + kind] += 1
    n_eng = sum(k in _ENGLISH_KINDS for k in kinds)
    n_swa = sum(k in _SWAHILI_KINDS or k == "engvocab_open" for k in kinds)
    n_sheng = sum("sheng" in k for k in kinds)
    mix = ("eng" if n_eng else "") + ("swa" if n_swa else "") + ("sheng" if n_sheng else "")
    blocks["k"]["mix:" + (mix or "none")] += 1
    if n_eng and n_swa:
        blocks["k"]["mix:eng_share:" + str(min(4, round(4 * n_eng / (n_eng + n_swa))))] += 1
    cues: set[str] = set()
    for w, kind in zip(words, kinds, strict=True):
        grams, lexicons, word_cues = _word_parts(w)
        cues |= word_cues
        if kind == "name":  # a place, person or brand says nothing about the register or the intent
            continue
        blocks["w"]["w:" + w] += 1
        blocks["c"].update(grams)
        blocks["m"].update(lexicons)
    for name in cues:
        blocks["q"]["q:" + name] += 1
    for a, b in _CUE_PAIRS:
        if a in cues and b in cues:
            blocks["q"][f"q:{a}+{b}"] += 1
    plain = ["<name>" if kind == "name" else w for w, kind in zip(words, kinds, strict=True)]
    for a, b in zip(["^", *plain], [*plain, "$"], strict=True):
        blocks["b"][f"b:{a}_{b}"] += 1
    blocks["m"]["len:" + (_LENGTH[len(words)] if len(words) < len(_LENGTH) else "9+")] += 1
    if "?" in (text or ""):
        blocks["m"]["p:?"] += 1
    out: list[tuple[str, float]] = []
    for counts in blocks.values():
        values = {k: 1.0 + math.log(v) for k, v in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        out.extend((k, v / norm) for k, v in sorted(values.items()))
    return tuple(out)


class _FeatureIds:
    """Every feature name a loaded head weighs, numbered once per process, and each message's features as
    (numbers, values) arrays: a head finds its weight rows with one array lookup instead of a dictionary
    look-up per feature. Features no head knows are numbered -1. The numbering only grows (by the names of
    heads made later, e.g. while training), and then the per-message arrays are worked out again."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, names: list[str]) -> np.ndarray:
        """The numbers of `names` (numbering the new ones)."""
        with self._lock:
            before = len(self.ids)
            for name in names:
                self.ids.setdefault(name, len(self.ids))
            if len(self.ids) != before:
                self.of_text.cache_clear()
            return np.fromiter((self.ids[n] for n in names), dtype=np.intp, count=len(names))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per process, kept for its life
    def of_text(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        found = features(text)
        get = self.ids.get
        return (np.fromiter((get(name, -1) for name, _ in found), dtype=np.intp, count=len(found)),
                np.fromiter((value for _, value in found), dtype=np.float64, count=len(found)))


_FEATURE_IDS = _FeatureIds()


VECTOR_SCALE = 1.0  # the sentence vector's weight beside the n-gram blocks (each L2-normalised) in `kind_vec`


def vector_features(vector: np.ndarray, scale: float = VECTOR_SCALE) -> tuple[tuple[str, float], ...]:
    """A sentence vector as named features ("e:000" ... "e:383") for a head that reads it beside the n-grams."""
    return tuple((f"e:{j:03d}", scale * float(v)) for j, v in enumerate(vector))


@dataclass(frozen=True)
class Head:
    """One multinomial logistic regression: classes, intercepts and a weight row per known feature (and, for a
    head trained with sentence vectors, the rows of the vector's dimensions and the encoder it was trained on)."""

    classes: tuple[str, ...]
    intercept: np.ndarray  # (classes,)
    index: dict[str, int]  # feature name -> row of `weights`
    weights: np.ndarray  # (features, classes), float32
    vector_dims: np.ndarray | None = None  # dimensions of the sentence vector with a weight row ...
    vector_rows: np.ndarray | None = None  # ... and those rows
    encoder: str | None = None
    # `_FeatureIds` number -> row of `weights` (-1: not a feature of this head; the last entry is that -1 for
    # numbers given after this head was made), and the weights as float64 (what `proba` multiplies with)
    row_of: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    weights64: np.ndarray = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        names = list(self.index)
        ids = _FEATURE_IDS.add(names)
        row_of = np.full(int(ids.max(initial=-1)) + 2, -1, dtype=np.intp)
        row_of[ids] = [self.index[n] for n in names]
        object.__setattr__(self, "row_of", row_of)
        object.__setattr__(self, "weights64", self.weights.astype(np.float64))

    @classmethod
    def from_json(cls, head: dict) -> Head:
        names = head["names"].split("\n") if head["names"] else []
        weights = np.frombuffer(base64.b64decode(head["weights"]), dtype="<f4").reshape(len(names), -1)
        index = dict(zip(names, range(len(names)), strict=True))
        dims = [(int(n[2:]), i) for n, i in index.items() if n.startswith("e:")]
        return cls(tuple(head["classes"]), np.asarray(head["intercept"], dtype=np.float64), index, weights,
                   np.asarray([d for d, _ in dims], dtype=np.intp) if dims else None,
                   np.asarray([i for _, i in dims], dtype=np.intp) if dims else None, head.get("encoder"))

    def proba(self, text: str, vector: np.ndarray | None = None) -> dict[str, float]:
        ids, values = _FEATURE_IDS.of_text(text)
        rows = self.row_of[np.minimum(ids, len(self.row_of) - 1)]  # -1 and later numbers: the final -1
        known = rows >= 0
        z = self.intercept + (values[known] @ self.weights64[rows[known]] if known.any() else 0.0)
        if vector is not None and self.vector_rows is not None:
            z = z + (VECTOR_SCALE * np.asarray(vector, dtype=np.float64)[self.vector_dims]) @ \
                self.weights64[self.vector_rows]
        e = np.exp(z - z.max())
        p = e / e.sum()
        return dict(zip(self.classes, p.tolist(), strict=True))


@dataclass(frozen=True)
class EmbeddingHead:
    """A logistic regression over a sentence vector, for the encoder it was trained with."""

    classes: tuple[str, ...]
    intercept: np.ndarray  # (classes,)
    weights: np.ndarray  # (dimensions, classes), float32
    encoder: str  # embeddings.model_version() of the vectors it was trained on
    blend: float  # its share of the blended probabilities

    @classmethod
    def from_json(cls, head: dict) -> EmbeddingHead:
        weights = np.frombuffer(base64.b64decode(head["weights"]), dtype="<f4").reshape(head["dimensions"], -1)
        return cls(tuple(head["classes"]), np.asarray(head["intercept"], dtype=np.float64), weights, head["encoder"],
                   float(head["blend"]))

    def proba(self, vector: np.ndarray) -> dict[str, float]:
        z = self.intercept + np.asarray(vector, dtype=np.float64) @ self.weights
        e = np.exp(z - z.max())
        p = e / e.sum()
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


@functools.cache
def _raw() -> dict:
    return json.loads((resources.files("mtaabot") / "data" / MODEL_FILE).read_text(encoding="utf-8"))


@functools.cache
def model() -> dict[str, Head]:
    """The committed heads ({"language": Head, "intent": Head}); read once per process."""
    return {name: Head.from_json(h) for name, h in _raw()["heads"].items()}


@functools.cache
def _embedding_head(encoder: str) -> EmbeddingHead | None:
    head = _raw().get("embedding")
    if not head or head["encoder"] != encoder:
        return None
    return EmbeddingHead.from_json(head)


def running_encoder() -> str:
    """`embeddings.model_version()` of the query encoder this process runs, looked up once per settings."""
    global _encoder_for
    from mtaabot.config import get_settings

    settings = get_settings()
    cached = _encoder_for
    if cached is not None and cached[0] is settings:
        return cached[1]
    from mtaabot.embeddings import model_version

    version = model_version()
    _encoder_for = (settings, version)
    return version


_encoder_for: tuple[object, str] | None = None  # (the settings it was looked up for, the encoder's version)


def embedding_head() -> EmbeddingHead | None:
    """The sentence-vector head when it was trained on the running query encoder's vectors, else None (the
    intent head alone decides, as before it existed)."""
    return _embedding_head(running_encoder())


def blend_weight() -> float:
    """The sentence-vector head's share of the blended intent probabilities (0 when it is not usable)."""
    head = embedding_head()
    return head.blend if head is not None else 0.0


def blend_intent(sparse: dict[str, float], vector: np.ndarray | None) -> dict[str, float]:
    """The intent head's probabilities (`sparse`) blended with the sentence-vector head's for `vector`:
    (1 - w) * sparse + w * embedding, w = `blend_weight()`; `sparse` itself without a vector or a usable head."""
    head = embedding_head()
    if vector is None or head is None:
        return sparse
    dense = head.proba(vector)
    return {k: (1 - head.blend) * v + head.blend * dense[k] for k, v in sparse.items()}


_batch = threading.local()


def batch_memo() -> None:
    """Start this thread's memo of the n-gram heads' probabilities (language, intent, kind without a vector)
    for the texts of one worker micro-batch (`engine.prepare_batch`): a message's language ID, its intent
    classified before and after its batch's vectors are encoded, and the opt-out check then read each head once.
    The memo of the thread's previous batch is dropped (nothing is kept across batches)."""
    _batch.memo = {}


def _ngram_proba(name: str, text: str) -> dict[str, float]:
    memo: dict[tuple[str, str], dict[str, float]] | None = getattr(_batch, "memo", None)
    if memo is None:
        return model()[name].proba(text)
    found = memo.get((name, text))
    if found is None:
        found = memo[(name, text)] = model()[name].proba(text)
    return dict(found)


def language_proba(text: str) -> dict[str, float]:
    """P(SHENG), P(SWA), P(ENG) for one message."""
    return _ngram_proba("language", text)


def intent_proba(text: str) -> dict[str, float]:
    """P(complaint), P(human), P(opt_out), P(other) for one message."""
    return _ngram_proba("intent", text)


def kind_proba(text: str, vector: np.ndarray | None = None) -> dict[str, float]:
    """What an everyday message asks for: P(product), P(order), P(booking), P(haggle), P(location_hours),
    P(delivery), P(payment), P(greeting), P(thanks), P(other). With the message's sentence vector (the query
    encoder's, of its expanded query) the `kind_vec` head reads it beside the n-grams, when that head was
    trained on the running encoder; else the n-gram `kind` head."""
    heads = model()
    with_vector = heads.get("kind_vec")
    if vector is not None and with_vector is not None and with_vector.encoder == running_encoder():
        return with_vector.proba(text, vector)
    return _ngram_proba("kind", text)
