"""Entry points: link candidates to a registry and find duplicates among candidates.

    result = match_records(candidates, registry)            # lists of dicts, pyarrow tables or file paths
    result = match_files("kandidat.xlsx", "bpjs.csv")

Each run gets its own in-memory DuckDB. The steps: load the raw columns as text (columns.py), build the
name and place lookups once per distinct value, prepare features (prepare.py), compare the blocked pairs,
estimate the prior by EM (em.py) with the parameters of model.py (the *_tanpa_nik set for a list without
NIKs), score each pair with them and the name's term frequency in the lists, and keep pairs at or above
the `possible` threshold; the band is the parameter set's match threshold (Thresholds.match_for). Output
order is fixed (score, then ids), so the same data gives the same output.
"""

from __future__ import annotations

import math
import re
import tempfile
import time
from importlib import resources
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from lindung.matching import columns, compiled, em, model, prepare
from lindung.matching.types import MATCH, POSSIBLE, MatchResult, Pair, Thresholds

Progress = Callable[[int, str], None]
EVIDENCE_FIELDS = tuple(c["output_column_name"] for c in model.COMPARISONS)
MEMORY_MB = 1024  # DuckDB's own limit (the app's MATCHING_MEMORY_MB); Python's share (names, pairs) comes on top
EXACT_NIK_RECALL = 0.8  # share of true pairs that agree on the full NIK (benchmark: 0,80): sets the prior only


def match_records(candidates: Any, registry: Any = None, *, thresholds: Thresholds | None = None,
                  progress: Progress | None = None, ref_date: date | None = None, threads: int | None = None,
                  dedupe: bool = True, spark=None, memory_mb: int = MEMORY_MB, names_in_sql: bool = True,
                  temp_dir: str | Path | None = None) -> MatchResult:
    """Pairs of records that are one person: candidate -> registry links, and duplicates among candidates.

    `candidates`/`registry`: a list of dicts with contract keys, a pyarrow Table, or a file path.
    `spark`: a SparkSession (see spark.py) to score the pairs on Spark instead of DuckDB; the preparation
    still runs in DuckDB, which streams it to Spark as Arrow.
    `names_in_sql` False: every name through the Python reference alone (prepare.name_row), slower; the
    result is the same (tests compare the two).
    `memory_mb`: DuckDB's limit; what does not fit goes to a fresh folder inside `temp_dir` (default: the
    system's temporary folder), removed at the end.
    """
    with tempfile.TemporaryDirectory(prefix="lindung-duckdb-", dir=temp_dir) as spill:
        con = connect(memory_mb=memory_mb, temp_dir=spill, threads=threads)
        try:
            return _match(con, candidates, registry, thresholds=thresholds or Thresholds(),
                          progress=progress or (lambda percent, text: None), ref_date=ref_date or date.today(),
                          dedupe=dedupe, spark=spark, names_in_sql=names_in_sql, threads=threads)
        finally:
            con.close()


def connect(*, memory_mb: int, temp_dir: str | Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that stays within `memory_mb` and spills to `temp_dir` beyond it.

    Row order is fixed by the final sort, so DuckDB may stream without keeping insertion order (which
    also lets it spill); the limit makes it write to disk rather than grow past what a kabupaten's VM has.
    """
    con = duckdb.connect(config={"memory_limit": f"{int(memory_mb)}MB", "temp_directory": str(temp_dir),
                                 "preserve_insertion_order": False,
                                 **({"threads": int(threads)} if threads else {})})
    return con


def _match(con, candidates, registry, *, thresholds: Thresholds, progress: Progress, ref_date: date, dedupe: bool,
           spark, names_in_sql: bool, threads: int | None) -> MatchResult:
    started = time.perf_counter()
    stats: dict[str, int | float] = {}
    progress(5, "Membaca data")
    tables = {"kandidat": candidates} if registry is None else {"kandidat": candidates, "registri": registry}
    stats.update(prepare_tables(con, tables, ref_date=ref_date, progress=progress, names_in_sql=names_in_sql,
                                one_thread_below=None if threads else ONE_THREAD_BELOW))
    # The rest of the run (25..98 %) shared between the link and the dedupe stages.
    stages = [s for s in ("link_only" if registry is not None else None, "dedupe_only" if dedupe else None) if s]
    share = 73 // max(1, len(stages))
    links: list[Pair] = []
    if registry is not None:
        step = _stage(progress, 25, share, "Mencocokkan dengan daftar rujukan")
        links = one_registry_record(_predict(con, ["prep_kandidat", "prep_registri"], "link_only", thresholds, stats,
                                             spark, step))
    duplicates: list[Pair] = []
    if dedupe:
        step = _stage(progress, 25 + share * (len(stages) - 1), share, "Mencari data ganda dalam daftar")
        duplicates = _predict(con, ["prep_kandidat"], "dedupe_only", thresholds, stats, spark, step)
        niks = _niks_of(con, duplicates)
        duplicates = promoted_in_clusters(bounded_clusters(promoted_by_registry(duplicates, links, niks), niks))
        stats["pasti_karena_rujukan"] = sum(1 for p in duplicates if p.evidence.get(CLUSTER_NOTE) == SAME_RECORD)
        stats["ditinjau_karena_klaster"] = sum(1 for p in duplicates if p.band == POSSIBLE and p.evidence.get(CLUSTER_NOTE))
        stats["pasti_karena_klaster"] = sum(1 for p in duplicates if p.evidence.get(CLUSTER_NOTE) == IN_CLUSTER)
    progress(100, "Selesai")
    stats["detik"] = round(time.perf_counter() - started, 3)
    return MatchResult(links=links, duplicates=duplicates, clusters=clusters(duplicates), stats=stats)


Step = Callable[[float, str], None]


def _stage(progress: Progress, start: int, share: int, title: str) -> Step:
    """Progress inside one stage: `fraction` (0..1) of its `share` of the run, after `start` percent."""
    return lambda fraction, text: progress(start + int(share * min(max(fraction, 0.0), 1.0)), f"{title}: {text}")


def _niks_of(con, pairs: Sequence[Pair]) -> dict[str, str]:
    """Record id -> valid NIK for the records of `pairs` (what promoted_by_registry and bounded_clusters
    look at), not for the whole list: a province's million NIKs would be a few hundred MB of Python strings."""
    ids = sorted({i for p in pairs for i in (p.left, p.right)})
    _create_from_lists(con, "sure_ids", {"unique_id": ("VARCHAR", ids)})
    try:
        return dict(con.execute("SELECT p.unique_id, p.nik FROM prep_kandidat p JOIN sure_ids USING (unique_id) "
                                "WHERE p.nik IS NOT NULL").fetchall())
    finally:
        con.execute("DROP TABLE sure_ids")


# DuckDB splits its work by row group (122.880 rows): with lists of about one row group each, a second
# thread has little to take over and costs CPU to coordinate (small, 10.000 x 100.000, in process:
# 1,9-2,0 CPU-s on one thread against 2,1-2,2 on two; bench/matching/README.md has the figures).
ONE_THREAD_BELOW = 150_000  # records in the lists together; the caller's `threads` overrides


def prepare_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, Any], *, ref_date: date,
                   progress: Progress | None = None, names_in_sql: bool = True,
                   one_thread_below: int | None = None) -> dict[str, int]:
    """Load each source as raw_<name> and prepare it as prep_<name>; returns row counts. With
    `one_thread_below`, lists with fewer records than that together run on one DuckDB thread."""
    known = [columns.rows_of(con, source) for source in tables.values()]  # from file metadata: before reading
    if one_thread_below and None not in known and sum(known) < one_thread_below:
        con.execute("SET threads = 1")
    counts = {f"baris_{name}": columns.load(con, f"raw_{name}", source, label=name) for name, source in tables.items()}
    if one_thread_below and None in known and sum(counts.values()) < one_thread_below:
        con.execute("SET threads = 1")
    if progress:
        progress(20, "Menormalkan nama, NIK, tanggal lahir dan wilayah")
    provinces = _build_lookups(con, [f"raw_{n}" for n in tables], names_in_sql=names_in_sql)
    for name in tables:
        con.execute(f"CREATE TABLE prep_{name} AS {prepare.prepared_sql(f'raw_{name}', ref_date, provinces)}")
        # In memory, DuckDB's tables count against its memory limit: what the rest of the run never reads
        # again would be written to the spill folder while the pairs are compared (medium: ~0,9 GB).
        con.execute(f"DROP TABLE raw_{name}")
    con.execute("DROP TABLE names_lookup")
    con.execute("DROP TABLE places_lookup")
    return counts


