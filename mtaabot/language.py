"""Language identification for customer messages: SHENG, SWA or ENG with a confidence in [0, 1].

No off-the-shelf detector knows Sheng, so this combines:
- lexicons (mtaabot/data/lexicon_*.txt): English, Swahili and Sheng words, incl. Sheng spellings
  and contractions ("naeza", "sahii", "doh", "msee");
- Swahili morphology for words not in a lexicon (verb prefixes ni-/na-/m-/ku-/wa-..., vowel endings)
  and English morphology (-ing, -tion, consonant endings);
- code-mixing: Swahili grammar with English words spliced in is Sheng (the labelling rule);
- lingua (restricted to Swahili/English) as a tie-breaker for words nothing else recognises;
- a learned classifier (`mtaabot.understanding_model`, trained on hand-written and development sentences)
  whose probabilities are averaged with these rules' scores: it knows the register boundary (plain Swahili
  with an established loanword versus Swahili with English spliced in) better than word lists do.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from importlib import resources

from mtaabot.understanding_model import language_proba
from mtaabot.vocabulary import WORDS, words

LANGUAGES = ("SHENG", "SWA", "ENG")
LEARNED_WEIGHT = 0.7  # share of the learned classifier in the final scores (the rest: the rules below)
# Local names of things: an English sentence naming one ("How much is unga?") stays English.
PRODUCT_WORDS = frozenset(WORDS)


@functools.cache
def _lexicon(name: str) -> frozenset[str]:
    text = (resources.files("mtaabot") / "data" / f"lexicon_{name}.txt").read_text(encoding="utf-8")
    out: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.update(line.split())
    return frozenset(out)


def sheng_words() -> frozenset[str]:
    return _lexicon("sheng")


def english_lexicon() -> frozenset[str]:
    return _lexicon("english")


def swahili_words() -> frozenset[str]:
    return _lexicon("swahili")


@functools.cache
def english_words() -> frozenset[str]:
    return _lexicon("english")


@functools.cache
def _model_vocabulary() -> frozenset[str]:
    """Whole words of the packaged MiniLM (English BERT) vocabulary: a broad English word list."""
    try:
        from mtaabot.embeddings import model_path

        lines = (model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, ImportError):  # pragma: no cover - model package missing
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and len(w) >= 3)


# Words that belong to every register (numbers, brand names, established loanwords).
NEUTRAL = frozenset("""
mpesa m-pesa kra pin cv id ok okay kilo kes ksh sh bob km kg ml l g gb mb mah tv usb sim type-c
whatsapp facebook instagram tiktok safaricom airtel telkom equity kcb samsung tecno infinix itel
iphone nokia oraimo nike adidas bamburi jogoo kabras brookside ketepa royco sunlight pishori
""".split())

_SWA_PREFIX = re.compile(
    r"^(ni|na|u|a|tu|m|wa|ki|vi|zi|li|ya|i|ku|kwa|ha|hu|si|ta|me|ja|mna|mme|tume|nime|ume|ame|wame|"
    r"nita|uta|ata|tuta|mta|wata|ina|zina|ili|ime|ita|nili|uli|ali|tuli|mli|wali|niki|ukis|akis)"
)
_SWA_SHAPE = re.compile(r"^(?:[bcdfghjklmnpstvwyz]{0,3}[aeiou])+$")  # open syllables, vowel final
_ENG_SHAPE = re.compile(r"(ing|tion|ness|ment|ly|ed|er|est|th|ck|sh|gh|ph|wh|[bcdfgklmnprstxz])$")


@dataclass(frozen=True)
class LanguageResult:
    language: str
    confidence: float
    scores: dict[str, float]


def _word_votes(w: str) -> tuple[float, float, float]:
    """(sheng, swahili, english) evidence for one word."""
    sheng, swa, eng = sheng_words(), swahili_words(), english_words()
    if w in NEUTRAL or w.isdigit() or re.fullmatch(r"\d+[a-z]{0,3}", w):
        return 0.0, 0.0, 0.0
    s = 1.0 if w in sheng else 0.0
    k = 1.0 if w in swa else 0.0
    e = 1.0 if w in eng else 0.0
    if s or k or e:
        return s * 1.4, k, e
    # English verb with Swahili affixes ("kucancel", "nimeorder", "typiwa", "mnaopen") -> Sheng.
    if _english_root(w):
        return 1.2, 0.0, 0.0
    swa_shape = bool(_SWA_SHAPE.match(w))
    if swa_shape and _SWA_PREFIX.match(w) and len(w) >= 6:
        return 0.0, 0.6, 0.0
    if w in _model_vocabulary():
        return 0.0, 0.0, 0.8
    if swa_shape and len(w) >= 3:
        return 0.0, 0.5, 0.0
    if _ENG_SHAPE.search(w):
        return 0.0, 0.0, 0.5
    guess = _lingua_word(w)
    if guess == "SWA":
        return 0.0, 0.35, 0.0
    if guess == "ENG":
        return 0.0, 0.0, 0.35
    return 0.0, 0.0, 0.0


_SHENG_PREFIXES = ("nimeku", "nitaku", "naku", "nili", "uli", "ali", "tuli", "mli", "wali", "nita", "tuta", "wata", "nime", "tume", "wame", "mme", "ume", "ame", "ime", "ita",
                   "uta", "ata", "mna", "ina", "ku", "na", "ni", "tu", "wa", "m", "u", "a")
_SHENG_SUFFIXES = ("ishwa", "isha", "iwa", "ika", "ia", "wa", "i")


def _is_english_word(root: str) -> bool:
    if root in english_words():
        return True
    # BERT vocabulary holds foreign words too: accept only roots that do not look Swahili (consonant end).
    return len(root) >= 4 and root in _model_vocabulary() and root[-1] not in "aeiou"


@functools.lru_cache(maxsize=20000)
def _english_root(w: str) -> bool:
    """True for an English word wearing Swahili verb affixes."""
    if w in swahili_words() or len(w) < 5:
        return False
    for prefix in _SHENG_PREFIXES:
        if w.startswith(prefix) and len(w) - len(prefix) >= 3:
            root = w[len(prefix):]
            if _is_english_word(root):
                return True
            for suffix in _SHENG_SUFFIXES:
                if root.endswith(suffix) and len(root) - len(suffix) >= 3:
                    stem = root[: -len(suffix)]
                    if any(_is_english_word(c) for c in (stem, stem + "e")):
                        return True
    for suffix in _SHENG_SUFFIXES[:3]:
        if w.endswith(suffix):
            stem = w[: -len(suffix)]
            if len(stem) >= 3 and any(_is_english_word(c) for c in (stem, stem + "e")):
                return True
    return False


@functools.cache
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SWAHILI).build()


@functools.lru_cache(maxsize=20000)
def _lingua_word(w: str) -> str | None:
    from lingua import Language

    try:
        values = _lingua().compute_language_confidence_values(w)
    except Exception:  # pragma: no cover - lingua is a best-effort tie-breaker
        return None
    best = max(values, key=lambda v: v.value)
    if best.value < 0.7:
        return None
    return "SWA" if best.language == Language.SWAHILI else "ENG"


def detect_language(text: str) -> LanguageResult:
    """Classify one message. Confidence reflects how much evidence there is and how one-sided it is."""
    tokens = words(text)
    # Capitalised words after the first are names (places, brands): no language evidence.
    names = {w.lower() for w in re.findall(r"(?<=[a-z0-9,] )[A-Z][a-z]+", text)}
    tokens = [w for w in tokens if w not in names or w in swahili_words() or w in sheng_words()]
    sheng_ev = swa_ev = eng_ev = swa_grammar = 0.0
    for w in tokens:
        s, k, e = _word_votes(w)
        if k and w not in PRODUCT_WORDS:
            swa_grammar += k
        # A word known in several lexicons (e.g. "na", "i") counts weakly for each.
        n = (s > 0) + (k > 0) + (e > 0)
        if n > 1:
            s, k, e = s / n, k / n, e / n
        sheng_ev += s
        swa_ev += k
        eng_ev += e
    total = sheng_ev + swa_ev + eng_ev
    if total == 0:  # no words at all (emoji, "???", digits): English at 0.5, a guess the engine treats as weak
        scores = {"SHENG": 0.2, "SWA": 0.3, "ENG": 0.5}
        return LanguageResult("ENG", 0.5, scores)
    # Code-mixing: both Swahili and English evidence in one message is the Sheng register.
    # A sure Sheng word, or Swahili grammar with English words spliced in, is the Sheng register.
    mixed = eng_ev >= 0.5 and swa_ev >= 0.5
    sheng_score = sheng_ev * 2.5
    swa_score = swa_ev
    eng_score = eng_ev
    if mixed and not (eng_ev >= 3 * swa_ev and eng_ev >= 2.5 and swa_grammar < 0.5):
        # (an English sentence with one local product word stays English)
        sheng_score += swa_ev + eng_ev
        swa_score *= 0.4
        eng_score *= 0.4
    elif sheng_ev >= 1.0 and not (eng_ev >= 3 * (swa_ev + sheng_ev) and eng_ev >= 3):
        sheng_score += swa_ev + eng_ev
        swa_score *= 0.5
        eng_score *= 0.5
    elif sheng_ev and eng_ev >= 3 * (swa_ev + sheng_ev) and eng_ev >= 3:
        sheng_score *= 0.5
    raw = {"SHENG": sheng_score, "SWA": swa_score, "ENG": eng_score}
    norm = sum(raw.values())
    rules = {k: v / norm for k, v in raw.items()}
    # The learned classifier (char n-grams + this module's word evidence, mtaabot.understanding_model) decides
    # with the rules: a weighted mean of its probabilities and the rules' shares (weight chosen by 5-fold
    # cross-validation on the hand-written training sentences, which the rules were never tuned on).
    learned = language_proba(text)
    scores = {k: LEARNED_WEIGHT * learned[k] + (1 - LEARNED_WEIGHT) * rules[k] for k in LANGUAGES}
    label = max(scores, key=lambda k: scores[k])
    # Confidence: share of the winning score, shrunk when there is little evidence (short messages).
    share = scores[label]
    evidence = 1.0 - math.exp(-total / 1.5)
    confidence = round(max(0.34, min(0.99, 0.34 + (share - 0.34) * (0.45 + 0.55 * evidence) * 1.1)), 2)
    return LanguageResult(label, confidence, {k: round(v, 3) for k, v in scores.items()})
