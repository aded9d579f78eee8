"""Splink settings for Indonesian person records: blocking rules, comparisons, thresholds.

Everything here is a value (dicts of SQL in DuckDB's dialect), tested as values and handed to Splink;
`settings(..., dialect="spark")` rewrites the few DuckDB-only functions for Spark SQL (SPARK_FUNCTIONS),
where Splink's similarity jar supplies jaro_winkler and damerau_levenshtein. Columns are the features
of prepare.py.

The comparison levels carry fixed m and u probabilities (`PARAMETERS`), one set per link type (a BPJS
registry lacks and garbles other things than a desa list does), counted from generated benchmark data
with ground truth over training seeds 11-13 (bench/matching/train.py). Each run estimates its prior
(how likely two compared records are one person) by EM over its own compared pairs, and re-estimates
m and u only for a list unlike the training data (em.py).

Evidence: each comparison level has a short code (LEVEL_LABELS) shown to reviewers.
"""

from __future__ import annotations

from copy import deepcopy


def _level(code: str, sql: str, *, null: bool = False) -> dict:
    return {"sql_condition": sql, "label_for_charts": code, **({"is_null_level": True} if null else {})}


def _else() -> dict:
    return {"sql_condition": "ELSE", "label_for_charts": "beda"}


def _null(*cols: str) -> dict:
    cond = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in cols)
    return _level("kosong", cond, null=True)


def _tokens_close(a: str, b: str, similarity: float) -> str:
    """Every token of list a has a token of list b at least this Jaro-Winkler-similar."""
    return (f"list_bool_and(list_transform({a}, lambda t: list_max(list_transform({b}, "
            f"lambda s: jaro_winkler_similarity(t, s))) >= {similarity}))")


# Token by token, not on the whole string: "Muhammad Yusuf" and "Muhammad Yunus" share a long prefix
# that makes whole-string Jaro-Winkler high (0,95) for two different people.
TOKEN_SIMILARITY = 0.9
NAMA = {
    "output_column_name": "nama",
    "comparison_description": "Nama yang dinormalkan (gelar, bin/binti, ejaan Muhammad/Siti/Nur...)",
    "comparison_levels": [
        _null("nama"),
        # The same valid NIK and names that do not agree: the NIK levels are split by the names already
        # (sama_nama_mirip, sama_tanggal_sama, sama_nama_beda), so the name steps aside here (m = u)
        # instead of outvoting the NIK a second time (issue 13: Sholihin / Salihin, Amaq Sahnan).
        _level("dinilai_dengan_nik", "nik_l = nik_r AND NOT (NAME_AGREES_PLACEHOLDER)"),
        _level("sama", "nama_l = nama_r"),
        _level("sama_tanpa_spasi", "nama_key_l = nama_key_r"),
        _level("urutan_lain", "nama_sorted_l = nama_sorted_r"),
        _level("salah_ketik", f"len(nama_tokens_l) = len(nama_tokens_r) AND "
                              f"{_tokens_close('nama_tokens_l', 'nama_tokens_r', TOKEN_SIMILARITY)} AND "
                              f"{_tokens_close('nama_tokens_r', 'nama_tokens_l', TOKEN_SIMILARITY)}"),
        _level("sebagian", f"({_tokens_close('nama_tokens_l', 'nama_tokens_r', TOKEN_SIMILARITY)} OR "
                           f"{_tokens_close('nama_tokens_r', 'nama_tokens_l', TOKEN_SIMILARITY)})"),
        # Joined or split words with a typo as well ("Nurhayati" / "Nur Hayatie").
        _level("mirip", "len(nama_tokens_l) <> len(nama_tokens_r) AND jaro_winkler_similarity(nama_key_l, nama_key_r) >= 0.92"),
        _level("satu_kata_sama", "len(list_intersect(nama_tokens_l, nama_tokens_r)) > 0"),
        _else(),
    ],
}

# The names agree at least as closely as "sebagian" (one contains the other, token by token).
NAME_AGREES = " OR ".join(f"({lv['sql_condition']})" for lv in NAMA["comparison_levels"][2:7])
NAMA["comparison_levels"][1]["sql_condition"] = NAMA["comparison_levels"][1]["sql_condition"].replace(
    "NAME_AGREES_PLACEHOLDER", NAME_AGREES)
STEP_ASIDE = ("saudara", "dinilai_dengan_nik")  # levels whose m equals u: another comparison holds the evidence

# Weaker than NAME_AGREES, for the same valid NIK: the given names (first words) are one spelling
# family (Sholihin / Salihin) or one is the other's initial (S. Aminah). A shared family word alone is
# not enough: a brother's NIK in the wrong row shares it (Hasan Basri / Husin Basri).
NAME_FAMILY = ("jaro_winkler_similarity(nama_first_l, nama_first_r) >= 0.8"
               " OR (length(nama_first_l) = 1 AND starts_with(nama_first_r, nama_first_l))"
               " OR (length(nama_first_r) = 1 AND starts_with(nama_first_l, nama_first_r))")

# Two valid NIKs of one region and birth date whose sex digits differ.
SAME_BIRTH_OTHER_SEX = ("left(nik_l, 6) = left(nik_r, 6) AND nik_dob_l = nik_dob_r AND nik_sex_l <> nik_sex_r")

