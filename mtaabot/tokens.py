"""Token counts with the transformers tokenizer of the packaged embedding model (all-MiniLM-L6-v2)."""

from __future__ import annotations

import functools

from mtaabot.config import offline_models

offline_models()


@functools.cache
def _tokenizer():
    from transformers import AutoTokenizer

    from mtaabot.embeddings import model_path

    return AutoTokenizer.from_pretrained(str(model_path()), local_files_only=True)


def count_tokens(text: str) -> int:
    """Number of tokens the model's tokenizer makes of `text` (no special tokens; 0 for empty text)."""
    if not text:
        return 0
    return len(_tokenizer()(text, add_special_tokens=False, truncation=False)["input_ids"])
