"""One search across the user's programmes: by NIK (full, or its last digits), by name in the matching
engine's normalised form ("Moch. Yusuf" finds "Muhammad Yusuf"), by KPJ. Each hit shows its programme,
status and coverage. Scoped by `Candidate.objects.visible_to`; identity through `disclosure_for`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from lindung.accounts.access import disclosure_for
from lindung.domain.names import name_tokens
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate
from lindung.lib.audit import record_nik_access

LIMIT = 200
SCAN = 50_000  # names read per search at most; a narrower query is asked for beyond it
# Canonical forms many spellings fold into: a raw-text prefilter on them would miss "Moch." for "Muhammad".
FOLDED = frozenset({"muhammad", "abdul", "ahmad", "siti", "nur", "abdurrahman"})


@login_required
def search_page(request):
    q = request.GET.get("q", "").strip()
    result = find(request.user, q) if q else Found([], "")
    if result.hits and disclosure_for(request.user).full:
        record_nik_access(request.user, model=Candidate, rows=len(result.hits), note="pencarian lintas program")
    covered = coverage([c.pk for c in result.hits])
    rows = [(c, covered.get(c.pk)) for c in result.hits]
    return render(request, "api/search.html", {"q": q, "rows": rows, "note": result.note})


class Found:
    def __init__(self, hits, note):
        self.hits, self.note = hits, note


def find(user, q: str) -> Found:
    visible = Candidate.objects.visible_to(user).select_related("program", "desa")
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) >= len(q.replace(" ", "").replace(".", "")) - 1:
        return _by_number(user, visible, digits)
    return _by_name(visible, q)


def _by_number(user, visible, digits: str) -> Found:
    if len(digits) < 4:
        return Found([], "Ketik paling sedikit 4 angka.")
    by_kpj = Q(bpjs_kpj=digits) | Q(enrolments__kpj=digits)
    if not disclosure_for(user).full:
        # A masked role must not learn whether a NIK is listed: KPJ only.
        hits = list(visible.filter(by_kpj).distinct().order_by("pk")[:LIMIT])
        return Found(hits, "Peran Anda tidak mencari menurut NIK; angka dicari sebagai No. KPJ.")
    by_nik = Q(nik=digits) if len(digits) == 16 else Q(nik__endswith=digits)
    return Found(list(visible.filter(by_nik | by_kpj).distinct().order_by("pk")[:LIMIT]), "")


def _by_name(visible, q: str) -> Found:
    wanted = set(name_tokens(q))
    if not wanted:
        return Found([], "Ketik nama, NIK, atau No. KPJ.")
    literal = sorted((t for t in wanted if t not in FOLDED and t in q.lower()), key=len, reverse=True)
    candidates = visible.filter(nama__icontains=literal[0]) if literal else visible
    matched, read = [], 0
    for pk, nama in candidates.order_by("pk").values_list("pk", "nama").iterator(chunk_size=2000):
        read += 1
        if wanted <= set(name_tokens(nama)):
            matched.append(pk)
            if len(matched) >= LIMIT:
                break
        if read >= SCAN:
            break
    note = "Terlalu banyak nama dibaca; perjelas pencarian." if read >= SCAN else ""
    hits = list(visible.filter(pk__in=matched).order_by("nama", "pk"))
    return Found(hits, note)


def coverage(pks: list[int]) -> dict[int, Enrolment]:
    """Each hit's latest enrolment (seat, waiting, conflict) with its cohort's window."""
    latest: dict[int, Enrolment] = {}
    for e in Enrolment.objects.filter(candidate__in=pks).select_related("cohort").order_by("cohort__created_at", "pk"):
        latest[e.candidate_id] = e
    return latest