def _build_lookups(con: duckdb.DuckDBPyConnection, raw_tables: Sequence[str], *,
                   names_in_sql: bool = True) -> list[str]:
    """names_lookup(raw, own, father, key, sorted, tokens) and places_lookup(raw, place), once per value;
    returns the province codes (for prepare.prepared_sql)."""
    _build_names_lookup(con, raw_tables, in_sql=names_in_sql)
    _load_regions(con)
    place_values = _distinct(con, raw_tables, ("desa", "kecamatan", "kabupaten"))
    places = prepare.place_keys(place_values, lambda codes: _region_names(con, codes))
    _create_from_lists(con, "places_lookup", {"raw": ("VARCHAR", place_values), "place": ("VARCHAR", places)})
    provinces = [kode for (kode,) in con.execute("SELECT kode FROM regions WHERE length(kode) = 2 ORDER BY kode").fetchall()]
    con.execute("DROP TABLE regions")
    return provinces


def _load_regions(con) -> None:
    """regions(kode, nama): lindung.domain.wilayah's table (data/wilayah.csv), read by DuckDB: a run needs
    the province codes and a few names, and DuckDB reads the 91.600 rows in a fifth of the CPU that
    wilayah's index of every level and child takes to build (tests compare the two)."""
    source = resources.files("lindung.domain") / "data" / "wilayah.csv"
    with resources.as_file(source) as path:
        con.execute("CREATE TEMP TABLE regions AS SELECT kode, nama FROM read_csv(?, header = true, delim = ',', "
                    "quote = '\"', escape = '\"', auto_detect = false, columns = {'kode': 'VARCHAR', 'nama': 'VARCHAR'})",
                    [str(path)])


def _region_names(con, codes: list[str]) -> dict[str, str]:
    return dict(con.execute("SELECT kode, nama FROM regions WHERE list_contains(?, kode)", [codes]).fetchall())


MAX_NAME_WORDS = 6  # names with more words (a few in a thousand) go through prepare.name_row whole


def _build_names_lookup(con: duckdb.DuckDBPyConnection, raw_tables: Sequence[str], *, in_sql: bool = True) -> None:
    """names_lookup: prepare.name_row for every distinct name and mother's name. Words are spelled
    once each in Python (prepare.word_row) and names assembled from them in SQL; the names SQL cannot
    assemble (prepare.plain_name_sql: gelar, bin/binti, a leading M./St., non-ASCII; a fifth of a
    generated list) go through name_row whole; with `in_sql` False, every name does. (Stripping gelar
    in SQL as well was tried: it cost more CPU than the Python it replaced.)"""
    union = " UNION ".join(f"SELECT {c} AS v FROM {t}" for t in raw_tables for c in ("nama", "nama_ibu"))
    con.execute(f"""CREATE TEMP TABLE name_words AS
        SELECT v AS raw, CASE WHEN {prepare.ascii_sql('v')} THEN {prepare.name_words_sql('v')} END AS words
        FROM (SELECT DISTINCT v FROM ({union}) WHERE v IS NOT NULL)""")
    words = [w for (w,) in con.execute("SELECT DISTINCT unnest(words) FROM name_words").fetchall()]
    rows = [prepare.word_row(w) for w in words]
    _create_from_lists(con, "word_spelling", {"word": ("VARCHAR", words), **{
        name: ("VARCHAR", [r[i] for r in rows]) for i, name in enumerate(("spelled", "canonical", "sounds"))}})
    # Word i of each name looked up by its own join: an ordered list() aggregate is several times slower.
    joins = " ".join(f"LEFT JOIN word_spelling w{i} ON w{i}.word = n.words[{i}]" for i in range(1, MAX_NAME_WORDS + 1))

    def spelt(column: str) -> str:
        return f"[{', '.join(f'w{i}.{column}' for i in range(1, MAX_NAME_WORDS + 1))}][1:len(n.words)]"

    relation = (f"SELECT n.raw, n.words, {spelt('spelled')} AS spelled, {spelt('canonical')} AS canonical, "
                f"{spelt('sounds')} AS tokens FROM name_words n {joins}")
    con.execute(f"""CREATE TEMP TABLE names_assembled AS
        SELECT raw, words, tokens, {str(in_sql).upper()} AND words IS NOT NULL AND len(words) <= {MAX_NAME_WORDS}
            AND {prepare.plain_name_sql('spelled', 'canonical')} AS plain
        FROM ({relation})""")
    # Split into words by SQL already (name_words_sql, ASCII names): Python only spells them (~a third
    # less CPU per name); with `in_sql` False the reference splits every name itself.
    rest, rest_words = [], []
    for raw, words in con.execute("SELECT raw, words FROM names_assembled WHERE NOT plain").fetchall():
        rest.append(raw)
        rest_words.append(words if in_sql else None)
    rows = [prepare.name_row(v) if w is None else prepare.name_row_of_words(w) for v, w in zip(rest, rest_words)]
    _create_from_lists(con, "names_by_python", {
        "raw": ("VARCHAR", rest), "own": ("VARCHAR", [r[0] or None for r in rows]),
        "father": ("VARCHAR", [r[1] for r in rows]), "key": ("VARCHAR", [r[2] or None for r in rows]),
        "sorted": ("VARCHAR", [r[3] or None for r in rows]), "tokens": ("VARCHAR[]", [r[4] for r in rows])})
    con.execute("""CREATE TABLE names_lookup AS
        SELECT raw, nullif(array_to_string(tokens, ' '), '') AS own, CAST(NULL AS VARCHAR) AS father,
            nullif(array_to_string(tokens, ''), '') AS key,
            nullif(array_to_string(list_sort(tokens), ' '), '') AS sorted,
            tokens
        FROM names_assembled WHERE plain
        UNION ALL SELECT * FROM names_by_python""")
    for table in ("name_words", "word_spelling", "names_assembled", "names_by_python"):
        con.execute(f"DROP TABLE {table}")


def _create_from_lists(con, table: str, columns: dict[str, tuple[str, list]]) -> None:
    """`table` from Python lists of equal length: column -> (DuckDB type, values), the i-th values one row.

    Handed to DuckDB as list parameters, not as an Arrow table: pyarrow's array() imports pandas to
    ask whether a list is a pandas object, and pyarrow with numpy and pandas was ~0,3 of a run's
    ~2,4 CPU-seconds at 10.000 x 100.000 (a parquet run reads its files in DuckDB and needs none of them).
    """
    selects = ", ".join(f"unnest(${i}::{kind}[]) AS {name}" for i, (name, (kind, _)) in enumerate(columns.items(), 1))
    con.execute(f"CREATE TABLE {table} AS SELECT {selects}", [values for _, values in columns.values()])


def _distinct(con, raw_tables: Sequence[str], cols: Sequence[str]) -> list[str]:
    union = " UNION ".join(f"SELECT {c} AS v FROM {t}" for t in raw_tables for c in cols)
    return [v for (v,) in con.execute(f"SELECT DISTINCT v FROM ({union}) WHERE v IS NOT NULL ORDER BY v").fetchall()]


