"""The status machine's money-driven moves (R12), run daily by `lindung siklus` after the ledger is written.

* aktif → tertunggak: a billed month of the person is unpaid past its due date;
* tertunggak → aktif: the arrears were paid (no overdue unpaid month left);
* aktif/tertunggak → berakhir: more than `LAPSE_MONTHS` consecutive unpaid months (BPJS ends the coverage).

Which months are overdue and how many in a row each person has not been paid for is reconciliation's
arithmetic (`reconciliation.services.arrears_by_person`, the programme's due day); this module only moves
statuses. Idempotent: a person already in the right status is left alone. The ledger is not touched by a
lapse: the months stay billed (owed to BPJS) and the seat is not handed to the waiting list.
"""

from __future__ import annotations

from datetime import date

from lindung.imports.models import Candidate, CandidateStatus
from lindung.reconciliation.services import arrears_by_person, due_day

LAPSE_MONTHS = 3  # "> 3 consecutive unpaid months -> berakhir" (R12)
COVERED = (CandidateStatus.AKTIF, CandidateStatus.TERTUNGGAK)


def advance_arrears(*, today: date, user=None) -> dict[str, int]:
    """Move every covered person of every programme by their unpaid months as of `today`."""
    from lindung.programs.models import Program

    moved = {"tertunggak": 0, "pulih": 0, "berakhir": 0}
    programs = Program.objects.filter(candidates__status__in=COVERED).distinct()
    for program in programs:
        for key, n in _advance_program(program, today=today, user=user).items():
            moved[key] += n
    return moved


def _advance_program(program, *, today: date, user) -> dict[str, int]:
    unpaid = {nik: months for nik, _nama, months in arrears_by_person(program, today=today, limit=None)}
    day = due_day(program)
    moved = {"tertunggak": 0, "pulih": 0, "berakhir": 0}
    for candidate in Candidate.objects.filter(program=program, status__in=COVERED).order_by("pk"):
        months = unpaid.get(candidate.nik, 0)
        if months > LAPSE_MONTHS:
            candidate.change_status(CandidateStatus.BERAKHIR, user=user,
                                    reason=f"Iuran {months} bulan berturut-turut tidak dibayar (lebih dari "
                                           f"{LAPSE_MONTHS} bulan): kepesertaan berakhir")
            moved["berakhir"] += 1
        elif months and candidate.status == CandidateStatus.AKTIF:
            candidate.change_status(CandidateStatus.TERTUNGGAK, user=user,
                                    reason=f"Iuran {months} bulan belum dibayar melewati jatuh tempo "
                                           f"(tanggal {day} bulan berikutnya), per {today:%d-%m-%Y}")
            moved["tertunggak"] += 1
        elif not months and candidate.status == CandidateStatus.TERTUNGGAK:
            candidate.change_status(CandidateStatus.AKTIF, user=user,
                                    reason=f"Tunggakan iuran sudah dibayar, per {today:%d-%m-%Y}")
            moved["pulih"] += 1
    return moved
