from django.conf import settings
from django.core.management.base import CommandError

from lindung.lib.commands import LindungCommand
from lindung.matching import columns
from lindung.matching.run import match_files, write_outputs
from lindung.matching.types import MATCH


class Command(LindungCommand):
    help = ("Mencocokkan daftar calon dengan dirinya sendiri (data ganda) dan dengan daftar rujukan "
            "(mis. peserta BPJS). Menulis links.csv, duplicates.csv dan tinjau.csv ke folder --out.")

    def add_arguments(self, parser):
        parser.add_argument("--kandidat", required=True, help="berkas calon: csv, xlsx atau parquet")
        parser.add_argument("--registri", help="berkas rujukan (mis. peserta BPJS): csv, xlsx atau parquet")
        parser.add_argument("--out", required=True, help="folder keluaran")
        parser.add_argument("--threads", type=int, help="jumlah thread DuckDB (bawaan: semua inti)")
        parser.add_argument("--spark", metavar="MASTER",
                            help="nilai pasangan di Spark, mis. local[2], spark://host:7077 atau yarn (butuh lindung[spark])")
        parser.add_argument("--json", action="store_true", help="ringkasan sebagai satu objek JSON")

    def handle(self, *args, kandidat, registri=None, out, threads=None, spark=None, json=False, **options):
        session = None
        if spark:
            from lindung.matching.spark import session as spark_session

            try:
                session = spark_session(spark)
            except RuntimeError as exc:
                raise CommandError(str(exc), returncode=2) from exc
        try:
            result = match_files(kandidat, registri, threads=threads, spark=session, memory_mb=settings.MATCHING_MEMORY_MB,
                                 temp_dir=settings.MATCHING_TEMP_DIR or None)
        except columns.ColumnError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        files = write_outputs(result, out)
        summary = {
            "links": sum(p.band == MATCH for p in result.links),
            "duplicates": sum(p.band == MATCH for p in result.duplicates),
            "tinjau": sum(p.band != MATCH for p in (*result.links, *result.duplicates)),
            **result.stats, "out": {k: str(v) for k, v in files.items()},
        }
        if json:
            self.write_json(summary)
        else:
            self.stdout.write(f"{summary['links']} tautan, {summary['duplicates']} pasangan ganda, "
                              f"{summary['tinjau']} perlu ditinjau ({result.stats['detik']} detik). Ditulis ke {out}.")