def _predict(con, tables: list[str], link_type: str, thresholds: Thresholds, stats: dict, spark=None,
             step: Step | None = None) -> list[Pair]:
    """Score every blocked pair once, fit the run's own parameters and prior, keep the possible matches.

    Splink compares the blocked pairs (its levels give each pair a pattern of gammas); em.fit then
    estimates m, u and P(one person | blocked pair) from the patterns, starting from and drawn towards
    the trained values (model.PARAMETERS), and each pair's score is computed from its gammas with them.
    The fit sees the pairs of model.BLOCKING_RULES alone; the pairs only the keys for duplicates join
    (model.DEDUPE_BLOCKING_RULES) are scored with its weights and a prior of their own (em.prior_among).
    """
    step = step or (lambda fraction, text: None)
    if spark is None:
        step(0, "membentuk pasangan pembanding")
        predictions = _compared_in_duckdb(con, tables, link_type, step)
        blocked = _count(con, predictions.physical_name)
    else:
        linker, count = _linker(con, tables, link_type, spark)
        step(0, "membentuk pasangan pembanding")
        predictions = _compared(linker, con, tables, link_type, spark, step)
        blocked = count(predictions)
    stats[f"dibandingkan_{link_type}"] = blocked
    step(0.9, "menaksir bobot dan memberi skor")
    gammas = [f"gamma_{f}" for f in EVIDENCE_FIELDS]
    parameter_set = parameters_for(con, link_type)
    predictions = _folded(con, predictions, parameter_set, spark)
    core = len(model.BLOCKING_RULES)
    added = len(model.blocking_rules(link_type)) > core  # pairs of DEDUPE_BLOCKING_RULES: their own prior
    patterns = _patterns(con, predictions, gammas, spark, f"{MATCH_KEY} < {core}" if added else "TRUE")
    added_patterns = _patterns(con, predictions, gammas, spark, f"{MATCH_KEY} >= {core}") if added else []
    blocked -= sum(n for _, n in added_patterns)
    unfamiliar = em.unfamiliar(patterns, EVIDENCE_FIELDS)
    stats[f"parameter_{link_type}"] = parameter_set
    fitted = em.fit(patterns, EVIDENCE_FIELDS, model.PARAMETERS[parameter_set], _step_aside(),
                    start_prior=prior(con, tables, blocked), prior_pairs=em.PRIOR_PAIRS if unfamiliar else None,
                    u_pairs=em.U_PAIRS if own_u(unfamiliar, parameter_set) else None,
                    u_fields=own_u(unfamiliar, parameter_set) or None)
    stats[f"parameter_dari_data_{link_type}"] = int(unfamiliar)
    stats[f"u_dari_data_{link_type}"] = len(own_u(unfamiliar, parameter_set))  # comparisons whose u is the run's
    stats[f"prior_{link_type}"] = round(fitted.prior, 6)
    stats[f"em_iterasi_{link_type}"] = fitted.iterations
    added_prior = em.prior_among(added_patterns, EVIDENCE_FIELDS, fitted) if added_patterns else None
    stats[f"prior_kunci_tambahan_{link_type}"] = round(added_prior or 0.0, 6)
    score = _score_sql(fitted, added_prior)
    frequencies = name_frequencies(con, tables, link_type)
    on = f"tf.tf_value = pr.{model.TF_COLUMN}_l"
    if spark is None:
        rows = con.execute(f"SELECT * FROM (SELECT unique_id_l, unique_id_r, {score} AS p, {', '.join(gammas)} "
                           f"FROM {predictions.physical_name} pr LEFT JOIN {frequencies} tf ON {on}) "
                           "WHERE p >= ?", [thresholds.possible]).fetchall()
    else:
        from pyspark.sql import functions as F

        tf = spark.createDataFrame(con.sql(f"SELECT * FROM {frequencies}").to_arrow_table()).alias("tf")
        frame = (predictions.as_spark_dataframe().alias("pr").join(tf, F.expr(on), "left")
                 .withColumn("p", F.expr(score)))
        rows = [tuple(r) for r in frame.where(F.col("p") >= thresholds.possible)
                .select("unique_id_l", "unique_id_r", "p", *gammas).collect()]
    predictions.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)  # freed for the next stage
    match = thresholds.match_for(parameter_set)
    pairs = sorted((_pair(row, link_type, match) for row in rows), key=lambda p: (-p.score, p.left, p.right))
    stats[f"pasangan_{link_type}"] = len(pairs)
    return pairs


def own_u(unfamiliar: bool, parameter_set: str) -> tuple[str, ...]:
    """The comparisons whose u the run estimates from its own pairs (em.U_PAIRS): all of them for a list
    with NIKs like the training data, the place alone for a list without NIKs (em.PLACE_U); none for an
    unfamiliar list, which re-estimates m and u anyway."""
    if unfamiliar:
        return ()
    return em.PLACE_U if parameter_set.endswith(model.NO_NIK_SUFFIX) else EVIDENCE_FIELDS


COMPARE_PART = 2_000_000  # blocked pairs compared per DuckDB query: the progress moves between parts


def _compared(linker, con, tables: list[str], link_type: str, spark, step: Step):
    """On Spark: every blocked pair as its two ids and one gamma per comparison (Splink's comparison
    vectors), the scores being computed here from the gammas (_score_sql). Splink's predict() would also
    keep both records' compared values for every pair, twenty times wider: at a million candidates that
    table, not the pairs themselves, filled the memory (issue 18). Same blocking, same comparison levels.
    DuckDB runs the same SQL without a Linker (_compared_in_duckdb)."""
    db = linker._db_api
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    step(0.1, "membandingkan pasangan")
    vectors = db.sql_pipeline_to_splink_dataframe(_vector_pipeline(linker, blocked))
    blocked.drop_table_from_database_and_remove_from_cache()
    return vectors


class _Table:
    """A DuckDB table the DuckDB path made itself (what it reads of Splink's SplinkDataFrame)."""

    def __init__(self, con, name: str):
        self.con, self.physical_name = con, name

    def drop_table_from_database_and_remove_from_cache(self, force_non_splink_table: bool = False) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {self.physical_name}")


def _compared_in_duckdb(con, tables: list[str], link_type: str, step: Step) -> _Table:
    """_compared on DuckDB, with Splink's SQL made once per model version (compiled.py) instead of a
    Linker and its SQL in every run. The blocked pairs are compared COMPARE_PART at a time into one
    table, with progress between the parts (a province's dedupe compares millions of pairs for minutes)."""
    sql = compiled.statements(con, tables, link_type)
    blocked, part_table, target = (f"lindung_blocked_{link_type}", f"lindung_blocked_part_{link_type}",
                                   f"lindung_vectors_{link_type}")
    shared = SHARED_BLOCKING_KEYS if _count(con, tables[0]) * _count(con, tables[-1]) <= SHARED_KEYS_UP_TO else ()
    dateless = max(con.execute(f"SELECT (count(*) - count(dob)) / greatest(count(*), 1) FROM {t}").fetchone()[0]
                   for t in dict.fromkeys(tables))
    bound = MAX_BLOCK_PAIRS if dateless > DATELESS_SHARE else None
    con.execute(f"CREATE OR REPLACE TABLE {blocked} AS\n"
                f"{blocked_pairs_sql(tables, link_type, shared_keys=shared, max_block_pairs=bound)}")
    total = _count(con, blocked)
    parts = max(1, math.ceil(total / COMPARE_PART))
    vectors = sql.vectors_from(blocked if parts == 1 else part_table)
    con.execute(f"DROP TABLE IF EXISTS {target}")
    for i in range(parts):
        step(0.05 + 0.85 * i / parts, f"membandingkan {total:,} pasangan".replace(",", ".")
             + (f", bagian {i + 1} dari {parts}" if parts > 1 else ""))
        if parts > 1:
            con.execute(f"CREATE OR REPLACE TABLE {part_table} AS "
                        f"SELECT * FROM {blocked} WHERE rowid % {parts} = {i}")
        con.execute(f"INSERT INTO {target} {vectors}" if i else f"CREATE TABLE {target} AS {vectors}")
    con.execute(f"DROP TABLE IF EXISTS {part_table}")
    con.execute(f"DROP TABLE {blocked}")
    return _Table(con, target)


