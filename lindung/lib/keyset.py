"""Keyset (cursor) pagination and bounded counts for lists that reach a million rows.

OFFSET pagination reads and throws away every row before the page: page 18.000 of a province's list
reads 900.000 rows. A keyset page starts where the previous one ended — `WHERE (a, b, pk) > (x, y, z)`
along an index on the same columns — so every page costs the same. The condition is written as
`a >= x AND (a > x OR (a = x AND (b > y OR (b = y AND pk > z))))`: the leading `a >= x` lets both
SQLite and PostgreSQL start the index range scan at the cursor.

Counting every row on every page is the other cost that grows with the list; `bounded_count` stops at
a limit, and the page says "lebih dari 10.000".
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

COUNT_LIMIT = 10_000


def encode_cursor(values: tuple) -> str:
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(text: str | None, size: int) -> tuple | None:
    """The cursor's values, or None for a missing or tampered one (then the first page is shown)."""
    if not text:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != size or not all(isinstance(v, (str, int)) for v in values):
        return None
    return tuple(values)


def after(fields: list[str], values: tuple, *, reverse: bool = False) -> Q:
    """Rows strictly after (or before) `values` in the order of `fields`, as an index-friendly condition."""
    gt, ge = ("lt", "lte") if reverse else ("gt", "gte")
    condition = Q(**{f"{fields[-1]}__{gt}": values[-1]})
    for name, value in zip(reversed(fields[:-1]), reversed(values[:-1])):
        condition = Q(**{f"{name}__{gt}": value}) | (Q(**{name: value}) & condition)
    return Q(**{f"{fields[0]}__{ge}": values[0]}) & condition


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    first: bool

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def keyset_page(qs: QuerySet, fields: list[str], *, after_cursor: str | None = None,
                before_cursor: str | None = None, size: int = 50) -> KeysetPage:
    """One page of `qs` in the order of `fields` (the last one unique, e.g. "pk"), from a cursor."""
    start, end = decode_cursor(after_cursor, len(fields)), decode_cursor(before_cursor, len(fields))
    if end is not None:
        rows = list(qs.filter(after(fields, end, reverse=True)).order_by(*[f"-{f}" for f in fields])[:size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, _cursor(rows[-1], fields) if rows else None,
                          _cursor(rows[0], fields) if rows and more_before else None, first=not more_before)
    if start is not None:
        qs = qs.filter(after(fields, start))
    rows = list(qs.order_by(*fields)[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, _cursor(rows[-1], fields) if more else None,
                      _cursor(rows[0], fields) if start is not None and rows else None, first=start is None)


def _cursor(row, fields: list[str]) -> str:
    return encode_cursor(tuple(getattr(row, name) for name in fields))


def bounded_count(qs: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """(count, exact): counts at most `limit` + 1 rows, so the cost stops growing with the list."""
    limit = COUNT_LIMIT if limit is None else limit
    n = qs.order_by()[:limit + 1].count()
    return (limit, False) if n > limit else (n, True)


def distinct_values(model, column: str, *, where: dict[str, object], limit: int = 1000) -> list:
    """The distinct values of `column` among the rows matching `where` (equalities), at most `limit`.

    A loose index scan: one index seek per distinct value (a recursive CTE of `MIN(column) > previous`)
    instead of reading every row. Needs an index on (*where, column). Works on SQLite and PostgreSQL."""
    from django.db import connection

    quote = connection.ops.quote_name
    meta = model._meta
    table, col = quote(meta.db_table), quote(meta.get_field(column).column)
    conditions = " AND ".join(f"{quote(meta.get_field(name).column)} = %s" for name in where)
    params = list(where.values())
    sql = (f"WITH RECURSIVE d(x, n) AS ("
           f"SELECT (SELECT MIN({col}) FROM {table} WHERE {conditions}), 1 "
           f"UNION ALL SELECT (SELECT MIN({col}) FROM {table} WHERE {conditions} AND {col} > d.x), d.n + 1 "
           f"FROM d WHERE d.x IS NOT NULL AND d.n < %s) SELECT x FROM d WHERE x IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params + [limit])
        return [row[0] for row in cursor.fetchall()]


def partitioned_page(qs: QuerySet, column: str, values: list, fields: list[str], *, after_cursor: str | None = None,
                     before_cursor: str | None = None, size: int = 50) -> KeysetPage:
    """A keyset page of `qs` restricted to `column` IN `values`, in the order (column, *fields), read one value
    of `column` at a time: each part is a range of an index on (…, column, *fields), where one IN over
    them all would make the database fetch and sort every match (25.000 rows of a common warning code at 1M)
    to find the first 50. `values` in the database's order (distinct_values gives them so); one query per
    part read, at most len(values)."""
    width = len(fields) + 1
    start, end = decode_cursor(after_cursor, width), decode_cursor(before_cursor, width)
    backward = end is not None and end[0] in values
    cursor = end if backward else (start if start is not None and start[0] in values else None)
    order = [f"-{f}" for f in fields] if backward else fields
    first_part = values.index(cursor[0]) if cursor else 0
    parts = values[first_part::-1] if backward else values[first_part:]
    rows: list = []
    for n, value in enumerate(parts):
        part = qs.filter(**{column: value})
        if n == 0 and cursor is not None:
            part = part.filter(after(fields, cursor[1:], reverse=backward))
        rows += list(part.order_by(*order)[:size + 1 - len(rows)])
        if len(rows) > size:
            break
    key = [column, *fields]
    if backward:
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, _cursor(rows[-1], key) if rows else None,
                          _cursor(rows[0], key) if rows and more_before else None, first=not more_before)
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, _cursor(rows[-1], key) if more else None,
                      _cursor(rows[0], key) if cursor is not None and rows else None, first=cursor is None)
