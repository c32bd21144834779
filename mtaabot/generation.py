"""Optional generative polish of a grounded draft with a local `transformers` causal LM.

Enabled by `MTAABOT_LLM_MODEL` (a local directory with a text-generation model and its tokenizer; nothing is
downloaded). The engine keeps the rewrite only when `acceptable` says it is still grounded: every product
name and price of the draft present, no other price, the KES format kept. Otherwise the draft is sent.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtaabot.config import get_settings
from mtaabot.reply_builder import grounding_problems, prices_in

PROMPT = ("Rewrite the shop assistant's WhatsApp reply so it sounds natural. Keep the same language, every "
          "product name and every price exactly as written.\nReply: {draft}\nRewritten:")
MAX_NEW_TOKENS = 80
_lock = threading.Lock()


@functools.cache
def _load(path: str) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    model.eval()
    return tokenizer, model


def polish(draft: str, model_path: str | Path | None = None) -> str:
    """The model's rewrite of `draft` (greedy decoding), or '' when it produced nothing."""
    path = str(model_path or get_settings().llm_model or "")
    if not path:
        return ""
    import torch

    with _lock:
        tokenizer, model = _load(path)
    inputs = tokenizer(PROMPT.format(draft=draft), return_tensors="pt")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False, pad_token_id=pad_id)
    text = tokenizer.decode(output[0][inputs["input_ids"].shape[1]:], skip_special_tokens=True)
    return text.split("\n")[0].strip()


def acceptable(candidate: str, draft: str, products: Sequence[Any]) -> bool:
    """Is the rewrite still grounded? Same products and prices as the draft, nothing invented."""
    if not candidate or len(candidate) > 3 * len(draft) + 40:
        return False
    if grounding_problems(candidate, products):
        return False
    names = [p.name if hasattr(p, "name") else p["name"] for p in products]
    if any(name in draft and name not in candidate for name in names):
        return False
    if sorted(prices_in(candidate)) != sorted(prices_in(draft)):
        return False
    return not re.search(r"\d{1,3}(,\d{3})+(\.\d+)?", re.sub(r"KES \d{1,3}(,\d{3})*(\.\d{2})?", "", candidate))
