from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from lindung.accounts.access import disclosure_for, is_disnaker, require_disnaker
from lindung.background import runner
from lindung.background.models import Job
from lindung.background.views import deliver_result
from lindung.enrolment import background as enrolment_jobs
from lindung.enrolment import bpjs, services
from lindung.enrolment.forms import RELEASE_REASONS, CohortForm, ReleaseForm, ResponseForm, SkForm
from lindung.counters.models import EnrolmentTally, by_state, in_state
from lindung.imports.models import Candidate, CandidateStatus
from lindung.enrolment.models import Cohort, Enrolment
from lindung.enrolment.tasks import make_sk_task
from lindung.lib import keyset
from lindung.lib.audit import record_nik_access
from lindung.lib.urls import pk_url
from lindung.privacy.downloads import Export, protected_download
from lindung.programs.views import _desa_scope, _get_program_for_user
from lindung.lib.forms import field_errors

@login_required
def cohort(request, slug):
    program = _get_program_for_user(request, slug)
    current = services.latest_cohort(program)
    if current is not None:
        current.recover_if_stale()
    state = request.GET.get("status", Enrolment.State.SEATED)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    tally = EnrolmentTally.objects.for_cohort(current.pk) if current else Counter()  # read once for the page
    page, count = _enrolment_page(request, current, state, visible, tally)
    if page and disclosure_for(request.user).full:
        record_nik_access(request.user, model=Enrolment, rows=len(page), note=f"penetapan {program.slug}")
    context = {
        "program": program, "cohort": current, "form": CohortForm(), "response_form": ResponseForm(),
        "state": services.program_state(program, cohort=current, states=by_state(tally)),
        "states": Enrolment.State.choices, "current_state": state,
        "release_fields": _release_fields(request),
        "release_form": state == Enrolment.State.SEATED and is_disnaker(request.user),
        "bpjs_counts": _bpjs_counts(tally) if current else None,
        "sk_form": SkForm(initial=_sk_initial(current, program)) if current else None,
        "lampiran": enrolment_jobs.current_lampiran(current) if current else None,
        "page": page, "rows": _enrolment_rows(request, program, page or []), "count": count,
        "paging_query": _paging_query(request),
        # Conflicts other programmes found with this one: only people this user may see here.
        "named_here": Enrolment.objects.filter(conflict_program=program, state=Enrolment.State.CONFLICT)
        .filter(Q(candidate__nik__in=visible.values("nik")) | Q(conflict_candidate__in=visible))
        .select_related("cohort__program", "candidate", "conflict_candidate")[:200],
    }
    return render(request, "enrolment/cohort.html", context)


def _release_fields(request) -> str:
    """The release form's token and fields, rendered once: every seated row of the page repeats the same
    hidden token and three widgets (100 renders through the form templates were most of the page's time)."""
    form = ReleaseForm()
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">{} {} {}', get_token(request),
                       form["alasan"].as_widget(), form["tanggal"].as_widget(), form["tujuan"].as_widget())


@dataclass(frozen=True)
class _Row:
    urutan: int
    nik: str
    detail_url: str
    nama: str
    desa: str
    status: str
    kpj: str
    conflict_program: str
    alasan: str
    release_url: str


def _enrolment_rows(request, program, page) -> list[_Row]:
    """The table's rows laid out once in Python: at 100 rows, the template's lookups through
    enrolment → candidate → desa, a {% url %} and a {% csrf_token %} per row were half the page's CPU."""
    show = disclosure_for(request.user).nik
    detail, release = pk_url("candidate_detail"), pk_url("enrolment_release", program.slug)
    labels = dict(CandidateStatus.choices)
    return [_Row(e.urutan, show(e.candidate.nik), detail(e.candidate_id), e.candidate.nama, e.candidate.desa.nama,
                 labels.get(e.candidate.status, e.candidate.status), e.kpj,
                 e.conflict_program.nama if e.conflict_program_id else "", e.alasan, release(e.pk)) for e in page]


def _bpjs_counts(tally) -> dict[str, int]:
    """Who *Ajukan ke BPJS* would submit (seated, terverifikasi) and who awaits the answer (seated, diajukan):
    the same sets as bpjs.to_submit / awaiting_seated, from the trigger-kept tally."""
    seated = Enrolment.State.SEATED
    return {"ajukan": in_state(tally, seated, statuses={CandidateStatus.TERVERIFIKASI}),
            "menunggu": in_state(tally, seated, statuses={CandidateStatus.DIAJUKAN})}


