"""Language identification: Sheng / Swahili / English, short messages, the CLI."""

from __future__ import annotations

import json

import pytest

from mtaabot.language import detect_language


@pytest.mark.parametrize(("text", "expected"), [
    ("Niaje", "SHENG"), ("Bei?", "SWA"), ("Habari yako", "SWA"), ("Hello there", "ENG"),
    ("Msee hii kitu ni ngapi?", "SHENG"), ("Ningependa kujua bei ya sukari", "SWA"),
    ("Could you tell me the price of sugar please?", "ENG"), ("Nataka ku-order hii sahii", "SHENG"),
    ("Mnaweza kuniletea nyumbani?", "SWA"), ("Hiyo phone iko na warranty?", "SHENG"),
])
def test_detects_language_of_messages_it_has_not_seen(text, expected):
    result = detect_language(text)
    assert result.language == expected, (text, result)
    assert 0.0 <= result.confidence <= 1.0


def test_confidence_is_lower_for_one_word_than_for_a_full_sentence():
    short = detect_language("Bei?")
    long = detect_language("Habari, ningependa kujua bei ya mfuko mmoja wa simiti leo")
    assert short.language == long.language == "SWA"
    assert short.confidence < long.confidence


@pytest.mark.parametrize("text", ["???", "\U0001F44D", "...", "123"])
def test_a_message_without_words_gets_the_same_low_confidence_fallback(text):
    result = detect_language(text)
    assert (result.language, result.confidence) == ("ENG", 0.5)  # the fallback language.py documents


def test_detect_language_cli_reads_stdin_lines(run_cli):
    out = run_cli("detect-language", input="Niaje msee\nAsante sana\n\nHow much is it?\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Niaje msee", "Asante sana", "How much is it?"]
    assert [r["language"] for r in rows] == ["SHENG", "SWA", "ENG"]
    assert all(0 <= r["confidence"] <= 1 for r in rows)


def test_accuracy_on_our_own_held_out_sentences():
    """90 sentences written for this test (other shops and wordings than the dev set)."""
    from mtaabot.devtools.evaluation import language_metrics, read_jsonl
    from tests.conftest import FIXTURES

    metrics = language_metrics(read_jsonl(FIXTURES / "engine" / "language_own.jsonl"))
    assert metrics["accuracy"] >= 0.9, metrics["errors"]
    assert all(c["f1"] >= 0.85 for c in metrics["per_class"].values()), metrics["per_class"]