# A NIK one keystroke away: two adjacent digits swapped, or one digit off outside the serial.
_NIK_TYPO = ("(damerau_levenshtein(nik_loose_l, nik_loose_r) = 1 AND levenshtein(nik_loose_l, nik_loose_r) = 2)"
             " OR (levenshtein(nik_loose_l, nik_loose_r) = 1 AND right(nik_loose_l, 4) = right(nik_loose_r, 4))")
# One digit off in the serial, or the serial's tail zeroed by Excel (15 significant digits).
_NIK_SERIAL = ("levenshtein(nik_loose_l, nik_loose_r) = 1"
               " OR starts_with(nik_loose_r, nik_stem_l) OR starts_with(nik_loose_l, nik_stem_r)")

# Two valid NIKs apart only in the birth-date digits (7-12): region and serial the same.
DATE_PART_ONLY = ("(nik_l IS NOT NULL AND nik_r IS NOT NULL AND left(nik_l, 6) = left(nik_r, 6)"
                  " AND right(nik_l, 4) = right(nik_r, 4) AND nik12_l <> nik12_r)")

# Two valid NIKs apart only in the region digits (1-6): birth date and serial the same.
REGION_PART_ONLY = ("(nik_l IS NOT NULL AND nik_r IS NOT NULL AND left(nik_l, 6) <> left(nik_r, 6)"
                    " AND right(nik_l, 10) = right(nik_r, 10))")

CONSECUTIVE_SERIALS = ("nik12_l = nik12_r AND abs(CAST(right(nik_l, 4) AS INTEGER)"
                       " - CAST(right(nik_r, 4) AS INTEGER)) = 1")

# Each NIK level is split by whether the names agree. NIKs are dense: people born the same day in the
# same kecamatan get serials 0001, 0002..., so a NIK one digit away is a twin or a neighbour as often
# as a typo, and the same NIK with another name is a relative's NIK written in the wrong row. The
# name is what tells them apart, and Fellegi-Sunter only sees that when the levels carry both.
NIK = {
    "output_column_name": "nik",
    "comparison_description": "NIK (sama, salah ketik, nomor urut, wilayah+tanggal), dibedakan menurut kecocokan nama",
    "comparison_levels": [
        # Missing, or the same digits that are no NIK (1234567890123456): a placeholder, not evidence.
        _level("kosong", "(nik_loose_l IS NULL OR nik_loose_r IS NULL OR (nik_l IS NULL AND nik_loose_l = nik_loose_r))",
               null=True),
        _level("sama", f"nik_l = nik_r AND ({NAME_AGREES})"),
        # The same valid NIK with a name of the same family (Sholihin / M. Salihin: an initial, a shared
        # word, or a close spelling), or with the same birth date (a Sasak teknonym, Amaq Sahnan, for
        # Lalu Ahmad): one person written by two hands far more often than a relative's NIK (issue 13).
        _level("sama_nama_mirip", f"nik_l = nik_r AND ({NAME_FAMILY})"),
        _level("sama_tanggal_sama", "nik_l = nik_r AND dob_recorded_l = dob_recorded_r"),
        _level("sama_nama_beda", "nik_l = nik_r"),
        # One digit off in the birth-date part while each NIK agrees with its own record's birth date:
        # two people of one kecamatan born days apart with the same serial (0001 is the commonest), not a
        # typo, which would leave one record's date at odds with its NIK (training: medium dense seed 21,
        # 132 false links to 1 true at the old "salah_ketik"). Not the sex digit alone (day 12 / 52): the
        # NIKs name one birth date, so the dates tell nothing; the sex comparison tells boy/girl twins.
        _level("salah_ketik_masing_sah", f"({_NIK_TYPO}) AND {DATE_PART_ONLY} AND nik_dob_l <> nik_dob_r"
                                         " AND nik_dob_l = dob_recorded_l AND nik_dob_r = dob_recorded_r"),
        # One digit off in the region part (another kecamatan's code) while the records name two
        # different kecamatan: two people born the same day with the same serial in neighbouring
        # kecamatan, not a typo (training: medium dense seed 21).
        _level("salah_ketik_wilayah_lain", f"({_NIK_TYPO}) AND {REGION_PART_ONLY}"
                                           " AND kecamatan_l <> kecamatan_r"),
        _level("salah_ketik", f"({_NIK_TYPO}) AND ({NAME_AGREES})"),
        _level("salah_ketik_nama_beda", _NIK_TYPO),
        # Serials one number apart in one region and birth date: NIKs are issued in sequence, so this is
        # the next person registered born that day there (a twin, a namesake neighbour) far more often
        # than a typo, which puts any digit anywhere (issue 13).
        _level("nomor_urut_berikutnya", CONSECUTIVE_SERIALS),
        # Serials apart only in their last digit (0001 / 0003): the same day's register again, namesakes
        # born that day in one kecamatan as often as a typo (training seeds 11-13). A last digit 0 is left to
        # "nomor_urut": Excel keeps 15 significant digits and zeroes the 16th.
        _level("nomor_urut_akhir", "nik12_l = nik12_r AND left(nik_l, 15) = left(nik_r, 15)"
                                   " AND right(nik_l, 1) <> '0' AND right(nik_r, 1) <> '0'"),
        _level("nomor_urut", f"({_NIK_SERIAL}) AND ({NAME_AGREES})"),
        _level("nomor_urut_nama_beda", _NIK_SERIAL),
        _level("wilayah_tanggal_sama", f"nik12_l = nik12_r AND ({NAME_AGREES})"),
        _level("wilayah_tanggal_sama_nama_beda", "nik12_l = nik12_r"),
        # Region and birth date the same, the sex digit not (day + 40): a brother and a sister born the
        # same day, boy/girl twins (Hasan / Hasanah), however alike their names (issue 13).
        _level("wilayah_tanggal_sama_kelamin_beda", f"{SAME_BIRTH_OTHER_SEX}"),
        # Unrelated NIKs, yet the name and the birth date agree: a relative's or an old NIK in the row.
        # ... unless each NIK agrees with its own record's birth date: two valid NIKs of other regions, each
        # its holder's own, are two people more often than a NIK in the wrong row (training seeds 11-13).
        _level("beda_masing_sah", f"({NAME_AGREES}) AND dob_l = dob_r AND nik_dob_l = dob_recorded_l"
                                  " AND nik_dob_r = dob_recorded_r"),
        _level("beda_nama_tanggal_sama", f"({NAME_AGREES}) AND dob_l = dob_r"),
        _else(),
    ],
}

