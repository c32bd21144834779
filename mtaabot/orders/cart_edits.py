"""Taking things out of the cart ("toa sukari", "ondoa size 43", "toa maziwa moja") and swapping one product
for another ("badala ya AF1 nipe Superstar", "nataka kubadilisha iwe tecno spark").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mtaabot.orders import store, variants
from mtaabot.orders.cart import stock_line
from mtaabot.orders.context import Context, FlowResult, hit_of, product_rows, result
from mtaabot.orders.lines import asked_for, resolve
from mtaabot.orders.patterns import CANCEL_ITEM, CHANGE_TO, COMMA, FILLER, FILLER_ONLY, ORDER_WORDS, VARIANT
from mtaabot.orders.quantities import NUMBER_WORDS, find_quantities
from mtaabot.orders.sizes import variant_of, variant_only
from mtaabot.orders.summary import line_label, qty_text, summary
from mtaabot.orders.texts import say
from mtaabot.reply_builder import fits_size
from mtaabot.retrieval import retrieve
from mtaabot.understanding import SIZE_WORDS
from mtaabot.vocabulary import ORDINAL_RX, normalise, ordinal


def cancelled_item(text: str) -> re.Match[str] | None:
    """`CANCEL_ITEM` in the message's first clause: "actually cancel the manicure, just the gel nails" cancels the
    manicure (read over the whole message, the gel nails were taken out)."""
    return CANCEL_ITEM.match(normalise(re.split(COMMA + r"|[;!?\n]|\.(?=\s|$)", text)[0]))


def line_named(ctx: Context, cart: dict[str, Any], what: str) -> dict[str, Any] | list[dict[str, Any]] | None:
    """The cart line `what` names (in the size or colour said: "size 43", "AF1 nyeusi"), the lines it could be (a
    list), or None."""
    rows = store.items(ctx.conn, cart)
    what = _size_meant(rows, what)
    said = variant_of(what, "")
    return cart_line(ctx, rows, what) if said is None else _sized_line(ctx, rows, what, said)


# "ile ya 44", "hiyo ya 43", "the 44 one": a line named by its size alone
_BARE_SIZE = re.compile(r"^(?:(?:ile|hiyo|zile|hizo|the)\s+)?(?:ya|za|of)?\s*(\d{2}(?:\.5)?)(?:\s+(?:one|ones))?$")


def _size_meant(rows: list[dict[str, Any]], what: str) -> str:
    """"ile ya 44" of shoes in 43 and 44 is "size 44" (it was "not in your order", and 44 a count); else `what`."""
    bare = _BARE_SIZE.match(what.strip())
    if bare is not None and any(variants.within(f"size {bare.group(1)}", r["variant"]) for r in rows):
        return f"size {bare.group(1)}"
    return what


_NO_SIZE = re.compile(r"\b(?:(?:has|have|with) no size|without (?:a |any )?size|no size|bila size|isiyo na size|"
                      r"haina size|hazina size)\b")


_COUNT_ONLY = frozenset("pair pairs jozi piece pieces kipande vipande pcs tu only".split())


def count_only(what: str) -> bool:
    """"moja", "one pair", "1": a count and nothing it is of ("cancel moja, nitachukua moja tu")."""
    words = what.split()
    return bool(words) and bool(find_quantities(words)) \
        and all(w in NUMBER_WORDS or w.isdigit() or w in _COUNT_ONLY for w in words)


# what the customer adds after naming the thing to take out: "toa ile ya 42, nitabaki na moja tu" (it was "ile ya 42
# nitabaki na moja tu is not in your order"; owner test s30)
_SAID_AFTER = re.compile(r"\s+(?:nitabaki|nibaki|nabaki|tutabaki|nitachukua|nachukua|nitakuwa na|just|only|then|halafu|"
                         r"alafu|kisha|i'?ll (?:keep|take|have)|i will (?:keep|take|have)|leave|niachie|niwachie)\b.*$")


_CANCEL_WORD = re.compile(r"(?:tena\s+)?(?:futa|ghairi|cancel|futa yote|futa zote|futa hiyo|cancel it|delete)(?:\s+tu)?",
                          re.I)


def remove(ctx: Context, cart: dict[str, Any], what: str) -> FlowResult:
    rows = store.items(ctx.conn, cart)
    if line_named(ctx, cart, what) is None and (cut := _SAID_AFTER.sub("", what)) != what and cut:
        what = cut
    what = _size_meant(rows, what)
    said = variant_of(what, "")  # "ondoa size 43", "toa AF1 nyeusi": that size's line, the others stay
    target = line_named(ctx, cart, what)
    if target is None and count_only(what):
        # "Cancel moja, nitachukua moja tu" of two pairs: one fewer of the one line ("moja" is not in your order;
        # after the yes, the whole order was cancelled; customer test s29b), or which line of several
        if len(rows) > 1:
            return result(ctx, cart, say("remove_which", ctx.lang, names=", ".join(map(line_label, rows))), "order", [])
        target = rows[0] if rows else None
    if isinstance(target, list):
        return result(ctx, cart, say("remove_which", ctx.lang, names=", ".join(map(line_label, target))), "order", [])
    if target is None and said is None and set(what.split()) <= FILLER_ONLY:  # "toa hiyo" with two lines it could be
        return result(ctx, cart, say("remove_which", ctx.lang, names=", ".join(map(line_label, rows))), "order", [])
    if target is None and _CANCEL_WORD.fullmatch(what.strip()):
        # "sitaki tena, futa": the whole order, not a thing called "futa" (a later "ndio" confirmed it; tester s32b)
        from mtaabot.orders.paying import cancel

        return cancel(ctx, cart)
    if target is None:
        return result(ctx, cart, say("not_in_cart", ctx.lang, name=what[:60]) + "\n" + summary(ctx.conn, cart, ctx.lang),
                      "order", [])
    lines_of = [r for r in rows if r["product_id"] == target["product_id"]]
    unsized = [r for r in lines_of if not r["variant"]]
    if _NO_SIZE.search(what) and len(unsized) == 1 and len(lines_of) > 1:
        # "remove the school shoes that has no size": that line, the sized pairs stay (all three went; s28)
        order = store.remove_line(ctx.conn, cart, unsized[0]["id"])
        return result(ctx, order, say("removed", ctx.lang, name=line_label(unsized[0])) + "\n"
                      + summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang), "order_remove", [])
    fewer = next(iter(find_quantities(what.split())), None)
    if fewer is not None and said is None and len(lines_of) > 1:  # "toa AF1 moja" with two sizes: which size
        return result(ctx, cart, say("remove_which", ctx.lang, names=", ".join(map(line_label, lines_of))), "order", [])
    if fewer is not None and fewer.unit in (None, "piece", "pack", "tray") and 0 < fewer.amount < target["quantity"]:
        # "toa maziwa moja" with three in the cart: one less, not the whole line
        product = product_rows(ctx.conn, ctx.business["id"], [target["product_id"]])[0]
        order = store.set_item(ctx.conn, cart, product, target["quantity"] - fewer.amount, add=False,
                               variant=target["variant"])
        return result(ctx, order, say("removed_some", ctx.lang, qty=qty_text(fewer.amount), name=line_label(target))
                      + "\n" + summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang), "order_remove", [])
    if said is None and not set(what.split()) <= FILLER_ONLY:  # "toa AF1": the shoe in every size ("toa hiyo": the line)
        order = store.remove_item(ctx.conn, cart, target["product_id"])
        text = say("removed", ctx.lang, name=target["name"])
    else:
        order = store.remove_line(ctx.conn, cart, target["id"])
        text = say("removed", ctx.lang, name=line_label(target))
    if not store.items(ctx.conn, order):
        return result(ctx, order, text + " " + say("cart_empty", ctx.lang), "order_remove", [])
    return result(ctx, order, text + "\n" + summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang),
                  "order_remove", [])


def _sized_line(ctx: Context, rows: list[dict[str, Any]], what: str,
                said: str) -> dict[str, Any] | list[dict[str, Any]] | None:
    """The cart line in the size or colour said ("size 43", "AF1 size 43"): that line, the lines it could be (a list),
    or None when no line is in that size."""
    named = [t for t in VARIANT.sub(" ", what).split() if t not in NUMBER_WORDS and not t.isdigit()
             and t not in FILLER_ONLY and t not in SIZE_WORDS and t not in FILLER and t not in ORDER_WORDS]
    product = cart_line(ctx, rows, " ".join(named)) if named else None
    found = [r for r in rows if variants.within(said, r["variant"])
             and (product is None or r["product_id"] == product["product_id"])]
    if not found and product is not None:  # "toa superstar nyeusi" of a line kept without a colour: that product's
        found = [r for r in rows if r["product_id"] == product["product_id"]]
    return found[0] if len(found) == 1 else found or None


def cart_line(ctx: Context, rows: list[dict[str, Any]], what: str) -> dict[str, Any] | None:
    """The cart line `what` names ("toa maziwa"), the one "hiyo" points at, or the one at the place said ("hiyo ya
    pili toa": the order's second line, as the summary lists them)."""
    if (pick := ordinal(what)) is not None and -len(rows) <= pick < len(rows) \
            and not [t for t in asked_for(ORDINAL_RX.sub(" ", what)).split() if t not in FILLER_ONLY]:
        return rows[pick]
    if set(what.split()) <= FILLER_ONLY:
        return _line_meant(ctx, rows)
    by_id = {r["product_id"]: r for r in rows}  # the best match that is in the cart ("remove akala": not the sandals)
    return next((by_id[h.id] for h in retrieve(ctx.conn, ctx.business["id"], what, limit=3).hits if h.id in by_id), None)


def change_wanted(ctx: Context, order: dict[str, Any], norm: str) -> str | None:
    """What the one line meant is to become ("nataka kubadilisha iwe tecno spark"), when that names another product
    (a count, size or colour is the line's own change, `SET_MARK`)."""
    m = CHANGE_TO.match(norm)
    if m is None or variant_only(m.group("new")) or not [w for w in m.group("new").split()
                                                             if w not in NUMBER_WORDS and not w.isdigit()]:
        return None  # "change to size 42", "badilisha iwe mbili": that line's size or count
    target = _line_meant(ctx, store.items(ctx.conn, order))
    line = resolve(ctx, m.group("new"), []) if target is not None else None
    if line is None or line.product is None or line.product["id"] == target["product_id"]:
        return None
    return m.group("new")


def exchange(ctx: Context, cart: dict[str, Any], old: str, new: str) -> FlowResult:
    """"badala ya AF1 nipe Superstar": that line out and the other product in, as many as there were (or as many
    as said), in the same size when the new one is made in it. Nothing changes when either side is not clear."""
    rows = store.items(ctx.conn, cart)
    target = cart_line(ctx, rows, old)
    if target is None:
        return result(ctx, cart, say("not_in_cart", ctx.lang, name=old[:60]) + "\n" + summary(ctx.conn, cart, ctx.lang),
                      "order", [])
    line = resolve(ctx, new, [])
    if line is None or line.product is None or line.problem or line.quantity is None:
        problem = line.problem if line is not None and line.problem else say("not_sold", ctx.lang, what=new[:60])
        return result(ctx, cart, problem + "\n" + summary(ctx.conn, cart, ctx.lang), "order", [])
    # every size of the old one becomes the new one in that size, when the new one is made in it (a count said: one
    # line of that many)
    # ... unless the old one was named in one size: "instead of the AF1 size 43 give me Superstar size 43" with AF1 in
    # 42 and 43 (the 42 went too, and two Superstars came; customer test s29b)
    one_size = bool(variants.parts(variant_of(old, target["name"]) or "")) and target["variant"]
    olds = [r for r in rows if r["product_id"] == target["product_id"]] if line.given is None and not one_size \
        else [target]
    if one_size:
        store.remove_line(ctx.conn, cart, target["id"])
    else:
        store.remove_item(ctx.conn, cart, target["product_id"])
    problem = None
    for old_line in olds:
        size = next((v for v in variants.parts(old_line["variant"]) if v.startswith("size ")), None)
        variant = line.variant
        if variant is None and size and fits_size(line.hit or hit_of(line.product), Decimal(size[5:])):
            variant = size
        problem = stock_line(ctx, cart, line, add=True, variant=variant,
                             quantity=old_line["quantity"] if line.given is None else line.quantity) or problem
    order = store.get_order(ctx.conn, ctx.business["id"], cart["id"])
    text = (problem + "\n" if problem else say("swapped", ctx.lang, old=target["name"], new=line.product["name"]) + "\n")
    return result(ctx, order, text + summary(ctx.conn, order, ctx.lang) + "\n" + say("ask_confirm", ctx.lang),
                  "order", [line.hit] if line.hit else [])


def _line_meant(ctx: Context, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one line "hiyo" points at: the only line, the only one the last bot turn named, or the only one the
    latest message added; None when that leaves a choice."""
    if len(rows) == 1:
        return rows[0]
    named = [r for r in rows if r["product_id"] in set(ctx.last_products)]
    if len(named) == 1:
        return named[0]
    newest = [r for r in rows if r["created_at"] == rows[-1]["created_at"]] if rows else []
    return newest[0] if len(newest) == 1 else None
