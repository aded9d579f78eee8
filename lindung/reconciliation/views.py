from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindung.privacy.downloads import Export, people_download
from lindung.accounts.access import disclosure_for, sees_full_nik
from lindung.billing.ledger import sync_ledger
from lindung.domain.periods import Month, PeriodError
from lindung.domain.reconcile import CLASSES, COCOK
from lindung.lib.audit import record_nik_access
from lindung.lib.download import attachment
from lindung.lib.format import format_rupiah
from lindung.lib.forms import field_errors
from lindung.programs.views import _get_program_for_user
from lindung.reconciliation import access, export, services
from lindung.reconciliation.forms import PaymentForm, ResolveForm, TagihanForm
from lindung.reconciliation.models import Payment, Reconciliation, ReconciliationLine


def _get_program(request, slug):
    """The programme in the user's area (404 otherwise), for a role that may read its money."""
    program = _get_program_for_user(request, slug)
    access.require_read(request.user)
    return program


def _month(bulan: str) -> Month:
    try:
        return Month.parse(bulan)
    except PeriodError:
        raise Http404("Bulan tidak dikenal.") from None


def _get_reconciliation(program, bulan: Month) -> Reconciliation:
    found = Reconciliation.objects.filter(program=program, bulan=bulan.first_day).first()
    if found is None:
        raise Http404("Belum ada tagihan BPJS untuk bulan ini.")
    return found


@login_required
def overview(request, slug):
    program = _get_program(request, slug)
    today = timezone.localdate()
    arrears = services.arrears_by_person(program, today=today, limit=200)
    if sees_full_nik(request.user):
        record_nik_access(request.user, model=ReconciliationLine, rows=len(arrears), note=f"tunggakan {program.slug}")
    context = {"program": program, "months": services.months(program, today=today), "form": TagihanForm(),
               "arrears": [(disclosure_for(request.user).nik(nik), nama, n) for nik, nama, n in arrears], "due_day": services.due_day(program),
               "may_reconcile": access.may_reconcile(request.user)}
    return render(request, "reconciliation/overview.html", context)


def _field_errors(request, form) -> None:
    for text in field_errors(form):  # one message per wrong field, naming it
        messages.error(request, text)


@login_required
@require_POST
def upload(request, slug):
    program = _get_program(request, slug)
    access.require_reconcile(request.user)
    form = TagihanForm(request.POST, request.FILES)
    if not form.is_valid():
        _field_errors(request, form)
        return redirect("reconciliation_overview", slug=program.slug)
    bulan, upload_file = Month.parse(form.cleaned_data["bulan"]), form.cleaned_data["berkas"]
    sync_ledger(program, through=bulan)  # the bill of that month, as the bill page writes it
    try:
        read, saved = services.save_reconciliation(program=program, bulan=bulan, data=upload_file.read(),
                                                   filename=upload_file.name, user=request.user)
    except services.ReconciliationError as exc:
        messages.error(request, str(exc))
        return redirect("reconciliation_overview", slug=program.slug)
    if saved is None:
        messages.error(request, f"Tagihan ditolak seluruhnya ({len(read.problems)} masalah); tidak ada yang disimpan. "
                                "Perbaiki berkas lalu unggah ulang.")
        for problem in read.problems[:50]:
            where = f"Baris {problem.row}, kolom {problem.column}: " if problem.row else ""
            messages.error(request, where + problem.message)
        return redirect("reconciliation_overview", slug=program.slug)
    messages.success(request, f"Tagihan {bulan.name_id} direkonsiliasi: {saved.counts['cocok']} cocok, "
                              f"{sum(v for k, v in saved.counts.items() if k in CLASSES and k != COCOK)} selisih.")
    return redirect("reconciliation_month", slug=program.slug, bulan=str(bulan))


