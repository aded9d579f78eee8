from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Upper
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from lindung.accounts.access import can_upload, disclosure_for
from lindung.counters.models import CandidateTally, WarningTally, with_code
from lindung.domain import nik as nik_domain
from lindung.domain import pekerjaan as pekerjaan_domain
from lindung.imports import xlsx
from lindung.imports.models import Candidate, CandidateStatus, ImportBatch
from lindung.lib import keyset
from lindung.lib.audit import record_nik_access, trail
from lindung.lib.download import attachment
from lindung.lib.urls import pk_url
from lindung.programs.forms import LEVEL_LABELS
from lindung.programs.models import Program
from lindung.registry.models import Region


def _get_program_for_user(request, slug: str) -> Program:
    return get_object_or_404(Program.objects.visible_to(request.user).select_related("pemda"), slug=slug)


def _get_candidate_for_user(request, pk: int) -> Candidate:
    qs = Candidate.objects.visible_to(request.user).select_related("program", "desa", "source_batch")
    return get_object_or_404(qs, pk=pk)


@login_required
def program_list(request):
    programs = list(Program.objects.visible_to(request.user).select_related("pemda"))
    counts = CandidateTally.objects.by_program([p.pk for p in programs])  # kept by triggers: no COUNT of the rows
    for program in programs:
        program.calon = sum(counts[program.pk].values())
    return render(request, "programs/program_list.html", {"programs": programs})


@login_required
def program_detail(request, slug):
    program = _get_program_for_user(request, slug)
    by_status = status_counts(request.user, program)
    batches = ImportBatch.objects.filter(program=program, pk__in=_visible_batches(request.user, program))
    batches.recover_stale()  # a killed import is listed as stopped, not as "sedang disimpan" forever
    batches = batches[:10]
    context = {"program": program, "by_status": [(s.label, by_status.get(s.value, 0)) for s in CandidateStatus],
               "total": sum(by_status.values()), "batches": batches, "can_upload": can_upload(request.user),
               "money": _money(request.user, program), "levels": [LEVEL_LABELS[code] for code in program.levels]}
    return render(request, "programs/program_detail.html", context)


def status_counts(user, program) -> dict[str, int]:
    """{status: n} of the candidates this user sees: the trigger-kept tally for the whole programme, a real
    COUNT for a desa operator's one desa (a few hundred rows along the (program, desa) index)."""
    if _desa_scope(user):
        visible = Candidate.objects.visible_to(user).filter(program=program)
        return dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return dict(CandidateTally.objects.by_status(program.pk))


def _money(user, program) -> dict | None:
    """Pagu, the SK's figure and the ledger's billed/paid sums; a desa operator sees none of the money."""
    membership = getattr(user, "membership", None)
    if membership is not None and membership.is_desa and not user.is_superuser:
        return None
    from lindung.billing.ledger import program_totals  # billing reads programmes, never the reverse at import
    from lindung.enrolment.services import latest_cohort

    cohort = latest_cohort(program)
    return {"pagu": program.pagu, "iuran_penetapan": cohort.iuran_penetapan if cohort else 0, **program_totals(program)}


def _visible_batches(user, program):
    membership = getattr(user, "membership", None)
    qs = ImportBatch.objects.filter(program=program)
    if membership is not None and membership.is_desa and not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs.values("pk")


@login_required
def program_template(request, slug):
    program = _get_program_for_user(request, slug)
    desa = _template_desa(request.user, program)
    data = xlsx.build_template(
        program_name=program.nama, desa=desa, pekerjaan=_pekerjaan_choices(program),
        coverage_start=program.mulai, min_age=program.usia_min, max_age=program.usia_max,
    )
    return attachment(data, f"templat-{program.slug}.xlsx")


def _template_desa(user, program) -> list[tuple[str, str, str]]:
    membership = getattr(user, "membership", None)
    scope = membership.wilayah_id if membership is not None and membership.is_desa else program.pemda_id
    from lindung.domain import wilayah

    rows = [w for w in wilayah.all_at(4) if w.kode == scope or w.kode.startswith(scope + ".")]
    return [(w.kode, w.nama, w.tingkat) for w in rows]