# Rules holding all the parts of one of these keys are joined once on it, each rule's other parts then
# sorting the joined pairs (the same pairs: an inner join's ON and WHERE are one filter). Six rules share
# the birth date, three the name with the kabupaten and two the birth month with the name's first three
# letters. A join on the key alone brings together records in proportion to the product of the lists' sizes, each rule's own join costs in proportion to their
# sum: one join is cheaper up to SHARED_KEYS_UP_TO pairs of records (small, 10.000 x 100.000: blocking
# 0,29 -> 0,25 CPU-s; medium dedupe, 100.000 x 100.000: 0,73 -> 0,61), and dearer beyond (medium links,
# 100.000 x 1.000.000: 2,7 -> 3,5 CPU-s), where every rule keeps its own join.
# The birth month with the name's first three letters (two rules: with the kecamatan, with the desa)
# joins fewer records than the birth date (small links: 34.066 pairs against 86.661): small blocking
# 0,210 -> 0,195 CPU-s for the links, 0,066 -> 0,064 for the duplicates.
SHARED_BLOCKING_KEYS = ("l.dob = r.dob", "l.nama_key = r.nama_key AND l.kabupaten = r.kabupaten",
                        f"{model.DOB_YEAR_MONTH_EQUAL} AND {model.NAME_PREFIX_EQUAL}")
SHARED_KEYS_UP_TO = 2 * 10**10  # records of the left list times records of the right one


# The rules for records without a birth date ("dob IS NULL" on one side) pair a name with a place only.
# On a list where most records lack a date and a NIK, in dense kecamatan, common names (Muhammad Rizki,
# Siti Aminah) made blocks of up to 158.000 pairs of records and 14,5 million link pairs compared where the
# lists with dates make 1 million (medium; bench/matching/README.md, "A list without birth dates"). When
# more than DATELESS_SHARE of a list's records lack a date, such a rule skips its blocks of more than
# MAX_BLOCK_PAIRS pairs (their records are compared when another rule joins them): 7,8 million pairs, link
# F1 0,580 -> 0,607 there (fewer hopeless pairs, a better prior). The largest block of these rules on the
# benchmark's lists with dates is 2.108 pairs (small); lists with dates (at most 5,3 % without one on the
# benchmark's) are never bounded, so their pairs stay Splink's exactly. (DuckDB runs: a Spark run blocks
# with Splink's own statement, unbounded.)
MAX_BLOCK_PAIRS = 5_000
DATELESS_SHARE = 0.1
_FINE_KEY = re.compile(r"\b[lr]\.(dob|nik|hp)")


def bounded_keys(rule: str) -> list[tuple[str, str]]:
    """For a rule for records without a birth date whose equal parts hold no birth date, NIK or phone:
    the (left, right) expressions of those parts, its blocks; [] for any other rule."""
    keys = []
    for part in (part.strip() for part in _top_level(rule, " AND ")):
        sides = part.split(" = ")
        if len(sides) == 2 and "r." not in sides[0] and "l." not in sides[1] and "l." in sides[0]:
            keys.append((sides[0], sides[1]))
    return [] if "dob IS NULL" not in rule or any(_FINE_KEY.search(a) for a, _ in keys) else keys


def blocking_joins(rules: Sequence[str], shared_keys: Sequence[str] = SHARED_BLOCKING_KEYS, *,
                   bounded: bool = False) -> list[tuple[str, list[tuple[int, str]]]]:
    """The joins that make the blocked pairs of `rules`: (join condition, [(rule number, the rule's other
    parts, or TRUE)]), one join per shared key the rules hold whole, one per other rule (`bounded`: and
    one per rule of bounded_keys, whose blocks are counted on its own equal parts)."""
    joins: dict[str, list[tuple[int, str]]] = {}
    for k, rule in enumerate(rules):
        parts = [part.strip() for part in _top_level(rule, " AND ")]
        for key in (shared_keys if not (bounded and bounded_keys(rule)) else ()):
            key_parts = [part.strip() for part in _top_level(key, " AND ")]
            if all(part in parts for part in key_parts):
                rest = [part for part in parts if part not in key_parts]
                joins.setdefault(key, []).append((k, " AND ".join(rest) or "TRUE"))
                break
        else:
            joins.setdefault(rule, []).append((k, "TRUE"))
    return list(joins.items())


def blocked_pairs_sql(tables: Sequence[str], link_type: str, rules: Sequence[str] | None = None, *,
                      shared_keys: Sequence[str] = SHARED_BLOCKING_KEYS, max_block_pairs: int | None = None) -> str:
    """Splink's blocked id pairs (match_key, join_key_l, join_key_r) of model.blocking_rules, made more cheaply.

    Splink joins once per rule over two materialised copies of the lists, and keeps a pair at the first
    rule it satisfies by testing every earlier rule again on each joined pair ("AND NOT (coalesce(rule 0,
    false) OR ...)"), its join keys written out for every row: with 21 rules, 0,41 CPU-s at 10.000 x
    100.000. The same set: the rules' joins on the prepared tables themselves (blocking_joins: a rule's
    own ON condition, or a key it shares with other rules and then its other parts), the pair kept once
    with the smallest rule number that joined it; the join keys are written for the kept pairs alone. Record
    ids are unique in a list (columns.py), so a rule joins a pair at most once. Tests compare the rows
    with Splink's own statement (compiled.py). `shared_keys` () gives every rule its own join.
    With `max_block_pairs` (not Splink's): a rule of bounded_keys skips its blocks of more than that many
    pairs (left records x right records)."""
    rules = model.blocking_rules(link_type) if rules is None else rules
    left, right = tables[0], tables[-1]
    dedupe = link_type == "dedupe_only"
    selects, bounds = [], []
    for on, members in blocking_joins(rules, shared_keys, bounded=max_block_pairs is not None):
        conditions = [rest for _, rest in members]
        rule = (str(members[0][0]) if "TRUE" == conditions[0] else
                "CASE " + " ".join(f"WHEN {rest} THEN {k}" for k, rest in members) + " END")
        where = [*(["l.unique_id < r.unique_id"] if dedupe else []),
                 *([] if "TRUE" in conditions else [" OR ".join(f"({rest})" for rest in conditions)])]
        records = left
        keys = bounded_keys(on) if max_block_pairs is not None and len(members) == 1 else []
        if keys:
            bounds.append(_big_blocks_sql(f"big_blocks_{members[0][0]}", keys, left, right, max_block_pairs))
            on_big = " AND ".join(f"b.k{i} = {a}" for i, (a, _) in enumerate(keys))
            records = f"(SELECT l.* FROM {left} AS l ANTI JOIN big_blocks_{members[0][0]} AS b ON {on_big})"
        selects.append(f"SELECT l.unique_id AS id_l, r.unique_id AS id_r, {rule} AS k "
                       f"FROM {records} AS l INNER JOIN {right} AS r ON ({on})"
                       + (f" WHERE {' AND '.join(f'({w})' for w in where)}" if where else ""))
    joins = "\n    UNION ALL ".join(selects)
    if dedupe:
        key_l, key_r = "id_l", "id_r"
    else:
        key_l, key_r = (f"'{_source_name(t, link_type)}-__-' || {side}"
                        for t, side in ((left, "id_l"), (right, "id_r")))
    return ((f"WITH {', '.join(bounds)}\n" if bounds else "")
            + f"SELECT CAST(min(k) AS VARCHAR) AS match_key, {key_l} AS join_key_l, {key_r} AS join_key_r\n"
            f"FROM (\n    {joins}\n)\nGROUP BY id_l, id_r")


