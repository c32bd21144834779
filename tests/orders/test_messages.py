"""The message catalogue (mtaabot/data/messages.toml): complete in every register, same fields everywhere,
Swahili without stray English template words, Sheng that reads as Sheng."""

from __future__ import annotations

import re
import string

from mtaabot.messages import LANGS, catalogue
from tests.conftest import ROOT

ENGLISH_FUNCTION_WORDS = {"the", "and", "your", "you", "is", "are", "we", "please", "with", "for", "of", "our",
                          "will", "have", "has", "to", "it", "this", "that", "a", "an", "be", "can", "reply"}
SWAHILI_MARKERS = {"uli", "ume", "ime", "nime", "ku", "uta", "ina", "hizi", "ndizo", "ziko", "za", "la", "cha", "vya", "hii", "hiyo", "sasa", "leo", "kesho",
                   "ni", "na", "ya", "wa", "kwa", "iko", "sawa", "poa", "msee", "yako", "yetu", "tu", "pole",
                   "asante", "karibu", "niambie", "nikuwekee", "ama", "lakini", "kama", "bado", "hapa", "sahii",
                   "hatuna", "tuko", "imeisha", "zimebaki", "utapata", "jibu", "nitumie", "mwenye", "duka"}


_LEXICON = set()
for _name in ("lexicon_swahili.txt", "lexicon_sheng.txt"):
    _LEXICON |= set(re.findall(r"[a-z']+", (ROOT / "mtaabot" / "data" / _name).read_text().lower()))
_SWAHILI_VERB = re.compile(r"^(ime|uta|tuta|nime|ume|ame|tume|ana|tuna|una|ita|ku|nita|ali|tuli|hu)[a-z]{3,}$")


def _swahili(words: set[str]) -> bool:
    return bool(words & (SWAHILI_MARKERS | _LEXICON) or any(_SWAHILI_VERB.match(w) for w in words))


def _entries():
    texts = catalogue()
    for section in ("reply", "order", "order_state", "mpesa_failure", "open", "close_offer", "close_soft"):
        for key, by_lang in texts[section].items():
            yield f"{section}.{key}", by_lang
    for tone, by_lang in texts["tone_reply"].items():
        for lang, moves in by_lang.items():
            for move, text in moves.items():
                yield f"tone_reply.{tone}.{move}", {lang: text}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", re.sub(r"\{[^}]*\}", " ", text.lower())))


def test_every_text_has_every_register_and_the_same_fields():
    for key, by_lang in _entries():
        if key.startswith("tone_reply."):
            continue
        assert set(by_lang) == set(LANGS), key
        fields = {lang: _fields(text) for lang, text in by_lang.items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, (key, fields)


def test_swahili_texts_have_no_stray_english_template_words():
    for key, by_lang in _entries():
        text = by_lang.get("SWA")
        if text:
            stray = _words(text) & ENGLISH_FUNCTION_WORDS
            assert not stray, (key, text, stray)


def test_sheng_texts_read_as_sheng_not_english():
    for key, by_lang in _entries():
        text = by_lang.get("SHENG")
        if text and len(_words(text)) >= 3:
            assert _swahili(_words(text)), (key, text)
            assert len(_words(text) & ENGLISH_FUNCTION_WORDS) <= 1, (key, text)


def test_no_text_holds_a_price():
    for key, by_lang in _entries():
        for text in by_lang.values():
            assert not re.search(r"\bKES\s*\d|\d{2,},?\d{3}", text), (key, text)
