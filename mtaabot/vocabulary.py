"""Swahili/Sheng -> English product vocabulary bridge, so English catalogues answer local words.

Customers write "unga", "mafuta ya kupikia", "viatu", "kufuli", "nyama ya mbuzi"; catalogues are
mostly written in English. `expand_query` turns a message into English search terms (the original
words kept too, since descriptions often carry the local word in brackets) and separates the words
that name a *thing* (content terms) from the words that only frame a question ("bei gani", "iko").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

# Multi-word phrases first (matched on the normalised text before single words).
PHRASES: dict[str, str] = {
    "mafuta ya kupikia": "cooking oil",
    "mafuta ya kupika": "cooking oil",
    "mafuta ya taa": "paraffin kerosene",
    "mafuta ya nywele": "hair oil",
    "mafuta ya mwili": "body lotion",
    "unga wa ngano": "wheat flour baking",
    "unga ya ngano": "wheat flour baking",
    "unga wa mahindi": "maize flour",
    "unga ya mahindi": "maize flour",
    "unga wa ugali": "maize flour",
    "unga ya ugali": "maize flour",
    "nyama ya ng'ombe": "beef",
    "nyama ya ngombe": "beef",
    "nyama ya mbuzi": "goat meat",
    "nyama ya kondoo": "mutton lamb",
    "nyama ya nguruwe": "pork",
    "nyama ya kuku": "chicken",
    "nyama choma": "roast meat",
    "kuku wa kienyeji": "kienyeji chicken indigenous free-range",
    "kuku ya kienyeji": "kienyeji chicken indigenous free-range",
    "kuku wa kizungu": "broiler chicken",
    "majani chai": "tea leaves",
    "majani ya chai": "tea leaves",
    "sabuni ya kufua": "laundry soap",
    "sabuni ya kuoga": "bathing soap",
    "sabuni ya vyombo": "dishwashing liquid",
    "mswaki": "toothbrush",
    "dawa ya meno": "toothpaste",
    "viatu vya ofisi": "official leather shoes",
    "viatu vya shule": "school shoes",
    "viatu vya mpira": "football boots",
    "viatu vya kike": "ladies shoes heels",
    "viatu vya kiume": "men shoes",
    "nguo za watoto": "baby kids clothes",
    "nguo za mtoto": "baby kids clothes",
    "nguo za kike": "ladies women clothes",
    "nguo za wanawake": "ladies women clothes",
    "nguo za wanaume": "men clothes",
    "nguo za baridi": "winter coat jacket",
    "koti la jeans": "denim jacket",
    "koti ya jeans": "denim jacket",
    "jacket ya jeans": "denim jacket",
    "picha za pasipoti": "passport photos",
    "picha ya pasipoti": "passport photos",
    "passport size": "passport photos",
    "cheti cha tabia njema": "certificate good conduct",
    "cheti cha polisi": "certificate good conduct",
    "good conduct": "good conduct certificate",
    "simu ya mkononi": "mobile phone",
    "simu ya kitochi": "feature phone button",
    "simu janja": "smartphone",
    "kioo cha simu": "phone screen",
    "screen ya simu": "phone screen",
    "kutengeneza simu": "phone repair",
    "kurekebisha simu": "phone repair",
    "kusuka nywele": "braiding hair",
    "kunyoa nywele": "haircut shave",
    "kunyolewa": "haircut",
    "kuosha nywele": "hair wash",
    "kupaka rangi": "painting paint",
    "rangi ya ukuta": "wall paint",
    "rangi nyeupe": "white paint",
    "bati la": "iron sheet roofing",
    "misumari ya": "nails",
    "bomba la maji": "water pipe plumbing",
    "bomba ya maji": "water pipe plumbing",
    "gesi ya kupikia": "cooking gas lpg",
    "mafuta taa": "paraffin kerosene",
    "viatu virefu": "high heels",
    "viatu vya juu": "high heels",
    "buti za mvua": "gumboots rain boots",
    "buti ya mvua": "gumboots rain boots",
    "viatu vya mvua": "gumboots rain boots",
    "mkate wa": "bread",
    "maji ya kunywa": "drinking water",
    "juisi ya": "juice",
    "kusajili kra": "kra pin registration",
    "kusajiliwa kra": "kra pin registration",
}

# Single words (Swahili, Sheng, common misspellings) -> English terms.
WORDS: dict[str, str] = {
    # groceries
    "unga": "maize flour", "ngano": "wheat", "mahindi": "maize corn", "ugali": "maize flour",
    "sukari": "sugar", "chumvi": "salt", "mafuta": "oil", "maziwa": "milk", "mala": "fermented milk",
    "chai": "tea", "kahawa": "coffee", "mchele": "rice", "wali": "rice", "pilau": "rice spices",
    "mayai": "eggs", "yai": "egg", "mkate": "bread", "siagi": "butter", "majarini": "margarine",
    "maharagwe": "beans", "maharage": "beans", "ndengu": "green grams", "dengu": "lentils",
    "njugu": "groundnuts peanuts", "sukuma": "kale sukuma", "sukumawiki": "kale",
    "nyanya": "tomatoes", "vitunguu": "onions", "kitunguu": "onion", "viazi": "potatoes",
    "ndizi": "bananas", "matunda": "fruit", "mboga": "vegetables", "sabuni": "soap",
    "mchuzi": "stew cooking mix", "viungo": "spices", "pilipili": "pepper chilli",
    "tambi": "spaghetti noodles", "biskuti": "biscuits", "soda": "soda", "maji": "water",
    "juisi": "juice", "gesi": "gas lpg", "gas": "gas", "mkaa": "charcoal", "kiberiti": "matches",
    "mshumaa": "candle", "tishu": "tissue", "karatasi": "paper", "dawa": "medicine",
    "nepi": "diapers", "pampers": "diapers", "sodo": "sanitary pads", "mafuta-taa": "paraffin",
    "kimbo": "cooking fat", "blueband": "margarine", "omo": "detergent", "mandazi": "mandazi flour",
    "chapati": "chapati wheat flour", "chapo": "chapati wheat flour",
    # meat / butchery
    "nyama": "meat", "ngombe": "beef cow", "ng'ombe": "beef cow", "mbuzi": "goat",
    "kondoo": "mutton sheep", "nguruwe": "pork", "kuku": "chicken", "samaki": "fish",
    "matumbo": "tripe matumbo", "maini": "liver", "figo": "kidney", "soseji": "sausages",
    "sausage": "sausages", "smokie": "smokies sausages", "smokies": "smokies sausages",
    "mutura": "mutura blood sausage", "kienyeji": "kienyeji indigenous", "mifupa": "bones",
    "choma": "roast", "kuchoma": "roast", "mbavu": "ribs",
    # hardware
    "simiti": "cement", "saruji": "cement", "misumari": "nails", "msumari": "nail",
    "rangi": "paint colour", "bati": "iron sheet roofing", "mabati": "iron sheet roofing",
    "kufuli": "padlock lock", "bomba": "pipe tap", "wilibaro": "wheelbarrow",
    "toroli": "wheelbarrow", "mbao": "timber wood", "nyundo": "hammer", "msumeno": "saw",
    "jembe": "hoe", "koleo": "pliers", "waya": "wire", "mchanga": "sand", "kokoto": "ballast",
    "matofali": "bricks blocks", "tofali": "brick block", "ndoo": "bucket", "tanki": "tank",
    "mlango": "door", "dirisha": "window", "bawaba": "hinges", "gundi": "glue", "brashi": "brush",
    "spana": "spanner", "bisibisi": "screwdriver", "skrubu": "screws", "screw": "screws",
    "stima": "electricity electric", "balbu": "bulb", "bulb": "bulb", "ngazi": "ladder",
    "mfereji": "drainage pipe", "sola": "solar", "paneli": "panel",
    # clothes
    "nguo": "clothes", "longi": "trousers jeans", "suruali": "trousers", "shati": "shirt",
    "tisheti": "t-shirt", "tshirt": "t-shirt", "tshirts": "t-shirts", "fulana": "vest t-shirt",
    "koti": "coat jacket", "rinda": "dress", "gauni": "dress", "sketi": "skirt", "kofia": "hat cap",
    "sweta": "sweater", "sweater": "sweater", "soksi": "socks", "chupi": "underwear", "mtumba": "second-hand",
    "kanga": "kanga wrap", "kikoi": "kikoi wrap", "leso": "kanga", "mkanda": "belt", "begi": "bag",
    "mkoba": "handbag", "pochi": "purse wallet", "jinsi": "jeans", "jeans": "jeans denim",
    "mtoto": "baby kids", "watoto": "kids children", "mtoi": "baby", "ladies": "women",
    "kike": "women ladies", "kiume": "men", "baridi": "cold winter", "nzito": "heavy",
    "refu": "long", "ndefu": "long", "fupi": "short", "maua": "floral flowers",
    # shoes
    "viatu": "shoes", "kiatu": "shoe", "raba": "sneakers", "rubber": "sneakers", "rabas": "sneakers",
    "sapatu": "shoes", "ndala": "sandals flip-flops", "sandali": "sandals", "akala": "akala sandals",
    "timba": "timberland boots", "timbaland": "timberland boots", "rubaa": "sneakers",
    "buti": "boots", "njumu": "shoes boots", "open": "open", "heels": "heels",
    # phones / electronics
    "simu": "phone", "kabambe": "feature phone button", "chaja": "charger", "charja": "charger",
    "kioo": "screen glass", "laini": "sim card", "betri": "battery", "spika": "speaker",
    "earphones": "earphones earbuds", "headphones": "earphones earbuds", "redio": "radio",
    "runinga": "tv television", "tv": "television", "kompyuta": "computer laptop",
    "tarakilishi": "computer", "laptop": "laptop computer", "kava": "cover case",
    "powerbank": "power bank", "flash": "flash disk", "memori": "memory card",
    # printing / cyber
    "kuprint": "printing print", "kuprinti": "printing print", "printi": "print printing",
    "uchapishaji": "printing", "kuchapisha": "printing", "chapisha": "printing",
    "fotokopi": "photocopy", "kopi": "photocopy copy", "photocopy": "photocopy",
    "picha": "photo photos", "pasipoti": "passport", "pasi": "passport",
    "kusajili": "registration register", "kusajiliwa": "registration register", "usajili": "registration",
    "cheti": "certificate", "barua": "letter", "kutype": "typing", "typiwa": "typing", "kutypiwa": "typing",
    "kuchapa": "typing", "kuscan": "scanning scan", "skani": "scanning", "lamination": "laminating",
    "kulaminate": "laminating", "kitambulisho": "id card", "wasifu": "cv",
    # salon / beauty
    "nywele": "hair", "kusuka": "braiding braids", "kusukwa": "braiding braids", "nisukwe": "braiding braids",
    "msuko": "braiding braids", "braid": "braids", "rasta": "dreadlocks", "kunyoa": "shave haircut",
    "kinyozi": "barber haircut", "wigi": "wig", "weave": "weave", "kucha": "nails manicure",
    "lotion": "lotion", "marashi": "perfume", "manukato": "perfume", "piko": "haircut",
    "henna": "henna", "makeup": "makeup", "kurelax": "relaxer relax", "kurelaxiwa": "relaxer relax",
    "relax": "relaxer relax", "kusokota": "retwist dreadlocks", "kusokotwa": "retwist dreadlocks",
    # vehicles, furniture, the body (everyday nouns the bridge lacked; loanwords such as baiskeli and ofisi are also
    # matched by sound against a shop's own words, see retrieval._loanwords)
    "gari": "car vehicle", "magari": "cars vehicles", "baiskeli": "bicycle bike", "pikipiki": "motorbike motorcycle",
    "ofisi": "office", "kiti": "chair seat", "viti": "chairs seats", "meza": "table desk", "kabati": "cupboard cabinet",
    "mwavuli": "umbrella", "kengele": "bell", "mnyororo": "chain", "pancha": "puncture",
    "mgongo": "back", "mabega": "shoulders", "bega": "shoulder",
    # people a thing is for (Sheng)
    "wasee": "men", "manzi": "ladies women", "dame": "ladies women", "madame": "ladies women", "mabeste": "men",
    "watoi": "kids children",
    # colours / sizes
    "nyeupe": "white", "cheupe": "white", "jeupe": "white", "nyeusi": "black", "cheusi": "black",
    "jeusi": "black", "nyekundu": "red", "bluu": "blue", "blu": "blue", "kijani": "green",
    "njano": "yellow", "kahawia": "brown", "pinki": "pink", "kijivu": "grey",
    "kubwa": "big large", "ndogo": "small", "dogo": "small", "kidogo": "small",
    "saizi": "size", "inchi": "inch", "tatu": "three", "mbili": "two", "moja": "one",
    "nne": "four", "tano": "five", "ukuta": "wall", "mlangoni": "door",
    "paa": "roof roofing", "mabomba": "pipes plumbing",
    "kupika": "cooking", "kupikia": "cooking", "kufua": "laundry washing",
    "mfuko": "bag", "gunia": "sack bag", "pakiti": "packet", "lita": "litre", "kilo": "kg kilo",
}

# Words that frame a question or are grammar, never a thing the shop sells.
STOPWORDS: frozenset[str] = frozenset("""
a an the is are was be do does did have has had i you we me my your our it its this that these those
of for to in on at by with and or but if so please kindly hi hello hey how much many what which when
where who why can could would will shall may should need want like get buy sell sold selling sells
stock available availability price prices cost costs pay per any some there here one ones
good morning evening afternoon night today tomorrow now yet still also just only very too
much ok okay sir madam boss bro dear thanks thank pls plz let know tell show send give is
ni na ya wa za la cha vya kwa katika bei gani ngapi pesa iko ziko kuna mko mna mnauza mnayo
mnazo nataka nahitaji naomba tafadhali habari sasa leo kesho hii hiyo hizi hizo huyu yenu yako
yangu yetu zenu zako zangu lenu lako langu chenu chako changu vyenu vyako vyangu je au ama pia
sana tu nipe nipee niuzie nauza nunua kununua napata kupata inapatikana zinapatikana
mnazouza mnapatikana mnaweza naweza naeza mnaeza unaweza waweza unauza anauza wanauza una unayo unazo nina ninayo ninazo
niaje msee buda boss maze manze bana sahii sai mzae mathe fam bro si sio siyo ndio ndiyo
niko uko yuko tuko wako bado mzuri nzuri poa fiti safi sawa asante shukran karibu hujambo
sijambo mambo vipi salama inakaa inauzwa zinauzwa ngapi bei rate doh mbao thao ganji chapaa
pesa shilingi bob ksh kes sh shs costa gharama how's whats what's do you have sell got
mnacho kitu vitu kitu kitu kiasi kiasi gani nini hapo hapa huko pale nyinyi wewe mimi sisi yeye
mmoja wenye yenye zenye lenye kama ile ule zile yule hilo hicho hivyo hapo, one two
book booking appointment order oda delivery deliver kesho-kutwa tomorrow later time saa naweza nikuje
moja mbili tatu nne tano sita saba nane tisa kumi niletee mniletee nitumie mnitumie nipatie mnipatie niwekee
nikuwekee ninunue nichukue nitachukua nitanunua nileteeni tuma leta lete bring deliver send quantity pieces
about hmm hm mmh eh ehe aah ah oh eeh ati nini kwani come visit reserve hold last final discount punguza punguzo offer ofa cheap cheaper expensive ghali expe
""".split())


_NOT_KEPT = re.compile(r"[^a-z0-9'\- ]+")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation except apostrophes inside words and hyphens."""
    if not text.isascii():  # (NFKD leaves ASCII as it is)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NOT_KEPT.sub(" ", text.lower())
    return " ".join(text.split())  # only spaces are left: runs of them collapsed, both ends stripped