def _pekerjaan_choices(program) -> list[tuple[str, str]]:
    allowed = program.allowed_pekerjaan or pekerjaan_domain.ALLOWED_PEKERJAAN_BY_SUMBER.get(program.sumber_dana)
    return [(code, label) for code, label in pekerjaan_domain.PEKERJAAN.items() if not allowed or code in allowed]


# Per list order: the columns of the keyset (the last one unique) and the index that serves them.
LIST_ORDER = ["desa_id", "nama", "pk"]
NAME_ORDER = ["nama_upper", "pk"]
DESA_CHOICES_LIMIT = 1000  # a province has ~8.000 desa: then the filter takes a kode instead of a list
TOO_MANY_DESA_SECONDS = 600


@login_required
def candidate_list(request, slug):
    program = _get_program_for_user(request, slug)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    warnings = _warning_tally(request.user, program)
    qs, order = _filtered_candidates(request, visible, warnings)
    combinations = _problem_combinations(request, warnings)
    if combinations is not None:  # one index range per combination of codes holding the warning asked
        in_parts, _order = _filtered_candidates(request, visible, warnings, in_parts=True)
        page = keyset.partitioned_page(in_parts.select_related("desa"), "problem_codes", combinations, order,
                                       after_cursor=request.GET.get("setelah"), before_cursor=request.GET.get("sebelum"))
    else:
        page = keyset.keyset_page(qs.select_related("desa"), order, after_cursor=request.GET.get("setelah"),
                                  before_cursor=request.GET.get("sebelum"))
    detail = pk_url("candidate_detail")  # reversed once, not per row
    for candidate in page:
        candidate.detail_url = detail(candidate.pk)
    if disclosure_for(request.user).full:
        record_nik_access(request.user, model=Candidate, rows=len(page), note=f"daftar calon {program.slug}")
    count, exact = _candidate_count(request, qs, warnings)
    desa_codes = _desa_codes(request.user, program, visible)
    context = {
        "program": program, "page": page, "count": count, "count_exact": exact,
        "statuses": CandidateStatus.choices, "filters": request.GET,
        "desa_choices": Region.objects.filter(kode__in=desa_codes) if desa_codes is not None else None,
        "problem_codes": _problem_choices(visible, warnings),
        "paging_query": request.GET.copy(),
    }
    for key in ("setelah", "sebelum"):
        context["paging_query"].pop(key, None)
    return render(request, "programs/candidate_list.html", context)


def _desa_scope(user) -> str | None:
    membership = getattr(user, "membership", None)
    if membership is not None and membership.is_desa and not user.is_superuser:
        return membership.wilayah_id
    return None


def _desa_codes(user, program, visible) -> list[str] | None:
    """The desa with candidates (a loose index scan, never a read of every row); None when too many to list.

    Learning that a province's programme has more than DESA_CHOICES_LIMIT desa costs as many index seeks
    (15-35 ms of the database's CPU on every list and queue page at 1M); that verdict is remembered for
    TOO_MANY_DESA_SECONDS (a programme's desa only grow, and the kode field works either way). A list that
    fits is scanned on every page, so a new desa shows at once."""
    if _desa_scope(user):
        return [_desa_scope(user)]
    key = f"desa-too-many:{program.pk}:{program.created_at.timestamp()}"
    if cache.get(key):
        return None
    codes = keyset.distinct_values(Candidate, "desa", where={"program": program.pk}, limit=DESA_CHOICES_LIMIT + 1)
    if len(codes) > DESA_CHOICES_LIMIT:
        cache.set(key, True, TOO_MANY_DESA_SECONDS)
        return None
    return codes


def _warning_tally(user, program) -> dict | None:
    """The programme's warning tally ({combination of codes: {status: n}}, kept by triggers: lindung.counters),
    read once per page; None for a desa operator, whose one desa's rows are few and are read instead."""
    if _desa_scope(user):
        return None
    return WarningTally.objects.for_program(program.pk)


def _problem_choices(visible, warnings) -> list[tuple[str, str]]:
    """The warning codes present in this list, with their Indonesian description, for the filter."""
    from lindung.imports.validate import PROBLEM_CODES

    joined = visible.order_by().values_list("problem_codes", flat=True).distinct() if warnings is None else warnings
    codes = {code for text in joined for code in text.split("|") if code}
    return sorted((code, PROBLEM_CODES.get(code) or nik_domain.MESSAGES.get(code, code)) for code in codes)


