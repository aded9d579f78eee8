from datetime import date

import pytest

from lindung.accounts.models import AuditEntry
from lindung.billing.models import PersonMonth
from lindung.reconciliation import services
from lindung.reconciliation.models import Payment, PaymentTerms, Reconciliation, ReconciliationLine
from lindung.reconciliation.tests.conftest import NOV, tagihan_csv

OTHER_NIK = "2102031505909999"


def differences_bill(november) -> bytes:
    """Line 2 cocok; line 3 an amount differs; person 3 missing (hanya di daftar); a person BPJS still bills
    (hanya di BPJS); person 1 again (ganda); person 2 under another KPJ is a second line → ganda too."""
    a, b, c = november.months
    return tagihan_csv([
        f"{a.nik},{a.kpj},{a.candidate.nama},2025-11,16800",
        f"{b.nik},{b.kpj},{b.candidate.nama},November 2025,\"Rp20.000\"",
        f"{OTHER_NIK},21020000999,Orang Lain,11/2025,16800",
        f"{a.nik},{a.kpj},{a.candidate.nama},2025-11,16800",
    ])


def save(november, data, name="tagihan-bpjs-2025-11.csv"):
    read, rec = services.save_reconciliation(program=november.program, bulan=NOV, data=data, filename=name,
                                             user=november.people.operator_a)
    assert read.ok, read.problems
    return rec


def test_it_stores_every_class_with_both_sides_and_totals(november):
    rec = save(november, differences_bill(november))
    assert rec.counts == {"cocok": 1, "hanya_bpjs": 1, "hanya_daftar": 1, "nominal_beda": 1, "nik_kpj_tidak_cocok": 0,
                          "ganda": 1, "total_bpjs": 16800 + 20000 + 16800 + 16800, "total_daftar": 3 * 16800,
                          "selisih": 3200 + 16800 + 16800 - 16800}
    lines = {(l.kelas, l.baris): l for l in rec.lines.all()}
    assert lines[("nominal_beda", 3)].person_month_id == november.months[1].pk
    assert (lines[("nominal_beda", 3)].iuran_bpjs, lines[("nominal_beda", 3)].iuran_daftar) == (20000, 16800)
    assert lines[("hanya_daftar", None)].person_month_id == november.months[2].pk
    assert lines[("hanya_bpjs", 4)].nik_bpjs == OTHER_NIK and lines[("hanya_bpjs", 4)].person_month_id is None
    assert lines[("ganda", 5)].detail == "sama dengan baris 2"
    assert sum(l.selisih for l in rec.lines.all()) == rec.selisih == rec.total_bpjs - rec.total_daftar
    assert AuditEntry.objects.filter(model="reconciliation.reconciliation", object_id=str(rec.pk)).exists()


def test_a_kpj_mismatch_is_found_and_the_matched_person_month_kept(november):
    a, b, c = november.months
    rec = save(november, tagihan_csv([f"{a.nik},{a.kpj},x,2025-11,16800", f"{b.nik},21029999999,x,2025-11,16800",
                                      f"2102031505000001,{c.kpj},x,2025-11,16800"]))
    mismatched = rec.lines.filter(kelas="nik_kpj_tidak_cocok").order_by("baris")
    assert [(l.person_month_id, l.detail[:8]) for l in mismatched] == [(b.pk, "KPJ beda"), (c.pk, "NIK beda")]


def test_a_malformed_bill_is_refused_whole_and_nothing_is_stored(november):
    a, b, c = november.months
    data = tagihan_csv([f"{a.nik},{a.kpj},x,2025-11,16800", f"{b.nik},{b.kpj},x,2025-10,16800",
                        f"{c.nik},{c.kpj},x,2025-11,abc"])
    read, rec = services.save_reconciliation(program=november.program, bulan=NOV, data=data, filename="t.csv",
                                             user=november.people.operator_a)
    assert rec is None
    assert [(p.row, p.column, p.code) for p in read.problems] == [(3, "Bulan", "bulan_beda"), (4, "Iuran", "iuran_tidak_valid")]
    assert not Reconciliation.objects.exists() and not ReconciliationLine.objects.exists()


