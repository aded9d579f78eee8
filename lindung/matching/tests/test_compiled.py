"""Splink's SQL made once per model version (compiled.py): current, Splink's own, rebuilt on change."""

import json
from datetime import date

import duckdb
import pytest

from lindung.matching import compiled, model, run
from lindung.matching.tests.generated import generated_lists

TODAY = date(2026, 1, 1)
STAGES = {"link_only": ["prep_kandidat", "prep_registri"], "dedupe_only": ["prep_kandidat"]}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    data = generated_lists(tmp_path_factory.mktemp("lists"), seed=7, candidates=1500, registry=6000)
    con = duckdb.connect()
    run.prepare_tables(con, {"kandidat": data / "kandidat.parquet", "registri": data / "registri.parquet"},
                       ref_date=TODAY)
    yield con
    con.close()


@pytest.fixture
def nothing_built(monkeypatch):
    """The process's SQL built with Splink forgotten before and after the test."""
    monkeypatch.setattr(compiled, "_made", {})


@pytest.mark.parametrize("link_type", STAGES)
def test_the_stored_sql_is_current_and_splinks_own(prepared, link_type, nothing_built):
    """compiled_sql.json holds the SQL of the model as it is; after a change to model.py (or to the
    vectors' SQL assembly in run.py) run `python -m lindung.matching.compiled`."""
    tables = STAGES[link_type]
    settings, columns = compiled._settings(link_type), compiled._columns(prepared, tables)
    stored = json.loads(compiled.COMPILED.read_text()).get(compiled.key(settings, tables, columns, link_type))
    assert stored is not None, "compiled_sql.json is out of date: run python -m lindung.matching.compiled"
    fresh = compiled.build(columns, tables, link_type, settings)
    assert (stored["blocking"], stored["vectors"]) == (fresh.blocking, fresh.vectors)
    assert compiled.statements(prepared, tables, link_type) == fresh and not compiled._made


def test_a_changed_model_is_built_afresh_with_splink(prepared, monkeypatch, nothing_built):
    """A blocking rule or a level that is not what the file was made from changes the key: the run
    builds its SQL with Splink (once per process), never the stored SQL of another model."""
    tables = STAGES["dedupe_only"]
    stored = compiled.statements(prepared, tables, "dedupe_only")
    monkeypatch.setattr(model, "BLOCKING_RULES", (*model.BLOCKING_RULES, "l.ibu = r.ibu AND l.desa = r.desa"))
    changed = compiled.statements(prepared, tables, "dedupe_only")
    assert "l.ibu = r.ibu AND l.desa = r.desa" in changed.blocking and changed.blocking != stored.blocking
    assert len(compiled._made) == 1 and compiled.statements(prepared, tables, "dedupe_only") is changed
    level = model.NO_HP["comparison_levels"][2]
    monkeypatch.setitem(level, "sql_condition", "hp_l = hp_r AND hp_l <> '08123'")
    assert "hp_l <> '08123'" in compiled.statements(prepared, tables, "dedupe_only").vectors
    assert len(compiled._made) == 2


@pytest.mark.parametrize("link_type", STAGES)
def test_the_stored_sql_gives_splinks_blocked_pairs_and_comparison_vectors(prepared, link_type):
    """The DuckDB path without a Linker (run._compared_in_duckdb) against Splink blocking and comparing
    the same prepared lists itself: the same comparison vectors, row for row."""
    tables = STAGES[link_type]
    linker, _ = run._linker(prepared, tables, link_type, None)
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    prepared.execute(f"CREATE OR REPLACE TABLE splinks AS {run._vector_pipeline(linker, blocked, tables).generate_cte_pipeline_sql()}")
    blocked.drop_table_from_database_and_remove_from_cache()
    ours = run._compared_in_duckdb(prepared, tables, link_type, lambda fraction, text: None)
    try:
        assert prepared.execute("SELECT count(*) FROM splinks").fetchall()[0][0] > 150
        for a, b in ((ours.physical_name, "splinks"), ("splinks", ours.physical_name)):
            missing = prepared.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})")
            assert missing.fetchall() == [(0,)]
    finally:
        ours.drop_table_from_database_and_remove_from_cache()
        prepared.execute("DROP TABLE splinks")


def test_a_changed_name_similarity_is_built_afresh_with_splink(prepared, monkeypatch, nothing_built):
    """model.TOKEN_SIMILARITY reaches the SQL only through the shared parts' columns (run.precomputed puts a
    column name in its place in the settings): a change to it must change the key like any other change
    to model.py, never run the stored SQL of the old similarity."""
    tables = STAGES["dedupe_only"]
    stored = compiled.statements(prepared, tables, "dedupe_only")
    old = [model._tokens_close(f"nama_tokens_{a}", f"nama_tokens_{b}", model.TOKEN_SIMILARITY) for a, b in ("lr", "rl")]
    new = [model._tokens_close(f"nama_tokens_{a}", f"nama_tokens_{b}", 0.85) for a, b in ("lr", "rl")]
    monkeypatch.setattr(model, "TOKEN_SIMILARITY", 0.85)  # as model.py edited would have it: the constant and
    for comparison in model.COMPARISONS:                   # every level written with it
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"]
            for before, after in zip(old, new):
                condition = condition.replace(before, after)
            monkeypatch.setitem(level, "sql_condition", condition)
    changed = compiled.statements(prepared, tables, "dedupe_only")
    assert ">= 0.85" in changed.vectors and ">= 0.9)" not in changed.vectors and changed != stored
    assert len(compiled._made) == 1


