"""The home page's figures for one user, within their area: funnel, what waits for them, coverage, budget."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum

from lindung.coverage import services
from lindung.coverage.models import Semesta
from lindung.domain import charts
from lindung.domain.coverage import persen
from lindung.lib.format import format_month_short
from lindung.accounts.models import Role
from lindung.counters.models import CandidateTally
from lindung.enrolment.models import Cohort
from lindung.imports.models import Candidate, CandidateStatus
from lindung.programs.models import Program

S = CandidateStatus
STAGES = (("Calon", None), ("Layak", (S.TERVERIFIKASI, S.DIAJUKAN, S.TERDAFTAR, S.DITOLAK, S.AKTIF, S.BERAKHIR)),
          ("Terdaftar", (S.TERDAFTAR, S.AKTIF, S.BERAKHIR)), ("Aktif", (S.AKTIF,)))
TREND_MONTHS = 6


@dataclass
class Funnel:
    program: Program
    stages: list[tuple[str, int]]

    @property
    def svg(self) -> str:
        return charts.funnel(self.stages, title=f"Alur peserta {self.program.nama}")


def funnels(user, programs) -> list[Funnel]:
    counts = _status_counts(user, programs)
    for c in counts.values():
        c.pop(S.DUPLIKAT, None)
    out = []
    for program in programs:
        c = counts[program.pk]
        out.append(Funnel(program, [(label, sum(c.values()) if statuses is None else sum(c[s] for s in statuses))
                                    for label, statuses in STAGES]))
    return out


def _status_counts(user, programs) -> dict[int, Counter]:
    """{program_id: {status: n}}: the trigger-kept tally, or a real COUNT of a desa operator's one desa."""
    if _desa_of(user) is None:
        return CandidateTally.objects.by_program([p.pk for p in programs])
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (Candidate.objects.visible_to(user).values("program_id", "status").annotate(n=Count("pk"))
            .values_list("program_id", "status", "n"))
    for program_id, status, n in rows:
        counts[program_id][status] = n
    return counts


def _desa_of(user) -> str | None:
    membership = getattr(user, "membership", None)
    return membership.wilayah_id if membership is not None and membership.is_desa and not user.is_superuser else None


def _pending(user, program) -> int:
    from lindung.verification.services import levels_user_decides, pending_for

    if _desa_of(user) is not None:
        return pending_for(user, program).count()  # one desa's rows
    levels = levels_user_decides(user, program)
    return sum(n for (status, level), n in CandidateTally.objects.for_program(program.pk).items()
               if status == S.CALON and level in levels)


def waiting(user, programs) -> list[tuple[str, int, str]]:
    """(what, how many, link) for the work waiting at this user's level."""
    from django.urls import reverse

    from lindung.linkage.models import MatchPair

    out = []
    for program in programs:
        n = _pending(user, program)
        if n:
            out.append((f"Verifikasi {program.nama}", n, reverse("verification_queue", args=[program.slug])))
    from lindung.accounts.access import can_decide_matches

    pairs = MatchPair.objects.visible_to(user).open().count() if can_decide_matches(user) else 0
    if pairs:  # waiting for *this* user only when they may decide it (not the auditor, not the BPKAD)
        out.append(("Pasangan kecocokan menunggu tinjauan", pairs, reverse("match_review")))
    out += _money_waiting(user, programs)
    membership = getattr(user, "membership", None)
    if user.is_superuser or (membership is not None and membership.role == Role.ADMIN_DISNAKER):
        for cohort in Cohort.objects.filter(program__in=programs, nomor_sk="").select_related("program"):
            out.append((f"SK penetapan {cohort.program.nama} belum bernomor", 1,
                        reverse("cohort", args=[cohort.program.slug])))
    return out


def _money_waiting(user, programs) -> list[tuple[str, int, str]]:
    """A BPJS tagihan still a draft (Disnaker reconciles it); one siap bayar and not paid in full (BPKAD)."""
    from django.db.models import Sum as Total
    from django.urls import reverse

    from lindung.reconciliation import access
    from lindung.reconciliation.models import Reconciliation

    out = []
    months = Reconciliation.objects.filter(program__in=programs).select_related("program").annotate(
        dibayar=Total("payments__jumlah"))
    for r in months:
        link = reverse("reconciliation_month", args=[r.program.slug, r.bulan.strftime("%Y-%m")])
        label = f"{r.program.nama}, {services.Month.of(r.bulan).name_id}"
        if r.status == Reconciliation.Status.DRAF and access.may_reconcile(user):
            out.append((f"Tagihan BPJS menunggu rekonsiliasi: {label}", r.open_lines().count(), link))
        elif r.is_ready and access.may_pay(user) and (r.dibayar or 0) < (r.jumlah_disetujui or 0):
            out.append((f"Tagihan BPJS siap bayar, belum lunas: {label}", 1, link))
    return out


def trend(kode: str, last: services.Month, semesta: Semesta | None) -> list[tuple[str, float | None]]:
    total = services.semesta_by_region(semesta, kode, len(kode)).get(kode) if semesta else None
    months = [last + (i - TREND_MONTHS + 1) for i in range(TREND_MONTHS)]
    people = services.totals_by_month(months, kode)
    return [(format_month_short(m), persen(people[m], total)) for m in months]


def budget(programs) -> dict[str, int]:
    """Pagu, committed and not yet billed, billed, paid, left: lindung.billing.budget's realisation, summed."""
    from lindung.billing.budget import realisation

    totals = dict.fromkeys(("pagu", "terikat", "ditagih", "dibayar", "sisa"), 0)
    for program in programs:
        r = realisation(program)
        for name in totals:
            totals[name] += getattr(r, name)
    return totals


def for_user(user, area: str | None) -> dict:
    programs = Program.objects.visible_to(user).order_by("-mulai", "nama")
    context = {"funnels": funnels(user, programs), "waiting": waiting(user, programs)}
    membership = getattr(user, "membership", None)
    if membership is None or not membership.is_desa:
        context["budget"] = budget(programs)
    if area:
        report = services.report(area)
        context["coverage"] = report
        context["trend"] = trend(area, report.bulan, report.semesta)
        context["trend_svg"] = charts.trend(context["trend"], title=f"Cakupan {report.area.nama} per bulan")
    return context
