"""`lindung match` itself, without Django: the options and what the command does with them.

The management command (lindung/registry/management/commands/match.py) and the console script's
quick path (lindung/cli.py: `lindung match` computes only from the files it is given, so it needs no
settings, apps or database) both call `run`. Starting Django costs about half a second of CPU, which
on a 10.000 x 100.000 list is a tenth of the whole match.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

HELP = ("Mencocokkan daftar calon dengan dirinya sendiri (data ganda) dan dengan daftar rujukan "
        "(mis. peserta BPJS). Menulis links.csv, duplicates.csv dan tinjau.csv ke folder --out.")


class Failure(Exception):
    """A run that cannot go on: an Indonesian message and the exit code scripts see."""

    def __init__(self, message: str, returncode: int):
        super().__init__(message)
        self.message, self.returncode = message, returncode


def add_arguments(parser) -> None:
    parser.add_argument("--kandidat", required=True, help="berkas calon: csv, xlsx atau parquet")
    parser.add_argument("--registri", help="berkas rujukan (mis. peserta BPJS): csv, xlsx atau parquet")
    parser.add_argument("--out", required=True, help="folder keluaran")
    parser.add_argument("--threads", type=int, help="jumlah thread DuckDB (bawaan: 1 bila kedua daftar bersama kurang dari 150.000 baris, selain itu semua inti)")
    parser.add_argument("--spark", metavar="MASTER",
                        help="nilai pasangan di Spark, mis. local[2], spark://host:7077 atau yarn (butuh lindung[spark])")
    parser.add_argument("--json", action="store_true", help="ringkasan sebagai satu objek JSON")


def run(*, kandidat, registri=None, out, threads=None, spark=None, json=False, write: Callable[[str], None],
        memory_mb: int | None = None, temp_dir: str | None = None, **_options) -> None:
    """Match, write the csv files and a summary line (or one JSON object) through `write`. `memory_mb` and
    `temp_dir` default to MATCHING_MEMORY_MB / MATCHING_TEMP_DIR, read as lindung.settings reads them."""
    import json as json_module  # the option is called json

    from lindung.matching import columns
    from lindung.matching.run import match_files, write_outputs
    from lindung.matching.types import MATCH

    session = None
    if spark:
        from lindung.matching.spark import session as spark_session

        try:
            session = spark_session(spark)
        except RuntimeError as exc:
            raise Failure(str(exc), 2) from exc
    try:
        memory_mb = memory_mb or _env_memory_mb()
        result = match_files(kandidat, registri, threads=threads, spark=session, memory_mb=memory_mb,
                             temp_dir=temp_dir or os.environ.get("MATCHING_TEMP_DIR") or None)
    except columns.ColumnError as exc:
        raise Failure(str(exc), 1) from exc
    files = write_outputs(result, out)
    summary = {
        "links": sum(p.band == MATCH for p in result.links),
        "duplicates": sum(p.band == MATCH for p in result.duplicates),
        "tinjau": sum(p.band != MATCH for p in (*result.links, *result.duplicates)),
        **result.stats, "out": {k: str(v) for k, v in files.items()},
    }
    if json:
        write(json_module.dumps(summary, ensure_ascii=False))  # as LindungCommand.write_json
    else:
        write(f"{summary['links']} tautan, {summary['duplicates']} pasangan ganda, "
              f"{summary['tinjau']} perlu ditinjau ({result.stats['detik']} detik). Ditulis ke {out}.")


class _NotForUs(Exception):
    """Arguments the quick path does not handle (a mistake, or Django's own options): Django's turn."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _NotForUs(message)


def _env_memory_mb() -> int:
    """MATCHING_MEMORY_MB without starting Django (the console script path); the engine's default if unset."""
    from lindung.matching.run import MEMORY_MB

    raw = os.environ.get("MATCHING_MEMORY_MB", "").strip()
    if not raw:
        return MEMORY_MB
    if not raw.isdigit() or int(raw) < 1:
        raise Failure(f"MATCHING_MEMORY_MB harus bilangan bulat positif (MB), bukan {raw!r}.", 2)
    return int(raw)


def main(argv: Sequence[str]) -> int | None:
    """`lindung match ARGS` without Django; None when the arguments are for Django's command
    (--help, --traceback, --verbosity, a mistake): the caller then runs that, with its messages."""
    parser = _Parser(prog="lindung match", add_help=False)
    add_arguments(parser)
    try:
        options, rest = parser.parse_known_args(list(argv))
    except _NotForUs:
        return None
    if rest:
        return None
    try:
        run(**vars(options), write=lambda text: print(text, flush=True))
    except Failure as exc:
        sys.stderr.write(f"Galat: {exc.message}\n")
        return exc.returncode
    return 0


