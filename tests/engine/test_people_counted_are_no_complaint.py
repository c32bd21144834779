"""How many people are coming ("sisi wawili", "ni watu wawili", "watoto watatu", "mimi knotless, wengine watatu box
braids") was handed to the owner as a complaint ("Pole sana kwa hiyo shida") and the chat went quiet: a bride's
booking for four and a customer's two pairs were lost. People counted are no complaint; a complaint said with them
still is. Sentences are this file's own."""

from __future__ import annotations

import pytest

from mtaabot.intents import classify


@pytest.mark.parametrize("text", ["sisi wawili", "ni watu wawili tu", "watoto watatu", "tuko wanne",
                                  "mimi knotless, wengine watatu box braids"])
def test_people_counted_are_no_complaint(text):
    assert not classify(text).escalate, classify(text)


@pytest.mark.parametrize("text", ["sisi wawili tumekasirika sana, mtu aongee nasi",
                                  "watoto watatu waliumia na viatu zenu, nataka refund"])
def test_a_complaint_with_people_in_it_is_still_one(text):
    assert classify(text).escalate, classify(text)
