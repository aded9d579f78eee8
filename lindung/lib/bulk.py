"""Fast multi-row INSERT for the import's hot path.

Django's bulk_create compiles every value through the field machinery; for 100.000 candidates that
costs far more than the database does. Here plain values go straight to `executemany`, and only the
fields whose Python value needs converting (dates, datetimes, JSON) pass through the field's own
`get_db_prep_save`, so what lands in the table is exactly what the ORM would have written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connections, models


def _preparer(field: models.Field, connection):
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):  # DateTimeField too; a column holds few distinct dates
        cache = {}

        def prepare(value):
            if value not in cache:
                cache[value] = field.get_db_prep_save(value, connection)
            return cache[value]

        return prepare
    return None


# The block a multi-row INSERT into a table runs in, given (connection, table, pk column): lindung.counters
# sets it (AppConfig.ready) so that on SQLite the rows are counted once, not by a row trigger each.
counting: Callable[..., AbstractContextManager] = lambda connection, table, pk_column: nullcontext()


def insert_many(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 5000) -> int:
    """INSERT `rows` (tuples in `fields` order) into `model`'s table; returns the number written."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    # Fields the caller leaves out get their model default, as the ORM would give them.
    defaults = [f for f in meta.concrete_fields if f.name not in fields and f.attname not in fields
                and not f.primary_key and (f.has_default() or not f.null)]
    if defaults:
        extra = tuple(f.get_default() for f in defaults)
        rows = (tuple(row) + extra for row in rows)
    columns = [meta.get_field(name) for name in fields] + defaults
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    preparers = [(i, p) for i, p in enumerate(_preparer(f, connection) for f in columns) if p is not None]
    if connection.vendor == "postgresql":
        return _copy(connection, meta.db_table, [f.column for f in columns], rows, preparers)
    written = 0
    iterator = iter(rows)
    with counting(connection, meta.db_table, meta.pk.column), connection.cursor() as cursor:
        while batch := list(islice(iterator, chunk)):
            if preparers:
                batch = [_prepare(row, preparers) for row in batch]
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _copy(connection, table: str, columns: list[str], rows: Iterable[Sequence], preparers) -> int:
    """PostgreSQL: COPY FROM STDIN, one round trip instead of one per row (psycopg 3's copy API)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(_prepare(row, preparers) if preparers else row)
            written += 1
    return written


def _prepare(row: Sequence, preparers) -> list:
    values = list(row)
    for index, prepare in preparers:
        values[index] = prepare(values[index])
    return values


def pks_by(model: type[models.Model], field: str, values: Sequence, *, chunk: int = 5000) -> dict:
    """{value: pk} for rows whose `field` is in `values`: chunked IN lists, without the ORM's per-value
    lookup resolution (it costs more than the query for 100.000 NIKs)."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    quote = connection.ops.quote_name
    column, pk = quote(meta.get_field(field).column), quote(meta.pk.column)
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(values), chunk):
            part = values[start:start + chunk]
            cursor.execute(f"SELECT {column}, {pk} FROM {quote(meta.db_table)} WHERE {column} IN ({', '.join(['%s'] * len(part))})", part)
            found.update(cursor.fetchall())
    return found