def _filtered_candidates(request, qs, warnings, *, in_parts: bool = False):
    """The filtered list and the keyset order that an index serves for it.

    The search goes by the input's shape: 16 digits is a NIK, looked up exactly (the unique (program,
    nik) index) and only for full-NIK roles — a masked role must not learn whether a person is listed;
    anything else is the start of a name, a range on the UPPER(nama) index. `warnings`: the programme's
    warning tally as `_warning_tally` read it. `in_parts`: the caller reads the warning filter's combinations
    one at a time (keyset.partitioned_page), so the IN over all of them is left out — PostgreSQL would count
    it on top of each part's equality in its row estimate (at 1M with fresh statistics, a common code's
    24.000 rows sorted, 88-280 ms, instead of read in the index's order)."""
    order = LIST_ORDER
    q = request.GET.get("q", "").strip()
    digits = "".join(ch for ch in q if ch.isdigit())
    if q and len(digits) == 16 and len(digits) >= len(q.replace(" ", "")) - 2:
        qs = qs.filter(nik=digits) if disclosure_for(request.user).full else qs.none()
    elif q:
        qs, order = _name_prefix(qs, q), NAME_ORDER
    if request.GET.get("desa"):
        qs = qs.filter(desa_id=request.GET["desa"])
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("masalah"):
        combinations = _problem_combinations(request, warnings)
        # A desa operator's rows: the substring filter over one desa. Otherwise the few combinations holding
        # the code, as an IN along the (program, problem_codes, …) index: `LIKE '%|code|%'` would read every
        # row of a province's programme when the code is rare.
        if combinations is None:
            qs = qs.with_problem(request.GET["masalah"])
        else:
            qs = qs.with_warnings() if in_parts else qs.with_codes_in(combinations)
    if request.GET.get("bpjs"):
        qs = qs.exclude(bpjs_kpj="")
    return qs, order


def _problem_combinations(request, warnings) -> list[str] | None:
    """The combinations of warning codes ("|a||b|") that hold the code asked, in index order (the tally's);
    None without the filter, or without a tally (a desa operator)."""
    code = request.GET.get("masalah")
    if not code or warnings is None:
        return None
    return [c for c in warnings if f"|{code}|" in c]


# Filters the warning tally cannot answer with the warning filter: then the matches are counted (up to a limit).
UNTALLIED_FILTERS = ("q", "desa", "bpjs")


def _candidate_count(request, qs, warnings) -> tuple[int, bool]:
    """(count, exact) of the filtered list. The warning filter, alone or with a status, is answered by the
    warning tally: a sum over the combinations holding the code, the same at 10.000 and 1.000.000 candidates
    (counting its 25.000 matches up to the limit made the page's cost grow with the programme). Any other
    filter counts its matches, at most keyset.COUNT_LIMIT + 1 rows."""
    code = request.GET.get("masalah")
    if code and warnings is not None and not any(request.GET.get(name) for name in UNTALLIED_FILTERS):
        return with_code(warnings, code, status=request.GET.get("status") or None), True
    return keyset.bounded_count(qs)


def _name_prefix(qs, q: str):
    prefix = " ".join(q.upper().split())
    qs = qs.annotate(nama_upper=Upper("nama")).filter(nama_upper__startswith=prefix)
    if prefix[-1].isalnum() and ord(prefix[-1]) < 0xFFFF:
        # The range lets the index find the first match; startswith keeps the answer exact.
        qs = qs.filter(nama_upper__gte=prefix, nama_upper__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return qs


@login_required
def candidate_detail(request, pk):
    candidate = _get_candidate_for_user(request, pk)
    if disclosure_for(request.user).full:
        record_nik_access(request.user, model=Candidate, rows=1, note=f"detail calon {candidate.pk}")
    from lindung.protection.contributions import person  # a later stage's figure, shown on the person's page

    context = {"c": candidate, "trail": trail(candidate)[:100], "masa_iur": person(candidate.nik, today=timezone.localdate()),
               # why the status is what it is ("Verifikasi Dinas Sosial: tidak layak (…)"), beside the status
               "status_change": candidate.status_changes.filter(new=candidate.status).order_by("-at", "-id").first(),
               "pekerjaan_label": pekerjaan_domain.PEKERJAAN.get(candidate.pekerjaan, candidate.pekerjaan)}
    return render(request, "programs/candidate_detail.html", context)
