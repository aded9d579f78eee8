"""Cleaning and standardising records for matching, as SQL run by DuckDB (architecture.md rule 6).

`prepared_sql(raw, ref_date)` returns one SELECT that turns a raw table of contract columns (all text,
see columns.py) into the features the model compares and blocks on. Names and places come from lookup
tables built once per distinct value (run._build_lookups) with the Python reference functions of
`lindung.domain.names`: one implementation of the Indonesian rules, not two that drift. For speed, a
name is split into words in SQL, each distinct word is spelled once in Python (`word_row`) and the
name is put back together in SQL when that is all split_patronym would do (`plain_name_sql`); every
other name goes through `name_row` whole. Tests check the two paths give the same rows.

Features (one row per record):
    unique_id        the record's id
    nik              16 digits of a plausible NIK (plausible_nik_sql), or NULL: blank, wrong length, Excel's
                     scientific notation, or a placeholder (0000000000000000, one repeated digit, no province)
    nik_loose        15 to 17 digits (a digit dropped or doubled) with a known province, for edit distances
    nik_stem         a NIK ending in 0 without its serial's trailing zeros (Excel zeroes the last digits)
    nik12 nik_tail10 nik_region_serial   blocking keys: region+birth date, birth date+serial, region+serial
    nik_dob nik_sex  what the NIK says (day + 40 for women); never used to "correct" the NIK (R7)
    dob              recorded birth date as YYYY-MM-DD, else the NIK's; dob_swapped (day/month swapped), dob_year;
                     dob_recorded only as recorded
    sex              L/P as recorded, else the NIK's; sex_recorded only as recorded
    nama             own name normalised (gelar, bin/binti father, spelling families); nama_key without spaces;
    nama_sorted      tokens sorted; nama_tokens (list); nama_first, nama_last, nama_initial; nama_ayah (after bin/binti)
    ibu              mother's own name normalised
    desa kecamatan kabupaten   place names without Kec./Kab./Desa prefixes
    hp               phone as 08xxxxxxxxx, or NULL
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from lindung.domain import names, wilayah

# Formats written in desa lists, in the order tried. Excel serial numbers are handled separately.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%d %m %Y")
EXCEL_EPOCH = "1899-12-30"  # Excel's day 0 (it counts the non-existent 29-02-1900)


def _digits(expr: str) -> str:
    """Digits only, after dropping a float tail ("6281234.0"). A value of digits alone (most NIKs, most
    phones) is already that: one match instead of two replacements (small registry: 0,06 -> 0,03 CPU-s)."""
    cleaned = f"regexp_replace(regexp_replace(trim(coalesce({expr}, '')), '[.,]0+$', ''), '[^0-9]', '', 'g')"
    return f"CASE WHEN regexp_full_match({expr}, '[0-9]+') THEN {expr} ELSE {cleaned} END"


def _born_sql(nik: str, ref_date: date) -> str:
    """The birth date digits 7-12 of `nik` encode (day + 40 for women), as a DATE, or NULL."""
    day = f"CAST(substr({nik}, 7, 2) AS INTEGER)"
    yy = f"CAST(substr({nik}, 11, 2) AS INTEGER)"
    # try_strptime gives NULL for an impossible date; try(make_date()) would fall back to row-by-row.
    born = [f"CAST(try_strptime(printf('%d-%s-%02d', {c} + {yy}, substr({nik}, 9, 2), "
            f"CASE WHEN {day} > 40 THEN {day} - 40 ELSE {day} END), '%Y-%m-%d') AS DATE)"
            for c in (2000, 1900)]
    # The most recent century that does not put the birth after the reference date, as parse_nik does.
    return f"CASE WHEN {born[0]} <= DATE '{ref_date.isoformat()}' THEN {born[0]} ELSE {born[1]} END"


def _latest_century_sql(born_2000: str, ref_date: date) -> str:
    """_born_sql from `born_2000`, the NIK's birth date read in the 2000s (NULL if no such date): that date,
    or the same day a hundred years earlier when it is after the reference date. One date parsed per
    row instead of two: a day and month that do not exist in 20yy do not exist in 19yy either (19yy is
    a leap year only when 20yy is, 1900 excepted); 29-02-2000 has no 1900 twin."""
    return (f"CASE WHEN {born_2000} <= DATE '{ref_date.isoformat()}' THEN {born_2000}"
            f" WHEN month({born_2000}) = 2 AND day({born_2000}) = 29 AND year({born_2000}) = 2000 THEN NULL"
            f" ELSE CAST({born_2000} - INTERVAL 100 YEAR AS DATE) END")


def _born_2000_sql(nik: str) -> str:
    """The birth date of 16 digits `nik` read in the 2000s, or NULL when that day does not exist: the
    month and day checked with integers and the date made only for the rows that pass (a CASE runs its
    THEN on those alone), not a text formatted and parsed for every row: the same dates for every day,
    month and year digits (tests/test_prepare.py compares all million); a tenth of the CPU where most
    digits are no date, ~5 % less on a registry of real NIKs (small: 0,035 -> 0,033 CPU-s)."""
    raw_day = f"CAST(substr({nik}, 7, 2) AS INTEGER)"
    day = f"(CASE WHEN {raw_day} > 40 THEN {raw_day} - 40 ELSE {raw_day} END)"
    month = f"CAST(substr({nik}, 9, 2) AS INTEGER)"
    year = f"(2000 + CAST(substr({nik}, 11, 2) AS INTEGER))"
    # 2000-2099: every fourth year is a leap year
    days = f"[31, CASE WHEN {year} % 4 = 0 THEN 29 ELSE 28 END, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][{month}]"
    return f"CASE WHEN {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {days} THEN make_date({year}, {month}, {day}) END"


def _provinces(provinces: Sequence[str] | None = None) -> str:
    """The province codes as an SQL list: `provinces`, else wilayah's own."""
    return ", ".join(f"'{kode}'" for kode in (provinces or [w.kode for w in wilayah.all_at(1)]))