# Two different NIKs of one region and birth date and names that disagree: twins, or neighbours born
# the same day. For them an equal birth date is implied, and a shared mother and desa are what
# siblings have, so those comparisons step aside (their own level, "saudara") instead of adding
# evidence that the NIK already explained.
# Without a NIK on one side the same holds for two records born the same day to one mother (or with one
# phone, the parents') whose names do not agree (not even joined or split): twins (Wartini / Soetrisno,
# Muhammad Iwan / Muhammad Wawan), who also share the desa. On the training seeds' no-NIK variant these
# were a third of the look-alike pairs matched (bench/matching/README.md).
NAME_CLOSE = f"({NAME_AGREES}) OR ({NAMA['comparison_levels'][7]['sql_condition']})"
SIBLINGS_WITHOUT_NIK = ("(nik_l IS NULL OR nik_r IS NULL) AND dob_l = dob_r"
                        " AND (ibu_l = ibu_r OR jaro_winkler_similarity(ibu_l, ibu_r) >= 0.9 OR hp_l = hp_r)")
SIBLINGS = (f"(((nik12_l = nik12_r AND nik_l <> nik_r) OR ({SAME_BIRTH_OTHER_SEX})) AND NOT ({NAME_AGREES}))"
            f" OR (({SIBLINGS_WITHOUT_NIK}) AND NOT ({NAME_CLOSE}))")
_SIBLING_LEVEL = _level("saudara", SIBLINGS)

TANGGAL_LAHIR = {
    "output_column_name": "tanggal_lahir",
    "comparison_description": "Tanggal lahir: sama, hari/bulan tertukar, satu digit, tahun sama",
    "comparison_levels": [
        _null("dob"),
        _SIBLING_LEVEL,
        _level("sama_nama_sama", f"dob_l = dob_r AND (nik_loose_l IS NULL) <> (nik_loose_r IS NULL) AND ({NAME_AGREES})"),
        _level("sama", "dob_l = dob_r"),
        _level("tertukar", "dob_swapped_l = dob_r OR dob_swapped_r = dob_l"),
        _level("satu_digit", "levenshtein(dob_l, dob_r) = 1"),
        # Two adjacent digits swapped (1993 / 1939, 2001 / 2010): a typing error FEBRL-style damage makes in a
        # third of its date modifications; with the year's digits such a pair fell to "beda" (training
        # FEBRL-style `many`: 149 of 960 duplicates missed; bench/matching/README.md, eighth round).
        # Both dates are YYYY-MM-DD (prepare.py), so such a swap keeps two of the three parts whole; that
        # cheap test first spares most pairs the edit distance (the same pairs reach the level).
        _level("angka_tertukar", "(right(dob_l, 5) = right(dob_r, 5) OR left(dob_l, 7) = left(dob_r, 7)"
               " OR (dob_year_l = dob_year_r AND right(dob_l, 2) = right(dob_r, 2)))"
               " AND damerau_levenshtein(dob_l, dob_r) = 1"),
        _level("tahun_sama", "dob_year_l = dob_year_r"),
        _else(),
    ],
}

JENIS_KELAMIN = {
    "output_column_name": "jenis_kelamin",
    "comparison_description": "Jenis kelamin",
    "comparison_levels": [
        _null("sex"),
        _level("sama", "sex_l = sex_r"),
        # Both records write a sex and each agrees with its own NIK (day + 40 for women): two sources on
        # each side say they differ. Boy/girl twins (Hasan L / Hasanah P), never one person (issue 13).
        _level("beda_sesuai_nik", "sex_recorded_l <> sex_recorded_r AND sex_recorded_l = nik_sex_l"
                                  " AND sex_recorded_r = nik_sex_r"),
        _else(),
    ],
}

NAMA_IBU = {
    "output_column_name": "nama_ibu",
    "comparison_description": "Nama ibu kandung",
    "comparison_levels": [
        _null("ibu"),
        _SIBLING_LEVEL,
        _level("sama", "ibu_l = ibu_r"),
        _level("mirip", "jaro_winkler_similarity(ibu_l, ibu_r) >= 0.9"),
        _else(),
    ],
}

