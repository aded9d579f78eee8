"""Two baseline matchers writing what `lindung match` writes: OUT/links.csv and OUT/duplicates.csv.

    .venv/bin/python bench/matching/baselines.py exact  --kandidat K.parquet --registri R.parquet --out DIR
    .venv/bin/python bench/matching/baselines.py splink --kandidat K.parquet --registri R.parquet --out DIR

exact   records match when their NIKs, reduced to digits, are the same 16 digits.
splink  a generic Splink 5 (DuckDB) model set up the way the Splink tutorials do it, with no
        Indonesian knowledge: light generic cleaning (lower case, punctuation out, dates parsed
        from the three formats of the column contract, sex to L/P, phone digits), out-of-the-box
        comparisons, blocking on NIK, birth date and name, u by random sampling, m by EM over two
        blocking rules, predictions at match probability >= 0.9. One model links kandidat to
        registri (link_only), another deduplicates kandidat (dedupe_only).

links.csv: candidate_id,registry_id,score; duplicates.csv: id_a,id_b,score with id_a < id_b.
Input files are parquet or CSV with the columns of lindung/matching/columns.py.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import duckdb

MATCH_PROBABILITY = 0.9
U_MAX_PAIRS = 1e7
SEED = 42


CONTRACT = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu", "desa", "kecamatan", "kabupaten", "no_hp")


def read_sql(path: Path) -> str:
    """The file as a relation with every contract column (a column the file lacks, such as the NIK of a
    list without one, is NULL)."""
    path = str(path).replace("'", "''")
    source = f"read_csv('{path}', all_varchar = true)" if path.endswith(".csv") else f"read_parquet('{path}')"
    present = {row[0] for row in duckdb.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in CONTRACT if c not in present)
    return f"(SELECT *{', ' + missing if missing else ''} FROM {source})"


def nik_digits_sql(column: str = "nik") -> str:
    return f"regexp_replace(coalesce(CAST({column} AS VARCHAR), ''), '[^0-9]', '', 'g')"


def write_outputs(con, links_sql: str, duplicates_sql: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({links_sql} ORDER BY 1, 2) TO '{out / 'links.csv'}' (HEADER, DELIMITER ',')")
    con.execute(f"COPY ({duplicates_sql} ORDER BY 1, 2) TO '{out / 'duplicates.csv'}' (HEADER, DELIMITER ',')")


# --- exact NIK ---------------------------------------------------------------------------------------
def run_exact(kandidat: Path, registri: Path | None, out: Path) -> None:
    con = duckdb.connect()
    for name, path in (("k", kandidat), ("r", registri or kandidat)):
        con.execute(f"""CREATE TABLE {name} AS
            SELECT CAST(id AS VARCHAR) AS id, {nik_digits_sql()} AS nik16 FROM {read_sql(path)}""")
        con.execute(f"DELETE FROM {name} WHERE length(nik16) <> 16")
    if registri is None:
        con.execute("DELETE FROM r")
    write_outputs(
        con,
        "SELECT k.id AS candidate_id, r.id AS registry_id, 1.0 AS score FROM k JOIN r USING (nik16)",
        "SELECT a.id AS id_a, b.id AS id_b, 1.0 AS score FROM k a JOIN k b ON a.nik16 = b.nik16 AND a.id < b.id",
        out,
    )


# --- generic Splink ------------------------------------------------------------------------------------
def clean_name_sql(column: str) -> str:
    """Lower case, letters and spaces only, single spaces: what a generic tutorial pipeline does."""
    letters = f"regexp_replace(lower(coalesce({column}, '')), '[^a-z ]', ' ', 'g')"
    return f"nullif(trim(regexp_replace({letters}, '\\s+', ' ', 'g')), '')"


def prepare_sql(path: Path) -> str:
    date = "nullif(trim(tanggal_lahir), '')"
    return f"""
        SELECT CAST(id AS VARCHAR) AS id,
               CASE WHEN length({nik_digits_sql()}) = 16 THEN {nik_digits_sql()} END AS nik,
               {clean_name_sql('nama')} AS nama,
               split_part({clean_name_sql('nama')}, ' ', 1) AS first_name,
               nullif(regexp_extract({clean_name_sql('nama')}, '([a-z]+)$', 1), '') AS last_name,
               coalesce(try_strptime({date}, '%Y-%m-%d'), try_strptime({date}, '%d-%m-%Y'),
                        try_strptime({date}, '%d/%m/%Y'))::DATE AS dob,
               CASE WHEN upper(trim(jenis_kelamin)) IN ('L', 'LAKI-LAKI', 'LAKI LAKI', 'M') THEN 'L'
                    WHEN upper(trim(jenis_kelamin)) IN ('P', 'PEREMPUAN', 'F', 'W') THEN 'P' END AS jenis_kelamin,
               {clean_name_sql('nama_ibu')} AS nama_ibu,
               nullif(lower(trim(CAST(desa AS VARCHAR))), '') AS desa,
               nullif(lower(trim(CAST(kecamatan AS VARCHAR))), '') AS kecamatan,
               nullif(regexp_replace(coalesce(CAST(no_hp AS VARCHAR), ''), '[^0-9]', '', 'g'), '') AS no_hp
        FROM {read_sql(path)}"""


def splink_settings(link_type: str):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="id",
        comparisons=[
            cl.NameComparison("nama").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.ExactMatch("nik"),
            cl.ExactMatch("jenis_kelamin"),
            cl.JaroWinklerAtThresholds("nama_ibu", [0.9, 0.7]),
            cl.ExactMatch("kecamatan").configure(term_frequency_adjustments=True),
            cl.ExactMatch("desa").configure(term_frequency_adjustments=True),
            cl.ExactMatch("no_hp"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("dob"),
            block_on("first_name", "last_name"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def train_and_predict(linker, label: str, has_nik: bool = True):
    from splink import block_on

    started = time.perf_counter()
    # A list without NIKs (FEBRL, the no-nik variant) cannot train on the NIK: such steps are skipped, as a
    # tutorial user would drop them, and the rest trains as usual.
    steps = [
        lambda: linker.training.estimate_probability_two_random_records_match(
            [block_on("nik", "dob"), block_on("nama", "dob", "nama_ibu")], recall=0.7),
        lambda: linker.training.estimate_probability_two_random_records_match([block_on("nama", "dob")], recall=0.7),
        lambda: linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=SEED),
        lambda: linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik")),
        lambda: linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob")),
        lambda: linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name")),
    ]
    skip = {1, 5} if has_nik else {0, 3}
    for i, step in enumerate(steps):
        if i in skip:
            continue
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - Splink raises several kinds when a rule finds no pairs
            print(f"  splink {label}: training step {i + 1} skipped ({type(exc).__name__})", file=sys.stderr, flush=True)
    print(f"  splink {label}: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    started = time.perf_counter()
    if not linker._settings_obj._probability_two_random_records_match > 0:  # no pair found by the rules
        linker._settings_obj._probability_two_random_records_match = 1e-9
    predictions = linker.inference.predict(threshold_match_probability=MATCH_PROBABILITY)
    print(f"  splink {label}: predicted in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return predictions


def run_splink(kandidat: Path, registri: Path | None, out: Path) -> None:
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI()
    con = db_api.duckdb_con
    con.execute(f"CREATE TABLE kandidat AS {prepare_sql(kandidat)}")
    has_nik = con.execute("SELECT count(nik) FROM kandidat").fetchall()[0][0] > 0
    con.execute("CREATE TABLE links_out (candidate_id VARCHAR, registry_id VARCHAR, score DOUBLE)")
    if registri is not None:
        con.execute(f"CREATE TABLE registri AS {prepare_sql(registri)}")
        link_inputs = [db_api.register("kandidat", dataset_display_name="kandidat", table_name="k_link"),
                       db_api.register("registri", dataset_display_name="registri", table_name="r_link")]
        links = train_and_predict(Linker(link_inputs, splink_settings("link_only"), log_level=None), "link_only", has_nik)
        con.execute(f"""INSERT INTO links_out
            SELECT CASE WHEN source_dataset_l = 'kandidat' THEN id_l ELSE id_r END AS candidate_id,
                   CASE WHEN source_dataset_l = 'kandidat' THEN id_r ELSE id_l END AS registry_id,
                   round(match_probability, 6) AS score
            FROM {links.physical_name}""")

    dedupe_input = db_api.register("kandidat", dataset_display_name="kandidat", table_name="k_dedupe")
    duplicates = train_and_predict(Linker(dedupe_input, splink_settings("dedupe_only"), log_level=None),
                                   "dedupe_only", has_nik)
    con.execute(f"""CREATE TABLE duplicates_out AS
        SELECT least(id_l, id_r) AS id_a, greatest(id_l, id_r) AS id_b, round(match_probability, 6) AS score
        FROM {duplicates.physical_name}""")
    write_outputs(con, "SELECT * FROM links_out", "SELECT * FROM duplicates_out", out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("matcher", choices=("exact", "splink"))
    parser.add_argument("--kandidat", type=Path, required=True)
    parser.add_argument("--registri", type=Path, help="absent: duplicates only (FEBRL 1-3)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    run = run_exact if args.matcher == "exact" else run_splink
    run(args.kandidat, args.registri, args.out)


if __name__ == "__main__":
    main()
