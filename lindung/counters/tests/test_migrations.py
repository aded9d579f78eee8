"""The candidate-index migrations (imports 0008/0009, verification 0003) go back and forth without touching the
counter triggers: on SQLite an AlterField of a candidate column would rebuild the table and drop them silently."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lindung.counters.rebuild import missing_triggers

BEFORE_INDEX_CHANGES = ("imports", "0007_warning_filter_in_list_order")


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_migrating_the_candidate_indexes_back_and_forth_keeps_every_counter_trigger():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([BEFORE_INDEX_CHANGES])
        with connection.cursor() as cursor:
            assert missing_triggers(cursor) == []
    finally:
        _migrate(leaves)
    with connection.cursor() as cursor:
        assert missing_triggers(cursor) == []