def test_the_siap_bayar_gate_waits_for_every_difference(november):
    rec = save(november, differences_bill(november))
    with pytest.raises(services.ReconciliationError, match="4 selisih belum diselesaikan"):
        services.mark_ready(reconciliation=rec, user=november.people.operator_a)
    open_ids = list(rec.open_lines().values_list("pk", flat=True))
    with pytest.raises(services.ReconciliationError, match="Alasan wajib"):
        services.resolve(reconciliation=rec, line_ids=open_ids, resolution="dijelaskan", alasan=" ", user=november.people.operator_a)
    nominal = rec.lines.get(kelas="nominal_beda")
    services.resolve(reconciliation=rec, line_ids=[nominal.pk], resolution="diterima",
                     alasan="Tarif baru BPJS", user=november.people.operator_a)
    with pytest.raises(services.ReconciliationError, match="3 selisih"):
        services.mark_ready(reconciliation=rec, user=november.people.operator_a)
    services.resolve(reconciliation=rec, line_ids=rec.open_lines().values_list("pk", flat=True), resolution="dijelaskan",
                     alasan="BPJS belum memproses penonaktifan", user=november.people.operator_a)
    ready = services.mark_ready(reconciliation=rec, user=november.people.operator_a)
    assert ready.status == "siap_bayar" and ready.siap_bayar_by == november.people.operator_a
    # Our figures, except the line accepted at BPJS's 20.000.
    assert ready.jumlah_disetujui == 16800 + 20000 + 16800
    line = ReconciliationLine.objects.get(pk=nominal.pk)
    assert (line.resolution, line.alasan, line.resolved_by) == ("diterima", "Tarif baru BPJS", november.people.operator_a)
    assert AuditEntry.objects.filter(model="reconciliation.reconciliationline", object_id=str(nominal.pk)).exists()
    with pytest.raises(services.ReconciliationError, match="sudah siap bayar"):
        services.resolve(reconciliation=rec, line_ids=[nominal.pk], resolution="dijelaskan", alasan="x",
                         user=november.people.operator_a)
    with pytest.raises(services.ReconciliationError, match="sudah siap bayar"):
        save(november, differences_bill(november))


def test_a_new_draft_replaces_the_old_one(november):
    first = save(november, differences_bill(november))
    a, b, c = november.months
    second = save(november, tagihan_csv([f"{m.nik},{m.kpj},x,2025-11,16800" for m in (a, b, c)]))
    assert not Reconciliation.objects.filter(pk=first.pk).exists()
    assert second.counts["cocok"] == 3 and second.selisih == 0


def ready_month(november):
    rec = save(november, tagihan_csv([f"{m.nik},{m.kpj},x,2025-11,16800" for m in november.months]))
    return services.mark_ready(reconciliation=rec, user=november.people.operator_a)


def test_payment_needs_a_month_siap_bayar(november):
    with pytest.raises(services.ReconciliationError, match="belum siap bayar"):
        services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="1", sp2d_tanggal=date(2025, 12, 10),
                                jumlah=16800, user=november.people.bpkad_a)
    save(november, differences_bill(november))
    with pytest.raises(services.ReconciliationError, match="belum siap bayar"):
        services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="1", sp2d_tanggal=date(2025, 12, 10),
                                jumlah=16800, user=november.people.bpkad_a)
    assert not Payment.objects.exists()