def _not_a_placeholder(digits: str, provinces: Sequence[str] | None = None) -> str:
    """A known province code and not one digit repeated (0000000000000000, 1111111111111111...)."""
    return f"substr({digits}, 1, 2) IN ({_provinces(provinces)}) AND replace({digits}, left({digits}, 1), '') <> ''"


def plausible_nik_sql(nik16: str, ref_date: date, *, serial: bool = True) -> str:
    """TRUE for 16 digits lindung.domain.nik.parse_nik accepts (a known province, a real birth date,
    a serial other than 0000) that are not one repeated digit. Anything else a list writes in the NIK
    column (0000000000000000, 0, "-", "BELUM ADA") is a missing NIK, never an equal one.
    `serial=False` lets a serial of 0000 through (Excel zeroed the tail: kept only as a stem)."""
    zero = f" AND substr({nik16}, 13, 4) <> '0000'" if serial else ""
    return f"({nik16} IS NOT NULL AND {_not_a_placeholder(nik16)}{zero} AND ({_born_sql(nik16, ref_date)}) IS NOT NULL)"


def nik_sql(ref_date: date, provinces: Sequence[str] | None = None) -> str:
    """NIK columns from `nik` (a plausible NIK or NULL), `nik_digits`, `nik_scientific` and `nik_born`
    (the birth date of the 16 digits, see prepared_sql)."""
    day = "CAST(substr(nik, 7, 2) AS INTEGER)"
    return f"""
        nik,
        CASE WHEN NOT nik_scientific AND length(nik_digits) BETWEEN 15 AND 17 AND {_not_a_placeholder('nik_digits', provinces)}
             THEN nik_digits END AS nik_loose,
        CASE WHEN regexp_matches(nik_or_zeroed, '0$')
             THEN substr(nik_or_zeroed, 1, 12) || rtrim(substr(nik_or_zeroed, 13, 4), '0') END AS nik_stem,
        substr(nik, 1, 12) AS nik12,
        substr(nik, 7, 10) AS nik_tail10,
        substr(nik, 1, 6) || substr(nik, 13, 4) AS nik_region_serial,
        CASE WHEN nik IS NOT NULL THEN CASE WHEN {day} > 40 THEN 'P' ELSE 'L' END END AS nik_sex,
        CASE WHEN nik IS NOT NULL THEN CAST(nik_born AS VARCHAR) END AS nik_dob"""