WILAYAH = {
    "output_column_name": "wilayah",
    "comparison_description": "Desa, kecamatan, kabupaten",
    "comparison_levels": [
        _level("kosong", "(desa_l IS NULL OR desa_r IS NULL) AND (kecamatan_l IS NULL OR kecamatan_r IS NULL)"
                         " AND (kabupaten_l IS NULL OR kabupaten_r IS NULL)", null=True),
        _SIBLING_LEVEL,
        _level("desa_sama", "desa_l = desa_r AND (kecamatan_l IS NULL OR kecamatan_r IS NULL OR kecamatan_l = kecamatan_r)"),
        _level("kecamatan_sama", "kecamatan_l = kecamatan_r"),
        _level("kabupaten_sama", "kabupaten_l = kabupaten_r"),
        _else(),
    ],
}

NO_HP = {
    "output_column_name": "no_hp",
    "comparison_description": "Nomor HP",
    # Twins and siblings share their parents' phone: it steps aside for them like the mother and desa.
    "comparison_levels": [_null("hp"), _SIBLING_LEVEL, _level("sama", "hp_l = hp_r"), _else()],
}

COMPARISONS = (NIK, NAMA, TANGGAL_LAHIR, JENIS_KELAMIN, NAMA_IBU, WILAYAH, NO_HP)

# Blocking keys made of parts of features (dob is 'YYYY-MM-DD'; nama_key the name without spaces): a
# typo in a date keeps two of its three parts, a typo in a name's later letters keeps its first three.
NAME_PREFIX_EQUAL = "left(l.nama_key, 3) = left(r.nama_key, 3)"
DOB_YEAR_MONTH_EQUAL = "left(l.dob, 7) = left(r.dob, 7)"
DOB_YEAR_DAY_EQUAL = "l.dob_year = r.dob_year AND right(l.dob, 2) = right(r.dob, 2)"
DOB_MONTH_DAY_EQUAL = "right(l.dob, 5) = right(r.dob, 5)"

# Pairs are compared only when one of these holds (union). Measured recall of true pairs on the
# benchmark is in the issue note; each rule is there for a kind of error the others miss.
BLOCKING_RULES: tuple[str, ...] = (
    "l.nik = r.nik",                                   # the NIK itself
    "l.nik12 = r.nik12",                               # serial typo, twins and namesakes to tell apart
    # Serials 0001, 0002... repeat in every kecamatan and on every date: a name initial keeps these small.
    "l.nik_tail10 = r.nik_tail10 AND l.nama_initial = r.nama_initial",       # typo in the region code
    "l.nik_region_serial = r.nik_region_serial AND l.dob_year = r.dob_year AND l.nama_initial = r.nama_initial",
                                                                             # typo in the birth date digits
    "l.nama_key = r.nama_key AND l.dob_year = r.dob_year AND l.kabupaten = r.kabupaten",  # NIK missing or wrong
    # NIK on one side only and no date on the other: a full name of three words or more, same kabupaten.
    "l.nama_key = r.nama_key AND l.kabupaten = r.kabupaten AND (l.dob IS NULL OR r.dob IS NULL OR len(l.nama_tokens) >= 3)",
    "l.dob = r.dob AND l.kecamatan = r.kecamatan",                           # NIK missing, name misspelt
    "l.dob = r.dob AND l.nama_first = r.nama_first",                         # moved; later names differ
    "l.dob = r.dob AND l.nama_last = r.nama_last",                           # moved; first name differs
    "l.nama_sorted = r.nama_sorted AND l.kecamatan = r.kecamatan",           # NIK missing, date wrong
    "l.hp = r.hp",                                                           # phone
    # A damaged date AND a damaged name together (issue 13, FEBRL): one name word survives, and the
    # place with the birth year, or the desa alone for the family name.
    "l.nama_first = r.nama_first AND l.kecamatan = r.kecamatan AND l.dob_year = r.dob_year",
    "l.nama_last = r.nama_last AND l.kecamatan = r.kecamatan AND l.dob_year = r.dob_year",
    "l.nama_last = r.nama_last AND l.desa = r.desa",
    # Kinds of true pairs the rules above missed on the training seeds 11-13 (plain and no-NIK variant;
    # bench/matching/README.md, "Fifth round"), each recovered by a key that stays when that part is damaged:
    "l.dob = r.dob AND l.nama_sorted = r.nama_sorted",                       # words reordered, and moved
    # The name's first three letters (a typo further on), with the whole date, or with two of its three
    # parts (a typo in the day, the month or the year) and the kecamatan.
    f"l.dob = r.dob AND {NAME_PREFIX_EQUAL}",
    f"{DOB_YEAR_MONTH_EQUAL} AND {NAME_PREFIX_EQUAL} AND l.kecamatan = r.kecamatan",
    f"{DOB_YEAR_DAY_EQUAL} AND {NAME_PREFIX_EQUAL} AND l.kecamatan = r.kecamatan",
    f"{DOB_MONTH_DAY_EQUAL} AND {NAME_PREFIX_EQUAL} AND l.kecamatan = r.kecamatan",
    f"{DOB_MONTH_DAY_EQUAL} AND l.nama_key = r.nama_key AND l.kabupaten = r.kabupaten",  # the year wrong, moved
    # No birth date on one side: the first name, the family name's initial and the kecamatan.
    "(l.dob IS NULL OR r.dob IS NULL) AND l.nama_first = r.nama_first AND l.kecamatan = r.kecamatan"
    " AND left(l.nama_last, 1) = left(r.nama_last, 1)",
    # The kecamatan itself misspelt (FEBRL's postcode), the desa intact: two keys above that need the
    # kecamatan, with the desa instead (they add no pair where the kecamatan is intact); and no birth
    # date on one side with the family name damaged. Chosen on a FEBRL-style training variant
    # (bench/matching/febrl_style.py, seeds 21-25) and the training seeds 11-13 (bench/matching/README.md,
    # seventh round).
    "l.dob = r.dob AND l.desa = r.desa",
    f"{DOB_YEAR_MONTH_EQUAL} AND {NAME_PREFIX_EQUAL} AND l.desa = r.desa",
    "(l.dob IS NULL OR r.dob IS NULL) AND l.nama_first = r.nama_first AND l.desa = r.desa",
)

