"""Indonesian name, place and phone normalisation for matching (domain.md R22, issue 5).

The same worker is written "H. MUHAMMAD YUSUF, S.Pd.I" in one list and "Muhamad Yusuf" in another.
`normalise_name` turns both into "muhammad yusuf". Its output is a matching key, never a name to
show or store: canonical forms such as "hasan" for "Hassan" are only there so that variants meet.

Every rule is also exported as data (PREFIX_TITLES, SUFFIX_TITLES, TITLES, MAX_TITLE_TOKENS,
PATRONYM_MARKERS, OLD_SPELLING_MARKER, OLD_SPELLING_RULES, SPELLING_RULES, COLLAPSE_RULES,
SPELLING_FAMILIES, LEADING_ABBREVIATIONS, PLACE_PREFIXES) so the matching engine can build the same
cleaning in SQL; the regex patterns are RE2-compatible (DuckDB's regexp_replace, flag 'g'), and the
functions here are the reference that SQL is tested against. The name pipeline:

1. fold: case-fold, strip accents, drop apostrophes (Ma'ruf -> maruf), other punctuation -> space;
2. respell every token: OLD_SPELLING_RULES in old-spelling tokens, then SPELLING_RULES and
   COLLAPSE_RULES (repeated until nothing changes; one pass for any real name);
3. strip gelar (TITLES) from both ends, again and again, never down to nothing; a title split by
   its dots is found by joining up to MAX_TITLE_TOKENS short tokens ("s", "pd", "i" -> "spdi");
4. split at the first patronym marker that has a name on both sides (bin/binti/bt/b.);
5. strip gelar from each part again ("Aminah, S.Pd binti H. Kasim");
6. SPELLING_FAMILIES per token, then a leading "M"/"St" when a name follows ("M. Ridwan" ->
   "muhammad ridwan"). Families come after the gelar because "Md" is Muhammad but "A.Md." is a
   diploma. `spell_token` is steps 2 and 6 for one token.

Decisions (why, not what):
- Gelar are removed only at the ends of a name. Religious titles and forms of address (H., Hj.,
  K.H., Ust., Alm., Bpk., Ny.) only at the start: "Abdul Haji" keeps Haji, "Ridwan H." keeps the
  initial. Degrees (S.Pd., A.Md., M.Pd., Lc., MA) only at the end. Dr./Drs./Ir./Prof. at either
  end, because registries write "SUKARNO, IR". A name is never stripped to nothing: "Haji" alone
  stays "haji".
- Noble and ethnic name parts are part of the legal name and kept (NAME_PARTS_KEPT): Teuku, Cut,
  Tengku, Raden, Andi, Daeng, I/Ni, Gusti... Teungku (Tgk.) is an Acehnese religious honorific,
  not the noble Teuku, so it is a title.
- Old (pre-1972) spelling is undone only inside tokens that prove they are old spelling by
  containing oe, dj, tj or sj, which modern spelling never writes. In such a token every lone j is
  the old y (Tjahjadi -> cahyadi, Soejono -> suyono). A lone j elsewhere may be a modern j (Joko,
  Juli), so old-spelling names without a marker (Jusuf, Jahja) are whole-token SPELLING_FAMILIES.
- ch -> kh everywhere: modern Indonesian writes ch only for the old kh (Chairul, Achmad, Machmud);
  in foreign names (Chandra) both records change alike, so nothing distinct merges.
- Doubled letters collapse (Hassan/Hasan, Annisa/Anisa, Sitti/Siti) in tokens of 3+ letters; one-
  and two-letter tokens are initials or abbreviations ("MM" is Magister Manajemen, not "M").
- Nurul stays apart from Nur: it is a different name ("light of"), and Jaro-Winkler scores the pair
  high anyway. Joined and split words meet through `name_key` ("Nur Hayati" / "Nurhayati").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from string import ascii_lowercase

# --- gelar -----------------------------------------------------------------------------------------
# Titles as people type them, lowercase, dots and spaces removed ("S.Pd.I" -> "spdi"). Their spelled
# forms are added below, so a title reads as written here and still matches after the spelling rules.

# Only before a name: pilgrimage, religious teachers, "the late", forms of address.
_LEADING_TITLES = (
    "h", "hj", "hjh", "haji", "hadji", "hajjah", "hajah", "hadjah",
    "kh", "kyai", "kiai", "kiyai", "tgh", "tgk", "teungku",
    "ust", "ustad", "ustadz", "ustaz", "ustadzah", "ustazah",
    "alm", "almh", "almarhum", "almarhumah",
    "bpk", "bapak", "ibu", "ny", "nyonya", "tn", "sdr", "sdri", "sdra",
)
# Before a name, or after it in registries ("AHMAD DAHLAN, DRS"; nurses write "S.Kep., Ns.").
_ACADEMIC_TITLES = ("dr", "drs", "dra", "drg", "drh", "ir", "prof", "ns", "apt")
# Only after a name: diploma, sarjana, magister, doctoral and foreign degrees.
_DEGREES = (
    "amd", "amdkep", "amdkeb", "amdfarm", "amdkom", "amk", "ama", "amapd",
    "spd", "spdi", "spdsd", "se", "sei", "sh", "shi", "sag", "skom", "st", "sth", "ssos", "skep",
    "sked", "skm", "sip", "sikom", "sfarm", "ssi", "spt", "sp", "spsi", "shum", "sstp", "sst",
    "stp", "sgz", "shut", "ssn", "ssy", "sak",
    "mpd", "mpdi", "msi", "mm", "mh", "mkes", "msc", "mt", "mag", "mkom", "mkn", "mhum", "mba",
    "mph", "map", "mak", "mkep", "lc", "ma", "ba", "bsc", "phd",
)
# Longest title in tokens: "S.Pd.SD", "A.Md.Kep" are three tokens after punctuation is removed.
MAX_TITLE_TOKENS = 3

# Look like titles but are in the legal name (KTP), so they are never removed.
NAME_PARTS_KEPT = frozenset({
    "teuku", "cut", "tengku", "raden", "andi", "daeng", "i", "ni", "gusti", "ida", "bagus",
    "anak", "agung", "habib", "syekh", "sutan", "datuk", "nyak",
})

# bin/binti and their abbreviations: the father's name follows. "b." is also a middle initial
# ("Susilo B. Yudhoyono"); it is kept as a marker because Malay lists use it for bin.
PATRONYM_MARKERS = frozenset({"bin", "binti", "bt", "bte", "bti", "b"})

# --- spelling --------------------------------------------------------------------------------------
# A token containing one of these is in the old (Van Ophuijsen/Soewandi) spelling.
OLD_SPELLING_MARKER = "oe|dj|tj|sj"
# Applied in order, only to old-spelling tokens. The lone j (not after d) becomes y before dj -> j.
OLD_SPELLING_RULES: tuple[tuple[str, str], ...] = (
    ("oe", "u"),
    ("tj", "c"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("(^|[^d])j", r"\1y"),
    ("dj", "j"),
)
# Applied in order to every token; the collapse rules only to tokens of 3+ letters (see above).
SPELLING_RULES: tuple[tuple[str, str], ...] = (("ch", "kh"),)
COLLAPSE_RULES: tuple[tuple[str, str], ...] = tuple((f"{c}{{2,}}", c) for c in ascii_lowercase)
COLLAPSE_MIN_LENGTH = 3

# Canonical token -> variants, as they are after the rules above (Mochammad -> mokhamad).
_FAMILIES: dict[str, tuple[str, ...]] = {
    "muhammad": (
        "muhamad", "muhamed", "mohamad", "mohamed", "mokhamad", "mukhamad",
        "mohd", "muhd", "mokhd", "moh", "mokh", "muh", "mukh", "mhd", "md",
    ),
    "ahmad": ("akhmad", "ahmat", "akhmat", "ahmed", "akhmed"),
    "abdul": ("abd",),
    "nur": ("nor",),  # Noor, Nor (Malay), Noer
    # Old spelling without a marker: j is the old y only in these known names.
    "yusuf": ("jusuf", "jusup", "yusup", "yusof"),
    "yahya": ("jahja", "jahya"),
    "yakub": ("jakub", "yaqub"),
    "yasin": ("jasin",),
    "yunus": ("junus",),
    # ch/kh written for h in Arabic names (Machmud, Rachmat, Mochtar).
    "mahmud": ("makhmud",),
    "rahmat": ("rakhmat",),
    "mukhtar": ("mokhtar",),
    # ae for ai in Javanese spellings (Zaenal, Saeful).
    "zainal": ("zaenal",),
    "saiful": ("saeful", "syaiful", "syaeful"),
    # Bugis-Makassar: "Dg." is how lists write the Daeng of the legal name.
    "daeng": ("dg",),
}
SPELLING_FAMILIES: dict[str, str] = {v: c for c, vs in _FAMILIES.items() for v in vs}
# Only as the first token with a name after it: "M. Ridwan", "St. Aminah". Elsewhere an M or St
# may be an initial or Sutan, and St at the end is the S.T. degree.
LEADING_ABBREVIATIONS: dict[str, str] = {"m": "muhammad", "st": "siti"}

# Sound-alike spellings that lists mix freely and that no family can enumerate: Fauzi/Pauzi,
# Taufiq/Taufik, Ramadhan/Ramadan, Junaedi/Junaidi, Syamsudin/Samsudin, Fauzy/Fauzie/Fauzi,
# Fatimah/Fatima. Applied in order to each finished token by `sound_alike`, for comparing names
# only (the matching engine's keys); normalise_name keeps them apart.
SOUND_ALIKE_RULES: tuple[tuple[str, str], ...] = (
    ("q", "k"), ("dh", "d"), ("[fv]", "p"), ("ae", "ai"), ("sy", "s"),
    ("([^aeiou])y$", r"\1i"), ("ie$", "i"), ("(...)ah$", r"\1a"),
)

# --- places ----------------------------------------------------------------------------------------
# Level and street words written before a place name. All of them are removed from the front,
# so "Kec. Kota Bangun" and "Kota Bangun" both become "bangun"; a lone word is kept.
PLACE_PREFIXES = frozenset({
    "kec", "kecamatan", "kab", "kabupaten", "kota", "adm", "administrasi", "kel", "kelurahan",
    "desa", "ds", "dusun", "dsn", "kp", "kampung", "jl", "jln", "jalan", "prov", "provinsi",
})

# --- phones ----------------------------------------------------------------------------------------
PHONE_DIGITS_AFTER_ZERO = range(9, 14)  # 08xx numbers carry 9 to 13 digits after the 0

_APOSTROPHES_RE = re.compile("['\u2018\u2019`\u02bc\u00b4]")
_OLD_SPELLING_RE = re.compile(OLD_SPELLING_MARKER)
_OLD_RULES = tuple((re.compile(p), r) for p, r in OLD_SPELLING_RULES)
_RULES = tuple((re.compile(p), r) for p, r in SPELLING_RULES)
# COLLAPSE_RULES in one pass (runs of different letters never interact); the rules stay the
# per-letter data the SQL side needs, since RE2 has no backreference.
_COLLAPSE_ANY = re.compile(r"([a-z])\1+")
_SOUND_ALIKE = tuple((re.compile(p), r) for p, r in SOUND_ALIKE_RULES)
# Rules change a token only where their pattern matches, so a token no pattern matches goes through them
# unchanged: one search over all the patterns tells (most tokens of a list) instead of a pass per rule.
_SOUND_ALIKE_ANY = re.compile("|".join(f"(?:{p})" for p, _ in SOUND_ALIKE_RULES))
_RESPELL_ANY = re.compile("|".join(f"(?:{p})" for p in (OLD_SPELLING_MARKER, *(p for p, _ in SPELLING_RULES),
                                                          r"(?P<twice>[a-z])(?P=twice)")))
_SCIENTIFIC_RE = re.compile(r"[0-9][eE][+-]?[0-9]")  # "6.28123E+12": Excel kept no real digits
_FLOAT_TAIL_RE = re.compile(r"[.,]0+$")  # "81234567890.0": a number written out as a float


_NOT_ALNUM_RE = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Case-fold and strip accents; twice, because each step can expose work for the other."""
    if text.isascii():  # nearly every list: nothing to decompose, lower() is the whole fold
        return text.lower()
    for _ in range(2):
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