def _enrolment_page(request, current, state: str, visible, tally):
    """One keyset page of the cohort in priority order (index cohort, state, urutan) and a bounded count.
    Only a desa operator's rows need the candidate scope: anyone else sees the whole programme."""
    if current is None:
        return None, (0, True)
    rows = current.enrolments.filter(state=state)
    if _desa_scope(request.user):
        rows = rows.filter(candidate__in=visible)
    page = keyset.keyset_page(rows.select_related("candidate__desa", "conflict_program"),
                              ["urutan", "pk"], after_cursor=request.GET.get("setelah"),
                              before_cursor=request.GET.get("sebelum"), size=100)
    if _desa_scope(request.user):
        return page, keyset.bounded_count(rows)
    return page, (in_state(tally, state), True)  # the whole cohort: exact, from the tally


def _paging_query(request):
    query = request.GET.copy()
    for key in ("setelah", "sebelum"):
        query.pop(key, None)
    return query


def _sk_initial(current, program) -> dict:
    return {"nomor_sk": current.nomor_sk, "tanggal_sk": current.tanggal_sk, "tempat_sk": current.tempat_sk or program.pemda.nama,
            "penandatangan_jabatan": current.penandatangan_jabatan, "penandatangan_nama": current.penandatangan_nama}


@login_required
@require_POST
def cohort_create(request, slug):
    """The form is checked now; the seating itself is a background job with a progress page (issue 18)."""
    program = _get_program_for_user(request, slug)
    require_disnaker(request.user)
    form = CohortForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isian penetapan tidak valid: " + "; ".join(field_errors(form)))
        return redirect("cohort", slug=program.slug)
    data = form.cleaned_data
    busy = _cohort_job_running(program)
    if busy is not None:
        return busy
    try:
        services.cohort_terms(program, mulai=data["mulai"], bulan=data["bulan"], alasan_mulai=data["alasan_mulai"],
                              prioritas=data["prioritas"])
        if program.cohorts.exists():
            raise services.EnrolmentError(services.HAS_COHORT)
    except services.EnrolmentError as exc:
        messages.error(request, str(exc))
        return redirect("cohort", slug=program.slug)
    job = runner.start(Job.Kind.FORM_COHORT, program=program, user=request.user, params={
        "mulai": data["mulai"].isoformat() if data["mulai"] else None, "bulan": data["bulan"],
        "alasan_mulai": data["alasan_mulai"], "prioritas": data["prioritas"]})
    return redirect("job_detail", pk=job.pk)


def _cohort_job_running(program):
    """One cohort job at a time per programme: a second click goes to the one already queued or running."""
    running = program.jobs.active().filter(kind__in=[Job.Kind.FORM_COHORT, Job.Kind.ADD_TO_COHORT]).first()
    if running is None or running.recover_if_stale():
        return None
    return redirect("job_detail", pk=running.pk)


def _get_cohort_for_disnaker(request, slug):
    """The programme (scoped to the user's area) and its latest cohort, for a Disnaker action."""
    program = _get_program_for_user(request, slug)
    require_disnaker(request.user)
    return program, _cohort_or_404(program)


def _cohort_or_404(program):
    current = services.latest_cohort(program)
    if current is None:
        raise Http404("Program ini belum punya kohort.")
    return current


@login_required
def submit(request, slug):
    """*Ajukan ke BPJS*: a confirmation naming how many people (GET), then the status change (POST), made by
    a background job (a province's 600.000) whose page shows its progress and then the outcome."""
    program, current = _get_cohort_for_disnaker(request, slug)
    count = bpjs.to_submit(current).count()
    if request.method == "POST":
        if not count:
            messages.info(request, "Tidak ada peserta baru untuk diajukan.")
            return redirect("cohort", slug=program.slug)
        running = program.jobs.active().filter(kind=Job.Kind.SUBMIT).first()  # a second click: the same job
        if running is not None and not running.recover_if_stale():
            return redirect("job_detail", pk=running.pk)
        job = runner.start(Job.Kind.SUBMIT, program=program, user=request.user)
        return redirect("job_detail", pk=job.pk)
    return render(request, "enrolment/submit_confirm.html", {"program": program, "count": count,
                                                              "awaiting": bpjs.awaiting_seated(current).count()})