def _big_blocks_sql(name: str, keys: Sequence[tuple[str, str]], left: str, right: str, max_pairs: int) -> str:
    """A CTE `name`(k0, k1...) of the blocks (values of the equal parts `keys`) of more than `max_pairs`
    pairs of records."""
    columns = ", ".join(f"k{i}" for i in range(len(keys)))
    counted = [f"(SELECT {', '.join(f'{side[j]} AS k{i}' for i, side in enumerate(keys))}, count(*) AS n "
               f"FROM {table} AS {alias} GROUP BY ALL)" for j, (table, alias) in enumerate(((left, "l"), (right, "r")))]
    return (f"{name} AS (SELECT {columns} FROM {counted[0]} AS lb JOIN {counted[1]} AS rb USING ({columns}) "
            f"WHERE lb.n * rb.n > {int(max_pairs)})")


def _vector_pipeline(linker, blocked, tables: Sequence[str] = ()):
    """Splink's SQL from blocked id pairs to comparison vectors, keeping only ids and gammas; on DuckDB,
    a list against a registry reads each side's records from its own table (_records_by_id)."""
    from splink.internals.comparison_vector_values import compute_comparison_vector_values_from_id_pairs_sqls
    from splink.internals.input_column import InputColumn
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.settings import Settings
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    settings, info = linker._settings_obj, linker._settings_obj.column_info_settings
    pipeline = CTEPipeline([blocked])
    enqueue_df_concat_with_tf(linker, pipeline)
    dialect = "spark" if linker._sql_dialect_str == "spark" else "duckdb"
    # Splink takes the shared parts' columns for input columns: they are made here instead (_with_shared_parts).
    # Sorted: Splink lists them in a set's order, which changes from one process to the next (compiled.py).
    from_records = sorted(c for c in settings._columns_to_select_for_blocking
                          if not any(re.search(rf"\.[`\"]?{n}\b", c) for n in SHARED_PARTS))
    narrow = Settings.columns_to_select_for_comparison_vector_values(
        unique_id_input_columns=info.unique_id_input_columns, comparisons=settings.core_model_settings.comparisons,
        retain_matching_columns=False, additional_columns_to_retain=[
            # the name key the name-frequency adjustment joins on (name_frequencies)
            InputColumn(model.TF_COLUMN, column_info_settings=info, sqlglot_dialect_str=linker._sql_dialect_str)])
    sqls = _with_shared_parts(compute_comparison_vector_values_from_id_pairs_sqls(
        from_records, narrow, input_tablename_l="__splink__df_concat_with_tf",
        input_tablename_r="__splink__df_concat_with_tf", source_dataset_input_column=info.source_dataset_input_column,
        unique_id_input_column=info.unique_id_input_column, link_type=settings._link_type,
        sql_dialect_str=linker._sql_dialect_str),
        dialect, used=len(from_records) < len(settings._columns_to_select_for_blocking))
    if dialect == "duckdb" and settings._link_type == "link_only" and len(tables) == 2:
        sqls = [_records_by_id(from_records, tables) if sql["output_table_name"] == "blocked_with_cols" else sql
                for sql in sqls]
    pipeline.enqueue_list_of_sqls(sqls)
    return pipeline


def _records_by_id(columns: Sequence[str], tables: Sequence[str]) -> dict:
    """Splink's blocked_with_cols for a list against a registry, the same rows read more cheaply.

    Splink joins each blocked pair to the two lists stacked into one table (a million registry rows with
    every feature) on "<source dataset>-__-<id>" built for every row of both. Its blocking always puts
    the candidate list on the left and the registry on the right, so each side is looked up by its id in
    its own table, the registry only for the records some pair names (medium, 932.641 pairs: 0,5-1 fewer
    CPU-seconds of ~7, and less to spill). Tests compare the comparison vectors with Splink's own SQL.

    The pairs are not filtered on their source prefix (run.blocked_pairs_sql writes every pair so): with
    that filter DuckDB guessed the pairs 25 times fewer than they are, hashed them and probed with the
    candidate list, one row group, so the whole comparison ran on one thread (dense medium, 4,9 million
    pairs: 40 s on two threads; without it the candidates are hashed and the pairs, many row groups,
    probe on both threads)."""
    left, right = (_source_name(t, "link_only") for t in tables)
    prefix_l, prefix_r = f"{left}-__-", f"{right}-__-"
    selected = ",\n".join([*columns, "b.match_key"])
    sql = f"""
    WITH b AS (
        SELECT substr(join_key_l, {len(prefix_l) + 1}) AS id_l, substr(join_key_r, {len(prefix_r) + 1}) AS id_r,
            match_key
        FROM __splink__blocked_id_pairs)
    SELECT {selected}
    FROM b
    INNER JOIN (SELECT '{left}' AS source_dataset, * FROM {tables[0]}) AS l ON l.unique_id = b.id_l
    INNER JOIN (SELECT '{right}' AS source_dataset, * FROM {tables[1]}
                WHERE unique_id IN (SELECT id_r FROM b)) AS r ON r.unique_id = b.id_r"""
    return {"sql": sql, "output_table_name": "blocked_with_cols"}


def _source_name(table: str, link_type: str) -> str:
    """The name a prepared table is registered under with Splink: its rows' source_dataset."""
    return f"{table}_{link_type}"


# The dearest parts of the comparisons are asked several times per pair by model.py's levels: the name
# similarity token by token (model._tokens_close: Jaro-Winkler of every word of one name with every word
# of the other, in DuckDB lambdas) up to a dozen times (NAME_AGREES inside five NIK levels, the name's own
# levels, the three sibling levels), the NIKs' edit distance up to three times. Each is worked out once
# per pair into a column (lindung-side only: model.py keeps the conditions as people read them):
# `precomputed` puts the column in place of the expression, and the comparison pipeline computes it
# between Splink's blocked_with_cols and the comparison vectors. The same expression evaluated once
# gives the same three-valued result (NULLs included), so the same gammas (tests compare them).
def shared_parts(dialect: str = "duckdb") -> dict[str, str]:
    """Column name -> the model's expression it stands for, in `dialect`."""
    close = {f"name_close_{a}{b}": model.in_dialect(model._tokens_close(f"nama_tokens_{a}", f"nama_tokens_{b}",
                                                                       model.TOKEN_SIMILARITY), dialect)
             for a, b in (("l", "r"), ("r", "l"))}
    return {**close, "nik_edits": "levenshtein(nik_loose_l, nik_loose_r)"}


SHARED_PARTS = tuple(shared_parts())
_NOT_PART_OF_A_NAME = r"(?<![\w.])"  # levenshtein(...) but not damerau_levenshtein(...)


def precomputed(settings: dict, dialect: str = "duckdb") -> dict:
    """The settings with each level's shared parts (shared_parts) replaced by their columns."""
    parts = [(re.compile(_NOT_PART_OF_A_NAME + re.escape(expression)), column)
             for column, expression in shared_parts(dialect).items()]
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            for pattern, column in parts:
                level["sql_condition"] = pattern.sub(column, level["sql_condition"])
    return settings


def _with_shared_parts(sqls: list[dict], dialect: str, *, used: bool) -> list[dict]:
    """Splink's steps from blocked pairs to comparison vectors, with one step between the two that
    adds the shared parts' columns (when the settings use them)."""
    if not used:
        return sqls
    *before, vectors = sqls
    assert before[-1]["output_table_name"] == "blocked_with_cols" and "from blocked_with_cols" in vectors["sql"]
    columns = ", ".join(f"{expression} AS {column}" for column, expression in shared_parts(dialect).items())
    return [*before, {"sql": f"SELECT *, {columns} FROM blocked_with_cols", "output_table_name": "blocked_with_parts"},
            {**vectors, "sql": vectors["sql"].replace("from blocked_with_cols", "from blocked_with_parts")}]


