"""Bill, why-view, downloads and realisation pages. Disnaker, Dinas Sosial, BPKAD and auditors of the pemda read
(NIKs masked for BPKAD and auditors); a desa operator sees none of it; another pemda's user gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindung.privacy.downloads import Export, people_download
from lindung.accounts.access import disclosure_for, is_disnaker, membership_of, require_disnaker, sees_full_nik
from lindung.billing import bill, budget, ledger
from lindung.billing.forms import PaguForm
from lindung.billing.models import PersonMonth
from lindung.domain.periods import Month, PeriodError
from lindung.enrolment.services import latest_cohort
from lindung.lib.audit import record_nik_access
from lindung.lib import keyset
from lindung.lib.download import attachment
from lindung.lib.urls import pk_url
from lindung.lib.forms import field_errors
from lindung.lib.format import format_rupiah
from lindung.programs.models import Program
from lindung.programs.views import _get_program_for_user


def _no_desa(request) -> None:
    membership = membership_of(request.user)
    if membership is not None and membership.is_desa and not request.user.is_superuser:
        raise Http404("Tagihan dan realisasi tidak tersedia untuk operator desa/kelurahan.")


def _get_program_for_billing(request, slug: str) -> Program:
    _no_desa(request)
    return _get_program_for_user(request, slug)


def _month(cohort, text: str | None) -> Month:
    """The month asked (TTTT-BB), or the last month of the window that has started, or its first."""
    if cohort is None:
        raise Http404("Program ini belum punya kohort penetapan.")
    if text:
        try:
            month = Month.parse(text)
        except PeriodError as exc:
            raise Http404(str(exc)) from None
        if not cohort.window.contains(month):
            raise Http404(f"{month.name_id} di luar masa perlindungan kohort.")
        return month
    started = [m for m in cohort.window.months_list() if m.first_day <= _today()]
    return started[-1] if started else cohort.window.start


def _today():
    return timezone.localdate()


BILL_ORDER = ["nama", "pk"]  # along the index (program, bulan, nama, id)
BILL_PAGE_SIZE = 100


@login_required
def bill_page(request, slug):
    """One month's bill: its figures from the ledger tally, its lines a keyset page of 100 in name order."""
    program = _get_program_for_billing(request, slug)
    cohort = latest_cohort(program)
    month = _month(cohort, request.GET.get("bulan"))
    ledger.sync_ledger(program, through=month)
    page = keyset.keyset_page(ledger.bill_lines(program, month), BILL_ORDER, after_cursor=request.GET.get("setelah"),
                              before_cursor=request.GET.get("sebelum"), size=BILL_PAGE_SIZE)
    if sees_full_nik(request.user):
        record_nik_access(request.user, model=PersonMonth, rows=len(page), note=f"tagihan {program.slug} {month}")
    figures = ledger.month_figures(program)  # every month's sums in one read of the tally
    summary = ledger.bill_summary(program, month)
    show, why = disclosure_for(request.user).nik, pk_url("bill_line", program.slug)
    context = {
        "program": program, "month": month, "summary": summary, "page": page,
        "rows": [(p, show(p.nik), why(p.pk)) for p in page],
        "months": [(m, figures.get(m.first_day, {}).get("ditagih", 0)) for m in cohort.window.months_list()],
        "voided": ledger.not_billed(program, month).order_by("nama", "pk")[:VOIDED_SHOWN],
        "voided_shown": VOIDED_SHOWN,
        "totals": {"ditagih": sum(f["ditagih"] for f in figures.values()),
                   "dibayar": sum(f["dibayar"] for f in figures.values())},
        "terbilang": bill.capitalised_terbilang(summary.total),
        "paging_query": _paging_query(request), "page_size": BILL_PAGE_SIZE,
    }
    return render(request, "billing/bill.html", context)


VOIDED_SHOWN = 200  # months voided after an exit: a few a month; the downloads list them all


def _paging_query(request):
    query = request.GET.copy()
    for key in ("setelah", "sebelum"):
        query.pop(key, None)
    return query


@login_required
def bill_line(request, slug, pk):
    """Why this amount: the person, the month, the rule and its regulation, and the coverage it follows."""
    program = _get_program_for_billing(request, slug)
    line = get_object_or_404(PersonMonth.objects.select_related("candidate", "enrolment__cohort"), program=program, pk=pk)
    month = Month.of(line.bulan)
    rate = ledger.month_rate(program, month)
    if sees_full_nik(request.user):
        record_nik_access(request.user, model=PersonMonth, rows=1, note=f"rincian tagihan {program.slug} {pk}")
    context = {"program": program, "line": line, "month": month, "rate": rate,
               "nik": disclosure_for(request.user).nik(line.nik), "enrolment": line.enrolment}
    return render(request, "billing/bill_line.html", context)


@login_required
def bill_download(request, slug, bulan, fmt):
    if fmt not in {"xlsx", "pdf"}:
        raise Http404("Format berkas tidak dikenal.")
    program = _get_program_for_billing(request, slug)
    month = _month(latest_cohort(program), bulan)
    ledger.sync_ledger(program, through=month)
    show = disclosure_for(request.user).nik

    def make() -> Export:
        data = bill.bill_xlsx(program, month, show=show) if fmt == "xlsx" else bill.bill_pdf(program, month, show=show)
        return Export(data, f"tagihan-{program.slug}-{month}.{fmt}", rows=ledger.bill_summary(program, month).orang,
                      model=PersonMonth, note=f"tagihan {program.slug} {month} ({fmt})")

    return people_download(request, title=f"Unduh tagihan {month} ({fmt})", make=make,
                           back_url=reverse("bill", args=[program.slug]) + f"?bulan={month}")


@login_required
def realisation_page(request, slug):
    program = _get_program_for_billing(request, slug)
    context = {"program": program, "r": budget.realisation(program), "history": budget.history(program),
               "form": PaguForm(), "can_change": _can_change(request)}
    return render(request, "billing/realisation.html", context)


def _can_change(request) -> bool:
    return is_disnaker(request.user)


@login_required
@require_POST
def pagu_change(request, slug):
    program = _get_program_for_billing(request, slug)
    require_disnaker(request.user)
    form = PaguForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isian perubahan pagu tidak valid: " + "; ".join(field_errors(form)))
        return redirect("realisation", slug=program.slug)
    try:
        change = budget.change_pagu(program, user=request.user, **form.cleaned_data)
    except budget.BudgetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Pagu menjadi {format_rupiah(change.pagu)}; kursi tambahan: {change.kursi_tambahan}.")
    return redirect("realisation", slug=program.slug)


@login_required
def realisation_overview(request):
    _no_desa(request)
    programs = Program.objects.visible_to(request.user).select_related("pemda")
    return render(request, "billing/realisation_overview.html", {"groups": budget.by_source_and_year(programs)})


@login_required
def realisation_download(request):
    _no_desa(request)
    programs = Program.objects.visible_to(request.user).select_related("pemda")
    return attachment(budget.realisation_xlsx(programs), "realisasi-anggaran.xlsx")
