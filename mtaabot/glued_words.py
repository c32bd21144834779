"""Words a customer writes together that the shop's own catalogue writes apart: "airforce" for Nike Air Force 1,
"screenprotector" for Tempered Glass Screen Protector, "airforce1" for "air force 1".

Split against that shop's product names only (two or three neighbouring words of one name), so nothing is split
that no product of the shop would be found by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[a-z0-9]+")
_MIN_GLUED = 6  # "tv" + "set" is no compound worth splitting; short joins are ordinary words


def glued_forms(names: Iterable[str]) -> dict[str, str]:
    """{"airforce": "air force", "airforce1": "air force 1", ...} from the product names."""
    forms: dict[str, str] = {}
    for name in names:
        toks = _TOKEN.findall(name.lower())
        for n in (2, 3):
            for i in range(len(toks) - n + 1):
                part = toks[i:i + n]
                if not part[0].isalpha() or any(len(t) < 2 and not t.isdigit() for t in part):
                    continue
                joined = "".join(part)
                if len(joined) >= _MIN_GLUED:
                    forms.setdefault(joined, " ".join(part))
    return forms


def split_glued(text: str, names: Iterable[str]) -> str:
    """The text with every word that is two or three words of a product name written together split apart
    (a plural 's' of the join counts too); the text unchanged when there is none."""
    forms = glued_forms(names)
    if not forms:
        return text

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        return forms.get(low) or (forms[low[:-1]] + "s" if low.endswith("s") and low[:-1] in forms else word)

    return re.sub(r"[A-Za-z][A-Za-z0-9]+", split, text)