def parameters_for(con, link_type: str) -> str:
    """The key of model.PARAMETERS for this run: the *_tanpa_nik set when fewer than
    model.NO_NIK_SHARE of the candidate list's records carry a valid NIK."""
    with_nik = con.execute("SELECT count(nik) / greatest(count(*), 1) FROM prep_kandidat").fetchone()[0]
    no_nik = link_type + model.NO_NIK_SUFFIX
    return no_nik if with_nik < model.NO_NIK_SHARE and no_nik in model.PARAMETERS else link_type


class _Folded:
    """Spark's compared pairs with model.folded_levels applied (what _predict reads of a SplinkDataFrame)."""

    def __init__(self, predictions, frame):
        self.predictions, self.frame = predictions, frame

    def as_spark_dataframe(self):
        return self.frame

    def drop_table_from_database_and_remove_from_cache(self, force_non_splink_table: bool = False) -> None:
        self.predictions.drop_table_from_database_and_remove_from_cache(force_non_splink_table=force_non_splink_table)


def _folded(con, predictions, parameter_set: str, spark):
    """The compared pairs with each level model.folded_levels names for `parameter_set` read as the other."""
    cases = {f"gamma_{field}": "CASE " + " ".join(f"WHEN gamma_{field} = {_gammas(field, [code])[0]} THEN "
                                                  f"{_gammas(field, [read_as])[0]}" for code, read_as in folds.items())
             + f" ELSE gamma_{field} END" for field, folds in model.folded_levels(parameter_set).items()}
    if not cases:
        return predictions
    if spark is None:
        con.execute(f"UPDATE {predictions.physical_name} SET " + ", ".join(f"{c} = {e}" for c, e in cases.items()))
        return predictions
    from pyspark.sql import functions as F

    frame = predictions.as_spark_dataframe()
    for column, expression in cases.items():
        frame = frame.withColumn(column, F.expr(expression))
    return _Folded(predictions, frame)


def _patterns(con, predictions, gammas: list[str], spark, where: str = "TRUE") -> list[tuple[tuple[int, ...], int]]:
    """(gammas, number of blocked pairs) for each distinct pattern of comparison levels, of the pairs
    `where` (SQL) holds for."""
    if spark is None:
        rows = con.execute(f"SELECT {', '.join(gammas)}, count(*) FROM {predictions.physical_name} "
                           f"WHERE {where} GROUP BY ALL").fetchall()
    else:
        from pyspark.sql import functions as F

        frame = predictions.as_spark_dataframe().where(F.expr(where))
        rows = [tuple(r) for r in frame.groupBy(*gammas).count().collect()]
    # Sorted: EM sums over the patterns, and a fixed order gives the same floating-point sums every run.
    return sorted((tuple(int(g) for g in row[:-1]), int(row[-1])) for row in rows)


def _step_aside() -> dict[str, set[int]]:
    result: dict[str, set[int]] = {}
    for comparison in model.COMPARISONS:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        result[comparison["output_column_name"]] = {len(levels) - 1 - i for i, lv in enumerate(levels)
                                                    if lv["label_for_charts"] in model.STEP_ASIDE}
    return result


MATCH_KEY = "CAST(match_key AS INT)"  # the number of the first blocking rule that joined a pair


def _score_sql(fitted: em.Fit, added_prior: float | None = None) -> str:
    """Match probability from a pair's gammas with the fitted weights and the name's term-frequency
    adjustment `tf_adj` (name_frequencies), in SQL valid in DuckDB and Spark; with `added_prior`, the
    pairs of model.DEDUPE_BLOCKING_RULES alone start from that prior instead of the fitted one."""
    terms = [f"CASE gamma_{f} " + " ".join(f"WHEN {g} THEN {w!r}" for g, w in sorted(weights.items())) + " ELSE 0 END"
             for f, weights in fitted.weights.items()]
    tf_gammas = ", ".join(str(g) for g in _gammas("nama", model.TF_LEVELS))
    terms.append(f"CASE WHEN gamma_nama IN ({tf_gammas}) THEN coalesce(tf_adj, 0) ELSE 0 END")
    prior = repr(_log2_odds(fitted.prior))
    if added_prior is not None:
        prior = (f"CASE WHEN {MATCH_KEY} >= {len(model.BLOCKING_RULES)} THEN {_log2_odds(added_prior)!r} "
                 f"ELSE {prior} END")
    return f"1 / (1 + pow(2, -({prior} + {' + '.join(terms)})))"


def _gammas(field: str, labels: Sequence[str]) -> list[int]:
    levels = [lv for lv in _COMPARISON[field]["comparison_levels"] if not lv.get("is_null_level")]
    return [len(levels) - 1 - i for i, lv in enumerate(levels) if lv["label_for_charts"] in labels]


_COMPARISON = {c["output_column_name"]: c for c in model.COMPARISONS}