def dob_sql(column: str = "tanggal_lahir") -> str:
    """The recorded birth date as a DATE: every written form, Excel serial numbers, else NULL."""
    formats = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    text = f"trim(coalesce({column}, ''))"
    return f"""CASE
        WHEN regexp_matches({text}, '^[0-9]{{5}}([.,]0+)?$')
            THEN DATE '{EXCEL_EPOCH}' + CAST(CAST(regexp_replace({text}, '[.,]0+$', '') AS INTEGER) AS INTEGER)
        WHEN {text} = '' THEN NULL
        ELSE CAST(try_strptime({text}, [{formats}]) AS DATE) END"""


def swapped_sql(dob: str) -> str:
    """The date `dob` with its day and month swapped, as text, NULL when that is no date: the day becomes
    the month, so a day up to 12; the month (1-12) becomes a day every month has. The same as parsing
    strftime(dob, '%Y-%d-%m') as '%Y-%m-%d' (every date of the years 1-9999 compared), at a tenth of the
    registry's preparation less (small: 0,04 CPU-s of 0,42)."""
    return f"CASE WHEN day({dob}) <= 12 THEN CAST(make_date(year({dob}), day({dob}), month({dob})) AS VARCHAR) END"


def sex_sql(column: str = "jenis_kelamin") -> str:
    first = f"upper(left(trim(coalesce({column}, '')), 1))"
    return f"CASE WHEN {first} IN ('L', 'M') THEN 'L' WHEN {first} IN ('P', 'F', 'W') THEN 'P' END"


def phone_local_sql(digits: str) -> str:
    """The written number's digits without 00, 62 and 0 in front (see phone_sql): one pattern whose
    optional parts, each taken when present (RE2 prefers the longer of an optional part), remove what
    three replacements in turn would (tests compare with names.normalise_phone on any text)."""
    return f"regexp_replace({digits}, '^(?:00)?(?:62)?0?', '')"


def phone_sql(local: str = "hp_local", written: str = "no_hp") -> str:
    """One form for a mobile number, 08..., else NULL: the SQL twin of names.normalise_phone.

    `local` is the column holding phone_local_sql of the written number's digits (prepared_sql's base CTE).
    """
    lo, hi = names.PHONE_DIGITS_AFTER_ZERO.start, names.PHONE_DIGITS_AFTER_ZERO.stop - 1
    scientific = f"regexp_matches(coalesce({written}, ''), '[0-9][eE][+-]?[0-9]')"
    return (f"CASE WHEN NOT {scientific} AND regexp_matches({local}, '^8[0-9]{{{lo - 1},{hi - 1}}}$') "
            f"THEN '0' || {local} END")


