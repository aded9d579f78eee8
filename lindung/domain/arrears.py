"""When a month's iuran falls due, and how long a person has gone unpaid (R12, domain.md §8 item 2).

BPJS's due day for a BPU contribution paid by a pemda is unconfirmed (domain.md §8 item 2), so the
day is a parameter: the caller passes the programme's setting (default the 15th of the following
month, `JATUH_TEMPO_HARI`). R12's lapse rule (> 3 consecutive unpaid months -> berakhir) is a later
issue; here only the count is computed. Pure stdlib.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from lindung.domain.periods import Month


def due_date(bulan: Month, day: int) -> date:
    """The day `bulan`'s iuran must be paid by: `day` of the following month (the month's last day when
    the month is shorter, so 31 means "end of the following month")."""
    if not 1 <= day <= 31:
        raise ValueError(f"Hari jatuh tempo harus 1 sampai 31, bukan {day}.")
    following = bulan + 1
    return following.first_day.replace(day=min(day, following.last_day.day))


def is_overdue(bulan: Month, day: int, today: date) -> bool:
    return today > due_date(bulan, day)


def consecutive_unpaid(months: Iterable[tuple[Month, bool]]) -> int:
    """How many months in a row, ending with the latest one given, are unpaid.

    `months` are a person's overdue billed months with whether each is fully paid; a gap (a month the
    person was not billed) ends the run, as a paid month does.
    """
    ordered = sorted(months, reverse=True)
    count = 0
    previous: Month | None = None
    for month, paid in ordered:
        if paid or (previous is not None and previous - month != 1):
            break
        count += 1
        previous = month
    return count