def name_frequencies(con, tables: list[str], link_type: str) -> str:
    """A table (tf_value, tf_adj): per name key in the lists matched, the bits its exact agreement
    gains or loses against the level's average, model.TF_WEIGHT * log2(sum f^2 / f), capped at
    +-model.TF_CAP; all 0 when the lists hold fewer than model.TF_MIN_RECORDS names."""
    name = f"tf_{link_type}"
    values = " UNION ALL ".join(f"SELECT {model.TF_COLUMN} AS v FROM {t}" for t in dict.fromkeys(tables))
    weight, cap = model.TF_WEIGHT, model.TF_CAP
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {name} AS
        WITH counts AS (SELECT v, count(*)::DOUBLE AS n FROM ({values}) WHERE v IS NOT NULL GROUP BY v),
        totals AS (SELECT sum(n) AS total, sum(n * n) AS squares FROM counts)
        SELECT v AS tf_value, CASE WHEN total < {model.TF_MIN_RECORDS} THEN 0.0
            ELSE greatest(least({weight!r} * log2(squares / total / n), {cap!r}), -{cap!r}) END AS tf_adj
        FROM counts, totals""")
    return name


PLACEHOLDER_PRIOR = 1e-4


def _log2_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _linker(con, tables: list[str], link_type: str, spark):
    """A Splink linker on DuckDB (the prepared tables in place) or on Spark (handed over as Arrow)."""
    import logging  # here, not at the top: a DuckDB run never needs it (a hundredth of a CPU-second)

    from splink import Linker

    if spark is None:
        from splink import DuckDBAPI

        db_api, dialect = DuckDBAPI(connection=con), "duckdb"
        frames = [db_api.register(t, table_name=_source_name(t, link_type)) for t in tables]
        count = lambda frame: _count(con, frame.physical_name)  # noqa: E731
    else:
        from splink import SparkAPI

        db_api, dialect = SparkAPI(spark_session=spark), "spark"
        for t in tables:  # an earlier run on this session left its lists registered under the same names
            spark.catalog.dropTempView(_source_name(t, link_type))
        frames = [db_api.register(spark.createDataFrame(con.sql(f"SELECT * FROM {t}").to_arrow_table()),
                                  table_name=_source_name(t, link_type)) for t in tables]
        count = lambda frame: frame.as_spark_dataframe().count()  # noqa: E731
    settings = cheap_first(precomputed(model.settings(link_type, prior=PLACEHOLDER_PRIOR, dialect=dialect), dialect))
    # The settings are tested as values (tests/test_model.py); Splink's own validation only costs time.
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.WARNING,
                    validate_settings=False)
    return linker, count


# DuckDB evaluates the parts of an AND left to right, each on the rows the earlier parts kept: an
# expensive test after a cheap one that rules out most pairs runs on few pairs. model.py writes its
# conditions for people to read ("the names agree AND the birth dates are equal"); cheap_first puts
# the cheap parts of every AND first. AND is commutative in SQL (NULLs included), so gammas stay the
# same; tests compare them on generated lists. Cost of a part: the dearest function it calls.
_COSTS = (("lambda", 4), ("damerau_levenshtein", 3), ("levenshtein", 2), ("jaro_winkler", 2), ("list_", 2))
_KEYWORDS_LEFT_ALONE = re.compile(r"\b(BETWEEN|CASE)\b", re.IGNORECASE)


def _cost(sql: str) -> int:
    return max((cost for name, cost in _COSTS if name in sql), default=1 if "(" in sql else 0)


def _top_level(sql: str, word: str) -> list[str]:
    """`sql` split at `word` (" AND ", " OR ") outside parentheses and quotes."""
    if word not in sql:  # most parts of most levels: nothing to split
        return [sql]
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(sql):
        ch = sql[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        elif not quoted and depth == 0 and sql.startswith(word, i):
            parts.append(sql[start:i])
            start = i = i + len(word)
            continue
        i += 1
    return [*parts, sql[start:]]


def _wrapped(sql: str) -> bool:
    """True when one pair of parentheses encloses the whole of `sql`."""
    if not (sql.startswith("(") and sql.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(sql):
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        if depth == 0 and i < len(sql) - 1:
            return False
    return True


@lru_cache(maxsize=1024)  # the same parts recur in many levels and in both stages' settings
def _reordered(sql: str) -> str:
    sql = sql.strip()
    if _wrapped(sql):
        return f"({_reordered(sql[1:-1])})"
    ors = _top_level(sql, " OR ")
    if len(ors) > 1:
        return " OR ".join(_reordered(part) for part in ors)
    ands = _top_level(sql, " AND ")
    if len(ands) > 1:
        return " AND ".join(sorted((_reordered(part) for part in ands), key=_cost))
    if sql.startswith("NOT (") and _wrapped(sql[4:]):
        return f"NOT {_reordered(sql[4:])}"
    return sql


def cheap_first(settings: dict) -> dict:
    """The settings with the same conditions, the cheap parts of each AND first (see _COSTS)."""
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"]
            if condition != "ELSE" and "'" not in condition and not _KEYWORDS_LEFT_ALONE.search(condition):
                level["sql_condition"] = _reordered(condition)
    return settings


def _count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


PRIOR_PSEUDO_PAIRS = (1, 20)  # one true pair in twenty blocked pairs until the data says otherwise


def prior(con, tables: list[str], blocked: int) -> float:
    """P(one person) for a pair: pairs agreeing on the full NIK, over their usual share of true pairs
    (EXACT_NIK_RECALL), divided by the pairs the parameters speak of (model.PARAMETER_BASIS: all pairs,
    or the blocked ones). Pseudo-counts keep a short list (a desa's ten names, nobody sharing a NIK)
    from an estimate of zero."""
    if len(tables) == 2:
        exact = _count(con, f"{tables[0]} l JOIN {tables[1]} r ON l.nik = r.nik")
        everything = _count(con, tables[0]) * _count(con, tables[1])
    else:
        exact = con.execute(f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM {tables[0]} "
                            "WHERE nik IS NOT NULL GROUP BY nik)").fetchall()[0][0]
        n = _count(con, tables[0])
        everything = n * (n - 1) // 2
    pairs = blocked if model.PARAMETER_BASIS == "blocked" else everything
    true_pairs, pseudo = PRIOR_PSEUDO_PAIRS
    return min(max((exact / EXACT_NIK_RECALL + true_pairs) / (pairs + pseudo), 1e-9), 0.9)


def _pair(row: tuple, link_type: str, match: float) -> Pair:
    left, right, score, *gammas = row
    if link_type == "dedupe_only" and str(right) < str(left):
        left, right = right, left
    evidence = {field: _level_code(field, g) for field, g in zip(EVIDENCE_FIELDS, gammas)}
    band = MATCH if score >= match and not _other_sex(evidence) else POSSIBLE
    return Pair(str(left), str(right), round(float(score), 6), band, evidence)


def _level_code(field: str, gamma: int) -> str:
    """Gamma -1 is the null level; otherwise levels are counted down from the first non-null one."""
    return "kosong" if gamma == -1 else _LEVEL_CODES[field][gamma]


def _level_codes(comparison: dict) -> dict[int, str]:
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    return {len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)}


# Worked out once: every pair of every run looks its evidence up here.
_LEVEL_CODES = {c["output_column_name"]: _level_codes(c) for c in model.COMPARISONS}


def components(edges) -> list[list]:
    """Connected components of an edge list (union-find), each sorted, ordered by their smallest member."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


MAX_CLUSTER = 10  # more records than this as one person is a chain of look-alikes, not a person
CLUSTER_NOTE = "klaster"  # evidence key of a sure pair sent to review because of its cluster


OTHER_SEX = "kelamin_beda"  # CLUSTER_NOTE of a sure pair that would join boy/girl twins in one cluster


def _other_sex(evidence: dict[str, str]) -> bool:
    """Each record's sex agrees with its own NIK and the two differ: boy/girl twins, a brother and a
    sister, never one person acted on without a reviewer, whatever the rest says (issue 13)."""
    return evidence.get("jenis_kelamin") == "beda_sesuai_nik"


def bounded_clusters(pairs: Sequence[Pair], niks: dict[str, str], max_size: int = MAX_CLUSTER) -> list[Pair]:
    """Sure pairs joined strongest first (Kruskal): a pair that would make a cluster of more than
    `max_size` records, or put two different valid NIKs (not one_nik: more than a keystroke apart) in one
    cluster of three or more records, or two records of another sex each by its own NIK (boy/girl twins:
    their NIKs are one digit apart, the day + 40), goes to review instead (band possible, evidence
    klaster). Transitive chains of look-alikes (twins, namesakes in a dense kecamatan) so never act as
    one person; a lone pair whose NIKs differ by a typo was compared directly and keeps its band.
    `niks`: record id -> valid NIK."""
    parent: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    nik_sets: dict[str, frozenset] = {}
    apart = {frozenset((p.left, p.right)) for p in pairs if _other_sex(p.evidence)}

    def find(x: str) -> str:
        if x not in parent:
            parent[x], members[x] = x, [x]
            nik_sets[x] = frozenset([niks[x]]) if x in niks else frozenset()
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    result = []
    for pair in sorted(pairs, key=lambda p: (-p.score, p.left, p.right)):
        if pair.band != MATCH:
            result.append(pair)
            continue
        a, b = find(pair.left), find(pair.right)
        if a == b:
            result.append(pair)
            continue
        size, joined = len(members[a]) + len(members[b]), nik_sets[a] | nik_sets[b]
        twins = bool(apart) and any(frozenset((x, y)) in apart for x in members[a] for y in members[b])
        reason = ("terlalu_besar" if size > max_size else "nik_berbeda" if size > 2 and not one_nik(joined)
                  else OTHER_SEX if twins else None)
        if reason:
            result.append(Pair(pair.left, pair.right, pair.score, POSSIBLE, {**pair.evidence, CLUSTER_NOTE: reason}))
            continue
        parent[max(a, b)] = min(a, b)
        members[min(a, b)], nik_sets[min(a, b)] = members[a] + members[b], joined
        result.append(pair)
    return result


IN_CLUSTER = "segitiga"  # CLUSTER_NOTE of a pair made sure by its cluster (promoted_in_clusters)


def promoted_in_clusters(pairs: Sequence[Pair]) -> list[Pair]:
    """A possible pair whose two records are already in one sure cluster (bounded_clusters' output: at most
    ten records, one NIK) is a match too, with evidence klaster segitiga: the application acts on the
    cluster as one person (linkage.duplicates groups sure pairs by connected components), so the pair is
    decided already, and a reviewer could not split the group by deciding it alone. The clusters do not
    change. Not a pair whose sexes differ each with its own NIK (never one person acted on; _pair), nor
    one bounded_clusters held back (its records are in two clusters anyway). Training sets: dedup F1 up
    0,000-0,010, no look-alike more than one a seed (bench/matching/README.md, eighth round)."""
    cluster_of = clusters(pairs)
    result = []
    for pair in pairs:
        cluster = cluster_of.get(pair.left)
        if (pair.band == POSSIBLE and cluster is not None and cluster_of.get(pair.right) == cluster
                and CLUSTER_NOTE not in pair.evidence and not _other_sex(pair.evidence)):
            pair = Pair(pair.left, pair.right, pair.score, MATCH, {**pair.evidence, CLUSTER_NOTE: IN_CLUSTER})
        result.append(pair)
    return result


OTHER_RECORD = "rujukan_lain"  # CLUSTER_NOTE of a sure link held back: the candidate has a better one
SAME_RECORD = "rujukan_sama"  # CLUSTER_NOTE of a pair made sure by its one registry record (promoted_by_registry)
# Every CLUSTER_NOTE a pair can carry (lindung.linkage.evidence says each in words).
CLUSTER_NOTES = ("terlalu_besar", "nik_berbeda", OTHER_SEX, IN_CLUSTER, OTHER_RECORD, SAME_RECORD)
SAME_RECORD_LINK = 0.99  # both links at least this sure (training: 0,9 let in 7 look-alikes to 40 true pairs)


def promoted_by_registry(duplicates: Sequence[Pair], links: Sequence[Pair], niks: dict[str, str]) -> list[Pair]:
    """A possible duplicate pair whose two candidates each have an acting link (one_registry_record's
    output, band match) of at least SAME_RECORD_LINK to the same registry record is a match too, with
    evidence klaster rujukan_sama: a registry record is one person, and the run already acts on both
    candidates as that person. Never a pair whose sexes differ each with its own NIK; two valid NIKs that
    are not one NIK typed wrong (one_nik; `niks`: record id -> valid NIK), two people both linked to a
    registry record without a NIK, are held back for a person (klaster nik_berbeda), as bounded_clusters
    would hold them. A promoted pair then goes through bounded_clusters like any sure pair. Training dense
    medium seed 21: 34 true duplicates promoted, 1 look-alike (small seeds 11-12: 6 and 3, none);
    bench/matching/README.md, tenth round."""
    record_of = {p.left: p.right for p in links if p.band == MATCH and p.score >= SAME_RECORD_LINK}

    def decided(p: Pair) -> Pair:
        if (p.band != POSSIBLE or CLUSTER_NOTE in p.evidence or _other_sex(p.evidence)
                or record_of.get(p.left) is None or record_of.get(p.left) != record_of.get(p.right)):
            return p
        if not one_nik(frozenset(niks[x] for x in (p.left, p.right) if x in niks)):
            return Pair(p.left, p.right, p.score, POSSIBLE, {**p.evidence, CLUSTER_NOTE: "nik_berbeda"})
        return Pair(p.left, p.right, p.score, MATCH, {**p.evidence, CLUSTER_NOTE: SAME_RECORD})

    return [decided(p) for p in duplicates]


def one_registry_record(links: Sequence[Pair]) -> list[Pair]:
    """A candidate is one person: of its sure links only the best-scoring acts (several at one score, a
    registry listing one person twice, all act); the others go to review (band possible, evidence klaster
    rujukan_lain): a namesake or a twin in the registry (training seeds 11-13: 7-17 candidates a seed
    had several, the lower ones true for 0-5 of them)."""
    best: dict[str, float] = {}
    for pair in links:
        if pair.band == MATCH:
            best[pair.left] = max(best.get(pair.left, 0.0), pair.score)
    return [pair if pair.band != MATCH or pair.score >= best[pair.left] else
            Pair(pair.left, pair.right, pair.score, POSSIBLE, {**pair.evidence, CLUSTER_NOTE: OTHER_RECORD})
            for pair in links]


def one_nik(niks: frozenset) -> bool:
    """True when the valid NIKs are one NIK, some written with one keystroke wrong: every two differ in
    one digit or by two adjacent digits swapped, and in the serial only by a typo two people registered
    that day cannot have (_serial_typo). Two NIKs of one region and birth date whose serials differ
    otherwise are two people registered that day in that kecamatan (a twin, a namesake: serials 0001-0009
    are one keystroke apart), so such a cluster goes to review (issue 13: a cluster with different valid
    NIKs is never acted on whole)."""
    return all(_one_keystroke(a, b) for a in niks for b in niks if a < b)


def _one_keystroke(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if a[:12] == b[:12]:
        return _serial_typo(a, b, diff)
    swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    return swapped or len(diff) == 1


def _serial_typo(a: str, b: str, diff: list[int]) -> bool:
    """Two serials of one region and birth date that one keystroke cannot make from two people registered
    that day: one digit wrong in the thousands or hundreds (0021 / 8021, 0001 / 0201: a kecamatan registers
    a few people a day, not hundreds), or the last digit zeroed by Excel (15 significant digits: 0067 /
    0060). The next serial (0021 / 0022) and any other digit (0003 / 0007, 0021 / 0071) stay two people
    (training seeds 11-13: a third of the duplicates still held back were such typos, no look-alike;
    bench/matching/README.md, eighth round)."""
    if len(diff) != 1 or not (a[12:].isdigit() and b[12:].isdigit()) or abs(int(a[12:]) - int(b[12:])) == 1:
        return False
    return diff[0] < 14 or (diff[0] == 15 and "0" in (a[15], b[15]))


def clusters(pairs: Sequence[Pair]) -> dict[str, str]:
    """Record id -> cluster id (the smallest id in it), over pairs in the match band."""
    groups = components((p.left, p.right) for p in pairs if p.band == MATCH)
    return {member: group[0] for group in groups for member in group}


def match_files(kandidat: str | Path, registri: str | Path | None = None, **kwargs) -> MatchResult:
    return match_records(Path(kandidat), Path(registri) if registri else None, **kwargs)


def write_outputs(result: MatchResult, out: str | Path) -> dict[str, Path]:
    """DIR/links.csv (candidate_id,registry_id,score) and DIR/duplicates.csv (id_a,id_b,score) of the
    pairs decided to be one person, and DIR/tinjau.csv of the possible matches left to a reviewer."""
    from lindung.lib import sheets

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {"links": out / "links.csv", "duplicates": out / "duplicates.csv", "tinjau": out / "tinjau.csv"}
    sure = [("links", ("candidate_id", "registry_id", "score"), result.links),
            ("duplicates", ("id_a", "id_b", "score"), result.duplicates)]
    for key, header, pairs in sure:
        with files[key].open("w", newline="", encoding="utf-8") as handle:
            writer = sheets.csv_writer(handle)
            writer.writerow(header)
            writer.writerows((p.left, p.right, f"{p.score:.6f}") for p in pairs if p.band == MATCH)
    with files["tinjau"].open("w", newline="", encoding="utf-8") as handle:
        writer = sheets.csv_writer(handle)
        fields = (*EVIDENCE_FIELDS, CLUSTER_NOTE)  # klaster: a sure pair held back by bounded_clusters
        writer.writerow(("jenis", "id_a", "id_b", "score", *fields))
        for kind, pairs in (("link", result.links), ("duplikat", result.duplicates)):
            writer.writerows((kind, p.left, p.right, f"{p.score:.6f}", *(p.evidence.get(f, "") for f in fields))
                             for p in pairs if p.band == POSSIBLE)
    return files
