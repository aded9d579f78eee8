"""The matching engine (issue 5): Splink 5 on DuckDB, Spark when asked. Never imports Django.

    columns.py   the record contract (what a candidate or registry row carries) and file reading
    prepare.py   cleaning SQL: NIK repair candidates, NIK-derived birth date/sex, names, places, phones
    model.py     Splink settings: blocking rules, comparisons, thresholds
    em.py        the run's own prior (and, for unfamiliar lists, m/u) by EM over the compared pairs
    run.py       link / dedupe entry points returning pairs with scores, evidence and bounded clusters
    compiled.py  Splink's SQL for DuckDB made once per model version (compiled_sql.json), not in every run
    command.py   `lindung match` (options, summary), run by the console script without starting Django
"""