@login_required
@require_POST
def submission(request, slug, fmt):
    """The pengajuan file of who awaits BPJS's answer: written by a background job (a province's 600.000
    rows), then downloaded from the job's page, encrypted with a password typed there. Changes nothing."""
    if fmt not in {"xlsx", "csv"}:
        raise Http404("Format berkas tidak dikenal.")
    program, current = _get_cohort_for_disnaker(request, slug)
    if not bpjs.awaiting_seated(current).exists():
        messages.error(request, "Belum ada yang diajukan ke BPJS: klik Ajukan ke BPJS dulu.")
        return redirect("cohort", slug=program.slug)
    job = runner.start(Job.Kind.SUBMISSION, program=program, user=request.user, params={"fmt": fmt})
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def response_upload(request, slug):
    """The branch's answer: kept, then checked whole and applied all-or-nothing by a background job (a
    province's 600.000 rows) whose page lists each problem by row and column when it refuses the file."""
    program, _ = _get_cohort_for_disnaker(request, slug)
    form = ResponseForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Pilih berkas jawaban BPJS.")
        return redirect("cohort", slug=program.slug)
    running = program.jobs.active().filter(kind=Job.Kind.RESPONSE).first()
    if running is not None and not running.recover_if_stale():  # one answer at a time per programme
        messages.error(request, "Jawaban BPJS sebelumnya masih diterapkan; tunggu sampai selesai, lalu unggah lagi.")
        return redirect("job_detail", pk=running.pk)
    upload = form.cleaned_data["berkas"]
    # Kept in storage only until the job has read it (it holds full NIKs): the job deletes it either way.
    stored = default_storage.save(f"jawaban/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}", upload)
    job = runner.start(Job.Kind.RESPONSE, program=program, user=request.user,
                       params={"upload": stored, "filename": upload.name}, text="Menunggu giliran memeriksa berkas")
    return redirect("job_detail", pk=job.pk)


@login_required
def sk_download(request, slug, fmt):
    """The SK and its lampiran carry full NIKs: the Disnaker that issues them downloads them."""
    if fmt not in {"pdf", "xlsx"}:
        raise Http404("Format berkas tidak dikenal.")
    program, current = _get_cohort_for_disnaker(request, slug)
    if fmt == "pdf" and not current.sk_pdf:
        messages.error(request, "SK (PDF) belum dibuat atau sudah usang: klik Buat SK.")
        return redirect("cohort", slug=program.slug)
    if fmt == "xlsx":  # written by a background job (a province's 600.000), encrypted here on delivery
        made = enrolment_jobs.current_lampiran(current)
        if made is None:
            messages.error(request, "Lampiran SK (xlsx) belum dibuat atau sudah usang: klik Buat lampiran.")
            return redirect("cohort", slug=program.slug)
        return deliver_result(request, made, back_url=reverse("cohort", args=[program.slug]))

    def make() -> Export:
        rows, note = current.seated_count(), f"SK penetapan {program.slug} ({fmt})"
        if fmt == "pdf" and len(current.sk_files) > 1:  # a province's SK: its volumes in one zip
            return Export(b"", f"sk-penetapan-{program.slug}.zip", rows=rows, model=Enrolment,
                          note=f"{note}, {len(current.sk_files)} jilid", members=_volume_members(program, current))
        return Export(current.sk_pdf.read(), f"sk-penetapan-{program.slug}.pdf", rows=rows, model=Enrolment,
                      note=note)

    return protected_download(request, title="Unduh SK penetapan (PDF)", make=make,
                              back_url=reverse("cohort", args=[program.slug]))


@login_required
@require_POST
def lampiran_make(request, slug):
    """*Buat lampiran (xlsx)*: written once by a background job for the cohort's current seats and SK details."""
    program, current = _get_cohort_for_disnaker(request, slug)
    if not current.seated.exists():
        messages.error(request, "Lampiran belum dapat dibuat: belum ada peserta yang mendapat kursi.")
        return redirect("cohort", slug=program.slug)
    running = program.jobs.active().filter(kind=Job.Kind.LAMPIRAN, params__revision=current.sk_revision,
                                           params__cohort=current.pk).first()
    if running is not None and not running.recover_if_stale():
        return redirect("job_detail", pk=running.pk)  # a second click: the same job
    job = runner.start(Job.Kind.LAMPIRAN, program=program, user=request.user,
                       params={"cohort": current.pk, "revision": current.sk_revision})
    return redirect("job_detail", pk=job.pk)


def _volume_members(program, current) -> tuple:
    """(name in the zip, read) per stored volume: "sk-penetapan-SLUG-jilid-001-dari-120.pdf"."""
    storage, names = current.sk_pdf.storage, current.sk_files
    width = max(3, len(str(len(names))))

    def read(name: str) -> bytes:
        with storage.open(name, "rb") as handle:
            return handle.read()

    return tuple((f"sk-penetapan-{program.slug}-jilid-{i:0{width}d}-dari-{len(names):0{width}d}.pdf",
                  lambda name=name: read(name)) for i, name in enumerate(names, start=1))