def _words(text: str | int | None) -> list[str]:
    """Folded words: letters and digits only. Apostrophes join (Ma'ruf), other marks separate."""
    if text is None:
        return []
    folded = _fold(_APOSTROPHES_RE.sub("", str(text)))
    if folded.isascii():
        return _NOT_ALNUM_RE.sub(" ", folded).split()
    return "".join(ch if ch.isalnum() else " " for ch in folded).split()


def _respell_once(token: str) -> str:
    if not _RESPELL_ANY.search(token):
        return token
    if _OLD_SPELLING_RE.search(token):
        for pattern, replacement in _OLD_RULES:
            token = pattern.sub(replacement, token)
    for pattern, replacement in _RULES:
        token = pattern.sub(replacement, token)
    if len(token) >= COLLAPSE_MIN_LENGTH:
        token = _COLLAPSE_ANY.sub(r"\1", token)
    return token


@lru_cache(maxsize=65536)  # tokens repeat endlessly across a list: Siti, Muhammad, Nur...
def _respell(token: str) -> str:
    """The spelling rules alone, without families: what gelar and markers are recognised in."""
    # Real names settle in one pass; repeating makes the result stable for any input (idempotence).
    for _ in range(4):
        respelled = _respell_once(token)
        if respelled == token:
            break
        token = respelled
    return token