# Duplicates only (issue 13): keys for a list damaged the way FEBRL damages records, where a duplicate's
# birth date AND name are both wrong and only pieces of each survive, with the desa or the kecamatan.
# On FEBRL-style training lists of the heavy style (bench/matching/febrl_style.py seeds 24-26, 28) the
# rules above missed 10-11 % of the true pairs; these bring about half of them back, at some thousands of
# pairs of different people on the generator's lists (which they add no true pair to). Their pairs are
# scored with the run's m and u and a prior of their own (em.prior_among), and never enter the fit of the
# rules above: fitted together, the many pairs of different people moved that fit (training seeds 11-13
# without NIKs, duplicates F1 0,89 -> 0,81). Links keep the rules above: these were chosen on lists of
# duplicates alone, and a registry ten times the list would multiply their pairs of different people.
# Chosen on the training lists alone (bench/matching/README.md, "Eleventh round").
DEDUPE_BLOCKING_RULES: tuple[str, ...] = (
    "right(l.dob, 5) = right(r.dob, 5) AND l.desa = r.desa",                # the year wrong, the name too
    f"{NAME_PREFIX_EQUAL} AND l.desa = r.desa",                             # the date wrong, the name's start kept
    f"(l.dob IS NULL OR r.dob IS NULL) AND {NAME_PREFIX_EQUAL} AND l.kecamatan = r.kecamatan",
    "(l.dob IS NULL OR r.dob IS NULL) AND l.nama_initial = r.nama_initial AND l.desa = r.desa",
    f"{DOB_MONTH_DAY_EQUAL} AND l.kecamatan = r.kecamatan AND l.nama_initial = r.nama_initial",
    f"{DOB_MONTH_DAY_EQUAL} AND {NAME_PREFIX_EQUAL} AND l.kabupaten = r.kabupaten",
    f"{DOB_YEAR_MONTH_EQUAL} AND l.desa = r.desa",                          # the day wrong, the name too
)


def blocking_rules(link_type: str) -> tuple[str, ...]:
    """The blocking rules of a stage: BLOCKING_RULES, and for duplicates DEDUPE_BLOCKING_RULES after them
    (a pair's match_key is the first rule that joins it: BLOCKING_RULES' pairs keep their numbers)."""
    return BLOCKING_RULES + (DEDUPE_BLOCKING_RULES if link_type == "dedupe_only" else ())


# Term frequency of the name (issue 13: namesakes are people with COMMON names). Two records whose
# names agree exactly (levels TF_LEVELS, compared on nama_key) are stronger evidence when the name is
# rare in the run's own lists and weaker when it is common: the weight of that level moves by
# TF_WEIGHT * log2(sum f^2 / f(name)) bits, f the share of records with that name, sum f^2 the chance
# two records share a name, capped at +-TF_CAP bits. Counted per run from the lists matched, so a
# desa's common names (Siti Aminah, Muhammad Rizki) weigh less there. Weight and cap chosen on the
# training seeds 11-13 (bench/matching/README.md).
TF_LEVELS = ("sama", "sama_tanpa_spasi")
TF_COLUMN = "nama_key"
TF_WEIGHT = 1.0
TF_CAP = 4.0
TF_MIN_RECORDS = 1000  # fewer records say nothing about how common a name is: no adjustment

# Columns Splink carries to the output for evidence and clustering.
ADDITIONAL_COLUMNS: tuple[str, ...] = ()

