"""The words and patterns the order chat reads a customer's message with.

Yes and thanks, cancel, remove and swap, order verbs, questions (total, price, status), delivery places and
pickup, sizes and colours, payment claims: each a compiled pattern or a word set, no logic. The modules of
`mtaabot.orders` that read a message import them from here.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mtaabot.orders.variants import COLOURS

SUMMARY_INTENTS = ("order", "booking", "order_summary")

CONFIRM = re.compile(r"^(?:(?:ok|okay|sawa|poa|perfect|great|alright|haya|basi|fine|thanks|thank you|asante)\W+){0,2}"
                     r"(ndio|ndiyo|ndyo|yes|yeah|yep|yap|yup|sawa|confirm\w*|thibitisha|ok|okay|poa|fiti|sure|endelea|"
                     # "haya", "iko sawa", "book it", "deal": a yes too (each was thanks, or the product again)
                     r"haya|iko sawa|ni sawa|tuko sawa|book it|deal|done|"
                     r"go ahead|tuma(?=\s*$|\s+(?:prompt|sasa|tu|basi|hiyo|order|oda)\b)|nimeconfirm\w*|correct|sahihi|"
                     r"naam|yes please|ndio tafadhali|it's fine|fine)\b")
YES_TAIL = frozenset("""please tafadhali pls boss bro msee sana basi then nikuwekee niwekee iwekee weka nataka nichukulie
nitachukua nimekubali nakubali tumekubali agreed accepted ndio ndiyo yes me it us""".split())
# "ok thanks", "sawa asante" after the order was shown: thanks for the answer, not clearly a yes to paying
# "ni hayo tu", "that's all", "hizo tu basi": nothing more, the order as it is (was "we don't sell that")
THATS_ALL = re.compile(r"^(?:(?:ok|okay|sawa|poa|basi)\s+)?(?:(?:ni\s+)?(?:hayo|hizo|hiyo|hio|izo|hizi|hivyo|hivo)\s+"
                       r"(?:tu|pekee|peke yake)|that'?s (?:all|it)|only (?:that|those)|just (?:that|those)|nothing else|"
                       r"hakuna (?:kingine|ingine|zingine))(?:\s+(?:basi|boss|bro|msee|for now|kwa sasa))?$")
THANKS_ONLY = re.compile(r"^(?:ok|okay|sawa|poa|fiti|sure|fine)\W*(?:thanks|thank you|thanx|thx|asante|asanti|shukran)"
                         r"(?: sana| so much| a lot| boss| bro| msee)?\W*$")
VISIT = re.compile(r"\b(nitakuja|nitakam|tutakuja|tutakam|nitafika|nitapita|i'?ll come|i will come|we'?ll come|"
                   r"i can come|(?:can|could|may) (?:i|we) come|(?:naweza|naeza|ninaweza|tunaweza|tunaeza) kuja|nikuje|tuje|"
                   # "nitakuletea kesho saa tatu" of a repair: bringing the phone in, a visit
                   r"nitakuletea|tutakuletea|nitakuja nayo|i'?ll bring it|"
                   # "niko njiani nakuja": on the way to collect it
                   r"nakuja|tunakuja|niko njiani|on my way)\b")
# "ok confirm" after the customer asked something else: still the open order they mean
# the place or pickup said, then the yes in the same message: "ok I'll pick them up tomorrow morning, yes confirm"
CONFIRM_AT_END = re.compile(r"\b(?:(?:yes|ndio|ndiyo|sawa|ok|okay|so|and|na|basi)\W+)?(?:please |pls |tafadhali )?"
                            r"(?:confirm|confirm it|confirm order|thibitisha|nimeconfirm)(?: (?:please|pls|tafadhali))?\W*$")
EXPLICIT_CONFIRM = re.compile(r"\b(confirm\w*|thibitisha|nimeconfirm\w*|place (the|my) order)\b")
# ("why did you cancel?", "sijasema cancel!" ask about a cancel or deny one: they cancelled the rest of a booking)
CANCEL = re.compile(r"(?<!did you )(?<!why you )(?<!have you )(?<!sijasema )(?<!sikusema )(?<!i didn't )(?<!i did not )"
                    r"(?<!didn't say )(?<!never said )(?<!not )"
                    r"\b((?:ku|kui|ni|tu|m|mu|mni)?(?:cancel|kancel)\w*|(?:ku|tu|ni)?ghairi|sitisha|futa (order|oda|yote)|sitaki (tena|order|oda|kitu)|acha (order|oda)|"
                    r"never ?mind|forget it|nimebadilisha mawazo|don'?t want (it|anything)|nimeghairi)\b")
# the words around a cancel that are no order of something new: "I want to cancel my booking", "nataka kucancel oda"
CANCEL_WORDS = re.compile(r"\b(?:order|oda|orders|booking|bookings|appointment|miadi|(?:i )?(?:want|wanted|would like|need) to|"
                          r"i'?d like to|nataka|nilitaka|naomba)\b")
RETRY = re.compile(r"\b(lipa tena|pay again|retry|try again|jaribu tena|tuma tena|resend|nitumie tena|prompt tena|"
                   r"send (the )?prompt)\b")
REMOVE = re.compile(r"^(?:(?:hapana|no|aki|sorry|pole|basi|sawa|ok|okay|ngoja|wait|actually|tafadhali|please|ebu|hebu|"
                    # "and remove the cover" added a second cover (KES 15,600 for 14,600; owner test s31b)
                    r"and|na|also|pia|then|halafu|alafu|"
                    r"aii|ai|aah|ah|aa|eeh|hmm|bro|boss|msee|pls|kindly|can you|could you|naomba|niaje|sasa|samahani|"
                    # "nataka kuondoa sukari kwa oda 11" drafted 11 bags of sugar (customer test s27)
                    r"nataka|ningependa|nilikuwa nataka|i want to|i'?d like to|i would like to|"
                    # "nimebadilisha mind, toa superstar" was the Superstar's price (owner test s31)
                    r"nimebadilisha mind|nimebadili mind|nimechange mind|nimechenji mind|(?:i'?ve |i have )?changed my "
                    r"mind|change of plans?),? )*"
                    r"(?:toa|ondoa|kuondoa|kutoa|utoe|uondoe|mtoe|mwondoe|remove|bila|without|minus|delete|take out|"
                    r"sitaki|drop|wacha|achana na|"
                    r"forget about|forget|skip|leave out|scrap)\s+(.+)$")
# never asked for: "sijaitisha hair food", "what? sikuagiza samsung!", "I didn't order the case" (customer tests s28)
NEVER_ASKED = (r"sijaitisha|sikuitisha|sijaagiza|sikuagiza|sikuomba|sijaomba|i didn'?t (?:ask|order)(?: for)?|"
               r"i never (?:asked|ordered)(?: for)?|sikutaka|sikuitaka|i didn'?t want")  # "Sikutaka charger!" (s29b)
# a clause turning a thing down: "sitaki superstar", "acha sukari", "cancel ile tecno", "not the superstar"
TURNED_DOWN = re.compile(r"^(?:(?:hapana|no|aah|ah|basi|sawa|ok|okay|actually|sorry|samahani|pole|lakini|but|ila|na|and|"
                         r"pia|what|nini|eh|eeh|huh|aki|bana|boss|bro)\s+)*(?:sitaki|sipendi|" + NEVER_ASKED + r"|"
                         r"acha|wacha|achana na|cancel|ghairi|forget|not|sio|siyo|i don'?t want|don'?t want|no more|"
                         # "and no sugar, I have some at home" added a sugar (customer test s28b)
                         r"no|hakuna)\s+"
                         r"(?:(?:ile|hiyo|hizo|zile|the|that|those)\s+)?(?P<what>\w.*)$")
# "mafuta toa", "hiyo mafuta iondoe", "the oil, remove it": the thing first, then the removing
REMOVE_AFTER = re.compile(r"^(?:hiyo |hizo |ile |zile |the )?(.+?),? (?:toa|ondoa|iondoe|ziondoe|itoe|zitoe|remove it|"
                          r"remove them|remove|take it out|toa hiyo|ondoa hiyo)(?: yote| zote| all| kabisa)?"
                          r"(?: tafadhali| please)?$")
# "nitumie ile order kama ya last time, same vitu", "repeat my last order": the regular's earlier order again
REPEAT = re.compile(r"\b(?:kama ya (?:last time|jana|juzi|wiki iliyopita|wiki jana|mwisho|ile siku)|same (?:as )?(?:last "
                    r"time|vitu|things|order|as before)|(?:repeat|rudia) (?:my |ile |the )?(?:last |same )?(?:order|oda)|"
                    r"(?:order|oda) (?:ile ile|kama ile ya)|the usual|kama kawaida)\b")
# "cancel the oil", "futa mafuta": one line, not the whole order ("cancel my order", "futa yote" cancel it all)
CANCEL_ITEM = re.compile(r"^(?:(?:and|na|pia|also|then|basi|sawa|ok|okay|please|pls|tafadhali|actually|sorry|pole|aah|"
                         # "I want to cancel the cleaning kit" cancelled the whole order (owner test s31)
                         r"ah|hmm|wait|ngoja|i want to|i'?d like to|i would like to|can you|please|nataka|naomba|"
                         r"ningependa)\s+)*"
                         r"(?:ku-?|ni)?(?:cancel|ghairi|futa) (?:the |hiyo |ile )?(.+?)(?:\s+(?:lakini|but)\s+.*|\s*[,;.]\s.*)?$")
_GIVE = r"(?:nipe|nipatie|mnipe|give me|nitumie|niletee|nataka|i want|i'?ll take|i'?d like|weka|put|niwekee|" \
        r"make it|make that|make hers|change it to|iwe)"
_INSTEAD = r"(?:badala ya|instead of)"
# "badala ya AF1 nipe Superstar", "instead of the Nokia give me a power bank", "give me X instead of Y"
SWAP = re.compile(r"^(?:(?:sawa|ok|okay|basi|actually|tafadhali|please|pls|but|lakini)\s+)*" + _INSTEAD + r"\s+"
                  r"(?P<old>.+?),?\s+" + _GIVE + r"\s+(?P<new>.+)$|"
                  r"^(?:(?:sawa|ok|okay|basi|actually|tafadhali|please|pls)\s+)*" + _GIVE +
                  r"\s+(?P<new2>.+?),?\s+" + _INSTEAD + r"\s+(?P<old2>.+)$|"
                  # "sawa nipe maziwa 2 badala", "give me the black one instead": instead of the line meant
                  r"^(?:(?:sawa|ok|okay|basi|actually|tafadhali|please|pls|but|lakini)\s+)*" + _GIVE +
                  r"\s+(?P<new3>.+?),?\s+(?:badala yake|badala|instead)$")
# a piece of an order message, no give-word needed: "chai ketepa, hapana, royco badala ya chai" (SWAP reads a cart's)
SAID_INSTEAD_OF = re.compile(r"^(?P<new>.+?),?\s+(?:" + _INSTEAD[3:-1] + r"|in place of)\s+(?P<old>.+)$")
# a question written without "?": "does it charge 2 phones at once", "mko na air force one", "na tecno spark 20 je"
ASKS = re.compile(r"^(?:does|do|is|are|can|could|will|would|how|what|which|when|where|why|je|mko na|uko na|mna|una|"
                  r"iko|kuna|inaweza|itaweza|inakaa)\b|\bje$")
# "ngoja, nataka kubadilisha iwe tecno spark", "can I change it to the Superstar?": the one line swapped for another
_CHANGE_HEAD = (r"^(?:(?:ngoja|wait|sorry|pole|samahani|actually|sawa|ok|okay|basi|lakini|but|aki|hmm)\W+)*"
                r"(?:(?:nataka|naomba|ningependa|i want to|i'?d like to|can i|can you|naweza|let me|wacha|please|"
                r"tafadhali)\s+)?(?:ku|ni)?(?:badilisha|change|badili|swap)")
CHANGE_TO = re.compile(_CHANGE_HEAD + r"(?:\s+(?:it|hiyo|hio|the order|order|oda|yangu|my order))*"
                       r"\s+(?:iwe|to|kuwa|ikuwe|for)\s+(?P<new>.+)$")
# "aki badilisha AF1 iwe superstar, size ni ile ile": the line named becomes the other thing, in its size (it listed
# both shoes and changed nothing; customer test s30)
CHANGE_THIS_TO = re.compile(_CHANGE_HEAD + r"\s+(?:the\s+|ile\s+|hiyo\s+)?(?P<old>.+?)\s+(?:iwe|ziwe|to|kuwa|for|with)\s+"
                            r"(?P<new>.+?)(?:\s+(?:size ni ile ile|size ile ile|size hiyo hiyo|same size|"
                            r"in the same size))?$")
NOT_WANTED = re.compile(r"^(?:(?:actually|sorry|aah|ah|hmm|ok|okay|sawa|basi|wacha|acha|aki|pole|hapana|no|what|eh|eeh|huh),? )*"
                        r"(?:sitaki|sihitaji|" + NEVER_ASKED + r"|i don'?t want|"
                        r"i(?:'?ve| have)? changed my mind (?:about|on)|nimebadilisha mawazo (?:kuhusu|juu ya))"
                        r"(?: tena| more)? (.+?)(?: tena| anymore| any more)?$|"
                        r"^(.+?),? (?:sitaki|sihitaji)(?: tena| hiyo| hizo)?$")
# "akala hapana", "the boots no": that line out, when the words name a line of the cart
NOT_THAT = re.compile(r"^(?:(?:na|and|but|lakini) )?(.+?),? (?:hapana|no|not|no more|hapana tena)$")
# "hapana size 40 wacha", "akala wacha", "the boots, leave them": the thing first, then leaving it (only when the
# words name a line of the cart: "sawa wacha" is no line)
LEAVE_AFTER = re.compile(r"^(?:(?:hapana|no|aki|aii|ai|aah|ah|sorry|pole|basi|sawa|ok|okay|hmm)\W+)*(.+?),? "
                         r"(?:wacha|acha|achana nayo|achana nazo|wacha hiyo|wacha hizo|leave it|leave them|skip it)"
                         r"(?: tu| basi| tafadhali| please| pls)?$")
FILLER_ONLY = frozenset("it them hiyo hizo that this please pls tafadhali sasa now bana boss basi".split())
WHOLE_ORDER = re.compile(r"\b(order|oda|orders|yote|zote|everything|all|it|them|hiyo|hizo|that|this)\b")
# "make the sugar 2", "sukari iwe mbili", "change the milk to 3": the new quantity, not more of it
SET_MARK = re.compile(r"\b(make (it|them|that|the \w+)|change\b.* to|(?:ku|ni|u|tu|i|zi)?badilish[ae]|iwe|ziwe|kiwe|viwe|instead|actually|"
                      r"badala yake|(?:ama |basi |sasa )?(?:fanya|ifanye|zifanye)|nilikosea|nimekosea|i meant)\b")
ADD_MARK = re.compile(r"^(na|and|pia|also|plus|ongeza|add|weka|tena)\b|\b(pia|too|as well|also)$")
# "sawa, na ongeza cleaning kit", "ok add a charger": more for the order
ADD_VERB = re.compile(r"\b(?:ongeza|niongezee|ziongeze|iongeze|uongeze|uniongezee|mniongezee|ongezea|add)\b")
_MORE_WORDS = frozenset("ongeza niongezee ziongeze add more another zaidi nyingine extra".split())
MORE = re.compile(r"\b(" + "|".join(sorted(_MORE_WORDS)) + r")\b")
ORDER_VERB = re.compile(r"\b(nitumie|nitumia|mnitumie|niletee|mniletee|nipe|nipee|nipatie|mnipatie|naomba|nataka|nahitaji|"
                        r"tunataka|tunahitaji|tunaomba|nichukulie|"
                        r"order|oda|weka|nikuwekee|niwekee|like|want|need|take|give me|send me|get me|buy|nunua|ninunue|ninunulie|mninunulie|"
                        r"nichukue|nitachukua|book\w*|appointment|nibookie|reserve|nishikie|nishikilie|nikeepie|"
                        r"hold (?:it |one |them |a pair )?for me|keep (?:it |one |them )?for me)\b")
# "Nipe official shoes size 44", "give me milk": a request for the thing itself, one of it when no count is said
GIVE_NOW = re.compile(r"^(?:(?:sawa|ok|okay|basi|poa|fiti|tafadhali|please|pls|boss|msee|then|so|alright|fine|"
                      r"hapo|sasa)\s+)*(?:nipe|nipee|nipatie|mnipe|"
                      r"mnipatie|nitumie|mnitumie|niletee|mniletee|give me|send me|get me|i'?ll take|nitachukua)\b")
# "superstar size 44 nipe", "sukari mbili niletee tafadhali": the request said last
GIVE_LAST = re.compile(r"\b(?:nipe|nipee|nipatie|niwekee|nikuwekee|nitumie|niletee)(?: (?:tafadhali|please|pls|basi|boss))?$")
# "tofauti ya Samsung A15 na Tecno Spark 20 kwa camera", "which is better, X or Y?": a comparison, no order of both
COMPARE = re.compile(r"\b(?:tofauti|difference|differ|compare|comparison|vs|versus|ipi (?:ni )?(?:bora|poa|nzuri|inafaa)|"
                     r"gani (?:ni )?(?:bora|poa|nzuri)|which (?:one )?is (?:better|best|good)|which (?:one )?should i)\b")
INFO_ASKED = re.compile(r"\b(?:details?|maelezo|info\w*|picha|photos?|pictures?|pics?|specs?|specifications?|sizes|"
                        r"saizi gani|size gani|colou?rs|rangi gani|namba yako|your number|contacts?|location|list|"
                        r"menu|catalogue|options|chaguo)\b")
# "sorry nilikosea, nataka order hiyo", "I changed my mind, bring back my order": the order just cancelled, again
RESTORE = re.compile(r"\b(?:order|oda) (?:hiyo|ile|yangu|yote)\b|\b(?:that|my|the) order\b|\bnilikosea\b|"
                     r"\bchanged my mind\b|\bnimebadilisha nia\b|\brudisha (?:order|oda)\b|\bundo\b|"
                     r"\bbring it back\b|"
                     # "aki sorry nilikuwa najoke, bado nataka" (a complaint for the owner; customer test s30)
                     r"\bbado (?:nataka|naitaka|nazitaka|ninaitaka|tunataka)\b|\bnilikuwa (?:najoke|nacheza|natania)\b|"
                     r"\b(?:i was|just) joking\b|\bi still want (?:it|them|the order)\b")
REFUND_WORD = re.compile(r"\b(?:refund\w*|money|pesa|doh|chapaa|ganji|rudishie\w*|my cash)\b")
# "nataka kujua kama af1 size 40 iko", "I want to check if the 42 is there": a question, not one of it
WANTS_TO_KNOW = re.compile(r"\b(?:kujua|kuuliza|kuconfirm|kucheck|know|ask|check|confirm|see if|find out)\b|"
                           r"\bkama\b.*\b(?:iko|ipo|ziko|zipo|inapatikana|zinapatikana)\b")
# "nataka kujua kama mna iphone 13": the want is to know (it drafted a KES 52,000 order)
ASKING_ONLY = re.compile(r"\b(?:nataka|ningependa|nilitaka|tulitaka|tunataka|naomba|want to|wanted to|would like to|"
                         r"i'?d like to) (?:kujua|kuuliza|know|ask)\b|\b(?:nauliza|nimeuliza|just asking|only asking)\b")
TAKE = re.compile(r"\b(take|i'?ll have|nitachukua|nachukua|ninachukua|tunachukua|nichukue|nipe|niwekee|nikuwekee|nitumie|order)\b")
BOOKING = re.compile(r"\b(book\w*|appointment|miadi|nibookie|kusukwa|kusuka|nisukwe|kupakwa|nipakwe|kunyolewa|"
                     r"ninyolewe|kunyoa|kuoshwa|kufanyiwa|kushonewa|reserve a slot)\b")
REFERENCE = re.compile(r"\b(hiyo|hizo|hii|hizi|ile|zile|hicho|hilo|that|this|it|them|those|same|kwanza|pili|"
                       r"first|second|last|mwisho)\b")
PRICE_Q = re.compile(r"\b(bei|ngapi|how much|price|cost|iko|ziko|available|mna|mnauza|do you|kuna|gani|what)\b")
# "bei gani jumla?", "total ni ngapi?", "how much altogether?": the customer asks what the open order comes to
# ("stage ya Total", "pale Total petrol station": the place, not the order's total)
TOTAL_Q = re.compile(r"\b((?:pesa|doh|bei|ni) ngapi (?:zote|yote)|jumla|"
                     r"(?<!ya )(?<!stage )(?<!pale )(?<!kwa )(?<!near )(?<!at )(?<!opposite )total(?! stage| petrol| station| sheli)|altogether|"
                     r"all together|how much (?:for )?both|"
                     # "ni ngapi sasa" after a change to the order: what it comes to now
                     r"(?:pesa |doh |bei )?ni ngapi sasa|sasa ni ngapi|how much now|(yote|zote) pamoja|pamoja ni ngapi|(yote|zote) ni ngapi|nilipe ngapi|nalipe ngapi|nalipa ngapi|"
                     # "nitalipa ngapi?" after the yes (it was "we don't sell that"; owner test s31)
                     r"(?:nita|tuta|ni|tu)lip(?:a|e|ie) (?:pesa |doh )?ngapi|(?:na|nina|tuna|tu)daiwa (?:pesa |doh )?ngapi|"
                     r"(?:nikupe|nikulipe|tukupe|tukulipe|nikutumie|nitume|nitumie) (?:pesa |doh )?ngapi|"
                     # "balance ni ngapi", "tumebaki na ngapi?", "what's my balance?" (a product question for the
                     # owner, or "we don't do that"; tester s32)
                     r"balance (?:yangu |yetu |ya oda |ya order |ya booking )?(?:ni |iko )?(?:ngapi|how much|gani)|"
                     r"(?:nime|tume|ni|tu)baki (?:na )?(?:pesa |doh )?ngapi|what(?:'s| is) (?:my|our|the) balance|"
                     r"how much (?:is )?(?:left|remaining) to pay|"
                     r"how much (do|will|should|must) (i|we) (pay|owe|send)|how much (is|for) (it all|everything|all of it|"
                     r"the (whole )?(order|lot))|ni ngapi (zote|yote|kwa jumla)|(zote|yote) (ni )?(bei gani|doh ngapi))\b")
BARE_PRICE = re.compile(r"(so |and |na |sasa )?(how much( is| will)?( it| that| this)?( be| cost)?|what('s| is) the (price|cost)|"
                        r"(bei|price|cost) (gani|yake|ni ngapi|ni how much)|bei gani hiyo|(hiyo |hii )?ni (pesa )?ngapi"
                        r"( hiyo| hii)?|how much do i pay|nilipe ngapi)")
CANCEL_BOOKING = re.compile(r"\b(ku(?:i)?cancel|nicancel\w*|cancel\w*|sitakuja|sitaweza kuja|can'?t make it)\b(?!.*\b("
                            r"move|badilisha|iwe|instead|badala)\b)")
# "booking yangu ni saa ngapi?", "what time is my appointment?"
WHEN_Q = re.compile(r"\b(?:saa ngapi|lini|when|what time|siku gani)\b")
# an order said to have been placed before: "niliweka order ya power bank", "nimeagiza superstar jana", "I ordered"
ORDERED_BEFORE = re.compile(r"\b(?:niliweka (?:order|oda)|nimeweka (?:order|oda)|niliagiza|nimeagiza|niliorder|nimeorder|"
                            r"i ordered|i placed (?:an|my) order|i made an order)\b")
# when the order comes: "oda yangu itafika saa ngapi?", "je imetoka?", "when will it arrive?" (the first got "inasubiri
# malipo", the second "we don't sell that"; customer test s27): only the owner knows
WHEN_COMES = re.compile(r"\b(?:itafika|zitafika|utafika|vitafika|kitafika|yatafika|italetwa|zitaletwa|utaletwa|"
                        # "mzigo wangu utafika saa ngapi?" got the opening hours (customer test s28)
                        r"mtaleta (?:lini|saa ngapi)|mtaniletea (?:lini|saa ngapi)|when will you (?:deliver|bring)|"
                        r"mtaniletea lini|utaniletea lini|italetwa lini|"
                        r"imetoka|zimetoka|imeondoka|imetumwa|iko njiani|ziko njiani|rider yuko wapi|"
                        r"when will (?:it|they|my order|the order) (?:arrive|come|get here|be delivered|reach me)|"
                        r"(?:has|have) (?:it|they|my order) (?:left|been sent|been dispatched)|is it on the way|eta|"
                        # "Hi, is my phone ready?" was a detail of the screen protector (owner test s31): the owner's to say
                        r"is my (?:phone|order|simu|repair|device|laptop|item|stuff) ready|(?:simu|oda|order|mzigo) "
                        r"yangu (?:iko|imekuwa|ime|imeshakuwa) tayari|(?:simu|oda|order|mzigo) yangu imekamilika)\b")
STATUS_Q = re.compile(r"\b(order yangu|oda yangu|my order|status|imefika wapi|iko wapi order|where is my order|"
                      # "booking yangu iko aje", "balance yangu ni ngapi?" made a second booking, or went to the owner
                      # as a question about the manicure (customer test s28)
                      r"booking yangu|miadi yangu|appointment yangu|my booking|my appointment|balance yangu|"
                      r"my balance|baki yangu|nimebaki na(?:yo)? (?:pesa|doh|ngapi)|how much (?:do )?i (?:still )?owe|"
                      # "Mzigo wangu umefika wapi?" was the delivery answer, "Tunadaiwa ngapi sasa?" went to the owner
                      # as a question about the sugar (customer test s29b)
                      r"mzigo wangu|my package|my parcel|(?:umefika|zimefika|yamefika|vimefika) wapi|"
                      r"(?:tuna|ni|na|nina)daiwa (?:ngapi|pesa ngapi|kiasi gani)|deni (?:langu|yangu|letu)|"
                      r"how much (?:do )?we (?:still )?owe|"
                      r"(?:order|oda) (?:number |namba |no\.? )?#?\d{1,6} (?:iko|imefika|ime) ?wapi|"
                      r"where is (?:order|oda) (?:number |no\.? )?#?\d{1,6})\b|"
                      + ORDERED_BEFORE.pattern)  # an order placed before is asked about too
# "deliver to Westlands", "niletee sukari hadi Kasarani", "delivery kwa Roysambu": the place after its marker
# ("niletee unga 2 at 10am" names goods and a time, no place: the time is taken out of what is left)
DELIVERY = re.compile(r"\b(?:deliver(?:y|ed)?|niletee|uniletee|mniletee|nileteeni|niletewe|tuletee|nifikishie|leta|unaleta|mnaleta|utaleta|mtaleta|"
                      r"send)\b(?:\s+\S+){0,12}?"
                      # ("niletee Githurai 45 kwa plot ya Mwangi": the plot is where at Githurai, not the place;
                      # it was "we don't have 'githurai kwa plot mwangi'"; s31 found-not-fixed)
                      # ("deliver Umoja 2 near Kwa Chief" went to "Chief"; tester s32b)
                      r"\s+(?:to|at|(?<!near )(?<!karibu na )(?<!opposite )(?<!next to )"
                      r"kwa(?!\s+(?:plot|nyumba|gate|house|apartment|flat|building|estate|ploti)\b)|hadi|"
                      r"mpaka)\s+([a-z0-9][a-z0-9 ,.'-]{1,80})$")
# "please deliver it", "naomba delivery": delivery wanted, the place not said yet ("niletee unga" is how many
# people say "give me flour", so it alone is no delivery)
DELIVERY_WANTED = re.compile(r"\b(deliver (it|them|this|that)|(please|pls|tafadhali) deliver|(nataka|naomba|i want|i need) "
                             r"delivery|delivery (please|tafadhali)|i want (it|them) delivered)\b")
# "niko Kasarani", "I'm in Kasarani", "location ni Roysambu": where the customer is, said to an open order
WHERE_I_AM = re.compile(r"^(?:(?:nimekwambia|nimekuambia|nilisema|nimesema|i said|i told you)\W+)?"
                        r"(?:(?:mimi|me) )?(?:niko|nipo|tuko|tupo|naishi|i am (?:in|at)|i'?m (?:in|at)|we are (?:in|at)|"
                        # the one it is sent to: "..., yuko Githurai 45" (lost, "Hatuna 'yuko githurai'"; owner test s31)
                        r"yuko|yupo|anaishi|wako|wapo|she is (?:in|at)|he is (?:in|at)|she'?s (?:in|at)|he'?s (?:in|at)|"
                        r"they are (?:in|at)|they'?re (?:in|at)|"
                        r"we'?re (?:in|at)|(?:my )?(?:location|address)(?: ni| is)?:?|"
                        # "Delivery ni Kahawa West, karibu na Quickmart" (was not kept; customer test s29b)
                        r"delivery (?:ni|iwe|is|to|:)(?! (?:ngapi|bei|how|free|bure|sawa|poa|fine|ok|gani|shilingi|ksh|kes|\d)))"
                        r"\s+(?:kwa |pale |hapo )?"
                        r"([a-z0-9][a-z0-9 ,.'-]{1,60}?)"
                        # "niko kwa stage ya Total niletee": the bring-to word after the place
                        r"(?:\s+(?:m?niletee|tuletee|nitumie|mnitumie|leta|please|tafadhali|pls))?$")
# "niletee kesho asubuhi", "sawa niletee": delivery wanted, with no place said yet
BRING_ONLY = re.compile(r"^(?:(?:sawa|ok|okay|basi|poa|tafadhali|please|pls)\s+)*(?:m?niletee|tuletee|mnitumie|nitumie|"
                        r"leta|deliver)(?:\s+(?:hizo|hiyo|them|it|zote|tafadhali|please|pls|basi))*$")
# "mnaleta Kawangware?", "do you deliver to Ruaka?", "delivery ya Kayole ni ngapi?", "Kasarani, delivery ni how much":
# a question about delivering to a place, asked with an order open (group "place")
DELIVERY_ASKED = re.compile(
    r"^(?:(?:na|and|so|je|ok|sawa) )?(?:(?:mnaleta|mnadeliver|mnafikisha|mnafika|mnafikia|unaleta|unadeliver|mtaleta|"
    r"mnaweza kuleta|do you deliver|can you deliver|you deliver|will you deliver)(?: (?:hadi|mpaka|to|kwa|in|at|mpaka))?"
    r"|(?:delivery|deliver|kuleta|uletaji|kuletewa)(?: (?:ya|to|hadi|mpaka|kwa|in|at))?) (?P<place>[a-z][a-z0-9 ,.'-]{1,50}?)"
    r"(?: (?:pia|too|also|ni ngapi|ni pesa ngapi|ni how much|how much|ngapi|inakuwa ngapi|ni bei gani|bei gani|costs?))?$"
    r"|^(?P<place2>[a-z][a-z0-9 ,.'-]{1,50}?) (?:delivery|kuleta|uletaji) (?:ni |iko |is )?"
    r"(?:ngapi|pesa ngapi|how much|bei gani|inawezekana|possible|iko)$")
NOT_A_PLACE = {"sawa", "poa", "fiti", "fine", "ok", "okay", "tayari", "ready", "njiani", "busy", "hapa", "here", "sure",
               "kazi", "work", "a hurry", "haraka", "town", "location", "lokesheni", "address", "pin", "map",
               "iko", "ipo", "iko sawa", "available", "possible", "inawezekana", "free", "bure", "please", "pls",
               "directions", "your location", "location yenu", "location yako", "details", "prompt", "mpesa",
               "m-pesa", "mpesa prompt", "pesa", "hiyo", "sasa", "order", "oda",
               # "delivery ni ngapi?", "delivery fee?": the cost asked, no place (the place became "ni")
               "ni", "is", "ni ngapi", "ngapi", "how much", "fee", "charge", "charges", "cost", "gharama", "bei",
               "ni bei gani", "inakuwa", "itakuwa", "ni pesa ngapi", "price"}
PICKUP = re.compile(r"\b(pick ?up|pick (?:it|them|hiyo|hizo) up|(?:nitakuja|atakuja|tutakuja|watakuja|mtu atakuja|"
                    r"nitatuma mtu) (?:ku|kui|kuzi)chukua|nitachukua mwenyewe|"
                    # "naweza kuja kuchukua saa tatu usiku?" (the time went unanswered; owner test s30)
                    r"(?:naweza|tunaweza|nikuje|tukuje|nije|tuje) (?:kuja )?(?:ku|kui|kuzi)chukua|"
                    r"nitachukua (?:kesho|leo|jioni|asubuhi|mchana|baadaye|usiku)|nitaichukua|nitazichukua|"
                    r"nitapitia|nitapita kuchukua|collect|i'?ll come for (?:it|them)|^(?:sawa |ok |poa )?(?:nakuja|nakam|niko njiani)$|"
                    r"(?:nita|nta|tuta|ta)pick\w*|(?:i'?ll|i will|we'?ll|can i|can we|i can|to) pick)\b")  # "nitapick mwenyewe", "I'll pick them"
# "niletee Rongai" to an order already holding items: a place when what follows the verb is nothing the shop sells
BRING = re.compile(r"^(?:tafadhali |please |pls )?(?:(?:nitalipa|nitakulipa|ntalipa|i'?ll pay|will pay)(?: [\w-]+){0,2} )?"
                   # "nitaletewa Kasarani" (I'll be brought it at Kasarani): the place (it was dropped; customer test s27)
                   r"(?:niletee|uniletee|mniletee|nileteeni|niletea|uniletea|niletewe|nitaletewa|tutaletewa|tuletee|leta|leteni|"
                   r"nifikishie|nitumie|mnitumie|tutumie|tuma|ukiniletea|mkiniletea|ukinitumia|"
                   r"mkinitumia|ukinifikishia|bring it to|bring them to|send it to|send them to|"
                   # "nipeleke Kahawa West", "deliver Kahawa West karibu na Quickmart" ("Hatuna “nipeleke kahawa
                   # west”"; customer test s30)
                   r"nipeleke|nipelekee|tupelekee|mnipelekee|peleka|deliver(?: it| them)?(?: to)?)\s+"
                   r"([a-z][a-z0-9 ,.'-]{1,60})$")
BRING_VERBS = frozenset("niletee uniletee mniletee nileteeni niletea uniletea tuletee nifikishie nitumie mnitumie tutumie deliver send bring "
                        "nipeleke nipelekee tupelekee mnipelekee".split())
SPLIT_WORDS = {"na", "and", "pia", "plus", "also", "with", "&", "n"}  # "n": and, in a text message ("2 sgr n 1 mlk")
VARIANT = re.compile(r"\b(?:sizes?|saizi|namba)\s*(\d{1,2}(?:\.\d)?)\b|\b(\d{2,4}\s?gb)\b|\b("
                     + "|".join(sorted(COLOURS, key=len, reverse=True)) + r")\b")
# a colour and a size said together ("white size 41", "size 40 nyeusi")
SIZE_AND_COLOUR = re.compile(r"(?=.*\b(?:sizes?|saizi|namba)\s*\d)(?=.*\b(?:" + "|".join(sorted(COLOURS, key=len, reverse=True))
                             + r")\b)")
NEGATIVE = re.compile(r"(^|\s)-\s?\d")
PHONE = re.compile(r"(?:\+?254|0)\s?[17]\d{2}\s?\d{3}\s?\d{3}")


VARIANT_FILLER = frozenset("""ya za la iwe ziwe kiwe viwe tu then in badala instead sorry aki nilikosea i meant
mistake pole yake actually correction wait ngoja hapana no nilimaanisha namaanisha nimemaanisha meant mean
bado sijalipa""".split())  # "sorry nilimaanisha size 41, bado sijalipa": not paid yet, so the change is fine


BOOKING_WORD = re.compile(r"^(?:book\w*|kubook\w*|nibook\w*|appointment|miadi|nafasi|reserve|slot)$")
# how the customer will collect ("will pay cash when I pick"); how they pay is intents.PAY_WORD: no item either
COLLECTING = frozenset({"pick", "pickup", "collect", "cod"})
# the same words but "book" itself, which may be a thing a shop sells ("nataka book" at a bookshop)
BOOKING_ONLY = re.compile(r"^(?:booking|kubook\w*|nibook\w*|tubook\w*|appointment|miadi|nafasi|reserve|slot)$")
# "nitakuja kesho saa tatu", "I'll come tomorrow at 10": coming in, no thing named
VISIT_WORDS = frozenset("""nitakuja nitakam tutakuja tutakam nikuje nije tuje tukuje nitafika nitapita nipite kupita kuja
come coming visit pass i'll ill will i me we us we'll shall can could may naweza naeza ninaweza tunaweza tunaeza niko
free available please tafadhali nakuja tunakuja nakam ll nitakuletea tutakuletea nayo bring
nitapitia tutapitia nipitie tupitie kupitia kuchukua kupick""".split())  # "nipe 2 nitapitia jioni": a pickup
EDGE_WORDS = {"for", "of", "on", "in", "a", "an", "the", "at", "to", "by", "kwa", "ya", "za", "la", "cha", "wa", "na",
              "and", "with", "my", "ka",  # "ka" is Sheng's "a little" (ka haircut)
              # "Mna iPhone 15 pro max?" said back as "we don't have “mna iphone pro max”" (owner test s26)
              "mna", "una", "mko", "mpo", "je", "iko", "ziko"}


FILLER = {"sawa", "ok", "okay", "poa", "basi", "sasa", "then", "tafadhali", "please", "pls", "boss", "msee", "bro",
          "niaje", "habari", "hi", "hello", "hey", "mambo", "vipi", "asante", "thanks", "yes", "ndio", "ndiyo",
          "so", "well", "hmm", "sasa basi", "mkubwa", "mathe", "madam", "sir",
          # a correction's own words: "aki nilikosea, size ni 43", "size 42 badala", "sorry, make it three"
          "aki", "nilikosea", "nimekosea", "sorry", "pole", "oops", "kumbe", "ngoja", "wait", "actually", "badala",
          "instead", "mistake", "meant", "mean", "nilimaanisha", "namaanisha", "nimemaanisha", "sijalipa", "ah", "aah", "eh", "oh", "ahh",
          # "great, book it for me", "perfect nipe": pleased, not a thing asked for
          "great", "perfect", "cool", "nice", "alright", "fine", "good",
          # "hapana nataka 5 sio 4": the no before a correction and the "not" of the number it replaces
          "hapana", "apana", "no", "nope", "sio",
          # "aje nikitaka kubadilisha iwe 42?": asking to change, no thing asked for
          "aje", "nikitaka", "nikiamua", "kubadilisha", "nibadilishe", "ubadilishe", "ibadilishe", "zibadilishe",
          "badilisha", "change", "aaah",
          # "ongeza 2 tena", "two more again": how many more, no thing called "tena"
          "tena", "again", "zaidi",
          # "ok deal, 2 pairs size 40 at 3000 each, confirm": agreeing and how the count is shared, no thing
          "deal", "confirm", "each", "kila",
          # "ok go ahead with 3", "the iPhone 13 please, 1 unit": how it is said, no thing ("We don't have “unit”")
          "go", "ahead", "unit", "units",
          # "weka moja size 43 nikisubiri boss": kept while waiting for the owner, no thing (it was "we don't sell that")
          "nikisubiri", "nikingoja", "nisubiri", "nasubiri", "nangoja", "tukisubiri", "waiting", "while"}
ORDER_WORDS = {"nitumie", "mnitumie", "niletee", "mniletee", "nipe", "nipatie", "naomba", "nataka", "nahitaji",
               "order", "oda", "weka", "ya", "za", "wa", "la", "i", "want", "need", "like", "would", "please",
               "tafadhali", "me", "some", "get", "send", "give", "buy", "kununua", "nunua", "nitachukua", "nichukue",
               "take", "have", "tunataka", "tungependa", "tunahitaji", "ningependa", "tunaomba", "chukua",
               "nichukulie", "uniletee", "tuletee", "nishikie", "nishikilie", "nikeepie", "keep", "hold",
               "pick", "collect"} | _MORE_WORDS | {"change", "badilisha", "iwe", "ziwe", "make", "instead", "actually",
                                                "fanya", "ifanye", "zifanye", "ama", "or"}


# a destination with its marker ("deliver to", "niletee hadi"): "niletee sukari" alone is an order line
WHERE = re.compile(r"(?:please |tafadhali )?(?:deliver(?:y)?(?: it| them)? (?:to|at|kwa|hadi|mpaka)|send (?:it |them )?to|"
                   r"(?:m?niletee|nifikishie|leta)(?: \w+)? (?:hadi|mpaka))\s+\S")


ASKING_WHERE = frozenset("""can could you u mnaweza unaweza mtaweza mwaweza please pls tafadhali deliver delivery
delivered to at kwa hadi mpaka niletee mniletee tuletee leta nifikishie it them and na also pia then alafu i we want
need nataka naomba do does mna una""".split())


# an M-Pesa receipt code ("QAB12CD34E") with a paid word: a payment claim whatever else the message says
RECEIPT = re.compile(r"\b[A-Z]{2}[A-Z0-9]{8}\b")
# "nitamalizia iliyobaki jioni", "I'll send the balance tomorrow": the rest of a part paid comes later (it was a
# complaint, the chat handed to the owner and the second part then went unanswered; customer test s27)
REST_LATER = re.compile(r"\b(?:nitamalizia|nitamaliza kulipa|nitakamilisha(?: malipo)?|"
                        r"(?:nitalipa|nitatuma|nitakutumia|nitaongeza) (?:iliyobaki|baki|salio|balance|zilizobaki)|"
                        r"(?:i'?ll|i will|will) (?:pay|send) (?:you )?the (?:rest|balance|remaining))\b")
# not paid yet, or paying later: "sijalipa bado, nitatuma jioni", "I haven't paid yet", "nitalipa kesho" (a complaint
# handed to the owner, or "which product's price?"; tester s32)
PAY_LATER = re.compile(r"^(?:(?:sawa|ok|okay|poa|boss|samahani|sorry)\W+)?(?:sijalipa|bado sijalipa|sijatuma|bado sijatuma|"
                       r"i (?:haven'?t|have not|didn'?t) (?:paid|sent)|not paid yet|(?:nitalipa|nitatuma|nitakutumia|"
                       r"nitaweka|i'?ll pay|i will pay|i'?ll send|i will send)(?: (?:pesa|doh|the money|it))? "
                       r"(?:jioni|kesho|baadaye|baadae|later|usiku|asubuhi|mchana|tomorrow|tonight|in the evening|soon|"
                       r"leo jioni|saa \w+))\b")
PAID_WORD = re.compile(r"\b(paid|nimelipa|nimeshalipa|tumelipa|nimetuma|sent|imeingia|nimekutumia)\b")


# "nitumie mpesa prompt", "send me the stk": asking for the payment prompt, never a claim to have paid
PROMPT_ASK = re.compile(r"\b(?:prompt|stk|stk push|pin prompt|ombi la (?:m-?)?pesa|request ya (?:m-?)?pesa)\b")


# money the customer says they sent: "ya 1000", "KES 1,500", "1.5k", "2000/=" (not an M-Pesa code's digits)
# "paybill 400200", "till no 5234567", "account 0712...": a number that says where it was paid, never how much
PAID_TO = re.compile(r"\b(?:pay ?bill|till|buy goods|business|account|acc|a/c|akaunti|namba ya simu|phone|simu)"
                     r"(?:\s*(?:no\.?|number|namba|nambari|#|:))*\s*\d{4,}\b", re.IGNORECASE)
MONEY_SAID = re.compile(r"(?<![A-Za-z0-9])(?:kes|ksh|sh|shs)?\.?\s?(\d{1,3}(?:,\d{3})+|\d{2,6}|\d+(?:\.\d)?k)"
                        r"(?:/=|/-)?(?![A-Za-z0-9])", re.IGNORECASE)
# a comma between clauses, never the one inside an amount ("A15 kwa 17,500 na charger" was split into 17 phones and
# 500 chargers; customer test s28)
COMMA = r"(?:(?<!\d),|,(?!\d{3}(?!\d)))"


def money_amounts(text: str) -> list[Decimal]:
    """The sums of money a text says, in order ("ya 1000", "KES 1,500", "1.5k"), never a paybill, till, account or
    phone number: what a customer says they paid, what the owner received, a price the owner wrote."""
    said = []
    for m in MONEY_SAID.finditer(PAID_TO.sub(" ", text)):
        raw = m.group(1).replace(",", "").lower()
        said.append(Decimal(raw[:-1]) * 1000 if raw.endswith("k") else Decimal(raw))
    return said


MONEY_WORD = re.compile(r"\b(?:bob|ksh|kes|sh|shs|pesa|doh|elfu|mia|\d+k)\b")
AMOUNT_OFFERED = re.compile(r"\b(?:kwa|at|for|@) (?:ksh|kes|sh)?\.? ?(\d{2,}(?:,\d{3})*)\b")
