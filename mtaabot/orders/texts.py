"""What the customer reads about their order, per language (SHENG / SWA / ENG).

Every name, price and total is filled in from the database by the caller; nothing here holds a price.
"""

from __future__ import annotations

from typing import Any

T: dict[str, dict[str, str]] = {
    "summary_head": {"SHENG": "Order yako #{number}:", "SWA": "Oda yako #{number}:", "ENG": "Your order #{number}:"},
    "booking_head": {"SHENG": "Booking yako #{number}:", "SWA": "Miadi yako #{number}:", "ENG": "Your booking #{number}:"},
    "line": {"SHENG": "• {qty} × {name} @ {price} = {line_total}", "SWA": "• {qty} × {name} @ {price} = {line_total}",
             "ENG": "• {qty} × {name} @ {price} = {line_total}"},
    "total": {"SHENG": "Total: {total}", "SWA": "Jumla: {total}", "ENG": "Total: {total}"},
    "when": {"SHENG": "Siku: {when}", "SWA": "Lini: {when}", "ENG": "When: {when}"},
    "delivery": {"SHENG": "Delivery: {where}", "SWA": "Kuletewa: {where}", "ENG": "Delivery to: {where}"},
    "ask_confirm": {"SHENG": "Jibu NDIO ku-confirm, ama niambie nibadilishe nini.",
                    "SWA": "Jibu NDIO kuthibitisha, au niambie ungependa kubadilisha nini.",
                    "ENG": "Reply YES to confirm, or tell me what to change."},
    "ask_time": {"SHENG": "Ungependa kuja siku gani na saa ngapi?",
                 "SWA": "Ungependa kuja siku gani na saa ngapi?",
                 "ENG": "Which day and time would you like?"},
    "closed_then": {"SHENG": "Pole, hatuko wazi {when}. Tuko wazi {hours}. Chagua saa nyingine.",
                    "SWA": "Samahani, hatuko wazi {when}. Tunafungua {hours}. Tafadhali chagua saa nyingine.",
                    "ENG": "Sorry, we are not open {when}. Our hours: {hours}. Please pick another time."},
    "past_time": {"SHENG": "Hiyo saa imeshapita. Chagua saa nyingine.",
                  "SWA": "Muda huo umeshapita. Tafadhali chagua muda mwingine.",
                  "ENG": "That time has already passed. Please pick another time."},
    "prices_changed": {"SHENG": "Bei zimebadilika tangu uweke order. Hii ndio total mpya:",
                       "SWA": "Bei zimebadilika tangu uweke oda. Hii ndiyo jumla mpya:",
                       "ENG": "Prices have changed since you started this order. Here is the new total:"},
    "removed": {"SHENG": "Poa, nimetoa {name}.", "SWA": "Sawa, nimeondoa {name}.", "ENG": "Done, I removed {name}."},
    "cart_empty": {"SHENG": "Order yako sasa haina kitu. Niambie unataka nini.",
                   "SWA": "Oda yako sasa haina kitu. Niambie ungependa nini.",
                   "ENG": "Your order is now empty. Tell me what you would like."},
    "not_in_cart": {"SHENG": "{name} haiko kwa order yako.", "SWA": "{name} haipo kwenye oda yako.",
                    "ENG": "{name} is not in your order."},
    "cancelled": {"SHENG": "Sawa, order #{number} imecancelliwa. Karibu tena!",
                  "SWA": "Sawa, oda #{number} imesitishwa. Karibu tena!",
                  "ENG": "OK, order #{number} is cancelled. You are welcome back any time!"},
    "stk_sent": {"SHENG": "Order #{number} imeconfirmiwa. Utapata M-Pesa prompt ya {amount} kwa {phone} "
                          "(inalipa {payee}). Weka PIN yako.",
                 "SWA": "Oda #{number} imethibitishwa. Utapokea ombi la M-Pesa la {amount} kwenye {phone} "
                        "(malipo kwa {payee}). Weka PIN yako kulipa.",
                 "ENG": "Order #{number} is confirmed. You will get an M-Pesa prompt for {amount} on {phone} "
                        "(paying {payee}). Enter your PIN to pay."},
    "need_phone": {"SHENG": "Order #{number} imeconfirmiwa ({amount}). Nitumie namba yako ya M-Pesa (07…) nikutumie prompt.",
                   "SWA": "Oda #{number} imethibitishwa ({amount}). Tafadhali nitumie namba yako ya M-Pesa (07…) ili nikutumie ombi la malipo.",
                   "ENG": "Order #{number} is confirmed ({amount}). Send me your M-Pesa number (07…) and I will send the payment prompt."},
    "pay_manual": {"SHENG": "Order #{number} imeconfirmiwa. Lipa {amount} kwa {payee}, ama ukipokea mzigo.",
                   "SWA": "Oda #{number} imethibitishwa. Lipa {amount} kwa {payee}, au unapopokea bidhaa.",
                   "ENG": "Order #{number} is confirmed. Pay {amount} to {payee}, or when you receive it."},
    "pay_on_delivery": {"SHENG": "Order #{number} imeconfirmiwa ({amount}). Utalipa ukipokea mzigo. Mwenye duka ameambiwa.",
                        "SWA": "Oda #{number} imethibitishwa ({amount}). Utalipa utakapopokea bidhaa. Mwenye duka amejulishwa.",
                        "ENG": "Order #{number} is confirmed ({amount}). You pay when you receive it. The owner has been told."},
    "booking_confirmed": {"SHENG": "Booking #{number} imeconfirmiwa: {when}. Tutakuona!",
                          "SWA": "Miadi #{number} imethibitishwa: {when}. Karibu!",
                          "ENG": "Booking #{number} is confirmed: {when}. See you then!"},
    "paid": {"SHENG": "Asante! Tumepokea {amount} ya order #{number}. M-Pesa receipt: {receipt}. {next}",
             "SWA": "Asante! Tumepokea malipo ya {amount} ya oda #{number}. Risiti ya M-Pesa: {receipt}. {next}",
             "ENG": "Thank you! We received {amount} for order #{number}. M-Pesa receipt: {receipt}. {next}"},
    "paid_next": {"SHENG": "Mwenye duka anaandaa mzigo wako.", "SWA": "Mwenye duka anaandaa oda yako.",
                  "ENG": "The shop is getting your order ready."},
    "pay_failed": {"SHENG": "Malipo ya order #{number} hayajapita ({reason}). Jibu LIPA TENA nikutumie prompt tena.",
                   "SWA": "Malipo ya oda #{number} hayakukamilika ({reason}). Jibu LIPA TENA nikutumie ombi jipya.",
                   "ENG": "The payment for order #{number} did not go through ({reason}). Reply PAY AGAIN for a new prompt."},
    "underpaid": {"SHENG": "Tumepokea {paid} tu kati ya {amount} ya order #{number}. Mwenye duka atawasiliana na wewe.",
                  "SWA": "Tumepokea {paid} tu kati ya {amount} ya oda #{number}. Mwenye duka atawasiliana nawe.",
                  "ENG": "We received only {paid} of {amount} for order #{number}. The owner will contact you."},
    "mpesa_down": {"SHENG": "M-Pesa haipatikani kwa sasa. Jibu LIPA TENA baadaye, order yako #{number} iko salama.",
                   "SWA": "M-Pesa haipatikani kwa sasa. Jibu LIPA TENA baadaye; oda yako #{number} imehifadhiwa.",
                   "ENG": "M-Pesa is not reachable right now. Reply PAY AGAIN in a while; your order #{number} is kept."},
    "already_paid": {"SHENG": "Order #{number} imeshalipwa ({receipt}). Asante!", "SWA": "Oda #{number} imeshalipwa ({receipt}). Asante!",
                     "ENG": "Order #{number} is already paid ({receipt}). Thank you!"},
    "status": {"SHENG": "Order #{number}: {state}.", "SWA": "Oda #{number}: {state}.", "ENG": "Order #{number}: {state}."},
    "qty_zero": {"SHENG": "Idadi ya {name} lazima iwe angalau moja.", "SWA": "Idadi ya {name} lazima iwe angalau moja.",
                 "ENG": "The quantity of {name} must be at least one."},
    "qty_absurd": {"SHENG": "{qty} za {name} ni nyingi sana kwa order ya chat. Nitumie idadi ndogo, ama uongee na mwenye duka.",
                   "SWA": "{qty} za {name} ni nyingi mno kwa oda ya hapa. Tuma idadi ndogo, au uongee na mwenye duka.",
                   "ENG": "{qty} of {name} is more than a chat order can take. Send a smaller number, or ask for the owner."},
    "no_stock": {"SHENG": "Pole, {name} zimebaki {left} tu.", "SWA": "Samahani, {name} zimebaki {left} tu.",
                 "ENG": "Sorry, only {left} of {name} left."},
    "sold_out": {"SHENG": "Pole, {name} imeisha.", "SWA": "Samahani, {name} imeisha.", "ENG": "Sorry, {name} is out of stock."},
    "alt": {"SHENG": "Lakini {name} iko ({price}).", "SWA": "Lakini {name} inapatikana ({price}).",
            "ENG": "We do have {name} ({price})."},
    "not_sold": {"SHENG": "Hatuna \u201c{what}\u201d hapa.", "SWA": "Hatuna \u201c{what}\u201d hapa.",
                 "ENG": "We don't have \u201c{what}\u201d here."},
    "we_sell": {"SHENG": "Tuko na vitu kama {examples}.", "SWA": "Tunauza vitu kama {examples}.",
                "ENG": "We do sell things like {examples}."},
    "pack_size": {"SHENG": "{problem}: niambie ngapi.", "SWA": "{problem}: niambie ngapi.", "ENG": "{problem}: how many would you like?"},
    "wa_cart_unknown": {"SHENG": "Bidhaa {count} kwa cart yako hazipo kwa catalogue yetu.",
                        "SWA": "Bidhaa {count} kwenye kikapu chako hazipo kwenye orodha yetu.",
                        "ENG": "{count} item(s) in your cart are not in our catalogue."},
}

