"""The demo's November 2025 for Karimun: BPJS's tagihan with deliberate differences, reconciled with
reasons, marked siap bayar, and paid with an SP2D (issue 12, item 6).

Runs after the demo has registered Karimun's people with BPJS (the ledger needs their KPJ numbers); before
that, or on a second run, it does nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import xlsxwriter
from django.contrib.auth import get_user_model

from lindung.billing.ledger import sync_ledger
from lindung.domain.periods import Month
from lindung.imports.models import Candidate, CandidateStatus
from lindung.programs.models import Program
from lindung.reconciliation import services
from lindung.reconciliation.models import Reconciliation

NOVEMBER = Month(2025, 11)
SP2D = ("900/0412/SP2D-LS/BPKAD/XII/2025", date(2025, 12, 10))
REASONS = {
    "hanya_bpjs": "BPJS belum memproses penonaktifan: tidak lolos verifikasi kelurahan, tidak pernah diajukan",
    "hanya_daftar": "Terdaftar sejak November menurut jawaban BPJS; dibayar sesuai daftar, BPJS diminta menagihkan",
    "nominal_beda": "BPJS menerapkan potongan PP 50/2025 yang tidak berlaku untuk iuran APBD; dibayar Rp16.800",
    "nik_kpj_tidak_cocok": "NIK sama; KPJ di tagihan BPJS salah ketik, dibayar sesuai daftar",
    "ganda": "Baris ganda di tagihan BPJS; dibayar sekali",
}


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def branch_bill(rows, removed: Candidate | None) -> bytes:
    """The branch's xlsx: a title block, its own headers; person 2 missing, person 3 at the discounted
    rate, person 4 under a mistyped KPJ, and a removed person still billed."""
    lines = [(pm.kpj, pm.nik, pm.candidate.nama, pm.iuran) for pm in rows]
    lines[2] = (lines[2][0], lines[2][1], lines[2][2], 8_400)
    lines[3] = (lines[3][0][:-2] + lines[3][0][-1] + lines[3][0][-2], *lines[3][1:])
    del lines[1]
    if removed is not None:
        lines.append(("21029999001", removed.nik, removed.nama.upper(), 16_800))
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Tagihan")
    day = workbook.add_format({"num_format": "mmmm yyyy"})
    sheet.write_string(0, 0, "TAGIHAN IURAN PESERTA BPU — KANTOR CABANG BATAM SEKUPANG")
    sheet.write_string(1, 0, "Wadah: Pemerintah Kabupaten Karimun (SG)")
    for c, header in enumerate(("No.", "Nomor KPJ", "NIK", "Nama Peserta", "Periode", "Jumlah Iuran (Rp)")):
        sheet.write_string(3, c, header)
    for r, (kpj, nik, nama, iuran) in enumerate(lines, 4):
        sheet.write_number(r, 0, r - 3)
        sheet.write_string(r, 1, kpj)
        sheet.write_string(r, 2, nik)
        sheet.write_string(r, 3, nama)
        sheet.write_datetime(r, 4, datetime(2025, 11, 1), day)
        sheet.write_number(r, 5, iuran)
    workbook.close()
    return buffer.getvalue()


def load(slug: str = "karimun-2025") -> Reconciliation | None:
    """November reconciled and paid; None when the programme has no billed November yet (or has its reconciliation)."""
    program = Program.objects.get(slug=slug)
    if Reconciliation.objects.filter(program=program, bulan=NOVEMBER.first_day).exists():
        return None
    sync_ledger(program, through=NOVEMBER)
    rows = list(services.month_rows(program, NOVEMBER).select_related("candidate").order_by("id"))
    if len(rows) < 4:
        return None
    removed = (Candidate.objects.filter(program=program, status=CandidateStatus.TIDAK_LAYAK).order_by("id").first())
    operator = _user("karimun.operator")
    _, rec = services.save_reconciliation(program=program, bulan=NOVEMBER, data=branch_bill(rows, removed),
                                          filename="tagihan-bpjs-karimun-2025-11.xlsx", user=operator)
    for kelas, reason in REASONS.items():
        ids = list(rec.open_lines().filter(kelas=kelas).values_list("pk", flat=True))
        if ids:
            services.resolve(reconciliation=rec, line_ids=ids, resolution="dijelaskan", alasan=reason, user=operator)
    rec = services.mark_ready(reconciliation=rec, user=operator)
    services.record_payment(program=program, bulan=NOVEMBER, sp2d_nomor=SP2D[0], sp2d_tanggal=SP2D[1],
                            jumlah=rec.jumlah_disetujui, user=_user("karimun.bpkad"))
    return rec


def run(out) -> None:
    """`lindung demo`'s last step: reconcile and pay Karimun's November, and say so."""
    from lindung.lib.format import format_rupiah

    rec = load()
    if rec is not None:
        counts = rec.counts
        out.write(f"Rekonsiliasi tagihan BPJS karimun-2025 November 2025: {counts['cocok']} cocok, "
                  f"{rec.lines.exclude(kelas='cocok').count()} selisih dijelaskan, siap bayar, "
                  f"dibayar {format_rupiah(rec.jumlah_disetujui)} (SP2D {SP2D[0]}).")