def spell_token(token: str) -> str:
    """One folded token to its canonical spelling ("mochammad" -> "muhammad")."""
    return SPELLING_FAMILIES.get(_respell(token), _respell(token))


@lru_cache(maxsize=65536)
def sound_alike(token: str) -> str:
    """A finished name token as it sounds ("pauzi" and "fauzy" -> "pauzi"); see SOUND_ALIKE_RULES."""
    if not _SOUND_ALIKE_ANY.search(token):
        return token
    for pattern, replacement in _SOUND_ALIKE:
        token = pattern.sub(replacement, token)
    return token


def _with_spelled_forms(titles: tuple[str, ...]) -> frozenset[str]:
    return frozenset(titles) | {_respell(t) for t in titles}


LEADING_TITLES = _with_spelled_forms(_LEADING_TITLES)
ACADEMIC_TITLES = _with_spelled_forms(_ACADEMIC_TITLES)
DEGREES = _with_spelled_forms(_DEGREES)
PREFIX_TITLES = LEADING_TITLES | ACADEMIC_TITLES
SUFFIX_TITLES = DEGREES | ACADEMIC_TITLES
TITLES = PREFIX_TITLES | SUFFIX_TITLES


def _title_length(tokens: list[str], titles: frozenset[str], *, at_start: bool) -> int:
    """How many tokens at one end spell a title ("s", "pd", "i" -> "spdi"); 0 when none does.

    Never all of them: a name that is only title words ("Haji") is the name.
    """
    if len(tokens) < 2:
        return 0
    end = tokens[0] if at_start else tokens[-1]
    # Nearly every name: a long word at that end that is no title starts no split title either.
    if len(end) > 3 and end not in titles:
        return 0
    for size in range(min(MAX_TITLE_TOKENS, len(tokens) - 1), 0, -1):
        window = tokens[:size] if at_start else tokens[-size:]
        # Split titles are made of short pieces; this keeps "Ahmad" + "S" from spelling anything.
        if size > 1 and any(len(t) > 3 for t in window):
            continue
        if "".join(window) in titles:
            return size
    return 0