def test_a_changed_name_frequency_column_is_built_afresh_with_splink(prepared, monkeypatch, nothing_built):
    """The vectors keep model.TF_COLUMN for the name-frequency adjustment (run._vector_pipeline): another
    column there is another SQL."""
    tables = STAGES["dedupe_only"]
    stored = compiled.statements(prepared, tables, "dedupe_only")
    monkeypatch.setattr(model, "TF_COLUMN", "nama_sorted")
    changed = compiled.statements(prepared, tables, "dedupe_only")
    assert "nama_sorted_l" in changed.vectors and changed != stored


def test_tables_in_another_order_get_their_own_sql(prepared, nothing_built):
    """The stored SQL names its tables (the left list's records, the right one's): the same columns under
    other table names, or in the other order, are another key (compiled.py's docstring says the names count)."""
    swapped = list(reversed(STAGES["link_only"]))
    settings, columns = compiled._settings("link_only"), compiled._columns(prepared, swapped)
    assert compiled.statements(prepared, swapped, "link_only") == compiled.build(columns, swapped, "link_only", settings)


def test_another_sqlglot_is_another_key(monkeypatch):
    """Splink writes its SQL through sqlglot (not pinned by Splink 5.0.0: sqlglot>=17.6.0), whose output
    changes between versions: SQL stored with one must not be served under another."""
    import importlib.metadata

    settings, columns = compiled._settings("dedupe_only"), [["unique_id", "nama"]]
    before = compiled.key(settings, ["prep_kandidat"], columns, "dedupe_only")
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.1" if name == "sqlglot" else real(name))
    assert compiled.key(settings, ["prep_kandidat"], columns, "dedupe_only") != before


def _rows(con, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall())


@pytest.mark.parametrize("link_type", STAGES)
def test_blocked_pairs_are_splinks_own(prepared, link_type, nothing_built):
    """run.blocked_pairs_sql (one join per rule, each pair kept at its first rule) gives the rows of
    Splink's blocking statement (each rule's join less the pairs of the rules before it): the same
    pairs, the same match_key, the same join keys."""
    tables = STAGES[link_type]
    splinks = _rows(prepared, compiled.statements(prepared, tables, link_type).blocking)
    ours = _rows(prepared, run.blocked_pairs_sql(tables, link_type))
    assert ours == splinks
    assert _rows(prepared, run.blocked_pairs_sql(tables, link_type, shared_keys=())) == splinks  # a join per rule
    assert len(splinks) > 150 and len({key for key, *_ in splinks}) >= 10  # most rules keep pairs of their own


@pytest.mark.parametrize("link_type", STAGES)
def test_blocked_pairs_follow_the_order_of_the_rules(prepared, link_type, nothing_built, monkeypatch):
    """With the rules in another order (an asymmetric rule, len(l.nama_tokens), and rules whose pairs
    overlap first), a pair still gets the number of the first rule that joins it, as in Splink."""
    tables = STAGES[link_type]
    rules = tuple(reversed(model.blocking_rules(link_type)))
    monkeypatch.setattr(model, "BLOCKING_RULES", rules)
    monkeypatch.setattr(model, "DEDUPE_BLOCKING_RULES", ())
    splinks = _rows(prepared, compiled.statements(prepared, tables, link_type).blocking)
    assert _rows(prepared, run.blocked_pairs_sql(tables, link_type, rules)) == splinks
    assert _rows(prepared, run.blocked_pairs_sql(tables, link_type)) == splinks


def test_rules_sharing_a_key_are_joined_once_on_it():
    """run.blocking_joins: rules holding all the parts of a shared key (the birth date; the name with the
    kabupaten) are one join on it, sorted by their other parts in rule order; a rule holding only part of
    it (the name alone with the desa) keeps its own join, and so does, when blocks are bounded, a rule for
    records without a date (run.bounded_keys)."""
    dateless = "l.kabupaten = r.kabupaten AND l.nama_key = r.nama_key AND (l.dob IS NULL OR r.dob IS NULL)"
    rules = ("l.nik = r.nik", "l.dob = r.dob AND l.kecamatan = r.kecamatan", "l.nama_key = r.nama_key AND l.desa = r.desa",
             "l.nama_first = r.nama_first AND l.dob = r.dob", "l.kabupaten = r.kabupaten AND l.nama_key = r.nama_key", dateless)
    assert run.blocking_joins(rules) == [
        ("l.nik = r.nik", [(0, "TRUE")]),
        ("l.dob = r.dob", [(1, "l.kecamatan = r.kecamatan"), (3, "l.nama_first = r.nama_first")]),
        ("l.nama_key = r.nama_key AND l.desa = r.desa", [(2, "TRUE")]),
        ("l.nama_key = r.nama_key AND l.kabupaten = r.kabupaten", [(4, "TRUE"), (5, "(l.dob IS NULL OR r.dob IS NULL)")]),
    ]
    assert run.blocking_joins(rules, bounded=True)[3:] == [
        ("l.nama_key = r.nama_key AND l.kabupaten = r.kabupaten", [(4, "TRUE")]), (dateless, [(5, "TRUE")])]
    assert run.bounded_keys(dateless) == [("l.kabupaten", "r.kabupaten"), ("l.nama_key", "r.nama_key")]
    assert len(run.blocking_joins(model.BLOCKING_RULES)) < len(model.BLOCKING_RULES)
