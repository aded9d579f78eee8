"""Splink's Spark backend for the same model, imported only when asked (`pip install lindung[spark]`).

On one machine (tests, a try-out):

    from lindung.matching.spark import session
    result = match_records("kandidat.parquet", "bpjs.parquet", spark=session("local[2]"))

On a cluster, give spark-submit Splink's similarity jar (`jar_path()` prints where it is) so the
executors have jaro_winkler and damerau_levenshtein, then pass the active session:

    spark-submit --jars "$(python -c 'from lindung.matching.spark import jar_path; print(jar_path())')" job.py
    # job.py: match_records(..., spark=SparkSession.builder.getOrCreate())
"""

from __future__ import annotations


def jar_path() -> str:
    from splink.internals.spark.jar_location import similarity_jar_location

    return similarity_jar_location()


def session(master: str = "local[2]", *, app_name: str = "lindung-match"):
    """A SparkSession with Splink's UDF jar, checkpoints in a temporary folder, few shuffle partitions."""
    import logging
    import tempfile

    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # the optional extra is not installed
        raise RuntimeError("Backend Spark butuh paket tambahan: pip install 'lindung[spark]' (dan Java 17).") from exc
    spark = (SparkSession.builder.master(master).appName(app_name)
             .config("spark.jars", jar_path())
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "2g")
             .getOrCreate())
    logging.getLogger("py4j").setLevel(logging.WARNING)  # its shutdown chatter, after pytest closed stderr
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="lindung-spark-"))
    return spark
