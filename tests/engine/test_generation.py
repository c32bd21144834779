"""Optional LLM polish: the real transformers loading path with a tiny model built here, and the grounding gate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtaabot.generation import acceptable, polish
from mtaabot.retrieval import Hit
from tests.engine.conftest import ask, make_shop

SUGAR = Hit(id=None, name="Kabras Sugar 1kg", price=Decimal("180"), currency="KES", is_available=True,  # type: ignore[arg-type]
            description=None, metadata=None)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    """A 1-layer GPT-2 with random weights and a BPE tokenizer trained on a few lines, saved locally."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    path = tmp_path_factory.mktemp("tiny_llm")
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<eos>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator(["Kabras Sugar 1kg iko, ni KES 180.", "Rewrite the reply so it sounds natural.",
                             "Habari rafiki! Karibu sana."] * 20, trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, unk_token="<unk>", eos_token="<eos>",
                                        pad_token="<eos>")
    tokenizer.save_pretrained(path)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2,
                        eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id)
    import torch

    torch.manual_seed(7)  # the same random weights every run, so what the model writes is repeatable
    model = GPT2LMHeadModel(config)
    with torch.no_grad():  # never end at once: the tiny model must write something
        model.lm_head.weight[tokenizer.eos_token_id].zero_()
        model.transformer.wte.weight[tokenizer.eos_token_id].zero_()
    model.save_pretrained(path)
    return str(path)


def test_polish_loads_a_local_model_and_generates_text(tiny_model):
    draft = "Kabras Sugar 1kg iko, ni KES 180."
    out = polish(draft, model_path=tiny_model)
    assert out and out != draft  # the model really wrote its own text
    assert polish(draft, model_path=tiny_model) == out  # greedy decoding: the same rewrite again
    assert polish(draft, model_path="") == ""  # no model configured: nothing


def test_engine_with_an_ungrounded_model_sends_the_grounded_draft(conn, tiny_model, monkeypatch):
    shop = make_shop(conn, tone="rafiki")
    plain = ask(conn, shop, "Sukari ni bei gani?")
    monkeypatch.setenv("MTAABOT_LLM_MODEL", tiny_model)
    polished = ask(conn, shop, "Sukari ni bei gani?")
    # A random-weight model cannot keep names and prices, so the gate falls back to the same draft.
    rewrite = polish(plain.reply, model_path=tiny_model)
    assert rewrite and not acceptable(rewrite, plain.reply, [SUGAR])  # the model ran and was refused
    assert polished.reply == plain.reply and "KES 180" in polished.reply


@pytest.mark.parametrize(("candidate", "ok"), [
    ("Sasa rafiki! Kabras Sugar 1kg ipo kwa KES 180 tu. Nikuwekee?", True),
    ("Sasa rafiki! Kabras Sugar 1kg ipo kwa KES 150 leo!", False),  # changed price
    ("Sasa rafiki! Sukari ipo kwa KES 180.", False),  # lost the product name
    ("Kabras Sugar 1kg ni KES 180, na Mumias Sugar ni KES 170.", False),  # invented a product price
    ("", False),
])
def test_grounding_gate_for_rewrites(candidate, ok):
    draft = "Sasa rafiki! Kabras Sugar 1kg iko, ni KES 180. Ukitaka nikuwekee, niambie tu!"
    assert acceptable(candidate, draft, [SUGAR]) is ok