LEVEL_LABELS: dict[str, str] = {
    "kosong": "tidak ada data di salah satu",
    "sama": "sama",
    "sama_tanpa_spasi": "sama bila spasi diabaikan",
    "urutan_lain": "kata sama, urutan lain",
    "salah_ketik": "beda ejaan atau salah ketik",
    "sebagian": "satu nama memuat nama lainnya",
    "mirip": "mirip",
    "satu_kata_sama": "satu kata sama",
    "tertukar": "hari dan bulan tertukar",
    "satu_digit": "beda satu angka",
    "angka_tertukar": "dua angka bersebelahan tertukar",
    "sama_nama_beda": "sama, tetapi nama berbeda",
    "sama_nama_mirip": "sama, nama mirip (inisial, satu kata sama, ejaan lain)",
    "sama_tanggal_sama": "sama, tanggal lahir sama, nama berbeda",
    "sama_nama_sama": "sama, nama juga sama (NIK hanya di satu data)",
    "beda_sesuai_nik": "beda, dan masing-masing sesuai dengan NIK-nya",
    "wilayah_tanggal_sama_kelamin_beda": "wilayah dan tanggal lahir sama, jenis kelamin lain (kembar?)",
    "dinilai_dengan_nik": "tidak dihitung: NIK sama, kemiripan nama sudah dinilai di NIK",
    "salah_ketik": "salah ketik satu angka",
    "salah_ketik_nama_beda": "salah ketik satu angka, nama berbeda",
    "salah_ketik_wilayah_lain": "beda satu angka di kode wilayah, kecamatan juga lain (dua orang?)",
    "salah_ketik_masing_sah": "beda satu angka di tanggal lahir, masing-masing sesuai tanggal lahirnya (dua orang?)",
    "nomor_urut_akhir": "nomor urut beda di angka terakhir (orang lain yang lahir di hari yang sama?)",
    "beda_masing_sah": "beda, masing-masing sesuai tanggal lahirnya (dua orang bernama sama?)",
    "nomor_urut_berikutnya": "nomor urut berurutan (kembar atau tetangga yang lahir di hari yang sama?)",
    "nomor_urut": "beda di nomor urut (salah ketik atau terpotong Excel)",
    "nomor_urut_nama_beda": "beda di nomor urut, nama berbeda (kembar/tetangga?)",
    "wilayah_tanggal_sama": "wilayah dan tanggal lahir sama, nomor urut lain",
    "wilayah_tanggal_sama_nama_beda": "wilayah dan tanggal lahir sama, nomor urut lain, nama berbeda",
    "beda_nama_tanggal_sama": "beda, tetapi nama dan tanggal lahir sama",
    "tahun_sama": "tahun sama",
    "saudara": "tidak dihitung: NIK, atau ibu/No. HP dan tanggal lahir sama dengan nama lain, menunjuk saudara/kembar",
    "desa_sama": "desa sama",
    "kecamatan_sama": "kecamatan sama",
    "kabupaten_sama": "kabupaten sama",
    "beda": "beda",
}

# A candidate list with (almost) no valid NIK (workers without e-KTP, a desa list leaving the column
# empty) is compared on the other fields only, and its blocked pairs are other pairs: it gets its own
# parameter sets, "<link type>_tanpa_nik", counted on the training seeds' no-nik variant (train.py
# --variant no-nik), when fewer than NO_NIK_SHARE of its records carry a valid NIK.
NO_NIK_SUFFIX = "_tanpa_nik"
NO_NIK_SHARE = 0.05

# "blocked": u among blocked pairs, prior P(match | blocked pair); "population": u among all pairs,
# prior P(match) over all pairs (Splink's usual reading). See bench/matching/train.py.
PARAMETER_BASIS = "blocked"

