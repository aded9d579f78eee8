"""The home page is the user's dashboard: funnel per programme, what waits for them, coverage and budget."""

import xml.etree.ElementTree as ET

from lindung.domain import charts


def test_the_home_page_shows_the_users_dashboard(client, people):
    client.force_login(people.operator_a)
    body = client.get("/").content.decode()
    assert "Alur peserta per program" in body and people.program_a.nama in body
    assert people.program_b.nama not in body  # another kabupaten's programme
    assert "Cakupan Kabupaten Karimun" in body and "belum ada data semesta" in body
    assert "Realisasi anggaran" in body


def test_a_desa_operator_sees_their_desa_and_no_budget(client, people):
    client.force_login(people.desa_a)
    body = client.get("/").content.decode()
    assert "Realisasi anggaran" not in body
    assert "Cakupan Moro" in body or "Cakupan" in body


def test_the_funnel_chart_has_a_title_and_every_number():
    svg = charts.funnel([("Calon", 1000), ("Layak", 953), ("Terdaftar", 0), ("Aktif", 0)], title="Alur")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "Alur"
    assert "Layak 953" in root.find(f"{ns}desc").text
    trend = ET.fromstring(charts.trend([("11/25", 59.29), ("12/25", None)], title="Tren"))
    assert "59,29 %" in trend.find(f"{ns}desc").text and "tidak ada data" in trend.find(f"{ns}desc").text


def test_a_tagihan_waits_for_disnaker_then_for_bpkad(client, people):
    from datetime import date

    from lindung.reconciliation.models import Reconciliation

    rec = Reconciliation.objects.create(program=people.program_a, bulan=date(2025, 11, 1), berkas_nama="t.xlsx",
                                        berkas_sha256="0" * 64)
    client.force_login(people.operator_a)
    assert "Tagihan BPJS menunggu rekonsiliasi: Program prog-a, November 2025" in client.get("/").content.decode()
    client.force_login(people.bpkad_a)
    assert "Tagihan BPJS" not in client.get("/").content.decode()
    rec.status, rec.jumlah_disetujui = Reconciliation.Status.SIAP_BAYAR, 16_800
    rec.save()
    assert "siap bayar, belum lunas: Program prog-a, November 2025" in client.get("/").content.decode()
    client.force_login(people.outsider)
    assert "prog-a" not in client.get("/").content.decode()


def test_pairs_wait_only_for_those_who_may_decide_them(client, people):
    """The auditor and the BPKAD read pairs but never decide them: nothing 'waits for them' on the home page."""
    from lindung.linkage.models import MatchPair
    from lindung.linkage.tests.factories import OTHERS, SITI, YUSUF, load, load_roster, run

    load(people.program_a, people.operator_a, [YUSUF, SITI, *OTHERS])
    load_roster(people.program_a.pemda, people.admin_a, ["2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU"])
    run(people.admin_a)
    MatchPair.objects.update(status=MatchPair.Status.OPEN)  # the engine was sure; here it waits for a person
    assert MatchPair.objects.open().exists()
    client.force_login(people.operator_a)
    assert "Pasangan kecocokan menunggu tinjauan" in client.get("/").content.decode()
    for reader in (people.auditor_a, people.bpkad_a):
        client.force_login(reader)
        assert "Pasangan kecocokan menunggu tinjauan" not in client.get("/").content.decode()


def test_the_trend_chart_names_its_months_in_indonesian(client, people):
    from lindung.coverage.dashboard import trend
    from lindung.coverage.services import default_month
    from lindung.domain.periods import Month
    from lindung.test import KAB_A

    labels = [label for label, _ in trend(KAB_A, Month(2025, 8), None)]
    assert labels == ["Mar 2025", "Apr 2025", "Mei 2025", "Jun 2025", "Jul 2025", "Agu 2025"]  # not "07/25"
    client.force_login(people.operator_a)
    body = client.get("/").content.decode()
    this_month = default_month()
    assert "Cakupan Kabupaten Karimun per bulan" in body and f">{this_month.name_id[:3]} {this_month.year}<" in body