def test_partial_then_full_payment_marks_the_ledger(november):
    ready_month(november)
    bpkad = november.people.bpkad_a
    services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="SP2D-0001/BPKAD/2025",
                            sp2d_tanggal=date(2025, 12, 10), jumlah=20000, user=bpkad)
    states = list(PersonMonth.objects.filter(program=november.program, bulan=NOV.first_day).order_by("id")
                  .values_list("state", "paid_amount"))
    assert states == [("dibayar", 16800), ("ditagih", 3200), ("ditagih", 0)]
    with pytest.raises(services.ReconciliationError, match="melebihi sisa"):
        services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="SP2D-0002", sp2d_tanggal=date(2025, 12, 11),
                                jumlah=40000, user=bpkad)
    with pytest.raises(services.ReconciliationError, match="sudah dicatat"):
        services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="SP2D-0001/BPKAD/2025",
                                sp2d_tanggal=date(2025, 12, 11), jumlah=100, user=bpkad)
    services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="SP2D-0002", sp2d_tanggal=date(2025, 12, 11),
                            jumlah=3 * 16800 - 20000, user=bpkad)
    assert set(PersonMonth.objects.filter(program=november.program, bulan=NOV.first_day)
               .values_list("state", "paid_amount")) == {("dibayar", 16800)}
    entry = AuditEntry.objects.filter(model="reconciliation.payment").first()
    assert entry.user == bpkad and entry.new["sp2d_nomor"] == "SP2D-0002"


def test_a_month_unpaid_after_its_due_day_is_tertunggak(november, settings):
    settings.JATUH_TEMPO_HARI = 15
    month, *_ = services.months(november.program, today=date(2025, 12, 15))
    assert (month.ditagih, month.dibayar, month.jatuh_tempo, month.tertunggak) == (3 * 16800, 0, date(2025, 12, 15), False)
    month, *_ = services.months(november.program, today=date(2025, 12, 16))
    assert month.tertunggak
    PaymentTerms.objects.create(program=november.program, hari_jatuh_tempo=20)
    month, *_ = services.months(november.program, today=date(2025, 12, 16))
    assert not month.tertunggak
    owing = services.arrears_by_person(november.program, today=date(2026, 1, 1))
    assert [(nik, n) for nik, _, n in owing] == [(m.nik, 1) for m in sorted(november.months, key=lambda m: m.candidate.nama)]
    ready_month(november)
    services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="S-1", sp2d_tanggal=date(2025, 12, 20),
                            jumlah=3 * 16800, user=november.people.bpkad_a)
    month, *_ = services.months(november.program, today=date(2026, 1, 1))
    assert not month.tertunggak and services.arrears_by_person(november.program, today=date(2026, 1, 1)) == []


def test_consecutive_unpaid_months_per_person(november):
    from lindung.billing.ledger import sync_ledger
    from lindung.domain.periods import Month

    sync_ledger(november.program, through=Month(2025, 12))
    owing = services.arrears_by_person(november.program, today=date(2026, 2, 1))
    assert {n for _, _, n in owing} == {2}
    ready_month(november)
    services.record_payment(program=november.program, bulan=NOV, sp2d_nomor="S-1", sp2d_tanggal=date(2025, 12, 20),
                            jumlah=3 * 16800, user=november.people.bpkad_a)
    assert {n for _, _, n in services.arrears_by_person(november.program, today=date(2026, 2, 1))} == {1}


def test_the_matching_engines_link_pairs_a_line_whose_keys_both_differ(november):
    from lindung.linkage.models import MatchPair
    from lindung.registry.models import BpjsParticipant, BpjsRoster

    a, b, c = november.months
    roster = BpjsRoster.objects.create(pemda_id="21.02", file="x.csv", original_name="x.csv")
    participant = BpjsParticipant.objects.create(roster=roster, nik="2102031505800091", nama="Peserta 1", kpj="21020000555")
    MatchPair.objects.create(kind=MatchPair.Kind.BPJS, left=c.candidate, participant=participant, score=0.97,
                             band=MatchPair.Band.MATCH, status=MatchPair.Status.SAME)
    rec = save(november, tagihan_csv([f"{a.nik},{a.kpj},x,2025-11,16800", f"{b.nik},{b.kpj},x,2025-11,16800",
                                      f"{participant.nik},{participant.kpj},x,2025-11,16800"]))
    line = rec.lines.get(baris=4)
    assert (line.kelas, line.person_month_id) == ("nik_kpj_tidak_cocok", c.pk)
    assert "pencocokan data" in line.detail