def prepared_sql(raw: str, ref_date: date, provinces: Sequence[str] | None = None) -> str:
    """One SELECT from `raw` (contract columns, text) joined to the name/place lookups to features.
    `provinces`: the province codes (default: lindung.domain.wilayah's)."""
    return f"""
    WITH base AS (
        SELECT * EXCLUDE (nik),
            {_digits('nik')} AS nik_digits,
            {phone_local_sql(_digits('no_hp'))} AS hp_local,
            regexp_matches(coalesce(nik, ''), '[0-9][eE][+-]?[0-9]') AS nik_scientific
        FROM {raw}
    ), sixteen AS (
        SELECT *, CASE WHEN NOT nik_scientific AND length(nik_digits) = 16 THEN nik_digits END AS nik16 FROM base
    ), century AS (
        -- plausible_nik_sql with and without a serial, the birth date and the placeholder test worked out once
        SELECT *, CASE WHEN nik16 IS NOT NULL AND {_not_a_placeholder('nik16', provinces)} THEN {_born_2000_sql('nik16')} END
            AS born_2000 FROM sixteen
    ), born AS (
        SELECT *, {_latest_century_sql('born_2000', ref_date)} AS nik_born FROM century
    ), niks AS (
        SELECT * EXCLUDE (nik16, born_2000),
            CASE WHEN nik_born IS NOT NULL AND substr(nik16, 13, 4) <> '0000' THEN nik16 END AS nik,
            CASE WHEN nik_born IS NOT NULL THEN nik16 END AS nik_or_zeroed
        FROM born
    ), feats AS (
        SELECT id AS unique_id, {nik_sql(ref_date, provinces)},
            {dob_sql()} AS dob_recorded,
            {sex_sql()} AS sex_recorded,
            {phone_sql()} AS hp,
            nama AS nama_raw, nama_ibu AS ibu_raw, desa AS desa_raw, kecamatan AS kec_raw, kabupaten AS kab_raw
        FROM niks
    )
    SELECT f.unique_id, f.nik, f.nik_loose, f.nik_stem, f.nik12, f.nik_tail10, f.nik_region_serial,
        f.nik_dob, f.nik_sex,
        coalesce(CAST(f.dob_recorded AS VARCHAR), f.nik_dob) AS dob, CAST(f.dob_recorded AS VARCHAR) AS dob_recorded,
        {swapped_sql('f.dob_recorded')} AS dob_swapped,
        coalesce(year(f.dob_recorded), CAST(substr(f.nik_dob, 1, 4) AS INTEGER)) AS dob_year,
        coalesce(f.sex_recorded, f.nik_sex) AS sex, f.sex_recorded,
        n.own AS nama, n.key AS nama_key, n.sorted AS nama_sorted, n.tokens AS nama_tokens,
        n.tokens[1] AS nama_first, n.tokens[-1] AS nama_last, left(n.key, 1) AS nama_initial, n.father AS nama_ayah,
        m.own AS ibu,
        d.place AS desa, k.place AS kecamatan, b.place AS kabupaten,
        f.hp
    FROM feats f
    LEFT JOIN names_lookup n ON n.raw = f.nama_raw
    LEFT JOIN names_lookup m ON m.raw = f.ibu_raw
    LEFT JOIN places_lookup d ON d.raw = f.desa_raw
    LEFT JOIN places_lookup k ON k.raw = f.kec_raw
    LEFT JOIN places_lookup b ON b.raw = f.kab_raw
    """


# --- names: the common case in SQL, the rest through the Python reference ------------------------------
# names.split_patronym does three things per name: fold and split into words, respell each word, and
# (rarely) strip gelar at the ends and split at bin/binti. The words and the per-word spelling are
# the same for every name a word appears in, so SQL splits names into words, Python spells each
# distinct word once (word_row), and SQL puts the words back together. A name whose ends might be a
# gelar, with a bin/binti inside, a leading M./St. or any non-ASCII letter goes through name_row
# whole: `plain_name_sql` is TRUE exactly when names.split_patronym would leave the words as they are.

def _sql_strings(values) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values)) + "]"


def _sql_set(values) -> str:
    return "(" + _sql_strings(values)[1:-1] + ")"


def ascii_sql(value: str) -> str:
    """TRUE for text of ASCII characters only (one byte each), as str.isascii."""
    return f"(strlen({value}) = length({value}))"


def name_words_sql(value: str) -> str:
    """names._words of an ASCII value: apostrophes joined (Ma'ruf), other marks separate, lower case."""
    no_apostrophe = f"regexp_replace(lower({value}), '[''`]', '', 'g')"
    spaced = f"regexp_replace({no_apostrophe}, '[^0-9a-z]+', ' ', 'g')"
    return f"list_filter(string_split({spaced}, ' '), lambda w: w <> '')"