def _strip_titles(tokens: list[str]) -> list[str]:
    tokens = list(tokens)
    # Nearly every name: long words at both ends that are no titles (as _title_length's own first test).
    if len(tokens) < 2 or (len(tokens[0]) > 3 and tokens[0] not in PREFIX_TITLES
                           and len(tokens[-1]) > 3 and tokens[-1] not in SUFFIX_TITLES):
        return tokens
    while True:
        if start := _title_length(tokens, PREFIX_TITLES, at_start=True):
            del tokens[:start]
        elif end := _title_length(tokens, SUFFIX_TITLES, at_start=False):
            del tokens[-end:]
        else:
            return tokens


def _split_at_marker(tokens: list[str]) -> tuple[list[str], list[str] | None]:
    """Split at the first bin/binti with a name on both sides; "Binti Rohmah" is a given name."""
    for i in range(1, len(tokens) - 1):
        if tokens[i] in PATRONYM_MARKERS:
            return tokens[:i], tokens[i + 1 :]
    return tokens, None


def _canonical(tokens: list[str]) -> list[str]:
    """Spelling families, then a leading M/St; after the gelar are gone, so "A.Md." stays a degree."""
    tokens = [SPELLING_FAMILIES.get(t, t) for t in tokens]
    if len(tokens) > 1 and tokens[0] in LEADING_ABBREVIATIONS:
        return [LEADING_ABBREVIATIONS[tokens[0]], *tokens[1:]]
    return tokens