_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def words(text: str) -> list[str]:
    return [w.strip("'-") for w in _WORD.findall(normalise(text)) if w.strip("'-")]


@dataclass
class ExpandedQuery:
    """A customer message as search terms."""

    original: str
    english: str  # the message with local product words replaced by English (for embedding)
    terms: list[str] = field(default_factory=list)  # content terms, original + translated, deduplicated
    translated: bool = False
    # the content words in the customer's order, each with what it may match (itself + its English words)
    items: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.terms)


@functools.cache
def _phrases_longest_first() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(PHRASES.items(), key=lambda kv: -len(kv[0])))


def expand_query(text: str) -> ExpandedQuery:
    """Translate local product words to English and list the content terms of a message."""
    norm = normalise(text)
    translations: list[str] = []
    rest = f" {norm} "
    for phrase, english in _phrases_longest_first():
        needle = f" {phrase} "
        if needle in rest:
            translations.append(english)
            rest = rest.replace(needle, f" {english} ")
    english_words: list[str] = []
    terms: list[str] = []
    items: list[tuple[str, ...]] = [tuple(t.split()) for t in translations]  # phrases first: they lead the message
    translated = bool(translations)
    for w in words(rest):
        mapped = WORDS.get(w)
        if mapped:
            translated = True
            english_words.append(mapped)
            terms.extend(mapped.split())
            if w not in STOPWORDS:
                terms.append(w)
            items.append((w, *mapped.split()))
        else:
            english_words.append(w)
            if w not in STOPWORDS and (len(w) > 1 or w.isdigit()):
                terms.append(w)
                items.append((w,))
    for t in translations:
        terms.extend(t.split())
    seen: set[str] = set()
    unique = [t for t in terms if not (t in seen or seen.add(t)) and t not in STOPWORDS]
    return ExpandedQuery(original=text, english=" ".join(english_words), terms=unique, translated=translated,
                         items=items)


ORDINALS = {"kwanza": 0, "first": 0, "pili": 1, "second": 1, "2nd": 1, "tatu": 2, "third": 2, "3rd": 2,
             "mwisho": -1, "last": -1}
ORDINAL_RX = re.compile(r"\b(?:ya|la|wa|cha|the)\s+(kwanza|pili|tatu|mwisho|first|second|2nd|third|3rd|last)"
                         r"(?:\s+one)?\b")
def ordinal(text: str) -> int | None:
    """"ile ya pili", "the second one", "ya mwisho": index of the product among those the bot just listed
    (-1 = the last one); None when the message does not point at one by position."""
    m = ORDINAL_RX.search(normalise(text))
    return ORDINALS[m.group(1)] if m else None
