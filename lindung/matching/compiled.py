"""Splink's SQL for a DuckDB run, made once per model version instead of in every run.

On DuckDB a run needs two statements from Splink per stage (link, dedupe): the blocked id pairs of
model.blocking_rules(link_type) and the comparison vectors of model.COMPARISONS (run._vector_pipeline). Splink
builds them through sqlglot from the settings, parsing every level's condition again: at 10.000 x
100.000 that, importing Splink and building its Linker, was ~0,6 of ~3,2 CPU-seconds, the same work in
every run for the same model. The SQL text depends only on what `key` hashes: the settings as the run
hands them to Splink (model.py, run.cheap_first, run.precomputed), the prepared tables' names and
columns, the link type, what the assembly reads of model.py besides (the shared parts' expressions, the
name-frequency column), Splink's and sqlglot's versions and the source of the functions that assemble
the vectors' SQL. COMPILED (compiled_sql.json, next to this file) keeps the SQL by that key; a run whose key is not
there (model.py changed and the file was not rebuilt) builds it with Splink, as before, and keeps it
for the rest of the process. Rebuild the file after changing model.py or run.py's SQL assembly:

    .venv/bin/python -m lindung.matching.compiled

(tests/test_compiled.py fails while it is out of date, and checks that the SQL is Splink's own).
Spark runs always build their SQL with Splink. The blocked pairs themselves are made on DuckDB by
run.blocked_pairs_sql, the same rows more cheaply; the stored blocking statement is what tests hold them to.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

COMPILED = Path(__file__).with_name("compiled_sql.json")
BLOCKED = "__lindung_blocked_id_pairs__"  # stands for the blocked pairs' table in the stored SQL


@dataclass(frozen=True)
class Statements:
    blocking: str  # SELECT of the blocked id pairs (match_key, join_key_l, join_key_r)
    vectors: str   # SELECT of ids and gammas from the blocked pairs table, written BLOCKED

    def vectors_from(self, table: str) -> str:
        return self.vectors.replace(BLOCKED, table)


_made: dict[str, Statements] = {}  # built with Splink in this process, by key
_stored: dict[str, dict] | None = None


def statements(con, tables: Sequence[str], link_type: str) -> Statements:
    """The blocking and comparison SQL for `tables` (prepared, in `con`) and `link_type`."""
    settings = _settings(link_type)
    columns = _columns(con, tables)
    try:
        digest = key(settings, tables, columns, link_type)
    except OSError:  # no source to hash (an install without .py files): built afresh, never a stored guess
        return build(columns, tables, link_type, settings)
    if digest in _made:
        return _made[digest]
    stored = _read().get(digest)
    if stored is not None:
        return Statements(stored["blocking"], stored["vectors"])
    _made[digest] = made = build(columns, tables, link_type, settings)
    return made


def _settings(link_type: str) -> dict:
    from lindung.matching import model, run

    return run.cheap_first(run.precomputed(model.settings(link_type, prior=run.PLACEHOLDER_PRIOR), "duckdb"))


def _columns(con, tables: Sequence[str]) -> list[list[str]]:
    """Per table (in order), "column type" as DuckDB describes it."""
    return [[f"{name} {kind}" for name, kind, *_ in con.execute(f"DESCRIBE {table}").fetchall()] for table in tables]


def key(settings: dict, tables: Sequence[str], columns: list[list[str]], link_type: str) -> str:
    """What the SQL text depends on, hashed (see the module's docstring)."""
    from importlib.metadata import version

    from lindung.matching import model, run

    assembly = [inspect.getsource(f) for f in (run._vector_pipeline, run._records_by_id, run._with_shared_parts,
                                                run.shared_parts, run._source_name, build)]
    names = [[column.split(" ", 1)[0] for column in table] for table in columns]  # the SQL never names a type
    # What the assembly reads from model.py besides the settings: the shared parts' expressions (the settings
    # hold only their columns' names: run.precomputed) and the name-frequency column. Splink writes its SQL
    # through sqlglot, which Splink does not pin and whose output changes between versions.
    text = json.dumps({"settings": settings, "tables": list(tables), "columns": names, "link_type": link_type,
                       "shared_parts": run.shared_parts(), "tf_column": model.TF_COLUMN,
                       "splink": version("splink"), "sqlglot": version("sqlglot"), "assembly": assembly},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _read() -> dict[str, dict]:
    global _stored
    if _stored is None:
        _stored = json.loads(COMPILED.read_text()) if COMPILED.exists() else {}
    return _stored


def build(columns: list[list[str]], tables: Sequence[str], link_type: str, settings: dict) -> Statements:
    """Splink's own SQL: a Linker on empty tables of the same columns in a scratch DuckDB, its blocking
    statement recorded as it runs (on no rows), its comparison vectors as run._vector_pipeline makes them."""
    import logging

    import duckdb
    from splink import DuckDBAPI, Linker

    from lindung.matching import run

    class Recording(DuckDBAPI):
        def _setup_for_execute_sql(self, sql: str, physical_name: str) -> str:
            recorded.append((sql, physical_name))
            return super()._setup_for_execute_sql(sql, physical_name)

    recorded: list[tuple[str, str]] = []
    scratch = duckdb.connect()
    try:
        for table, described in zip(tables, columns):
            scratch.execute(f"CREATE TABLE {table} ({', '.join(described)})")
        db_api = Recording(connection=scratch)
        frames = [db_api.register(t, table_name=run._source_name(t, link_type)) for t in tables]
        linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.WARNING,
                        validate_settings=False)
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        (blocking, physical), = [(sql, name) for sql, name in recorded if name == blocked.physical_name]
        vectors = run._vector_pipeline(linker, blocked, tables).generate_cte_pipeline_sql()
    finally:
        scratch.close()
    return Statements(blocking.replace(physical, BLOCKED), vectors.replace(physical, BLOCKED))


def rebuild(path: Path = COMPILED) -> dict[str, dict]:
    """COMPILED for the engine as it is: both stages, prepared tables of a one-record list."""
    import tempfile
    from datetime import date

    from lindung.matching import run

    record = {"id": "1", "nama": "Ali", "nik": "2102011203900012", "tanggal_lahir": "1990-03-12", "jenis_kelamin": "L",
              "nama_ibu": "Siti", "desa": "Pangke", "kecamatan": "Meral", "kabupaten": "Karimun", "no_hp": "0812345678"}
    stages = {"link_only": ["prep_kandidat", "prep_registri"], "dedupe_only": ["prep_kandidat"]}
    with tempfile.TemporaryDirectory() as spill:
        con = run.connect(memory_mb=256, temp_dir=spill)
        try:
            run.prepare_tables(con, {"kandidat": [record], "registri": [record]}, ref_date=date(2026, 1, 1))
            entries = {}
            for link_type, tables in stages.items():
                settings, columns = _settings(link_type), _columns(con, tables)
                made = build(columns, tables, link_type, settings)
                entries[key(settings, tables, columns, link_type)] = {"link_type": link_type,
                                                                      "blocking": made.blocking, "vectors": made.vectors}
        finally:
            con.close()
    path.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n")
    return entries


if __name__ == "__main__":
    print(f"{len(rebuild())} statements sets written to {COMPILED}")