# (m, u) per comparison level, in order, without the null level. Filled from bench/matching/train.py.
PARAMETERS: dict[str, dict[str, list[tuple[float, float]]]] = {
    "link_only": {
        "nik": [(0.7851, 1.403e-05), (0.03437, 3.507e-05), (0.004173, 3.507e-05), (0.0006588, 0.001389), (0.0001, 0.00641), (0.001208, 0.002784), (0.08411, 0.0001613), (0.004831, 0.005022), (0.001427, 0.01002), (0.002416, 0.004005), (0.05468, 4.208e-05), (0.002635, 0.0006593), (0.0001098, 2.805e-05), (0.0001, 0.001199), (0.0001, 0.006782), (0.0004392, 0.00223), (0.01955, 0.001206), (0.004282, 0.958)],  # sama, sama_nama_mirip, sama_tanggal_sama, sama_nama_beda, salah_ketik_masing_sah, salah_ketik_wilayah_lain, salah_ketik, salah_ketik_nama_beda, nomor_urut_berikutnya, nomor_urut_akhir, nomor_urut, nomor_urut_nama_beda, wilayah_tanggal_sama, wilayah_tanggal_sama_nama_beda, wilayah_tanggal_sama_kelamin_beda, beda_masing_sah, beda_nama_tanggal_sama, beda
        "nama": [(0.00131, 0.00131), (0.7841, 0.3062), (0.03881, 0.007889), (0.02038, 0.005144), (0.07762, 0.002909), (0.03086, 0.04898), (0.002717, 0.00085), (0.008927, 0.3823), (0.001941, 0.2444)],  # dinilai_dengan_nik, sama, sama_tanpa_spasi, urutan_lain, salah_ketik, sebagian, mirip, satu_kata_sama, beda
        "tanggal_lahir": [(0.02243, 0.02243), (0.09646, 0.0005828), (0.7987, 0.06827), (0.01267, 0.0006212), (0.05778, 0.0291), (0.0002923, 0.000871), (0.02845, 0.3577), (0.001364, 0.5204)],  # saudara, sama_nama_sama, sama, tertukar, satu_digit, angka_tertukar, tahun_sama, beda
        "jenis_kelamin": [(0.9936, 0.8699), (0.0001, 0.107), (0.00635, 0.02304)],  # sama, beda_sesuai_nik, beda
        "nama_ibu": [(0.02225, 0.02225), (0.7743, 0.005234), (0.1065, 0.013), (0.1123, 0.9595)],  # saudara, sama, mirip, beda
        "wilayah": [(0.02206, 0.02206), (0.864, 0.2783), (0.08519, 0.4935), (0.04657, 0.1636), (0.01, 0.04249)],  # saudara, desa_sama, kecamatan_sama, kabupaten_sama, beda
        "no_hp": [(0.02304, 0.02304), (0.6225, 6.128e-05), (0.3722, 0.9769)],  # saudara, sama, beda
    },
    "dedupe_only": {
        "nik": [(0.7993, 0.0003799), (0.03666, 0.001013), (0.002412, 1e-06), (0.0004824, 0.02925), (0.0001, 0.004939), (0.004342, 0.003546), (0.06802, 0.001266), (0.00193, 0.007345), (0.002894, 0.03774), (0.001447, 0.005065), (0.04824, 0.0006332), (0.0004824, 0.001773), (0.0001, 0.0006332), (0.0001, 0.001013), (0.0001, 0.01076), (0.0001, 0.003926), (0.02991, 0.003926), (0.003859, 0.8868)],  # sama, sama_nama_mirip, sama_tanggal_sama, sama_nama_beda, salah_ketik_masing_sah, salah_ketik_wilayah_lain, salah_ketik, salah_ketik_nama_beda, nomor_urut_berikutnya, nomor_urut_akhir, nomor_urut, nomor_urut_nama_beda, wilayah_tanggal_sama, wilayah_tanggal_sama_nama_beda, wilayah_tanggal_sama_kelamin_beda, beda_masing_sah, beda_nama_tanggal_sama, beda
        "nama": [(0.0264, 0.0264), (0.7799, 0.3058), (0.03964, 0.009941), (0.01693, 0.005744), (0.07762, 0.006517), (0.03922, 0.04728), (0.002064, 0.0009941), (0.009083, 0.3457), (0.001652, 0.2516)],  # dinilai_dengan_nik, sama, sama_tanpa_spasi, urutan_lain, salah_ketik, sebagian, mirip, satu_kata_sama, beda
        "tanggal_lahir": [(0.04564, 0.04564), (0.1059, 0.002731), (0.7684, 0.08581), (0.0137, 0.0006828), (0.06849, 0.02743), (0.0001, 0.001138), (0.03902, 0.3581), (0.00166, 0.4784)],  # saudara, sama_nama_sama, sama, tertukar, satu_digit, angka_tertukar, tahun_sama, beda
        "jenis_kelamin": [(0.9925, 0.8547), (0.0001, 0.1004), (0.007488, 0.04494)],  # sama, beda_sesuai_nik, beda
        "nama_ibu": [(0.04659, 0.04659), (0.7796, 0.007334), (0.1316, 0.01294), (0.08553, 0.9331)],  # saudara, sama, mirip, beda
        "wilayah": [(0.04429, 0.04429), (0.4604, 0.2931), (0.3419, 0.4658), (0.1949, 0.1565), (0.01, 0.04032)],  # saudara, desa_sama, kecamatan_sama, kabupaten_sama, beda
        "no_hp": [(0.0454, 0.0454), (0.7544, 0.0008621), (0.2398, 0.9537)],  # saudara, sama, beda
    },
    "link_only_tanpa_nik": {
        "nik": [(0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06)],  # sama, sama_nama_mirip, sama_tanggal_sama, sama_nama_beda, salah_ketik_masing_sah, salah_ketik_wilayah_lain, salah_ketik, salah_ketik_nama_beda, nomor_urut_berikutnya, nomor_urut_akhir, nomor_urut, nomor_urut_nama_beda, wilayah_tanggal_sama, wilayah_tanggal_sama_nama_beda, wilayah_tanggal_sama_kelamin_beda, beda_masing_sah, beda_nama_tanggal_sama, beda
        "nama": [(1e-06, 1e-06), (0.7872, 0.4059), (0.03896, 0.01125), (0.02036, 0.005709), (0.07617, 0.003404), (0.03039, 0.05619), (0.01013, 0.00103), (0.03117, 0.4484), (0.00565, 0.06811)],  # dinilai_dengan_nik, sama, sama_tanpa_spasi, urutan_lain, salah_ketik, sebagian, mirip, satu_kata_sama, beda
        "tanggal_lahir": [(0.00102, 0.00102), (0.0001, 1e-06), (0.8831, 0.09252), (0.01286, 0.0003208), (0.05803, 0.02508), (0.0003038, 0.0007404), (0.02744, 0.238), (0.0004051, 0.6423)],  # saudara, sama_nama_sama, sama, tertukar, satu_digit, angka_tertukar, tahun_sama, beda
        "jenis_kelamin": [(0.9937, 0.9425), (0.0001, 1e-06), (0.006256, 0.05754)],  # sama, beda_sesuai_nik, beda
        "nama_ibu": [(0.001957, 0.001957), (0.7518, 0.00582), (0.1039, 0.01509), (0.112, 0.9771)],  # saudara, sama, mirip, beda
        "wilayah": [(0.0008686, 0.0008686), (0.8551, 0.3137), (0.08358, 0.4437), (0.04422, 0.2082), (0.01, 0.03345)],  # saudara, desa_sama, kecamatan_sama, kabupaten_sama, beda
        "no_hp": [(0.001053, 0.001053), (0.6101, 8.49e-05), (0.3678, 0.9989)],  # saudara, sama, beda
    },
    "dedupe_only_tanpa_nik": {
        "nik": [(0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06), (0.0001, 1e-06)],  # sama, sama_nama_mirip, sama_tanggal_sama, sama_nama_beda, salah_ketik_masing_sah, salah_ketik_wilayah_lain, salah_ketik, salah_ketik_nama_beda, nomor_urut_berikutnya, nomor_urut_akhir, nomor_urut, nomor_urut_nama_beda, wilayah_tanggal_sama, wilayah_tanggal_sama_nama_beda, wilayah_tanggal_sama_kelamin_beda, beda_masing_sah, beda_nama_tanggal_sama, beda
        "nama": [(1e-06, 1e-06), (0.7874, 0.4354), (0.04002, 0.01566), (0.01709, 0.006124), (0.07461, 0.007184), (0.03627, 0.05382), (0.01, 0.001295), (0.03001, 0.4063), (0.004585, 0.0742)],  # dinilai_dengan_nik, sama, sama_tanpa_spasi, urutan_lain, salah_ketik, sebagian, mirip, satu_kata_sama, beda
        "tanggal_lahir": [(0.009736, 0.009736), (0.0001, 1e-06), (0.8708, 0.1393), (0.01391, 0.0003141), (0.06909, 0.02481), (0.0001, 0.0009422), (0.03544, 0.2484), (0.0001, 0.5765)],  # saudara, sama_nama_sama, sama, tertukar, satu_digit, angka_tertukar, tahun_sama, beda
        "jenis_kelamin": [(0.9931, 0.9394), (0.0001, 1e-06), (0.006932, 0.06059)],  # sama, beda_sesuai_nik, beda
        "nama_ibu": [(0.02125, 0.02125), (0.7608, 0.005543), (0.1312, 0.01478), (0.08638, 0.9584)],  # saudara, sama, mirip, beda
        "wilayah": [(0.007302, 0.007302), (0.4589, 0.3208), (0.3414, 0.4005), (0.1897, 0.2431), (0.01, 0.02827)],  # saudara, desa_sama, kecamatan_sama, kabupaten_sama, beda
        "no_hp": [(0.008264, 0.008264), (0.7454, 0.00153), (0.2361, 0.9902)],  # saudara, sama, beda
    },
}


