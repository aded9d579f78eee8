"""The demo's semesta for Natuna: DEMO DATA, chosen so that `lindung cakupan 21.03` gives 59,29 %.

Natuna's audiensi with BPJS (domain.md §0 S4) named a coverage share of 59,29 %. The real universe is not
public, so the demo states one: for every Natuna desa with covered people, a count proportional to them,
totalling the smallest number S with round(covered × 100 / S, 2) = 59,29. The version is marked *contoh*
and every page and the CLI say it is demo data.
"""

from __future__ import annotations

from datetime import timedelta

from lindung.coverage import services
from lindung.coverage.models import Semesta, SemestaRow
from lindung.domain.coverage import persen

NATUNA, TARGET = "21.03", 59.29
SUMBER = "Data contoh demo: semesta pekerja rentan Natuna"


def universe_for(covered: int, target: float = TARGET) -> int:
    """The smallest universe giving exactly `target` percent for `covered` people; when no whole number does
    (1.814 people: 3.059 gives 59,30 %, 3.060 gives 59,28 %), the one closest to it."""
    start = max(covered, int(covered * 100 / (target + 0.01)))
    sizes = range(start, start + covered + 100)
    return min(sizes, key=lambda size: (abs(persen(covered, size) - target), size))


NATUNA_PROGRAMS = (("natuna-2025-kab", "natuna.operator", "21.03", 21030100001),
                   ("natuna-2025-prov", "kepri.operator", "21", 21030200001))


def register_natuna() -> None:
    """Covered means registered at BPJS and on the ledger: the branch registers Natuna's seated people
    (simulated KPJ numbers) and their months are written, as Karimun's are in the money demo. Idempotent."""
    from django.apps import apps

    if not apps.is_installed("lindung.billing"):
        return
    from lindung.accounts.models import Membership
    from lindung.billing import ledger
    from lindung.enrolment import bpjs
    from lindung.enrolment import services as enrolment
    from lindung.programs.models import Program

    for slug, username, _, first_kpj in NATUNA_PROGRAMS:
        program = Program.objects.filter(slug=slug).first()
        cohort = enrolment.latest_cohort(program) if program else None
        if cohort is None or program.person_months.exists():
            continue
        operator = Membership.objects.get(user__username=username).user
        submitted = [e.candidate.nik for e in bpjs.submit(cohort, user=operator)]
        lines = ["NIK;Status;No. KPJ;Keterangan"] + [f"{nik};Terdaftar;{first_kpj + i};" for i, nik in enumerate(submitted)]
        result = bpjs.apply_response(cohort, "\n".join(lines).encode(), f"jawaban-bpjs-{slug}.csv", user=operator)
        if not result.ok:
            raise RuntimeError(f"demo: jawaban BPJS ditolak: {result.problems[:3]}")
        enrolment.advance_lifecycle(today=program.mulai, user=operator)
        ledger.sync_ledger(program, through=program.selesai)


def exact_reach(covered: int, target: float = TARGET) -> int:
    """How many fewer covered people make `target` reachable with a whole universe (0 when it already is)."""
    return next(k for k in range(covered) if persen(covered - k, universe_for(covered - k, target)) == target)


def _move_away(count: int, month) -> None:
    """Demo story: `count` Natuna participants moved out of the kabupaten in the month before the reported
    one (exit coded *pindah*; the ledger voids their later months), so that covered ÷ a whole universe
    gives exactly 59,29 % whatever the matching engine decided about the demo's look-alikes."""
    from lindung.accounts.models import Membership
    from lindung.enrolment import services as enrolment
    from lindung.enrolment.models import Enrolment

    operator = Membership.objects.get(user__username=NATUNA_PROGRAMS[0][1]).user
    seats = Enrolment.objects.filter(cohort__program__slug=NATUNA_PROGRAMS[0][0], state=Enrolment.State.SEATED).select_related("candidate", "cohort").order_by("-urutan")
    last_day = (month.first_day - timedelta(days=1))
    for enrolment_row in seats[:count]:
        enrolment.release(enrolment_row, user=operator, akhir=last_day, kode="pindah",
                          reason="Pindah ke luar Kabupaten Natuna (data contoh demo)")


def ensure_natuna_semesta() -> Semesta | None:
    if Semesta.objects.filter(sumber=SUMBER).exists():
        return None
    register_natuna()
    month = services.default_month()
    covered = services.report(NATUNA, bulan=month).area.peserta
    if not covered:
        return None
    for _ in range(20):  # each move takes one person out of the count, so this ends at once in practice
        if not exact_reach(covered):
            break
        _move_away(1, month)
        covered = services.report(NATUNA, bulan=month).area.peserta
    by_desa = services.covered_by_region(month, NATUNA, services.LEVEL_LENGTH[4])
    size = universe_for(covered)
    # BPJS-only participants have no desa: their share goes to the desa with the most people.
    shares = {kode: n * size // covered for kode, n in by_desa.items()}
    shares[max(by_desa, key=by_desa.get)] += size - sum(shares.values())
    semesta = Semesta.objects.create(sumber=SUMBER, tahun=2025, pemda_id=NATUNA, contoh=True,
                                     original_name="semesta-contoh-natuna.xlsx")
    SemestaRow.objects.bulk_create([SemestaRow(semesta=semesta, wilayah_id=k, jumlah=v) for k, v in sorted(shares.items())])
    return semesta