@login_required
def month(request, slug, bulan):
    program = _get_program(request, slug)
    bulan = _month(bulan)
    rec = _get_reconciliation(program, bulan)
    kelas = request.GET.get("kelas", "selisih")
    lines = rec.lines.select_related("resolved_by")
    lines = lines.exclude(kelas=COCOK) if kelas == "selisih" else lines.filter(kelas=kelas) if kelas in CLASSES else lines
    page = Paginator(lines, 100).get_page(request.GET.get("hal"))
    full = sees_full_nik(request.user)
    if full:
        record_nik_access(request.user, model=ReconciliationLine, rows=len(page), note=f"rekonsiliasi {program.slug} {bulan}")
    rows = [(line, disclosure_for(request.user).nik(line.nik_bpjs) if line.nik_bpjs else "",
             disclosure_for(request.user).nik(line.nik_daftar) if line.nik_daftar else "") for line in page]
    payments = Payment.objects.filter(program=program, bulan=bulan.first_day).select_related("recorded_by")
    paid = sum(p.jumlah for p in payments)
    context = {"program": program, "bulan": bulan, "rec": rec, "page": page, "rows": rows, "kelas": kelas,
               "classes": CLASSES, "class_counts": [(label, rec.counts.get(k, 0)) for k, label in CLASSES.items()],
               "open": rec.open_lines().count(), "payments": payments, "paid": paid,
               "sisa": (rec.jumlah_disetujui or 0) - paid, "resolve_form": ResolveForm(), "payment_form": PaymentForm(),
               "may_reconcile": access.may_reconcile(request.user), "may_pay": access.may_pay(request.user)}
    return render(request, "reconciliation/month.html", context)


def _back(program, bulan: Month):
    return redirect("reconciliation_month", slug=program.slug, bulan=str(bulan))


def _act(request, program, bulan: Month, action) -> HttpResponse:
    """Run one reconciliation step; its refusal or its success message, then back to the month."""
    try:
        done = action()
    except services.ReconciliationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(program, bulan)


@login_required
@require_POST
def resolve(request, slug, bulan):
    program = _get_program(request, slug)
    access.require_reconcile(request.user)
    bulan = _month(bulan)
    rec = _get_reconciliation(program, bulan)
    form = ResolveForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("baris") if v.isdigit()]
    if not form.is_valid():
        _field_errors(request, form)
        return _back(program, bulan)
    data = form.cleaned_data
    return _act(request, program, bulan, lambda: "{} baris diselesaikan.".format(services.resolve(
        reconciliation=rec, line_ids=ids, resolution=data["resolution"], alasan=data["alasan"], user=request.user)))


@login_required
@require_POST
def ready(request, slug, bulan):
    program = _get_program(request, slug)
    access.require_reconcile(request.user)
    bulan = _month(bulan)

    def mark() -> str:
        rec = services.mark_ready(reconciliation=_get_reconciliation(program, bulan), user=request.user)
        return f"Tagihan {bulan.name_id} siap bayar: {format_rupiah(rec.jumlah_disetujui)}."

    return _act(request, program, bulan, mark)


@login_required
@require_POST
def pay(request, slug, bulan):
    program = _get_program(request, slug)
    access.require_pay(request.user)
    bulan = _month(bulan)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        _field_errors(request, form)
        return _back(program, bulan)

    def record() -> str:
        payment = services.record_payment(program=program, bulan=bulan, user=request.user, **form.cleaned_data)
        return f"Pembayaran SP2D {payment.sp2d_nomor} dicatat: {format_rupiah(payment.jumlah)}."

    return _act(request, program, bulan, record)


@login_required
def download(request, slug, bulan):
    program = _get_program(request, slug)
    bulan = _month(bulan)
    rec = _get_reconciliation(program, bulan)
    payments = list(Payment.objects.filter(program=program, bulan=bulan.first_day))

    def make() -> Export:
        data = export.build_xlsx(rec, payments, show_nik=disclosure_for(request.user).nik)
        return Export(data, f"rekonsiliasi-{program.slug}-{bulan}.xlsx", rows=rec.lines.count(), model=ReconciliationLine,
                      note=f"rekonsiliasi {program.slug} {bulan} (xlsx)")

    return people_download(request, title=f"Unduh hasil rekonsiliasi {bulan} (xlsx)", make=make,
                           back_url=reverse("reconciliation_month", args=[program.slug, str(bulan)]))