STATE = {
    "draft": {"SHENG": "bado haija-confirmiwa", "SWA": "bado haijathibitishwa", "ENG": "not confirmed yet"},
    "awaiting_payment": {"SHENG": "inangoja malipo", "SWA": "inasubiri malipo", "ENG": "waiting for payment"},
    "payment_failed": {"SHENG": "malipo hayakupita", "SWA": "malipo hayakukamilika", "ENG": "payment did not go through"},
    "paid": {"SHENG": "imelipwa", "SWA": "imelipwa", "ENG": "paid"},
    "fulfilled": {"SHENG": "imekamilika", "SWA": "imekamilika", "ENG": "fulfilled"},
    "cancelled": {"SHENG": "imecancelliwa", "SWA": "imesitishwa", "ENG": "cancelled"},
}

FAILURES = {  # Daraja result code -> what the customer reads
    1: {"SHENG": "pesa haitoshi", "SWA": "salio halitoshi", "ENG": "not enough balance"},
    1032: {"SHENG": "uli-cancel prompt", "SWA": "ulisitisha ombi", "ENG": "you cancelled the prompt"},
    1037: {"SHENG": "simu haikupatikana", "SWA": "simu haikupatikana kwa wakati", "ENG": "your phone could not be reached in time"},
    2001: {"SHENG": "PIN si sahihi", "SWA": "PIN si sahihi", "ENG": "wrong PIN"},
    1019: {"SHENG": "prompt ime-expire", "SWA": "ombi limepitwa na muda", "ENG": "the prompt expired"},
    1001: {"SHENG": "M-Pesa iko busy", "SWA": "M-Pesa ina shughuli nyingi", "ENG": "M-Pesa was busy"},
}


def say(key: str, lang: str, **fields: Any) -> str:
    table = T[key]
    return table.get(lang, table["SWA"]).format(**fields)


def failure_text(code: int | None, lang: str) -> str:
    default = {"SHENG": "M-Pesa ilikataa", "SWA": "M-Pesa ilikataa", "ENG": "M-Pesa declined it"}
    return FAILURES.get(code or -1, default).get(lang, default["SWA"])