# Levels a parameter set reads as another level of the same comparison. The birth date's sama_nama_sama
# reads "one record of a list with NIKs lacks its NIK"; a list without NIKs (the *_tanpa_nik sets; its
# registry still has them) has no such signal, and there the level is read as sama, in training
# (bench/matching/train.py) and in a run alike. Not folded, it matched namesakes in the registry past the
# look-alike cap, and the threshold rule then gave up 0,02 of no-NIK dedup F1 for 0,003-0,008 of links
# (training seeds 11-13; bench/matching/README.md, tenth round).
FOLDED_WITHOUT_NIK: dict[str, dict[str, str]] = {"tanggal_lahir": {"sama_nama_sama": "sama"}}


def folded_levels(parameter_set: str) -> dict[str, dict[str, str]]:
    """{comparison: {level code: the code it is read as}} for `parameter_set`."""
    return FOLDED_WITHOUT_NIK if parameter_set.endswith(NO_NIK_SUFFIX) else {}

# DuckDB function -> Spark SQL, for the functions the levels use. Booleans order false < true, so the
# minimum of a list of booleans is their AND.
SPARK_FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("list_bool_and(", "array_min("),
    ("list_max(", "array_max("),
    ("list_transform(", "transform("),
    ("list_intersect(", "array_intersect("),
    ("jaro_winkler_similarity(", "jaro_winkler("),
    ("starts_with(", "startswith("),
    ("len(", "size("),
    ("lambda t: ", "t -> "),
    ("lambda s: ", "s -> "),
)


def in_dialect(sql: str, dialect: str) -> str:
    if dialect == "duckdb":
        return sql
    if dialect != "spark":
        raise ValueError(f"dialect {dialect!r}: duckdb atau spark")
    for duck, spark in SPARK_FUNCTIONS:
        sql = sql.replace(duck, spark)
    return sql


def settings(link_type: str, *, prior: float, parameters: dict | None = None, dialect: str = "duckdb") -> dict:
    """A complete Splink settings dict for "link_only" or "dedupe_only", in DuckDB's or Spark's SQL."""
    parameters = PARAMETERS[link_type] if parameters is None else parameters
    comparisons = []
    for comparison in COMPARISONS:
        comparison = deepcopy(comparison)
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level, (m, u) in zip(levels, parameters.get(comparison["output_column_name"], ())):
            level["m_probability"], level["u_probability"] = m, u
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = in_dialect(level["sql_condition"], dialect)
        comparisons.append(comparison)
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": in_dialect(r, dialect)}
                                                   for r in blocking_rules(link_type)],
        "comparisons": comparisons,
        "additional_columns_to_retain": list(ADDITIONAL_COLUMNS),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": True,  # carries the gamma (evidence) columns
    }