def _own_name(tokens: list[str]) -> tuple[str, list[str] | None]:
    """The name before any patronym, finished; and the tokens after the marker, if any."""
    own, rest = _split_at_marker(_strip_titles(tokens))
    return " ".join(_canonical(_strip_titles(own))), rest


def split_patronym(text: str | None) -> tuple[str, str | None]:
    """("siti aminah", "kasim") from "Hj. Siti Aminah binti Kasim"; (name, None) without bin/binti.

    The father's name is normalised like any name, and loses his own patronym ("Umar bin Khattab").
    """
    return split_patronym_words(_words(text))


def split_patronym_words(words: list[str]) -> tuple[str, str | None]:
    """split_patronym of a name already folded and split into words (as `_words` splits it)."""
    own, rest = _own_name([_respell(w) for w in words])
    if rest is None:
        return own, None
    return own, _own_name(rest)[0]


def normalise_name(text: str | None) -> str:
    """The person's own name as a matching key: "H. MUHAMMAD YUSUF, S.Pd.I" -> "muhammad yusuf".

    The father's name after bin/binti is left out, so "Siti Aminah" and "Siti Aminah binti Kasim"
    meet; `split_patronym` returns it as separate evidence. Never raises; "" for None or no letters.
    """
    return split_patronym(text)[0]


def name_tokens(text: str | None) -> list[str]:
    return normalise_name(text).split()


def name_key(text: str | None) -> str:
    """The normalised name without spaces, so joined and split words meet (Nur Hayati/Nurhayati)."""
    return "".join(name_tokens(text))


def token_set(text: str | None) -> frozenset[str]:
    """The normalised tokens in any order, for names written surname-first or with parts missing."""
    return frozenset(name_tokens(text))


def normalise_place(text: str | None) -> str:
    """ "KEC. TEBING" -> "tebing", "Kab. Karimun" -> "karimun": level words off the front."""
    words = _words(text)
    while len(words) > 1 and words[0] in PLACE_PREFIXES:
        words = words[1:]
    return " ".join(words)


def normalise_phone(text: str | int | None) -> str | None:
    """One form "08..." from "+62 812-...", "62812...", "0812 ...", "812..."; None otherwise.

    Only mobile numbers: they are what workers give, and a shared landline is weak evidence.
    Two numbers in one cell give too many digits and None, rather than a guess at which is right.
    """
    if text is None:
        return None
    raw = str(text).strip()
    if _SCIENTIFIC_RE.search(raw):
        return None
    digits = "".join(ch for ch in _FLOAT_TAIL_RE.sub("", raw) if ch in "0123456789")
    digits = digits.removeprefix("00").removeprefix("62").removeprefix("0")
    if not digits.startswith("8") or len(digits) not in PHONE_DIGITS_AFTER_ZERO:
        return None
    return "0" + digits


def _jaro(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    taken = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken[j] and b[j] == ch:
                taken[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if m == 0:
        return 0.0
    matched_b = [ch for ch, t in zip(b, taken) if t]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) / 2
    return (m / len(a) + m / len(b) + (m - transpositions) / m) / 3


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity in [0, 1]: prefix scale 0.1 over at most 4 characters, applied only
    above a Jaro of 0.7, as Winkler did and as DuckDB's jaro_winkler_similarity (rapidfuzz) does.

    MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813; DuckDB's own test values
    CRATE/TRACE 0.733 and "0"/"00" 0.85. Two empty strings score 1.0, one empty string 0.0.
    """
    jaro = _jaro(a, b)
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)
