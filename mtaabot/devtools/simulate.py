"""Simulated WhatsApp history in bulk (COPY) so the marts, dashboards and notebooks have data.

`simulate(conn, days=30, messages=50_000, shops=None)` writes, for every business (the demo shops when
there are none; with `shops=N`, simulated shops are added until there are N): customers and their
conversations, customer messages in a Sheng/Swahili/English mix with the
engine's fields (detected_language, confidence_score, tokens_used, intent), the bot's answers
(author 'ai', linked by reply_to), low-confidence and "talk to a person" hand-overs (author 'system'
plus an owner notification) answered by the owner minutes later (author 'owner'), delivery statuses,
and monthly subscriptions with M-Pesa payments including failed attempts.

Traffic is skewed the way a platform's is: with a platform-sized population (more than a handful of
shops) shop k gets a share proportional to 1/k (Zipf), so a few big shops carry much of the volume and
most shops are small; the handful of demo shops alone keep a gentler 1/sqrt(k) so each has plenty.

Everything is generated in Python from a seeded RNG and streamed with COPY (about a minute per million
messages); 10M messages over 1,000 shops fit in memory comfortably. Running it again adds more history
(new customers, new message ids).
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from mtaabot.messages import catalogue

LANGS = ("SHENG", "SWA", "ENG")
# Language mix of customers by the shop's tone (street shops get more Sheng).
LANG_WEIGHTS = {"mtaa": (0.50, 0.30, 0.20), "rafiki": (0.35, 0.35, 0.30),
                "kazi": (0.15, 0.35, 0.50), "sana": (0.10, 0.40, 0.50)}
# Confidence of the engine's answer by language (Beta a, b): Sheng is the hard case.
CONFIDENCE_BETA = {"SHENG": (3.2, 2.0), "SWA": (5.0, 2.0), "ENG": (8.0, 2.0)}
ESCALATE_BELOW = 0.35
HUMAN_REQUEST_RATE = 0.02
# Nairobi (UTC+3) hour-of-day weights: quiet at night, busy mornings and evenings.
HOUR_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.0, 4.0, 4.5, 4.5, 4.2, 4.5, 4.8, 4.2, 4.0, 4.5, 5.5,
                6.5, 6.5, 5.5, 4.0, 2.0, 0.8]
NAIROBI = timedelta(hours=3)
DEMO_SIZED = 10  # up to this many shops, traffic is spread gently (the demo); beyond it, Zipf-skewed

ASK = {
    "SHENG": ["Niaje boss, {p} iko ngapi?", "Sasa, uko na {p}?", "Form ni gani na {p}? Bei?",
              "Mzee {p} inaenda aje leo?", "Nimekam kucheki {p}, iko?", "Boss nipe price ya {p} tafadhali"],
    "SWA": ["Habari, {p} ni bei gani?", "Je, mna {p}?", "Naomba bei ya {p}.", "Mnauza {p} kwa kiasi gani?",
            "Nataka {p}, inapatikana?", "Shikamoo, {p} iko dukani leo?"],
    "ENG": ["Hi, how much is {p}?", "Do you have {p} in stock?", "Price of {p} please.",
            "Is {p} available today?", "Hello, I'd like to buy {p}.", "What does {p} cost?"],
}
SMALL_TALK = {
    "SHENG": ["Niaje", "Poa sana boss, asante", "Mnafunga saa ngapi?", "Mko wapi exactly?"],
    "SWA": ["Habari yako", "Asante sana", "Mnafungua saa ngapi?", "Duka liko wapi?"],
    "ENG": ["Hello", "Thanks a lot", "What time do you close?", "Where are you located?"],
}
HUMAN = {
    "SHENG": ["Nataka kuongea na mtu boss", "Hii stuff iliniharibikia, nirudishiwe doh"],
    "SWA": ["Naomba kuongea na mwenye duka", "Nataka kurudishiwa pesa yangu"],
    "ENG": ["Can I talk to a real person?", "I want a refund, this was faulty"],
}
ANSWER = {
    "SHENG": ["Iko boss! {p} ni {price}.", "{p} iko, {price} tu. Nikuwekee?", "Poa, {p} ni {price}, ipo stock."],
    "SWA": ["Ndiyo, {p} inapatikana kwa {price}.", "{p} ni {price}. Karibu!", "Tuna {p}, bei ni {price}."],
    "ENG": ["Yes, {p} is available at {price}.", "{p} costs {price}. Want me to set one aside?",
            "We have {p} for {price}."],
}
ANSWER_SMALL = {
    "SHENG": ["Poa sana! Karibu tena.", "Tuko open mpaka saa nne usiku boss.", "Tuko stage ya Total, pale tu."],
    "SWA": ["Karibu sana!", "Tunafunga saa nne usiku.", "Tuko karibu na kituo cha Total."],
    "ENG": ["You're welcome!", "We close at 10pm.", "We are next to the Total stage."],
}
HANDOVER = catalogue()["reply"]["handover"]  # the engine's own hand-over words, per language
OWNER = ["Niko hapa sasa, nikusaidie aje?", "Pole kwa kusubiri! Nitakutumia bei sasa hivi.",
         "Hi, it's the owner here. Let me sort that out for you.", "Sawa, kuja dukani tutaongea."]


@dataclass
class Shop:
    id: str
    name: str
    tone: str
    products: list[tuple[str, float]]
    customers: list[str] = field(default_factory=list)  # conversation ids
    langs: list[str] = field(default_factory=list)  # preferred language per customer


@dataclass(slots=True)
class Session:
    shop: int
    customer: int
    start: datetime
    turns: int


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@functools.lru_cache(maxsize=524288)
def _tokens(text: str) -> int:
    """Tokens of a message with the engine's real tokenizer (mtaabot.tokens); texts repeat (templates x
    products x shop prices: ~10^5 distinct over 1,000 shops), so cached."""
    from mtaabot.tokens import count_tokens

    return count_tokens(text)


def _price(value: float) -> str:
    return f"KES {value:,.0f}"


def _load_shops(conn: psycopg.Connection) -> list[Shop]:
    rows = conn.execute("SELECT id, name, tone FROM businesses ORDER BY created_at, name").fetchall()
    if not rows:
        from mtaabot.devtools.demo import seed_demo

        seed_demo(conn)
        rows = conn.execute("SELECT id, name, tone FROM businesses ORDER BY created_at, name").fetchall()
    shops = []
    for r in rows:
        prods = conn.execute("SELECT name, price FROM products WHERE business_id = %s ORDER BY name",
                             (r["id"],)).fetchall()
        items = [(p["name"], float(p["price"])) for p in prods] or [("bidhaa", 100.0)]
        shops.append(Shop(id=str(r["id"]), name=r["name"], tone=r["tone"] or "mtaa", products=items))
    return shops


def _new_phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = "2547" + "".join(rng.choices(string.digits, k=8))
        if phone not in taken:
            taken.add(phone)
            return phone


def _plan_sessions(rng: random.Random, shops: list[Shop], days: int, messages: int,
                   now: datetime) -> list[Session]:
    """Session start times and lengths until the expected row count reaches `messages`."""
    start = now - timedelta(days=days)
    # Local calendar days touched by the window (days + 1: the first and today are partial); volume grows
    # over the period and Saturdays are busier.
    day_weights = [1.0 + 0.6 * d / days + (0.25 if (start + timedelta(days=d)).weekday() == 5 else 0.0)
                   for d in range(days + 1)]
    day_cum = list(itertools.accumulate(day_weights))
    hour_cum = list(itertools.accumulate(HOUR_WEIGHTS))
    skew = 0.5 if len(shops) <= DEMO_SIZED else 1.0  # see the module docstring
    shop_cum = list(itertools.accumulate(1.0 / (i + 1) ** skew for i in range(len(shops))))
    sessions: list[Session] = []
    expected = 0.0
    while expected < messages * 1.15 + 10:
        d = rng.choices(range(days + 1), cum_weights=day_cum)[0]
        hour = rng.choices(range(24), cum_weights=hour_cum)[0]
        local_midnight = (start + NAIROBI).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=d)
        ts = local_midnight - NAIROBI + timedelta(hours=hour, seconds=rng.uniform(0, 3600))
        if ts < start or ts > now - timedelta(minutes=2):
            continue
        turns = rng.choices((1, 2, 3, 4), weights=(45, 30, 15, 10))[0]
        sessions.append(Session(shop=rng.choices(range(len(shops)), cum_weights=shop_cum)[0],
                                customer=-1, start=ts, turns=turns))
        expected += 2 * turns + 0.1
    sessions.sort(key=lambda s: s.start)  # customers are assigned in time order (first visit first)
    return sessions


def _assign_customers(rng: random.Random, conn: psycopg.Connection, shops: list[Shop],
                      sessions: list[Session]) -> list[tuple]:
    """Returning customers come back (heavy tail); new ones appear. Returns conversation rows to COPY."""
    taken: dict[str, set[str]] = {}
    for s in shops:
        taken[s.id] = {r["customer_phone"] for r in conn.execute(
            "SELECT customer_phone FROM conversations WHERE business_id = %s", (s.id,))}
    rows: list[tuple] = []
    first_seen: dict[str, datetime] = {}
    for sess in sessions:
        shop = shops[sess.shop]
        if not shop.customers or rng.random() < 0.18:
            cid = _uuid(rng)
            lang = rng.choices(LANGS, weights=LANG_WEIGHTS.get(shop.tone, LANG_WEIGHTS["mtaa"]))[0]
            shop.customers.append(cid)
            shop.langs.append(lang)
            first_seen[cid] = sess.start
            phone = _new_phone(rng, taken[shop.id])
            rows.append((cid, shop.id, phone, phone))
            sess.customer = len(shop.customers) - 1
        else:
            n = len(shop.customers)
            sess.customer = min(n - 1, int(n * rng.random() ** 2.2))  # earlier customers come back more
    return [(cid, bid, phone, wa, first_seen[cid]) for cid, bid, phone, wa in rows]


@dataclass
class _ConvState:
    first_at: datetime | None = None
    last_at: datetime | None = None
    last_customer_at: datetime | None = None
    escalated_at: datetime | None = None
    reason: str | None = None
    owner_at: datetime | None = None
    pending: bool = False

    def seen(self, at: datetime, customer: bool = False) -> None:
        self.first_at = at if self.first_at is None else min(self.first_at, at)
        self.last_at = at if self.last_at is None else max(self.last_at, at)
        if customer:
            self.last_customer_at = at if self.last_customer_at is None else max(self.last_customer_at, at)

    def escalation(self, at: datetime, reason: str, owner_at: datetime | None) -> None:
        """Keep the latest hand-over (sessions are visited in random order)."""
        if self.escalated_at is None or at > self.escalated_at:
            self.escalated_at, self.reason, self.owner_at, self.pending = at, reason, owner_at, owner_at is None


def simulate(conn: psycopg.Connection, *, days: int = 30, messages: int = 50_000, seed: int | None = None,
             now: datetime | None = None, shops: int | None = None) -> dict[str, Any]:
    """Write about `messages` messages of history over the last `days` days; returns counts. With
    `shops`, simulated shops (with catalogues) are added first until there are that many."""
    if days < 1 or messages < 1:
        raise ValueError("--days and --messages must be at least 1")
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    added = _add_shops(conn, rng, shops, now) if shops else 0
    shops_ = _load_shops(conn)
    return _simulate(conn, rng, shops_, days, messages, now) | {"shops_added": added}


SIM_SHOP_WORDS = ("Duka", "Shop", "Salon", "Hardware", "Electronics", "Boutique", "Butchery", "Kiosk", "Stores",
                  "Mini Mart", "Agrovet", "Chemist", "Cyber", "Kinyozi", "Fashions", "Wines")
SIM_SHOP_PLACES = ("Kawangware", "Gikomba", "Kibera", "Githurai", "Rongai", "Kayole", "Umoja", "Eastleigh",
                   "Kasarani", "Ruiru", "Thika", "Nakuru", "Kisumu", "Eldoret", "Mombasa", "Machakos", "Nyeri")


def _add_shops(conn: psycopg.Connection, rng: random.Random, target: int, now: datetime) -> int:
    """Simulated shops (name, tone, place, WhatsApp number, 6-20 products from the demo catalogues with
    their prices nudged) until there are `target` businesses; COPY, so a thousand take a second."""
    from mtaabot.businesses import generate_api_key, hash_api_key
    from mtaabot.devtools.demo import demo_catalogue

    have = conn.execute("SELECT count(*) AS n FROM businesses").fetchone()["n"]
    if have == 0:
        from mtaabot.devtools.demo import seed_demo

        seed_demo(conn)
        have = conn.execute("SELECT count(*) AS n FROM businesses").fetchone()["n"]
    missing = max(0, target - have)
    if not missing:
        return 0
    import csv
    import io

    pool = [(r["name"], float(r["price"]), r["description"]) for text in demo_catalogue().values()
            for r in csv.DictReader(io.StringIO(text))]
    numbers = {r["whatsapp_number"] for r in conn.execute(
        "SELECT whatsapp_number FROM businesses WHERE whatsapp_number IS NOT NULL")}
    shop_rows, product_rows = [], []
    for i in range(missing):
        bid = _uuid(rng)
        place = rng.choice(SIM_SHOP_PLACES)
        name = f"{place} {rng.choice(SIM_SHOP_WORDS)} {have + i + 1:05d}"
        number = _new_phone(rng, numbers)
        created = now - timedelta(days=rng.uniform(60, 720))
        shop_rows.append((bid, name, f"{place}, Kenya", rng.choice(("mtaa", "mtaa", "rafiki", "kazi", "sana")),
                          number, "Africa/Nairobi", "active", created, created))
        for pname, price, description in rng.sample(pool, k=min(len(pool), rng.randint(6, 20))):
            product_rows.append((_uuid(rng), bid, pname, description, round(price * rng.uniform(0.85, 1.2), 0),
                                 "KES", rng.random() > 0.08, created))
    with conn.cursor() as cur:
        with cur.copy("COPY businesses (id, name, location, tone, whatsapp_number, timezone, status, created_at, "
                      "updated_at) FROM STDIN") as copy:
            for row in shop_rows:
                copy.write_row(row)
        with cur.copy("COPY products (id, business_id, name, description, price, currency, is_available, "
                      "created_at) FROM STDIN") as copy:
            for row in product_rows:
                copy.write_row(row)
        # an API key row like `business create` makes (a random key nobody holds; rotate it to sign in)
        with cur.copy("COPY api_configs (business_id, mtaabot_api_key, api_key_prefix) FROM STDIN") as copy:
            for row in shop_rows:
                key = generate_api_key()
                copy.write_row((row[0], hash_api_key(key), key[:10]))
    conn.commit()
    return missing


def _simulate(conn: psycopg.Connection, rng: random.Random, shops: list[Shop], days: int, messages: int,
              now: datetime) -> dict[str, Any]:
    sessions = _plan_sessions(rng, shops, days, messages, now)
    conv_rows = _assign_customers(rng, conn, shops, sessions)
    states: dict[str, _ConvState] = {}

    with conn.cursor() as cur:
        with cur.copy("COPY conversations (id, business_id, customer_phone, customer_wa_id, created_at) "
                      "FROM STDIN") as copy:
            for row in conv_rows:
                copy.write_row(row)

    # Sessions were planned with ~15% to spare; visiting them in random order and stopping at the target
    # spreads the history evenly over the whole window.
    order = list(range(len(sessions)))
    rng.shuffle(order)
    recent_ai = [0] * len(shops)
    recent_from = now - timedelta(days=min(days, 30))
    counts = {"messages": 0, "customer_messages": 0, "ai_replies": 0, "escalations": 0, "owner_replies": 0}
    notifications: list[tuple] = []
    asked: list[tuple[int, str, datetime]] = []  # product questions, some of which become orders
    cols = ("id, conversation_id, business_id, role, author, content, detected_language, confidence_score, "
            "tokens_used, created_at, wamid, message_type, intent, reply_to, delivery_status, delivery_updated_at")
    with conn.cursor() as cur, cur.copy(f"COPY messages ({cols}) FROM STDIN") as copy:
        for index in order:
            if counts["messages"] >= messages:
                break
            sess = sessions[index]
            shop = shops[sess.shop]
            cid = shop.customers[sess.customer]
            true_lang = shop.langs[sess.customer]
            st = states.setdefault(cid, _ConvState())
            ts = sess.start
            for turn in range(sess.turns):
                if counts["messages"] >= messages:
                    break
                if ts > now - timedelta(seconds=10):
                    break  # a later turn of a visit that began just now has not happened yet: no future messages
                # The customer sometimes switches register; the detector sometimes gets it wrong.
                lang = true_lang if rng.random() > 0.12 else rng.choice(LANGS)
                detected = lang if rng.random() > 0.08 else rng.choice(LANGS)
                a, b = CONFIDENCE_BETA[lang]
                confidence = round(min(0.99, max(0.01, rng.betavariate(a, b))), 2)
                kind = rng.random()
                product, price = rng.choice(shop.products)
                if kind < HUMAN_REQUEST_RATE:
                    text, intent = rng.choice(HUMAN[lang]), "human"
                elif (kind < 0.22 and turn > 0) or kind < 0.08:
                    text, intent = rng.choice(SMALL_TALK[lang]), "smalltalk"
                else:
                    text, intent = rng.choice(ASK[lang]).format(p=product), "product"
                    asked.append((sess.shop, cid, ts))
                msg_id = _uuid(rng)
                copy.write_row((msg_id, cid, shop.id, "user", "customer", text, detected, confidence,
                                _tokens(text), ts, f"wamid.SIM{msg_id.replace('-', '')}", "text", intent,
                                None, None, None))
                counts["messages"] += 1
                counts["customer_messages"] += 1
                st.seen(ts, customer=True)
                if counts["messages"] >= messages:
                    break  # the target is reached: this last message is still waiting for its answer
                reply_at = ts + timedelta(seconds=rng.uniform(1.5, 6.0))
                escalate = intent == "human" or confidence < ESCALATE_BELOW
                if escalate:
                    reply = HANDOVER[detected]
                    author = "system"
                elif intent == "smalltalk":
                    reply, author = rng.choice(ANSWER_SMALL[detected]), "ai"
                else:
                    reply, author = rng.choice(ANSWER[detected]).format(p=product, price=_price(price)), "ai"
                status = rng.choices(("read", "delivered", "sent", "failed"), weights=(70, 22, 6, 2))[0]
                bot_id = _uuid(rng)
                copy.write_row((bot_id, cid, shop.id, "bot", author, reply, detected, confidence, _tokens(reply),
                                reply_at, f"wamid.SIM{bot_id.replace('-', '')}", "text", None, msg_id, status,
                                reply_at + timedelta(seconds=rng.uniform(1, 120))))
                counts["messages"] += 1
                st.seen(reply_at)
                if author == "ai":
                    counts["ai_replies"] += 1
                    if reply_at >= recent_from:
                        recent_ai[sess.shop] += 1
                if not escalate:
                    ts = reply_at + timedelta(seconds=rng.uniform(20, 400))
                    continue
                counts["escalations"] += 1
                reason = "customer_request" if intent == "human" else "low_confidence"
                notifications.append((shop.id, cid, "escalation", f"A customer needs you on WhatsApp ({reason}).",
                                      reply_at))
                local_hour = (reply_at + NAIROBI).hour
                minutes = rng.lognormvariate(math.log(12 if 7 <= local_hour < 21 else 240), 0.9)
                owner_at = reply_at + timedelta(minutes=max(0.5, minutes))
                if owner_at > now or rng.random() < 0.04 or counts["messages"] >= messages:
                    st.escalation(reply_at, reason, None)
                    break
                owner_text = rng.choice(OWNER)
                owner_id = _uuid(rng)
                copy.write_row((owner_id, cid, shop.id, "bot", "owner", owner_text, None, None, None, owner_at,
                                f"wamid.SIM{owner_id.replace('-', '')}", "text", None, None, "read", owner_at))
                counts["messages"] += 1
                counts["owner_replies"] += 1
                st.escalation(reply_at, reason, owner_at)
                st.seen(owner_at)
                break  # the owner takes over; this visit ends

    with conn.cursor() as cur:
        with cur.copy("COPY notifications (business_id, conversation_id, kind, body, created_at) FROM STDIN") as copy:
            for bid, cid, kind, body, at in notifications:
                copy.write_row((bid, cid, kind, body, at))
    _update_conversations(conn, states, {row[0] for row in conv_rows})
    unused = [row[0] for row in conv_rows if row[0] not in states]  # customers whose visits were not written
    if unused:
        conn.execute("DELETE FROM conversations WHERE id = ANY(%s::uuid[])", (unused,))
    monthly_ai = [n * 30 / min(days, 30) for n in recent_ai]
    subs = _simulate_billing(conn, rng, shops, now, days, monthly_ai)
    orders = _simulate_orders(conn, rng, shops, asked, now)
    conn.commit()
    return {**counts, "conversations_new": len(conv_rows) - len(unused), "subscriptions": subs,
            "businesses": len(shops), "days": days, "orders": orders}


def _update_conversations(conn: psycopg.Connection, states: dict[str, _ConvState], new_ids: set[str]) -> None:
    """Conversation summary columns (last message, escalation state) from the simulated history; a chat
    this run created starts with its first written message (as a real one does)."""
    conn.execute("""CREATE TEMP TABLE sim_conv (id uuid, first_at timestamptz, last_at timestamptz,
                    last_customer_at timestamptz, escalated_at timestamptz, reason text,
                    handed_back_at timestamptz, pending boolean, is_new boolean) ON COMMIT DROP""")
    with conn.cursor() as cur, cur.copy("COPY sim_conv FROM STDIN") as copy:
        for cid, st in states.items():
            copy.write_row((cid, st.first_at, st.last_at, st.last_customer_at, st.escalated_at, st.reason,
                            st.owner_at, st.pending, cid in new_ids))
    conn.execute("""
        UPDATE conversations c SET
            created_at = CASE WHEN s.is_new THEN coalesce(s.first_at, c.created_at) ELSE c.created_at END,
            last_message_at = greatest(s.last_at, c.created_at),
            last_customer_message_at = s.last_customer_at,
            escalated_at = coalesce(s.escalated_at, c.escalated_at),
            escalation_reason = coalesce(s.reason, c.escalation_reason),
            handed_back_at = coalesce(s.handed_back_at, c.handed_back_at),
            status = CASE WHEN s.pending THEN 'human_escalated' ELSE 'ai_active' END
        FROM sim_conv s WHERE c.id = s.id""")


ORDER_RATE = 0.15  # share of product questions that end in an order
ORDER_OUTCOMES = (("fulfilled", 45), ("paid", 20), ("awaiting_payment", 12), ("cancelled", 15),
                  ("payment_failed", 8))


def _simulate_orders(conn: psycopg.Connection, rng: random.Random, shops: list[Shop],
                     asked: list[tuple[int, str, datetime]], now: datetime) -> int:
    """Orders placed after some product questions: 1-3 catalogue items, paid by M-Pesa or not, with the
    realistic share of cancelled and failed payments (COPY, like the messages)."""
    catalogue = {}
    for i, shop in enumerate(shops):
        catalogue[i] = conn.execute("SELECT id, name, price, metadata FROM products WHERE business_id = %s AND is_available",
                                    (shop.id,)).fetchall()
    numbers = {shop.id: conn.execute("SELECT coalesce(max(number), 0) AS n FROM orders WHERE business_id = %s",
                                     (shop.id,)).fetchone()["n"] for shop in shops}
    order_rows, item_rows = [], []
    for shop_i, cid, at in asked:
        products = catalogue[shop_i]
        if not products or rng.random() > ORDER_RATE:
            continue
        shop = shops[shop_i]
        numbers[shop.id] += 1
        oid = _uuid(rng)
        placed = at + timedelta(minutes=rng.uniform(1, 20))
        status = rng.choices([s for s, _ in ORDER_OUTCOMES], weights=[w for _, w in ORDER_OUTCOMES])[0]
        total = 0.0
        for product in rng.sample(products, k=min(len(products), rng.choice((1, 1, 2, 3)))):
            qty = rng.choice((1, 1, 1, 2, 2, 3, 5))
            total += qty * float(product["price"])
            line_id = _uuid(rng)  # the second size's line id is drawn apart: the main stream stays as it was
            for k, (size, count) in enumerate(_sizes_ordered(product, qty, random.Random(line_id))):
                item_rows.append((line_id if k == 0 else _uuid(random.Random(f"{line_id}{size}")), oid, shop.id,
                                  product["id"], product["name"], count, product["price"], size, placed))
        paid = status in ("paid", "fulfilled")
        paid_at = placed + timedelta(minutes=rng.uniform(0.5, 6)) if paid else None
        order_rows.append((oid, shop.id, numbers[shop.id], cid, status, "order", "chat",
                           rng.choice(("pickup", "delivery")), round(total, 2), round(total, 2),
                           round(total, 2) if paid else None, _receipt(rng) if paid else None,
                           placed, min(now, placed + timedelta(hours=rng.uniform(0, 30))), placed, paid_at,
                           paid_at + timedelta(hours=rng.uniform(1, 30)) if status == "fulfilled" else None,
                           placed + timedelta(minutes=rng.uniform(2, 90)) if status == "cancelled" else None))
    with conn.cursor() as cur:
        with cur.copy("""COPY orders (id, business_id, number, conversation_id, status, kind, source, fulfilment,
                             total_kes, confirmed_total_kes, paid_amount_kes, mpesa_receipt_number, created_at,
                             updated_at, confirmed_at, paid_at, fulfilled_at, cancelled_at) FROM STDIN""") as copy:
            for row in order_rows:
                copy.write_row(row)
        with cur.copy("""COPY order_items (id, order_id, business_id, product_id, name, quantity, unit_price,
                             variant, created_at) FROM STDIN""") as copy:
            for row in item_rows:
                copy.write_row(row)
    return len(order_rows)


_SIZE_RANGE = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")


def _sizes_ordered(product: dict, qty: int, rng: random.Random) -> list[tuple[str | None, int]]:
    """The (size, count) lines of `qty` of a product: a shoe sold in sizes ("38-45") in one size, or now and then
    (more than one pair) in two, each its own order line; anything else one line without a size. Drawn from `rng`
    of its own, so the rest of the simulation is the same with or without sizes."""
    meta = product.get("metadata") if isinstance(product.get("metadata"), dict) else {}
    found = _SIZE_RANGE.match(str(meta.get("sizes") or ""))
    if not found:
        return [(None, qty)]
    low, high = int(found.group(1)), int(found.group(2))
    first = rng.randint(low, high)
    if qty < 2 or high == low or rng.random() > 0.3:
        return [(f"size {first}", qty)]
    second = rng.choice([n for n in range(low, high + 1) if n != first])
    some = rng.randint(1, qty - 1)
    return [(f"size {first}", some), (f"size {second}", qty - some)]


def _receipt(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_uppercase + string.digits, k=10))


def _simulate_billing(conn: psycopg.Connection, rng: random.Random, shops: list[Shop], now: datetime,
                      days: int, monthly_ai: list[float]) -> int:
    """Monthly subscriptions paid with M-Pesa (some STK pushes fail first) for shops with no billing
    history yet: past periods expired, the current one active, failed attempts with Daraja result codes."""
    from mtaabot.billing.plans import PERIOD_DAYS, PLANS

    created = 0
    sql = """INSERT INTO subscriptions (business_id, plan_tier, starts_at, ends_at, mpesa_checkout_id,
                 mpesa_receipt_number, is_active, status, amount_kes, phone, result_code, result_desc,
                 failure_reason, settled_by, created_at, updated_at, paid_at)
             VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'callback', %s, %s, %s)"""
    failures = ((1032, "Request cancelled by user", "cancelled by the customer"),
                (1, "The balance is insufficient for the transaction", "insufficient M-Pesa balance"),
                (1037, "DS timeout user cannot be reached", "phone could not be reached"))
    for i, shop in enumerate(shops):
        has = conn.execute("SELECT 1 FROM subscriptions WHERE business_id = %s LIMIT 1", (shop.id,)).fetchone()
        if has:
            continue
        # The smallest plan whose quota covers the shop's volume (with headroom); every other shop one up.
        tiers = sorted(PLANS.values(), key=lambda p: p.monthly_ai_replies)
        fit = next((k for k, p in enumerate(tiers) if p.monthly_ai_replies >= 1.2 * monthly_ai[i]), len(tiers) - 1)
        plan = tiers[min(fit + (i % 2), len(tiers) - 1)]
        phone = "2547" + "".join(rng.choices(string.digits, k=8))
        period_end = now + timedelta(days=rng.randint(2, PERIOD_DAYS - 3), hours=rng.randint(0, 23))
        periods = []
        while True:
            period_start = period_end - timedelta(days=PERIOD_DAYS)
            periods.append((period_start, period_end))
            if period_start <= now - timedelta(days=days):
                break
            period_end = period_start
        periods.sort()
        for s, e in periods:
            current = e > now
            paid_at = s - timedelta(minutes=rng.uniform(5, 600))
            for _ in range(rng.choices((0, 1, 2), weights=(65, 25, 10))[0]):
                code, desc, reason = rng.choice(failures)
                at = paid_at - timedelta(minutes=rng.uniform(2, 90))
                conn.execute(sql, (shop.id, plan.code, s, e, f"ws_CO_SIM{_receipt(rng)}{_receipt(rng)}", None,
                                   False, "failed", plan.price_kes, phone, code, desc, reason, at, at, None))
                created += 1
            conn.execute(sql, (shop.id, plan.code, s, e, f"ws_CO_SIM{_receipt(rng)}{_receipt(rng)}",
                               _receipt(rng), current, "active" if current else "expired", plan.price_kes, phone,
                               0, "The service request is processed successfully.", None,
                               paid_at - timedelta(seconds=40), paid_at, paid_at))
            created += 1
        conn.execute("UPDATE businesses SET status = 'active', trial_ends_at = %s WHERE id = %s",
                     (periods[0][0], shop.id))
    return created
