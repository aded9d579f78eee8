"""A page's number of SQL queries must not grow with the number of rows (issue 18).

Every list, search, filter, queue, programme, cohort, duplicates/review, bill, coverage and money page is rendered
over a small programme (24 candidates) and one three times bigger (72), built the same way through the
project's own services: spread over three desa, waiting at both verification levels, rejected, verified,
seated, on the waiting list, registered with BPJS, aktif and billed, one released, open and decided
duplicate pairs. The query counts must be equal: a query per row (N+1) makes the bigger one higher.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lindung.billing.tests.conftest import register_all
from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.imports import services as import_services
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.linkage.models import MatchPair
from lindung.test import KAB_A, make_program
from lindung.verification import services as verification
from lindung.verification.models import Decision

SMALL, BIG = 24, 72
DESA = ["21.02.01.1003", "21.02.01.2004", "21.02.03.1001"]  # Moro (desa_a's), Pauh, Karimun


def _rows(n: int) -> list[list]:
    """n clean rows over three desa; each NIK carries its desa's kecamatan and a 15 May birth date."""
    out = []
    for i in sorted(range(n), key=lambda i: (i % 8, i // 8)):  # the file alternates desa: seats go to each desa
        desa = DESA[(i // 8) % len(DESA)]  # eight in a row per desa: every state in every desa
        year = 1970 + i % 30
        kec = desa[:8].replace(".", "")
        out.append([f"{kec}1505{year % 100:02d}{i + 1:04d}", f"Peserta {i + 1:02d}", date(year, 5, 15), "L" if i % 2 else "P",
                    desa, "Nelayan", None, None])
    return out


def build(people, n: int):
    """One programme of n candidates in every state a page shows (see the module's docstring)."""
    program = make_program("ukuran", KAB_A, tingkat_verifikasi=["dinsos", "disnaker"], mulai=date(2025, 1, 1),
                           selesai=date(2025, 12, 31), pagu=(n * 3 // 8) * 12 * 16_800)
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(_rows(n))), user=people.operator_a)
    candidates = sorted(Candidate.objects.filter(program=program), key=_number)
    for i, candidate in enumerate(candidates):  # import warnings on some (a phone number not recognised), two combinations
        codes = ["|no_hp_tidak_valid|", "|no_hp_tidak_valid||rt_rw_tidak_valid|", "", ""][i % 4]
        Candidate.objects.filter(pk=candidate.pk).update(problem_codes=codes)
    by_slot = {slot: [c for c in candidates if (_number(c) - 1) % 8 == slot] for slot in range(8)}
    verification.decide_bulk(candidates=by_slot[1], decision=Decision.TIDAK_LAYAK, reason="bukan_pekerja_rentan",
                             user=people.verifier_a)
    verification.decide_bulk(candidates=[c for slot in range(2, 8) for c in by_slot[slot]], decision=Decision.LAYAK,
                             user=people.verifier_a)
    verification.decide_bulk(candidates=Candidate.objects.filter(program=program, level_index=1)
                             .exclude(pk__in=[c.pk for c in by_slot[2]]), decision=Decision.LAYAK, user=people.operator_a)
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    services.advance_lifecycle(today=date(2025, 2, 1))
    seat = cohort.seated.order_by("urutan").first()
    services.release(seat, user=people.admin_a, reason="Meninggal", akhir=date(2025, 1, 20), kode="meninggal")
    _pairs(program, candidates)
    return program


def _number(candidate) -> int:
    return int(candidate.nama.split()[1])


def _pairs(program, candidates) -> None:
    """Duplicate pairs in the programme, two per eight candidates (per desa): an open one and a decided one."""
    for i in range(0, len(candidates) - 1, 8):
        left, right = candidates[i], candidates[i + 1]
        MatchPair.objects.create(kind=MatchPair.Kind.DUPLIKAT, left=left, right=right, score=0.95,
                                 band=MatchPair.Band.MATCH, evidence={"nik": "sama"})
        left, right = candidates[i + 2], candidates[i + 3]
        MatchPair.objects.create(kind=MatchPair.Kind.DUPLIKAT, left=left, right=right, score=0.7,
                                 band=MatchPair.Band.POSSIBLE, status=MatchPair.Status.DIFFERENT)


def pages(program) -> list[tuple[str, str]]:
    slug = program.slug
    batch = ImportBatch.objects.filter(program=program).first()
    return [
        ("beranda", "/"),
        ("daftar program", "/program/"),
        ("program", f"/program/{slug}/"),
        ("calon", f"/program/{slug}/calon/"),
        ("calon, cari nama", f"/program/{slug}/calon/?q=peserta"),
        ("calon, filter desa", f"/program/{slug}/calon/?desa={DESA[0]}"),
        ("calon, filter status", f"/program/{slug}/calon/?status=aktif"),
        ("calon, filter masalah", f"/program/{slug}/calon/?masalah=no_hp_tidak_valid"),
        ("calon, filter masalah dan status", f"/program/{slug}/calon/?masalah=rt_rw_tidak_valid&status=aktif"),
        ("calon, filter masalah dan desa", f"/program/{slug}/calon/?masalah=no_hp_tidak_valid&desa={DESA[0]}"),
        ("cari", "/cari/?q=peserta"),
        ("antrean verifikasi", f"/program/{slug}/verifikasi/"),
        ("kohort", f"/program/{slug}/penetapan/"),
        ("kohort, daftar tunggu", f"/program/{slug}/penetapan/?status=tunggu"),
        ("kohort, keluar", f"/program/{slug}/penetapan/?status=keluar"),
        ("duplikat", f"/program/{slug}/duplikat/"),
        ("tinjau kecocokan", f"/pencocokan/tinjau/?program={slug}"),
        ("unggahan", f"/impor/{batch.pk}/"),
        ("tagihan", f"/program/{slug}/tagihan/?bulan=2025-01"),
        ("realisasi", f"/program/{slug}/realisasi/"),
        ("realisasi semua program", "/realisasi/"),
        ("tagihan BPJS", f"/program/{slug}/tagihan-bpjs/"),
        ("masa iur", f"/program/{slug}/masa-iur/"),
        ("usia lanjut", f"/program/{slug}/usia/"),
        ("tahun anggaran baru", f"/program/{slug}/tahun-baru/"),
        ("klaim", f"/program/{slug}/klaim/"),
        ("pindahan", f"/program/{slug}/pindahan/"),
        ("cakupan", "/cakupan/"),
    ]


def _count(client, url) -> tuple[int, int, list[str], int]:
    client.get(url)  # warm: sessions, caches, the ledger written for the month asked
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    people_shown = response.content.decode().count("Peserta ")
    return response.status_code, len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], people_shown


class _Undo(Exception):
    """Raised to roll a size's programme back, so the next size starts from the same empty area."""


def _measure(people, client, n: int, who: str) -> dict[str, tuple]:
    try:
        with transaction.atomic():
            program = build(people, n)
            client.force_login(getattr(people, who))
            measured = {name: _count(client, url) for name, url in pages(program)}
            raise _Undo
    except _Undo:
        return measured


@pytest.mark.parametrize("who", ["admin_a", "desa_a"])
def test_no_page_makes_more_queries_for_more_rows(people, client, who):
    small = _measure(people, client, SMALL, who)
    big = _measure(people, client, BIG, who)
    statuses = {name: (small[name][0], big[name][0]) for name in small}
    assert {name: s for name, s in statuses.items() if s[0] != s[1] or s[0] not in (200, 403, 404)} == {}
    # The bigger programme really shows more people on its lists (else equal counts would prove nothing).
    assert all(big[name][3] > small[name][3] for name in ("calon", "cari", "kohort", "tinjau kecocokan",
                                                          "calon, filter masalah"))
    grew = {name: (small[name][1], big[name][1]) for name in small if small[name][1] != big[name][1]}
    assert grew == {}, _explain(grew, small, big)


def _shape(sql: str) -> str:
    """A query without its values, so the same query with other parameters counts as the same."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _explain(grew, small, big) -> str:
    lines = []
    for name in grew:
        seen = Counter(_shape(q) for q in small[name][2])
        counted = Counter(_shape(q) for q in big[name][2]) - seen
        extra = [f"{n}× {q[:200]}" for q, n in counted.items()]
        lines.append(f"{name}: {grew[name][0]} -> {grew[name][1]} queries; more of: {extra[:3]}")
    return "\n".join(lines)