def _title_windows_sql(spelled: str, titles, *, at_start: bool) -> dict[int, str]:
    """For each window size, TRUE when names._title_length would take that many words at that end:
    never all words, several only if all are short (3 letters or fewer), joined they spell a title."""
    found = {}
    for size in range(1, names.MAX_TITLE_TOKENS + 1):
        window = [f"{spelled}[{i}]" for i in (range(1, size + 1) if at_start else range(-size, 0))]
        short = "".join(f" AND length({w}) <= 3" for w in window) if size > 1 else ""
        found[size] = f"(len({spelled}) > {size}{short} AND ({' || '.join(window)}) IN {_sql_set(titles)})"
    return found


def _no_title_sql(spelled: str, titles, *, at_start: bool) -> str:
    """TRUE when names._title_length(spelled, titles, at_start=...) is 0."""
    return f"NOT ({' OR '.join(_title_windows_sql(spelled, titles, at_start=at_start).values())})"


def plain_name_sql(spelled: str, canonical: str) -> str:
    """TRUE when split_patronym of respelled words `spelled` is just their canonical spellings
    (`canonical`, word by word): no gelar at either end, no bin/binti with a name on both sides,
    no leading abbreviation (M. Ridwan)."""
    return (f"({_no_title_sql(spelled, names.PREFIX_TITLES, at_start=True)}"
            f" AND {_no_title_sql(spelled, names.SUFFIX_TITLES, at_start=False)}"
            f" AND NOT list_has_any({spelled}[2:-2], {_sql_strings(names.PATRONYM_MARKERS)})"
            f" AND NOT (len({canonical}) > 1 AND {canonical}[1] IN {_sql_set(names.LEADING_ABBREVIATIONS)}))")


def word_row(word: str) -> tuple[str, str, str]:
    """(respelled, canonical, as it sounds) for one folded word; see names.spell_token, sound_alike."""
    spelled = names._respell(word)
    canonical = names.SPELLING_FAMILIES.get(spelled, spelled)
    return spelled, canonical, names.sound_alike(canonical)


def name_row(raw: str) -> tuple[str, str | None, str, str, list[str]]:
    """(own, father, key, sorted, tokens) for one written name, each token as it sounds
    (names.sound_alike: Fauzi = Pauzi); empty own name -> NULLs in SQL."""
    return name_row_of_words(names._words(raw))


def name_row_of_words(words: list[str]) -> tuple[str, str | None, str, str, list[str]]:
    """name_row of a name already folded and split into words (names._words; name_words_sql in SQL)."""
    own, father = names.split_patronym_words(words)
    tokens = [names.sound_alike(t) for t in own.split()]
    father = " ".join(names.sound_alike(t) for t in father.split()) if father else None
    return " ".join(tokens), father, "".join(tokens), " ".join(sorted(tokens)), tokens


def place_key(raw: str) -> str | None:
    """A place name without level words; a Kemendagri code ("210210", "64 09 04") becomes its name."""
    kode = wilayah.normalise_kode("".join(raw.split()))
    region = wilayah.get(kode) if kode else None
    return names.normalise_place(region.nama if region else raw) or None


def place_keys(values: Sequence[str], region_names: Callable[[list[str]], dict[str, str]]) -> list[str | None]:
    """place_key of each value, the names of the codes among them asked for at once: `region_names`
    (dotted codes -> {code: name} of those that exist; run.py asks DuckDB, which reads wilayah.csv
    faster than lindung.domain.wilayah builds its whole index)."""
    codes = [wilayah.normalise_kode("".join(v.split())) for v in values]
    named = region_names(sorted({c for c in codes if c}))
    return [names.normalise_place(named.get(kode, raw) if kode else raw) or None for raw, kode in zip(values, codes)]
