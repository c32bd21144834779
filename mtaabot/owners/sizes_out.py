"""One size of a product out of stock, from the owner's WhatsApp: "OUT af1 size 43", "superstar size 44 zimeisha";
"IKO af1 size 43" brings it back, and "IKO af1" every size. Kept in the product's metadata (`sizes_out`), which
`reply_builder.fits_size` reads: a customer asking for that size hears it is not there, and the other sizes stay on
sale. Before, a sneaker shop could only put every size out (s26) or none (s27).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mtaabot.owners.alerts import in_lang as _t


def _metadata(product: dict[str, Any]) -> dict[str, Any]:
    return dict(product.get("metadata") or {})  # a JSONB column: a dict from the database


def mark(conn: psycopg.Connection, product: dict[str, Any], size: str, *, out: bool, lang: str) -> str:
    """Put `size` of `product` out of stock (or back); the owner's answer in `lang`. A product sold in no numbered
    sizes changes nothing."""
    from mtaabot.orders.context import hit_of
    from mtaabot.reply_builder import size_range

    name = product["name"]
    if size_range(hit_of(product)) is None:
        return _t(lang, f"{name} haina size zilizoandikwa. Kama imeisha yote, tuma: ISHA {name}. Hakuna kilichobadilika.",
                  f"{name} lists no sizes. If it is all gone, send: OUT {name}. Nothing changed.")
    meta = _metadata(product)
    gone = [s for s in meta.get("sizes_out") or [] if str(s) != size]
    if out:
        gone = sorted({*gone, size}, key=float)
    meta["sizes_out"] = gone
    if not gone:
        meta.pop("sizes_out")
    conn.execute("UPDATE products SET metadata = %s, updated_at = CURRENT_TIMESTAMP WHERE id = %s",
                 (Jsonb(meta), product["id"]))
    if out:
        return _t(lang, f"{name} size {size}: imeisha. Size zingine ziko. (IKO {name} size {size} ikirudi)",
                  f"{name} size {size}: out of stock. The other sizes are on sale. (IN {name} size {size} when back)")
    return _t(lang, f"{name} size {size}: iko tena.", f"{name} size {size}: back in stock.")


def clear(conn: psycopg.Connection, product: dict[str, Any]) -> None:
    """Every size back (the whole product said to be in stock)."""
    meta = _metadata(product)
    if meta.pop("sizes_out", None) is not None:
        conn.execute("UPDATE products SET metadata = %s WHERE id = %s", (Jsonb(meta), product["id"]))