@login_required
def sk_status(request, slug):
    """Polled by the cohort page while the SK is being made; the page reloads when it is done."""
    program, current = _get_cohort_for_disnaker(request, slug)
    current.recover_if_stale()
    current.refresh_from_db(fields=["sk_pending", "sk_error", "sk_jilid_selesai", "sk_jilid_total"])
    return JsonResponse({"running": current.sk_pending, "progress": current.sk_progress if current.sk_pending else 0,
                         "label": "SK sedang dibuat", "text": current.sk_progress_text})


SK_REQUIRED = (("nomor_sk", "nomor SK"), ("tanggal_sk", "tanggal SK"), ("penandatangan_nama", "nama penandatangan"))


@login_required
@require_POST
def sk_make(request, slug):
    program, current = _get_cohort_for_disnaker(request, slug)
    if not current.seated.exists():
        messages.error(request, "SK belum dapat dibuat: belum ada peserta yang mendapat kursi.")
        return redirect("cohort", slug=program.slug)
    missing = [label for name, label in SK_REQUIRED if not getattr(current, name)]
    if missing:  # a decree without its number, date or signer is not a decree (issue 16)
        messages.error(request, f"SK belum dapat dibuat: isi dulu {', '.join(missing)} "
                                "(bagian Nomor, tanggal dan penandatangan SK), lalu klik Buat SK.")
        return redirect("cohort", slug=program.slug)
    current.forget_sk()
    Cohort.objects.filter(pk=current.pk).update(sk_pending=True, sk_heartbeat_at=None, sk_error="",
                                                sk_jilid_selesai=0, sk_jilid_total=0)
    make_sk_task.enqueue(current.pk)
    messages.success(request, "SK sedang dibuat oleh pekerja latar; halaman ini memuat tautan unduhnya sendiri bila sudah siap.")
    return redirect("cohort", slug=program.slug)


@login_required
@require_POST
def sk_update(request, slug):
    program, current = _get_cohort_for_disnaker(request, slug)
    form = SkForm(request.POST)
    if form.is_valid():
        for name, value in form.cleaned_data.items():
            setattr(current, name, value)
        current.save(update_fields=list(form.cleaned_data))
        current.forget_sk()
        messages.success(request, "Data SK disimpan.")
    else:
        messages.error(request, "Data SK belum lengkap: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("cohort", slug=program.slug)


@login_required
@require_POST
def enrolment_release(request, slug, pk):
    """A seated person leaves (died, moved, …): the seat goes to the first on the waiting list."""
    program, current = _get_cohort_for_disnaker(request, slug)
    enrolment = get_object_or_404(current.seated.select_related("candidate"), pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih alasan keluar.")
        return redirect("cohort", slug=program.slug)
    code, akhir = form.cleaned_data["alasan"], form.cleaned_data["tanggal"]
    if akhir is None and enrolment.kpj:
        messages.error(request, f"{enrolment.candidate.nama} sudah terdaftar di BPJS: isi tanggal meninggal atau "
                                "tanggal pada bulan terakhir yang masih dilindungi.")
        return redirect("cohort", slug=program.slug)
    label = dict(RELEASE_REASONS)[code]
    when = f" {akhir:%d-%m-%Y}" if akhir else ""
    reason = f"{label}{when}. {form.cleaned_data['catatan']}".strip()
    promoted = services.release(enrolment, user=request.user, reason=reason, akhir=akhir, kode=code)
    names = ", ".join(e.candidate.nama for e in promoted) or "tidak ada (daftar tunggu kosong)"
    messages.success(request, f"{enrolment.candidate.nama} keluar ({label}); kursinya diberikan kepada: {names}.")
    if code == "pindah" and form.cleaned_data["tujuan"]:
        from lindung.protection import moves  # a later stage: the offer waits for the other programme's operator

        offers = moves.offer(enrolment.candidate, kabupaten=form.cleaned_data["tujuan"].strip(),
                             today=timezone.localdate(), user=request.user)
        where = ", ".join(o.program.nama for o in offers) or "tidak ada program berjalan di kabupaten/kota tujuan"
        messages.info(request, f"Ditawarkan ke daftar tunggu: {where} (menunggu keputusan operatornya).")
    return redirect("cohort", slug=program.slug)


@login_required
@require_POST
def cohort_add(request, slug):
    """Candidates verified since the cohort was formed join it, in a background job with a progress page."""
    program, current = _get_cohort_for_disnaker(request, slug)
    busy = _cohort_job_running(program)
    if busy is not None:
        return busy
    job = runner.start(Job.Kind.ADD_TO_COHORT, program=program, user=request.user)
    return redirect("job_detail", pk=job.pk)
